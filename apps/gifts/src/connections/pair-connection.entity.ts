import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ConnectedLocation } from '@gisbi/contracts';

/** What gifts knows about a connection, from the connections service's domain events. */
@Entity({ name: 'pair_connections' })
export class PairConnectionEntity {
  @PrimaryColumn({ name: 'connection_id', type: 'text' })
  connectionId!: string;

  @Column({ name: 'user_a_id', type: 'text' })
  userAId!: string;

  @Column({ name: 'user_b_id', type: 'text' })
  userBId!: string;

  @Column({ name: 'connected_location', type: 'jsonb', nullable: true })
  connectedLocation!: ConnectedLocation | null;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}
