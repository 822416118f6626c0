import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { ProximityToken } from '@gisbi/contracts';
import { PROXIMITY_SETTINGS, type ProximitySettings } from '../config/proximity-config';
import { queryOne, queryRows } from '../persistence/sql';
import { generateToken } from './token-format';

/** A stored token as the proof check needs it. */
export interface TokenRow {
  token: string;
  connection_id: string;
  user_id: string;
  expires_at: Date;
  accept_until: Date;
  replaced_at: Date | null;
}

/**
 * How a presented token relates to the partner it should belong to:
 * - `current`: the partner's live token for this connection;
 * - `grace`: the partner's previous token, replaced by a rotation moments ago and still accepted;
 * - `replay`: the partner's token for this connection, presented after it expired or was invalidated;
 * - `foreign`: unknown, or not the partner's token for this connection.
 */
export type TokenVerdict = 'current' | 'grace' | 'replay' | 'foreign';

export function judgeToken(row: TokenRow | undefined, connectionId: string, partnerId: string, now: number): TokenVerdict {
  if (!row || row.connection_id !== connectionId || row.user_id !== partnerId) return 'foreign';
  if (now >= row.accept_until.getTime()) return 'replay';
  return row.replaced_at === null ? 'current' : 'grace';
}

export interface RotatedToken {
  connectionId: string;
  userId: string;
  token: string;
  expiresAt: Date;
}

const MAX_GENERATION_ATTEMPTS = 5;

