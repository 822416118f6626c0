import type { PushDevice } from '@gisbi/contracts';

export interface PushNotification {
  userId: string;
  title: string;
  body: string;
  data?: Record<string, string>;
  collapseKey?: string;
}

/**
 * What became of one device token:
 * - `sent`: handed to the provider; `recorded`: stored by the recording transport (counts as sent);
 * - `invalid_token`: the provider says the token is unregistered or invalid: deactivate it;
 * - `failed`: anything else (quota, outage, bad credentials): keep the token, log it.
 */
export type PushOutcome = 'sent' | 'recorded' | 'invalid_token' | 'failed';

export interface PushResult {
  token: string;
  outcome: PushOutcome;
  /** The provider's error code, when there is one. */
  errorCode?: string;
}

/** Where notifications go. Chosen by configuration: FCM in production, the recording transport otherwise. */
export abstract class PushTransport {
  abstract readonly name: string;
  /** One result per device, in order. Must not throw for per-device failures. */
  abstract send(devices: PushDevice[], notification: PushNotification): Promise<PushResult[]>;
}
