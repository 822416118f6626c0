import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@gisbi/platform';

export class InitPresence1764720000000 implements MigrationInterface {
  name = 'InitPresence1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createEventTables(queryRunner);
    await queryRunner.query(`
      CREATE TABLE radar_visibility (
        user_id text PRIMARY KEY,
        is_on_radar boolean NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE user_profiles (
        user_id text PRIMARY KEY,
        profile jsonb NULL,
        deleted boolean NOT NULL DEFAULT false,
        source_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE blocks (
        blocker_id text NOT NULL,
        blocked_id text NOT NULL,
        is_blocked boolean NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (blocker_id, blocked_id)
      )`);
    await queryRunner.query(`CREATE INDEX blocks_blocked_idx ON blocks (blocked_id) WHERE is_blocked`);
    await queryRunner.query(`
      CREATE TABLE peer_connections (
        connection_id text PRIMARY KEY,
        user_a_id text NOT NULL,
        user_b_id text NOT NULL,
        is_active boolean NOT NULL,
        changed_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX peer_connections_a_idx ON peer_connections (user_a_id) WHERE is_active`);
    await queryRunner.query(`CREATE INDEX peer_connections_b_idx ON peer_connections (user_b_id) WHERE is_active`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS peer_connections');
    await queryRunner.query('DROP TABLE IF EXISTS blocks');
    await queryRunner.query('DROP TABLE IF EXISTS user_profiles');
    await queryRunner.query('DROP TABLE IF EXISTS radar_visibility');
    await dropEventTables(queryRunner);
  }
}
