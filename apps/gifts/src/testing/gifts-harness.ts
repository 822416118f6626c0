// Test support for the gifts service's integration tests (not loaded by main.ts): one isolated
// environment, the app on a FakeClock, small responders standing in for auth (profiles), proximity
// (verified time) and presence (positions), and helpers that talk to the app over NATS exactly like the
// gateway and the other services do.
import { connect, type NatsConnection, type Subscription } from 'nats';
import { DataSource } from 'typeorm';
import {
  DomainEvent,
  IdPrefix,
  RpcMethod,
  type BrandDto,
  type CampaignDto,
  type ClientEventType,
  type CommandReply,
  type CreateCampaignRequestDto,
  type DeliveryMessage,
  type DomainEventMap,
  type DomainEventName,
  type EventDelivery,
  type Location,
  type ReplyError,
  type RpcReply,
  type ServerEventMap,
  type ServerEventType,
  type UsersGetManyResponse,
  type VerifiedTimeRequest,
  type VerifiedTimeResponse,
} from '@gisbi/contracts';
import { loadConfig, newId } from '@gisbi/platform';
import { createTestEnvironment, FakeClock, ServiceProbe, startTestApp, type TestApp, type TestEnvironment } from '@gisbi/testing';
import { giftsEnvSchema, type GiftsEnv } from '../config/gifts-config';
import { GiftsModule } from '../gifts.module';

export const ADMIN_KEY = 'test_admin_key_0123456789abcdef';
export const LAGOS = { lat: 6.5244, lng: 3.3792 };

type Profile = UsersGetManyResponse['users'][string];

export interface HarnessOptions {
  label: string;
  env?: Record<string, string>;
}

export class GiftsHarness {
  private readonly instances: TestApp[] = [];
  private readonly subscriptions: Subscription[] = [];
  /** Profiles the fake auth answers with. */
  readonly users = new Map<string, Profile>();
  /** Verified time the fake proximity answers with, by connection (default: nothing verified). */
  readonly verifiedTimes = new Map<string, VerifiedTimeResponse>();
  /** Every verified_time request received, in order. */
  readonly verifiedTimeRequests: VerifiedTimeRequest[] = [];
  /** Live positions the fake presence answers with (absent: not live). */
  readonly positions = new Map<string, Location>();
  /** When false the fake proximity stays silent (the request times out). */
  proximityUp = true;
  /** Connections the fake proximity answers connection_not_found for. */
  readonly unknownToProximity = new Set<string>();

  private constructor(
    readonly environment: TestEnvironment,
    readonly clock: FakeClock,
    readonly nc: NatsConnection,
    readonly baseEnv: Record<string, string>,
  ) {}

  static async start(options: HarnessOptions): Promise<GiftsHarness> {
    const environment = await createTestEnvironment(options.label);
    const clock = new FakeClock('2026-04-17T12:00:00.000Z');
    const nc = await connect({ servers: environment.env['NATS_URL'] });
    // Background jobs stay quiet unless a test asks for them: tests run the jobs' methods themselves.
    const env = {
      ...environment.env,
      JOB_POLL_INTERVAL_MS: '3600000',
      ADMIN_API_KEYS: ADMIN_KEY,
      GIFTS_PROXIMITY_TIMEOUT_MS: '300',
      ...options.env,
    };
    const harness = new GiftsHarness(environment, clock, nc, env);
    harness.answerPeers();
    await harness.startInstance();
    return harness;
  }

  get sut(): TestApp {
    const [first] = this.instances;
    if (!first) throw new Error('no gifts instance running');
    return first;
  }

  get prefix(): string {
    return this.environment.natsPrefix;
  }

  config(extra: Record<string, string> = {}): GiftsEnv {
    return loadConfig(giftsEnvSchema, { ...this.baseEnv, ...extra });
  }

