import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@gisbi/platform';
import { CampaignEntity } from '../campaigns/campaign.entity';
import { assignConfig, type CampaignConfig } from '../campaigns/campaign-rules';
import { GIFTS_ENV, type GiftsEnv } from '../config/gifts-config';

/** Fixed IDs, so the seed is idempotent across restarts and replicas. */
export const DEMO_BRAND_ID = 'brand_01JS00000000000000DEM0GF01';
export const DEMO_CAMPAIGN_ID = 'camp_01JS00000000000000DEM0GF01';

/** The contract's example coordinates (Lagos). */
const LAGOS = { lat: 6.5244, lng: 3.3792 };

export const DEMO_CAMPAIGN: CampaignConfig = {
  name: 'Demo: Northline Coffee welcome reward (Lagos)',
  triggerTypes: ['connectionAccepted', 'proximityMilestone'],
  milestoneMinutes: [5, 15, 30],
  minTotalTogetherMinutes: 5,
  minDailyTogetherMinutes: null,
  minDistinctQualifyingDays: 0,
  requireActiveProximityForClaim: false,
  stock: null,
  perPairLimit: 4,
  perUserLimit: null,
  // Anywhere within 100 km of central Lagos: every local test run near the example coordinates qualifies.
  area: { ...LAGOS, radiusMeters: 100_000 },
  claimArea: null,
  startsAt: null,
  endsAt: null,
  timeZone: 'Africa/Lagos',
  title: 'Coffee for two',
  description: 'Two hand-brewed coffees and a pastry to share',
  terms: 'One reward per visit. Show the code at the counter. Valid while stock lasts.',
  rewardImageUrl: '/media/rewards/northline-coffee-for-two.png',
  tagline: 'Good company deserves good coffee.',
  venueName: 'Northline Coffee, Victoria Island',
  venueAddress: '2 Adeola Odeku Street, Lagos',
  rewardLifetimeMinutes: 7 * 24 * 60,
  codeLifetimeMinutes: 30,
};

/**
 * GIFTS_SEED_DEMO=true (local runs): a demonstration brand and an active campaign near the contract's
 * example coordinates, so a new user sees a reward granted end to end as soon as two users near Lagos
 * connect. Inserted with ON CONFLICT DO NOTHING: running it again, or on several replicas, changes nothing,
 * and edits made through the admin API are kept.
 */
@Injectable()
export class DemoSeed implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeed.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(GIFTS_ENV) private readonly env: GiftsEnv,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.env.GIFTS_SEED_DEMO) await this.seed();
  }

  async seed(): Promise<void> {
    const now = this.clock.now();
    const seeded = await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO brands (id, name, slug, logo, category, created_at, updated_at)
         VALUES ($1, 'Northline Coffee', 'northline-coffee', '/media/brands/northline-coffee.png', 'cafe', $2, $2)
         ON CONFLICT DO NOTHING`,
        [DEMO_BRAND_ID, now],
      );
      const [brand] = (await manager.query('SELECT id FROM brands WHERE id = $1', [DEMO_BRAND_ID])) as unknown[];
      if (!brand) {
        this.logger.warn('demo seed skipped: another brand already uses the slug northline-coffee');
        return false;
      }
      const campaign = manager.create(CampaignEntity, {
        id: DEMO_CAMPAIGN_ID,
        brandId: DEMO_BRAND_ID,
        status: 'active',
        grantedCount: 0,
        createdAt: now,
        updatedAt: now,
      });
      assignConfig(campaign, DEMO_CAMPAIGN);
      await manager.createQueryBuilder().insert().into(CampaignEntity).values(campaign).orIgnore().execute();
      return true;
    });
    if (seeded) this.logger.log(`demo brand ${DEMO_BRAND_ID} and campaign ${DEMO_CAMPAIGN_ID} are in place`);
  }
}
