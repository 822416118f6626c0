import { Column, Entity, PrimaryColumn } from 'typeorm';

export type SessionRevocationReason = 'logout' | 'refresh_token_reused' | 'account_deleted';

/**
 * A login session = one refresh-token family. Only the jti of the refresh token that may be presented
 * next is kept (plus the one it replaced, for the optional reuse grace); tokens themselves never are.
 */
@Entity({ name: 'sessions' })
export class SessionEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'current_token_id', type: 'text' })
  currentTokenId!: string;

  @Column({ name: 'previous_token_id', type: 'text', nullable: true })
  previousTokenId!: string | null;

  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Expiry of the current refresh token: the session cannot be continued after it. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_reason', type: 'text', nullable: true })
  revokedReason!: SessionRevocationReason | null;
}
