import { Injectable, Logger } from '@nestjs/common';
import { RpcMethod, type ActiveBetweenRequest, type ActiveBetweenResponse, type ConnectionRecord } from '@gisbi/contracts';
import { NatsClient } from '@gisbi/platform';
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

/**
 * Records an active connection as its accept event does, whoever learned of it first (the event, or a
 * refusal that asked connections). DO NOTHING: if the close was applied first, the connection stays closed.
 */
export async function recordAcceptedConnection(
  manager: EntityManager,
  connection: { connectionId: string; userAId: string; userBId: string; acceptedAt: string },
): Promise<void> {
  const [low, high] = orderPair(connection.userAId, connection.userBId);
  await manager.query(
    `INSERT INTO pair_connections (connection_id, user_low, user_high, status, accepted_at)
     VALUES ($1, $2, $3, 'active', $4)
     ON CONFLICT (connection_id) DO NOTHING`,
    [connection.connectionId, low, high, connection.acceptedAt],
  );
}

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

/** A refusal waits at most this long for connections' answer (a first-contact check holds a pair lock). */
const LOOKUP_TIMEOUT_MS = 1000;

/**
 * Relationship rules chat enforces, answered from projections fed by domain events (connections, blocks,
 * deleted accounts) — never by asking another service per message. Only a refusal for want of a
 * connection asks connections first (`learnConnection`): the accept's event may still be on its way.
 */
@Injectable()
export class RelationshipState {
  private readonly logger = new Logger(RelationshipState.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly nats: NatsClient,
  ) {}

  /**
   * Asks connections whether the pair has an active connection the projection does not show yet, and
   * records it as the accept event would (so the event, arriving later, changes nothing; a close applied
   * first keeps the row closed). True when the pair is connected now. A failed lookup counts as not
   * connected: the refusal it was about to confirm stands.
   */
  async learnConnection(actorId: string, targetId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    let connection: ConnectionRecord | null;
    try {
      ({ connection } = await this.nats.rpc<ActiveBetweenResponse, ActiveBetweenRequest>('connections', RpcMethod.connections.activeBetween, {
        userAId: actorId,
        userBId: targetId,
      }, LOOKUP_TIMEOUT_MS));
    } catch (error) {
      this.logger.debug(`active connection lookup failed: ${String(error)}`);
      return false;
    }
    if (connection?.status !== 'active') return false;
    // A connection is created at the instant its request is accepted.
    await recordAcceptedConnection(manager, { ...connection, acceptedAt: connection.createdAt });
    return (await this.pairState(actorId, targetId, manager)).connected;
  }

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
