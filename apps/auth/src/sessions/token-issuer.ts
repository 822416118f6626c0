import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { ErrorCode } from '@gisbi/contracts';
import { DomainError, TOKEN_POLICY, type Clock } from '@gisbi/platform';

export interface IssuedPair {
  accessToken: string;
  refreshToken: string;
  refreshExpiresAt: Date;
}

export interface RefreshClaims {
  userId: string;
  sessionId: string;
  tokenId: string;
  expiresAt: Date;
  /** True when the token verified but is past its expiry (only with `allowExpired`). */
  expired: boolean;
}

export interface TokenLifetimes {
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

/**
 * Signs and verifies our own JWTs under TOKEN_POLICY: HS256 pinned; access tokens `typ: at+jwt` with
 * audience gisbi-api, refresh tokens `typ: rt+jwt` with audience gisbi-refresh, so neither is ever
 * accepted as the other. Claims: sub (user), sid (login session = refresh family), jti, iat, exp.
 */
export class TokenIssuer {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly lifetimes: TokenLifetimes,
    private readonly clock: Clock,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async issuePair(userId: string, sessionId: string, refreshTokenId: string): Promise<IssuedPair> {
    const now = Math.floor(this.clock.nowMs() / 1000);
    const refreshExp = now + this.lifetimes.refreshTtlSeconds;
    const [accessToken, refreshToken] = await Promise.all([
      this.sign(TOKEN_POLICY.access, userId, sessionId, randomUUID(), now, now + this.lifetimes.accessTtlSeconds),
      this.sign(TOKEN_POLICY.refresh, userId, sessionId, refreshTokenId, now, refreshExp),
    ]);
    return { accessToken, refreshToken, refreshExpiresAt: new Date(refreshExp * 1000) };
  }

  /**
   * Verifies a refresh token (signature, typ, issuer, audience, expiry). `allowExpired` still requires
   * everything else, for logout of a session whose refresh token ran out. Throws 401 invalid_refresh_token.
   */
  async verifyRefresh(token: string, options: { allowExpired?: boolean } = {}): Promise<RefreshClaims> {
    let payload: JWTPayload;
    let expired = false;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: [TOKEN_POLICY.algorithm],
        typ: TOKEN_POLICY.refresh.typ,
        issuer: TOKEN_POLICY.issuer,
        audience: TOKEN_POLICY.refresh.audience,
        currentDate: this.clock.now(),
        clockTolerance: TOKEN_POLICY.clockToleranceSeconds,
        requiredClaims: ['sub', 'sid', 'jti', 'iat', 'exp'],
      }));
    } catch (error) {
      // jose checks signature, typ, iss, aud and required claims before the time claims, so the payload
      // of a JWTExpired error has passed every other check.
      if (options.allowExpired && error instanceof joseErrors.JWTExpired) {
        payload = error.payload;
        expired = true;
      } else {
        throw DomainError.unauthorized(
          ErrorCode.invalid_refresh_token,
          error instanceof joseErrors.JWTExpired ? 'The refresh token has expired' : 'The refresh token is not valid',
        );
      }
    }
    const { sub, jti, exp } = payload;
    const sid = payload['sid'];
    if (typeof sub !== 'string' || typeof sid !== 'string' || typeof jti !== 'string' || typeof exp !== 'number') {
      throw DomainError.unauthorized(ErrorCode.invalid_refresh_token, 'The refresh token is not valid');
    }
    return { userId: sub, sessionId: sid, tokenId: jti, expiresAt: new Date(exp * 1000), expired };
  }

  private sign(
    kind: { typ: string; audience: string },
    userId: string,
    sessionId: string,
    tokenId: string,
    issuedAt: number,
    expiresAt: number,
  ): Promise<string> {
    return new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: TOKEN_POLICY.algorithm, typ: kind.typ })
      .setIssuer(TOKEN_POLICY.issuer)
      .setAudience(kind.audience)
      .setSubject(userId)
      .setJti(tokenId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.key);
  }
}
