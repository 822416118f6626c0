import { type Connection } from '../../models/connection';
import { type ConnectionDirection, type ConnectionRequest } from '../../models/connection-request';
import { type User } from '../../models/user';

export interface ConnectionRequestSentPayload {
  request: ConnectionRequest;
}

/** Shared head of the accept/reject/missed payloads; `direction` is from the receiving user's side. */
interface ConnectionRequestResolution {
  requestId: string;
  fromUserId: string;
  toUserId: string;
  direction: ConnectionDirection;
  resolvedAt: string;
  request: ConnectionRequest;
}

export interface ConnectionRequestAcceptedPayload extends ConnectionRequestResolution {
  connection: Connection;
}

/** The event says "rejected" where the ConnectionRequest model says "declined"; both are contract. */
export interface ConnectionRequestRejectedPayload extends ConnectionRequestResolution {
  status: 'rejected';
}

export interface ConnectionRequestMissedPayload extends ConnectionRequestResolution {
  status: 'missed';
}

/**
 * Extension, connection.request.closed: a pending request ended without a reply for a reason other than
 * expiry (e.g. the other account was deleted). `closureReason` says why; the request is `closed`.
 */
export interface ConnectionRequestClosedPayload extends ConnectionRequestResolution {
  status: 'closed';
  closureReason: string | null;
}

export interface ConnectionClosedPayload {
  connectionId: string;
  type: 'connection';
  status: 'closed';
  closedByUserId: string;
  closureReason: string | null;
  closedAt: string;
  /** The participant who did not close it. */
  recipientId: string;
}

export interface ConnectionHistoryPayload {
  activeConnections: Connection[];
  closedConnections: Connection[];
}

/** To the recipient without `status`; to the sender with `status: 'sent'`. */
export interface ConnectionRingRelayPayload {
  status?: 'sent';
  fromUserId: string;
  recipientId: string;
  fromUser: User;
}