/** BLE tokens: issue, rotation, revocation, retention. Callers hold the connection's row lock. */
@Injectable()
export class TokenStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PROXIMITY_SETTINGS) private readonly settings: ProximitySettings,
  ) {}

  /** A new token for the participant; the previous one stops being accepted at once. */
  async issue(manager: EntityManager, connectionId: string, userId: string, now: Date): Promise<ProximityToken> {
    await manager.query(
      `UPDATE proximity_tokens SET replaced_at = $3, replaced_reason = 'reissued', accept_until = LEAST(accept_until, $3)
        WHERE connection_id = $1 AND user_id = $2 AND replaced_at IS NULL`,
      [connectionId, userId, now],
    );
    const { token, expiresAt } = await this.insert(manager, connectionId, userId, now);
    return { token, expiresAt: expiresAt.toISOString(), connectionId };
  }

  /**
   * Replaces the participants' tokens that expire within the rotation lead time; each previous token stays
   * accepted for the rotation grace (never beyond its own expiry).
   */
  async rotateDue(manager: EntityManager, connectionIds: readonly string[], now: Date): Promise<RotatedToken[]> {
    if (connectionIds.length === 0) return [];
    const due = new Date(now.getTime() + this.settings.rotateBeforeMs);
    const graceEnd = new Date(now.getTime() + this.settings.rotationGraceMs);
    const replaced = await queryRows<{ connection_id: string; user_id: string }>(
      manager,
      `UPDATE proximity_tokens SET replaced_at = $2, replaced_reason = 'rotated', accept_until = LEAST(accept_until, $4)
        WHERE connection_id = ANY($1) AND replaced_at IS NULL AND expires_at > $2 AND expires_at <= $3
        RETURNING connection_id, user_id`,
      [connectionIds, now, due, graceEnd],
    );
    // One statement for the whole batch: the rotation job holds these connections' row locks, and every
    // heartbeat of them waits until it commits.
    return this.insertMany(
      manager,
      replaced.map((row) => ({ connectionId: row.connection_id, userId: row.user_id })),
      now,
    );
  }

  /** Closing or blocking: no token of the connection is accepted from now on. */
  async revokeAll(manager: EntityManager, connectionId: string, now: Date): Promise<void> {
    await manager.query(
      `UPDATE proximity_tokens
          SET replaced_at = COALESCE(replaced_at, $2),
              replaced_reason = COALESCE(replaced_reason, 'revoked'),
              accept_until = LEAST(accept_until, $2)
        WHERE connection_id = $1 AND accept_until > $2`,
      [connectionId, now],
    );
  }

  async recordGraceUse(manager: EntityManager, token: string): Promise<void> {
    await manager.query(`UPDATE proximity_tokens SET grace_uses = grace_uses + 1 WHERE token = $1`, [token]);
  }

  /** The participant's live token, if any (for session.bootstrap). */
  async current(connectionId: string, userId: string, now: Date): Promise<{ token: string; expiresAt: Date } | undefined> {
    const row = await queryOne<{ token: string; expires_at: Date }>(
      this.dataSource.manager,
      `SELECT token, expires_at FROM proximity_tokens
        WHERE connection_id = $1 AND user_id = $2 AND replaced_at IS NULL AND expires_at > $3`,
      [connectionId, userId, now],
    );
    return row ? { token: row.token, expiresAt: row.expires_at } : undefined;
  }

  /** Forgets tokens that stopped being accepted longer than the retention ago. Returns how many. */
  async purge(now: Date, limit = 1000): Promise<number> {
    const rows = await queryRows<{ token: string }>(
      this.dataSource.manager,
      `DELETE FROM proximity_tokens WHERE token IN (
         SELECT token FROM proximity_tokens WHERE accept_until < $1 ORDER BY accept_until LIMIT $2
       ) RETURNING token`,
      [new Date(now.getTime() - this.settings.tokenRetentionMs), limit],
    );
    return rows.length;
  }

  private async insert(manager: EntityManager, connectionId: string, userId: string, now: Date): Promise<{ token: string; expiresAt: Date }> {
    const [issued] = await this.insertMany(manager, [{ connectionId, userId }], now);
    if (!issued) throw new Error('could not generate a unique proximity token');
    return issued;
  }

  /**
   * New live tokens for several participants in one INSERT per attempt. Tokens are short, so a collision
   * with a stored token (or another in the batch) is possible: those owners get fresh candidates.
   */
  private async insertMany(manager: EntityManager, owners: ReadonlyArray<{ connectionId: string; userId: string }>, now: Date): Promise<RotatedToken[]> {
    const expiresAt = new Date(now.getTime() + this.settings.tokenTtlMs);
    const issued: RotatedToken[] = [];
    let pending = owners;
    for (let attempt = 0; attempt < MAX_GENERATION_ATTEMPTS && pending.length > 0; attempt++) {
      const candidates = withDistinctTokens(pending);
      const inserted = await queryRows<{ token: string }>(
        manager,
        `INSERT INTO proximity_tokens (token, connection_id, user_id, issued_at, expires_at, accept_until)
         SELECT v.token, v.connection_id, v.user_id, $4, $5, $5
           FROM unnest($1::text[], $2::text[], $3::text[]) AS v(token, connection_id, user_id)
         ON CONFLICT (token) DO NOTHING RETURNING token`,
        [candidates.map((c) => c.token), candidates.map((c) => c.connectionId), candidates.map((c) => c.userId), now, expiresAt],
      );
      const stored = new Set(inserted.map((row) => row.token));
      for (const candidate of candidates) if (stored.has(candidate.token)) issued.push({ ...candidate, expiresAt });
      pending = candidates.filter((candidate) => !stored.has(candidate.token));
    }
    if (pending.length > 0) throw new Error('could not generate a unique proximity token');
    return issued;
  }
}

/** A candidate token per owner, none repeated within the batch. */
function withDistinctTokens(owners: ReadonlyArray<{ connectionId: string; userId: string }>): Array<{ connectionId: string; userId: string; token: string }> {
  const taken = new Set<string>();
  return owners.map((owner) => {
    let token = generateToken();
    while (taken.has(token)) token = generateToken();
    taken.add(token);
    return { connectionId: owner.connectionId, userId: owner.userId, token };
  });
}
