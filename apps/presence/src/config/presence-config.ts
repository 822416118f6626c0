import { z } from 'zod';
import { coreEnvSchema, databaseEnvSchema, jobsEnvSchema, positiveInt, redisEnvSchema } from '@gisbi/platform';

/** Largest radar radius: the polar index must cover any search circle that reaches the pole cap. */
const MAX_RADAR_RADIUS_METERS = 200_000;

export const presenceEnvSchema = coreEnvSchema
  .extend(databaseEnvSchema.shape)
  .extend(redisEnvSchema.shape)
  .extend(jobsEnvSchema.shape)
  .extend({
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3002),
    /** Radar radius; a user exactly this far away is included. */
    RADAR_RADIUS_METERS: z.coerce.number().positive().max(MAX_RADAR_RADIUS_METERS).default(500),
    /** Most nearby users one radar answer lists (nearest first). */
    RADAR_MAX_RESULTS: z.coerce.number().int().min(1).max(500).default(50),
    /** Grid strangers' positions are snapped to; 0 disables snapping (tests only, never in production). */
    RADAR_STRANGER_PRECISION_METERS: z.coerce.number().min(0).max(5000).default(50),
    /** Pushed radar.nearby.updated per viewer per second, at most (changes in between are coalesced). */
    RADAR_PUSH_MAX_PER_SECOND: z.coerce.number().positive().max(50).default(2),
    /**
     * Radar changes caused by someone's location update (moving into, within or out of a radar) are
     * pushed after this delay, and dropped when the viewer's own next update (whose reply carries a fresh
     * radar) comes first. State changes (hide/show, online/offline, stale, block, connection, profile,
     * deletion) are pushed at once. 0 pushes movement at once too.
     */
    RADAR_PUSH_MOVE_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
    /** How often due pushes are sent. */
    RADAR_PUSH_TICK_MS: positiveInt(50),
    /** Most radars one replica recomputes per tick: under overload pushes wait (still coalesced), commands do not. */
    RADAR_PUSH_MAX_PER_TICK: positiveInt(50),
    /** A user with no location update for this long is not live (off every radar) until the next one. */
    PRESENCE_STALE_SECONDS: positiveInt(120),
    /** A gateway that has not heart-beaten for this long is dead: its users go offline. */
    PRESENCE_GATEWAY_TIMEOUT_MS: positiveInt(35_000),
    /** How often stale locations, dead gateways and lost socket.closed messages are swept. */
    PRESENCE_SWEEP_INTERVAL_MS: positiveInt(1000),
    /** Own-position jumps faster than this (m/s) are refused with rate_limited (airliners fly ~250 m/s). */
    PRESENCE_MAX_SPEED_MPS: z.coerce.number().positive().default(300),
    /** Jump allowance on top of speed x time, for GPS noise and indoor/outdoor fixes. */
    PRESENCE_JUMP_TOLERANCE_METERS: z.coerce.number().min(0).default(200),
    /** Last locations of users who stay away longer than this are forgotten. */
    PRESENCE_LOCATION_RETENTION_SECONDS: positiveInt(24 * 3600),
    /** Entries of each in-process projection cache (profiles, blocks, connections). */
    PRESENCE_CACHE_MAX_ENTRIES: positiveInt(100_000),
    /** Upper bound on how long a cache entry is trusted even without an invalidation. */
    PRESENCE_CACHE_TTL_SECONDS: positiveInt(600),
  });

export type PresenceEnv = z.infer<typeof presenceEnvSchema>;
export const PRESENCE_ENV = Symbol('PRESENCE_ENV');
