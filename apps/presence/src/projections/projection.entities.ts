import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { User } from '@gisbi/contracts';

/**
 * Profiles of users as the radar shows them, fed by auth.user_updated / auth.user_deleted (and, once per
 * unknown user, by auth's users.get_many). `source_at` orders updates so a late redelivery never wins.
 */
@Entity({ name: 'user_profiles' })
export class UserProfileEntity {
  @PrimaryColumn({ name: 'user_id', type: 'text' })
  userId!: string;

  /** Null once the account is deleted (nothing personal is kept). */
  @Column({ type: 'jsonb', nullable: true })
  profile!: User | null;

  @Column({ type: 'boolean', default: false })
  deleted!: boolean;

  @Column({ name: 'source_at', type: 'timestamptz' })
  sourceAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Blocks between users (either direction hides both from each other), fed by connections.user_(un)blocked. */
@Entity({ name: 'blocks' })
@Index('blocks_blocked_idx', ['blockedId'], { where: 'is_blocked' })
export class BlockProjectionEntity {
  @PrimaryColumn({ name: 'blocker_id', type: 'text' })
  blockerId!: string;

  @PrimaryColumn({ name: 'blocked_id', type: 'text' })
  blockedId!: string;

  @Column({ name: 'is_blocked', type: 'boolean' })
  isBlocked!: boolean;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;
}

/** Connected pairs (they see each other's exact positions), fed by connections.connection_accepted/closed. */
@Entity({ name: 'peer_connections' })
@Index('peer_connections_a_idx', ['userAId'], { where: 'is_active' })
@Index('peer_connections_b_idx', ['userBId'], { where: 'is_active' })
export class PeerConnectionEntity {
  @PrimaryColumn({ name: 'connection_id', type: 'text' })
  connectionId!: string;

  @Column({ name: 'user_a_id', type: 'text' })
  userAId!: string;

  @Column({ name: 'user_b_id', type: 'text' })
  userBId!: string;

  @Column({ name: 'is_active', type: 'boolean' })
  isActive!: boolean;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;
}
