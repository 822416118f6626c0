import { type DynamicModule, Module } from '@nestjs/common';
import { context, createContextKey } from '@opentelemetry/api';
import { LoggerModule } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import type { Options } from 'pino-http';

// Kept in the OpenTelemetry context, which every process already propagates across awaits: one more
// AsyncLocalStorage would add its own cost to every promise the process creates.
const LOG_FIELDS = createContextKey('gisbi.log-fields');

/** Credentials never reach a log line: the headers that carry them, and a raw request's rawHeaders, are censored. */
export const REDACTED_LOG_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'req.rawHeaders',
  'res.headers["set-cookie"]',
  // A failed query's bound values and Postgres' detail ("Key (…)=(…)") are people's data: locations,
  // messages, tokens. The query text ($1, $2 … only) and the error code stay.
  'err.parameters',
  'err.detail',
  'err.driverError.detail',
];

/** Query parameters whose values are credentials (`?token=…`, `?access_token=…`, `?api_key=…`). */
const CREDENTIAL_QUERY_PARAM = /token|secret|password|passwd|api[-_]?key|signature|session|auth/i;
const REDACTED = '[Redacted]';

/** The URL with the values of credential-like query parameters censored; path and other parameters kept. */
export function redactUrlCredentials(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const params = new URLSearchParams(url.slice(queryStart + 1));
  let censored = false;
  for (const name of new Set(params.keys())) {
    if (CREDENTIAL_QUERY_PARAM.test(name)) {
      params.set(name, REDACTED);
      censored = true;
    }
  }
  return censored ? `${url.slice(0, queryStart)}?${params.toString()}` : url;
}

/** pino's request serializer, with credentials in the query string censored in `url` and `query`. */
function serializeRequest(req: Parameters<typeof stdSerializers.req>[0]): ReturnType<typeof stdSerializers.req> {
  const serialized = stdSerializers.req(req);
  serialized.url = redactUrlCredentials(serialized.url);
  const query = (serialized as { query?: unknown }).query;
  if (typeof query === 'object' && query !== null) {
    const censored: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(query)) censored[name] = CREDENTIAL_QUERY_PARAM.test(name) ? REDACTED : value;
    (serialized as { query?: unknown }).query = censored;
  }
  return serialized;
}

/**
 * Runs `work` so that every log line it writes carries `bindings` (who, what, which request). The fields
 * are merged in by pino's mixin when a line is actually written, so a command that logs nothing pays for
 * no child logger.
 */
export function withLogContext<T>(
  bindings: Record<string, string | undefined>,
  work: () => Promise<T>,
): Promise<T> {
  const defined: Record<string, string> = {};
  for (const [key, value] of Object.entries(bindings)) if (value !== undefined) defined[key] = value;
  return context.with(context.active().setValue(LOG_FIELDS, defined), work);
}

/**
 * pino mixin: the fields of the innermost `withLogContext`, or none. Always a new object: pino merges
 * each line's own fields into the object the mixin returns, so a shared one would carry a line's fields
 * (a finished request's `req` and `res`, an `err`) into every later line of the process.
 */
export function logContextFields(): Record<string, string> {
  const fields = context.active().getValue(LOG_FIELDS) as Record<string, string> | undefined;
  return fields ? { ...fields } : {};
}

/** The pino-http options of every app; exported so tests log through exactly this configuration. */
export function loggingOptions(options: { service: string; level: string; instanceId: string }): Options {
  return {
    level: options.level,
    base: { service: options.service, instance: options.instanceId },
    autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') || req.url === '/metrics' },
    // Also for loggers outside pino-http (lines written outside a request): a raw request or response
    // handed to any of them is reduced to method, url, headers and status, never its rawHeaders; a
    // credential in the query string (`?token=`) is censored like the Authorization header.
    serializers: { req: serializeRequest, res: stdSerializers.res, err: stdSerializers.err },
    redact: { paths: [...REDACTED_LOG_PATHS], censor: REDACTED },
    mixin: logContextFields,
    customProps: (req) => {
      const user = (req as { user?: { userId?: string } }).user;
      return user?.userId ? { userId: user.userId } : {};
    },
  };
}

/** Structured JSON logs (pino) with the service name on every line; health probes are not logged. */
@Module({})
export class LoggingModule {
  static forRoot(options: { service: string; level: string; instanceId: string }): DynamicModule {
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: loggingOptions(options) })],
      exports: [LoggerModule],
    };
  }
}
