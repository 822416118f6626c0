// Chat benchmark (issue 5, "Speed"): messages per second and send → recipient-socket latency through the
// running stack (gateway, NATS, chat, Postgres, auth, presence), side by side with pgbench inserting the
// same rows (a copy of chat.messages with all its indexes, in a scratch database) at the same concurrency.
//
//   pnpm start                      # the stack, in another terminal (or already running)
//   node tools/scripts/build.mjs --quiet && node dist/tools/bench/src/chat-bench.js [options]
//
// Options (or environment): --pairs N (BENCH_PAIRS, 16): concurrent senders, each with its own recipient;
// --duration S (BENCH_DURATION_SECONDS, 15) per phase; --rate R (BENCH_RATE, 500) messages/s of the
// latency phase; --gateway URL (BENCH_GATEWAY_URL, http://127.0.0.1:3000); --gateway-management URL
// (BENCH_GATEWAY_MANAGEMENT_URL, http://127.0.0.1:3010: its health port); --idp URL (DEV_IDP_URL,
// http://127.0.0.1:4400); --database URL (DATABASE_URL of the stack, postgres://postgres@127.0.0.1:5432/gisbi);
// --phases throughput,latency,pgbench (BENCH_PHASES, all); --stack-pid PID (BENCH_STACK_PID) of
// `node dist/tools/dev-stack/src/main.js` for CPU milliseconds per message of each process.
// Prints a JSON result and a Markdown section for docs/benchmarks.md.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import WebSocket from 'ws';
import type { Message } from '@gisbi/contracts';
import { percentiles, round, type Percentiles } from './percentiles';

const run = promisify(execFile);

interface Options {
  pairs: number;
  durationSeconds: number;
  rate: number;
  gateway: string;
  /** The gateway's internal management port (health, metrics). */
  gatewayManagement: string;
  idp: string;
  database: string;
  /** Phases to run (all by default): throughput, latency, pgbench. */
  phases: Set<string>;
  /** The `pnpm start` dev-stack process, for a CPU breakdown per message. */
  stackPid: number | undefined;
}

interface Phase {
  sent: number;
  acknowledged: number;
  delivered: number;
  errors: Record<string, number>;
  seconds: number;
  messagesPerSecond: number;
  latencyMs: Percentiles;
}


interface PgbenchResult {
  tps: number;
  latencyMs: Percentiles | null;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      pairs: { type: 'string' },
      duration: { type: 'string' },
      rate: { type: 'string' },
      gateway: { type: 'string' },
      'gateway-management': { type: 'string' },
      idp: { type: 'string' },
      database: { type: 'string' },
      phases: { type: 'string' },
      'stack-pid': { type: 'string' },
    },
  });
  const env = process.env;
  return {
    pairs: Number(values.pairs ?? env['BENCH_PAIRS'] ?? 16),
    durationSeconds: Number(values.duration ?? env['BENCH_DURATION_SECONDS'] ?? 15),
    rate: Number(values.rate ?? env['BENCH_RATE'] ?? 500),
    gateway: values.gateway ?? env['BENCH_GATEWAY_URL'] ?? 'http://127.0.0.1:3000',
    gatewayManagement: values['gateway-management'] ?? env['BENCH_GATEWAY_MANAGEMENT_URL'] ?? 'http://127.0.0.1:3010',
    idp: values.idp ?? env['DEV_IDP_URL'] ?? `http://127.0.0.1:${env['DEV_IDP_PORT'] ?? 4400}`,
    database: values.database ?? env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/gisbi',
    phases: new Set((values.phases ?? env['BENCH_PHASES'] ?? 'throughput,latency,pgbench').split(',')),
    stackPid:
      (values['stack-pid'] ?? env['BENCH_STACK_PID'])
        ? Number(values['stack-pid'] ?? env['BENCH_STACK_PID'])
        : undefined,
  };
}

// ---- clients -------------------------------------------------------------------------------------

interface Envelope {
  type: string;
  payload: Record<string, unknown>;
  requestId?: string;
}

