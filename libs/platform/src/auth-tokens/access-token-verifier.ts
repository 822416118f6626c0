import { errors as joseErrors, jwtVerify } from 'jose';
import { ErrorCode } from '@gisbi/contracts';
import { DomainError } from '../errors/domain-error';
import type { Clock } from '../clock/clock';
import { TOKEN_POLICY, type AccessClaims } from './token-policy';

/** Verifies GISBI access tokens: pinned algorithm, issuer, audience, `typ` and expiry. */
export class AccessTokenVerifier {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly clock: Clock,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [TOKEN_POLICY.algorithm],
        issuer: TOKEN_POLICY.issuer,
        audience: TOKEN_POLICY.access.audience,
        typ: TOKEN_POLICY.access.typ,
        currentDate: this.clock.now(),
        clockTolerance: TOKEN_POLICY.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp', 'iat', 'jti', 'sid'],
      });
      return {
        userId: String(payload.sub),
        sessionId: String(payload['sid']),
        tokenId: String(payload.jti),
        expiresAt: new Date((payload.exp ?? 0) * 1000),
      };
    } catch (error) {
      const reason =
        error instanceof joseErrors.JWTExpired
          ? 'Access token expired'
          : error instanceof joseErrors.JOSEError
            ? 'Access token is not valid'
            : 'Access token could not be verified';
      throw DomainError.unauthorized(ErrorCode.unauthorized, reason);
    }
  }

  /** Extracts the bearer token from an Authorization header value. */
  static bearer(header: string | undefined): string | undefined {
    if (!header) return undefined;
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
    return match?.[1];
  }
}
