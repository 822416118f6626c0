import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** What chat knows about a pair from its own projections and messages, read in one round trip. */
export interface PairState {
  /** An active connection joins them (connections.connection_accepted, not closed since). */
  connected: boolean;
  /** Either one blocks the other. */
  blocked: boolean;
  actorDeleted: boolean;
  targetDeleted: boolean;
  /** The target has sent the actor at least one message (so first contact is over). */
  targetReplied: boolean;
  /** At least one message went either way (proof that the target exists, unless deleted). */
  hasHistory: boolean;
}

export interface PairStateRow {
  connected: boolean;
  blocked: boolean;
  actor_deleted: boolean;
  target_deleted: boolean;
  target_replied: boolean;
  actor_wrote: boolean;
}

/**
 * The pair-state columns, for a SELECT whose parameters are $1/$2 = the pair in stored order,
 * $3 = the actor and $4 = the target. Every probe is a primary-key or index lookup.
 */
export const PAIR_STATE_COLUMNS = `
  EXISTS (SELECT 1 FROM pair_connections WHERE user_low = $1 AND user_high = $2 AND status = 'active') AS connected,
  EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $3 AND blocked_id = $4 AND blocked)
    OR EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $4 AND blocked_id = $3 AND blocked) AS blocked,
  EXISTS (SELECT 1 FROM deleted_users WHERE user_id = $3) AS actor_deleted,
  EXISTS (SELECT 1 FROM deleted_users WHERE user_id = $4) AS target_deleted,
  EXISTS (SELECT 1 FROM messages WHERE sender_id = $4 AND recipient_id = $3) AS target_replied,
  EXISTS (SELECT 1 FROM messages WHERE sender_id = $3 AND recipient_id = $4) AS actor_wrote`;

/** The pair in the order pair_connections stores it. */
export function orderPair(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

/** Parameters $1..$4 of PAIR_STATE_COLUMNS. */
export function pairStateParams(actorId: string, targetId: string): [string, string, string, string] {
  const [low, high] = orderPair(actorId, targetId);
  return [low, high, actorId, targetId];
}

export function toPairState(row: PairStateRow): PairState {
  return {
    connected: row.connected,
    blocked: row.blocked,
    actorDeleted: row.actor_deleted,
    targetDeleted: row.target_deleted,
    targetReplied: row.target_replied,
    hasHistory: row.target_replied || row.actor_wrote,
  };
}

/**
 * Relationship rules chat enforces, answered from projections fed by domain events (connections, blocks,
 * deleted accounts) — never by asking another service per message.
 */
@Injectable()
export class RelationshipState {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async pairState(
    actorId: string,
    targetId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<PairState> {
    const [row] = (await manager.query(
      `SELECT ${PAIR_STATE_COLUMNS}`,
      pairStateParams(actorId, targetId),
    )) as PairStateRow[];
    if (!row) throw new Error('pair state query returned no row');
    return toPairState(row);
  }
}
