import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

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
