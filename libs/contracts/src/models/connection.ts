import { type ConnectionDirection } from './connection-request';
import { type ConnectedLocation } from './location';
import { type User } from './user';

/**
 * The model lists `accepted | closed`; the contract's connection.request.accept example shows
 * `active` inside `connection`, so `active` is accepted as well.
 */
export type ConnectionStatus = 'accepted' | 'closed' | 'active';

/** Underlying stored status. */
export type ConnectionLegacyStatus = 'active' | 'closed';

/** A connection as seen by one participant. */
export interface Connection {
  connectionId: string;
  /** The other user. */
  user: User;
  /** Whether the other participant has an active socket session. */
  isOnline: boolean;
  /** Verified together-time, whole minutes. */
  accumulatedMinutes: number;
  nextMilestoneMinutes: number | null;
  /** Based on who initiated the request that became this connection. */
  direction: ConnectionDirection;
  type: 'connection';
  status: ConnectionStatus;
  legacyStatus: ConnectionLegacyStatus;
  senderId: string;
  receiverId: string;
  name: string;
  /** Mirrors User.age, which is nullable. */
  age: number | null;
  /** Always present, even when null. */
  avatar: string | null;
  /** The other user's vibe text; empty string when they have none. */
  snippet: string;
  closureReason: string | null;
  closedByUserId: string | null;
  connectedLocation: ConnectedLocation | null;
  createdAt: string;
  resolvedAt: string;
  closedAt: string | null;
}
