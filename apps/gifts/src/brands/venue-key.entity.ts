import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A venue's credential for redeeming its brand's codes. Only the key's SHA-256 is stored. */
@Entity({ name: 'venue_keys' })
export class VenueKeyEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'brand_id', type: 'text' })
  brandId!: string;

  @Column({ type: 'text' })
  label!: string;

  @Column({ name: 'key_hash', type: 'text' })
  keyHash!: string;

  @Column({ name: 'key_hint', type: 'text' })
  keyHint!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
