import { type DynamicModule, Module } from '@nestjs/common';
import { context, createContextKey } from '@opentelemetry/api';
import { LoggerModule } from 'nestjs-pino';

// Kept in the OpenTelemetry context, which every process already propagates across awaits: one more
// AsyncLocalStorage would add its own cost to every promise the process creates.
const LOG_FIELDS = createContextKey('gisbi.log-fields');
const NO_BINDINGS: Record<string, string> = {};

/**
 * Runs `work` so that every log line it writes carries `bindings` (who, what, which request). The fields
 * are merged in by pino's mixin when a line is actually written, so a command that logs nothing pays for
 * no child logger.
 */
export function withLogContext<T>(bindings: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const defined: Record<string, string> = {};
  for (const [key, value] of Object.entries(bindings)) if (value !== undefined) defined[key] = value;
  return context.with(context.active().setValue(LOG_FIELDS, defined), work);
}

/** pino mixin: the fields of the innermost `withLogContext`, or none. */
export function logContextFields(): Record<string, string> {
  return (context.active().getValue(LOG_FIELDS) as Record<string, string> | undefined) ?? NO_BINDINGS;
}

/** Structured JSON logs (pino) with the service name on every line; health probes are not logged. */
@Module({})
export class LoggingModule {
  static forRoot(options: { service: string; level: string; instanceId: string }): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: options.level,
            base: { service: options.service, instance: options.instanceId },
            autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') || req.url === '/metrics' },
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            mixin: logContextFields,
            customProps: (req) => {
              const user = (req as { user?: { userId?: string } }).user;
              return user?.userId ? { userId: user.userId } : {};
            },
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
