import { SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DomainEventEnvelope, DomainEventName } from '@gisbi/contracts';

export const DOMAIN_EVENT_HANDLER = Symbol('DOMAIN_EVENT_HANDLER');

export interface DomainEventContext<N extends DomainEventName = DomainEventName> {
  event: DomainEventEnvelope<N>;
  /** The transaction that also records the event as processed: write the handler's effects through it. */
  manager: EntityManager;
  /** Runs after the transaction commits (socket deliveries, outbox flush): never for a rolled-back event. */
  afterCommit(effect: () => void | Promise<void>): void;
}

/**
 * Marks a provider method as the durable, idempotent consumer of a domain event. The method receives the
 * payload and a context; it runs at most once per event id per service, however often JetStream delivers.
 */
export const OnDomainEvent = (name: DomainEventName): MethodDecorator => SetMetadata(DOMAIN_EVENT_HANDLER, name);
