import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Projection of connections.connection_accepted / connection_closed: which pairs are connected now. */
@Entity({ name: 'pair_connections' })
export class PairConnectionEntity {
  @PrimaryColumn({ name: 'connection_id', type: 'text' })
  connectionId!: string;

  /** The pair in lexicographic order. */
  @Column({ name: 'user_low', type: 'text' })
  userLow!: string;

  @Column({ name: 'user_high', type: 'text' })
  userHigh!: string;

  @Column({ type: 'text' })
  status!: 'active' | 'closed';

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}

/** Projection of connections.user_blocked / user_unblocked: the latest state of each directed block. */
@Entity({ name: 'blocks' })
export class BlockEntity {
  @PrimaryColumn({ name: 'blocker_id', type: 'text' })
  blockerId!: string;

  @PrimaryColumn({ name: 'blocked_id', type: 'text' })
  blockedId!: string;

  @Column({ type: 'boolean' })
  blocked!: boolean;

  /** (changedAt, eventId) orders the events, so a late-delivered older event never wins. */
  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;

  @Column({ name: 'event_id', type: 'text' })
  eventId!: string;
}

/** Projection of auth.user_deleted. */
@Entity({ name: 'deleted_users' })
export class DeletedUserEntity {
  @PrimaryColumn({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'deleted_at', type: 'timestamptz' })
  deletedAt!: Date;
}
