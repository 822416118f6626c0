import { type SponsoredGift } from '../../models/sponsored-gift';

export interface GiftHistoryPayload {
  limit: number;
  /** Pass as `cursor` for the next page; null when there is none. */
  nextCursor: string | null;
  sponsoredGifts: SponsoredGift[];
}

export type GiftSponsoredGrantedPayload = SponsoredGift;

/**
 * Extension, gift.sponsored.updated (both users): a reward changed without a command from the user — a
 * venue redeemed its code, the code or the reward expired, or it was cancelled (connection closed, a
 * participant blocked the other or deleted the account).
 */
export type GiftSponsoredUpdatedPayload = SponsoredGift;

/**
 * Extension, gift.claim: the claimer receives the updated reward and the code to show at the venue;
 * the partner receives the updated reward with `redemptionCode: null`.
 */
export interface GiftClaimedPayload {
  gift: SponsoredGift;
  redemptionCode: string | null;
}
