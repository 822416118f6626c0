import { type SponsoredGift } from '../../models/sponsored-gift';

export interface GiftHistoryPayload {
  limit: number;
  /** Pass as `cursor` for the next page; null when there is none. */
  nextCursor: string | null;
  sponsoredGifts: SponsoredGift[];
}

export type GiftSponsoredGrantedPayload = SponsoredGift;

/**
 * Extension, gift.claim: the claimer receives the updated reward and the code to show at the venue;
 * the partner receives the updated reward with `redemptionCode: null`.
 */
export interface GiftClaimedPayload {
  gift: SponsoredGift;
  redemptionCode: string | null;
}
