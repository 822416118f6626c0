import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { User } from '@gisbi/contracts';

/** A GISBI account: its public profile, its vibe and, once deleted, when and why. */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'integer', nullable: true })
  age!: number | null;

  @Column({ type: 'text', nullable: true })
  avatar!: string | null;

  @Column({ type: 'text', nullable: true })
  gender!: string | null;

  @Column({ type: 'text', nullable: true })
  vibe!: string | null;

  @Column({ name: 'vibe_expires_at', type: 'timestamptz', nullable: true })
  vibeExpiresAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @Column({ name: 'deletion_reason', type: 'text', nullable: true })
  deletionReason!: string | null;
}

/** The contract's User, exactly (no internal fields). */
export function toUser(entity: UserEntity): User {
  return {
    id: entity.id,
    name: entity.name,
    age: entity.age,
    avatar: entity.avatar,
    gender: entity.gender,
    vibe: entity.vibe,
    vibeExpiresAt: entity.vibeExpiresAt ? entity.vibeExpiresAt.toISOString() : null,
  };
}
