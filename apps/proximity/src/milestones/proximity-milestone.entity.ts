import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A milestone a pair reached: the primary key makes it happen once per pair and milestone. */
@Entity({ name: 'proximity_milestones' })
export class ProximityMilestoneEntity {
  @PrimaryColumn({ name: 'connection_id', type: 'text' })
  connectionId!: string;

  @PrimaryColumn({ name: 'milestone_minutes', type: 'integer' })
  milestoneMinutes!: number;

  @Column({ name: 'gift_tier', type: 'integer' })
  giftTier!: number;

  @Column({ name: 'reached_at', type: 'timestamptz' })
  reachedAt!: Date;

  @Column({ name: 'accumulated_ms', type: 'bigint' })
  accumulatedMs!: string;
}
