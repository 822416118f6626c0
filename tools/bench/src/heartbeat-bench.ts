// Proximity heartbeat benchmark (issue 6, "Speed"): N paired simulated phones send proximity.heartbeat at a
// fixed total rate through the running stack (gateway → NATS → proximity → Postgres, with the real
// connections flow and REST token exchange for the setup), and the ACK latency is measured from the send
// to the reply frame carrying the same requestId. Target: 1,000 heartbeats/s with p99 < 25 ms.
//
//   pnpm start                      # the stack, in another terminal (or already running)
//   node tools/scripts/build.mjs --quiet && node dist/tools/bench/src/heartbeat-bench.js [options]
//
// Options (or environment): --pairs N (BENCH_PAIRS, 500): paired phones (2N sockets); --rate R (BENCH_RATE,
// 1000) heartbeats/s in total, spread evenly (each phone beats every 2N/R s); --duration S
// (BENCH_DURATION_SECONDS, 20) measured seconds after --warmup S (BENCH_WARMUP_SECONDS, 3); --gateway URL
// (BENCH_GATEWAY_URL, http://127.0.0.1:3000); --idp URL (DEV_IDP_URL, http://127.0.0.1:4400).
// Prints a JSON result and a Markdown section for docs/benchmarks.md; exits 1 when the target is missed.
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import type {
  ConnectionRequestAcceptedPayload,
  ConnectionRequestSentPayload,
  ProximityHeartbeatAckPayload,
  ProximitySessionStartAckPayload,
  ProximityToken,
  ProximityTokenRotatePayload,
} from '@gisbi/contracts';
import { percentiles, round, type Percentiles } from './percentiles';

interface Options {
  pairs: number;
  rate: number;
  durationSeconds: number;
  warmupSeconds: number;
  gateway: string;
  idp: string;
}

interface Envelope<P = Record<string, unknown>> {
  type: string;
  payload: P;
  requestId?: string;
}


const TARGET_RATE = 1000;
const TARGET_P99_MS = 25;

function options(): Options {
  const { values } = parseArgs({
    options: {
      pairs: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      gateway: { type: 'string' },
      idp: { type: 'string' },
    },
  });
  const env = process.env;
  return {
    pairs: Number(values.pairs ?? env['BENCH_PAIRS'] ?? 500),
    rate: Number(values.rate ?? env['BENCH_RATE'] ?? TARGET_RATE),
    durationSeconds: Number(values.duration ?? env['BENCH_DURATION_SECONDS'] ?? 20),
    warmupSeconds: Number(values.warmup ?? env['BENCH_WARMUP_SECONDS'] ?? 3),
    gateway: values.gateway ?? env['BENCH_GATEWAY_URL'] ?? 'http://127.0.0.1:3000',
    idp: values.idp ?? env['DEV_IDP_URL'] ?? `http://127.0.0.1:${env['DEV_IDP_PORT'] ?? 4400}`,
  };
}

// ---- a simulated phone -------------------------------------------------------------------------------

class Phone {
  private readonly replies = new Map<string, (envelope: Envelope) => void>();
  private counter = 0;
  /** The partner's BLE token as this phone currently "scans" it. */
  partnerToken = '';
  partner?: Phone;
  connectionId = '';

  private constructor(
    readonly userId: string,
    readonly accessToken: string,
    private readonly ws: WebSocket,
  ) {
    ws.on('message', (data: WebSocket.RawData) => {
      const envelope = JSON.parse(data.toString()) as Envelope;
      if (envelope.requestId) {
        const resolve = this.replies.get(envelope.requestId);
        if (resolve) {
          this.replies.delete(envelope.requestId);
          resolve(envelope);
        }
      } else if (envelope.type === 'proximity.token.rotate' && this.partner) {
        // The owner starts advertising the new token; its partner's scanner picks it up.
        this.partner.partnerToken = (envelope.payload as unknown as ProximityTokenRotatePayload).token;
      }
    });
  }

  static async signIn(opts: Options, sub: string): Promise<Phone> {
    const token = await http<{ idToken: string }>('POST', `${opts.idp}/token`, { provider: 'google', sub, name: `Bench ${sub.slice(-6)}` });
    const login = await http<{ accessToken: string; user: { id: string } }>('POST', `${opts.gateway}/auth/social-login`, {
      provider: 'google',
      idToken: token.idToken,
    });
    const ws = new WebSocket(`${opts.gateway.replace(/^http/, 'ws')}/ws`, { headers: { Authorization: `Bearer ${login.accessToken}` } });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const phone = new Phone(login.user.id, login.accessToken, ws);
    await phone.request('session.start', {});
    return phone;
  }

