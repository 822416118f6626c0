import type { DataSource } from 'typeorm';

/**
 * Applies a service's migrations. Safe to run twice and concurrently (several pods, a Job and a dev
 * start at once): a Postgres advisory lock keyed on the schema serialises runners, and TypeORM skips
 * what is already recorded in the schema's own migrations table.
 */
export async function runMigrations(dataSource: DataSource, schema: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`gisbi-migrations:${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`gisbi-migrations:${schema}`]).catch(() => undefined);
    await runner.release();
  }
}
