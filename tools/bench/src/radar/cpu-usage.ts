import Redis from 'ioredis';

/** CPU seconds consumed so far by the processes on the hot path (from their /metrics and Redis INFO). */
export interface CpuSample {
  gateway: number;
  presence: number;
  redis: number;
}

/** `gatewayManagement` and `presence`: the ports serving their /metrics (the gateway's is not the public one). */
export async function sampleCpu(gatewayManagement: string, presence: string, redisUrl: string): Promise<CpuSample> {
  const [gatewayCpu, presenceCpu, redisCpu] = await Promise.all([
    processCpu(gatewayManagement),
    processCpu(presence),
    redisCpuSeconds(redisUrl),
  ]);
  return { gateway: gatewayCpu, presence: presenceCpu, redis: redisCpu };
}

/** Milliseconds of CPU per request between two samples. */
export function cpuPerRequest(before: CpuSample, after: CpuSample, requests: number): CpuSample {
  const per = (a: number, b: number) => (requests > 0 ? ((b - a) * 1000) / requests : Number.NaN);
  return { gateway: per(before.gateway, after.gateway), presence: per(before.presence, after.presence), redis: per(before.redis, after.redis) };
}

async function processCpu(baseUrl: string): Promise<number> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(3000) })).text();
    return Number(/^process_cpu_seconds_total ([0-9.e+]+)$/m.exec(text)?.[1] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}

async function redisCpuSeconds(redisUrl: string): Promise<number> {
  const redis = new Redis(redisUrl);
  try {
    const info = await redis.info('cpu');
    const read = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
    return read('used_cpu_user') + read('used_cpu_sys');
  } finally {
    redis.disconnect();
  }
}
