import type { ClientEventType, ServerEventMap, ServerEventType } from '@gisbi/contracts';

/** A validated client command as a service handler sees it: who sent it, from which socket, and its ids. */
export interface Command<P = unknown> {
  type: ClientEventType;
  payload: P;
  userId: string;
  socketId: string;
  requestId?: string;
  correlationId?: string;
}

/** A server→client event before the gateway wraps it in the envelope (timestamp, echoed ids). */
export interface ServerMessage<T extends ServerEventType = ServerEventType> {
  type: T;
  payload: ServerEventMap[T];
}

/** What a command handler returns: the events for the socket that sent the command, in order. */
export type CommandResult = ServerMessage | ServerMessage[] | void;

/** Typed constructor: `message('presence.updated', {...})` does not compile with the wrong payload. */
export function message<T extends ServerEventType>(type: T, payload: ServerEventMap[T]): ServerMessage<T> {
  return { type, payload };
}
