import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  IdPrefix,
  Subjects,
  type DomainEventEnvelope,
  type DomainEventMap,
  type DomainEventName,
} from '@gisbi/contracts';
import { Clock } from '../clock/clock';
import { newId } from '../ids/ids';
import { NatsClient } from '../nats/nats-client';
import { OutboxEventEntity } from './outbox-event.entity';
import { ensureEventStream } from './event-stream';
import { contextFromTraceparent, currentTraceparent, traceHeaders } from '../tracing/tracing';

export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');
export interface OutboxOptions {
  pollIntervalMs: number;
}

/**
 * Publishes domain events reliably: `add()` writes the event in the caller's transaction; after commit
 * `flush()` (called by the caller, and by a poller for anything left after a crash) sends unpublished
 * rows to JetStream with the event id as Nats-Msg-Id, so a re-send is deduplicated by the stream.
 * Rows are claimed with SKIP LOCKED, so replicas never publish the same row concurrently.
 */
@Injectable()
export class EventOutbox implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EventOutbox.name);
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private flushAgain = false;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly nats: NatsClient,
    private readonly clock: Clock,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureEventStream(await this.nats.jetstreamManager(), this.nats.prefix);
    this.timer = setInterval(() => this.flushSoon(), this.options.pollIntervalMs);
    this.timer.unref();
  }

  /** Before connections close: stop taking new work and let in-flight work finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.flushing;
  }

  /** Records an event inside the caller's transaction. Returns its envelope. */
  async add<N extends DomainEventName>(
    manager: EntityManager,
    name: N,
    payload: DomainEventMap[N],
  ): Promise<DomainEventEnvelope<N>> {
    const occurredAt = this.clock.now();
    const id = newId(IdPrefix.event, occurredAt.getTime());
    await manager.insert(OutboxEventEntity, {
      id,
      name,
      payload,
      occurredAt,
      publishedAt: null,
      attempts: 0,
      traceContext: currentTraceparent() ?? null,
    });
    return { id, name, occurredAt: occurredAt.toISOString(), payload };
  }

  /** Publish pending rows now (call after the transaction that added them committed). */
  flushSoon(): void {
    if (this.stopped) return;
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    this.flushing = this.flushPending()
      .catch((error: unknown) => this.logger.error(`outbox flush failed: ${String(error)}`))
      .finally(() => {
        this.flushing = undefined;
        if (this.flushAgain) {
          this.flushAgain = false;
          this.flushSoon();
        }
      });
  }

  /** Publishes until nothing is pending; resolves when done (tests await it). */
  async flush(): Promise<void> {
    await this.flushing;
    await this.flushPending();
  }

  private async flushPending(): Promise<void> {
    for (;;) {
      const published = await this.dataSource.transaction(async (manager) => {
        const rows: Array<{
          id: string;
          name: string;
          payload: unknown;
          occurred_at: Date;
          trace_context: string | null;
        }> = await manager.query(
          `SELECT id, name, payload, occurred_at, trace_context FROM outbox_events
            WHERE published_at IS NULL ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED`,
        );
        if (rows.length === 0) return 0;
        const js = this.nats.jetstream();
        for (const row of rows) {
          const envelope: DomainEventEnvelope<DomainEventName> = {
            id: row.id,
            name: row.name as DomainEventName,
            occurredAt: row.occurred_at.toISOString(),
            payload: row.payload as DomainEventMap[DomainEventName],
          };
          const h = traceHeaders(contextFromTraceparent(row.trace_context));
          h.set('Gisbi-Event', row.name);
          await js.publish(Subjects.event(this.nats.prefix, envelope.name), JSON.stringify(envelope), {
            msgID: row.id,
            headers: h,
          });
        }
        await manager.query(
          `UPDATE outbox_events SET published_at = $1, attempts = attempts + 1 WHERE id = ANY($2)`,
          [this.clock.now(), rows.map((row) => row.id)],
        );
        return rows.length;
      });
      if (published < 100) return;
    }
  }
}
