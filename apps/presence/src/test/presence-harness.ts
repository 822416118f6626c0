import { randomUUID } from 'node:crypto';
import { connect, type JetStreamClient, type NatsConnection, type Subscription } from 'nats';
import { DataSource } from 'typeorm';
import {
  IdPrefix,
  RpcMethod,
  Subjects,
  type ClientEventType,
  type CommandReply,
  type DeliveryMessage,
  type DomainEventMap,
  type DomainEventName,
  type NearbyUser,
  type PresenceUpdatedPayload,
  type User,
  type UsersGetManyResponse,
} from '@gisbi/contracts';
import type Redis from 'ioredis';
import { encodeJson, loadConfig, newId, REDIS, type DirectoryUser } from '@gisbi/platform';
import { createTestEnvironment, FakeClock, ServiceProbe, startTestApp, type TestApp, type TestEnvironment } from '@gisbi/testing';
import { presenceEnvSchema } from '../config/presence-config';
import type { LatLng } from '../geo/geo-math';
import { PresenceModule } from '../presence.module';

export interface LocationReply {
  presence: PresenceUpdatedPayload;
  nearby: NearbyUser[];
}

/** Everything a presence integration test drives: the app (fake clock), NATS like the gateway, auth's RPC. */
export class PresenceHarness {
  readonly users = new Map<string, DirectoryUser>();
  /** users.get_many requests answered, per user ID (the once-only fallback is asserted with it). */
  readonly directoryLookups = new Map<string, number>();
  private readonly subscriptions: Subscription[] = [];
  private socketCounter = 0;

  private constructor(
    readonly environment: TestEnvironment,
    readonly clock: FakeClock,
    readonly envOverrides: Record<string, string>,
    public sut: TestApp,
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
  ) {}

  static async start(label: string, envOverrides: Record<string, string> = {}): Promise<PresenceHarness> {
    const environment = await createTestEnvironment(label);
    const clock = new FakeClock('2026-04-17T12:00:00.000Z');
    const nc = await connect({ servers: environment.env['NATS_URL'] });
    const sut = await PresenceHarness.startApp(environment, clock, envOverrides);
    const harness = new PresenceHarness(environment, clock, envOverrides, sut, nc, nc.jetstream());
    harness.answerDirectory();
    return harness;
  }

  private static startApp(environment: TestEnvironment, clock: FakeClock, envOverrides: Record<string, string>): Promise<TestApp> {
    const env = loadConfig(presenceEnvSchema, {
      ...environment.env,
      // Background loops stay on (as in production); tests call the jobs directly after moving the clock.
      RADAR_PUSH_TICK_MS: '20',
      PRESENCE_SWEEP_INTERVAL_MS: '60000',
      ...envOverrides,
    });
    return startTestApp(PresenceModule.forRoot(env), { clock });
  }

  get prefix(): string {
    return this.environment.natsPrefix;
  }

  /** Stops the app and starts a fresh one on the same database, Redis prefix and NATS prefix. */
  async restart(): Promise<void> {
    await this.sut.close();
    this.sut = await PresenceHarness.startApp(this.environment, this.clock, this.envOverrides);
  }

  async stop(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    await this.sut.close();
    await this.nc.close();
    await this.environment.cleanup();
  }

  addUser(name: string, vibe: string | null = null, overrides: Partial<User> = {}): User {
    const user: DirectoryUser = {
      id: newId(IdPrefix.user, this.clock.nowMs()),
      name,
      age: 30,
      avatar: null,
      gender: null,
      vibe,
      vibeExpiresAt: null,
      deleted: false,
      ...overrides,
    };
    this.users.set(user.id, user);
    const { deleted: _deleted, ...publicUser } = user;
    return publicUser;
  }

  /** socket.opened as the gateway sends it; waits until presence reports the user live. */
  async openSocket(userId: string, gatewayId = 'gw-1', socketId = `sock-${++this.socketCounter}`): Promise<string> {
    this.nc.publish(Subjects.control(this.prefix, 'socket.opened'), encodeJson({ userId, socketId, gatewayId, at: this.clock.nowIso() }));
    await this.until(async () => (await this.liveness([userId])).live[userId] === true, `${userId} live`);
    return socketId;
  }

  /** Any control message, as the gateway would publish it (no waiting). */
  async publishControl(what: string, body: unknown): Promise<void> {
    this.nc.publish(Subjects.control(this.prefix, what), typeof body === 'string' ? new TextEncoder().encode(body) : encodeJson(body));
    await this.nc.flush();
  }

  /** socket.closed; does not wait (the user may still have other sockets). */
  async closeSocket(userId: string, socketId: string, gatewayId = 'gw-1'): Promise<void> {
    this.nc.publish(Subjects.control(this.prefix, 'socket.closed'), encodeJson({ userId, socketId, gatewayId, at: this.clock.nowIso() }));
    await this.nc.flush();
  }

  async heartbeat(gatewayId: string, userIds: string[], at = this.clock.nowIso()): Promise<void> {
    this.nc.publish(Subjects.control(this.prefix, 'gateway.heartbeat'), encodeJson({ gatewayId, at, userIds }));
    await this.nc.flush();
  }

