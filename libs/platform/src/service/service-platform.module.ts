import { hostname } from 'node:os';
import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceName } from '@gisbi/contracts';
import { ClockModule } from '../clock/clock.module';
import type { CoreEnv, DatabaseEnv, JobsEnv, RedisEnv } from '../config/env-schemas';
import { DatabaseModule } from '../database/database.module';
import type { ServiceDatabaseOptions } from '../database/data-source-options';
import { HealthModule } from '../health/health.module';
import { LoggingModule } from '../logging/logging.module';
import { MetricsModule } from '../metrics/metrics';
import { NatsModule } from '../nats/nats.module';
import { DomainEventsModule } from '../outbox/domain-events.module';
import { RedisModule } from '../redis/redis.module';
import { PeriodicJobs } from '../scheduling/periodic-jobs';
import { SHUTDOWN_GRACE_MS } from './shutdown-state';
import { installTracing } from '../tracing/tracing';

export interface ServicePlatformOptions {
  service: ServiceName;
  env: CoreEnv & Partial<DatabaseEnv & RedisEnv & JobsEnv>;
  /** Present for services that own a Postgres schema. */
  database?: Pick<ServiceDatabaseOptions, 'schema' | 'entities' | 'migrations'> & {
    /**
     * Connections of DATABASE_POOL_SIZE the service opens on pools of its own; the main pool gets the rest
     * (at least 2), so a process stays within the connection budget operations plan with.
     */
    ownPoolConnections?: number;
  };
  redis?: boolean;
}

export function instanceId(): string {
  return process.env['INSTANCE_ID'] ?? `${hostname()}-${process.pid}`;
}

/**
 * Everything a GISBI process needs from the platform, wired once: config-driven logging, clock, NATS
 * (commands, RPC, delivery), health and metrics, and — when the service owns data — its schema's
 * DataSource with migrations, the domain-event outbox/consumers, Redis and periodic jobs.
 */
@Module({})
export class ServicePlatformModule {
  static forRoot(options: ServicePlatformOptions): DynamicModule {
    const { env, service } = options;
    const id = instanceId();
    installTracing(service);
    const imports: NonNullable<DynamicModule['imports']> = [
      LoggingModule.forRoot({ service, level: env.LOG_LEVEL, instanceId: id }),
      ClockModule,
      NatsModule.forRoot({
        service,
        url: env.NATS_URL,
        subjectPrefix: env.NATS_SUBJECT_PREFIX,
        requestTimeoutMs: env.NATS_REQUEST_TIMEOUT_MS,
        instanceId: id,
      }),
      HealthModule,
      MetricsModule,
    ];
    if (options.database) {
      if (!env.DATABASE_URL) throw new Error(`${service}: DATABASE_URL is required`);
      imports.push(
        DatabaseModule.forService({
          schema: options.database.schema,
          entities: options.database.entities,
          migrations: options.database.migrations,
          url: env.DATABASE_URL,
          poolSize: Math.max(2, (env.DATABASE_POOL_SIZE ?? 10) - (options.database.ownPoolConnections ?? 0)),
          poolIdleSeconds: env.DATABASE_POOL_IDLE_SECONDS ?? 300,
          runMigrations: env.MIGRATIONS_RUN ?? true,
        }),
        DomainEventsModule.forRoot({
          outboxPollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS ?? 500,
          maxDeliveries: env.EVENT_MAX_DELIVERIES ?? 10,
        }),
      );
    }
    if (options.redis) {
      if (!env.REDIS_URL) throw new Error(`${service}: REDIS_URL is required`);
      imports.push(RedisModule.forRoot({ url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX ?? 'gisbi:' }));
    }
    return {
      module: ServicePlatformModule,
      global: true,
      imports,
      providers: [PeriodicJobs, { provide: SHUTDOWN_GRACE_MS, useValue: env.SHUTDOWN_GRACE_MS }],
      exports: [PeriodicJobs, SHUTDOWN_GRACE_MS],
    };
  }
}
