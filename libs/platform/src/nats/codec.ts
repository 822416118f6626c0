import {
  makeServerEnvelope,
  type CommandReply,
  type CommandReplyHead,
  type ControlDelivery,
  type DeliveryMessage,
  type EnvelopeIds,
  type EventDeliveryHead,
  type ReplyError,
  type ServerEventType,
  type ServerFrame,
} from '@gisbi/contracts';
import type { ServerMessage } from './command';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const NEWLINE = 0x0a;

/** JSON on the wire for every NATS message: readable in `nats sub`, and the same in every service. */
export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function decodeJson<T = unknown>(data: Uint8Array): T {
  return JSON.parse(decoder.decode(data)) as T;
}

/*
 * Command replies and user deliveries carry ready-made socket frames (see CommandReplyHead and
 * DeliveryHead in @gisbi/contracts): a one-line JSON head, then one serialised ServerEnvelope per line.
 * The service serialises each envelope once; the gateway reads the head and writes the frame bytes to
 * sockets without parsing payloads (a radar is ~17 KB). JSON.stringify escapes every newline inside a
 * string, so a raw newline only ever separates lines. Every producer and reader uses these functions.
 */

/** One serialised ServerEnvelope, as the client will receive it, and its type (for metrics). */
export interface RelayFrame {
  type: ServerEventType;
  bytes: Uint8Array;
}

/** A command reply as the gateway relays it: frames for the originating socket, or the error. */
export type RelayedCommandReply = { ok: true; frames: RelayFrame[] } | { ok: false; error: ReplyError };

/** A delivery as the gateway relays it: one frame for the user's sockets, or a control message. */
export type RelayedDelivery = (EventDeliveryHead & { frame: Uint8Array }) | ControlDelivery;

/** A successful command's events, stamped `now` and echoing the command's requestId/correlationId. */
export function encodeCommandReply(
  events: readonly ServerMessage[],
  now: Date,
  ids: EnvelopeIds,
): Uint8Array {
  const head: CommandReplyHead = { ok: true, types: events.map((event) => event.type) };
  return encodeLines(
    head,
    events.map((event) => makeServerEnvelope(event.type, event.payload, now, ids)),
  );
}

export function encodeCommandError(error: ReplyError): Uint8Array {
  const head: CommandReplyHead = { ok: false, error };
  return encodeJson(head);
}

/** An event for the sockets of one user, stamped `now`; `exceptSocketId` already got it in a reply. */
export function encodeEventDelivery(
  event: ServerMessage,
  now: Date,
  routing: { exceptSocketId?: string } = {},
): Uint8Array {
  const head: EventDeliveryHead = { type: event.type };
  if (routing.exceptSocketId !== undefined) head.exceptSocketId = routing.exceptSocketId;
  return encodeLines(head, [makeServerEnvelope(event.type, event.payload, now)]);
}

export function encodeControlDelivery(control: ControlDelivery['control']): Uint8Array {
  const message: ControlDelivery = { control };
  return encodeJson(message);
}

/** Gateway side: the reply's head, and its frames as slices of `data` (no copy, no parse). */
export function readCommandReply(data: Uint8Array): RelayedCommandReply {
  const [headLine, ...frameLines] = splitLines(data);
  const head = parseHead<CommandReplyHead>(headLine);
  if (head.ok === false) return { ok: false, error: head.error };
  if (head.ok !== true || !Array.isArray(head.types) || head.types.length !== frameLines.length) {
    throw new Error('Malformed command reply: expected a head and one frame per type');
  }
  const { types } = head;
  return {
    ok: true,
    frames: frameLines.map((bytes, index) => ({ type: types[index] as ServerEventType, bytes })),
  };
}

/** Gateway side: the delivery's head, and its frame as a slice of `data` (no copy, no parse). */
export function readDelivery(data: Uint8Array): RelayedDelivery {
  const [headLine, ...frameLines] = splitLines(data);
  const head = parseHead<EventDeliveryHead | ControlDelivery>(headLine);
  if (head.control !== undefined) return head;
  const [frame] = frameLines;
  if (typeof head.type !== 'string' || frame === undefined || frameLines.length !== 1) {
    throw new Error('Malformed delivery: expected a head and one frame');
  }
  return { ...head, frame };
}

/** Tests and tools: a command reply with its frames parsed into the envelopes the client receives. */
export function decodeCommandReply(data: Uint8Array): CommandReply {
  const reply = readCommandReply(data);
  if (!reply.ok) return reply;
  return { ok: true, events: reply.frames.map((frame) => decodeJson<ServerFrame>(frame.bytes)) };
}

/** Tests and tools: a delivery with its frame parsed, plus its routing (`exceptSocketId`). */
export function decodeDelivery(data: Uint8Array): DeliveryMessage {
  const delivery = readDelivery(data);
  if (delivery.control !== undefined) return delivery;
  const envelope = decodeJson<ServerFrame>(delivery.frame);
  return delivery.exceptSocketId === undefined
    ? envelope
    : { ...envelope, exceptSocketId: delivery.exceptSocketId };
}

function encodeLines(head: object, envelopes: readonly object[]): Uint8Array {
  let text = JSON.stringify(head);
  for (const envelope of envelopes) text += '\n' + JSON.stringify(envelope);
  return encoder.encode(text);
}

function splitLines(data: Uint8Array): [Uint8Array, ...Uint8Array[]] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let end = data.indexOf(NEWLINE); end !== -1; end = data.indexOf(NEWLINE, start)) {
    lines.push(data.subarray(start, end));
    start = end + 1;
  }
  lines.push(data.subarray(start));
  return lines as [Uint8Array, ...Uint8Array[]];
}

function parseHead<T>(line: Uint8Array): T {
  const head: unknown = JSON.parse(decoder.decode(line));
  if (typeof head !== 'object' || head === null) throw new Error('Malformed head line');
  return head as T;
}
