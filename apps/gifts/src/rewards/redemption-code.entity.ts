import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `void`: replaced before it was used (the reward was cancelled or expired first). */
export type RedemptionCodeStatus = 'active' | 'redeemed' | 'expired' | 'void';

/** A code issued by a successful claim, redeemed once by a venue of the reward's brand. */
@Entity({ name: 'redemption_codes' })
export class RedemptionCodeEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'gift_id', type: 'text' })
  giftId!: string;

  @Column({ name: 'brand_id', type: 'text' })
  brandId!: string;

  @Column({ type: 'text' })
  code!: string;

  @Column({ name: 'claimed_by_user_id', type: 'text' })
  claimedByUserId!: string;

  @Column({ type: 'text' })
  status!: RedemptionCodeStatus;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'redeemed_at', type: 'timestamptz', nullable: true })
  redeemedAt!: Date | null;

  @Column({ name: 'venue_key_id', type: 'text', nullable: true })
  venueKeyId!: string | null;
}
