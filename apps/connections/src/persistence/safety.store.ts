import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SafetyReportRow } from '../model/records';
import { returning } from './sql';

const REPORT_COLUMNS = `id, reporter_id AS "reporterId", reported_user_id AS "reportedUserId", reason, status,
  created_at AS "createdAt"`;

/** Blocks and safety reports. */
@Injectable()
export class SafetyStore {
  /** Inserts the block; false when it already existed. */
  async insertBlock(manager: EntityManager, blockerId: string, blockedId: string, now: Date): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING blocker_id`,
      [blockerId, blockedId, now],
    );
    return rows.length > 0;
  }

  /** Removes the block; false when there was none. */
  async deleteBlock(manager: EntityManager, blockerId: string, blockedId: string): Promise<boolean> {
    const rows = await returning<unknown>(
      manager,
      'DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2 RETURNING blocker_id',
      [blockerId, blockedId],
    );
    return rows.length > 0;
  }

  /** Whether either user blocked the other. */
  async isBlockedEitherWay(manager: EntityManager, firstId: string, secondId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1) LIMIT 1`,
      [firstId, secondId],
    );
    return rows.length > 0;
  }

  /** Users `userId` blocked, newest first. */
  async blockedBy(manager: EntityManager, userId: string): Promise<string[]> {
    const rows: Array<{ blockedId: string }> = await manager.query(
      'SELECT blocked_id AS "blockedId" FROM blocks WHERE blocker_id = $1 ORDER BY created_at DESC, blocked_id',
      [userId],
    );
    return rows.map((row) => row.blockedId);
  }

  /** Users who blocked `userId`: internal only (other services' filters), never shown to `userId`. */
  async blockersOf(manager: EntityManager, userId: string): Promise<string[]> {
    const rows: Array<{ blockerId: string }> = await manager.query(
      'SELECT blocker_id AS "blockerId" FROM blocks WHERE blocked_id = $1 ORDER BY created_at DESC, blocker_id',
      [userId],
    );
    return rows.map((row) => row.blockerId);
  }

  async insertReport(manager: EntityManager, report: SafetyReportRow): Promise<SafetyReportRow> {
    const rows: SafetyReportRow[] = await manager.query(
      `INSERT INTO safety_reports (id, reporter_id, reported_user_id, reason, status, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${REPORT_COLUMNS}`,
      [report.id, report.reporterId, report.reportedUserId, report.reason, report.status, report.createdAt],
    );
    const [row] = rows;
    if (!row) throw new Error('expected the inserted report');
    return row;
  }

  /** Reports filed by `reporterId`, newest first. */
  async reportsBy(manager: EntityManager, reporterId: string, limit: number): Promise<SafetyReportRow[]> {
    return manager.query(
      `SELECT ${REPORT_COLUMNS} FROM safety_reports WHERE reporter_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [reporterId, limit],
    );
  }
}
