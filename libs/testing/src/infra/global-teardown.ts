import { Client } from 'pg';
import { INFRA_ENV } from './infra-endpoints';

/** Drops whatever databases this run left behind (a crashed test file) and stops containers. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env[INFRA_ENV.runId];
  const adminUrl = process.env[INFRA_ENV.postgresAdminUrl];
  if (runId && adminUrl && process.env[INFRA_ENV.source] === 'local') {
    const pg = new Client({ connectionString: adminUrl });
    await pg.connect();
    const rows = await pg.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`gisbi_test_${runId}_%`]);
    for (const { datname } of rows.rows) await pg.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await pg.end();
  }
  if (process.env[INFRA_ENV.source] === 'testcontainers') {
    const { stopContainers } = await import('./containers');
    await stopContainers();
  }
}
