import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Whether a user shows on other people's radar; persisted so it survives reconnects and restarts. */
@Entity({ name: 'radar_visibility' })
export class RadarVisibilityEntity {
  @PrimaryColumn({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'is_on_radar', type: 'boolean' })
  isOnRadar!: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
