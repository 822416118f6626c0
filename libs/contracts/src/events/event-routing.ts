import { type ServiceName } from '../service-names';
import { type ClientEventType } from './client-events';

/** First segment of a client event type, e.g. "connection" for "connection.request.send". */
export type ClientEventSegment = ClientEventType extends `${infer Segment}.${string}` ? Segment : never;

// Routing by first segment (design.md). `user` has no client events yet but belongs to auth.
const SERVICE_BY_SEGMENT: Record<ClientEventSegment | 'user', ServiceName> = {
  session: 'gateway',
  presence: 'presence',
  radar: 'presence',
  connection: 'connections',
  safety: 'connections',
  chat: 'chat',
  proximity: 'proximity',
  gift: 'gifts',
  user: 'auth',
};

// The contract's error example reports domain "connections" for a connection.* command, so
// segments that are the singular of their service name report the service name.
const DOMAIN_BY_SEGMENT: Readonly<Record<string, string>> = {
  connection: 'connections',
  gift: 'gifts',
};

function firstSegment(type: string): string {
  const dot = type.indexOf('.');
  return dot === -1 ? type : type.slice(0, dot);
}

/** The service that owns a client event. */
export function serviceForEvent(type: ClientEventType): ServiceName {
  return SERVICE_BY_SEGMENT[firstSegment(type) as ClientEventSegment];
}

/**
 * The `domain` reported in an error about a message of this type: its first segment
 * ("chat", "proximity", "safety", ...), with connection→connections and gift→gifts as in the
 * contract's example. Unknown segments report "gateway", which is where such messages are refused.
 */
export function domainOfEvent(type: string): string {
  const segment = firstSegment(type);
  if (!Object.hasOwn(SERVICE_BY_SEGMENT, segment)) return 'gateway';
  return DOMAIN_BY_SEGMENT[segment] ?? segment;
}
