import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const STACK_APP_NAMES = ['auth', 'presence', 'connections', 'chat', 'proximity', 'gifts', 'gateway'] as const;
export type StackAppName = (typeof STACK_APP_NAMES)[number];

const workspaceRoot = path.resolve(__dirname, '..', '..', '..', '..');

/** One running replica of an app, started from dist/ exactly as `pnpm start` and the images run it. */
export class AppProcess {
  private child?: ChildProcess;
  private readonly output: string[] = [];
  exitCode: number | null = null;

  constructor(
    readonly app: StackAppName,
    readonly replica: number,
    readonly httpPort: number,
    private readonly env: NodeJS.ProcessEnv,
    /** Where health and metrics answer: the HTTP port, except for the gateway (GATEWAY_MANAGEMENT_PORT). */
    readonly managementPort: number = httpPort,
  ) {}

  get name(): string {
    return `${this.app}#${this.replica}`;
  }

  get logs(): string {
    return this.output.join('');
  }

  start(): void {
    this.exitCode = null;
    const entry = path.join(workspaceRoot, 'dist', 'apps', this.app, 'src', 'main.js');
    const child = spawn(process.execPath, ['--enable-source-maps', entry], {
      env: { ...this.env, HTTP_PORT: String(this.httpPort), INSTANCE_ID: `${this.app}-${this.replica}-${process.pid}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const capture = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (process.env['GISBI_E2E_LOGS'] === '1') process.stdout.write(`[${this.name}] ${chunk.toString()}`);
    };
    child.stdout?.on('data', capture);
    child.stderr?.on('data', capture);
    child.on('exit', (code) => {
      this.exitCode = code ?? -1;
    });
    this.child = child;
  }

  async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitCode !== null) throw new Error(`${this.name} exited (${this.exitCode}) before ready:\n${this.logs.slice(-4000)}`);
      try {
        const response = await fetch(`http://127.0.0.1:${this.managementPort}/health/ready`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.name} not ready within ${timeoutMs} ms:\n${this.logs.slice(-4000)}`);
  }

  /** Graceful stop (SIGTERM, as Kubernetes does); SIGKILL after `graceMs`. */
  stop(graceMs = 15_000): Promise<void> {
    return this.signal('SIGTERM', graceMs);
  }

  /** Ctrl+C, as `pnpm start` passes it on: the same graceful shutdown as SIGTERM. */
  interrupt(graceMs = 15_000): Promise<void> {
    return this.signal('SIGINT', graceMs);
  }

  /** Abrupt death, as a crashed pod. */
  kill(): Promise<void> {
    return this.signal('SIGKILL', 0);
  }

  private signal(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    const child = this.child;
    if (!child || this.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = graceMs > 0 ? setTimeout(() => child.kill('SIGKILL'), graceMs) : undefined;
      child.once('exit', () => {
        if (timer) clearTimeout(timer);
        resolve();
      });
      child.kill(signal);
    });
  }
}
