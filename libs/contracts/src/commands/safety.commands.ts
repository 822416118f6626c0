import { ErrorCode } from '../errors/error-codes';
import { IsRequiredId, IsRequiredString } from '../validation/field-decorators';

export const MAX_REPORT_REASON_LENGTH = 500;

/** safety.report */
export class SafetyReportPayload {
  @IsRequiredId(ErrorCode.missing_reportedUserId)
  reportedUserId!: string;

  @IsRequiredString(
    { missing: ErrorCode.missing_reason, invalid: ErrorCode.invalid_payload },
    { maxLength: MAX_REPORT_REASON_LENGTH },
  )
  reason!: string;
}

/** safety.block */
export class SafetyBlockPayload {
  @IsRequiredId(ErrorCode.missing_blockedUserId)
  blockedUserId!: string;
}

/** Extension, safety.unblock */
export class SafetyUnblockPayload {
  @IsRequiredId(ErrorCode.missing_blockedUserId)
  blockedUserId!: string;
}
