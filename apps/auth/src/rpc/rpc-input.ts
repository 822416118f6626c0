import { ErrorCode, validateInput } from '@gisbi/contracts';
import { DomainError } from '@gisbi/platform';

/**
 * RPC bodies come from the gateway (already validated) or from other services; they are still
 * untrusted input here: validated with unknown fields refused, a 400 with the field's code otherwise.
 */
export function parseBody<T extends object>(schema: new () => T, body: unknown): T {
  const result = validateInput(schema, body, { fallbackCode: ErrorCode.validation_failed, forbidUnknown: true });
  if (!result.ok) throw DomainError.badRequest(result.code, result.message);
  return result.value;
}

/**
 * Splits the `userId` the gateway adds (the authenticated caller) from the client's REST body, so the
 * body can be validated against its contract DTO with unknown fields refused.
 */
export function splitCaller(body: unknown): { userId: string; rest: Record<string, unknown> } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw DomainError.badRequest(ErrorCode.validation_failed, 'payload must be a JSON object');
  }
  const { userId, ...rest } = body as Record<string, unknown>;
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > 128) {
    throw DomainError.badRequest(ErrorCode.missing_userId, 'userId is required');
  }
  return { userId, rest };
}
