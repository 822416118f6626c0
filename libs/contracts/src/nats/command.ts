import { type ServerEnvelope } from '../envelope';
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

/** One socket frame as a service wrote it, parsed back: what the client receives. */
export interface ServerFrame extends ServerEnvelope<unknown> {
  type: ServerEventType;
}

/*
 * Command replies and deliveries carry ready-made socket frames, so the gateway relays bytes instead of
 * parsing and re-serialising payloads. Each message is newline-separated JSON: a one-line head (below),
 * then one ServerEnvelope per line, written once by the service (JSON.stringify never emits a raw newline).
 * Encoding and decoding live in one place: the NATS codec of @gisbi/platform.
 */

/**
 * First line of a command reply. On success one frame per entry of `types` follows, in order, with the
 * command's requestId/correlationId echoed; the gateway writes them to the originating socket. A failure
 * is this line alone. Events for other users or the sender's other sockets travel as deliveries.
 */
export type CommandReplyHead = { ok: true; types: ServerEventType[] } | { ok: false; error: ReplyError };

/** A command reply with its frames parsed (tests and tools; the gateway relays the frames unparsed). */
export type CommandReply = { ok: true; events: ServerFrame[] } | { ok: false; error: ReplyError };

/**
 * First line of an event delivery on Subjects.deliverUser(prefix, userId); the frame follows. It goes to
 * every socket of the user except `exceptSocketId` (the originating socket, which gets the event once,
 * from the command reply).
 */
export interface EventDeliveryHead {
  type: ServerEventType;
  exceptSocketId?: string;
  control?: undefined;
}

/**
 * Closes sockets of the user on every gateway replica: all of them (account deleted), or only those
 * opened with access tokens of one login session (`sessionId`: logout, refresh-token reuse). One line,
 * no frame.
 */
export interface ControlDelivery {
  control: { closeCode: number; reason: string; sessionId?: string };
}

/**
 * First line of what travels on Subjects.deliverUser(prefix, userId): an event's head (its frame follows),
 * or a whole control message.
 */
export type DeliveryHead = EventDeliveryHead | ControlDelivery;

/** An event delivery with its frame parsed (tests and tools). */
export interface EventDelivery extends ServerFrame {
  exceptSocketId?: string;
  control?: undefined;
}

/** A delivery with its frame parsed: an event for the user's sockets, or a control message. */
export type DeliveryMessage = EventDelivery | ControlDelivery;
