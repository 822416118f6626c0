import { IsObject, IsOptional } from 'class-validator';
import { ErrorCode } from './errors/error-codes';
import { IsOptionalString, IsRequiredString } from './validation/field-decorators';
import { withCode } from './validation/with-code';

/** A client→server socket message. */
export interface ClientEnvelope {
  type: string;
  payload?: unknown;
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

/** Shape check of an incoming envelope; the payload itself is validated per event type. */
export class ClientEnvelopeSchema implements ClientEnvelope {
  @IsRequiredString(ErrorCode.invalid_envelope, { maxLength: MAX_EVENT_TYPE_LENGTH })
  type!: string;

  @IsOptional()
  @IsObject(withCode(ErrorCode.invalid_payload, 'payload must be a JSON object'))
  payload?: Record<string, unknown>;

  @IsOptionalString(ErrorCode.invalid_envelope, { maxLength: MAX_CORRELATION_ID_LENGTH })
  requestId?: string;

  @IsOptionalString(ErrorCode.invalid_envelope, { maxLength: MAX_CORRELATION_ID_LENGTH })
  correlationId?: string;
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
