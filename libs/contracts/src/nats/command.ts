import { type ClientEventType } from '../events/client-events';
import { type ServerEventType } from '../events/server-events';

/** Error half of every NATS reply; `status` is the HTTP status when a REST handler relays it. */
export interface ReplyError {
  code: string;
  message: string;
  domain: string;
  status?: number;
}

/** A socket command, as the gateway forwards it to the owning service. */
export interface CommandRequest<P = unknown> {
  type: ClientEventType;
  payload: P;
  /** Authenticated sender. */
  userId: string;
  /** Originating socket, so deliveries can skip it (it already gets the reply). */
  socketId: string;
  requestId?: string;
  correlationId?: string;
}

/**
 * The service's answer. On success, `events` go to the originating socket in order, with the
 * request's ids echoed. Events for other users or the sender's other sockets are published
 * separately as DeliveryMessages.
 */
export type CommandReply =
  { ok: true; events: Array<{ type: ServerEventType; payload: unknown }> } | { ok: false; error: ReplyError };

/**
 * An event for every socket of one user, published on Subjects.deliverUser(prefix, userId), except
 * `exceptSocketId` (the originating socket, which gets the event once, from the command reply).
 */
export interface EventDelivery {
  type: ServerEventType;
  payload: unknown;
  exceptSocketId?: string;
  requestId?: string;
  correlationId?: string;
  control?: undefined;
}

/**
 * Closes sockets of the user on every gateway replica: all of them (account deleted), or only those
 * opened with access tokens of one login session (`sessionId`: logout, refresh-token reuse).
 */
export interface ControlDelivery {
  control: { closeCode: number; reason: string; sessionId?: string };
}

/** What travels on Subjects.deliverUser(prefix, userId). */
export type DeliveryMessage = EventDelivery | ControlDelivery;