  /** NATS plumbing shared by every service's integration tests. */
  get probe(): ServiceProbe {
    return (this.probeInstance ??= new ServiceProbe(this.nc, this.prefix, 'presence', 5000));
  }
  private probeInstance?: ServiceProbe;

  command(type: ClientEventType, payload: unknown, userId: string, socketId = 'sock-cmd'): Promise<CommandReply> {
    return this.probe.command(type, payload, userId, socketId, { requestId: `req_${randomUUID()}` });
  }

  /** presence.location_update that must succeed. */
  async update(userId: string, point: LatLng, extra: Record<string, number> = {}, socketId = 'sock-cmd'): Promise<LocationReply> {
    const reply = await this.command('presence.location_update', { lat: point.lat, lng: point.lng, ...extra }, userId, socketId);
    return expectLocationReply(reply);
  }

  async setVisible(userId: string, isOnRadar: boolean, socketId = 'sock-cmd'): Promise<LocationReply> {
    return expectLocationReply(await this.command('radar.set_visible', { isOnRadar }, userId, socketId));
  }

  rpc<T>(method: string, body: unknown): Promise<T> {
    return this.probe.rpcOk<T>(method, body);
  }

  liveness(userIds: string[], includePositions = false) {
    return this.rpc<{ live: Record<string, boolean>; positions?: Record<string, unknown> }>('liveness', { userIds, includePositions });
  }

  /** Records every delivery to one user (what their gateways would write to their sockets). */
  recorder(userId: string): DeliveryRecorder {
    const recorder = new DeliveryRecorder();
    this.subscriptions.push(this.probe.recordDeliveries(userId, (delivery) => recorder.push(delivery)));
    return recorder;
  }

  /** Publishes a domain event on JetStream the way the producing service's outbox does. */
  async publishEvent<N extends DomainEventName>(name: N, payload: DomainEventMap[N]): Promise<string> {
    const envelope = await this.probe.publishEvent(name, payload, {
      id: newId(IdPrefix.event, this.clock.nowMs()),
      occurredAt: this.clock.nowIso(),
    });
    return envelope.id;
  }

  /** Waits until the presence consumer has applied an event (it records the id in its inbox). */
  async applied(eventId: string): Promise<void> {
    const dataSource = this.sut.get(DataSource);
    await this.until(async () => {
      const rows: unknown[] = await dataSource.query('SELECT 1 FROM processed_events WHERE event_id = $1', [eventId]);
      return rows.length > 0;
    }, `event ${eventId} applied`);
  }

  /**
   * Publishes a domain event and waits until presence applied it and invalidated the caches it touches
   * (`fields` like 'b:<user>'), so the next command sees its effect.
   */
  async publishAndApply<N extends DomainEventName>(name: N, payload: DomainEventMap[N], fields: string[]): Promise<void> {
    const before = await this.generations(fields);
    const id = await this.publishEvent(name, payload);
    await this.applied(id);
    await this.until(async () => {
      const after = await this.generations(fields);
      return after.every((value, index) => value > (before[index] ?? 0));
    }, `caches invalidated after ${name}`);
  }

  async generations(fields: string[]): Promise<number[]> {
    if (fields.length === 0) return [];
    const values = await this.redis.hmget('presence:gen', ...fields);
    return values.map((value) => Number(value ?? 0));
  }

  get redis(): Redis {
    return this.sut.get<Redis>(REDIS);
  }

  async until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  private answerDirectory(): void {
    const subscription = this.probe.respond<{ userIds: string[] }, UsersGetManyResponse>('auth', RpcMethod.auth.usersGetMany, ({ userIds }) => {
      const users: UsersGetManyResponse['users'] = {};
      for (const id of userIds) {
        this.directoryLookups.set(id, (this.directoryLookups.get(id) ?? 0) + 1);
        const user = this.users.get(id);
        if (user) users[id] = user;
      }
      return { users };
    });
    this.subscriptions.push(subscription);
  }
}

export class DeliveryRecorder {
  readonly received: DeliveryMessage[] = [];

  push(delivery: DeliveryMessage): void {
    this.received.push(delivery);
  }

  radars(): NearbyUser[][] {
    return this.received.flatMap((d) => (d.control === undefined && d.type === 'radar.nearby.updated' ? [(d.payload as { nearbyUsers: NearbyUser[] }).nearbyUsers] : []));
  }

  ofType(type: string): DeliveryMessage[] {
    return this.received.filter((d) => d.control === undefined && d.type === type);
  }

  clear(): void {
    this.received.length = 0;
  }
}

export function expectLocationReply(reply: CommandReply): LocationReply {
  if (!reply.ok) throw new Error(`command failed: ${reply.error.code} ${reply.error.message}`);
  const presence = reply.events.find((e) => e.type === 'presence.updated');
  const radar = reply.events.find((e) => e.type === 'radar.nearby.updated');
  if (!presence || !radar) throw new Error(`unexpected reply events: ${reply.events.map((e) => e.type).join(', ')}`);
  return { presence: presence.payload as PresenceUpdatedPayload, nearby: (radar.payload as { nearbyUsers: NearbyUser[] }).nearbyUsers };
}

/** Waits a little real time (for background deliveries that should NOT arrive). */
export function settle(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
