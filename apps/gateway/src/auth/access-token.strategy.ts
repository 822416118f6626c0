import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { ErrorCode } from '@gisbi/contracts';
import { DomainError, TOKEN_POLICY, type AccessClaims } from '@gisbi/platform';
import { GATEWAY_ENV, type GatewayEnv } from '../config/gateway-config';
import { SessionValidator } from './session-validator';

interface AccessTokenPayload {
  sub?: string;
  sid?: string;
  jti?: string;
  exp?: number;
}

/**
 * REST authentication (passport-jwt) with the same pinned policy the socket handshake uses: HS256 only,
 * our issuer, the access audience (a refresh token has another audience and is refused), not expired,
 * and a session the auth service still considers active.
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, 'access-token') {
  constructor(
    @Inject(GATEWAY_ENV) env: GatewayEnv,
    private readonly sessions: SessionValidator,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: env.JWT_SECRET,
      algorithms: [TOKEN_POLICY.algorithm],
      issuer: TOKEN_POLICY.issuer,
      audience: TOKEN_POLICY.access.audience,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: TOKEN_POLICY.clockToleranceSeconds },
    });
  }

  async validate(payload: AccessTokenPayload): Promise<AccessClaims> {
    if (!payload.sub || !payload.sid || !payload.jti || !payload.exp) {
      throw DomainError.unauthorized(ErrorCode.unauthorized, 'Access token is not valid');
    }
    const claims: AccessClaims = {
      userId: payload.sub,
      sessionId: payload.sid,
      tokenId: payload.jti,
      expiresAt: new Date(payload.exp * 1000),
    };
    await this.sessions.assertActive(claims);
    return claims;
  }
}
