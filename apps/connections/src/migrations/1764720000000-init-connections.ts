import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@gisbi/platform';

export class InitConnections1764720000000 implements MigrationInterface {
  name = 'InitConnections1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createEventTables(queryRunner);

    // user_a_id < user_b_id is the pair in a stable order, so "between A and B" is one index lookup.
    // status is the stored (legacy) value: 'rejected' is shown to clients as 'declined'.
    await queryRunner.query(`
      CREATE TABLE connection_requests (
        id text PRIMARY KEY,
        sender_id text NOT NULL,
        recipient_id text NOT NULL,
        user_a_id text NOT NULL,
        user_b_id text NOT NULL,
        status text NOT NULL,
        closure_reason text NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        resolved_at timestamptz NULL,
        CONSTRAINT connection_requests_status_check
          CHECK (status IN ('pending', 'accepted', 'rejected', 'missed', 'closed')),
        CONSTRAINT connection_requests_pair_order_check CHECK (user_a_id < user_b_id),
        CONSTRAINT connection_requests_pair_check CHECK (
          (sender_id = user_a_id AND recipient_id = user_b_id) OR (sender_id = user_b_id AND recipient_id = user_a_id)),
        CONSTRAINT connection_requests_resolved_check CHECK ((status = 'pending') = (resolved_at IS NULL))
      )`);
    // At most one pending request per pair, whichever direction.
    await queryRunner.query(`
      CREATE UNIQUE INDEX connection_requests_pending_pair_uq
        ON connection_requests (user_a_id, user_b_id) WHERE status = 'pending'`);
    // The expiry job: pending requests by due time.
    await queryRunner.query(`
      CREATE INDEX connection_requests_due_idx ON connection_requests (expires_at) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX connection_requests_sender_idx ON connection_requests (sender_id, created_at DESC)`);
    await queryRunner.query(
      `CREATE INDEX connection_requests_recipient_idx ON connection_requests (recipient_id, created_at DESC)`,
    );

    await queryRunner.query(`
      CREATE TABLE connections (
        id text PRIMARY KEY,
        request_id text NOT NULL REFERENCES connection_requests (id),
        user_a_id text NOT NULL,
        user_b_id text NOT NULL,
        sender_id text NOT NULL,
        receiver_id text NOT NULL,
        status text NOT NULL,
        connected_location jsonb NULL,
        created_at timestamptz NOT NULL,
        closed_at timestamptz NULL,
        closed_by_user_id text NULL,
        closure_reason text NULL,
        CONSTRAINT connections_request_uq UNIQUE (request_id),
        CONSTRAINT connections_status_check CHECK (status IN ('active', 'closed')),
        CONSTRAINT connections_pair_order_check CHECK (user_a_id < user_b_id),
        CONSTRAINT connections_closed_check CHECK ((status = 'closed') = (closed_at IS NOT NULL))
      )`);
    // The invariant everything else relies on: one active connection per pair.
    await queryRunner.query(`
      CREATE UNIQUE INDEX connections_active_pair_uq ON connections (user_a_id, user_b_id) WHERE status = 'active'`);
    await queryRunner.query(`CREATE INDEX connections_user_a_idx ON connections (user_a_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX connections_user_b_idx ON connections (user_b_id, created_at DESC)`);

    await queryRunner.query(`
      CREATE TABLE blocks (
        blocker_id text NOT NULL,
        blocked_id text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (blocker_id, blocked_id),
        CONSTRAINT blocks_not_self_check CHECK (blocker_id <> blocked_id)
      )`);
    await queryRunner.query(`CREATE INDEX blocks_blocked_idx ON blocks (blocked_id)`);

    await queryRunner.query(`
      CREATE TABLE safety_reports (
        id text PRIMARY KEY,
        reporter_id text NOT NULL,
        reported_user_id text NOT NULL,
        reason text NOT NULL,
        status text NOT NULL,
        created_at timestamptz NOT NULL,
        CONSTRAINT safety_reports_status_check CHECK (status IN ('open', 'reviewing', 'resolved')),
        CONSTRAINT safety_reports_not_self_check CHECK (reporter_id <> reported_user_id)
      )`);
    await queryRunner.query(`CREATE INDEX safety_reports_reporter_idx ON safety_reports (reporter_id, created_at DESC)`);
    // Moderation: reports about one user.
    await queryRunner.query(
      `CREATE INDEX safety_reports_reported_idx ON safety_reports (reported_user_id, created_at DESC)`,
    );

    // Last ring per directed pair, for the per-pair rate limit.
    await queryRunner.query(`
      CREATE TABLE ring_limits (
        sender_id text NOT NULL,
        recipient_id text NOT NULL,
        last_rung_at timestamptz NOT NULL,
        PRIMARY KEY (sender_id, recipient_id)
      )`);
    await queryRunner.query(`CREATE INDEX ring_limits_last_rung_idx ON ring_limits (last_rung_at)`);

    // Projection of auth.user_deleted: deleted accounts can no longer be targeted.
    await queryRunner.query(`
      CREATE TABLE deleted_users (
        user_id text PRIMARY KEY,
        deleted_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE deleted_users');
    await queryRunner.query('DROP TABLE ring_limits');
    await queryRunner.query('DROP TABLE safety_reports');
    await queryRunner.query('DROP TABLE blocks');
    await queryRunner.query('DROP TABLE connections');
    await queryRunner.query('DROP TABLE connection_requests');
    await dropEventTables(queryRunner);
  }
}
