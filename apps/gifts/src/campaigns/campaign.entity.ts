import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CampaignStatus } from '@gisbi/contracts';

/** A sponsor campaign: when it grants, to whom, how often, and what the reward says. */
@Entity({ name: 'campaigns' })
export class CampaignEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'brand_id', type: 'text' })
  brandId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  status!: CampaignStatus;

  @Column({ name: 'trigger_connection_accepted', type: 'boolean' })
  triggerConnectionAccepted!: boolean;

  /** Ascending; empty when the campaign has no milestone trigger. */
  @Column({ name: 'milestone_minutes', type: 'int', array: true })
  milestoneMinutes!: number[];

  @Column({ name: 'min_total_together_minutes', type: 'int' })
  minTotalTogetherMinutes!: number;

  @Column({ name: 'min_daily_together_minutes', type: 'int', nullable: true })
  minDailyTogetherMinutes!: number | null;

  @Column({ name: 'min_distinct_qualifying_days', type: 'int' })
  minDistinctQualifyingDays!: number;

  @Column({ name: 'require_active_proximity_for_claim', type: 'boolean' })
  requireActiveProximityForClaim!: boolean;

  @Column({ type: 'int', nullable: true })
  stock!: number | null;

  @Column({ name: 'granted_count', type: 'int' })
  grantedCount!: number;

  @Column({ name: 'per_pair_limit', type: 'int' })
  perPairLimit!: number;

  @Column({ name: 'per_user_limit', type: 'int', nullable: true })
  perUserLimit!: number | null;

  @Column({ name: 'area_lat', type: 'double precision', nullable: true })
  areaLat!: number | null;

  @Column({ name: 'area_lng', type: 'double precision', nullable: true })
  areaLng!: number | null;

  @Column({ name: 'area_radius_meters', type: 'double precision', nullable: true })
  areaRadiusMeters!: number | null;

  @Column({ name: 'claim_lat', type: 'double precision', nullable: true })
  claimLat!: number | null;

  @Column({ name: 'claim_lng', type: 'double precision', nullable: true })
  claimLng!: number | null;

  @Column({ name: 'claim_radius_meters', type: 'double precision', nullable: true })
  claimRadiusMeters!: number | null;

  @Column({ name: 'starts_at', type: 'timestamptz', nullable: true })
  startsAt!: Date | null;

  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true })
  endsAt!: Date | null;

  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

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

  @Column({ name: 'reward_lifetime_minutes', type: 'int', nullable: true })
  rewardLifetimeMinutes!: number | null;

  @Column({ name: 'code_lifetime_minutes', type: 'int' })
  codeLifetimeMinutes!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
