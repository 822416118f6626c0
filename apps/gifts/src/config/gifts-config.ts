import { z } from 'zod';
import { boolFlag, coreEnvSchema, databaseEnvSchema, jobsEnvSchema, positiveInt } from '@gisbi/platform';

const ADMIN_KEY = /^[A-Za-z0-9_-]{24,256}$/;

export const giftsEnvSchema = coreEnvSchema
  .extend(databaseEnvSchema.shape)
  .extend(jobsEnvSchema.shape)
  .extend({
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3006),
    /**
     * Comma-separated admin API keys accepted on /admin/* (Authorization: Bearer <key>). Empty disables the
     * admin API. Keys are 24+ characters of [A-Za-z0-9_-], so a JWT (which contains dots) can never be one.
     */
    ADMIN_API_KEYS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((key) => key.trim())
          .filter((key) => key.length > 0),
      )
      .pipe(z.array(z.string().regex(ADMIN_KEY, 'each admin API key must be 24-256 characters of A-Z a-z 0-9 _ -'))),
    /** Seeds the demonstration brand and campaign (Lagos) at start-up; idempotent. For local runs. */
    GIFTS_SEED_DEMO: boolFlag(false),
    /** Signs history cursors so a tampered cursor is refused; every replica must share it. */
    GIFTS_CURSOR_SECRET: z.string().min(16).default('gisbi-gifts-history-cursor-v1'),
    /** Budget for asking proximity for verified time; past it the time counts as zero (with a risk signal). */
    GIFTS_PROXIMITY_TIMEOUT_MS: positiveInt(1500),
    /** Budget for asking presence for live positions (grant location check, venue presence at claim). */
    GIFTS_PRESENCE_TIMEOUT_MS: positiveInt(2000),
    /** Rows one expiry job run transitions at most (the next run takes the rest). */
    GIFTS_EXPIRY_BATCH_SIZE: positiveInt(200),
  });

export type GiftsEnv = z.infer<typeof giftsEnvSchema>;
export const GIFTS_ENV = Symbol('GIFTS_ENV');
