import { RateLimitStorage } from './rate-limit-storage';

describe(RateLimitStorage.name, () => {
  it('lets requests through, without waiting, while Redis is unreachable', async () => {
    // Nothing listens on port 1: the connection is refused at once and keeps being retried.
    const storage = new RateLimitStorage({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: 'spec:' });
    try {
      const started = Date.now();
      const record = await storage.increment('credential:x', 60_000, 1, 60_000, 'credential');

      expect(record).toEqual({ totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 });
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      await storage.onApplicationShutdown();
    }
  });
});
