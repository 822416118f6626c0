import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@gisbi/platform';

export class InitGifts1764720000000 implements MigrationInterface {
  name = 'InitGifts1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createEventTables(queryRunner);
    await queryRunner.query(`
      CREATE TABLE sponsored_gifts (
        id text PRIMARY KEY,
        campaign_id text NOT NULL,
        connection_id text NOT NULL,
        user_a_id text NOT NULL,
        user_b_id text NOT NULL,
        status text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE sponsored_gifts');
    await dropEventTables(queryRunner);
  }
}
