import { ErrorCode, isErrorCode } from './error-codes';

// Verbatim from the contract's "Common error codes" and event descriptions.
const CONTRACT_CODES = [
  'missing_userId',
  'missing_recipientId',
  'user_not_found',
  'invalid_location',
  'missing_connectionId',
  'missing_token',
  'missing_rssi',
  'invalid_token',
  'invalid_rssi',
  'not_allowed',
  'active_connection_exists',
  'active_connection_required',
  'missing_requestId',
  'missing_giftId',
  'distance_exceeded',
  'not_ready',
  'request_expired',
  'peer_gifts_disabled',
];

describe('ErrorCode', () => {
  it('contains every code the contract names', () => {
    for (const code of CONTRACT_CODES) expect(isErrorCode(code)).toBe(true);
  });

  it('maps each key to itself, so the key is what the client receives', () => {
    for (const [key, value] of Object.entries(ErrorCode)) expect(value).toBe(key);
  });

  it('recognises only known codes', () => {
    expect(isErrorCode('nope')).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });
});
