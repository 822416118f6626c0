import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@gisbi/platform';

export class InitProximity1764720000000 implements MigrationInterface {
  name = 'InitProximity1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createEventTables(queryRunner);
    await queryRunner.query(`
      CREATE TABLE proximity_sessions (
        id text PRIMARY KEY,
        connection_id text NOT NULL,
        user_a_id text NOT NULL,
        user_b_id text NOT NULL,
        status text NOT NULL,
        started_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE proximity_sessions');
    await dropEventTables(queryRunner);
  }
}
