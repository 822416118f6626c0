import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The run columns a heartbeat decides on; a change to any of them must refuse a heartbeat decided before it. */
const DECISION_COLUMNS = [
  'status',
  'activated_at',
  'active_since',
  'paused_at',
  'pause_reason',
  'ends_at',
  'ended_at',
  'end_reason',
  'a_confirmed_at',
  'b_confirmed_at',
  'accumulated_ms',
  'current_run_ms',
  'state',
  'pending_flags',
  'relay_suspected',
];

const row = (alias: 'OLD' | 'NEW') => `(${DECISION_COLUMNS.map((column) => `${alias}.${column}`).join(', ')})`;

/**
 * A run's `version` counts changes to what a heartbeat decides on, and only those. The optimistic
 * heartbeat's compare-and-set used the row's `xmin`, which every write changes — also the timer job moving
 * its wake-up column and the relay check claiming a run — so every few seconds a run's next heartbeat was
 * refused and paid for a second read and write. A trigger keeps the count, so no writer can forget it.
 * The exact pause deadline already lives in `state`; runs written before it did get it copied there, so
 * the `pause_due_at` column (a lower bound the timer job owns) is not a decision column.
 */
export class RunDecisionVersion1764720000003 implements MigrationInterface {
  name = 'RunDecisionVersion1764720000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE proximity_sessions ADD COLUMN version bigint NOT NULL DEFAULT 0`);
    await queryRunner.query(
      `UPDATE proximity_sessions
          SET state = state || jsonb_build_object('pauseDueAt', floor(extract(epoch FROM pause_due_at) * 1000)::bigint)
        WHERE NOT state ? 'pauseDueAt'`,
    );
    await queryRunner.query(`
      CREATE FUNCTION proximity_sessions_count_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.version := OLD.version + 1;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER proximity_sessions_version BEFORE UPDATE ON proximity_sessions
         FOR EACH ROW WHEN (${row('OLD')} IS DISTINCT FROM ${row('NEW')})
         EXECUTE FUNCTION proximity_sessions_count_version()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER proximity_sessions_version ON proximity_sessions`);
    await queryRunner.query(`DROP FUNCTION proximity_sessions_count_version()`);
    await queryRunner.query(`ALTER TABLE proximity_sessions DROP COLUMN version`);
  }
}
