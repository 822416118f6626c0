import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { OutboxEventEntity } from '../outbox/outbox-event.entity';
import { ProcessedEventEntity } from '../outbox/processed-event.entity';

export interface ServiceDatabaseOptions {
  /** Postgres schema the service owns; its tables and its migrations table live there and nowhere else. */
  schema: string;
  url: string;
  poolSize?: number;
  /** Seconds an idle pooled connection stays open (DATABASE_POOL_IDLE_SECONDS). */
  poolIdleSeconds?: number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

/**
 * One DataSource per service schema: never `synchronize`, migrations only, with the platform's outbox
 * and inbox tables included so every service can publish and consume domain events transactionally.
 */
export function buildDataSourceOptions(options: ServiceDatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: [...toArray(options.entities), OutboxEventEntity, ProcessedEventEntity],
    migrations: toArray(options.migrations),
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // TypeORM's own logger would print failed queries as plain text with their bound values; a failure
    // reaches the caller, and the JSON log of whoever handles it (bound values redacted, see logging).
    logging: false,
    // search_path makes raw SQL (migrations, hand-written queries) land in the service's own schema.
    extra: {
      max: options.poolSize ?? 10,
      idleTimeoutMillis: (options.poolIdleSeconds ?? 300) * 1000,
      application_name: `gisbi-${options.schema}`, options: `-c search_path=${options.schema}`,
    },
  };
}

function toArray<T>(list: MixedList<T>): T[] {
  return Array.isArray(list) ? list : Object.values(list as Record<string, T>);
}
