import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg, nanos } from 'nats';
import { DataSource } from 'typeorm';
import { Subjects, type DomainEventEnvelope, type DomainEventName } from '@gisbi/contracts';
import { Clock } from '../clock/clock';
import { NatsClient } from '../nats/nats-client';
import { ensureEventStream } from './event-stream';
import { contextFromHeaders, withSpan } from '../tracing/tracing';
import { DOMAIN_EVENT_HANDLER, type DomainEventContext } from './on-domain-event.decorator';

export const CONSUMER_OPTIONS = Symbol('CONSUMER_OPTIONS');
export interface ConsumerOptions {
  maxDeliveries: number;
}

type Handler = (payload: unknown, context: DomainEventContext) => Promise<void> | void;

/**
 * Finds every `@OnDomainEvent` method and gives it a durable JetStream pull consumer named after the
 * service and event, shared by all replicas. Each delivery runs in a transaction that first records the
 * event id in `processed_events`; a duplicate finds its id there and is only acknowledged.
 */
@Injectable()
export class DomainEventConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DomainEventConsumer.name);
  private readonly streams: ConsumerMessages[] = [];
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly nats: NatsClient,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CONSUMER_OPTIONS) private readonly options: ConsumerOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const handlers = this.findHandlers();
    if (handlers.length === 0) return;
    const jsm = await this.nats.jetstreamManager();
    const stream = await ensureEventStream(jsm, this.nats.prefix);
    for (const { name, handler, id } of handlers) {
      const durable = `${this.nats.service}-${id}`.replace(/[^A-Za-z0-9_-]/g, '_');
      const config = {
        durable_name: durable,
        filter_subject: Subjects.event(this.nats.prefix, name),
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(30_000),
        max_deliver: this.options.maxDeliveries > 0 ? this.options.maxDeliveries : -1,
      };
      await jsm.consumers.add(stream, config).catch(async (error: unknown) => {
        // Already created by another replica with the same configuration.
        await jsm.consumers.info(stream, durable).catch(() => {
          throw error;
        });
      });
      const consumer = await this.nats.jetstream().consumers.get(stream, durable);
      const messages = await consumer.consume({ max_messages: 64 });
      this.streams.push(messages);
      this.loops.push(this.run(messages, name, handler, durable));
    }
    this.logger.log(`consuming ${handlers.length} domain events`);
  }

  /** Before connections close: stop taking new work and let in-flight work finish. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const messages of this.streams) await messages.close().catch(() => undefined);
    await Promise.all(this.loops);
  }

  private async run(messages: ConsumerMessages, name: DomainEventName, handler: Handler, consumer: string): Promise<void> {
    for await (const msg of messages) {
      await withSpan(`event ${name}`, contextFromHeaders(msg.headers), { 'messaging.system': 'nats', consumer }, () =>
        this.handle(msg, name, handler, consumer),
      );
    }
  }

  /** Processes one delivery; exported for tests through `consumeOnce`. */
  async handle(msg: JsMsg, name: DomainEventName, handler: Handler, consumer: string): Promise<void> {
    let event: DomainEventEnvelope;
    try {
      event = JSON.parse(msg.string()) as DomainEventEnvelope;
    } catch {
      this.logger.error(`dropping malformed ${name} event`);
      msg.term();
      return;
    }
    try {
      const effects: Array<() => void | Promise<void>> = [];
      await this.dataSource.transaction(async (manager) => {
        const inserted: unknown[] = await manager.query(
          `INSERT INTO processed_events (event_id, consumer, processed_at) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING RETURNING event_id`,
          [event.id, consumer, this.clock.now()],
        );
        if (inserted.length === 0) return; // already applied: a redelivery
        await handler(event.payload, { event, manager, afterCommit: (effect) => effects.push(effect) });
      });
      msg.ack();
      for (const effect of effects) await effect();
    } catch (error) {
      const attempt = msg.info.redeliveryCount;
      this.logger.error(`${consumer} failed on ${event.id} (attempt ${attempt}): ${error instanceof Error ? error.stack : String(error)}`);
      msg.nak(Math.min(30_000, 250 * 2 ** Math.min(attempt, 7)));
    }
  }

  private findHandlers(): Array<{ name: DomainEventName; handler: Handler; id: string }> {
    const found: Array<{ name: DomainEventName; handler: Handler; id: string }> = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = (instance as Record<string, unknown>)[method];
        if (typeof fn !== 'function') continue;
        const name = Reflect.getMetadata(DOMAIN_EVENT_HANDLER, fn) as DomainEventName | undefined;
        if (!name) continue;
        found.push({
          name,
          handler: (fn as Handler).bind(instance),
          id: `${name}-${wrapper.name}-${method}`,
        });
      }
    }
    return found;
  }
}
