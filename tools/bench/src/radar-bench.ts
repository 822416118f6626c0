// GISBI radar benchmark (issue 3 "Speed"). Drives the running stack (`pnpm start`) over loopback:
//   node tools/scripts/build.mjs --quiet && node dist/tools/bench/src/radar-bench.js --users 1000 --seconds 10 --rate 500
// Every loop is bounded by time or count; the run stops by itself and prints a Markdown report.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { randomWalker, seededRandom, step, toPoint, type City, type Walker } from './radar/city';
import { runEchoServer, startEchoServer } from './radar/echo-server';
import { measureIdleSockets, type IdleSocketsResult } from './radar/idle-sockets';
import { indexScaling, type IndexScalingRow } from './radar/index-scaling';
import { cpuPerRequest, sampleCpu, type CpuSample } from './radar/cpu-usage';
import { closedLoop, openLoop, type LoadResult, type LoadTarget } from './radar/load';
import { redisGeoBaseline } from './radar/redis-baseline';
import { signInUsers, type BenchUser } from './radar/sign-in';
import { BenchSocket } from './radar/socket-client';

const PHASES = ['radar', 'echo', 'redis', 'idle', 'index'] as const;
type Phase = (typeof PHASES)[number];

const USAGE = `Usage: node dist/tools/bench/src/radar-bench.js [options]
  --gateway <url>        gateway of the running stack (default http://127.0.0.1:3000)
  --gateway-management <url>
                         the gateway's health/metrics port, for readiness, CPU and memory (default http://127.0.0.1:3010)
  --idp <url>            development identity provider (default http://127.0.0.1:4400)
  --presence <url>       presence's health/metrics port, for CPU accounting (default http://127.0.0.1:3002)
  --redis <url>          Redis for the baselines and the index-scaling scratch keys (default redis://127.0.0.1:6379)
  --users <n>            simulated live users, each with its own socket (default 1000)
  --concurrency <n>      closed loop: requests in flight (default 64)
  --rate <n>             open loop: target location updates per second (default 500)
  --seconds <n>          measured seconds per load phase (default 10)
  --warmup <n>           unmeasured warm-up seconds before the radar load (default 3)
  --idle-sockets <n>     idle sockets opened for the gateway memory measurement (default 2000)
  --index-sizes <list>   GEO index sizes for the query-cost table (default 10000,100000,1000000)
  --queries <n>          GEOSEARCH calls per index size (default 2000)
  --radius <m>           radar radius the stack runs with (default 500; search radius adds the 50 m grid + 2 m)
  --count <n>            GEOSEARCH COUNT the radar asks for (default 59 = 50 results + self + slack)
  --phases <list>        subset of ${PHASES.join(',')} (default all)
  --token-cache <file>   reuse access tokens between runs (default /tmp/gisbi-bench-tokens.json)
  --out <file>           also write the Markdown report there`;

const city: City = { center: { lat: 6.5244, lng: 3.3792 }, sideMeters: 10_000 };
const WALKING_SPEED = 1.4;

