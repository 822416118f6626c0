import { ErrorCode } from '@gisbi/contracts';
import { DomainError } from '@gisbi/platform';

/** Every client-caused failure of this service, with its status and a message safe to show. */
export const Errors = {
  cannotTargetSelf: () => DomainError.badRequest(ErrorCode.cannot_target_self, 'You cannot do this to yourself'),
  userNotFound: () => DomainError.notFound(ErrorCode.user_not_found, 'User not found'),
  accountDeleted: () => DomainError.forbidden(ErrorCode.account_deleted, 'This account has been deleted'),
  // Says that a block exists between the two users, never which of them placed it.
  blocked: () => DomainError.forbidden(ErrorCode.blocked, 'You cannot interact with this user'),
  activeConnectionExists: () =>
    DomainError.conflict(ErrorCode.active_connection_exists, 'You are already connected with this user'),
  duplicateRequest: () =>
    DomainError.conflict(ErrorCode.duplicate_request, 'This user has already sent you a request; accept or reject it'),
  requestNotFound: () => DomainError.notFound(ErrorCode.not_found, 'Connection request not found'),
  notRecipient: () => DomainError.forbidden(ErrorCode.not_allowed, 'Only the recipient can answer this request'),
  requestExpired: () => new DomainError(ErrorCode.request_expired, 'This request has expired', 410),
  requestNotPending: () => DomainError.conflict(ErrorCode.request_not_pending, 'This request has already been answered'),
  connectionNotFound: () => DomainError.notFound(ErrorCode.connection_not_found, 'Connection not found'),
  notParticipant: () => DomainError.forbidden(ErrorCode.not_allowed, 'You are not part of this connection'),
  missingReason: () => DomainError.badRequest(ErrorCode.missing_reason, 'reason must not be blank'),
  ringRateLimited: (seconds: number) =>
    DomainError.tooMany(ErrorCode.rate_limited, `You can ring this user once every ${seconds} seconds`),
} as const;
