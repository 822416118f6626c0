import { ErrorCode } from '../errors/error-codes';
import { IsNumberBetween, IsOptionalString, IsRequiredId } from '../validation/field-decorators';
import { MAX_CURSOR_LENGTH } from './chat.commands';

export const MAX_GIFT_HISTORY_LIMIT = 50;

/** gift.history.fetch */
export class GiftHistoryFetchPayload {
  @IsNumberBetween(ErrorCode.invalid_limit, 1, MAX_GIFT_HISTORY_LIMIT, { integer: true, optional: true })
  limit?: number;

  /** nextCursor of the previous page. */
  @IsOptionalString(ErrorCode.invalid_cursor, { minLength: 1, maxLength: MAX_CURSOR_LENGTH })
  cursor?: string;
}

/** Extension, gift.claim: claim a sponsored reward. */
export class GiftClaimPayload {
  @IsRequiredId(ErrorCode.missing_giftId)
  giftId!: string;
}

/** The disabled legacy peer gift actions: any payload is accepted, the action is refused. */
export class LegacyGiftPayload {}
