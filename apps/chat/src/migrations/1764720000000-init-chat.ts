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
        read_at timestamptz NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE messages');
    await dropEventTables(queryRunner);
  }
}
