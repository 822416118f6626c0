import { z } from 'zod';
import { boolFlag, nonNegativeInt, port, positiveInt } from './load-config';

/** Settings every process has: identity, logging and the NATS connection. */
export const coreEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * HTTP port for health and metrics (the gateway uses GATEWAY_PORT for its public port and
   * GATEWAY_MANAGEMENT_PORT for health and metrics instead).
   */
  HTTP_PORT: port(0),
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  /** Every NATS subject and JetStream stream starts with this, so test runs never collide on one server. */
  NATS_SUBJECT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
    .default('gisbi'),
  NATS_REQUEST_TIMEOUT_MS: positiveInt(5000),
  SHUTDOWN_GRACE_MS: positiveInt(10_000),
});

export const databaseEnvSchema = z.object({
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/gisbi'),
  DATABASE_POOL_SIZE: positiveInt(10),
  /**
   * How long a pooled connection may sit idle before it is closed. Long by default: a pool that shrinks
   * between bursts pays a new connection (fork, authentication, cold catalog caches) in the next burst.
   */
  DATABASE_POOL_IDLE_SECONDS: positiveInt(300),
  /** Run this service's migrations at start-up (development); production runs them as a separate Job. */
  MIGRATIONS_RUN: boolFlag(true),
});

export const redisEnvSchema = z.object({
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  REDIS_KEY_PREFIX: z.string().default('gisbi:'),
});

/** How often background jobs poll for due work (expiry, outbox relay). */
export const jobsEnvSchema = z.object({
  JOB_POLL_INTERVAL_MS: positiveInt(1000),
  OUTBOX_POLL_INTERVAL_MS: positiveInt(500),
  EVENT_MAX_DELIVERIES: nonNegativeInt(10),
});

export type CoreEnv = z.infer<typeof coreEnvSchema>;
export type DatabaseEnv = z.infer<typeof databaseEnvSchema>;
export type RedisEnv = z.infer<typeof redisEnvSchema>;
export type JobsEnv = z.infer<typeof jobsEnvSchema>;
