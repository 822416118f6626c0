import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { DevicePlatform, DevicesForPushResponse, PushDevice, RegisterDeviceResponseDto } from '@gisbi/contracts';
import { Clock } from '@gisbi/platform';
import { AUTH_ENV, type AuthEnv } from '../config/auth-config';
import { UsersService } from '../users/users.service';

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Push tokens: one install = one token, owned by whoever registered it last. */
@Injectable()
export class DevicesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly clock: Clock,
    @Inject(AUTH_ENV) private readonly env: AuthEnv,
  ) {}

  async register(userId: string, token: string, platform: DevicePlatform): Promise<RegisterDeviceResponseDto> {
    await this.dataSource.transaction(async (manager) => {
      await this.users.lockActive(manager, userId, 'share');
      await this.registerIn(manager, userId, token, platform);
    });
    return { status: 'ok', device: { token, platform, isActive: true } };
  }

  /**
   * Upserts the token for `userId` inside the caller's transaction (which must hold a lock on the
   * user's row, so an account deletion cannot interleave). A token registered by another user moves to
   * this one. Beyond MAX_ACTIVE_DEVICES_PER_USER, the user's least recently registered tokens are
   * deactivated. Without a platform (sign-in may omit it), a platform known from earlier is kept.
   */
  async registerIn(manager: EntityManager, userId: string, token: string, platform: DevicePlatform | null): Promise<void> {
    const now = this.clock.now();
    const hash = tokenHash(token);
    await manager.query(
      `INSERT INTO devices (token_hash, token, user_id, platform, is_active, created_at, updated_at)
       VALUES ($1, $2, $3, $4, true, $5, $5)
       ON CONFLICT (token_hash) DO UPDATE
         SET user_id = EXCLUDED.user_id, platform = COALESCE(EXCLUDED.platform, devices.platform), is_active = true,
             updated_at = EXCLUDED.updated_at`,
      [hash, token, userId, platform, now],
    );
    await manager.query(
      `UPDATE devices SET is_active = false, updated_at = $4
        WHERE user_id = $1 AND is_active AND token_hash <> $2
          AND token_hash NOT IN (
            SELECT token_hash FROM devices
             WHERE user_id = $1 AND is_active AND token_hash <> $2
             ORDER BY updated_at DESC, token_hash
             LIMIT $3)`,
      [userId, hash, this.env.MAX_ACTIVE_DEVICES_PER_USER - 1, now],
    );
  }

  /** Deactivates one token, only if it belongs to `userId` (logout). */
  async deactivateOwned(manager: EntityManager, userId: string, token: string): Promise<number> {
    const result: [unknown[], number] = await manager.query(
      `UPDATE devices SET is_active = false, updated_at = $3 WHERE token_hash = $1 AND user_id = $2 AND is_active`,
      [tokenHash(token), userId, this.clock.now()],
    );
    return result[1];
  }

  /** Deactivates every device of a user (account deletion). */
  async deactivateAllIn(manager: EntityManager, userId: string): Promise<number> {
    const result: [unknown[], number] = await manager.query(
      `UPDATE devices SET is_active = false, updated_at = $2 WHERE user_id = $1 AND is_active`,
      [userId, this.clock.now()],
    );
    return result[1];
  }

  /** Deactivates tokens the push provider reported as unregistered or invalid, whoever owns them. */
  async deactivateTokens(tokens: string[]): Promise<number> {
    const hashes = [...new Set(tokens)].map(tokenHash);
    if (hashes.length === 0) return 0;
    const result: [unknown[], number] = await this.dataSource.query(
      `UPDATE devices SET is_active = false, updated_at = $2 WHERE token_hash = ANY($1) AND is_active`,
      [hashes, this.clock.now()],
    );
    return result[1];
  }

  /** Active devices of the given (not deleted) users, most recently registered first; one query. */
  async forPush(userIds: string[]): Promise<DevicesForPushResponse> {
    const devices: Record<string, PushDevice[]> = {};
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return { devices };
    const rows: Array<{ user_id: string; token: string; platform: DevicePlatform | null }> = await this.dataSource.query(
      `SELECT d.user_id, d.token, d.platform
         FROM devices d JOIN users u ON u.id = d.user_id
        WHERE d.user_id = ANY($1) AND d.is_active AND u.deleted_at IS NULL
        ORDER BY d.user_id, d.updated_at DESC, d.token_hash`,
      [unique],
    );
    for (const row of rows) (devices[row.user_id] ??= []).push({ token: row.token, platform: row.platform });
    return { devices };
  }
}
