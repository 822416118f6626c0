import { Controller, Get, Global, Header, Injectable, Module, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus registry per process with the metrics every app shares. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly messagesIn = new Counter({
    name: 'gisbi_messages_in_total',
    help: 'Commands and RPCs handled, by type',
    labelNames: ['type'],
    registers: [this.registry],
  });
  readonly messagesOut = new Counter({
    name: 'gisbi_messages_out_total',
    help: 'Events sent to clients, by type',
    labelNames: ['type'],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'gisbi_errors_total',
    help: 'Errors returned to clients, by code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly natsRequestSeconds = new Histogram({
    name: 'gisbi_nats_request_seconds',
    help: 'Latency of NATS requests made by this process',
    labelNames: ['subject'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly sockets = new Gauge({
    name: 'gisbi_gateway_sockets',
    help: 'Open WebSocket connections on this gateway replica',
    registers: [this.registry],
  });
  readonly dbPool = new Gauge({
    name: 'gisbi_db_pool_connections',
    help: 'Postgres pool connections of this process, by state',
    labelNames: ['state'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Optional() private readonly dataSource?: DataSource,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    const pool = (this.dataSource?.driver as { master?: { totalCount: number; idleCount: number; waitingCount: number } } | undefined)
      ?.master;
    if (pool) {
      this.metrics.dbPool.set({ state: 'total' }, pool.totalCount);
      this.metrics.dbPool.set({ state: 'idle' }, pool.idleCount);
      this.metrics.dbPool.set({ state: 'waiting' }, pool.waitingCount);
    }
    return this.metrics.registry.metrics();
  }
}

@Global()
@Module({ providers: [Metrics], controllers: [MetricsController], exports: [Metrics] })
export class MetricsModule {}