/** One signed-in user with one socket; measures when messages addressed to it arrive. */
class BenchClient {
  private readonly replies = new Map<string, (envelope: Envelope) => void>();
  private counter = 0;
  onMessage: (message: Message, at: number) => void = () => undefined;

  private constructor(
    readonly userId: string,
    private readonly ws: WebSocket,
  ) {
    ws.on('message', (data: WebSocket.RawData) => {
      const at = performance.now();
      const envelope = JSON.parse(data.toString()) as Envelope;
      if (envelope.requestId) {
        const resolve = this.replies.get(envelope.requestId);
        if (resolve) {
          this.replies.delete(envelope.requestId);
          resolve(envelope);
        }
      }
      if (envelope.type === 'chat.message.created' && !envelope.requestId) {
        const message = envelope.payload as unknown as Message;
        if (message.recipientId === this.userId) this.onMessage(message, at);
      }
    });
  }

  static async signIn(opts: Options, sub: string): Promise<BenchClient> {
    const token = await postJson<{ idToken: string }>(`${opts.idp}/token`, {
      provider: 'google',
      sub,
      name: `Bench ${sub.slice(-4)}`,
    });
    const login = await postJson<{ accessToken: string; user: { id: string } }>(
      `${opts.gateway}/auth/social-login`,
      {
        provider: 'google',
        idToken: token.idToken,
      },
    );
    const ws = new WebSocket(`${opts.gateway.replace(/^http/, 'ws')}/ws`, {
      headers: { Authorization: `Bearer ${login.accessToken}` },
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const client = new BenchClient(login.user.id, ws);
    await client.request('session.start', {});
    return client;
  }

  /** Sends a command; resolves with the reply carrying the same requestId. */
  request(type: string, payload: unknown): Promise<Envelope> {
    const requestId = `b${++this.counter}`;
    const reply = new Promise<Envelope>((resolve) => this.replies.set(requestId, resolve));
    this.ws.send(JSON.stringify({ type, payload, requestId }));
    return reply;
  }

  close(): void {
    this.ws.close();
  }
}

async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Same length as the pgbench rows. */
function content(sequence: number): string {
  return `benchmark message ${String(sequence).padStart(10, '0')} ........`;
}

// ---- stack phases ----------------------------------------------------------------------------------

class Tracker {
  readonly pending = new Map<string, number>();
  readonly latencies: number[] = [];
  readonly errors: Record<string, number> = {};
  sent = 0;
  acknowledged = 0;

  attach(recipient: BenchClient): void {
    recipient.onMessage = (message, at) => {
      const key = message.clientMessageId;
      if (key === undefined) return;
      const sentAt = this.pending.get(key);
      if (sentAt === undefined) return;
      this.pending.delete(key);
      this.latencies.push(at - sentAt);
    };
  }

  async send(sender: BenchClient, recipient: BenchClient, key: string): Promise<void> {
    this.sent++;
    this.pending.set(key, performance.now());
    const reply = await sender.request('chat.message.created', {
      recipientId: recipient.userId,
      content: content(this.sent),
      clientMessageId: key,
    });
    if (reply.type === 'chat.message.created') this.acknowledged++;
    else {
      const code = String(reply.payload['code'] ?? reply.type);
      this.errors[code] = (this.errors[code] ?? 0) + 1;
      this.pending.delete(key);
    }
  }

  async drain(timeoutMs = 5000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.pending.size > 0 && performance.now() < deadline) await sleep(20);
  }

  result(seconds: number): Phase {
    return {
      sent: this.sent,
      acknowledged: this.acknowledged,
      delivered: this.latencies.length,
      errors: this.errors,
      seconds,
      messagesPerSecond: round(this.latencies.length / seconds),
      latencyMs: percentiles(this.latencies),
    };
  }
}

/** Closed loop: every sender sends its next message as soon as the previous one is acknowledged. */
async function throughputPhase(
  pairs: Array<[BenchClient, BenchClient]>,
  seconds: number,
  runId: string,
): Promise<Phase> {
  const tracker = new Tracker();
  for (const [, recipient] of pairs) tracker.attach(recipient);
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    pairs.map(async ([sender, recipient], index) => {
      for (let i = 0; performance.now() < until; i++)
        await tracker.send(sender, recipient, `${runId}-t${index}-${i}`);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await tracker.drain();
  return tracker.result(elapsed);
}

/** Open loop at a fixed rate, round-robin over the senders: latency is measured under a known load. */
async function latencyPhase(
  pairs: Array<[BenchClient, BenchClient]>,
  seconds: number,
  rate: number,
  runId: string,
): Promise<Phase> {
  const tracker = new Tracker();
  for (const [, recipient] of pairs) tracker.attach(recipient);
  const started = performance.now();
  const total = Math.round(rate * seconds);
  const inFlight: Array<Promise<void>> = [];
  let next = 0;
  while (next < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
    for (; next < due; next++) {
      const pair = pairs[next % pairs.length];
      if (pair) inFlight.push(tracker.send(pair[0], pair[1], `${runId}-l${next}`));
    }
    await sleep(1);
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  await tracker.drain();
  return tracker.result(elapsed);
}

// ---- pgbench ---------------------------------------------------------------------------------------

/** The same rows as chat stores: ids, user ids and content of the same shape, all of chat.messages' indexes. */
const PGBENCH_SCRIPT = `\\set s random(1, 1000000)
INSERT INTO chat.messages (id, sender_id, recipient_id, content, created_at, read_at, client_message_id, idempotency_key)
VALUES ('msg_' || upper(substr(md5(random()::text), 1, 26)), 'user_' || upper(substr(md5(:s::text), 1, 26)),
        'user_' || upper(substr(md5((:s + 1)::text), 1, 26)), 'benchmark message ' || lpad(:s::text, 10, '0') || ' ........',
        clock_timestamp(), NULL, 'bench-' || :client_id || '-' || :s, 'c:bench-' || :client_id || '-' || md5(random()::text));
`;

async function pgbench(opts: Options, rate: number | null): Promise<PgbenchResult> {
  const admin = new URL(opts.database);
  const scratch = `gisbi_bench_scratch_${randomBytes(3).toString('hex')}`;
  const target = new URL(opts.database);
  target.pathname = `/${scratch}`;
  const connection = [
    '-h',
    admin.hostname,
    '-p',
    admin.port || '5432',
    '-U',
    decodeURIComponent(admin.username || 'postgres'),
  ];
  const adminDb = [...connection, '-d', 'postgres'];
  await run('psql', [...adminDb, '-qc', `CREATE DATABASE ${scratch}`]);
  const dir = await mkdtemp(path.join(tmpdir(), 'chat-bench-'));
  try {
    // An exact copy of chat.messages (columns, constraints, indexes) from the stack's database.
    const { stdout: ddl } = await run(
      'pg_dump',
      ['--schema-only', '--no-owner', '--table=chat.messages', opts.database],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    await run('psql', [...connection, '-d', scratch, '-qc', 'CREATE SCHEMA chat']);
    await pipeToPsql([...connection, '-d', scratch, '-q', '-v', 'ON_ERROR_STOP=1'], ddl);
    const script = path.join(dir, 'insert-message.sql');
    await writeFile(script, PGBENCH_SCRIPT);
    const args = [
      '-n',
      '-c',
      String(opts.pairs),
      '-j',
      '2',
      '-T',
      String(opts.durationSeconds),
      '-f',
      script,
    ];
    if (rate !== null) args.push('-R', String(rate), '-l', '--log-prefix', path.join(dir, 'log'));
    const { stdout } = await run('pgbench', [...connection, ...args, scratch], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    });
    const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1] ?? NaN);
    let latencyMs: Percentiles | null = null;
    if (rate !== null) {
      const latencies: number[] = [];
      for (const file of (await readdir(dir)).filter((name) => name.startsWith('log'))) {
        for (const line of (await readFile(path.join(dir, file), 'utf8')).split('\n')) {
          const fields = line.trim().split(/\s+/);
          if (fields.length >= 3) latencies.push(Number(fields[2]) / 1000);
        }
      }
      latencyMs = percentiles(latencies);
    }
    return { tps: round(tps), latencyMs };
  } finally {
    await run('psql', [...adminDb, '-qc', `DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`]);
    await rm(dir, { recursive: true, force: true });
  }
}

function pipeToPsql(args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`psql exited with ${code}: ${stderr}`)),
    );
    child.stdin.end(input);
  });
}

