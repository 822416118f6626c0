import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@gisbi/contracts';
import { DomainError } from '@gisbi/platform';
import { GIFTS_ENV, type GiftsEnv } from '../config/gifts-config';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** A JWT (header.payload.signature): what a GISBI user access token looks like. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * The admin API's credential check, done here in the service that owns sponsor administration (not only
 * at the edge): a key is accepted when it equals one of ADMIN_API_KEYS, compared as SHA-256 digests in
 * constant time. User access tokens are refused by shape (403) — admin keys cannot contain dots — and
 * anything else by value (401). With no key configured the admin API is closed.
 */
@Injectable()
export class AdminKeyVerifier {
  private readonly digests: Buffer[];

  constructor(@Inject(GIFTS_ENV) env: GiftsEnv) {
    this.digests = env.ADMIN_API_KEYS.map(digest);
  }

  assert(key: unknown): void {
    if (typeof key === 'string' && JWT_SHAPE.test(key)) {
      throw DomainError.forbidden(ErrorCode.forbidden, 'User access tokens cannot be used on the admin API');
    }
    if (typeof key !== 'string' || key.length === 0 || !this.matches(key)) {
      throw DomainError.unauthorized(
        ErrorCode.unauthorized,
        this.digests.length === 0
          ? 'The admin API is disabled: no admin API key is configured'
          : 'A valid admin API key is required (Authorization: Bearer <admin key>)',
      );
    }
  }

  private matches(key: string): boolean {
    const presented = digest(key);
    let match = false;
    for (const candidate of this.digests) match = timingSafeEqual(candidate, presented) || match;
    return match;
  }
}
