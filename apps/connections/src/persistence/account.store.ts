import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** The deleted-accounts projection, fed by auth.user_deleted. */
@Injectable()
export class AccountStore {
  async markDeleted(manager: EntityManager, userId: string, deletedAt: Date): Promise<void> {
    await manager.query(
      'INSERT INTO deleted_users (user_id, deleted_at) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING',
      [userId, deletedAt],
    );
  }

  async anyDeleted(manager: EntityManager, userIds: readonly string[]): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM deleted_users WHERE user_id = ANY($1) LIMIT 1', [userIds]);
    return rows.length > 0;
  }
}