// ---- main ------------------------------------------------------------------------------------------



function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main(): Promise<void> {
  const opts = options();
  const ready = await fetch(`${opts.gatewayManagement}/health/ready`).catch(() => undefined);
  if (!ready?.ok) throw new Error(`the stack is not ready at ${opts.gatewayManagement} (start it with \`pnpm start\`)`);
  const runId = `bench${Date.now().toString(36)}`;
  log(`signing in ${opts.pairs * 2} users`);
  const clients: BenchClient[] = [];
  for (let i = 0; i < opts.pairs * 2; i += 8) {
    const batch = Array.from({ length: Math.min(8, opts.pairs * 2 - i) }, (_, j) =>
      BenchClient.signIn(opts, `${runId}-${i + j}`),
    );
    clients.push(...(await Promise.all(batch)));
  }
  const pairs: Array<[BenchClient, BenchClient]> = [];
  for (let i = 0; i + 1 < clients.length; i += 2)
    pairs.push([clients[i] as BenchClient, clients[i + 1] as BenchClient]);
  // Each recipient writes first, so the senders are past the first-contact limit.
  await Promise.all(
    pairs.map(([sender, recipient]) =>
      recipient.request('chat.message.created', { recipientId: sender.userId, content: 'hi' }),
    ),
  );

  log('warm-up');
  await latencyPhase(pairs, 3, Math.min(opts.rate, 200), `${runId}w`);
  await sleep(500); // pushes and outbox flushes of the warm-up settle
  const cpuBefore = await cpuSeconds(opts.stackPid, opts.database);
  let throughput: Phase | null = null;
  if (opts.phases.has('throughput')) {
    log(`throughput: ${opts.pairs} concurrent senders, ${opts.durationSeconds} s`);
    throughput = await throughputPhase(pairs, opts.durationSeconds, `${runId}t`);
  }
  let latency: Phase | null = null;
  if (opts.phases.has('latency')) {
    log(`latency: ${opts.rate} messages/s, ${opts.durationSeconds} s`);
    latency = await latencyPhase(pairs, opts.durationSeconds, opts.rate, `${runId}l`);
  }
  const cpuAfter = await cpuSeconds(opts.stackPid, opts.database);
  for (const client of clients) client.close();
  const messages = (throughput?.acknowledged ?? 0) + (latency?.acknowledged ?? 0);
  const cpuMsPerMessage: Record<string, number> = {};
  // Per process: one that started during the run counts from zero; one that ended is not counted.
  for (const [pid, { name, seconds }] of cpuAfter) {
    const used = seconds - (cpuBefore.get(pid)?.seconds ?? 0);
    if (messages > 0) cpuMsPerMessage[name] = (cpuMsPerMessage[name] ?? 0) + (used * 1000) / messages;
  }
  for (const name of Object.keys(cpuMsPerMessage)) cpuMsPerMessage[name] = round(cpuMsPerMessage[name] ?? 0);

  let pgMax: PgbenchResult | null = null;
  let pgAtRate: PgbenchResult | null = null;
  if (opts.phases.has('pgbench')) {
    log('pgbench: same rows, same concurrency');
    pgMax = await pgbench(opts, null);
    pgAtRate = await pgbench(opts, opts.rate);
  }

  const ratio = throughput && pgMax ? round(throughput.messagesPerSecond / pgMax.tps) : null;
  const result: BenchResult = {
    options: { pairs: opts.pairs, durationSeconds: opts.durationSeconds, rate: opts.rate },
    stack: { throughput, latency, cpuMsPerMessage },
    pgbench: { max: pgMax, atRate: pgAtRate },
    ratio,
    targets: {
      ratioAtLeast06: ratio === null ? null : ratio >= 0.6,
      p99Under20msAtRate: latency
        ? latency.latencyMs.p99 < 20 && latency.delivered >= 0.99 * latency.sent
        : null,
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n\n${markdown(result)}\n`);
}

interface BenchResult {
  options: { pairs: number; durationSeconds: number; rate: number };
  stack: { throughput: Phase | null; latency: Phase | null; cpuMsPerMessage: Record<string, number> };
  pgbench: { max: PgbenchResult | null; atRate: PgbenchResult | null };
  ratio: number | null;
  targets: { ratioAtLeast06: boolean | null; p99Under20msAtRate: boolean | null };
}

/**
 * CPU seconds used so far (Linux /proc), per process id, by each child app of the dev stack process `stackPid` (the
 * `node dist/tools/dev-stack/src/main.js` of `pnpm start`), by the Postgres backends serving the
 * stack's database, and by NATS and Redis, so a run shows where the time per message goes. Empty when
 * no stack pid is given.
 */
async function cpuSeconds(
  stackPid: number | undefined,
  database: string,
): Promise<Map<string, { name: string; seconds: number }>> {
  const totals = new Map<string, { name: string; seconds: number }>();
  if (stackPid === undefined) return totals;
  const databaseName = decodeURIComponent(new URL(database).pathname.slice(1));
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const parent = Number(fields[1]);
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ');
    let name: string | undefined;
    if (parent === stackPid) name = /dist\/apps\/([a-z]+)\//.exec(cmdline)?.[1];
    else if (cmdline.startsWith('postgres:') && cmdline.includes(` ${databaseName} `)) name = 'postgres';
    else if (cmdline.includes('nats-server')) name = 'nats';
    else if (cmdline.includes('redis-server')) name = 'redis';
    if (!name) continue;
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100 per second)
    if (Number.isFinite(ticks)) totals.set(pid, { name, seconds: ticks / 100 });
  }
  return totals;
}

function markdown(r: BenchResult): string {
  const { throughput, latency } = r.stack;
  const ms = (p: Percentiles | null | undefined) => (p ? `${p.p50} / ${p.p90} / ${p.p99} / ${p.max}` : '–');
  const lines = [
    `| Measure (${r.options.pairs} concurrent senders, ${r.options.durationSeconds} s per run) | Stack (socket → chat → socket) | pgbench (INSERT into a copy of chat.messages) |`,
    '|---|---|---|',
  ];
  if (throughput || r.pgbench.max) {
    lines.push(
      `| Max rate, closed loop | ${throughput ? `${throughput.messagesPerSecond} msg/s (${throughput.delivered} delivered, errors ${JSON.stringify(throughput.errors)})` : '–'} | ${r.pgbench.max ? `${r.pgbench.max.tps} tps` : '–'} |`,
    );
  }
  if (latency || r.pgbench.atRate) {
    lines.push(
      `| Latency ms p50 / p90 / p99 / max at ${r.options.rate}/s | ${latency ? `${ms(latency.latencyMs)} (send → recipient socket; ${latency.delivered}/${latency.sent} delivered, ${latency.messagesPerSecond} msg/s)` : '–'} | ${ms(r.pgbench.atRate?.latencyMs)} (per INSERT) |`,
    );
  }
  if (throughput) lines.push(`| Latency ms at max rate, closed loop | ${ms(throughput.latencyMs)} | – |`);
  const cpu = Object.entries(r.stack.cpuMsPerMessage);
  if (cpu.length > 0)
    lines.push('', `CPU ms per message: ${cpu.map(([name, value]) => `${name} ${value}`).join(', ')}.`);
  lines.push(
    '',
    `Ratio stack / pgbench: **${r.ratio ?? '–'}** (target ≥ 0.6: ${r.targets.ratioAtLeast06 === null ? 'not measured' : r.targets.ratioAtLeast06 ? 'met' : 'NOT met'}); p99 at ${r.options.rate}/s < 20 ms: ${r.targets.p99Under20msAtRate === null ? 'not measured' : r.targets.p99Under20msAtRate ? 'met' : 'NOT met'}.`,
  );
  return lines.join('\n');
}

function log(line: string): void {
  process.stderr.write(`chat-bench: ${line}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `chat-bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
