import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import {
  RpcMethod,
  ServerEvent,
  type Message,
  type PushSendRequest,
  type PushSendResponse,
} from '@gisbi/contracts';
import { NatsClient } from '@gisbi/platform';
import { CHAT_ENV, type ChatEnv } from '../config/chat-config';
import { preview } from '../messages/message-content';
import { PresenceLiveness } from './presence-liveness';

/**
 * Offline delivery: after a message is stored and the sender has its reply, a recipient without a live
 * socket gets a push notification through auth (which owns devices and the FCM / recording transport).
 * Fire-and-forget: it never delays or fails the send; failures are logged.
 */
@Injectable()
export class PushNotifier implements BeforeApplicationShutdown {
  private readonly logger = new Logger(PushNotifier.name);
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly nats: NatsClient,
    private readonly liveness: PresenceLiveness,
    @Inject(CHAT_ENV) private readonly env: ChatEnv,
  ) {}

  /** Schedules the offline check and push for after the current reply has been sent. */
  notifyIfOffline(message: Message): void {
    const work = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.pushIfOffline(message))
      .catch((error: unknown) => this.logger.warn(`push for ${message.messageId} failed: ${String(error)}`));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Resolves when every scheduled push has been attempted (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.idle();
  }

  private async pushIfOffline(message: Message): Promise<void> {
    if (await this.liveness.isLive(message.recipientId)) return;
    const request: PushSendRequest = {
      userId: message.recipientId,
      title: message.sender.name,
      body: preview(message.content, this.env.CHAT_PUSH_PREVIEW_LENGTH),
      data: {
        type: ServerEvent.ChatMessageCreated,
        messageId: message.messageId,
        senderId: message.senderId,
        recipientId: message.recipientId,
      },
      collapseKey: `chat:${message.senderId}`,
    };
    const { sent } = await this.nats.rpc<PushSendResponse, PushSendRequest>(
      'auth',
      RpcMethod.auth.pushSend,
      request,
      this.env.CHAT_PUSH_TIMEOUT_MS,
    );
    this.logger.debug(`push for ${message.messageId} sent to ${sent} device(s)`);
  }
}
