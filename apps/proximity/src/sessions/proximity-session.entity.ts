import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A run of verified together-time of a connected pair. */
@Entity({ name: 'proximity_sessions' })
export class ProximitySessionEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'connection_id', type: 'text' })
  connectionId!: string;

  @Column({ name: 'user_a_id', type: 'text' })
  userAId!: string;

  @Column({ name: 'user_b_id', type: 'text' })
  userBId!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;
}
