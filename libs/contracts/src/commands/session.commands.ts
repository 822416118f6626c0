import { IsOptional } from 'class-validator';
import { ErrorCode } from '../errors/error-codes';
import { IsIsoDateTime } from '../validation/custom-constraints';
import { withCode } from '../validation/with-code';

/** session.start */
export class SessionStartPayload {
  /** Replay incoming messages created after this instant. */
  @IsOptional()
  @IsIsoDateTime(withCode(ErrorCode.invalid_payload))
  lastSeenAt?: string;
}
