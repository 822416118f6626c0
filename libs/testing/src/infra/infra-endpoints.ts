/** Where the test infrastructure lives for this jest run (decided once, in global setup). */
export interface InfraEndpoints {
  /** Admin connection string (database `postgres`), used to create and drop per-test databases. */
  postgresAdminUrl: string;
  redisUrl: string;
  natsUrl: string;
  runId: string;
  source: 'testcontainers' | 'local';
}

export const INFRA_ENV = {
  postgresAdminUrl: 'GISBI_TEST_POSTGRES_ADMIN_URL',
  redisUrl: 'GISBI_TEST_REDIS_URL',
  natsUrl: 'GISBI_TEST_NATS_URL',
  runId: 'GISBI_TEST_RUN_ID',
  source: 'GISBI_TEST_INFRA_SOURCE',
} as const;

export const LOCAL_DEFAULTS = {
  postgresAdminUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: 'redis://127.0.0.1:6379',
  natsUrl: 'nats://127.0.0.1:4222',
};

export function readInfraEndpoints(): InfraEndpoints {
  const env = process.env;
  return {
    postgresAdminUrl: env[INFRA_ENV.postgresAdminUrl] ?? LOCAL_DEFAULTS.postgresAdminUrl,
    redisUrl: env[INFRA_ENV.redisUrl] ?? LOCAL_DEFAULTS.redisUrl,
    natsUrl: env[INFRA_ENV.natsUrl] ?? LOCAL_DEFAULTS.natsUrl,
    runId: env[INFRA_ENV.runId] ?? `r${Date.now().toString(36)}`,
    source: (env[INFRA_ENV.source] as InfraEndpoints['source'] | undefined) ?? 'local',
  };
}
