// Every error code a client can receive, on the socket (`error` event) or in a REST body.
// The first block is the contract's own list; the rest are GISBI extensions, documented in AsyncAPI/OpenAPI.
export const ErrorCode = {
  // Contract: "Common error codes"
  missing_userId: 'missing_userId',
  missing_recipientId: 'missing_recipientId',
  user_not_found: 'user_not_found',
  invalid_location: 'invalid_location',
  missing_connectionId: 'missing_connectionId',
  missing_token: 'missing_token',
  missing_rssi: 'missing_rssi',
  invalid_token: 'invalid_token',
  invalid_rssi: 'invalid_rssi',
  not_allowed: 'not_allowed',
  active_connection_exists: 'active_connection_exists',
  active_connection_required: 'active_connection_required',
  missing_requestId: 'missing_requestId',
  missing_giftId: 'missing_giftId',
  distance_exceeded: 'distance_exceeded',
  not_ready: 'not_ready',
  // Contract: named in event descriptions
  request_expired: 'request_expired',
  peer_gifts_disabled: 'peer_gifts_disabled',

  // Extensions: protocol and transport
  invalid_json: 'invalid_json',
  invalid_envelope: 'invalid_envelope',
  unknown_type: 'unknown_type',
  invalid_payload: 'invalid_payload',
  payload_too_large: 'payload_too_large',
  validation_failed: 'validation_failed',
  rate_limited: 'rate_limited',
  timeout: 'timeout',
  service_unavailable: 'service_unavailable',
  internal_error: 'internal_error',
  // Extensions: authentication and access
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  account_deleted: 'account_deleted',
  invalid_provider: 'invalid_provider',
  invalid_id_token: 'invalid_id_token',
  invalid_refresh_token: 'invalid_refresh_token',
  // Extensions: generic resource outcomes
  not_found: 'not_found',
  conflict: 'conflict',
  // Extensions: domain rules
  blocked: 'blocked',
  cannot_target_self: 'cannot_target_self',
  request_not_pending: 'request_not_pending',
  duplicate_request: 'duplicate_request',
  connection_not_found: 'connection_not_found',
  gift_not_found: 'gift_not_found',
  gift_expired: 'gift_expired',
  invalid_redemption_code: 'invalid_redemption_code',
  code_expired: 'code_expired',
  already_redeemed: 'already_redeemed',
  message_not_found: 'message_not_found',
  /** Chat: more first-contact messages than allowed before the other side replies or connects. */
  first_contact_limit: 'first_contact_limit',
  // Extensions: field-level codes in the contract's missing_<field> style
  missing_messageId: 'missing_messageId',
  missing_content: 'missing_content',
  invalid_content: 'invalid_content',
  missing_reportedUserId: 'missing_reportedUserId',
  missing_reason: 'missing_reason',
  missing_blockedUserId: 'missing_blockedUserId',
  missing_isOnRadar: 'missing_isOnRadar',
  invalid_cursor: 'invalid_cursor',
  invalid_limit: 'invalid_limit',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && ERROR_CODES.has(value);
}
