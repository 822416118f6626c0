import type WebSocket from 'ws';
import { MAX_CORRELATION_ID_LENGTH } from '@gisbi/contracts';

/** The client's ids a reply echoes. */
export interface ReplyIds {
  requestId?: string;
  correlationId?: string;
}

type IdKey = keyof ReplyIds;

/** Echo ids even from an otherwise invalid envelope, when they are usable strings. */
export function pickIds(raw: unknown): ReplyIds {
  if (typeof raw !== 'object' || raw === null) return {};
  const { requestId, correlationId } = raw as Record<string, unknown>;
  return {
    ...(usableId(requestId) ? { requestId } : {}),
    ...(usableId(correlationId) ? { correlationId } : {}),
  };
}

function usableId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_CORRELATION_ID_LENGTH;
}

/** A text frame's bytes as ws hands them over (one buffer, fragments, or an ArrayBuffer). */
export function frameBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const ID_KEYS: ReadonlyArray<[IdKey, Uint8Array]> = [
  ['requestId', Buffer.from('requestId')],
  ['correlationId', Buffer.from('correlationId')],
];
/** Longest JSON string literal that can decode to an id (every character escaped as \uXXXX). */
const MAX_ID_LITERAL_BYTES = MAX_CORRELATION_ID_LENGTH * 6 + 2;

/**
 * The top-level `requestId` and `correlationId` of a frame, read without parsing it: for answers given
 * before a frame is parsed (rate limiting protects exactly that work). One pass over the bytes that
 * jumps over strings and ignores everything nested (a payload may carry its own `requestId`); only the
 * two ids' string values are decoded. The same ids JSON.parse + pickIds would find, for any well-formed
 * frame whose id keys are written without escapes; a malformed frame yields what precedes the fault.
 */
export function peekEnvelopeIds(bytes: Uint8Array): ReplyIds {
  const ids: ReplyIds = {};
  let index = skipSpace(bytes, 0);
  if (bytes[index] !== OPEN_OBJECT) return ids;
  let depth = 0;
  // At depth 1: the next string is a member name (after `{` or `,`), or the value of the id just named.
  let expectKey = false;
  let pendingId: IdKey | undefined;
  for (; index < bytes.length; index++) {
    const byte = bytes[index];
    if (byte === QUOTE) {
      const end = stringEnd(bytes, index);
      if (end < 0) return ids;
      if (depth === 1 && expectKey) {
        pendingId = idKeyAt(bytes, index + 1, end);
        // The last occurrence of a member counts, as in JSON.parse, even when its value is unusable.
        if (pendingId !== undefined) delete ids[pendingId];
        expectKey = false;
      } else if (depth === 1 && pendingId !== undefined) {
        const value = decodeString(bytes, index, end);
        if (usableId(value)) ids[pendingId] = value;
        pendingId = undefined;
      }
      index = end;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth++;
      expectKey = depth === 1;
      pendingId = undefined;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
      if (depth === 0) break;
    } else if (depth === 1 && byte === COMMA) {
      expectKey = true;
      pendingId = undefined;
    } else if (depth === 1 && byte !== COLON && !isSpace(byte)) {
      // A number, true, false or null: not an id.
      pendingId = undefined;
    }
  }
  return ids;
}

/** Index of the quote closing the string that opens at `start`, or -1 if it never closes. */
function stringEnd(bytes: Uint8Array, start: number): number {
  for (let quote = bytes.indexOf(QUOTE, start + 1); quote >= 0; quote = bytes.indexOf(QUOTE, quote + 1)) {
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
  return -1;
}

function idKeyAt(bytes: Uint8Array, from: number, to: number): IdKey | undefined {
  for (const [key, name] of ID_KEYS) {
    if (to - from === name.length && name.every((byte, offset) => bytes[from + offset] === byte)) return key;
  }
  return undefined;
}

function decodeString(bytes: Uint8Array, quote: number, end: number): string | undefined {
  if (end - quote + 1 > MAX_ID_LITERAL_BYTES) return undefined;
  try {
    const value: unknown = JSON.parse(
      Buffer.from(bytes.buffer, bytes.byteOffset + quote, end - quote + 1).toString(),
    );
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function skipSpace(bytes: Uint8Array, from: number): number {
  let index = from;
  while (index < bytes.length && isSpace(bytes[index])) index++;
  return index;
}

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}
