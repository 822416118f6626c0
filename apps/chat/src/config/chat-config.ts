import { z } from 'zod';
import {
  coreEnvSchema,
  databaseEnvSchema,
  jobsEnvSchema,
  positiveInt,
  redisEnvSchema,
} from '@gisbi/platform';

export const chatEnvSchema = coreEnvSchema
  .extend(databaseEnvSchema.shape)
  .extend(redisEnvSchema.shape)
  .extend(jobsEnvSchema.shape)
  .extend({
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3004),
    /** Longest message body, in Unicode code points (every script and emoji counted the same way). */
    CHAT_MAX_MESSAGE_LENGTH: positiveInt(2000),
    /**
     * Messages a user may send to someone who has neither replied nor accepted a connection with them
     * (first contact from the radar); more are refused with `first_contact_limit`.
     */
    CHAT_FIRST_CONTACT_MAX_MESSAGES: positiveInt(3),
    /** Live-location relays (`chat.location.updated`) one sender may make per second. */
    CHAT_LOCATION_UPDATES_PER_SECOND: positiveInt(2),
    /** How long a location share stays marked active without an update (stopped on connection close). */
    CHAT_LOCATION_SHARE_TTL_SECONDS: positiveInt(900),
    /** Liveness lookup budget before a push: an unanswered presence counts as "offline". */
    CHAT_PRESENCE_TIMEOUT_MS: positiveInt(250),
    /** Budget of the auth push.send request (fire-and-forget, never on the reply path). */
    CHAT_PUSH_TIMEOUT_MS: positiveInt(5000),
    /** Length of the message preview in a push notification, in code points. */
    CHAT_PUSH_PREVIEW_LENGTH: positiveInt(120),
    /** How long a cached profile may be used (events from auth correct it sooner). */
    CHAT_PROFILE_CACHE_TTL_MS: positiveInt(60_000),
    /** Profiles kept per replica; the least recently fetched are dropped first. */
    CHAT_PROFILE_CACHE_SIZE: positiveInt(50_000),
    /** Liveness questions gathered into one presence request (push decisions only, never the reply). */
    CHAT_LIVENESS_BATCH_MS: positiveInt(20),
    /** Replay cap on session.start with lastSeenAt (newest kept; older ones remain in history). */
    CHAT_REPLAY_MAX_MESSAGES: positiveInt(500),
    /** Conversations returned in bootstrap / chat.history.fetch, most recent first. */
    CHAT_CONVERSATIONS_LIMIT: positiveInt(200),
    /**
     * Byte budget for the conversations and replay lists of one bootstrap/history reply, so the reply
     * always fits a NATS message (1 MiB by default) whatever the message lengths.
     */
    CHAT_REPLY_MAX_BYTES: positiveInt(700_000),
  });

export type ChatEnv = z.infer<typeof chatEnvSchema>;
export const CHAT_ENV = Symbol('CHAT_ENV');
