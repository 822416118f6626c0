import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@gisbi/platform';

export class InitProximity1764720000000 implements MigrationInterface {
  name = 'InitProximity1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createEventTables(queryRunner);

    // Projection of the connections service's connections (domain events, read-through on a miss), plus
    // the pair's verified-time aggregate. Every write to a connection's proximity state holds this row's lock.
    await queryRunner.query(`
      CREATE TABLE proximity_connections (
        connection_id text PRIMARY KEY,
        user_a_id text NOT NULL,
        user_b_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'closed')),
        accepted_at timestamptz NOT NULL,
        closed_at timestamptz NULL,
        close_reason text NULL,
        accumulated_ms bigint NOT NULL DEFAULT 0 CHECK (accumulated_ms >= 0),
        unlocked_milestones integer[] NOT NULL DEFAULT '{}',
        token_replays integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX proximity_connections_pair_ab_idx ON proximity_connections (user_a_id, user_b_id)`);
    await queryRunner.query(`CREATE INDEX proximity_connections_pair_ba_idx ON proximity_connections (user_b_id, user_a_id)`);

    // BLE tokens. accept_until is when the token stops being accepted: its expiry, or earlier when it was
    // replaced (re-issue/revocation: at once; rotation: after the grace). Rows outlive that (retention)
    // so a late presentation is recognised as a replay.
    await queryRunner.query(`
      CREATE TABLE proximity_tokens (
        token text PRIMARY KEY,
        connection_id text NOT NULL,
        user_id text NOT NULL,
        issued_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        accept_until timestamptz NOT NULL,
        replaced_at timestamptz NULL,
        replaced_reason text NULL CHECK (replaced_reason IN ('reissued', 'rotated', 'revoked')),
        grace_uses integer NOT NULL DEFAULT 0
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX proximity_tokens_current_idx ON proximity_tokens (connection_id, user_id) WHERE replaced_at IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX proximity_tokens_rotation_idx ON proximity_tokens (expires_at) WHERE replaced_at IS NULL`);
    await queryRunner.query(`CREATE INDEX proximity_tokens_retention_idx ON proximity_tokens (accept_until)`);

    // Runs of together-time. At most one non-ended run per connection.
    await queryRunner.query(`
      CREATE TABLE proximity_sessions (
        id text PRIMARY KEY,
        connection_id text NOT NULL,
        user_a_id text NOT NULL,
        user_b_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
        created_at timestamptz NOT NULL,
        activated_at timestamptz NULL,
        active_since timestamptz NULL,
        paused_at timestamptz NULL,
        pause_reason text NULL,
        ends_at timestamptz NULL,
        ended_at timestamptz NULL,
        end_reason text NULL,
        pause_due_at timestamptz NULL,
        a_confirmed_at timestamptz NULL,
        b_confirmed_at timestamptz NULL,
        accumulated_ms bigint NOT NULL DEFAULT 0,
        current_run_ms bigint NOT NULL DEFAULT 0,
        state jsonb NOT NULL,
        pending_flags integer NOT NULL DEFAULT 0,
        relay_suspected boolean NOT NULL DEFAULT false,
        last_distance_m double precision NULL,
        positions_due_at timestamptz NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX proximity_sessions_current_idx ON proximity_sessions (connection_id) WHERE status <> 'ended'`,
    );
    await queryRunner.query(
      `CREATE INDEX proximity_sessions_history_idx ON proximity_sessions (connection_id, activated_at DESC) WHERE activated_at IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX proximity_sessions_pause_due_idx ON proximity_sessions (pause_due_at) WHERE status = 'active'`);
    await queryRunner.query(`CREATE INDEX proximity_sessions_ends_idx ON proximity_sessions (ends_at) WHERE status = 'paused'`);
    await queryRunner.query(
      `CREATE INDEX proximity_sessions_positions_idx ON proximity_sessions (positions_due_at) WHERE status = 'active'`,
    );
    await queryRunner.query(`CREATE INDEX proximity_sessions_user_a_idx ON proximity_sessions (user_a_id) WHERE status <> 'ended'`);
    await queryRunner.query(`CREATE INDEX proximity_sessions_user_b_idx ON proximity_sessions (user_b_id) WHERE status <> 'ended'`);

    // Verified together-time as durable half-open intervals [started_at, ended_at) with their fraud flags.
    await queryRunner.query(`
      CREATE TABLE verified_intervals (
        id text PRIMARY KEY,
        connection_id text NOT NULL,
        session_id text NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz NOT NULL,
        flags integer NOT NULL DEFAULT 0,
        CHECK (ended_at > started_at)
      )`);
    await queryRunner.query(`CREATE INDEX verified_intervals_connection_idx ON verified_intervals (connection_id, started_at)`);

    // One row per pair and milestone: the primary key is what makes "exactly once" hold.
    await queryRunner.query(`
      CREATE TABLE proximity_milestones (
        connection_id text NOT NULL,
        milestone_minutes integer NOT NULL,
        gift_tier integer NOT NULL,
        reached_at timestamptz NOT NULL,
        accumulated_ms bigint NOT NULL,
        PRIMARY KEY (connection_id, milestone_minutes)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS proximity_milestones');
    await queryRunner.query('DROP TABLE IF EXISTS verified_intervals');
    await queryRunner.query('DROP TABLE IF EXISTS proximity_sessions');
    await queryRunner.query('DROP TABLE IF EXISTS proximity_tokens');
    await queryRunner.query('DROP TABLE IF EXISTS proximity_connections');
    await dropEventTables(queryRunner);
  }
}