  async startInstance(env: Record<string, string> = {}): Promise<TestApp> {
    const app = await startTestApp(GiftsModule.forRoot(this.config(env)), { clock: this.clock });
    this.instances.push(app);
    return app;
  }

  dataSource(app: TestApp = this.sut): DataSource {
    return app.app.get(DataSource);
  }

  /** A user the fake auth knows. */
  user(name: string, avatar: string | null = null): string {
    const id = newId(IdPrefix.user);
    this.users.set(id, { id, name, age: null, avatar, gender: null, vibe: null, vibeExpiresAt: null, deleted: false });
    return id;
  }

  /** Sets what proximity answers for a connection: verified seconds per day (in any zone) and liveness. */
  setVerifiedTime(
    connectionId: string,
    days: Array<[string, number]>,
    options: { activeNow?: boolean; fraudSignals?: Record<string, boolean> } = {},
  ): void {
    this.verifiedTimes.set(connectionId, {
      totalSeconds: days.reduce((sum, [, seconds]) => sum + seconds, 0),
      days: days.map(([date, seconds]) => ({ date, seconds })),
      activeNow: options.activeNow ?? false,
      fraudSignals: options.fraudSignals ?? {},
    });
  }

  setPosition(userId: string, point: { lat: number; lng: number }): void {
    this.positions.set(userId, { ...point, updatedAt: this.clock.nowIso() });
  }

  // ---- NATS ----

  /** NATS plumbing shared by every service's integration tests. */
  get probe(): ServiceProbe {
    return (this.probeInstance ??= new ServiceProbe(this.nc, this.prefix, 'gifts'));
  }
  private probeInstance?: ServiceProbe;

  rpc<T>(method: string, body: unknown): Promise<RpcReply<T>> {
    return this.probe.rpc<T>(method, body);
  }

  ok<T>(method: string, body: unknown): Promise<T> {
    return this.probe.rpcOk<T>(method, body);
  }

  fail(method: string, body: unknown): Promise<ReplyError> {
    return this.probe.rpcError(method, body);
  }

  /** A socket command as the gateway forwards it. */
  command(type: ClientEventType, payload: unknown, userId: string, socketId = `sock_${userId}`): Promise<CommandReply> {
    return this.probe.command(type, payload, userId, socketId, { requestId: `req_${Date.now()}` });
  }

  /** The payload of the one event of `type` a successful command replied with. */
  async commandOk<T extends ServerEventType>(type: ClientEventType, payload: unknown, userId: string, eventType: T): Promise<ServerEventMap[T]> {
    const reply = await this.command(type, payload, userId);
    if (!reply.ok) throw new Error(`${type} failed: ${JSON.stringify(reply.error)}`);
    const event = reply.events.find((candidate) => candidate.type === eventType);
    if (!event) throw new Error(`${type} replied without ${eventType}: ${JSON.stringify(reply.events)}`);
    return event.payload as ServerEventMap[T];
  }

  async commandError(type: ClientEventType, payload: unknown, userId: string): Promise<ReplyError> {
    const reply = await this.command(type, payload, userId);
    if (reply.ok) throw new Error(`${type} unexpectedly succeeded: ${JSON.stringify(reply.events)}`);
    return reply.error;
  }

  /** Publishes a domain event on JetStream as a producing service's outbox would; returns its id. */
  async publish<N extends DomainEventName>(
    name: N,
    payload: DomainEventMap[N],
    options: { id?: string; msgId?: string } = {},
  ): Promise<string> {
    const id = options.id ?? newId(IdPrefix.event, this.clock.nowMs());
    await this.probe.publishEvent(name, payload, { id, occurredAt: this.clock.nowIso(), msgId: options.msgId ?? `${id}-${newId('m')}` });
    return id;
  }

