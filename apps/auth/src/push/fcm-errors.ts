import type { PushOutcome } from './push-transport';

/**
 * FCM error codes (firebase-admin `messaging/...`) that mean the token will never work again: the
 * app was uninstalled or the token rotated (`registration-token-not-registered`, FCM v1 UNREGISTERED),
 * or it is not a registration token at all (`invalid-registration-token`).
 */
export const FCM_DEAD_TOKEN_CODES: ReadonlySet<string> = new Set([
  'messaging/registration-token-not-registered',
  'messaging/invalid-registration-token',
]);

/**
 * Maps a per-token FCM error to what we do with the token. Everything that is not about the token
 * itself (invalid-argument for a bad payload, quota, unavailable, internal, mismatched credentials or
 * sender id, auth errors) keeps the token: deactivating on those would unregister healthy devices
 * because of our own misconfiguration or a provider outage.
 */
export function classifyFcmError(code: string | undefined): Extract<PushOutcome, 'invalid_token' | 'failed'> {
  return code !== undefined && FCM_DEAD_TOKEN_CODES.has(code) ? 'invalid_token' : 'failed';
}
