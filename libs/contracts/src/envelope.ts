import { IsDefined, IsObject } from 'class-validator';
import { ErrorCode } from './errors/error-codes';
import { composeDecorators, IsOptionalString, IsRequiredString } from './validation/field-decorators';
import { describeShapeProblem, inspectInputShape, PROTOTYPE_KEYS } from './validation/input-shape';
import { withCode } from './validation/with-code';

/** A client→server socket message. */
export interface ClientEnvelope {
  type: string;
  payload: Record<string, unknown>;
  requestId?: string;
  correlationId?: string;
}

/** A server→client socket message. `requestId`/`correlationId` echo the client's, when given. */
export interface ServerEnvelope<T> {
  type: string;
  payload: T;
  /** ISO-8601 UTC. */
  timestamp: string;
  requestId?: string;
  correlationId?: string;
}

export const MAX_EVENT_TYPE_LENGTH = 100;
export const MAX_CORRELATION_ID_LENGTH = 128;

/**
 * Shape check of an incoming envelope; the payload itself is validated per event type. The contract's
 * envelope always carries `payload` (`{}` when an event has no fields): absent or null breaks the
 * envelope, anything but an object is a bad payload.
 */
export class ClientEnvelopeSchema implements ClientEnvelope {
  @IsRequiredString(ErrorCode.invalid_envelope, { maxLength: MAX_EVENT_TYPE_LENGTH })
  type!: string;

  @composeDecorators(
    IsDefined(withCode(ErrorCode.invalid_envelope, '$property is required')),
    IsObject(withCode(ErrorCode.invalid_payload, '$property must be a JSON object')),
  )
  payload!: Record<string, unknown>;

  @IsOptionalString(ErrorCode.invalid_envelope, { maxLength: MAX_CORRELATION_ID_LENGTH })
  requestId?: string;

  @IsOptionalString(ErrorCode.invalid_envelope, { maxLength: MAX_CORRELATION_ID_LENGTH })
  correlationId?: string;
}

export interface EnvelopeProblem {
  code: ErrorCode;
  message: string;
  /** Dotted path of the offending member; payload fields are named relative to the payload. */
  field?: string;
}

export type EnvelopeParse =
  | {
      ok: true;
      envelope: ClientEnvelope;
      /** The payload holds ±Infinity, which JSON cannot carry to a service (see InputShape). */
      payloadHasNonFiniteNumber: boolean;
    }
  | ({ ok: false } & EnvelopeProblem);

/**
 * The envelope rule for `payload`, shared by the gateway and the services' transport: present, not
 * null, and a JSON object.
 */
export function envelopePayloadProblem(payload: unknown): EnvelopeProblem | undefined {
  if (payload === undefined || payload === null) {
    return { code: ErrorCode.invalid_envelope, message: 'payload is required', field: 'payload' };
  }
  if (!isRecord(payload)) {
    return { code: ErrorCode.invalid_payload, message: 'payload must be a JSON object', field: 'payload' };
  }
  return undefined;
}

/**
 * The gateway's check of every frame: ClientEnvelopeSchema's rules, with its messages and codes (a spec
 * keeps the two in step), written out because this runs for every frame and class-transformer would
 * deep-copy the payload only to look at four members. Then the payload's structure (input-shape.ts):
 * a prototype key or too deep a nesting is `invalid_payload`.
 */
export function parseClientEnvelope(raw: unknown): EnvelopeParse {
  if (!isRecord(raw))
    return failure(ErrorCode.invalid_envelope, 'a frame must be a JSON object with type and payload');
  for (const key of Object.keys(raw)) {
    if (PROTOTYPE_KEYS.has(key))
      return failure(ErrorCode.invalid_envelope, `${key} is not an accepted field`, key);
  }
  const { type, payload, requestId, correlationId } = raw;
  const problem =
    requiredString('type', type, MAX_EVENT_TYPE_LENGTH) ??
    envelopePayloadProblem(payload) ??
    optionalString('requestId', requestId, MAX_CORRELATION_ID_LENGTH) ??
    optionalString('correlationId', correlationId, MAX_CORRELATION_ID_LENGTH);
  if (problem) return { ok: false, ...problem };
  const validPayload = payload as Record<string, unknown>;
  const shape = inspectInputShape(validPayload);
  if (shape.problem) {
    return failure(ErrorCode.invalid_payload, describeShapeProblem(shape.problem), shape.problem.field);
  }
  const envelope: ClientEnvelope = { type: type as string, payload: validPayload };
  if (typeof requestId === 'string') envelope.requestId = requestId;
  if (typeof correlationId === 'string') envelope.correlationId = correlationId;
  return { ok: true, envelope, payloadHasNonFiniteNumber: shape.hasNonFiniteNumber };
}

function requiredString(field: string, value: unknown, maxLength: number): EnvelopeProblem | undefined {
  if (value === undefined || value === null) return envelopeProblem(field, `${field} is required`);
  if (value === '') return envelopeProblem(field, `${field} must not be empty`);
  return optionalString(field, value, maxLength);
}

/** As IsOptionalString: absent and null are skipped, "" is accepted. */
function optionalString(field: string, value: unknown, maxLength: number): EnvelopeProblem | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return envelopeProblem(field, `${field} must be a string`);
  if (value.length > maxLength)
    return envelopeProblem(field, `${field} must be at most ${maxLength} characters`);
  return undefined;
}

function envelopeProblem(field: string, message: string): EnvelopeProblem {
  return { code: ErrorCode.invalid_envelope, message, field };
}

function failure(code: ErrorCode, message: string, field?: string): EnvelopeParse {
  return field === undefined ? { ok: false, code, message } : { ok: false, code, message, field };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface EnvelopeIds {
  requestId?: string;
  correlationId?: string;
}

/** Builds an outbound envelope; absent ids are left out rather than sent as undefined/null. */
export function makeServerEnvelope<T>(
  type: string,
  payload: T,
  now: Date,
  ids: EnvelopeIds = {},
): ServerEnvelope<T> {
  const envelope: ServerEnvelope<T> = { type, payload, timestamp: now.toISOString() };
  if (ids.requestId !== undefined) envelope.requestId = ids.requestId;
  if (ids.correlationId !== undefined) envelope.correlationId = ids.correlationId;
  return envelope;
}
