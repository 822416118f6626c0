import type { QueryRunner } from 'typeorm';

/**
 * Tables every service schema carries for domain events: the transactional outbox it publishes from and
 * the inbox that makes its consumers idempotent. Call from the service's first migration.
 */
export async function createEventTables(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE outbox_events (
      id text PRIMARY KEY,
      name text NOT NULL,
      payload jsonb NOT NULL,
      occurred_at timestamptz NOT NULL,
      published_at timestamptz NULL,
      attempts integer NOT NULL DEFAULT 0,
      trace_context text NULL
    )`);
  await queryRunner.query(`CREATE INDEX outbox_events_unpublished_idx ON outbox_events (id) WHERE published_at IS NULL`);
  await queryRunner.query(`
    CREATE TABLE processed_events (
      event_id text NOT NULL,
      consumer text NOT NULL,
      processed_at timestamptz NOT NULL,
      PRIMARY KEY (event_id, consumer)
    )`);
}

export async function dropEventTables(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query('DROP TABLE IF EXISTS processed_events');
  await queryRunner.query('DROP TABLE IF EXISTS outbox_events');
}
