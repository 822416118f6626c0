import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A sponsored pair reward granted to a connected pair. */
@Entity({ name: 'sponsored_gifts' })
export class SponsoredGiftEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'campaign_id', type: 'text' })
  campaignId!: string;

  @Column({ name: 'connection_id', type: 'text' })
  connectionId!: string;

  @Column({ name: 'user_a_id', type: 'text' })
  userAId!: string;

  @Column({ name: 'user_b_id', type: 'text' })
  userBId!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
