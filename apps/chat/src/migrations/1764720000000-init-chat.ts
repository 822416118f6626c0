import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@gisbi/platform';

export class InitChat1764720000000 implements MigrationInterface {
  name = 'InitChat1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createEventTables(queryRunner);
    await queryRunner.query(`
      CREATE TABLE messages (
        id text PRIMARY KEY,
        sender_id text NOT NULL,
        recipient_id text NOT NULL,
        content text NOT NULL,
        created_at timestamptz NOT NULL,
        read_at timestamptz NULL,
        client_message_id text NULL,
        idempotency_key text NULL,
        CONSTRAINT messages_not_to_self CHECK (sender_id <> recipient_id)
      )`);
    // Idempotent send: one message per (sender, clientMessageId or envelope requestId).
    await queryRunner.query(`
      CREATE UNIQUE INDEX messages_idempotency_uq ON messages (sender_id, idempotency_key)
        WHERE idempotency_key IS NOT NULL`);
    // One direction of a conversation in (created_at, id) order: history pages (both directions are two
    // scans of this index), first-contact counts, "has the other side replied", sent-partner enumeration.
    await queryRunner.query(
      `CREATE INDEX messages_direction_idx ON messages (sender_id, recipient_id, created_at, id)`,
    );
    // Everyone who wrote to a user (loose index scan for the conversation list).
    await queryRunner.query(`CREATE INDEX messages_senders_idx ON messages (recipient_id, sender_id)`);
    // A user's latest messages: sent ...
    await queryRunner.query(`CREATE INDEX messages_sent_idx ON messages (sender_id, created_at, id)`);
    // ... and received; also the replay after lastSeenAt.
    await queryRunner.query(`CREATE INDEX messages_received_idx ON messages (recipient_id, created_at, id)`);
    // Unread only: unread counts per conversation and "mark everything up to here as read".
    await queryRunner.query(`
      CREATE INDEX messages_unread_idx ON messages (recipient_id, sender_id, created_at, id)
        WHERE read_at IS NULL`);

    // Projections fed by other services' domain events (never read from their tables).
    await queryRunner.query(`
      CREATE TABLE pair_connections (
        connection_id text PRIMARY KEY,
        user_low text NOT NULL,
        user_high text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'closed')),
        accepted_at timestamptz NULL,
        closed_at timestamptz NULL,
        CHECK (user_low < user_high)
      )`);
    await queryRunner.query(`
      CREATE INDEX pair_connections_active_idx ON pair_connections (user_low, user_high) WHERE status = 'active'`);
    await queryRunner.query(`
      CREATE TABLE blocks (
        blocker_id text NOT NULL,
        blocked_id text NOT NULL,
        blocked boolean NOT NULL,
        changed_at timestamptz NOT NULL,
        event_id text NOT NULL,
        PRIMARY KEY (blocker_id, blocked_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE deleted_users (
        user_id text PRIMARY KEY,
        deleted_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE deleted_users');
    await queryRunner.query('DROP TABLE blocks');
    await queryRunner.query('DROP TABLE pair_connections');
    await queryRunner.query('DROP TABLE messages');
    await dropEventTables(queryRunner);
  }
}
