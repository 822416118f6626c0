import { z } from 'zod';
import { positiveInt } from '../config/load-config';

/**
 * Our own JWTs. The algorithm is pinned, and access and refresh tokens differ in `typ` header AND
 * audience, so neither can ever be accepted as the other.
 */
export const TOKEN_POLICY = {
  algorithm: 'HS256',
  issuer: 'gisbi-auth',
  access: { typ: 'at+jwt', audience: 'gisbi-api' },
  refresh: { typ: 'rt+jwt', audience: 'gisbi-refresh' },
  /** Tolerated clock difference between auth and the verifying process. */
  clockToleranceSeconds: 5,
} as const;

const DEVELOPMENT_SECRET = 'gisbi-development-only-secret-change-me-0123456789';

export const jwtEnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_ACCESS_TTL_SECONDS: positiveInt(900),
    JWT_REFRESH_TTL_SECONDS: positiveInt(30 * 24 * 3600),
  })
  .transform((env, ctx) => {
    if (!env.JWT_SECRET && env.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required in production' });
      return z.NEVER;
    }
    return { ...env, JWT_SECRET: env.JWT_SECRET ?? DEVELOPMENT_SECRET };
  });

export type JwtEnv = z.infer<typeof jwtEnvSchema>;

/** Claims of an access token after verification. */
export interface AccessClaims {
  userId: string;
  /** Refresh-token family (login session) the access token was issued for. */
  sessionId: string;
  tokenId: string;
  expiresAt: Date;
}
