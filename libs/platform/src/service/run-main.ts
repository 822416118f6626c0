import { DataSource } from 'typeorm';
import { buildDataSourceOptions, type ServiceDatabaseOptions } from '../database/data-source-options';
import { runMigrations } from '../database/run-migrations';

/** Applies one service's migrations and exits: what the Kubernetes migration Job runs (`main.js migrate`). */
export async function migrateServiceSchema(options: ServiceDatabaseOptions): Promise<string[]> {
  const dataSource = await new DataSource(buildDataSourceOptions(options)).initialize();
  try {
    return await runMigrations(dataSource, options.schema);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Entry point of every app: `main.js` starts the service, `main.js migrate` only migrates. A start-up
 * failure (bad configuration, unreachable dependency) prints one clear line and exits non-zero.
 */
export function runMain(entry: { start: () => Promise<unknown>; migrate?: () => Promise<string[]> }): void {
  const command = process.argv[2] ?? 'start';
  const run = async () => {
    if (command === 'migrate') {
      if (!entry.migrate) throw new Error('This app has no database to migrate');
      const applied = await entry.migrate();
      console.log(JSON.stringify({ msg: 'migrations applied', applied }));
      process.exit(0);
    }
    if (command !== 'start') throw new Error(`Unknown command "${command}" (use start or migrate)`);
    await entry.start();
  };
  run().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
