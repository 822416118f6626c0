import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@gisbi/platform';

export class InitAuth1764720000000 implements MigrationInterface {
  name = 'InitAuth1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createEventTables(queryRunner);
    await queryRunner.query(`
      CREATE TABLE users (
        id text PRIMARY KEY,
        name text NOT NULL,
        age integer NULL CHECK (age >= 0),
        avatar text NULL,
        gender text NULL,
        vibe text NULL,
        vibe_expires_at timestamptz NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        deleted_at timestamptz NULL,
        deletion_reason text NULL,
        CHECK ((deleted_at IS NULL) = (deletion_reason IS NULL))
      )`);
    // The vibe-expiry job scans only users that have an expiring vibe.
    await queryRunner.query(
      `CREATE INDEX users_vibe_expires_at_idx ON users (vibe_expires_at) WHERE vibe_expires_at IS NOT NULL`,
    );

    // Accounts are keyed on (provider, sub), never on email.
    await queryRunner.query(`
      CREATE TABLE identities (
        provider text NOT NULL CHECK (provider IN ('google', 'apple')),
        subject text NOT NULL,
        user_id text NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL,
        last_login_at timestamptz NOT NULL,
        PRIMARY KEY (provider, subject)
      )`);
    await queryRunner.query(`CREATE INDEX identities_user_id_idx ON identities (user_id)`);

    // One row per login session (refresh-token family); only the jti of the one refresh token that may
    // still be presented is stored, never a token.
    await queryRunner.query(`
      CREATE TABLE sessions (
        id text PRIMARY KEY,
        user_id text NOT NULL REFERENCES users (id),
        current_token_id text NOT NULL,
        previous_token_id text NULL,
        rotated_at timestamptz NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NULL,
        revoked_reason text NULL
      )`);
    await queryRunner.query(`CREATE INDEX sessions_user_active_idx ON sessions (user_id) WHERE revoked_at IS NULL`);
    await queryRunner.query(`CREATE INDEX sessions_expires_at_idx ON sessions (expires_at)`);
    await queryRunner.query(`CREATE INDEX sessions_revoked_at_idx ON sessions (revoked_at) WHERE revoked_at IS NOT NULL`);

    // One install = one push token: the token (by its hash, tokens may exceed a btree entry) is the key.
    await queryRunner.query(`
      CREATE TABLE devices (
        token_hash text PRIMARY KEY,
        token text NOT NULL,
        user_id text NOT NULL REFERENCES users (id),
        platform text NOT NULL CHECK (platform IN ('ios', 'android', 'web')),
        is_active boolean NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX devices_user_active_idx ON devices (user_id, updated_at DESC) WHERE is_active`);
    await queryRunner.query(`CREATE INDEX devices_user_id_idx ON devices (user_id)`);

    // What the recording push transport "sent" (development and tests, when FCM is not configured).
    await queryRunner.query(`
      CREATE TABLE push_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id text NOT NULL,
        token text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        data jsonb NULL,
        collapse_key text NULL,
        outcome text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX push_attempts_user_idx ON push_attempts (user_id, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE push_attempts');
    await queryRunner.query('DROP TABLE devices');
    await queryRunner.query('DROP TABLE sessions');
    await queryRunner.query('DROP TABLE identities');
    await queryRunner.query('DROP TABLE users');
    await dropEventTables(queryRunner);
  }
}
