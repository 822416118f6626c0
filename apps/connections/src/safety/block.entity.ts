import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A block one user placed on another. */
@Entity({ name: 'blocks' })
export class BlockEntity {
  @PrimaryColumn({ name: 'blocker_id', type: 'text' })
  blockerId!: string;

  @PrimaryColumn({ name: 'blocked_id', type: 'text' })
  blockedId!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
