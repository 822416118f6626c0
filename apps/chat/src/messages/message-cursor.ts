import { ErrorCode, IdPrefix, isPrefixedId } from '@gisbi/contracts';
import { DomainError } from '@gisbi/platform';

/**
 * Position of a message in a conversation: its (created_at, id) key. `createdAt` keeps the database's
 * microsecond precision (`2026-04-17T12:00:00.123456Z`), so two rows sharing a millisecond — or a whole
 * timestamp — are still told apart by `id`, and a page boundary never skips or repeats a row.
 */
export interface MessagePosition {
  createdAt: string;
  id: string;
}

const EXACT_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Opaque to clients: base64url of `[createdAt, id]`. */
export function encodeCursor(position: MessagePosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): MessagePosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw invalidCursor();
  const [createdAt, id] = decoded as unknown[];
  if (
    typeof createdAt !== 'string' ||
    !EXACT_UTC.test(createdAt) ||
    !Number.isFinite(Date.parse(createdAt))
  ) {
    throw invalidCursor();
  }
  if (!isPrefixedId(IdPrefix.message, id)) throw invalidCursor();
  return { createdAt, id };
}

function invalidCursor(): DomainError {
  return DomainError.badRequest(
    ErrorCode.invalid_cursor,
    'before must be a nextCursor returned by chat.history.page',
  );
}
