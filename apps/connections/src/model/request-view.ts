import type {
  ConnectionDirection,
  ConnectionRequest,
  ConnectionRequestStatus,
  User,
} from '@gisbi/contracts';
import type { RequestRecord, StoredRequestStatus } from './records';

/** What clients see for each stored status; `legacyStatus` keeps the stored value. */
const PUBLIC_STATUS: Record<StoredRequestStatus, ConnectionRequestStatus> = {
  pending: 'pending',
  accepted: 'accepted',
  rejected: 'declined',
  missed: 'missed',
  closed: 'closed',
};

export interface EffectiveRequestState {
  status: StoredRequestStatus;
  resolvedAt: Date | null;
}

/**
 * A pending request whose expiry has passed is missed, whether or not the expiry job has reached it yet:
 * every read goes through this, so no client ever sees an expired request as pending. A missed request
 * was resolved at the instant it expired.
 */
export function effectiveState(record: RequestRecord, now: Date): EffectiveRequestState {
  if (record.status === 'pending' && isExpired(record, now)) return { status: 'missed', resolvedAt: record.expiresAt };
  return { status: record.status, resolvedAt: record.resolvedAt };
}

/** Expired at the exact instant of `expiresAt`, not a millisecond later. */
export function isExpired(record: Pick<RequestRecord, 'expiresAt'>, now: Date): boolean {
  return now.getTime() >= record.expiresAt.getTime();
}

export function isLivePending(record: RequestRecord, now: Date): boolean {
  return effectiveState(record, now).status === 'pending';
}

export function directionFor(record: Pick<RequestRecord, 'senderId'>, viewerId: string): ConnectionDirection {
  return record.senderId === viewerId ? 'outgoing' : 'incoming';
}

/** The short line a request list shows under the other user's name, from the viewer's side. */
export function requestSnippet(status: StoredRequestStatus, direction: ConnectionDirection): string {
  switch (status) {
    case 'pending':
      return direction === 'incoming' ? 'Wants to connect with you' : 'Waiting for a reply';
    case 'accepted':
      return 'Connected';
    case 'rejected':
      return direction === 'incoming' ? 'You declined this request' : 'Request declined';
    case 'missed':
      return 'Request expired';
    case 'closed':
      return 'No longer available';
  }
}

/**
 * The contract's ConnectionRequest for one viewer: `user` (and its name/age/avatar mirrors) is the other
 * participant, `direction` is from the viewer's side, `expiresAt` only while pending.
 */
export function toConnectionRequest(record: RequestRecord, viewerId: string, other: User, now: Date): ConnectionRequest {
  const state = effectiveState(record, now);
  const direction = directionFor(record, viewerId);
  return {
    id: record.id,
    requestId: record.id,
    fromUserId: record.senderId,
    toUserId: record.recipientId,
    senderId: record.senderId,
    receiverId: record.recipientId,
    user: other,
    userId: other.id,
    name: other.name,
    age: other.age,
    avatar: other.avatar,
    snippet: requestSnippet(state.status, direction),
    direction,
    status: PUBLIC_STATUS[state.status],
    legacyStatus: state.status,
    closureReason: record.closureReason,
    createdAt: record.createdAt.toISOString(),
    resolvedAt: state.resolvedAt ? state.resolvedAt.toISOString() : null,
    expiresAt: state.status === 'pending' ? record.expiresAt.toISOString() : null,
  };
}

/** Head shared by the accept/reject/missed (and closed) payloads, for one viewer. */
export function resolutionHead(
  record: RequestRecord,
  viewerId: string,
  other: User,
  now: Date,
): {
  requestId: string;
  fromUserId: string;
  toUserId: string;
  direction: ConnectionDirection;
  resolvedAt: string;
  request: ConnectionRequest;
} {
  const request = toConnectionRequest(record, viewerId, other, now);
  return {
    requestId: record.id,
    fromUserId: record.senderId,
    toUserId: record.recipientId,
    direction: request.direction,
    resolvedAt: request.resolvedAt ?? now.toISOString(),
    request,
  };
}

/**
 * The contract's `requests` order: pending first by createdAt descending, then the rest by resolvedAt
 * descending (ties by ID, newest first, so the order is total).
 */
export function compareForRequestList(left: ConnectionRequest, right: ConnectionRequest): number {
  const leftPending = left.status === 'pending';
  const rightPending = right.status === 'pending';
  if (leftPending !== rightPending) return leftPending ? -1 : 1;
  const key = (request: ConnectionRequest) => (leftPending ? request.createdAt : (request.resolvedAt ?? request.createdAt));
  const byTime = Date.parse(key(right)) - Date.parse(key(left));
  if (byTime !== 0) return byTime;
  return right.requestId < left.requestId ? -1 : right.requestId > left.requestId ? 1 : 0;
}
