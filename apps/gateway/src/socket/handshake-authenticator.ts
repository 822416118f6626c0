import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode } from '@gisbi/contracts';
import { AccessTokenVerifier, Clock, DomainError, ShutdownState } from '@gisbi/platform';
import { SessionValidator } from '../auth/session-validator';
import { GATEWAY_ENV, type GatewayEnv } from '../config/gateway-config';
import type { AuthenticatedUpgradeRequest } from './client-socket';

export type HandshakeOutcome = { ok: true } | { ok: false; status: number; code: string; message: string };

/**
 * Decides an upgrade before it happens: Origin allow-list, then the bearer access token (signature,
 * issuer, audience, typ, expiry) and a still-active account/session. A refused handshake is an HTTP
 * error response; the socket never opens.
 */
@Injectable()
export class HandshakeAuthenticator {
  private readonly logger = new Logger(HandshakeAuthenticator.name);
  private readonly verifier: AccessTokenVerifier;

  constructor(
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
    private readonly sessions: SessionValidator,
    private readonly shutdown: ShutdownState,
    clock: Clock,
  ) {
    this.verifier = new AccessTokenVerifier(env.JWT_SECRET, clock);
  }

  async authenticate(request: IncomingMessage & AuthenticatedUpgradeRequest): Promise<HandshakeOutcome> {
    if (this.shutdown.draining) return { ok: false, status: 503, code: ErrorCode.service_unavailable, message: 'Shutting down; connect again' };
    const origin = request.headers.origin;
    if (origin && this.env.WS_ALLOWED_ORIGINS.length > 0 && !this.env.WS_ALLOWED_ORIGINS.includes(origin)) {
      return { ok: false, status: 403, code: ErrorCode.forbidden, message: 'Origin not allowed' };
    }
    const token = AccessTokenVerifier.bearer(request.headers.authorization);
    if (!token) return { ok: false, status: 401, code: ErrorCode.unauthorized, message: 'Missing bearer token' };
    try {
      const claims = await this.verifier.verify(token);
      await this.sessions.assertActive(claims);
      request.gisbiClaims = claims;
      return { ok: true };
    } catch (error) {
      if (error instanceof DomainError) {
        const status = error.status >= 500 ? 503 : 401;
        return { ok: false, status, code: status === 401 ? error.code : ErrorCode.service_unavailable, message: error.message };
      }
      this.logger.error(`handshake failed: ${String(error)}`);
      return { ok: false, status: 500, code: ErrorCode.internal_error, message: 'Handshake failed' };
    }
  }
}
