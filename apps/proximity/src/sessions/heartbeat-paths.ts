import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Metrics } from '@gisbi/platform';

/** How a heartbeat was settled: what the one-round-trip path is worth in production, per replica. */
export type HeartbeatPath = 'cached' | 'snapshot' | 'locked';

@Injectable()
export class HeartbeatPaths {
  private readonly settled: Counter<'path'>;

  constructor(metrics: Metrics) {
    this.settled = new Counter({
      name: 'gisbi_proximity_heartbeats_total',
      help: 'Heartbeats settled, by path: cached (one write from remembered state), snapshot (read, then write), locked (row-locked transaction)',
      labelNames: ['path'],
      registers: [metrics.registry],
    });
  }

  record(path: HeartbeatPath): void {
    this.settled.inc({ path });
  }
}
