import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DevIdentityProvider } from '@gisbi/dev-identity';
import { ensureDatabase } from './database';
import { appEntry, STACK_APPS, type StackApp } from './services';

/**
 * `pnpm start`: the whole system on one machine. Starts the development identity provider, creates the
 * database if needed, applies every service's migrations, then runs all seven apps as child processes
 * with one environment. Variables already set in the environment win over these development defaults,
 * so the same command runs against a real identity provider.
 */
const workspaceRoot = process.cwd();
const DEV_ADMIN_KEY = 'gisbi-local-admin-key-0123456789';
const distRoot = path.join(workspaceRoot, 'dist');
const children = new Map<string, ChildProcess>();
let stopping = false;

async function main(): Promise<void> {
  const stateDir = path.join(workspaceRoot, '.dev-stack');
  mkdirSync(stateDir, { recursive: true });
  const idpPort = Number(process.env['DEV_IDP_PORT'] ?? 4400);
  const idp = await DevIdentityProvider.create({ port: idpPort, keyDir: path.join(stateDir, 'idp-keys') });
  log('dev-idp', `development identity provider on ${idp.url}`);

  const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/gisbi';
  // A demonstration brand and campaign let a new user see a sponsored reward granted end to end.
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    GIFTS_SEED_DEMO: 'true',
    // Local sponsor administration key (only when none is given); production sets its own secret.
    ADMIN_API_KEYS: DEV_ADMIN_KEY,
    // Locally every client (the benchmarks' thousands of phones too) shares 127.0.0.1; credentials keep
    // their production budget.
    REST_RATE_LIMIT_PER_ADDRESS: '1000000',
    ...idp.envFor(),
    ...process.env,
  };
  await ensureDatabase(databaseUrl);

  for (const app of STACK_APPS.filter((candidate) => candidate.migrates)) {
    await runToCompletion(app, ['migrate'], env);
  }
  log('stack', 'migrations applied');

  for (const app of STACK_APPS) start(app, env);
  await Promise.all(STACK_APPS.map((app) => waitReady(app, managementPortOf(app))));
  const gateway = `http://127.0.0.1:${portOf(STACK_APPS[6])}`;
  const gatewayManagement = `http://127.0.0.1:${managementPortOf(STACK_APPS[6])}`;
  const servicePorts = STACK_APPS.filter((app) => app.name !== 'gateway').map(portOf).join(', ');
  log(
    'stack',
    [
      'all services are up',
      `  REST + Swagger UI: ${gateway}/docs/   OpenAPI: ${gateway}/docs.json`,
      `  WebSocket:        ${gateway.replace('http', 'ws')}/ws`,
      `  Health, metrics:  ${gatewayManagement}/health/ready   ${gatewayManagement}/metrics (internal; services on ${servicePorts})`,
      '  Sign in locally:  ID_TOKEN=$(pnpm -s dev-token --sub alice --name "Alice")',
      `                    curl -s -X POST ${gateway}/auth/social-login -H 'content-type: application/json' \\`,
      `                      -d "{\\"provider\\":\\"google\\",\\"idToken\\":\\"$ID_TOKEN\\"}"`,
      `  Admin API:        Authorization: Bearer ${process.env['ADMIN_API_KEYS'] ? '<your ADMIN_API_KEYS>' : DEV_ADMIN_KEY}`,
      '  Stop with Ctrl+C.',
    ].join('\n'),
  );

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('stack', `${signal}: stopping services`);
    await Promise.all([...children.values()].map((child) => stopChild(child)));
    await idp.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

function portOf(app: StackApp): number {
  const override = process.env[`${app.name.toUpperCase()}_HTTP_PORT`];
  if (app.name === 'gateway') return Number(process.env['GATEWAY_PORT'] ?? app.port);
  return Number(override ?? app.port);
}

/** Where an app answers health and metrics: its HTTP port, except the gateway's internal management port. */
function managementPortOf(app: StackApp): number {
  if (app.name === 'gateway') return Number(process.env['GATEWAY_MANAGEMENT_PORT'] ?? app.managementPort);
  return portOf(app);
}

function childEnv(app: StackApp, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const gatewayPorts =
    app.name === 'gateway' ? { GATEWAY_PORT: String(portOf(app)), GATEWAY_MANAGEMENT_PORT: String(managementPortOf(app)) } : {};
  return { ...env, HTTP_PORT: String(portOf(app)), ...gatewayPorts };
}

const splitArgs = (value: string): string[] => value.split(/\s+/).filter(Boolean);

/**
 * The Node flags of a long-running app: its own (GISBI_NODE_ARGS, as in the images, replaces them for
 * every app), then DEV_STACK_NODE_ARGS, e.g. `DEV_STACK_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` to
 * profile the apps under a benchmark (flags like --cpu-prof are refused in NODE_OPTIONS).
 */
function nodeArgsOf(app: StackApp): string[] {
  const own = process.env['GISBI_NODE_ARGS'] === undefined ? app.nodeArgs : splitArgs(process.env['GISBI_NODE_ARGS']);
  return [...own, ...splitArgs(process.env['DEV_STACK_NODE_ARGS'] ?? '')];
}

function start(app: StackApp, env: NodeJS.ProcessEnv): void {
  const child = spawn(process.execPath, ['--enable-source-maps', ...nodeArgsOf(app), appEntry(distRoot, app)], {
    env: childEnv(app, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(app.name, child);
  pipe(app.name, child);
  child.on('exit', (code, signal) => {
    children.delete(app.name);
    if (stopping) return;
    log(app.name, `exited (${signal ?? code}); stopping the stack`);
    stopping = true;
    void Promise.all([...children.values()].map(stopChild)).then(() => process.exit(1));
  });
}

function runToCompletion(app: StackApp, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--enable-source-maps', appEntry(distRoot, app), ...args], {
      env: childEnv(app, env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pipe(app.name, child);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${app.name} ${args.join(' ')} failed (exit ${code})`))));
  });
}

async function waitReady(app: StackApp, port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${app.name} did not become ready on port ${port}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function pipe(name: string, child: ChildProcess): void {
  const prefix = `${name.padEnd(11)}| `;
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line) process.stdout.write(prefix + line + '\n');
    });
  }
}

function log(name: string, text: string): void {
  for (const line of text.split('\n')) process.stdout.write(`${name.padEnd(11)}| ${line}\n`);
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  await Promise.all([...children.values()].map(stopChild));
  process.exit(1);
});
