import Redis from 'ioredis';
import { LatencyHistogram } from './histogram';
import type { LoadResult } from './load';
import type { Point } from './city';

/**
 * The floor for a radar update: what one ioredis connection does with a GEOADD followed by a
 * GEOSEARCH (same radius and COUNT as the radar) in a closed loop, on a scratch key deleted afterwards.
 */
export async function redisGeoBaseline(options: {
  redisUrl: string;
  points: Point[];
  radiusMeters: number;
  count: number;
  concurrency: number;
  seconds: number;
}): Promise<LoadResult> {
  const redis = new Redis(options.redisUrl, { keyPrefix: `bench:${process.pid}:${Date.now().toString(36)}:` });
  const key = 'geo';
  try {
    for (let start = 0; start < options.points.length; start += 1000) {
      const args: Array<string | number> = [];
      options.points.slice(start, start + 1000).forEach((point, offset) => args.push(point.lng, point.lat, `u${start + offset}`));
      await redis.geoadd(key, ...args);
    }
    const latency = new LatencyHistogram();
    let completed = 0;
    let next = 0;
    const end = Date.now() + options.seconds * 1000;
    const started = process.hrtime.bigint();
    const worker = async () => {
      while (Date.now() < end) {
        const index = next++ % options.points.length;
        const point = options.points[index] as Point;
        const t0 = process.hrtime.bigint();
        await redis.geoadd(key, point.lng, point.lat, `u${index}`);
        await redis.geosearch(key, 'FROMLONLAT', point.lng, point.lat, 'BYRADIUS', options.radiusMeters, 'm', 'ASC', 'COUNT', options.count);
        latency.recordNanos(process.hrtime.bigint() - t0);
        completed++;
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      label: 'raw ioredis GEOADD + GEOSEARCH',
      mode: 'closed',
      parameter: options.concurrency,
      seconds: elapsed,
      completed,
      failed: 0,
      shed: 0,
      throughput: completed / elapsed,
      latency,
      pushesPerSecond: 0,
      failures: {},
    };
  } finally {
    await redis.del(key);
    redis.disconnect();
  }
}
