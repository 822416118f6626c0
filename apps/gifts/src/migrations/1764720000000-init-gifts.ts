import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@gisbi/platform';

export class InitGifts1764720000000 implements MigrationInterface {
  name = 'InitGifts1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createEventTables(queryRunner);

    await queryRunner.query(`
      CREATE TABLE brands (
        id text PRIMARY KEY,
        name text NOT NULL,
        slug text NOT NULL,
        logo text NULL,
        category text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX brands_slug_key ON brands (slug)`);

    // A venue's credential: only the SHA-256 of the key is stored.
    await queryRunner.query(`
      CREATE TABLE venue_keys (
        id text PRIMARY KEY,
        brand_id text NOT NULL REFERENCES brands (id),
        label text NOT NULL,
        key_hash text NOT NULL,
        key_hint text NOT NULL,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX venue_keys_hash_key ON venue_keys (key_hash)`);
    await queryRunner.query(`CREATE INDEX venue_keys_brand_idx ON venue_keys (brand_id, id)`);

    await queryRunner.query(`
      CREATE TABLE campaigns (
        id text PRIMARY KEY,
        brand_id text NOT NULL REFERENCES brands (id),
        name text NOT NULL,
        status text NOT NULL CHECK (status IN ('draft', 'active', 'paused', 'ended')),
        trigger_connection_accepted boolean NOT NULL,
        milestone_minutes integer[] NOT NULL,
        min_total_together_minutes integer NOT NULL,
        min_daily_together_minutes integer NULL,
        min_distinct_qualifying_days integer NOT NULL,
        require_active_proximity_for_claim boolean NOT NULL,
        stock integer NULL,
        granted_count integer NOT NULL DEFAULT 0,
        per_pair_limit integer NOT NULL,
        per_user_limit integer NULL,
        area_lat double precision NULL,
        area_lng double precision NULL,
        area_radius_meters double precision NULL,
        claim_lat double precision NULL,
        claim_lng double precision NULL,
        claim_radius_meters double precision NULL,
        starts_at timestamptz NULL,
        ends_at timestamptz NULL,
        time_zone text NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        terms text NOT NULL,
        reward_image_url text NULL,
        tagline text NULL,
        venue_name text NULL,
        venue_address text NULL,
        reward_lifetime_minutes integer NULL,
        code_lifetime_minutes integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT campaigns_stock_not_oversold CHECK (stock IS NULL OR granted_count <= stock)
      )`);
    await queryRunner.query(`CREATE INDEX campaigns_active_idx ON campaigns (created_at, id) WHERE status = 'active'`);
    await queryRunner.query(`CREATE INDEX campaigns_brand_idx ON campaigns (brand_id, id)`);
    await queryRunner.query(`CREATE INDEX campaigns_status_idx ON campaigns (status, id)`);
    await queryRunner.query(`CREATE INDEX campaigns_ending_idx ON campaigns (ends_at) WHERE status IN ('active', 'paused')`);

    // Projection of the connections service's connections (fed by its domain events).
    await queryRunner.query(`
      CREATE TABLE pair_connections (
        connection_id text PRIMARY KEY,
        user_a_id text NOT NULL,
        user_b_id text NOT NULL,
        connected_location jsonb NULL,
        accepted_at timestamptz NULL,
        closed_at timestamptz NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE sponsored_gifts (
        id text PRIMARY KEY,
        campaign_id text NOT NULL REFERENCES campaigns (id),
        brand_id text NOT NULL REFERENCES brands (id),
        connection_id text NOT NULL,
        user_a_id text NOT NULL,
        user_b_id text NOT NULL,
        pair_key text NOT NULL,
        trigger_type text NOT NULL CHECK (trigger_type IN ('connectionAccepted', 'proximityMilestone')),
        milestone_minutes integer NULL,
        trigger_key text NOT NULL,
        min_total_together_minutes integer NOT NULL,
        min_daily_together_minutes integer NULL,
        min_distinct_qualifying_days integer NOT NULL,
        require_active_proximity_for_claim boolean NOT NULL,
        time_zone text NOT NULL,
        claim_lat double precision NULL,
        claim_lng double precision NULL,
        claim_radius_meters double precision NULL,
        code_lifetime_minutes integer NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        terms text NOT NULL,
        reward_image_url text NULL,
        tagline text NULL,
        venue_name text NULL,
        venue_address text NULL,
        status text NOT NULL CHECK (status IN ('active', 'redeemed', 'expired', 'cancelled')),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NULL,
        active_code_id text NULL,
        code_expires_at timestamptz NULL,
        verified_at timestamptz NULL,
        last_code_expired_at timestamptz NULL,
        redeemed_at timestamptz NULL,
        expired_at timestamptz NULL,
        cancelled_at timestamptz NULL,
        cancel_reason text NULL,
        grant_snapshot jsonb NOT NULL,
        claim_snapshot jsonb NULL
      )`);
    // At most one reward per campaign, pair and trigger occurrence, however often an event is delivered.
    await queryRunner.query(
      `CREATE UNIQUE INDEX sponsored_gifts_occurrence_key ON sponsored_gifts (campaign_id, pair_key, trigger_key)`,
    );
    await queryRunner.query(`CREATE INDEX sponsored_gifts_campaign_user_a_idx ON sponsored_gifts (campaign_id, user_a_id)`);
    await queryRunner.query(`CREATE INDEX sponsored_gifts_campaign_user_b_idx ON sponsored_gifts (campaign_id, user_b_id)`);
    await queryRunner.query(`CREATE INDEX sponsored_gifts_user_a_history_idx ON sponsored_gifts (user_a_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX sponsored_gifts_user_b_history_idx ON sponsored_gifts (user_b_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX sponsored_gifts_connection_idx ON sponsored_gifts (connection_id) WHERE status = 'active'`);
    await queryRunner.query(`CREATE INDEX sponsored_gifts_pair_idx ON sponsored_gifts (pair_key) WHERE status = 'active'`);
    await queryRunner.query(
      `CREATE INDEX sponsored_gifts_expiry_idx ON sponsored_gifts (expires_at) WHERE status = 'active' AND expires_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX sponsored_gifts_code_expiry_idx ON sponsored_gifts (code_expires_at) WHERE status = 'active' AND active_code_id IS NOT NULL`,
    );

    // Redemption codes: one per successful claim; a venue redeems a code once.
    await queryRunner.query(`
      CREATE TABLE redemption_codes (
        id text PRIMARY KEY,
        gift_id text NOT NULL REFERENCES sponsored_gifts (id),
        brand_id text NOT NULL,
        code text NOT NULL,
        claimed_by_user_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'redeemed', 'expired', 'void')),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        redeemed_at timestamptz NULL,
        venue_key_id text NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX redemption_codes_code_key ON redemption_codes (code)`);
    await queryRunner.query(`CREATE UNIQUE INDEX redemption_codes_one_active_key ON redemption_codes (gift_id) WHERE status = 'active'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE redemption_codes');
    await queryRunner.query('DROP TABLE sponsored_gifts');
    await queryRunner.query('DROP TABLE pair_connections');
    await queryRunner.query('DROP TABLE campaigns');
    await queryRunner.query('DROP TABLE venue_keys');
    await queryRunner.query('DROP TABLE brands');
    await dropEventTables(queryRunner);
  }
}
