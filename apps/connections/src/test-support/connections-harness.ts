import type { Type } from '@nestjs/common';
import { connect, type NatsConnection, type Subscription } from 'nats';
import {
  IdPrefix,
  RpcMethod,
  Subjects,
  type ClientEventType,
  type CommandReply,
  type ConnectionStats,
  type ConnectionStatsRequest,
  type DomainEventEnvelope,
  type DomainEventName,
  type LivenessRequest,
  type Location,
  type ReplyError,
  type ServerEventMap,
  type ServerEventType,
  type UsersGetManyRequest,
} from '@gisbi/contracts';
import { decodeDelivery, loadConfig, newId, type DirectoryUser } from '@gisbi/platform';
import { createTestEnvironment, FakeClock, ServiceProbe, startTestApp, type TestApp, type TestEnvironment } from '@gisbi/testing';
import { connectionsEnvSchema } from '../config/connections-config';
import { ConnectionsModule } from '../connections.module';

export interface Delivered<T extends ServerEventType = ServerEventType> {
  userId: string;
  type: T;
  payload: ServerEventMap[T];
  exceptSocketId?: string;
}

/**
 * Integration-test rig: N instances of the connections service on one database and one NATS prefix,
 * sharing a FakeClock, plus small responders for the RPCs it asks other services (auth users.get_many,
 * presence liveness, proximity connection_stats) and a recorder of every delivery to users.
 */
export class ConnectionsHarness {
  readonly users = new Map<string, DirectoryUser>();
  /** Users with a live socket, and their position (null: live without a position). */
  readonly live = new Map<string, Location | null>();
  /** What proximity's connection_stats answers, once `startProximity()` was called. */
  readonly proximityStats = new Map<string, ConnectionStats>();
  readonly calls = { usersGetMany: [] as string[][], liveness: [] as LivenessRequest[], stats: [] as ConnectionStatsRequest[] };
  readonly delivered: Delivered[] = [];
  private readonly subscriptions: Subscription[] = [];
  private presence?: Subscription;
  private proximity?: Subscription;
  private socketSeq = 0;

  private constructor(
    readonly environment: TestEnvironment,
    readonly clock: FakeClock,
    readonly apps: TestApp[],
    readonly nc: NatsConnection,
  ) {}

  static async start(options: { instances?: number; env?: Record<string, string>; label?: string } = {}): Promise<ConnectionsHarness> {
    const environment = await createTestEnvironment(options.label ?? 'connections');
    const clock = new FakeClock('2026-04-17T12:00:00.000Z');
    const nc = await connect({ servers: environment.env['NATS_URL'] });
    const env = loadConfig(connectionsEnvSchema, { ...environment.env, ...options.env });
    const harness = new ConnectionsHarness(environment, clock, [], nc);
    harness.respond();
    await nc.flush();
    for (let index = 0; index < (options.instances ?? 1); index++) {
      harness.apps.push(await startTestApp(ConnectionsModule.forRoot(env), { clock }));
    }
    return harness;
  }

  get prefix(): string {
    return this.environment.natsPrefix;
  }

  get<T>(token: Type<T>, instance = 0): T {
    const app = this.apps[instance];
    if (!app) throw new Error(`no instance ${instance}`);
    return app.get(token);
  }

  addUser(name: string, overrides: Partial<DirectoryUser> = {}): DirectoryUser {
    const user: DirectoryUser = {
      id: newId(IdPrefix.user),
      name,
      age: 30,
      avatar: `https://cdn.example.com/${name.toLowerCase()}.png`,
      gender: null,
      vibe: `${name} is out for coffee`,
      vibeExpiresAt: null,
      deleted: false,
      ...overrides,
    };
    this.users.set(user.id, user);
    return user;
  }

  socketOf(userId: string): string {
    return `sock-${userId}`;
  }

  /** NATS plumbing shared by every service's integration tests. */
  get probe(): ServiceProbe {
    return (this.probeInstance ??= new ServiceProbe(this.nc, this.prefix, 'connections'));
  }
  private probeInstance?: ServiceProbe;

  command(type: ClientEventType, payload: unknown, userId: string, socketId = this.socketOf(userId)): Promise<CommandReply> {
    return this.probe.command(type, payload, userId, socketId, { requestId: `r${++this.socketSeq}` });
  }

  /**
   * Runs a command that must succeed; returns its reply events as type and payload (the envelope around
   * them — timestamp, echoed ids — is covered by the platform tests).
   */
  async ok(type: ClientEventType, payload: unknown, userId: string): Promise<Array<{ type: ServerEventType; payload: unknown }>> {
    const reply = await this.command(type, payload, userId);
    if (!reply.ok) throw new Error(`${type} failed: ${reply.error.code} ${reply.error.message}`);
    return reply.events.map((event) => ({ type: event.type, payload: event.payload }));
  }

