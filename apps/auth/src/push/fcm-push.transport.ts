import { Logger } from '@nestjs/common';
import type { BatchResponse, MulticastMessage } from 'firebase-admin/messaging';
import type { PushDevice } from '@gisbi/contracts';
import { classifyFcmError } from './fcm-errors';
import { type PushNotification, type PushResult, PushTransport } from './push-transport';

/** The one firebase-admin Messaging method we use, so tests can script FCM's answers. */
export interface MulticastSender {
  sendEachForMulticast(message: MulticastMessage): Promise<BatchResponse>;
}

/** FCM accepts at most this many tokens per multicast. */
export const FCM_MULTICAST_LIMIT = 500;

/** Firebase Cloud Messaging (Android, iOS through APNs, web), through firebase-admin. */
export class FcmPushTransport extends PushTransport {
  readonly name = 'fcm';
  private readonly logger = new Logger(FcmPushTransport.name);

  constructor(private readonly sender: () => Promise<MulticastSender>) {
    super();
  }

  async send(devices: PushDevice[], notification: PushNotification): Promise<PushResult[]> {
    const results: PushResult[] = [];
    for (let start = 0; start < devices.length; start += FCM_MULTICAST_LIMIT) {
      const tokens = devices.slice(start, start + FCM_MULTICAST_LIMIT).map((device) => device.token);
      results.push(...(await this.sendChunk(tokens, notification)));
    }
    return results;
  }

  private async sendChunk(tokens: string[], notification: PushNotification): Promise<PushResult[]> {
    let response: BatchResponse;
    try {
      const sender = await this.sender();
      response = await sender.sendEachForMulticast(toMulticastMessage(tokens, notification));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      this.logger.warn(`FCM multicast to ${tokens.length} token(s) failed: ${error instanceof Error ? error.message : String(error)}`);
      return tokens.map((token) => ({ token, outcome: 'failed', ...(typeof code === 'string' ? { errorCode: code } : {}) }));
    }
    return tokens.map((token, index): PushResult => {
      const answer = response.responses[index];
      if (answer?.success) return { token, outcome: 'sent' };
      const code = answer?.error?.code;
      return { token, outcome: classifyFcmError(code), ...(code ? { errorCode: code } : {}) };
    });
  }
}

/** Notification for the tray, data for the app, collapse key on both Android and APNs. */
export function toMulticastMessage(tokens: string[], notification: PushNotification): MulticastMessage {
  const { title, body, data, collapseKey } = notification;
  return {
    tokens,
    notification: { title, body },
    ...(data ? { data } : {}),
    android: { priority: 'high', ...(collapseKey ? { collapseKey } : {}) },
    apns: {
      headers: { 'apns-priority': '10', ...(collapseKey ? { 'apns-collapse-id': collapseKey } : {}) },
      payload: { aps: { sound: 'default' } },
    },
  };
}
