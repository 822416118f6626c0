import Redis from 'ioredis';
import { LatencyHistogram } from './histogram';
import { seededRandom, toPoint, type City } from './city';

export interface IndexScalingRow {
  layout: string;
  points: number;
  /** Points inside the search radius, on average. */
  inRadius: number;
  memoryBytes: number;
  latency: LatencyHistogram;
  /** Redis CPU per GEOSEARCH (from INFO commandstats), µs. */
  serverMicrosPerCall: number;
}

/**
 * Cost of the radar's query (GEOSEARCH ... BYRADIUS r ASC COUNT c) against the index size, on a scratch
 * key: (a) at constant density (the city grows with its users: only the points inside the search area
 * matter), (b) everyone squeezed into the same 10 km city (the area gets denser: cost follows the points
 * inside the area, COUNT caps only what is returned).
 */
export async function indexScaling(options: {
  redisUrl: string;
  sizes: number[];
  queries: number;
  radiusMeters: number;
  count: number;
  densityPerKm2: number;
  city: City;
  log: (line: string) => void;
}): Promise<IndexScalingRow[]> {
  const redis = new Redis(options.redisUrl, { keyPrefix: `bench:${process.pid}:${Date.now().toString(36)}:` });
  const rows: IndexScalingRow[] = [];
  try {
    for (const layout of ['constant density', 'one 10 km city'] as const) {
      for (const size of options.sizes) {
        const side =
          layout === 'constant density' ? Math.sqrt(size / options.densityPerKm2) * 1000 : options.city.sideMeters;
        const city: City = { center: options.city.center, sideMeters: side };
        const key = `scaling:${layout === 'constant density' ? 'd' : 'c'}:${size}`;
        const random = seededRandom(size);
        const started = Date.now();
        for (let start = 0; start < size; start += 5000) {
          const pipeline = redis.pipeline();
          for (let batch = start; batch < Math.min(size, start + 5000); batch += 1000) {
            const args: Array<string | number> = [];
            for (let i = batch; i < Math.min(size, batch + 1000); i++) {
              const point = toPoint(city, (random() - 0.5) * side, (random() - 0.5) * side);
              args.push(point.lng, point.lat, `u${i}`);
            }
            pipeline.geoadd(key, ...args);
          }
          await pipeline.exec();
        }
        options.log(`  ${layout}: loaded ${size} points in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        // Query points away from the edge, so every circle lies fully inside the populated square.
        const margin = side / 2 - options.radiusMeters;
        const queryRandom = seededRandom(7);
        const queryPoints = Array.from({ length: options.queries }, () =>
          toPoint(city, (queryRandom() - 0.5) * 2 * margin, (queryRandom() - 0.5) * 2 * margin),
        );
        const before = await geosearchStats(redis);
        const latency = new LatencyHistogram();
        for (const at of queryPoints) {
          const t0 = process.hrtime.bigint();
          await redis.geosearch(key, 'FROMLONLAT', at.lng, at.lat, 'BYRADIUS', options.radiusMeters, 'm', 'ASC', 'COUNT', options.count);
          latency.recordNanos(process.hrtime.bigint() - t0);
        }
        const after = await geosearchStats(redis);
        let found = 0;
        for (const at of queryPoints.slice(0, 50)) {
          const all = (await redis.geosearch(key, 'FROMLONLAT', at.lng, at.lat, 'BYRADIUS', options.radiusMeters, 'm')) as string[];
          found += all.length;
        }
        const calls = after.calls - before.calls;
        rows.push({
          layout,
          points: size,
          inRadius: found / Math.min(50, options.queries),
          memoryBytes: await memoryUsage(options.redisUrl, `${redis.options.keyPrefix ?? ''}${key}`),
          latency,
          serverMicrosPerCall: calls > 0 ? (after.usec - before.usec) / calls : Number.NaN,
        });
        await redis.del(key);
      }
    }
  } finally {
    redis.disconnect();
  }
  return rows;
}

/** MEMORY USAGE on an unprefixed connection (the key is passed fully qualified). */
async function memoryUsage(redisUrl: string, fullKey: string): Promise<number> {
  const raw = new Redis(redisUrl);
  try {
    return Number((await raw.call('MEMORY', 'USAGE', fullKey, 'SAMPLES', '0')) ?? 0);
  } finally {
    raw.disconnect();
  }
}

async function geosearchStats(redis: Redis): Promise<{ calls: number; usec: number }> {
  const info = await redis.info('commandstats');
  const line = info.split('\n').find((entry) => entry.startsWith('cmdstat_geosearch:'));
  const calls = Number(/calls=(\d+)/.exec(line ?? '')?.[1] ?? 0);
  const usec = Number(/usec=(\d+)/.exec(line ?? '')?.[1] ?? 0);
  return { calls, usec };
}
