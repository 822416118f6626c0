import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RequestRecord } from '../model/records';
import { returning } from './sql';

const COLUMNS = `id, sender_id AS "senderId", recipient_id AS "recipientId", user_a_id AS "userAId",
  user_b_id AS "userBId", status, closure_reason AS "closureReason", created_at AS "createdAt",
  expires_at AS "expiresAt", resolved_at AS "resolvedAt"`;

/** SQL for connection requests. Every method takes the manager of the caller's transaction (or the default one). */
@Injectable()
export class RequestStore {
  async insert(manager: EntityManager, record: RequestRecord): Promise<RequestRecord> {
    const rows: RequestRecord[] = await manager.query(
      `INSERT INTO connection_requests
         (id, sender_id, recipient_id, user_a_id, user_b_id, status, closure_reason, created_at, expires_at, resolved_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
      [
        record.id,
        record.senderId,
        record.recipientId,
        record.userAId,
        record.userBId,
        record.status,
        record.closureReason,
        record.createdAt,
        record.expiresAt,
        record.resolvedAt,
      ],
    );
    return one(rows);
  }

  async findById(manager: EntityManager, id: string): Promise<RequestRecord | undefined> {
    const rows: RequestRecord[] = await manager.query(`SELECT ${COLUMNS} FROM connection_requests WHERE id = $1`, [id]);
    return rows[0];
  }

  /** Locks the row until the transaction ends; a concurrent resolution is seen once it committed. */
  async lockById(manager: EntityManager, id: string): Promise<RequestRecord | undefined> {
    const rows: RequestRecord[] = await manager.query(
      `SELECT ${COLUMNS} FROM connection_requests WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  /** The pair's pending request (there is at most one), locked. */
  async lockPendingOfPair(manager: EntityManager, userAId: string, userBId: string): Promise<RequestRecord | undefined> {
    const rows: RequestRecord[] = await manager.query(
      `SELECT ${COLUMNS} FROM connection_requests
        WHERE user_a_id = $1 AND user_b_id = $2 AND status = 'pending' FOR UPDATE`,
      [userAId, userBId],
    );
    return rows[0];
  }

  /**
   * Resolves pending requests, but only those still pending (and, for `missed`, actually due at `now`):
   * the conditional UPDATE is the claim, so when the job, an accept and a send race for the same request
   * exactly one of them changes it and gets it back. `resolved_at` is the expiry instant for a miss, `now`
   * otherwise.
   */
  async resolve(
    manager: EntityManager,
    ids: readonly string[],
    outcome: { status: 'accepted' | 'rejected' | 'missed' | 'closed'; closureReason?: string | null },
    now: Date,
  ): Promise<RequestRecord[]> {
    if (ids.length === 0) return [];
    const dueOnly = outcome.status === 'missed' ? 'AND expires_at <= $3' : '';
    return returning<RequestRecord>(
      manager,
      `UPDATE connection_requests
          SET status = $2,
              closure_reason = $4,
              resolved_at = CASE WHEN $2 = 'missed' THEN expires_at ELSE $3::timestamptz END
        WHERE id = ANY($1) AND status = 'pending' ${dueOnly}
        RETURNING ${COLUMNS}`,
      [ids, outcome.status, now, outcome.closureReason ?? null],
    );
  }

  /** Pending requests due at `now`, oldest due first: candidates for the expiry job (not locked). */
  async findDue(manager: EntityManager, now: Date, limit: number): Promise<RequestRecord[]> {
    return manager.query(
      `SELECT ${COLUMNS} FROM connection_requests
        WHERE status = 'pending' AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2`,
      [now, limit],
    );
  }

  /** Pending requests (due or not) involving `userId`, locked: applying an account deletion. */
  async lockPendingOfUser(manager: EntityManager, userId: string): Promise<RequestRecord[]> {
    return manager.query(
      `SELECT ${COLUMNS} FROM connection_requests
        WHERE (sender_id = $1 OR recipient_id = $1) AND status = 'pending' ORDER BY id FOR UPDATE`,
      [userId],
    );
  }

  /**
   * Every pending request of the user plus the newest `historyLimit` requests: a pending request is
   * always among a user's newest rows, since requests resolve within their TTL.
   */
  async listForUser(manager: EntityManager, userId: string, historyLimit: number): Promise<RequestRecord[]> {
    return manager.query(
      `(SELECT ${COLUMNS} FROM connection_requests WHERE sender_id = $1 AND status = 'pending')
       UNION
       (SELECT ${COLUMNS} FROM connection_requests WHERE recipient_id = $1 AND status = 'pending')
       UNION
       (SELECT ${COLUMNS} FROM (
          (SELECT * FROM connection_requests WHERE sender_id = $1 ORDER BY created_at DESC LIMIT $2)
          UNION ALL
          (SELECT * FROM connection_requests WHERE recipient_id = $1 ORDER BY created_at DESC LIMIT $2)
        ) recent ORDER BY created_at DESC LIMIT $2)`,
      [userId, historyLimit],
    );
  }
}

function one<T>(rows: T[]): T {
  const [row] = rows;
  if (!row) throw new Error('expected one row');
  return row;
}
