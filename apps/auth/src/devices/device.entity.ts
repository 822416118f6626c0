import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DevicePlatform } from '@gisbi/contracts';

/** A push token (FCM/APNS) of one app install, owned by the user who registered it last. */
@Entity({ name: 'devices' })
export class DeviceEntity {
  /** SHA-256 (hex) of the token: the key, since tokens may be longer than an index entry allows. */
  @PrimaryColumn({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  @Column({ type: 'text' })
  token!: string;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  /** Null when the app registered the token at sign-in without naming its platform. */
  @Column({ type: 'text', nullable: true })
  platform!: DevicePlatform | null;

  @Column({ name: 'is_active', type: 'boolean' })
  isActive!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
