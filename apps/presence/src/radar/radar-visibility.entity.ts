import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Whether a user shows on other people's radar; persisted so it survives reconnects and restarts (Redis
 * holds a cache of it that the location scripts read atomically). No row means visible (the default).
 */
@Entity({ name: 'radar_visibility' })
export class RadarVisibilityEntity {
  @PrimaryColumn({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'is_on_radar', type: 'boolean' })
  isOnRadar!: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
