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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE radar_visibility');
    await dropEventTables(queryRunner);
  }
}
