import { ErrorCode } from '../errors/error-codes';
import { IsOptionalString, IsRequiredId } from '../validation/field-decorators';

/** connection.request.send */
export class ConnectionRequestSendPayload {
  /** The user to connect with. */
  @IsRequiredId(ErrorCode.missing_userId)
  userId!: string;
}

/** connection.request.accept */
export class ConnectionRequestAcceptPayload {
  @IsRequiredId(ErrorCode.missing_requestId)
  requestId!: string;
}

/** connection.request.reject */
export class ConnectionRequestRejectPayload {
  @IsRequiredId(ErrorCode.missing_requestId)
  requestId!: string;
}

export const MAX_CLOSURE_REASON_LENGTH = 200;

/** connection.close */
export class ConnectionClosePayload {
  @IsRequiredId(ErrorCode.missing_connectionId)
  connectionId!: string;

  @IsOptionalString(ErrorCode.invalid_payload, { maxLength: MAX_CLOSURE_REASON_LENGTH })
  closureReason?: string;
}

/** connection.history.fetch: no fields. */
export class ConnectionHistoryFetchPayload {}

/** connection.ring */
export class ConnectionRingPayload {
  /** The user to ring. */
  @IsRequiredId(ErrorCode.missing_userId)
  userId!: string;
}
