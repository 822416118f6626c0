import { z } from 'zod';
import { MAX_VIBE_EXPIRY_MINUTES } from '@gisbi/contracts';
import {
  commaList,
  coreEnvSchema,
  databaseEnvSchema,
  jobsEnvSchema,
  jwtEnvSchema,
  nonNegativeInt,
  port,
  positiveInt,
} from '@gisbi/platform';

const httpUrl = (fallback: string) => z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default(fallback);

export const authEnvSchema = coreEnvSchema
  .extend(databaseEnvSchema.shape)
  .extend(jobsEnvSchema.shape)
  .extend({
    HTTP_PORT: port(3001),

    // Social login: provider ID tokens are verified against these (defaults: the real providers).
    GOOGLE_JWKS_URI: httpUrl('https://www.googleapis.com/oauth2/v3/certs'),
    GOOGLE_ISSUERS: commaList('https://accounts.google.com,accounts.google.com'),
    /** OAuth client IDs of our apps; an ID token's `aud` must be one of them. Empty: Google sign-in is off. */
    GOOGLE_CLIENT_IDS: commaList(''),
    APPLE_JWKS_URI: httpUrl('https://appleid.apple.com/auth/keys'),
    APPLE_ISSUER: z.string().min(1).default('https://appleid.apple.com'),
    /** App bundle ID(s) and/or Services ID(s). Empty: Sign in with Apple is off. */
    APPLE_CLIENT_IDS: commaList(''),
    /** Tolerated clock difference for exp/iat/nbf of provider ID tokens; bounded so it stays "small". */
    ID_TOKEN_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(60),

    // JWKS cache (per provider).
    JWKS_FETCH_TIMEOUT_MS: positiveInt(5000),
    /** Minimum time between two unscheduled key-set fetches (unknown kid, retry after a failure). */
    JWKS_REFETCH_COOLDOWN_SECONDS: nonNegativeInt(10),
    /** Used when the provider's answer carries no Cache-Control max-age. */
    JWKS_DEFAULT_CACHE_SECONDS: positiveInt(3600),
    /** Upper bound on any max-age the provider announces. */
    JWKS_MAX_CACHE_SECONDS: positiveInt(24 * 3600),

    /**
     * A refresh token presented again within this many seconds after it was rotated is refused WITHOUT
     * revoking its login session (a client retrying a lost response). 0: every reuse revokes.
     */
    REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(60).default(0),
    /** Revoked or expired login sessions are purged this long after they stopped being usable. */
    SESSION_RETENTION_DAYS: positiveInt(7),

    /** Lifetime of a vibe when the client does not say (PATCH /users/profile vibeExpiresInMinutes). */
    VIBE_DEFAULT_MINUTES: z.coerce.number().int().min(1).max(MAX_VIBE_EXPIRY_MINUTES).default(240),

    /** Active push devices kept per user; registering one more deactivates the least recently registered. */
    MAX_ACTIVE_DEVICES_PER_USER: positiveInt(20),
    /** auto: FCM when the Firebase credentials are set, else the recording transport (development, tests). */
    PUSH_TRANSPORT: z.enum(['auto', 'fcm', 'recording']).default('auto'),

    // Firebase service account: custom tokens at login and FCM push. All three or none.
    FIREBASE_PROJECT_ID: z.string().optional(),
    FIREBASE_CLIENT_EMAIL: z.string().optional(),
    /** PEM; literal "\n" sequences (as in most secret stores) are turned into newlines. */
    FIREBASE_PRIVATE_KEY: z.string().optional(),
  })
  .and(jwtEnvSchema)
  .transform((env, ctx) => {
    const firebaseKeys = ['FIREBASE_PROJECT_ID', 'FIREBASE_CLIENT_EMAIL', 'FIREBASE_PRIVATE_KEY'] as const;
    const present = firebaseKeys.filter((key) => env[key] !== undefined);
    if (present.length > 0 && present.length < firebaseKeys.length) {
      for (const key of firebaseKeys.filter((candidate) => env[candidate] === undefined)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `is required when ${present.join(', ')} is set` });
      }
      return z.NEVER;
    }
    const firebase =
      env.FIREBASE_PROJECT_ID && env.FIREBASE_CLIENT_EMAIL && env.FIREBASE_PRIVATE_KEY
        ? {
            projectId: env.FIREBASE_PROJECT_ID,
            clientEmail: env.FIREBASE_CLIENT_EMAIL,
            privateKey: env.FIREBASE_PRIVATE_KEY.replace(/\\n/g, '\n'),
          }
        : null;
    if (env.PUSH_TRANSPORT === 'fcm' && !firebase) {
      ctx.addIssue({ code: 'custom', path: ['PUSH_TRANSPORT'], message: 'fcm needs FIREBASE_PROJECT_ID, FIREBASE_CLIENT_EMAIL and FIREBASE_PRIVATE_KEY' });
      return z.NEVER;
    }
    const pushTransport: 'fcm' | 'recording' = env.PUSH_TRANSPORT === 'auto' ? (firebase ? 'fcm' : 'recording') : env.PUSH_TRANSPORT;
    return { ...env, firebase, pushTransport };
  });

export type AuthEnv = z.infer<typeof authEnvSchema>;
export type FirebaseCredentials = NonNullable<AuthEnv['firebase']>;
export const AUTH_ENV = Symbol('AUTH_ENV');
