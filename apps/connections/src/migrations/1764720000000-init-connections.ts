import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@gisbi/platform';

export class InitConnections1764720000000 implements MigrationInterface {
  name = 'InitConnections1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createEventTables(queryRunner);
    await queryRunner.query(`
      CREATE TABLE blocks (
        blocker_id text NOT NULL,
        blocked_id text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (blocker_id, blocked_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE blocks');
    await dropEventTables(queryRunner);
  }
}