  /** Waits until `consumers` durable consumers of this service have applied the event. */
  async processed(eventId: string, consumers = 1, timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = (await this.dataSource().query(
        'SELECT count(*)::int AS count FROM processed_events WHERE event_id = $1',
        [eventId],
      )) as Array<{ count: number }>;
      if ((row?.count ?? 0) >= consumers) return;
      if (Date.now() > deadline) throw new Error(`event ${eventId} not processed within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Publishes connections.connection_accepted for a new connection and waits until gifts applied it. */
  async acceptConnection(
    userA: string,
    userB: string,
    options: { connectedLocation?: { lat: number; lng: number } | null; connectionId?: string } = {},
  ): Promise<string> {
    const connectionId = options.connectionId ?? newId(IdPrefix.connection);
    const [first, second] = userA < userB ? [userA, userB] : [userB, userA];
    const eventId = await this.publish(DomainEvent.ConnectionAccepted, {
      connectionId,
      requestId: newId(IdPrefix.request),
      userAId: first,
      userBId: second,
      senderId: userA,
      receiverId: userB,
      connectedLocation: options.connectedLocation === undefined ? LAGOS : options.connectedLocation,
      acceptedAt: this.clock.nowIso(),
    });
    await this.processed(eventId);
    return connectionId;
  }

  async reachMilestone(connectionId: string, userA: string, userB: string, milestone: number): Promise<string> {
    const eventId = await this.publish(DomainEvent.MilestoneReached, {
      connectionId,
      userAId: userA,
      userBId: userB,
      milestone,
      reachedAt: this.clock.nowIso(),
      accumulatedSeconds: milestone * 60,
    });
    await this.processed(eventId);
    return eventId;
  }

  // ---- admin ----

  async createBrand(slug = `brand-${Math.random().toString(36).slice(2, 10)}`): Promise<BrandDto> {
    return this.ok<BrandDto>(RpcMethod.gifts.brandCreate, {
      adminKey: ADMIN_KEY,
      input: { name: `Brand ${slug}`, slug, logo: `/media/brands/${slug}.png`, category: 'lounge' },
    });
  }

  /** An active campaign on a new brand (unless brandId is given) that grants on connection acceptance. */
  async createCampaign(overrides: Partial<CreateCampaignRequestDto> = {}): Promise<CampaignDto> {
    const brandId = overrides.brandId ?? (await this.createBrand()).brandId;
    return this.ok<CampaignDto>(RpcMethod.gifts.campaignCreate, {
      adminKey: ADMIN_KEY,
      input: {
        brandId,
        name: 'Test campaign',
        status: 'active',
        triggerTypes: ['connectionAccepted'],
        title: 'Date Night Reward',
        description: 'Free appetizer and two mocktails',
        terms: 'Valid while stock lasts',
        venueAddress: '2 Marina Road, Lagos',
        ...overrides,
      },
    });
  }

  async setCampaignStatus(campaignId: string, status: CampaignDto['status']): Promise<CampaignDto> {
    return this.ok<CampaignDto>(RpcMethod.gifts.campaignSetStatus, { adminKey: ADMIN_KEY, campaignId, status });
  }

  // ---- deliveries ----

  deliveries(userId: string): DeliveryRecorder {
    const recorder = new DeliveryRecorder();
    this.subscriptions.push(this.probe.recordDeliveries(userId, (delivery) => recorder.push(delivery)));
    return recorder;
  }

  async close(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    for (const app of this.instances.splice(0)) await app.close();
    await this.nc.drain();
    await this.environment.cleanup();
  }

  private answerPeers(): void {
    this.respond('auth', RpcMethod.auth.usersGetMany, (body) => {
      const { userIds } = body as { userIds: string[] };
      const users: UsersGetManyResponse['users'] = {};
      for (const id of userIds) {
        const user = this.users.get(id);
        if (user) users[id] = user;
      }
      return { ok: true, result: { users } };
    });
    this.respond('proximity', RpcMethod.proximity.verifiedTime, (body) => {
      const request = body as VerifiedTimeRequest;
      this.verifiedTimeRequests.push(request);
      if (!this.proximityUp) return undefined;
      if (this.unknownToProximity.has(request.connectionId)) {
        return { ok: false, error: { code: 'connection_not_found', message: 'No such connection', domain: 'proximity', status: 404 } };
      }
      return {
        ok: true,
        result: this.verifiedTimes.get(request.connectionId) ?? { totalSeconds: 0, days: [], activeNow: false, fraudSignals: {} },
      };
    });
    this.respond('presence', RpcMethod.presence.positions, (body) => {
      const { userIds } = body as { userIds: string[] };
      return { ok: true, result: { positions: Object.fromEntries(userIds.map((id) => [id, this.positions.get(id) ?? null])) } };
    });
  }

  /** Answers an RPC of another service; `undefined` means stay silent. */
  private respond(
    service: 'auth' | 'proximity' | 'presence',
    method: string,
    answer: (body: unknown) => RpcReply<unknown> | undefined,
  ): void {
    this.subscriptions.push(this.probe.respond(service, method, answer, true));
  }
}

export class DeliveryRecorder {
  readonly received: DeliveryMessage[] = [];
  private readonly waiters: Array<{ match: (message: DeliveryMessage) => boolean; resolve: (message: DeliveryMessage) => void }> =
    [];

  push(message: DeliveryMessage): void {
    this.received.push(message);
    const index = this.waiters.findIndex((waiter) => waiter.match(message));
    if (index >= 0) this.waiters.splice(index, 1)[0]?.resolve(message);
  }

  /** The payload of the first delivered event of `type` (already received or coming) that matches. */
  async next<T extends ServerEventType>(
    type: T,
    where: (payload: ServerEventMap[T]) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<ServerEventMap[T]> {
    const match = (message: DeliveryMessage): boolean =>
      message.control === undefined && message.type === type && where(message.payload as ServerEventMap[T]);
    const message =
      this.received.find(match) ??
      (await new Promise<DeliveryMessage>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${type} delivery within ${timeoutMs} ms; got ${JSON.stringify(this.received)}`)),
          timeoutMs,
        );
        this.waiters.push({
          match,
          resolve: (delivered) => {
            clearTimeout(timer);
            resolve(delivered);
          },
        });
      }));
    return (message as EventDelivery).payload as ServerEventMap[T];
  }

  ofType<T extends ServerEventType>(type: T): Array<ServerEventMap[T]> {
    return this.received.flatMap((message) =>
      message.control === undefined && message.type === type ? [message.payload as ServerEventMap[T]] : [],
    );
  }
}

