import { randomBytes } from 'node:crypto';
import { DevIdentityProvider, type Provider } from '@gisbi/dev-identity';
import { ErrorCode, type User } from '@gisbi/contracts';
import { createTestEnvironment, type TestEnvironment } from '../infra/test-environment';
import { TestSocket } from '../socket/test-socket';
import { AppProcess, STACK_APP_NAMES, type StackAppName } from './app-process';
import { freePort, freePorts } from './free-port';

export interface StackOptions {
  label?: string;
  /** Extra environment for every app (e.g. short TTLs). */
  env?: Record<string, string>;
  /** Apps to run; default all seven. */
  apps?: readonly StackAppName[];
  /** Replicas per app (default 1), e.g. `{ connections: 2, gateway: 2 }`. */
  replicas?: Partial<Record<StackAppName, number>>;
}

export interface SignedInUser {
  accessToken: string;
  refreshToken: string;
  user: User;
}

export interface HttpOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  replica?: number;
}

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
}

/**
 * The real system for end-to-end tests: every app built to dist/ runs as its own process (as in
 * `pnpm start` and in Kubernetes), in an isolated database / NATS prefix / Redis prefix, with an
 * in-process development identity provider for real social logins.
 */
export class Stack {
  private constructor(
    readonly environment: TestEnvironment,
    readonly idp: DevIdentityProvider,
    readonly processes: AppProcess[],
  ) {}

  static async start(options: StackOptions = {}): Promise<Stack> {
    const environment = await createTestEnvironment(options.label ?? 'e2e');
    const idp = await DevIdentityProvider.create({ port: 0 });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      ...environment.env,
      ...idp.envFor(),
      JWT_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
      ...options.env,
    };
    const processes: AppProcess[] = [];
    for (const app of options.apps ?? STACK_APP_NAMES) {
      for (let replica = 1; replica <= (options.replicas?.[app] ?? 1); replica++) {
        if (app === 'gateway') {
          const [port, managementPort] = (await freePorts(2)) as [number, number];
          const gatewayEnv = { ...env, GATEWAY_PORT: String(port), GATEWAY_MANAGEMENT_PORT: String(managementPort) };
          processes.push(new AppProcess(app, replica, port, gatewayEnv, managementPort));
        } else {
          processes.push(new AppProcess(app, replica, await freePort(), env));
        }
      }
    }
    const stack = new Stack(environment, idp, processes);
    try {
      // Services first (each migrates its own schema), then the gateways.
      const services = processes.filter((p) => p.app !== 'gateway');
      for (const p of services) p.start();
      await Promise.all(services.map((p) => p.waitReady()));
      const gateways = processes.filter((p) => p.app === 'gateway');
      for (const p of gateways) p.start();
      await Promise.all(gateways.map((p) => p.waitReady()));
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  /** Replicas of one app. */
  replicasOf(app: StackAppName): AppProcess[] {
    return this.processes.filter((p) => p.app === app);
  }

  private gateway(replica: number): AppProcess {
    const gateway = this.replicasOf('gateway')[replica - 1];
    if (!gateway) throw new Error(`no gateway replica ${replica}`);
    return gateway;
  }

  /** The gateway's public port: REST, /ws and the API docs. */
  gatewayUrl(replica = 1): string {
    return `http://127.0.0.1:${this.gateway(replica).httpPort}`;
  }

  /** The gateway's internal management port: health and metrics only. */
  gatewayManagementUrl(replica = 1): string {
    return `http://127.0.0.1:${this.gateway(replica).managementPort}`;
  }

  wsUrl(replica = 1): string {
    return `${this.gatewayUrl(replica).replace('http://', 'ws://')}/ws`;
  }

  async http<T = unknown>(method: string, path: string, options: HttpOptions = {}): Promise<HttpResult<T>> {
    const { status, body } = await this.httpWithHeaders<T>(method, path, options);
    return { status, body };
  }

  /** Like `http`, with the response headers too. */
  async httpWithHeaders<T = unknown>(method: string, path: string, options: HttpOptions = {}): Promise<HttpResult<T> & { headers: Headers }> {
    const response = await fetch(`${this.gatewayUrl(options.replica)}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (e.g. Swagger UI HTML)
    }
    return { status: response.status, body: body as T, headers: response.headers };
  }

  /** A real social login with an ID token from the development identity provider. */
  async signIn(
    sub: string,
    name?: string,
    provider: Provider = 'google',
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<SignedInUser> {
    const idToken = await this.idp.signIdToken({ provider, sub, ...(name ? { name } : {}) });
    const result = await this.http<SignedInUser>('POST', '/auth/social-login', { body: { provider, idToken, ...extra }, headers });
    if (result.status !== 200) throw new Error(`social login failed: ${result.status} ${JSON.stringify(result.body)}`);
    return result.body;
  }

  connectSocket(accessToken: string, replica = 1): Promise<TestSocket> {
    return TestSocket.connect(this.wsUrl(replica), accessToken);
  }

  /**
   * A signed-in user with an open socket that already received its complete bootstrap. Like an app, it
   * sends session.start again when a part was unavailable (a service too slow on a loaded test machine).
   */
  async connectedUser(sub: string, name?: string, replica = 1): Promise<SignedInUser & { socket: TestSocket }> {
    const signedIn = await this.signIn(sub, name);
    const socket = await this.connectSocket(signedIn.accessToken, replica);
    for (let attempt = 1; ; attempt++) {
      const started = await socket.request('session.start', {});
      await socket.next('session.bootstrap', (_payload, envelope) => envelope.requestId === started.requestId, 10_000);
      // A missing part's error leaves in the same write as the bootstrap.
      const incomplete = socket.received.some(
        (e) => e.type === 'error' && e.requestId === started.requestId && (e.payload as { code?: unknown }).code === ErrorCode.service_unavailable,
      );
      if (!incomplete) break;
      if (attempt === 3) throw new Error(`session.start of ${sub} stayed incomplete after ${attempt} attempts`);
    }
    return { ...signedIn, socket };
  }

  logs(): string {
    return this.processes.map((p) => `----- ${p.name} -----\n${p.logs}`).join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all(this.replicasOf('gateway').map((p) => p.stop()));
    await Promise.all(this.processes.filter((p) => p.app !== 'gateway').map((p) => p.stop()));
    await this.idp.close();
    await this.environment.cleanup();
  }
}

export function startStack(options: StackOptions = {}): Promise<Stack> {
  return Stack.start(options);
}
