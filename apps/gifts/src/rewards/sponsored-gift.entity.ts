import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SponsoredGiftStatus, SponsoredGiftTriggerType, VerificationSnapshot } from '@gisbi/contracts';

/** Why an active reward was cancelled. */
export type CancelReason = 'connection_closed' | 'participant_blocked' | 'participant_deleted';

/**
 * A sponsored pair reward. The campaign's rules and texts are copied at grant time, so a reward keeps the
 * terms it was granted with when the campaign is edited later.
 */
@Entity({ name: 'sponsored_gifts' })
export class SponsoredGiftEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'campaign_id', type: 'text' })
  campaignId!: string;

  @Column({ name: 'brand_id', type: 'text' })
  brandId!: string;

  @Column({ name: 'connection_id', type: 'text' })
  connectionId!: string;

  @Column({ name: 'user_a_id', type: 'text' })
  userAId!: string;

  @Column({ name: 'user_b_id', type: 'text' })
  userBId!: string;

  /** `<userAId>:<userBId>` with the IDs in lexicographic order: the pair, across reconnections. */
  @Column({ name: 'pair_key', type: 'text' })
  pairKey!: string;

  @Column({ name: 'trigger_type', type: 'text' })
  triggerType!: SponsoredGiftTriggerType;

  @Column({ name: 'milestone_minutes', type: 'int', nullable: true })
  milestoneMinutes!: number | null;

  /** The trigger occurrence: `connectionAccepted:<connectionId>` or `proximityMilestone:<connectionId>:<minutes>`. */
  @Column({ name: 'trigger_key', type: 'text' })
  triggerKey!: string;

  @Column({ name: 'min_total_together_minutes', type: 'int' })
  minTotalTogetherMinutes!: number;

  @Column({ name: 'min_daily_together_minutes', type: 'int', nullable: true })
  minDailyTogetherMinutes!: number | null;

  @Column({ name: 'min_distinct_qualifying_days', type: 'int' })
  minDistinctQualifyingDays!: number;

  @Column({ name: 'require_active_proximity_for_claim', type: 'boolean' })
  requireActiveProximityForClaim!: boolean;

  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  @Column({ name: 'claim_lat', type: 'double precision', nullable: true })
  claimLat!: number | null;

  @Column({ name: 'claim_lng', type: 'double precision', nullable: true })
  claimLng!: number | null;

  @Column({ name: 'claim_radius_meters', type: 'double precision', nullable: true })
  claimRadiusMeters!: number | null;

  @Column({ name: 'code_lifetime_minutes', type: 'int' })
  codeLifetimeMinutes!: number;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text' })
  terms!: string;

  @Column({ name: 'reward_image_url', type: 'text', nullable: true })
  rewardImageUrl!: string | null;

  @Column({ type: 'text', nullable: true })
  tagline!: string | null;

  @Column({ name: 'venue_name', type: 'text', nullable: true })
  venueName!: string | null;

  @Column({ name: 'venue_address', type: 'text', nullable: true })
  venueAddress!: string | null;

  @Column({ type: 'text' })
  status!: SponsoredGiftStatus;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  /** The live redemption code, while the reward is verified. */
  @Column({ name: 'active_code_id', type: 'text', nullable: true })
  activeCodeId!: string | null;

  @Column({ name: 'code_expires_at', type: 'timestamptz', nullable: true })
  codeExpiresAt!: Date | null;

  /** When the live code was issued (the claim); null while no code is live. */
  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;

  @Column({ name: 'last_code_expired_at', type: 'timestamptz', nullable: true })
  lastCodeExpiredAt!: Date | null;

  @Column({ name: 'redeemed_at', type: 'timestamptz', nullable: true })
  redeemedAt!: Date | null;

  @Column({ name: 'expired_at', type: 'timestamptz', nullable: true })
  expiredAt!: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason!: CancelReason | null;

  @Column({ name: 'grant_snapshot', type: 'jsonb' })
  grantSnapshot!: VerificationSnapshot;

  @Column({ name: 'claim_snapshot', type: 'jsonb', nullable: true })
  claimSnapshot!: VerificationSnapshot | null;
}
