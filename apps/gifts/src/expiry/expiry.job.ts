import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Clock, PeriodicJobs } from '@gisbi/platform';
import { GIFTS_ENV, type GiftsEnv } from '../config/gifts-config';
import { RewardNotifier } from '../rewards/reward-notifier';
import { SponsoredGiftEntity } from '../rewards/sponsored-gift.entity';

export interface ExpiryRun {
  expiredRewards: string[];
  expiredCodes: string[];
  endedCampaigns: string[];
}

/**
 * Time-driven transitions, run by every replica on JOB_POLL_INTERVAL_MS. Each step claims due rows with
 * `FOR UPDATE SKIP LOCKED` and changes them with a status condition, so each item transitions exactly once
 * however many replicas run, and only the replica that changed it tells the users:
 *
 * - rewards past `expiresAt` become `expired` (a live code with them);
 * - live codes past `codeExpiresAt` lapse; the reward goes back to `granted` and can be claimed again;
 * - active or paused campaigns past `endsAt` become `ended`.
 */
@Injectable()
export class ExpiryJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(ExpiryJob.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifier: RewardNotifier,
    private readonly jobs: PeriodicJobs,
    private readonly clock: Clock,
    @Inject(GIFTS_ENV) private readonly env: GiftsEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('gifts.expiry', this.env.JOB_POLL_INTERVAL_MS, () => this.runOnce());
  }

  async runOnce(): Promise<ExpiryRun> {
    const expiredRewards = await this.drain(() => this.expireRewards());
    const expiredCodes = await this.drain(() => this.expireCodes());
    const endedCampaigns = await this.endCampaigns();
    return { expiredRewards, expiredCodes, endedCampaigns };
  }

  /** Rewards whose lifetime is over; their live code goes with them. */
  async expireRewards(): Promise<string[]> {
    const now = this.clock.now();
    const [rows] = (await this.dataSource.query(
      `WITH due AS (
         SELECT id FROM sponsored_gifts
          WHERE status = 'active' AND expires_at IS NOT NULL AND expires_at <= $1
          ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), codes AS (
         UPDATE redemption_codes c SET status = 'expired' FROM due WHERE c.gift_id = due.id AND c.status = 'active'
       )
       UPDATE sponsored_gifts g SET status = 'expired', expired_at = $1
         FROM due WHERE g.id = due.id AND g.status = 'active'
       RETURNING g.id`,
      [now, this.env.GIFTS_EXPIRY_BATCH_SIZE],
    )) as [Array<{ id: string }>, number];
    return this.announce(rows.map((row) => row.id), 'expired');
  }

  /** Live codes past their expiry: the code lapses, the reward stays claimable for a new one. */
  async expireCodes(): Promise<string[]> {
    const now = this.clock.now();
    const [rows] = (await this.dataSource.query(
      `WITH due AS (
         SELECT id, active_code_id FROM sponsored_gifts
          WHERE status = 'active' AND active_code_id IS NOT NULL AND code_expires_at <= $1
            AND (expires_at IS NULL OR expires_at > $1)
          ORDER BY code_expires_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), codes AS (
         UPDATE redemption_codes c SET status = 'expired' FROM due WHERE c.id = due.active_code_id AND c.status = 'active'
       )
       UPDATE sponsored_gifts g
          SET active_code_id = NULL, verified_at = NULL, last_code_expired_at = g.code_expires_at, code_expires_at = NULL
         FROM due WHERE g.id = due.id AND g.status = 'active'
       RETURNING g.id`,
      [now, this.env.GIFTS_EXPIRY_BATCH_SIZE],
    )) as [Array<{ id: string }>, number];
    return this.announce(rows.map((row) => row.id), 'code expired');
  }

  async endCampaigns(): Promise<string[]> {
    const now = this.clock.now();
    const [rows] = (await this.dataSource.query(
      `UPDATE campaigns SET status = 'ended', updated_at = $1
        WHERE status IN ('active', 'paused') AND ends_at IS NOT NULL AND ends_at <= $1
        RETURNING id`,
      [now],
    )) as [Array<{ id: string }>, number];
    for (const row of rows) this.logger.log(`campaign ${row.id} ended (endsAt passed)`);
    return rows.map((row) => row.id);
  }

  private async drain(step: () => Promise<string[]>): Promise<string[]> {
    const all: string[] = [];
    for (;;) {
      const ids = await step();
      all.push(...ids);
      if (ids.length < this.env.GIFTS_EXPIRY_BATCH_SIZE) return all;
    }
  }

  private async announce(ids: string[], what: string): Promise<string[]> {
    if (ids.length === 0) return ids;
    this.logger.log(`${what}: ${ids.join(', ')}`);
    const gifts = await this.dataSource.manager.findBy(SponsoredGiftEntity, { id: In(ids) });
    await this.notifier.notify('gift.sponsored.updated', gifts);
    return ids;
  }
}
