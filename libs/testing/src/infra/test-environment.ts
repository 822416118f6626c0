import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import Redis from 'ioredis';
import { connect } from 'nats';
import { Subjects } from '@gisbi/contracts';
import { readInfraEndpoints } from './infra-endpoints';

export interface TestEnvironment {
  /** Environment variables for any GISBI service started by this test file. */
  env: Record<string, string>;
  databaseUrl: string;
  natsPrefix: string;
  redisKeyPrefix: string;
  /** Drops the database, the JetStream stream and the Redis keys of this environment. */
  cleanup(): Promise<void>;
}

/**
 * An isolated slice of the shared infrastructure for one test file: its own database, NATS subject
 * prefix (and so its own JetStream stream) and Redis key prefix. Nothing it writes is seen by another
 * file or another run.
 */
export async function createTestEnvironment(label = 'test'): Promise<TestEnvironment> {
  const infra = readInfraEndpoints();
  const suffix = `${label.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 16)}_${randomBytes(4).toString('hex')}`;
  const database = `gisbi_test_${infra.runId}_${suffix}`.toLowerCase();
  const natsPrefix = `t${infra.runId}${randomBytes(3).toString('hex')}`;
  const redisKeyPrefix = `${natsPrefix}:`;

  const admin = new Client({ connectionString: infra.postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const databaseUrl = withDatabase(infra.postgresAdminUrl, database);

  return {
    databaseUrl,
    natsPrefix,
    redisKeyPrefix,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '5',
      REDIS_URL: infra.redisUrl,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      NATS_URL: infra.natsUrl,
      NATS_SUBJECT_PREFIX: natsPrefix,
      NATS_REQUEST_TIMEOUT_MS: '5000',
      MIGRATIONS_RUN: 'true',
      HTTP_PORT: '0',
      GATEWAY_PORT: '0',
      GATEWAY_MANAGEMENT_PORT: '0',
      OUTBOX_POLL_INTERVAL_MS: '100',
      JOB_POLL_INTERVAL_MS: '200',
    },
    cleanup: async () => {
      await dropDatabase(infra.postgresAdminUrl, database);
      await deleteStream(infra.natsUrl, natsPrefix);
      await deleteRedisKeys(infra.redisUrl, redisKeyPrefix);
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function deleteStream(natsUrl: string, prefix: string): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(Subjects.streamName(prefix)).catch(() => undefined);
  } finally {
    await nc.close();
  }
}

async function deleteRedisKeys(redisUrl: string, keyPrefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