  /** Sends a command; resolves with the first reply frame carrying its requestId. */
  request<P = Record<string, unknown>>(type: string, payload: unknown): Promise<Envelope<P>> {
    const requestId = `h${++this.counter}`;
    const reply = new Promise<Envelope<P>>((resolve) => this.replies.set(requestId, resolve as (envelope: Envelope) => void));
    this.ws.send(JSON.stringify({ type, payload, requestId }));
    return reply;
  }

  close(): void {
    this.ws.close();
  }
}

async function http<T>(method: string, url: string, body?: unknown, accessToken?: string): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map((item, offset) => work(item, start + offset)))));
  }
  return results;
}

function expectType(envelope: Envelope<unknown>, type: string, what: string): void {
  if (envelope.type !== type) throw new Error(`${what}: expected ${type}, got ${envelope.type} ${JSON.stringify(envelope.payload)}`);
}

// ---- setup: real users, real connections, real tokens, real starts -----------------------------------

async function setUp(opts: Options, runId: string): Promise<Array<[Phone, Phone]>> {
  const subs = Array.from({ length: opts.pairs * 2 }, (_, i) => `hb-${runId}-${i}`);
  const phones = await inBatches(subs, 25, (sub) => Phone.signIn(opts, sub));
  const pairs: Array<[Phone, Phone]> = [];
  for (let i = 0; i + 1 < phones.length; i += 2) {
    const [a, b] = [phones[i], phones[i + 1]];
    if (a && b) pairs.push([a, b]);
  }

  await inBatches(pairs, 25, async ([a, b]) => {
    const sent = await a.request<ConnectionRequestSentPayload>('connection.request.send', { userId: b.userId });
    expectType(sent, 'connection.request.send', 'request');
    const accepted = await b.request<ConnectionRequestAcceptedPayload>('connection.request.accept', {
      requestId: sent.payload.request.requestId,
    });
    expectType(accepted, 'connection.request.accept', 'accept');
    a.connectionId = b.connectionId = accepted.payload.connection.connectionId;
    a.partner = b;
    b.partner = a;
    const path = `${opts.gateway}/connections/${a.connectionId}/proximity/token`;
    const [tokenOfA, tokenOfB] = await Promise.all([
      http<ProximityToken>('POST', path, undefined, a.accessToken),
      http<ProximityToken>('POST', path, undefined, b.accessToken),
    ]);
    a.partnerToken = tokenOfB.token;
    b.partnerToken = tokenOfA.token;
    expectType(await a.request('proximity.session.start', { connectionId: a.connectionId, token: a.partnerToken, rssi: -60 }), 'proximity.session.start', 'start');
    const second = await b.request<ProximitySessionStartAckPayload>('proximity.session.start', {
      connectionId: b.connectionId,
      token: b.partnerToken,
      rssi: -62,
    });
    expectType(second, 'proximity.session.start', 'start');
    if (!second.payload.sessionActive) throw new Error(`session of ${a.connectionId} did not become active`);
  });
  return pairs;
}

// ---- the measured phase ------------------------------------------------------------------------------

interface PhaseResult {
  sent: number;
  acknowledged: number;
  inactiveAcks: number;
  errors: Record<string, number>;
  seconds: number;
  heartbeatsPerSecond: number;
  latencyMs: Percentiles;
  maxAccumulatedSeconds: number;
  /** Per measured second (by send time): count, p99 and max latency — shows stalls a percentile hides. */
  perSecond: Array<{ second: number; count: number; p99: number; max: number }>;
}

