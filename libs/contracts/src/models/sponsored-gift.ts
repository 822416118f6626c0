import { type Brand } from './brand';

export type SponsoredGiftTriggerType = 'connectionAccepted' | 'proximityMilestone';

/** Where the reward is in its claim flow. */
export type SponsoredGiftClaimStage = 'granted' | 'verified' | 'redeemed' | 'expired' | 'cancelled';

/** User-facing history label (the contract says "current values include" these). */
export type SponsoredGiftHistoryStatus = 'pending' | 'available' | 'verified' | 'claimed' | 'disqualified';

/** Raw backend lifecycle status. */
export type SponsoredGiftStatus = 'active' | 'redeemed' | 'expired' | 'cancelled';

/** The pair's qualifying time at one moment of the reward's life (grant, claim). */
export interface VerificationSnapshot {
  qualifyingTogetherMinutes: number;
  qualifyingDaysCount: number;
  totalVerifiedMinutes: number;
  activeProximityNow: boolean;
  evaluatedAt: string;
}

/** Sponsor-facing proof of the pair's together-time, as evaluated at `evaluatedAt`. */
export interface VerificationContext {
  qualifyingTogetherMinutes: number;
  requiredTogetherMinutes: number;
  qualifyingDaysCount: number;
  /** 0 when the campaign has no daily rule. */
  requiredQualifyingDays: number;
  /** All verified minutes, before daily-threshold filtering. */
  totalVerifiedMinutes: number;
  activeProximityNow: boolean;
  /** IANA time zone used to cut calendar days (the campaign's). */
  timeZone: string;
  evaluatedAt: string;
  /** Extension: false when the proximity service could not be asked (time then counts as zero). */
  proximityDataAvailable: boolean;
  /** Extension: the historical proof, as evaluated when the reward was granted. */
  atGrant: VerificationSnapshot;
  /** Extension: as evaluated when the current (or last) redemption code was issued; null before any claim. */
  atClaim: VerificationSnapshot | null;
}

/**
 * Risk flags that explain why a reward is or is not safely claimable now; `true` means the risk is
 * present. Keys outside RiskSignal may appear; clients should show unknown keys generically.
 */
export const RiskSignal = {
  /** Qualifying together-time is below the campaign's requirement. */
  insufficientTogetherTime: 'insufficientTogetherTime',
  /** Fewer qualifying days than the campaign requires. */
  insufficientQualifyingDays: 'insufficientQualifyingDays',
  /** The campaign requires active proximity at claim and the pair is not together now. */
  proximityNotActive: 'proximityNotActive',
  connectionClosed: 'connectionClosed',
  /** One participant blocked the other. */
  participantBlocked: 'participantBlocked',
  participantDeleted: 'participantDeleted',
  rewardExpired: 'rewardExpired',
  codeExpired: 'codeExpired',
  /** Proximity evidence looked spoofed (e.g. implausibly strong RSSI, token replay). */
  proximityAnomaly: 'proximityAnomaly',
  /** The proximity service did not answer: verified time could not be checked and counts as zero. */
  proximityUnavailable: 'proximityUnavailable',
} as const;

export type RiskSignal = (typeof RiskSignal)[keyof typeof RiskSignal];

export interface RiskSignals {
  [signal: string]: boolean;
}

/** A sponsored pair reward, as seen by one participant of the pair. */
export interface SponsoredGift {
  /** `sgg_...` */
  giftId: string;
  giftType: 'sponsoredPairReward';
  connectionId: string;
  campaignId: string;
  brand: Brand;
  userAId: string;
  userBId: string;
  /** The other user in the pair, for the viewer. */
  partnerUserId: string | null;
  partnerName: string | null;
  partnerAvatarUrl: string | null;
  partnerClaimableNow: boolean | null;
  triggerType: SponsoredGiftTriggerType;
  milestoneMinutes: number | null;
  minTotalTogetherMinutes: number;
  minDailyTogetherMinutes: number | null;
  minDistinctQualifyingDays: number;
  requireActiveProximityForClaim: boolean;
  qualifyingTogetherMinutes: number | null;
  requiredTogetherMinutes: number | null;
  qualifyingDaysCount: number | null;
  requiredQualifyingDays: number | null;
  claimableNow: boolean | null;
  claimStage: SponsoredGiftClaimStage;
  historyStatus: SponsoredGiftHistoryStatus;
  /** 0-100. */
  sponsorConfidenceScore: number;
  verificationContext: VerificationContext;
  riskSignals: RiskSignals;
  title: string;
  description: string;
  terms: string;
  rewardImageUrl: string | null;
  brandTagline: string | null;
  /** Alias of the campaign tagline/message. */
  campaignMessage: string | null;
  /** Falls back to the brand name when the campaign has no venue name. */
  venueName: string | null;
  venueAddress: string | null;
  status: SponsoredGiftStatus;
  /** Alias of `status`, for compatibility. */
  legacyStatus: SponsoredGiftStatus;
  createdAt: string;
  expiresAt: string | null;
  /** Redemption code expiry, separate from the reward's own lifetime. */
  codeExpiresAt: string | null;
}
