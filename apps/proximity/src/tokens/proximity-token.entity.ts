import { Column, Entity, PrimaryColumn } from 'typeorm';

export type TokenReplacedReason = 'reissued' | 'rotated' | 'revoked';

/** A BLE advertising token of one participant of one connection. */
@Entity({ name: 'proximity_tokens' })
export class ProximityTokenEntity {
  @PrimaryColumn({ type: 'text' })
  token!: string;

  @Column({ name: 'connection_id', type: 'text' })
  connectionId!: string;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** When the token stops being accepted (expiry, or replacement plus any rotation grace). */
  @Column({ name: 'accept_until', type: 'timestamptz' })
  acceptUntil!: Date;

  @Column({ name: 'replaced_at', type: 'timestamptz', nullable: true })
  replacedAt!: Date | null;

  @Column({ name: 'replaced_reason', type: 'text', nullable: true })
  replacedReason!: TokenReplacedReason | null;

  /** Presentations accepted during the rotation grace (the partner still saw the old advertisement). */
  @Column({ name: 'grace_uses', type: 'integer' })
  graceUses!: number;
}
