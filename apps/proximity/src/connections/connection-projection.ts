import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  IdPrefix,
  isPrefixedId,
  RpcMethod,
  type ConnectionAcceptedEvent,
  type ConnectionClosedEvent,
  type ConnectionGetRequest,
  type ConnectionGetResponse,
} from '@gisbi/contracts';
import { Clock, NatsClient } from '@gisbi/platform';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PROXIMITY_SETTINGS, type ProximitySettings } from '../config/proximity-config';
import { queryOne, queryPrepared, queryRows, toNumber } from '../persistence/sql';

/** A connection as proximity knows it, with the pair's verified-time aggregate. */
export interface PairConnection {
  connectionId: string;
  userAId: string;
  userBId: string;
  status: 'active' | 'closed';
  accumulatedMs: number;
  unlockedMilestones: number[];
}

interface ConnectionRow {
  connection_id: string;
  user_a_id: string;
  user_b_id: string;
  status: 'active' | 'closed';
  accumulated_ms: string;
  unlocked_milestones: number[];
}

const COLUMNS = 'connection_id, user_a_id, user_b_id, status, accumulated_ms, unlocked_milestones';

export function connectionFromRow(row: ConnectionRow): PairConnection {
  return {
    connectionId: row.connection_id,
    userAId: row.user_a_id,
    userBId: row.user_b_id,
    status: row.status,
    accumulatedMs: toNumber(row.accumulated_ms),
    unlockedMilestones: row.unlocked_milestones ?? [],
  };
}

export function isParticipant(connection: PairConnection, userId: string): boolean {
  return connection.userAId === userId || connection.userBId === userId;
}

/**
 * The proximity service's projection of connections, fed by the connections service's domain events.
 * On a miss (the accepted event not consumed yet) it reads through `connections.connection.get` once, so
 * a pair can use proximity the moment it is connected.
 */
@Injectable()
export class ConnectionProjection {
  private readonly logger = new Logger(ConnectionProjection.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly nats: NatsClient,
    private readonly clock: Clock,
    @Inject(PROXIMITY_SETTINGS) private readonly settings: ProximitySettings,
  ) {}

  /** Locks the connection's row for the rest of the transaction (every proximity write does this first). */
  async lock(manager: EntityManager, connectionId: string): Promise<PairConnection | undefined> {
    const [row] = await queryPrepared<ConnectionRow>(
      manager,
      'proximity_connection_lock',
      `SELECT ${COLUMNS} FROM proximity_connections WHERE connection_id = $1 FOR UPDATE`,
      [connectionId],
    );
    return row ? connectionFromRow(row) : undefined;
  }

  async find(connectionId: string, manager: EntityManager = this.dataSource.manager): Promise<PairConnection | undefined> {
    const row = await queryOne<ConnectionRow>(manager, `SELECT ${COLUMNS} FROM proximity_connections WHERE connection_id = $1`, [
      connectionId,
    ]);
    return row ? connectionFromRow(row) : undefined;
  }

  async findMany(connectionIds: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<PairConnection[]> {
    if (connectionIds.length === 0) return [];
    const rows = await queryRows<ConnectionRow>(
      manager,
      `SELECT ${COLUMNS} FROM proximity_connections WHERE connection_id = ANY($1)`,
      [connectionIds],
    );
    return rows.map(connectionFromRow);
  }

  /** The connection if `viewerId` is a participant, looking it up at the source when not projected yet. */
  async findForViewer(connectionId: string, viewerId: string): Promise<PairConnection | undefined> {
    let connection = await this.find(connectionId);
    if (!connection && (await this.learn(connectionId, viewerId))) connection = await this.find(connectionId);
    return connection && isParticipant(connection, viewerId) ? connection : undefined;
  }

  /**
   * Read-through on a miss: asks the connections service (as `viewerId`, so a foreign connection stays
   * unknown) and records what it says. Never reopens a closed connection. False when nothing was learnt.
   */
  async learn(connectionId: string, viewerId: string): Promise<boolean> {
    if (!isPrefixedId(IdPrefix.connection, connectionId)) return false;
    let response: ConnectionGetResponse;
    try {
      response = await this.nats.rpc<ConnectionGetResponse, ConnectionGetRequest>(
        'connections',
        RpcMethod.connections.connectionGet,
        { connectionId, viewerId },
        this.settings.connectionLookupTimeoutMs,
      );
    } catch (error) {
      this.logger.debug(`connection ${connectionId} read-through failed: ${String(error)}`);
      return false;
    }
    const record = response.connection;
    if (!record || record.connectionId !== connectionId) return false;
    await this.dataSource.manager.query(
      `INSERT INTO proximity_connections (connection_id, user_a_id, user_b_id, status, accepted_at, closed_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (connection_id) DO NOTHING`,
      [
        record.connectionId,
        record.userAId,
        record.userBId,
        record.status,
        new Date(record.createdAt),
        record.closedAt ? new Date(record.closedAt) : null,
        this.clock.now(),
      ],
    );
    return true;
  }

  /** connections.connection_accepted: a new active connection (a redelivery or a read-through already did it: no-op). */
  async recordAccepted(manager: EntityManager, event: ConnectionAcceptedEvent): Promise<void> {
    await manager.query(
      `INSERT INTO proximity_connections (connection_id, user_a_id, user_b_id, status, accepted_at, updated_at)
       VALUES ($1, $2, $3, 'active', $4, $5) ON CONFLICT (connection_id) DO NOTHING`,
      [event.connectionId, event.userAId, event.userBId, new Date(event.acceptedAt), this.clock.now()],
    );
  }

  /** connections.connection_closed: closes (or records as closed) and locks the row. */
  async recordClosed(manager: EntityManager, event: ConnectionClosedEvent): Promise<PairConnection> {
    const closedAt = new Date(event.closedAt);
    const row = await queryOne<ConnectionRow>(
      manager,
      `INSERT INTO proximity_connections (connection_id, user_a_id, user_b_id, status, accepted_at, closed_at, close_reason, updated_at)
       VALUES ($1, $2, $3, 'closed', $4, $4, $5, $6)
       ON CONFLICT (connection_id) DO UPDATE
         SET status = 'closed',
             closed_at = COALESCE(proximity_connections.closed_at, EXCLUDED.closed_at),
             close_reason = COALESCE(proximity_connections.close_reason, EXCLUDED.close_reason),
             updated_at = EXCLUDED.updated_at
       RETURNING ${COLUMNS}`,
      [event.connectionId, event.userAId, event.userBId, closedAt, event.closureReason ?? 'closed', this.clock.now()],
    );
    if (!row) throw new Error(`closing ${event.connectionId} returned no row`);
    return connectionFromRow(row);
  }

  /** connections.user_blocked: every active connection of the pair is over for proximity (rows locked). */
  async closeBetween(manager: EntityManager, userId: string, otherUserId: string, at: Date): Promise<PairConnection[]> {
    const rows = await queryRows<ConnectionRow>(
      manager,
      `UPDATE proximity_connections SET status = 'closed', closed_at = $3, close_reason = 'blocked', updated_at = $3
        WHERE ((user_a_id = $1 AND user_b_id = $2) OR (user_a_id = $2 AND user_b_id = $1)) AND status = 'active'
        RETURNING ${COLUMNS}`,
      [userId, otherUserId, at],
    );
    return rows.map(connectionFromRow);
  }

  async countReplay(manager: EntityManager, connectionId: string): Promise<void> {
    await manager.query(`UPDATE proximity_connections SET token_replays = token_replays + 1 WHERE connection_id = $1`, [connectionId]);
  }
}
