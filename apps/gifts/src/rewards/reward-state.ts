import type { SponsoredGiftClaimStage, SponsoredGiftHistoryStatus, SponsoredGiftStatus } from '@gisbi/contracts';

/** The lifecycle fields of a stored reward. */
export interface RewardLifecycle {
  status: SponsoredGiftStatus;
  expiresAt: Date | null;
  activeCodeId: string | null;
  codeExpiresAt: Date | null;
}

/** A reward's lifecycle as it is at `now`, even if the expiry job has not run yet. */
export interface EffectiveState {
  status: SponsoredGiftStatus;
  /** A redemption code is live (issued by a claim, not expired, not redeemed). */
  hasLiveCode: boolean;
}

export function effectiveState(reward: RewardLifecycle, now: Date): EffectiveState {
  const nowMs = now.getTime();
  if (reward.status !== 'active') return { status: reward.status, hasLiveCode: false };
  if (reward.expiresAt !== null && reward.expiresAt.getTime() <= nowMs) return { status: 'expired', hasLiveCode: false };
  const hasLiveCode =
    reward.activeCodeId !== null && reward.codeExpiresAt !== null && reward.codeExpiresAt.getTime() > nowMs;
  return { status: 'active', hasLiveCode };
}

/**
 * | raw status (legacyStatus) | live code | claimableNow | claimStage | historyStatus |
 * | ------------------------- | --------- | ------------ | ---------- | ------------- |
 * | active                    | no        | false        | granted    | pending       |
 * | active                    | no        | true         | granted    | available     |
 * | active                    | yes       | any          | verified   | verified      |
 * | redeemed                  | —         | false        | redeemed   | claimed       |
 * | expired                   | —         | false        | expired    | disqualified  |
 * | cancelled                 | —         | false        | cancelled  | disqualified  |
 */
export function claimStageOf(state: EffectiveState): SponsoredGiftClaimStage {
  switch (state.status) {
    case 'active':
      return state.hasLiveCode ? 'verified' : 'granted';
    case 'redeemed':
      return 'redeemed';
    case 'expired':
      return 'expired';
    case 'cancelled':
      return 'cancelled';
  }
}

export function historyStatusOf(state: EffectiveState, claimableNow: boolean): SponsoredGiftHistoryStatus {
  switch (state.status) {
    case 'active':
      if (state.hasLiveCode) return 'verified';
      return claimableNow ? 'available' : 'pending';
    case 'redeemed':
      return 'claimed';
    case 'expired':
    case 'cancelled':
      return 'disqualified';
  }
}

/** `<a>:<b>` with the two user IDs in lexicographic order. */
export function pairKeyOf(userA: string, userB: string): string {
  const [first, second] = orderedPair(userA, userB);
  return `${first}:${second}`;
}

export function orderedPair(userA: string, userB: string): [string, string] {
  return userA < userB ? [userA, userB] : [userB, userA];
}
