import { type User } from './user';

export type ConnectionRequestStatus = 'pending' | 'accepted' | 'declined' | 'missed' | 'closed';

/** From the viewer's side: `incoming` when the other user sent it. */
export type ConnectionDirection = 'incoming' | 'outgoing';

/**
 * A connection request as seen by one participant. Several fields are aliases kept for client
 * compatibility (id = requestId, senderId = fromUserId, receiverId = toUserId; name/age/avatar
 * mirror `user`).
 */
export interface ConnectionRequest {
  id: string;
  requestId: string;
  fromUserId: string;
  toUserId: string;
  senderId: string;
  receiverId: string;
  /** The other user. */
  user: User;
  userId: string;
  name: string;
  /** Mirrors User.age, which is nullable. */
  age: number | null;
  /** Always present, even when null. */
  avatar: string | null;
  snippet: string;
  direction: ConnectionDirection;
  status: ConnectionRequestStatus;
  /** Raw server-side status, for backwards compatibility. */
  legacyStatus: string;
  closureReason: string | null;
  createdAt: string;
  resolvedAt: string | null;
  /** Null once the request is no longer pending. */
  expiresAt: string | null;
}
