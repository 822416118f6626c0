import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Pool, type PoolClient } from 'pg';
import { PROXIMITY_ENV, type ProximityEnv } from '../config/proximity-config';

/**
 * Connections used only by plain heartbeats (one snapshot read and one compare-and-set write), with
 * `synchronous_commit = off`: the write is acknowledged before its WAL reaches disk. Only a Postgres
 * crash (not a service crash) can lose such a write, and then only the last few hundred milliseconds of
 * credited together-time — a plain heartbeat writes no domain event, no milestone and no token, which all
 * go through the fully durable row-locked path on the service's main pool. On the hot path this saves a
 * WAL flush per heartbeat.
 */
/** The heartbeat pool's share of DATABASE_POOL_SIZE: half (one below 4); the main pool keeps the rest. */
export function heartbeatPoolSize(databasePoolSize: number): number {
  return databasePoolSize >= 4 ? Math.floor(databasePoolSize / 2) : 1;
}

@Injectable()
export class HeartbeatPool implements OnModuleDestroy {
  private readonly logger = new Logger(HeartbeatPool.name);
  private readonly pool: Pool;

  constructor(@Inject(PROXIMITY_ENV) env: ProximityEnv) {
    this.pool = new Pool({
      connectionString: env.DATABASE_URL,
      max: heartbeatPoolSize(env.DATABASE_POOL_SIZE),
      idleTimeoutMillis: env.DATABASE_POOL_IDLE_SECONDS * 1000,
      application_name: 'gisbi-proximity-heartbeats',
      options: '-c search_path=proximity -c synchronous_commit=off',
    });
    // An idle connection dropped by the server must not take the process down; the pool replaces it.
    this.pool.on('error', (error) => this.logger.warn(`idle heartbeat connection failed: ${error.message}`));
  }

  connect(): Promise<PoolClient> {
    return this.pool.connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}
