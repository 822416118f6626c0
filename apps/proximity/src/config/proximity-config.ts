import { z } from 'zod';
import { coreEnvSchema, databaseEnvSchema, jobsEnvSchema, nonNegativeInt, positiveInt } from '@gisbi/platform';
import { parseMilestones } from '../milestones/milestones';

const milestoneList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const parsed = parseMilestones(value);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.message });
        return z.NEVER;
      }
      return parsed.milestones;
    });

export const proximityEnvSchema = coreEnvSchema
  .extend(databaseEnvSchema.shape)
  .extend(jobsEnvSchema.shape)
  .extend({
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3005),
    /** Lifetime of a BLE token from issue (contract: "about 90 seconds"). */
    PROXIMITY_TOKEN_TTL_SECONDS: positiveInt(90),
    /** During a session the server replaces a token this long before it expires and pushes proximity.token.rotate. */
    PROXIMITY_TOKEN_ROTATE_BEFORE_SECONDS: positiveInt(30),
    /** After a rotation the previous token is still accepted this long (the partner may still see the old advertisement). */
    PROXIMITY_TOKEN_ROTATION_GRACE_SECONDS: nonNegativeInt(20),
    /** Expired tokens are kept this long so a late replay is recognised (and flagged) as one. */
    PROXIMITY_TOKEN_RETENTION_HOURS: positiveInt(48),
    /** Rolling window: a side's consecutive valid events at most this far apart cover the time between them. */
    PROXIMITY_HEARTBEAT_WINDOW_SECONDS: positiveInt(15),
    /** A paused run (session.end, missed heartbeats, or waiting for the partner's scan) ends after this. */
    PROXIMITY_GRACE_SECONDS: positiveInt(30),
    /** Verified together-time milestones, in minutes (ascending, distinct positive integers). */
    PROXIMITY_MILESTONES_MINUTES: milestoneList('5,15,30,60,120'),
    /**
     * Length of a "minute" in seconds for milestones and accumulatedMinutes. 60 in production (enforced);
     * local and end-to-end runs may shrink it (e.g. 1) to reach milestones in seconds.
     */
    PROXIMITY_MINUTE_SECONDS: positiveInt(60),
    /** Relay check: farther apart than this (beyond both GPS accuracies) is out of BLE range. */
    PROXIMITY_MAX_BLE_DISTANCE_METERS: positiveInt(100),
    /** How often an active session's radar positions are compared. */
    PROXIMITY_POSITION_CHECK_SECONDS: positiveInt(30),
    /** Radar positions older than this are not used for the relay check. */
    PROXIMITY_POSITION_MAX_AGE_SECONDS: positiveInt(120),
    /** Budget for the batched presence.positions request (absence is tolerated). */
    PROXIMITY_PRESENCE_TIMEOUT_MS: positiveInt(500),
    /** Budget for reading an unknown connection through from the connections service. */
    PROXIMITY_CONNECTION_LOOKUP_TIMEOUT_MS: positiveInt(2000),
    /** This many identical RSSI readings in a row from one phone is implausibly constant. */
    PROXIMITY_CONSTANT_RSSI_COUNT: positiveInt(12),
    /** Heartbeats closer together than this are faster than any GISBI app sends. */
    PROXIMITY_MIN_HEARTBEAT_INTERVAL_MS: positiveInt(1000),
    /** Mean absolute jitter below this over a steady stream is machine-perfect, not a phone. */
    PROXIMITY_MIN_CADENCE_JITTER_MS: nonNegativeInt(2),
    /**
     * Connections whose last heartbeat evidence (connection, run and its version, tokens) each replica keeps
     * in memory, so a plain heartbeat costs one database round trip. 0 turns the cache off.
     */
    PROXIMITY_HEARTBEAT_CACHE_ENTRIES: nonNegativeInt(10_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.PROXIMITY_MINUTE_SECONDS !== 60) {
      ctx.addIssue({
        code: 'custom',
        path: ['PROXIMITY_MINUTE_SECONDS'],
        message: 'must be 60 in production (shorter minutes are for local and end-to-end runs only)',
      });
    }
    if (env.PROXIMITY_TOKEN_ROTATE_BEFORE_SECONDS >= env.PROXIMITY_TOKEN_TTL_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['PROXIMITY_TOKEN_ROTATE_BEFORE_SECONDS'],
        message: 'must be shorter than PROXIMITY_TOKEN_TTL_SECONDS',
      });
    }
  });

export type ProximityEnv = z.infer<typeof proximityEnvSchema>;
export const PROXIMITY_ENV = Symbol('PROXIMITY_ENV');

/** The settings the domain code uses, in milliseconds where they are durations. */
export interface ProximitySettings {
  tokenTtlMs: number;
  rotateBeforeMs: number;
  rotationGraceMs: number;
  tokenRetentionMs: number;
  windowMs: number;
  graceMs: number;
  milestones: readonly number[];
  minuteMs: number;
  maxBleDistanceMeters: number;
  positionCheckMs: number;
  positionMaxAgeMs: number;
  presenceTimeoutMs: number;
  connectionLookupTimeoutMs: number;
  constantRssiCount: number;
  minHeartbeatIntervalMs: number;
  minCadenceJitterMs: number;
  heartbeatCacheEntries: number;
  jobPollIntervalMs: number;
}

export const PROXIMITY_SETTINGS = Symbol('PROXIMITY_SETTINGS');

export function proximitySettings(env: ProximityEnv): ProximitySettings {
  return {
    tokenTtlMs: env.PROXIMITY_TOKEN_TTL_SECONDS * 1000,
    rotateBeforeMs: env.PROXIMITY_TOKEN_ROTATE_BEFORE_SECONDS * 1000,
    rotationGraceMs: env.PROXIMITY_TOKEN_ROTATION_GRACE_SECONDS * 1000,
    tokenRetentionMs: env.PROXIMITY_TOKEN_RETENTION_HOURS * 3600 * 1000,
    windowMs: env.PROXIMITY_HEARTBEAT_WINDOW_SECONDS * 1000,
    graceMs: env.PROXIMITY_GRACE_SECONDS * 1000,
    milestones: env.PROXIMITY_MILESTONES_MINUTES,
    minuteMs: env.PROXIMITY_MINUTE_SECONDS * 1000,
    maxBleDistanceMeters: env.PROXIMITY_MAX_BLE_DISTANCE_METERS,
    positionCheckMs: env.PROXIMITY_POSITION_CHECK_SECONDS * 1000,
    positionMaxAgeMs: env.PROXIMITY_POSITION_MAX_AGE_SECONDS * 1000,
    presenceTimeoutMs: env.PROXIMITY_PRESENCE_TIMEOUT_MS,
    connectionLookupTimeoutMs: env.PROXIMITY_CONNECTION_LOOKUP_TIMEOUT_MS,
    constantRssiCount: env.PROXIMITY_CONSTANT_RSSI_COUNT,
    minHeartbeatIntervalMs: env.PROXIMITY_MIN_HEARTBEAT_INTERVAL_MS,
    minCadenceJitterMs: env.PROXIMITY_MIN_CADENCE_JITTER_MS,
    heartbeatCacheEntries: env.PROXIMITY_HEARTBEAT_CACHE_ENTRIES,
    jobPollIntervalMs: env.JOB_POLL_INTERVAL_MS,
  };
}