async function main(): Promise<void> {
  if (process.argv[2] === 'echo-server') return runEchoServer();
  const { values } = parseArgs({
    options: {
      gateway: { type: 'string', default: 'http://127.0.0.1:3000' },
      'gateway-management': { type: 'string', default: 'http://127.0.0.1:3010' },
      idp: { type: 'string', default: 'http://127.0.0.1:4400' },
      presence: { type: 'string', default: 'http://127.0.0.1:3002' },
      redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
      users: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '64' },
      rate: { type: 'string', default: '500' },
      seconds: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      'idle-sockets': { type: 'string', default: '2000' },
      'index-sizes': { type: 'string', default: '10000,100000,1000000' },
      queries: { type: 'string', default: '2000' },
      radius: { type: 'string', default: '500' },
      count: { type: 'string', default: '59' },
      phases: { type: 'string', default: PHASES.join(',') },
      'token-cache': { type: 'string', default: '/tmp/gisbi-bench-tokens.json' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const number = (name: string, value: string | undefined) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number`);
    return parsed;
  };
  const users = Math.floor(number('users', values.users));
  const concurrency = Math.floor(number('concurrency', values.concurrency));
  const rate = number('rate', values.rate);
  const seconds = number('seconds', values.seconds);
  const warmup = Number(values.warmup ?? 0);
  const idleCount = Math.floor(number('idle-sockets', values['idle-sockets']));
  const sizes = (values['index-sizes'] ?? '').split(',').map((size) => Math.floor(number('index-sizes', size)));
  const queries = Math.floor(number('queries', values.queries));
  const searchRadius = number('radius', values.radius) + 50 + 2;
  const count = Math.floor(number('count', values.count));
  const phases = new Set((values.phases ?? '').split(',').map((phase) => phase.trim()) as Phase[]);
  for (const phase of phases) if (!PHASES.includes(phase)) throw new Error(`unknown phase "${phase}"`);
  const gateway = values.gateway ?? '';
  const gatewayManagement = values['gateway-management'] ?? '';
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const loads: LoadResult[] = [];
  const cpu = new Map<LoadResult, CpuSample>();
  let idle: IdleSocketsResult | undefined;
  let scaling: IndexScalingRow[] = [];
  const random = seededRandom(2026);
  const walkers: Walker[] = Array.from({ length: users }, () => randomWalker(city, random));
  const points = () => walkers.map((walker) => toPoint(city, walker.east, walker.north));

  let signedIn: BenchUser[] = [];
  if (phases.has('radar') || phases.has('idle')) {
    const ready = await fetch(`${gatewayManagement}/health/ready`).catch(() => undefined);
    if (!ready?.ok) throw new Error(`the stack is not ready at ${gatewayManagement} (start it with \`pnpm start\`)`);
    log(`signing in ${users} users...`);
    signedIn = await signInUsers({
      gateway,
      idp: values.idp ?? '',
      count: users,
      prefix: 'bench',
      concurrency: 16,
      cacheFile: values['token-cache'],
      log,
    });
  }

  // Frames every target sends: a location update of user `index`, who walked since their last one.
  const lastMoved = new Float64Array(users);
  const frame = (index: number, requestId: string): string => {
    const now = performance.now();
    const elapsed = lastMoved[index] ? (now - (lastMoved[index] as number)) / 1000 : 0;
    lastMoved[index] = now;
    walkers[index] = step(city, walkers[index] as Walker, Math.min(50, WALKING_SPEED * elapsed), random);
    const { lat, lng } = toPoint(city, (walkers[index] as Walker).east, (walkers[index] as Walker).north);
    return JSON.stringify({ type: 'presence.location_update', payload: { lat, lng, accuracyMeters: 5 }, requestId });
  };

  if (phases.has('radar')) {
    log(`opening ${users} sockets...`);
    const wsUrl = `${gateway.replace(/^http/, 'ws')}/ws`;
    const sockets = await openAll(users, 100, (index) =>
      BenchSocket.open(wsUrl, { token: signedIn[index]?.accessToken, completesOn: 'radar.nearby.updated', pushType: 'radar.nearby.updated' }),
    );
    const target: LoadTarget = { label: 'GISBI location_update -> radar.nearby.updated', sockets, frame };
    log('placing every user once...');
    await placeEveryone(target, concurrency);
    if (warmup > 0) {
      log(`warming up ${warmup} s...`);
      await closedLoop(target, concurrency, warmup);
    }
    const measured = async (run: () => Promise<LoadResult>) => {
      const before = await sampleCpu(gatewayManagement, values.presence ?? '', values.redis ?? '');
      const result = await run();
      const after = await sampleCpu(gatewayManagement, values.presence ?? '', values.redis ?? '');
      cpu.set(result, cpuPerRequest(before, after, result.completed));
      loads.push(result);
    };
    log(`closed loop, ${concurrency} in flight, ${seconds} s...`);
    await measured(() => closedLoop(target, concurrency, seconds));
    log(`open loop at ${rate}/s, ${seconds} s...`);
    await measured(() => openLoop(target, rate, seconds));
    await Promise.all(sockets.map((socket) => socket.close()));
  }

  if (phases.has('echo')) {
    log('bare ws echo server, same frames, same loops...');
    const echo = await startEchoServer(__filename);
    try {
      const sockets = await openAll(users, 100, () => BenchSocket.open(echo.url, { completesOn: 'presence.location_update', pushType: 'none' }));
      const target: LoadTarget = { label: 'bare ws echo', sockets, frame };
      await closedLoop(target, concurrency, Math.max(1, warmup));
      loads.push(await closedLoop(target, concurrency, seconds));
      loads.push(await openLoop(target, rate, seconds));
      await Promise.all(sockets.map((socket) => socket.close()));
    } finally {
      echo.child.disconnect();
    }
  }

  if (phases.has('redis')) {
    log('raw ioredis GEOADD + GEOSEARCH loop...');
    loads.push(
      await redisGeoBaseline({ redisUrl: values.redis ?? '', points: points(), radiusMeters: searchRadius, count, concurrency, seconds }),
    );
  }

  if (phases.has('idle')) {
    log(`opening ${idleCount} idle sockets...`);
    idle = await measureIdleSockets({ gateway, gatewayManagement, users: signedIn, count: idleCount, openConcurrency: 200, settleSeconds: 3, log });
  }

  if (phases.has('index')) {
    log(`radar query cost vs index size (${sizes.join(', ')})...`);
    scaling = await indexScaling({
      redisUrl: values.redis ?? '',
      sizes,
      queries,
      radiusMeters: searchRadius,
      count,
      densityPerKm2: 100,
      city,
      log,
    });
  }

  const report = renderReport({ users, concurrency, rate, seconds, loads, cpu, idle, scaling, searchRadius, count });
  process.stdout.write(report);
  if (values.out) writeFileSync(values.out, report);
}

/** One location update per user (unmeasured), so every radar starts populated. */
async function placeEveryone(target: LoadTarget, parallel: number): Promise<void> {
  let next = 0;
  let sequence = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (;;) {
        const index = next++;
        if (index >= target.sockets.length) return;
        const requestId = `place${sequence++}`;
        await (target.sockets[index] as BenchSocket).request(target.frame(index, requestId), requestId).catch(() => undefined);
      }
    }),
  );
}

