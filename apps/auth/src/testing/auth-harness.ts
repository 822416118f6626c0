// Test support for the auth service's integration tests (not loaded by main.ts): one isolated
// environment, the development identity provider, the app on a FakeClock, and helpers that talk to
// it over NATS exactly like the gateway does.
import type { TestingModuleBuilder } from '@nestjs/testing';
import { connect, type NatsConnection, type Subscription } from 'nats';
import { DataSource } from 'typeorm';
import {
  RpcMethod,
  type DeliveryMessage,
  type DomainEventEnvelope,
  type DomainEventName,
  type LoginSocialResponse,
  type ReplyError,
  type RpcReply,
} from '@gisbi/contracts';
import { DevIdentityProvider, type IdTokenParams, type Provider } from '@gisbi/dev-identity';
import { loadConfig } from '@gisbi/platform';
import { createTestEnvironment, FakeClock, ServiceProbe, startTestApp, type TestApp, type TestEnvironment } from '@gisbi/testing';
import { AuthModule } from '../auth.module';
import { authEnvSchema, type AuthEnv } from '../config/auth-config';

export interface HarnessOptions {
  label: string;
  env?: Record<string, string>;
  configure?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

export class AuthHarness {
  private readonly instances: TestApp[] = [];
  private readonly subscriptions: Subscription[] = [];

  private constructor(
    readonly environment: TestEnvironment,
    readonly idp: DevIdentityProvider,
    readonly clock: FakeClock,
    readonly nc: NatsConnection,
    readonly baseEnv: Record<string, string>,
  ) {}

  static async start(options: HarnessOptions): Promise<AuthHarness> {
    const environment = await createTestEnvironment(options.label);
    const idp = await DevIdentityProvider.create({ port: 0 });
    // Whole seconds: JWT times are in seconds, so boundaries land exactly.
    const clock = new FakeClock(new Date(Math.floor(Date.now() / 1000) * 1000));
    const nc = await connect({ servers: environment.env['NATS_URL'] });
    // Background jobs stay quiet unless a test asks for them: tests run the jobs' methods themselves.
    const env = { ...environment.env, JOB_POLL_INTERVAL_MS: '3600000', ...idp.envFor(), ...options.env };
    const harness = new AuthHarness(environment, idp, clock, nc, env);
    await harness.startInstance({ configure: options.configure });
    return harness;
  }

  /** The first app instance. */
  get sut(): TestApp {
    const [first] = this.instances;
    if (!first) throw new Error('no auth instance running');
    return first;
  }

  get prefix(): string {
    return this.environment.natsPrefix;
  }

  config(extra: Record<string, string> = {}): AuthEnv {
    return loadConfig(authEnvSchema, { ...this.baseEnv, ...extra });
  }

  /** Another replica on the same database and NATS prefix (same clock unless given). */
  async startInstance(
    options: { env?: Record<string, string>; clock?: FakeClock; configure?: HarnessOptions['configure'] } = {},
  ): Promise<TestApp> {
    const app = await startTestApp(AuthModule.forRoot(this.config(options.env)), {
      clock: options.clock ?? this.clock,
      ...(options.configure ? { configure: options.configure } : {}),
    });
    this.instances.push(app);
    return app;
  }

  dataSource(app: TestApp = this.sut): DataSource {
    return app.app.get(DataSource);
  }

  /** NATS plumbing shared by every service's integration tests. */
  get probe(): ServiceProbe {
    return (this.probeInstance ??= new ServiceProbe(this.nc, this.prefix, 'auth'));
  }
  private probeInstance?: ServiceProbe;

  rpc<T>(method: string, body: unknown): Promise<RpcReply<T>> {
    return this.probe.rpc<T>(method, body);
  }

  /** The result of an RPC that must succeed. */
  ok<T>(method: string, body: unknown): Promise<T> {
    return this.probe.rpcOk<T>(method, body);
  }

  /** The error of an RPC that must fail. */
  fail(method: string, body: unknown): Promise<ReplyError> {
    return this.probe.rpcError(method, body);
  }

  /** An ID token from the dev IdP, issued at the fake clock's time. */
  idToken(params: IdTokenParams): Promise<string> {
    return this.idp.signIdToken({ issuedAt: this.clock.now(), ...params });
  }

  async login(sub: string, options: { provider?: Provider; name?: string; extra?: Record<string, unknown> } = {}): Promise<LoginSocialResponse> {
    const provider = options.provider ?? 'google';
    const idToken = await this.idToken({ provider, sub, ...(options.name ? { name: options.name } : {}) });
    return this.ok<LoginSocialResponse>(RpcMethod.auth.loginSocial, { provider, idToken, ...options.extra });
  }

  /** Everything published to a user's delivery subject from now on. */
  deliveries(userId: string): DeliveryRecorder {
    const recorder = new DeliveryRecorder();
    this.subscriptions.push(this.probe.recordDeliveries(userId, (delivery) => recorder.push(delivery)));
    return recorder;
  }

  /** Domain events of one name stored in this environment's JetStream stream, oldest first. */
  streamedEvents<N extends DomainEventName>(name: N): Promise<Array<DomainEventEnvelope<N>>> {
    return this.probe.streamedEvents(name);
  }


  async close(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    for (const app of this.instances.splice(0)) await app.close();
    await this.nc.close();
    await this.idp.close();
    await this.environment.cleanup();
  }
}

export class DeliveryRecorder {
  readonly received: DeliveryMessage[] = [];
  private readonly waiters: Array<{ match: (message: DeliveryMessage) => boolean; resolve: (message: DeliveryMessage) => void }> = [];

  push(message: DeliveryMessage): void {
    this.received.push(message);
    const index = this.waiters.findIndex((waiter) => waiter.match(message));
    if (index >= 0) this.waiters.splice(index, 1)[0]?.resolve(message);
  }

  /** The first delivery (already received or coming) that matches. */
  next(match: (message: DeliveryMessage) => boolean, timeoutMs = 3000): Promise<DeliveryMessage> {
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching delivery within ${timeoutMs} ms; got ${JSON.stringify(this.received)}`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      });
    });
  }

  ofType(type: string): DeliveryMessage[] {
    return this.received.filter((message) => message.control === undefined && message.type === type);
  }
}

/** Matches a delivered event of one type (not a control message). */
export function eventOfType(type: string): (message: DeliveryMessage) => boolean {
  return (message) => message.control === undefined && message.type === type;
}

/** Lets in-flight NATS publishes arrive (a round trip to the server flushes what came before it). */
export async function settle(nc: NatsConnection, ms = 150): Promise<void> {
  await nc.flush();
  await new Promise((resolve) => setTimeout(resolve, ms));
}
