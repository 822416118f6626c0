import type { Connection, ConnectionClosedPayload, ConnectionRecord, User } from '@gisbi/contracts';
import { otherOf } from './pair';
import type { ConnectionRow } from './records';

/** What other services contribute to a connection list item: liveness (presence), together-time (proximity). */
export interface ConnectionEnrichment {
  isOnline: boolean;
  accumulatedMinutes: number;
  nextMilestoneMinutes: number | null;
}

/**
 * The contract's Connection for one viewer. `status` is the model's `accepted | closed`; the
 * connection.request.accept example shows `active` for a connection that was just made, so the accept
 * event asks for that with `activeStatus: 'active'`. `legacyStatus` is always the stored value.
 */
export function toConnection(
  row: ConnectionRow,
  viewerId: string,
  other: User,
  enrichment: ConnectionEnrichment,
  options: { activeStatus?: 'accepted' | 'active' } = {},
): Connection {
  return {
    connectionId: row.id,
    user: other,
    isOnline: enrichment.isOnline,
    accumulatedMinutes: enrichment.accumulatedMinutes,
    nextMilestoneMinutes: enrichment.nextMilestoneMinutes,
    direction: row.senderId === viewerId ? 'outgoing' : 'incoming',
    type: 'connection',
    status: row.status === 'active' ? (options.activeStatus ?? 'accepted') : 'closed',
    legacyStatus: row.status,
    senderId: row.senderId,
    receiverId: row.receiverId,
    name: other.name,
    age: other.age,
    avatar: other.avatar,
    snippet: other.vibe ?? '',
    closureReason: row.closureReason,
    closedByUserId: row.closedByUserId,
    connectedLocation: row.connectedLocation,
    createdAt: row.createdAt.toISOString(),
    // The connection is created at the instant its request is accepted.
    resolvedAt: row.createdAt.toISOString(),
    closedAt: row.closedAt ? row.closedAt.toISOString() : null,
  };
}

/** connection.close for both participants; `recipientId` is the participant who did not close it. */
export function toClosedPayload(row: ConnectionRow): ConnectionClosedPayload {
  if (row.status !== 'closed' || !row.closedAt || !row.closedByUserId) {
    throw new Error(`connection ${row.id} is not closed`);
  }
  return {
    connectionId: row.id,
    type: 'connection',
    status: 'closed',
    closedByUserId: row.closedByUserId,
    closureReason: row.closureReason,
    closedAt: row.closedAt.toISOString(),
    recipientId: otherOf(row, row.closedByUserId),
  };
}

/** The viewer-independent record other services get over RPC. */
export function toConnectionRecord(row: ConnectionRow): ConnectionRecord {
  return {
    connectionId: row.id,
    requestId: row.requestId,
    userAId: row.userAId,
    userBId: row.userBId,
    senderId: row.senderId,
    receiverId: row.receiverId,
    status: row.status,
    connectedLocation: row.connectedLocation,
    createdAt: row.createdAt.toISOString(),
    closedAt: row.closedAt ? row.closedAt.toISOString() : null,
  };
}