async function openAll(count: number, parallel: number, open: (index: number) => Promise<BenchSocket>): Promise<BenchSocket[]> {
  const sockets: BenchSocket[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (;;) {
        const index = next++;
        if (index >= count) return;
        sockets[index] = await open(index);
      }
    }),
  );
  return sockets;
}

function renderReport(input: {
  users: number;
  concurrency: number;
  rate: number;
  seconds: number;
  loads: LoadResult[];
  cpu: Map<LoadResult, CpuSample>;
  idle: IdleSocketsResult | undefined;
  scaling: IndexScalingRow[];
  searchRadius: number;
  count: number;
}): string {
  const fmt = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
  const lines: string[] = [];
  lines.push(`## Run ${new Date().toISOString()}`);
  lines.push('');
  lines.push(
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}. ` +
      `${input.users} simulated users walking (1.4 m/s) in a 10 km × 10 km city, ${input.seconds} s per phase.`,
  );
  lines.push('');
  if (input.loads.length > 0) {
    lines.push('| Target | Loop | Throughput (req/s) | p50 (ms) | p99 (ms) | max (ms) | failed | shed | pushes/s |');
    lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const load of input.loads) {
      const loop = load.mode === 'closed' ? `closed, ${load.parameter} in flight` : `open, ${load.parameter}/s target`;
      lines.push(
        `| ${load.label} | ${loop} | ${fmt(load.throughput, 0)} | ${fmt(load.latency.percentileMs(50))} | ${fmt(load.latency.percentileMs(99))} | ` +
          `${fmt(load.latency.maxMs)} | ${load.failed}${Object.keys(load.failures).length ? ` (${Object.entries(load.failures).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''} | ${load.shed} | ${fmt(load.pushesPerSecond, 0)} |`,
      );
    }
    lines.push('');
    for (const [load, perRequest] of input.cpu) {
      const loop = load.mode === 'closed' ? 'closed loop' : 'open loop';
      lines.push(
        `CPU per radar update (${loop}): gateway ${fmt(perRequest.gateway, 3)} ms, presence ${fmt(perRequest.presence, 3)} ms, ` +
          `Redis ${fmt(perRequest.redis, 3)} ms (whole Redis server, all its clients).`,
      );
    }
    if (input.cpu.size > 0) lines.push('');
    const radarClosed = input.loads.find((load) => load.label.startsWith('GISBI') && load.mode === 'closed');
    const echoClosed = input.loads.find((load) => load.label === 'bare ws echo' && load.mode === 'closed');
    const redis = input.loads.find((load) => load.label.startsWith('raw ioredis'));
    if (radarClosed && echoClosed) {
      lines.push(`Ratio, closed loop: GISBI / bare echo throughput = **${fmt(radarClosed.throughput / echoClosed.throughput, 3)}** (target ≥ 0.25).`);
    }
    if (radarClosed && redis) {
      lines.push(`Ratio, closed loop: GISBI / raw Redis GEOADD+GEOSEARCH throughput = **${fmt(radarClosed.throughput / redis.throughput, 3)}**.`);
    }
    lines.push('');
  }
  if (input.idle) {
    const { sockets, users, rssAfterBytes, rssBeforeBytes, heapAfterBytes, heapBeforeBytes, openSeconds } = input.idle;
    lines.push(
      `Gateway memory per idle socket (${sockets} sockets of ${users} users, opened in ${fmt(openSeconds, 1)} s): ` +
        `RSS +${fmt((rssAfterBytes - rssBeforeBytes) / sockets / 1024, 1)} KB/socket, ` +
        `JS heap +${fmt((heapAfterBytes - heapBeforeBytes) / sockets / 1024, 1)} KB/socket ` +
        `(RSS ${fmt(rssBeforeBytes / 2 ** 20, 0)} → ${fmt(rssAfterBytes / 2 ** 20, 0)} MiB; target < 20 KB).`,
    );
    lines.push('');
  }
  if (input.scaling.length > 0) {
    lines.push(`Radar query cost vs index size (GEOSEARCH BYRADIUS ${input.searchRadius} m ASC COUNT ${input.count}, one connection, sequential):`);
    lines.push('');
    lines.push('| Layout | Points in index | Points in radius (avg) | Index memory (MiB) | p50 (ms) | p99 (ms) | Redis CPU/call (µs) |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|');
    for (const row of input.scaling) {
      lines.push(
        `| ${row.layout} | ${row.points.toLocaleString('en-US')} | ${fmt(row.inRadius, 0)} | ${fmt(row.memoryBytes / 2 ** 20, 1)} | ` +
          `${fmt(row.latency.percentileMs(50), 3)} | ${fmt(row.latency.percentileMs(99), 3)} | ${fmt(row.serverMicrosPerCall, 1)} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

main().then(
  () => {
    if (process.argv[2] !== 'echo-server') process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