/** Lets in-flight NATS publishes arrive (a round trip to the server flushes what came before it). */
export async function settle(nc: NatsConnection, ms = 150): Promise<void> {
  await nc.flush();
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Every field of the contract's SponsoredGift model, in contract order. */
export const SPONSORED_GIFT_FIELDS = [
  'giftId',
  'giftType',
  'connectionId',
  'campaignId',
  'brand',
  'userAId',
  'userBId',
  'partnerUserId',
  'partnerName',
  'partnerAvatarUrl',
  'partnerClaimableNow',
  'triggerType',
  'milestoneMinutes',
  'minTotalTogetherMinutes',
  'minDailyTogetherMinutes',
  'minDistinctQualifyingDays',
  'requireActiveProximityForClaim',
  'qualifyingTogetherMinutes',
  'requiredTogetherMinutes',
  'qualifyingDaysCount',
  'requiredQualifyingDays',
  'claimableNow',
  'claimStage',
  'historyStatus',
  'sponsorConfidenceScore',
  'verificationContext',
  'riskSignals',
  'title',
  'description',
  'terms',
  'rewardImageUrl',
  'brandTagline',
  'campaignMessage',
  'venueName',
  'venueAddress',
  'status',
  'legacyStatus',
  'createdAt',
  'expiresAt',
  'codeExpiresAt',
] as const;
