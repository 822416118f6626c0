import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ErrorCode, IdPrefix, SocketCloseCode, type AccessCheckResponse, type TokenPairResponseDto } from '@gisbi/contracts';
import { Clock, Deliverer, DomainError, newId, PeriodicJobs } from '@gisbi/platform';
import { AUTH_ENV, type AuthEnv } from '../config/auth-config';
import { SessionEntity, type SessionRevocationReason } from './session.entity';
import { type IssuedPair, TokenIssuer } from './token-issuer';

const PURGE_BATCH = 1000;

interface LockedSessionRow {
  id: string;
  user_id: string;
  current_token_id: string;
  previous_token_id: string | null;
  rotated_at: Date | null;
  revoked_at: Date | null;
  deleted_at: Date | null;
}

type RefreshOutcome =
  | { kind: 'rotated'; pair: IssuedPair }
  | { kind: 'refused'; message: string }
  | { kind: 'account_deleted' }
  | { kind: 'reuse_detected'; userId: string };

/**
 * Login sessions (refresh-token families): start at login, rotate on refresh, revoke on logout, reuse
 * or deletion, and answer whether an access token's session is still good.
 */
@Injectable()
export class SessionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SessionsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenIssuer,
    private readonly clock: Clock,
    private readonly jobs: PeriodicJobs,
    private readonly deliverer: Deliverer,
    @Inject(AUTH_ENV) private readonly env: AuthEnv,
  ) {}

  onApplicationBootstrap(): void {
    // Housekeeping, not domain timing: at most once a minute is plenty.
    this.jobs.every('session-purge', Math.max(this.env.JOB_POLL_INTERVAL_MS, 60_000), () => this.purgeEnded());
  }

  /** Starts a login session inside the caller's transaction and issues its first token pair. */
  async start(manager: EntityManager, userId: string): Promise<IssuedPair> {
    const now = this.clock.now();
    const sessionId = newId(IdPrefix.loginSession, now.getTime());
    const tokenId = newId(IdPrefix.refreshToken, now.getTime());
    const pair = await this.tokens.issuePair(userId, sessionId, tokenId);
    await manager.insert(SessionEntity, {
      id: sessionId,
      userId,
      currentTokenId: tokenId,
      previousTokenId: null,
      rotatedAt: null,
      createdAt: now,
      expiresAt: pair.refreshExpiresAt,
      revokedAt: null,
      revokedReason: null,
    });
    return pair;
  }

  /**
   * Rotation: the presented refresh token is used up and a new pair of the same session is issued. The
   * session row is locked, so of concurrent refreshes with one token exactly one wins. A token that was
   * already rotated is reuse (a stolen copy, or the thief was first): the whole session is revoked.
   */
  async refresh(refreshToken: string): Promise<TokenPairResponseDto> {
    const claims = await this.tokens.verifyRefresh(refreshToken);
    const outcome = await this.dataSource.transaction(async (manager): Promise<RefreshOutcome> => {
      const rows: LockedSessionRow[] = await manager.query(
        `SELECT s.id, s.user_id, s.current_token_id, s.previous_token_id, s.rotated_at, s.revoked_at, u.deleted_at
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.id = $1
            FOR UPDATE OF s`,
        [claims.sessionId],
      );
      const session = rows[0];
      if (!session || session.user_id !== claims.userId) {
        return { kind: 'refused', message: 'The refresh token does not belong to a known login session' };
      }
      if (session.deleted_at) return { kind: 'account_deleted' };
      if (session.revoked_at) return { kind: 'refused', message: 'This login session has been revoked; sign in again' };
      const now = this.clock.now();
      if (session.current_token_id === claims.tokenId) {
        const tokenId = newId(IdPrefix.refreshToken, now.getTime());
        const pair = await this.tokens.issuePair(session.user_id, session.id, tokenId);
        await manager.update(
          SessionEntity,
          { id: session.id },
          { currentTokenId: tokenId, previousTokenId: claims.tokenId, rotatedAt: now, expiresAt: pair.refreshExpiresAt },
        );
        return { kind: 'rotated', pair };
      }
      const graceMs = this.env.REFRESH_REUSE_GRACE_SECONDS * 1000;
      if (
        graceMs > 0 &&
        session.previous_token_id === claims.tokenId &&
        session.rotated_at &&
        now.getTime() - session.rotated_at.getTime() <= graceMs
      ) {
        return { kind: 'refused', message: 'This refresh token was just rotated; use the new one' };
      }
      await this.revokeIn(manager, { sessionId: session.id }, 'refresh_token_reused');
      return { kind: 'reuse_detected', userId: session.user_id };
    });

    switch (outcome.kind) {
      case 'rotated':
        return { accessToken: outcome.pair.accessToken, refreshToken: outcome.pair.refreshToken };
      case 'account_deleted':
        throw DomainError.unauthorized(ErrorCode.account_deleted, 'This account has been deleted');
      case 'reuse_detected':
        this.logger.warn(`refresh token reuse detected: session ${claims.sessionId} of ${outcome.userId} revoked`);
        this.deliverer.closeSockets(outcome.userId, SocketCloseCode.SessionRevoked, 'session revoked', claims.sessionId);
        throw DomainError.unauthorized(
          ErrorCode.invalid_refresh_token,
          'This refresh token was already used; the login session has been revoked for safety. Sign in again',
        );
      case 'refused':
        throw DomainError.unauthorized(ErrorCode.invalid_refresh_token, outcome.message);
    }
  }

  /** Revokes sessions matching `where` that are still active; returns how many. */
  async revokeIn(
    manager: EntityManager,
    where: { sessionId: string; userId?: string } | { userId: string },
    reason: SessionRevocationReason,
  ): Promise<number> {
    const now = this.clock.now();
    const [sql, params] =
      'sessionId' in where
        ? [
            `UPDATE sessions SET revoked_at = $1, revoked_reason = $2
              WHERE id = $3 AND ($4::text IS NULL OR user_id = $4) AND revoked_at IS NULL`,
            [now, reason, where.sessionId, where.userId ?? null],
          ]
        : [
            `UPDATE sessions SET revoked_at = $1, revoked_reason = $2 WHERE user_id = $3 AND revoked_at IS NULL`,
            [now, reason, where.userId],
          ];
    const result: [unknown[], number] = await manager.query(sql, params);
    return result[1];
  }

  /** One indexed lookup (two primary keys): is the account there and alive, and the session not revoked? */
  async accessCheck(userId: string, sessionId: string): Promise<AccessCheckResponse> {
    const rows: Array<{ deleted_at: Date | null; session_id: string | null; revoked_at: Date | null }> =
      await this.dataSource.query(
        `SELECT u.deleted_at, s.id AS session_id, s.revoked_at
           FROM users u LEFT JOIN sessions s ON s.id = $2 AND s.user_id = u.id
          WHERE u.id = $1`,
        [userId, sessionId],
      );
    const row = rows[0];
    if (!row) return { active: false, reason: 'user_not_found' };
    if (row.deleted_at) return { active: false, reason: 'account_deleted' };
    if (!row.session_id || row.revoked_at) return { active: false, reason: 'session_revoked' };
    return { active: true };
  }

  /** Deletes sessions that ended (expired or revoked) more than SESSION_RETENTION_DAYS ago. */
  async purgeEnded(): Promise<number> {
    const cutoff = new Date(this.clock.nowMs() - this.env.SESSION_RETENTION_DAYS * 24 * 3600 * 1000);
    let total = 0;
    for (;;) {
      const result: [unknown[], number] = await this.dataSource.query(
        `DELETE FROM sessions WHERE id IN (
           SELECT id FROM sessions WHERE expires_at < $1 OR revoked_at < $1 LIMIT ${PURGE_BATCH})`,
        [cutoff],
      );
      total += result[1];
      if (result[1] < PURGE_BATCH) return total;
    }
  }
}
