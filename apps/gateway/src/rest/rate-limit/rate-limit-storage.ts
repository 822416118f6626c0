import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';
import type { GatewayEnv } from '../../config/gateway-config';

type StorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Warn about an unreachable Redis at most this often (every request would otherwise log). */
const WARNING_INTERVAL_MS = 30_000;

/**
 * Counts REST requests in Redis (shared by every gateway replica) and fails open: when Redis cannot
 * answer, requests go through unlimited, with a warning, instead of the API failing with it. The
 * gateway's own connection: it queues nothing while disconnected, so an outage costs no latency.
 */
export class RateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger(RateLimitStorage.name);
  private readonly redis: Redis;
  private readonly counter: ThrottlerStorageRedisService;
  private lastWarningAt = 0;

  constructor(env: Pick<GatewayEnv, 'REDIS_URL' | 'REDIS_KEY_PREFIX'>) {
    this.redis = new Redis(env.REDIS_URL, {
      keyPrefix: `${env.REDIS_KEY_PREFIX}ratelimit:`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    // Reconnection is ioredis's job; a dropped connection must not become an unhandled 'error' event.
    this.redis.on('error', (error: Error) => this.warn(error));
    this.counter = new ThrottlerStorageRedisService(this.redis);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<StorageRecord> {
    try {
      return await this.counter.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch (error) {
      this.warn(error);
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private warn(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarningAt < WARNING_INTERVAL_MS) return;
    this.lastWarningAt = now;
    this.logger.warn(`REST rate limits are not enforced while Redis is unreachable: ${error instanceof Error ? error.message : String(error)}`);
  }
}
