import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';

export const REDIS = Symbol('REDIS');

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * One ioredis connection per process (commands are pipelined over it). `keyPrefix` namespaces every
 * key, which is how test runs stay isolated on a shared Redis.
 */
@Global()
@Module({})
export class RedisModule {
  static forRoot(options: { url: string; keyPrefix: string }): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS,
          useFactory: () => new Redis(options.url, { keyPrefix: options.keyPrefix, maxRetriesPerRequest: 3, lazyConnect: false }),
        },
        RedisLifecycle,
      ],
      exports: [REDIS],
    };
  }
}
