import { createHash } from 'node:crypto';
import { type ExecutionContext, Injectable, type Type } from '@nestjs/common';
import { normalizeIp, ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { ErrorCode } from '@gisbi/contracts';
import { AccessTokenVerifier, DomainError } from '@gisbi/platform';
import { API_CONTROLLERS } from '../api-controllers';

/** The throttlers, by name: one keyed by the caller's credential, one by its address. */
export const RateLimit = { perCredential: 'credential', perAddress: 'address' } as const;

interface LimitedRequest {
  ip?: unknown;
  headers?: Record<string, string | string[] | undefined>;
  body?: unknown;
}

const apiControllers = new Set<Type>(API_CONTROLLERS);

/**
 * Rate limits for the public REST API, counted in Redis so that every gateway replica shares them
 * (fixed windows of REST_RATE_LIMIT_WINDOW_SECONDS), in two budgets:
 * - per credential: a body's refresh token (refresh, logout), else the bearer access token or admin/venue
 *   key. Credentials are hashed before they become keys, so no secret is stored.
 * - per address, whatever credentials it presents: larger, as many users can share an address behind
 *   carrier NAT; it is the only budget of requests without a credential (sign-in).
 * Beyond either, 429 `rate_limited` with `Retry-After`. Operational routes (health, metrics) and socket
 * traffic (limited per socket by the command router) are not counted here.
 */
@Injectable()
export class RestRateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http' || !apiControllers.has(context.getClass());
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    // One budget per tracker across all routes (the stock key is per route).
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, detail.timeToBlockExpire);
    // The library's own headers are off (they are named per throttler); clients look for the standard one.
    context.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>().setHeader('Retry-After', String(seconds));
    throw DomainError.tooMany(ErrorCode.rate_limited, `Too many requests; retry in ${seconds} s`);
  }
}

/**
 * The credential a request presents, if any: a body's refresh token first (what refresh and logout act on;
 * an extra bearer header must not move the count elsewhere), else the bearer header.
 */
export function credentialOf(request: LimitedRequest): string | undefined {
  const body = request.body;
  const refreshToken = typeof body === 'object' && body !== null ? (body as { refreshToken?: unknown }).refreshToken : undefined;
  if (typeof refreshToken === 'string' && refreshToken.length > 0) return refreshToken;
  // Read exactly as the socket handshake reads it (any whitespace after the scheme, like the REST check).
  const header = request.headers?.['authorization'];
  return typeof header === 'string' ? AccessTokenVerifier.bearer(header) : undefined;
}

/** The per-credential tracker: a hash, never the credential itself. */
export function credentialTracker(request: LimitedRequest): string {
  return createHash('sha256').update(credentialOf(request) ?? '').digest('base64url');
}

/** The per-address tracker (IPv6 by /64, as one host usually owns the whole prefix). */
export function addressTracker(request: LimitedRequest): string {
  return normalizeIp(typeof request.ip === 'string' ? request.ip : 'unknown');
}

/** Requests without a credential count against their address only. */
export function presentsNoCredential(context: ExecutionContext): boolean {
  return credentialOf(context.switchToHttp().getRequest<LimitedRequest>()) === undefined;
}
