import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One notification the recording transport accepted for one device token. */
@Entity({ name: 'push_attempts' })
export class PushAttemptEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ type: 'text' })
  token!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'jsonb', nullable: true })
  data!: Record<string, string> | null;

  @Column({ name: 'collapse_key', type: 'text', nullable: true })
  collapseKey!: string | null;

  @Column({ type: 'text' })
  outcome!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