  /** Runs a command that must fail; returns its error. */
  async fails(type: ClientEventType, payload: unknown, userId: string): Promise<ReplyError> {
    const reply = await this.command(type, payload, userId);
    if (reply.ok) throw new Error(`${type} unexpectedly succeeded: ${JSON.stringify(reply.events)}`);
    return reply.error;
  }

  rpc<T>(method: string, body: unknown): Promise<T> {
    return this.probe.rpcOk<T>(method, body);
  }

  deliveriesTo<T extends ServerEventType>(userId: string, type: T): Array<Delivered<T>> {
    return this.delivered.filter((d): d is Delivered<T> => d.userId === userId && d.type === type);
  }

  async waitFor<T extends ServerEventType>(
    userId: string,
    type: T,
    where: (payload: ServerEventMap[T]) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Delivered<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.deliveriesTo(userId, type).find((d) => where(d.payload));
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`no ${type} for ${userId}; got ${this.delivered.filter((d) => d.userId === userId).map((d) => d.type).join(', ')}`);
      }
      await sleep(20);
    }
  }

  /** Lets in-flight deliveries arrive (used before asserting that something did NOT happen). */
  async settle(ms = 150): Promise<void> {
    await this.nc.flush();
    await sleep(ms);
  }

  /** Every domain event stored in this environment's JetStream stream under `name`, oldest first. */
  streamEvents<N extends DomainEventName>(name: N): Promise<Array<DomainEventEnvelope<N>>> {
    return this.probe.streamedEvents(name);
  }

  /** Publishes a domain event on JetStream as its producing service would. */
  async publishEvent<N extends DomainEventName>(name: N, payload: DomainEventEnvelope<N>['payload'], id = newId(IdPrefix.event)): Promise<string> {
    await this.probe.publishEvent(name, payload, { id, occurredAt: this.clock.nowIso(), msgId: `${id}-${++this.socketSeq}` });
    return id;
  }

  async close(): Promise<void> {
    for (const app of this.apps) await app.close();
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    await this.nc.drain();
    await this.environment.cleanup();
  }

  private respond(): void {
    this.answer('auth', RpcMethod.auth.usersGetMany, (body: UsersGetManyRequest) => {
      this.calls.usersGetMany.push(body.userIds);
      const users: Record<string, DirectoryUser> = {};
      for (const id of body.userIds) {
        const user = this.users.get(id);
        if (user) users[id] = user;
      }
      return { users };
    });
    this.startPresence();
    const deliveries = this.nc.subscribe(Subjects.deliverAll(this.prefix), {
      callback: (_error, msg) => {
        const userId = msg.subject.slice(Subjects.deliverUser(this.prefix, '').length);
        const delivery = decodeDelivery(msg.data);
        if (delivery.control) return;
        this.delivered.push({
          userId,
          type: delivery.type,
          payload: delivery.payload as ServerEventMap[ServerEventType],
          ...(delivery.exceptSocketId ? { exceptSocketId: delivery.exceptSocketId } : {}),
        });
      },
    });
    this.subscriptions.push(deliveries);
  }

  /** Presence answers liveness from `live` (it runs from the start). */
  startPresence(): void {
    this.presence ??= this.answer('presence', RpcMethod.presence.liveness, (body: LivenessRequest) => {
      this.calls.liveness.push(body);
      const live: Record<string, boolean> = {};
      const positions: Record<string, Location | null> = {};
      for (const id of body.userIds) {
        live[id] = this.live.has(id);
        if (body.includePositions) positions[id] = this.live.get(id) ?? null;
      }
      return body.includePositions ? { live, positions } : { live };
    });
  }

  /** Presence goes away: nobody answers liveness. */
  async stopPresence(): Promise<void> {
    this.presence?.unsubscribe();
    this.presence = undefined;
    await this.nc.flush();
  }

  /** Proximity starts answering connection_stats from `proximityStats` (it does not run by default). */
  async startProximity(): Promise<void> {
    this.proximity ??= this.answer('proximity', RpcMethod.proximity.connectionStats, (body: ConnectionStatsRequest) => {
      this.calls.stats.push(body);
      const stats: Record<string, ConnectionStats> = {};
      for (const id of body.connectionIds) {
        const value = this.proximityStats.get(id);
        if (value) stats[id] = value;
      }
      return { stats };
    });
    await this.nc.flush();
  }

  /** Answers an RPC like its owning service would. */
  private answer<Req>(service: 'auth' | 'presence' | 'proximity', method: string, handle: (body: Req) => unknown): Subscription {
    const subscription = this.probe.respond<Req, unknown>(service, method, handle);
    this.subscriptions.push(subscription);
    return subscription;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
