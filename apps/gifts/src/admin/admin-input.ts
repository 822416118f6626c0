import { ErrorCode, isPrefixedId, MAX_ADMIN_PAGE_LIMIT, validateInput, type IdPrefix } from '@gisbi/contracts';
import { DomainError } from '@gisbi/platform';

/** Validates an admin body again in the service (the gateway did too): unknown fields refused. */
export function validated<T extends object>(schema: new () => T, input: unknown): T {
  const result = validateInput(schema, input ?? {}, { fallbackCode: ErrorCode.validation_failed, forbidUnknown: true });
  if (!result.ok) throw DomainError.badRequest(result.code, result.message);
  return result.value;
}

export const DEFAULT_ADMIN_PAGE_LIMIT = 50;

export interface AdminPage {
  limit: number;
  /** The last ID of the previous page (IDs sort by creation time). */
  afterId: string | null;
}

/** `?limit=&cursor=` of an admin list: limit 1-200 (default 50); cursor is the previous page's nextCursor. */
export function parsePage(query: { limit?: string; cursor?: string }, prefix: IdPrefix): AdminPage {
  let limit = DEFAULT_ADMIN_PAGE_LIMIT;
  if (query.limit !== undefined && query.limit !== '') {
    const parsed = /^\d{1,4}$/.test(query.limit) ? Number(query.limit) : Number.NaN;
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > MAX_ADMIN_PAGE_LIMIT) {
      throw DomainError.badRequest(ErrorCode.invalid_limit, `limit must be an integer between 1 and ${MAX_ADMIN_PAGE_LIMIT}`);
    }
    limit = parsed;
  }
  let afterId: string | null = null;
  if (query.cursor !== undefined && query.cursor !== '') {
    if (!isPrefixedId(prefix, query.cursor)) {
      throw DomainError.badRequest(ErrorCode.invalid_cursor, 'cursor must be a nextCursor returned by this list');
    }
    afterId = query.cursor;
  }
  return { limit, afterId };
}

export function notFound(what: string, id: string): DomainError {
  return DomainError.notFound(ErrorCode.not_found, `No ${what} ${id}`);
}

/** Postgres unique_violation. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
