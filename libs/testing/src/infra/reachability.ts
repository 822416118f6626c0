import { Client } from 'pg';
import Redis from 'ioredis';
import { connect } from 'nats';

/** Fails the run up front, with how to fix it, instead of letting every test time out. */
export async function assertReachable(endpoints: { postgresAdminUrl: string; redisUrl: string; natsUrl: string }): Promise<void> {
  const problems: string[] = [];
  const pg = new Client({ connectionString: endpoints.postgresAdminUrl, connectionTimeoutMillis: 3000 });
  try {
    await pg.connect();
    await pg.query('SELECT 1');
  } catch (error) {
    problems.push(`Postgres at ${endpoints.postgresAdminUrl}: ${String(error)}`);
  } finally {
    await pg.end().catch(() => undefined);
  }
  const redis = new Redis(endpoints.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    problems.push(`Redis at ${endpoints.redisUrl}: ${String(error)}`);
  } finally {
    redis.disconnect();
  }
  try {
    const nc = await connect({ servers: endpoints.natsUrl, timeout: 3000 });
    await nc.jetstreamManager();
    await nc.close();
  } catch (error) {
    problems.push(`NATS with JetStream at ${endpoints.natsUrl}: ${String(error)}`);
  }
  if (problems.length > 0) {
    throw new Error(
      `Test infrastructure is not reachable:\n  ${problems.join('\n  ')}\n` +
        'Start the local services (see README "Running the tests") or run with a Docker engine for testcontainers.',
    );
  }
}
