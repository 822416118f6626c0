import { type ClientEventType } from '../events/client-events';
import { type ServiceName } from '../service-names';
import { type DomainEventName } from './domain-events';

/**
 * NATS subject names. Every one starts with a configurable prefix ("gisbi" by default) so parallel
 * test runs on one NATS server never collide.
 */
export const Subjects = {
  /** Socket command, request/reply, served by the owning service's queue group. */
  command: (prefix: string, type: ClientEventType): string => `${prefix}.cmd.${type}`,
  /** Internal request/reply between services (and from the gateway's REST handlers). */
  rpc: (prefix: string, service: ServiceName, method: string): string => `${prefix}.rpc.${service}.${method}`,
  /** Events for every socket of one user, on whichever gateway replica holds them. */
  deliverUser: (prefix: string, userId: string): string => `${prefix}.deliver.user.${userId}`,
  deliverAll: (prefix: string): string => `${prefix}.deliver.user.*`,
  /** Operational broadcasts (e.g. shutdown, cache invalidation). */
  control: (prefix: string, what: string): string => `${prefix}.control.${what}`,
  /** Domain event on JetStream. */
  event: (prefix: string, name: DomainEventName): string => `${prefix}.event.${name}`,
  eventsWildcard: (prefix: string): string => `${prefix}.event.>`,
  /** JetStream stream holding the domain events of one prefix. */
  streamName: (prefix: string): string => `${prefix.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase()}_EVENTS`,
} as const;

export const DEFAULT_SUBJECT_PREFIX = 'gisbi';

/** Queue group of a service's command and RPC subscriptions, so replicas share the load. */
export function queueGroup(service: ServiceName): string {
  return `${service}-workers`;
}
