import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AuthProvider } from '@gisbi/contracts';

/** Links a provider account (provider + its stable `sub`) to one GISBI user. */
@Entity({ name: 'identities' })
export class IdentityEntity {
  @PrimaryColumn({ type: 'text' })
  provider!: AuthProvider;

  @PrimaryColumn({ type: 'text' })
  subject!: string;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_login_at', type: 'timestamptz' })
  lastLoginAt!: Date;
}
