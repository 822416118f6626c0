import type { z } from 'zod';
import { commaList, coreEnvSchema, jwtEnvSchema, port, positiveInt } from '@gisbi/platform';

export const gatewayEnvSchema = coreEnvSchema
  .extend({
    GATEWAY_PORT: port(3000),
    /** Origins allowed to open /ws from a browser; empty allows any (native apps send no Origin). */
    WS_ALLOWED_ORIGINS: commaList(''),
    /** Frames larger than this are refused (close 1009) before they are parsed. */
    WS_MAX_PAYLOAD_BYTES: positiveInt(64 * 1024),
    /** Dead peers are detected by ping/pong: a socket that misses one full interval is terminated. */
    WS_PING_INTERVAL_MS: positiveInt(30_000),
    /** Per-service time budget for session.bootstrap parts. */
    BOOTSTRAP_TIMEOUT_MS: positiveInt(3000),
    /** How often this gateway tells presence which users it holds sockets for. */
    GATEWAY_HEARTBEAT_MS: positiveInt(10_000),
    /** Commands a socket may send per second (burst = 2x); beyond it they get rate_limited. */
    WS_COMMANDS_PER_SECOND: positiveInt(50),
  })
  .and(jwtEnvSchema);

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;
export const GATEWAY_ENV = Symbol('GATEWAY_ENV');
