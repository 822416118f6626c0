import { createHmac, timingSafeEqual } from 'node:crypto';
import { ErrorCode, IdPrefix, isPrefixedId } from '@gisbi/contracts';
import { DomainError } from '@gisbi/platform';

/** Position of a reward in a user's history: its (createdAt, id) key. */
export interface HistoryPosition {
  createdAt: Date;
  id: string;
}

const EXACT_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MAC_BYTES = 16;

/**
 * Opaque, tamper-evident history cursors: base64url of `[createdAt, id]`, a dot, and an HMAC over the
 * position and the viewer, so a cursor that was edited, made up, or taken from another user's history is
 * refused with `invalid_cursor` instead of silently paging from somewhere else.
 */
export class HistoryCursorCodec {
  constructor(private readonly secret: string) {}

  encode(viewerId: string, position: HistoryPosition): string {
    const body = Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id]), 'utf8').toString(
      'base64url',
    );
    return `${body}.${this.mac(viewerId, body).toString('base64url')}`;
  }

  decode(viewerId: string, cursor: string): HistoryPosition {
    const [body, tag, ...rest] = cursor.split('.');
    if (!body || !tag || rest.length > 0) throw invalidCursor();
    const presented = Buffer.from(tag, 'base64url');
    const expected = this.mac(viewerId, body);
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) throw invalidCursor();
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw invalidCursor();
    }
    if (!Array.isArray(decoded) || decoded.length !== 2) throw invalidCursor();
    const [createdAt, id] = decoded as unknown[];
    if (typeof createdAt !== 'string' || !EXACT_UTC.test(createdAt) || !Number.isFinite(Date.parse(createdAt))) {
      throw invalidCursor();
    }
    if (!isPrefixedId(IdPrefix.sponsoredGift, id)) throw invalidCursor();
    return { createdAt: new Date(createdAt), id };
  }

  private mac(viewerId: string, body: string): Buffer {
    return createHmac('sha256', this.secret).update(`${viewerId}\n${body}`).digest().subarray(0, MAC_BYTES);
  }
}

function invalidCursor(): DomainError {
  return DomainError.badRequest(ErrorCode.invalid_cursor, 'cursor must be a nextCursor returned by gift.history.fetch');
}
