import type { Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { connect, type NatsConnection, type Subscription } from 'nats';
import {
  DomainEvent,
  IdPrefix,
  RpcMethod,
  Subjects,
  type ClientEventType,
  type CommandReply,
  type DomainEventMap,
  type DomainEventName,
  type ProximityToken,
  type ReplyError,
  type RpcReply,
  type ServerEventMap,
  type ServerEventType,
  type ServiceName,
} from '@gisbi/contracts';
import { decodeDelivery, loadConfig, newId } from '@gisbi/platform';
import { createTestEnvironment, FakeClock, ServiceProbe, startTestApp, type TestApp, type TestEnvironment } from '@gisbi/testing';
import { proximityEnvSchema } from '../config/proximity-config';
import { ProximityModule } from '../proximity.module';

export interface Delivered<T extends ServerEventType = ServerEventType> {
  userId: string;
  type: T;
  payload: ServerEventMap[T];
  exceptSocketId?: string;
}

export interface Pair {
  connectionId: string;
  /** userAId of the connection (the lexicographically smaller id). */
  a: string;
  b: string;
}

export type ReplyEvent = { type: ServerEventType; payload: unknown };

/**
 * Integration-test rig: N instances of the proximity service on one database and one NATS prefix sharing
 * a FakeClock (background jobs effectively off: tests call them directly), a recorder of every delivery
 * to users, domain-event publishing like the connections service does, and responders for the RPCs
 * proximity asks other services.
 */
export class ProximityHarness {
  readonly delivered: Delivered[] = [];
  private readonly subscriptions: Subscription[] = [];
  private sequence = 0;

  private constructor(
    readonly environment: TestEnvironment,
    readonly clock: FakeClock,
    readonly apps: TestApp[],
    readonly nc: NatsConnection,
  ) {}

  static async start(options: { instances?: number; env?: Record<string, string>; label?: string } = {}): Promise<ProximityHarness> {
    const environment = await createTestEnvironment(options.label ?? 'proximity');
    const clock = new FakeClock('2026-04-17T12:00:00.000Z');
    const nc = await connect({ servers: environment.env['NATS_URL'] });
    const env = loadConfig(proximityEnvSchema, {
      ...environment.env,
      // Jobs run only when a test calls them (after moving the clock).
      JOB_POLL_INTERVAL_MS: '3600000',
      ...options.env,
    });
    const harness = new ProximityHarness(environment, clock, [], nc);
    harness.record();
    await nc.flush();
    for (let index = 0; index < (options.instances ?? 1); index++) {
      harness.apps.push(await startTestApp(ProximityModule.forRoot(env), { clock }));
    }
    return harness;
  }

  get prefix(): string {
    return this.environment.natsPrefix;
  }

  get db(): DataSource {
    return this.get(DataSource);
  }

  get<T>(token: Type<T>, instance = 0): T {
    const app = this.apps[instance];
    if (!app) throw new Error(`no instance ${instance}`);
    return app.get(token);
  }

  newUser(): string {
    return newId(IdPrefix.user);
  }

  /** A pair the connections service has just connected (connection_accepted consumed). */
  async connectPair(): Promise<Pair> {
    const [a, b] = [this.newUser(), this.newUser()].sort() as [string, string];
    const connectionId = newId(IdPrefix.connection);
    await this.publishAndWait(DomainEvent.ConnectionAccepted, {
      connectionId,
      requestId: newId(IdPrefix.request),
      userAId: a,
      userBId: b,
      senderId: a,
      receiverId: b,
      connectedLocation: null,
      acceptedAt: this.clock.nowIso(),
    });
    return { connectionId, a, b };
  }

  async closeConnection(pair: Pair): Promise<void> {
    await this.publishAndWait(DomainEvent.ConnectionClosed, {
      connectionId: pair.connectionId,
      userAId: pair.a,
      userBId: pair.b,
      closedByUserId: pair.a,
      closureReason: 'user_left',
      closedAt: this.clock.nowIso(),
    });
  }

  /** Publishes a domain event on JetStream as its owning service would, and waits until proximity applied it. */
  async publishAndWait<N extends DomainEventName>(name: N, payload: DomainEventMap[N]): Promise<string> {
    const envelope = await this.probe.publishEvent(name, payload, { id: newId(IdPrefix.event), occurredAt: this.clock.nowIso() });
    await this.until(async () => {
      const rows: unknown[] = await this.db.query(`SELECT 1 FROM processed_events WHERE event_id = $1`, [envelope.id]);
      return rows.length > 0;
    }, `${name} ${envelope.id} to be consumed`);
    return envelope.id;
  }

  socketOf(userId: string): string {
    return `sock-${userId}`;
  }

  /** NATS plumbing shared by every service's integration tests. */
  get probe(): ServiceProbe {
    return (this.probeInstance ??= new ServiceProbe(this.nc, this.prefix, 'proximity'));
  }
  private probeInstance?: ServiceProbe;

  command(type: ClientEventType, payload: unknown, userId: string, socketId = this.socketOf(userId)): Promise<CommandReply> {
    return this.probe.command(type, payload, userId, socketId, { requestId: `r${++this.sequence}` });
  }

  /**
   * A command that must succeed: its reply events as type and payload (the envelope around them —
   * timestamp, echoed ids — is covered by the platform tests).
   */
  async ok(type: ClientEventType, payload: unknown, userId: string): Promise<ReplyEvent[]> {
    const reply = await this.command(type, payload, userId);
    if (!reply.ok) throw new Error(`${type} failed: ${reply.error.code} ${reply.error.message}`);
    return reply.events.map((event) => ({ type: event.type, payload: event.payload }));
  }

  /** A command that must fail: its error. */
  async fails(type: ClientEventType, payload: unknown, userId: string): Promise<ReplyError> {
    const reply = await this.command(type, payload, userId);
    if (reply.ok) throw new Error(`${type} unexpectedly succeeded: ${JSON.stringify(reply.events)}`);
    return reply.error;
  }

  rpc<T>(method: string, body: unknown): Promise<RpcReply<T>> {
    return this.probe.rpc<T>(method, body);
  }

  rpcOk<T>(method: string, body: unknown): Promise<T> {
    return this.probe.rpcOk<T>(method, body);
  }

  async token(pair: Pair, userId: string): Promise<ProximityToken> {
    return this.rpcOk<ProximityToken>(RpcMethod.proximity.tokenIssue, { connectionId: pair.connectionId, userId });
  }

  /** Both phones fetch tokens and scan each other: the run is active. Returns each side's token. */
  async activePair(): Promise<Pair & { tokenOfA: string; tokenOfB: string }> {
    const pair = await this.connectPair();
    const tokenOfA = (await this.token(pair, pair.a)).token;
    const tokenOfB = (await this.token(pair, pair.b)).token;
    await this.ok('proximity.session.start', { connectionId: pair.connectionId, token: tokenOfB, rssi: -60 }, pair.a);
    await this.ok('proximity.session.start', { connectionId: pair.connectionId, token: tokenOfA, rssi: -61 }, pair.b);
    return { ...pair, tokenOfA, tokenOfB };
  }

  /** A heartbeat from `userId` carrying the partner's token (RSSI varies like a real radio). */
  async beat(pair: Pair & { tokenOfA: string; tokenOfB: string }, userId: string): Promise<ReplyEvent[]> {
    const token = userId === pair.a ? pair.tokenOfB : pair.tokenOfA;
    return this.ok('proximity.heartbeat', { connectionId: pair.connectionId, token, rssi: -55 - (this.sequence % 9) }, userId);
  }

  /** Answers another service's RPC on this prefix (contract-shaped data). */
  answer<Req, Res>(service: ServiceName, method: string, handler: (body: Req) => Res): Subscription {
    const subscription = this.probe.respond<Req, Res>(service, method, handler);
    this.subscriptions.push(subscription);
    return subscription;
  }

  deliveredTo<T extends ServerEventType>(userId: string, type: T): Array<Delivered<T>> {
    return this.delivered.filter((d): d is Delivered<T> => d.userId === userId && d.type === type);
  }

  async waitForDelivery<T extends ServerEventType>(
    userId: string,
    type: T,
    where: (payload: ServerEventMap[T]) => boolean = () => true,
  ): Promise<Delivered<T>> {
    const find = () => this.deliveredTo(userId, type).find((d) => where(d.payload));
    await this.until(() => find() !== undefined, `${type} for ${userId}`);
    const found = find();
    if (!found) throw new Error(`${type} for ${userId} vanished`);
    return found;
  }

  /** Lets in-flight deliveries arrive (they are published before the command reply, on one connection). */
  async settle(): Promise<void> {
    await this.nc.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  clearDeliveries(): void {
    this.delivered.length = 0;
  }

  async until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    for (const app of this.apps) await app.close();
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    await this.nc.close();
    await this.environment.cleanup();
  }

  private record(): void {
    const subscription = this.nc.subscribe(Subjects.deliverAll(this.prefix), {
      callback: (error, msg) => {
        if (error) return;
        const delivery = decodeDelivery(msg.data);
        if (delivery.control) return;
        const userId = msg.subject.slice(Subjects.deliverUser(this.prefix, '').length);
        this.delivered.push({
          userId,
          type: delivery.type,
          payload: delivery.payload as ServerEventMap[ServerEventType],
          ...(delivery.exceptSocketId ? { exceptSocketId: delivery.exceptSocketId } : {}),
        });
      },
    });
    this.subscriptions.push(subscription);
  }
}

/** The events of one type in a command reply. */
export function eventsOf<T extends ServerEventType>(events: ReplyEvent[], type: T): Array<ServerEventMap[T]> {
  return events.filter((event) => event.type === type).map((event) => event.payload as ServerEventMap[T]);
}
