import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ConnectionRow } from '../model/records';
import { returning } from './sql';

const COLUMNS = `id, request_id AS "requestId", user_a_id AS "userAId", user_b_id AS "userBId",
  sender_id AS "senderId", receiver_id AS "receiverId", status, connected_location AS "connectedLocation",
  created_at AS "createdAt", closed_at AS "closedAt", closed_by_user_id AS "closedByUserId",
  closure_reason AS "closureReason"`;

@Injectable()
export class ConnectionStore {
  /**
   * Inserts an active connection unless the pair already has one (the partial unique index decides, so
   * this holds even without the caller's pair lock). Returns undefined when one exists.
   */
  async insertActive(manager: EntityManager, row: ConnectionRow): Promise<ConnectionRow | undefined> {
    const rows: ConnectionRow[] = await manager.query(
      `INSERT INTO connections
         (id, request_id, user_a_id, user_b_id, sender_id, receiver_id, status, connected_location, created_at,
          closed_at, closed_by_user_id, closure_reason)
       VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $8, NULL, NULL, NULL)
       ON CONFLICT (user_a_id, user_b_id) WHERE status = 'active' DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        row.id,
        row.requestId,
        row.userAId,
        row.userBId,
        row.senderId,
        row.receiverId,
        row.connectedLocation === null ? null : JSON.stringify(row.connectedLocation),
        row.createdAt,
      ],
    );
    return rows[0];
  }

  async findById(manager: EntityManager, id: string): Promise<ConnectionRow | undefined> {
    const rows: ConnectionRow[] = await manager.query(`SELECT ${COLUMNS} FROM connections WHERE id = $1`, [id]);
    return rows[0];
  }

  async findActiveBetween(manager: EntityManager, userAId: string, userBId: string): Promise<ConnectionRow | undefined> {
    const rows: ConnectionRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM connections WHERE user_a_id = $1 AND user_b_id = $2 AND status = 'active'`,
      [userAId, userBId],
    );
    return rows[0];
  }

  /**
   * Closes the given connections if still active (the conditional UPDATE is the claim: a connection is
   * closed once, by whoever gets there first). Returns the rows this call closed.
   */
  async close(
    manager: EntityManager,
    ids: readonly string[],
    closure: { closedByUserId: string; closureReason: string | null },
    now: Date,
  ): Promise<ConnectionRow[]> {
    if (ids.length === 0) return [];
    return returning<ConnectionRow>(
      manager,
      `UPDATE connections SET status = 'closed', closed_at = $2, closed_by_user_id = $3, closure_reason = $4
        WHERE id = ANY($1) AND status = 'active' RETURNING ${COLUMNS}`,
      [ids, now, closure.closedByUserId, closure.closureReason],
    );
  }

  /** Active connections of a user. */
  async findActiveOfUser(manager: EntityManager, userId: string): Promise<ConnectionRow[]> {
    return manager.query(
      `SELECT ${COLUMNS} FROM connections WHERE user_a_id = $1 AND status = 'active'
       UNION ALL
       SELECT ${COLUMNS} FROM connections WHERE user_b_id = $1 AND status = 'active'
       ORDER BY "createdAt" DESC, id DESC`,
      [userId],
    );
  }

  /** The user's most recently closed connections, newest closure first. */
  async findClosedOfUser(manager: EntityManager, userId: string, limit: number): Promise<ConnectionRow[]> {
    return manager.query(
      `SELECT ${COLUMNS} FROM connections WHERE user_a_id = $1 AND status = 'closed'
       UNION ALL
       SELECT ${COLUMNS} FROM connections WHERE user_b_id = $1 AND status = 'closed'
       ORDER BY "closedAt" DESC, id DESC LIMIT $2`,
      [userId, limit],
    );
  }
}
