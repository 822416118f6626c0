import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { returning } from '../persistence/sql';

/** Last ring per directed pair, for the per-pair ring rate limit. */
@Injectable()
export class RingLimitStore {
  /**
   * Takes a ring slot for sender → recipient if the last one is at least `intervalMs` old, in one atomic
   * statement (replicas cannot both take it). False when rate limited.
   */
  async takeRingSlot(manager: EntityManager, senderId: string, recipientId: string, now: Date, intervalMs: number): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO ring_limits AS limits (sender_id, recipient_id, last_rung_at) VALUES ($1, $2, $3)
       ON CONFLICT (sender_id, recipient_id) DO UPDATE SET last_rung_at = EXCLUDED.last_rung_at
         WHERE limits.last_rung_at <= $4
       RETURNING sender_id`,
      [senderId, recipientId, now, new Date(now.getTime() - intervalMs)],
    );
    return rows.length > 0;
  }

  /** Forgets ring slots that can no longer limit anything. */
  async pruneRingSlots(manager: EntityManager, olderThan: Date): Promise<number> {
    const rows = await returning<unknown>(
      manager,
      `DELETE FROM ring_limits WHERE ctid IN (
         SELECT ctid FROM ring_limits WHERE last_rung_at < $1 LIMIT 1000) RETURNING sender_id`,
      [olderThan],
    );
    return rows.length;
  }
}
