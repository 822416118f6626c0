import { z } from 'zod';
import { coreEnvSchema, databaseEnvSchema, jobsEnvSchema, positiveInt } from '@gisbi/platform';

/** "5,15,30" → [5, 15, 30]: positive whole minutes, ascending, without duplicates. */
const milestoneList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const items = value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
      const minutes = items.map(Number);
      if (minutes.length === 0 || minutes.some((minute) => !Number.isInteger(minute) || minute <= 0)) {
        ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of positive whole minutes' });
        return z.NEVER;
      }
      return [...new Set(minutes)].sort((left, right) => left - right);
    });

export const connectionsEnvSchema = coreEnvSchema
  .extend(databaseEnvSchema.shape)
  .extend(jobsEnvSchema.shape)
  .extend({
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3003),
    /** How long a connection request stays pending before it is marked missed. */
    CONNECTION_REQUEST_TTL_SECONDS: positiveInt(600),
    /** Minimum time between two rings from the same sender to the same recipient. */
    RING_MIN_INTERVAL_SECONDS: positiveInt(30),
    /**
     * Together-time milestones (minutes). Proximity owns milestone progress; this list only provides the
     * first milestone of a connection when proximity cannot be asked.
     */
    PROXIMITY_MILESTONES_MINUTES: milestoneList('5,15,30,60,120'),
    /** Budget for the optional enrichment calls (presence liveness, proximity stats); past it we fall back. */
    PEER_RPC_TIMEOUT_MS: positiveInt(800),
    /** Requests the expiry job claims per statement. */
    EXPIRY_BATCH_SIZE: positiveInt(200),
    /** Most recent historical requests and closed connections listed in bootstrap and history. */
    HISTORY_LIMIT: positiveInt(100),
  });

export type ConnectionsEnv = z.infer<typeof connectionsEnvSchema>;
export const CONNECTIONS_ENV = Symbol('CONNECTIONS_ENV');