/** Open loop at a fixed rate, round-robin over the phones, so latency is measured under a known load. */
async function heartbeatPhase(phones: Phone[], rate: number, warmupSeconds: number, seconds: number): Promise<PhaseResult> {
  const latencies: number[] = [];
  const bySecond: number[][] = [];
  const errors: Record<string, number> = {};
  let sent = 0;
  let acknowledged = 0;
  let inactiveAcks = 0;
  let maxAccumulatedSeconds = 0;
  const started = performance.now();
  const measureFrom = started + warmupSeconds * 1000;
  const total = Math.round(rate * (warmupSeconds + seconds));
  const inFlight: Array<Promise<void>> = [];
  let next = 0;

  const beat = async (phone: Phone, sequence: number): Promise<void> => {
    const at = performance.now();
    const measured = at >= measureFrom;
    if (measured) sent++;
    const reply = await phone.request<ProximityHeartbeatAckPayload>('proximity.heartbeat', {
      connectionId: phone.connectionId,
      token: phone.partnerToken,
      rssi: -55 - (sequence % 23),
    });
    if (!measured) return;
    const latency = performance.now() - at;
    latencies.push(latency);
    (bySecond[Math.floor((at - measureFrom) / 1000)] ??= []).push(latency);
    if (reply.type === 'proximity.heartbeat') {
      acknowledged++;
      if (!reply.payload.sessionActive) inactiveAcks++;
      maxAccumulatedSeconds = Math.max(maxAccumulatedSeconds, reply.payload.accumulatedSeconds);
    } else {
      const code = String((reply.payload as unknown as { code?: string }).code ?? reply.type);
      errors[code] = (errors[code] ?? 0) + 1;
    }
  };

  while (next < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
    for (; next < due; next++) {
      const phone = phones[next % phones.length];
      if (phone) inFlight.push(beat(phone, next));
    }
    await sleep(1);
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - measureFrom) / 1000;
  return {
    sent,
    acknowledged,
    inactiveAcks,
    errors,
    seconds: round(elapsed),
    heartbeatsPerSecond: round(acknowledged / elapsed),
    latencyMs: percentiles(latencies),
    maxAccumulatedSeconds,
    perSecond: bySecond.map((values, second) => {
      const { p99, max } = percentiles(values);
      return { second, count: values.length, p99, max };
    }),
  };
}

// ---- main --------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = options();
  const runId = randomBytes(3).toString('hex');
  const setupStarted = performance.now();
  process.stderr.write(`heartbeat-bench ${runId}: signing in ${opts.pairs * 2} phones, connecting and starting ${opts.pairs} pairs...\n`);
  const pairs = await setUp(opts, runId);
  const setupSeconds = round((performance.now() - setupStarted) / 1000);
  // Each phone beats on its own schedule: partners are half a period apart (all A phones, then all B phones),
  // as two independent phones would be on average, rather than always at the same instant.
  const phones = [...pairs.map(([a]) => a), ...pairs.map(([, b]) => b)];
  process.stderr.write(`setup done in ${setupSeconds} s; ${opts.rate} heartbeats/s for ${opts.warmupSeconds}+${opts.durationSeconds} s...\n`);
  const phase = await heartbeatPhase(phones, opts.rate, opts.warmupSeconds, opts.durationSeconds);
  await inBatches(pairs, 50, ([a]) => a.request('proximity.session.end', { connectionId: a.connectionId }));
  for (const phone of phones) phone.close();

  const passed =
    opts.rate >= TARGET_RATE &&
    phase.heartbeatsPerSecond >= opts.rate * 0.98 &&
    phase.latencyMs.p99 < TARGET_P99_MS &&
    Object.keys(phase.errors).length === 0 &&
    phase.inactiveAcks === 0;
  const result = { runId, options: opts, cpus: cpus().length, setupSeconds, phase, target: { rate: TARGET_RATE, p99Ms: TARGET_P99_MS }, passed };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n\n${markdown(result)}\n`);
  if (!passed) process.exitCode = 1;
}

function markdown(result: {
  options: Options;
  cpus: number;
  setupSeconds: number;
  phase: PhaseResult;
  passed: boolean;
}): string {
  const { options: o, phase: p } = result;
  return [
    `### Proximity heartbeats (${new Date().toISOString().slice(0, 10)})`,
    '',
    `${o.pairs} pairs (${o.pairs * 2} sockets) through the gateway, each phone beating every ${round((o.pairs * 2) / o.rate)} s, ` +
      `open loop at ${o.rate}/s for ${o.durationSeconds} s after a ${o.warmupSeconds} s warm-up; ${result.cpus} CPUs, ` +
      `all services on this machine (setup: real logins, connection requests/accepts, REST tokens, session starts in ${result.setupSeconds} s).`,
    '',
    '| heartbeats/s | sent | ACKed | errors | inactive ACKs | p50 ms | p90 ms | p99 ms | max ms | target |',
    '|---|---|---|---|---|---|---|---|---|---|',
    `| ${p.heartbeatsPerSecond} | ${p.sent} | ${p.acknowledged} | ${JSON.stringify(p.errors)} | ${p.inactiveAcks} | ${p.latencyMs.p50} | ` +
      `${p.latencyMs.p90} | ${p.latencyMs.p99} | ${p.latencyMs.max} | ${result.passed ? 'met' : 'missed'} (≥ ${TARGET_RATE}/s, p99 < ${TARGET_P99_MS} ms) |`,
  ].join('\n');
}



function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
