import { Controller, Get, Inject, Optional, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { NatsClient } from '../nats/nats-client';
import { REDIS } from '../redis/redis.module';
import { ShutdownState } from '../service/shutdown-state';

/**
 * Liveness says only "the process answers" (restarting it would not fix a dependency); readiness checks
 * every dependency this process actually uses, so traffic moves away while one is down.
 */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly nats: NatsClient,
    private readonly shutdown: ShutdownState,
    @Optional() private readonly dataSource?: DataSource,
    @Optional() @Inject(REDIS) private readonly redis?: Redis,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    if (this.shutdown.draining) throw new ServiceUnavailableException({ status: 'draining' });
    const checks: Array<() => Promise<HealthIndicatorResult>> = [() => this.check('nats', async () => this.nats.isConnected)];
    const dataSource = this.dataSource;
    if (dataSource) {
      checks.push(() => this.check('database', async () => (await dataSource.query('SELECT 1')).length === 1));
    }
    const redis = this.redis;
    if (redis) checks.push(() => this.check('redis', async () => (await redis.ping()) === 'PONG'));
    return this.health.check(checks);
  }

  private async check(key: string, probe: () => Promise<boolean>): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    try {
      return (await withTimeout(probe(), 2000)) ? session.up() : session.down({ message: 'unexpected answer' });
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
