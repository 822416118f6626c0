import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DomainEventConsumer, CONSUMER_OPTIONS } from './domain-event-consumer';
import { EventOutbox, OUTBOX_OPTIONS } from './event-outbox';

/** Transactional outbox publishing and idempotent durable consumption of domain events (JetStream). */
@Module({})
export class DomainEventsModule {
  static forRoot(options: { outboxPollIntervalMs: number; maxDeliveries: number }): DynamicModule {
    return {
      module: DomainEventsModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: OUTBOX_OPTIONS, useValue: { pollIntervalMs: options.outboxPollIntervalMs } },
        { provide: CONSUMER_OPTIONS, useValue: { maxDeliveries: options.maxDeliveries } },
        EventOutbox,
        DomainEventConsumer,
      ],
      exports: [EventOutbox],
    };
  }
}
