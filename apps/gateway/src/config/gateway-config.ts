import type { z } from 'zod';
import { commaList, coreEnvSchema, jwtEnvSchema, nonNegativeInt, port, positiveInt, redisEnvSchema } from '@gisbi/platform';

export const gatewayEnvSchema = coreEnvSchema
  .extend({
    /** Public port: REST, /ws and the API docs (the Ingress routes every path here). */
    GATEWAY_PORT: port(3000),
    /** Internal port of /health/live, /health/ready and /metrics (probes, Prometheus); never public. */
    GATEWAY_MANAGEMENT_PORT: port(3010),
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
    /** REST rate limits count requests per fixed window of this length, shared by every gateway replica (Redis). */
    REST_RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
    /** REST requests per window per credential presented (access token, refresh token, admin or venue key). */
    REST_RATE_LIMIT_PER_CREDENTIAL: positiveInt(120),
    /** REST requests per window per client address, whatever credentials it presents (many users may share one). */
    REST_RATE_LIMIT_PER_ADDRESS: positiveInt(1200),
    /** Reverse proxies in front of the gateway (the ingress: 1); the client address is read from X-Forwarded-For past them. */
    TRUST_PROXY_HOPS: nonNegativeInt(0),
  })
  .merge(redisEnvSchema)
  // 0 asks the OS for a free port (tests): two of them never collide.
  .refine((env) => env.GATEWAY_MANAGEMENT_PORT === 0 || env.GATEWAY_MANAGEMENT_PORT !== env.GATEWAY_PORT, {
    path: ['GATEWAY_MANAGEMENT_PORT'],
    error: 'must differ from GATEWAY_PORT: health and metrics must not be served on the public port',
  })
  .and(jwtEnvSchema);

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;
export const GATEWAY_ENV = Symbol('GATEWAY_ENV');
