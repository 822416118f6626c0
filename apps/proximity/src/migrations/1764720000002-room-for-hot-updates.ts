import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runs, intervals and the pair aggregate are updated on every heartbeat without touching an indexed
 * column; leaving free space in each page lets Postgres do those as HOT updates (no index writes, no
 * index bloat).
 */
export class RoomForHotUpdates1764720000002 implements MigrationInterface {
  name = 'RoomForHotUpdates1764720000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE proximity_sessions SET (fillfactor = 70)`);
    await queryRunner.query(`ALTER TABLE verified_intervals SET (fillfactor = 80)`);
    await queryRunner.query(`ALTER TABLE proximity_connections SET (fillfactor = 80)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE proximity_connections RESET (fillfactor)`);
    await queryRunner.query(`ALTER TABLE verified_intervals RESET (fillfactor)`);
    await queryRunner.query(`ALTER TABLE proximity_sessions RESET (fillfactor)`);
  }
}
