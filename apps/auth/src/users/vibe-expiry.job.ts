import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainEvent, type User } from '@gisbi/contracts';
import { Clock, Deliverer, EventOutbox, message, PeriodicJobs } from '@gisbi/platform';
import { AUTH_ENV, type AuthEnv } from '../config/auth-config';

const BATCH = 200;

interface ExpiredRow {
  id: string;
  name: string;
  age: number | null;
  avatar: string | null;
  gender: string | null;
  expired_at: Date;
}

export interface ExpiredVibe {
  user: User;
  expiredAt: string;
}

/**
 * Clears vibes whose vibeExpiresAt has come. Each due row is claimed and cleared by one UPDATE
 * (rows locked by another replica are skipped, rows it already cleared no longer match), so with any
 * number of replicas every vibe expires exactly once: `auth.user_updated` is written in the same
 * transaction, and after commit the user's sockets get `vibe.expired` then `user.profile.updated`.
 */
@Injectable()
export class VibeExpiryJob implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly outbox: EventOutbox,
    private readonly deliverer: Deliverer,
    private readonly jobs: PeriodicJobs,
    @Inject(AUTH_ENV) private readonly env: AuthEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('vibe-expiry', this.env.JOB_POLL_INTERVAL_MS, () => this.expireDue());
  }

  /** Expires every due vibe (in batches); returns what this call expired. */
  async expireDue(): Promise<ExpiredVibe[]> {
    const expired: ExpiredVibe[] = [];
    for (;;) {
      const batch = await this.expireBatch();
      expired.push(...batch);
      if (batch.length < BATCH) return expired;
    }
  }

  private async expireBatch(): Promise<ExpiredVibe[]> {
    const now = this.clock.now();
    const batch = await this.dataSource.transaction(async (manager) => {
      // TypeORM answers an UPDATE with [rows, affected].
      const [rows]: [ExpiredRow[], number] = await manager.query(
        `WITH due AS (
           SELECT id, vibe_expires_at FROM users
            WHERE vibe_expires_at <= $1 AND deleted_at IS NULL
            ORDER BY vibe_expires_at
            LIMIT ${BATCH}
              FOR UPDATE SKIP LOCKED
         )
         UPDATE users u
            SET vibe = NULL, vibe_expires_at = NULL, updated_at = $1
           FROM due
          WHERE u.id = due.id
         RETURNING u.id, u.name, u.age, u.avatar, u.gender, due.vibe_expires_at AS expired_at`,
        [now],
      );
      const expiredVibes = rows.map(
        (row): ExpiredVibe => ({
          user: { id: row.id, name: row.name, age: row.age, avatar: row.avatar, gender: row.gender, vibe: null, vibeExpiresAt: null },
          expiredAt: row.expired_at.toISOString(),
        }),
      );
      for (const { user } of expiredVibes) await this.outbox.add(manager, DomainEvent.UserUpdated, { user });
      return expiredVibes;
    });
    if (batch.length > 0) {
      this.outbox.flushSoon();
      for (const { user, expiredAt } of batch) {
        this.deliverer.toUser(user.id, message('vibe.expired', { expiredAt }));
        this.deliverer.toUser(user.id, message('user.profile.updated', { user }));
      }
    }
    return batch;
  }
}
