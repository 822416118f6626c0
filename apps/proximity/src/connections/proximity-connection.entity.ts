import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A connection as the proximity service knows it (projection), with the pair's verified-time aggregate. */
@Entity({ name: 'proximity_connections' })
export class ProximityConnectionEntity {
  @PrimaryColumn({ name: 'connection_id', type: 'text' })
  connectionId!: string;

  @Column({ name: 'user_a_id', type: 'text' })
  userAId!: string;

  @Column({ name: 'user_b_id', type: 'text' })
  userBId!: string;

  @Column({ type: 'text' })
  status!: 'active' | 'closed';

  @Column({ name: 'accepted_at', type: 'timestamptz' })
  acceptedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'close_reason', type: 'text', nullable: true })
  closeReason!: string | null;

  /** bigint: TypeORM reads it as a string. */
  @Column({ name: 'accumulated_ms', type: 'bigint' })
  accumulatedMs!: string;

  @Column({ name: 'unlocked_milestones', type: 'integer', array: true })
  unlockedMilestones!: number[];

  @Column({ name: 'token_replays', type: 'integer' })
  tokenReplays!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
