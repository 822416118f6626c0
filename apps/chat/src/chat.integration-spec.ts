import { connect, type NatsConnection, type Subscription } from 'nats';
import { DataSource } from 'typeorm';
import {
  ClientEvent,
  DomainEvent,
  ErrorCode,
  IdPrefix,
  RpcMethod,
  Subjects,
  type BootstrapPart,
  type ChatHistoryPageResultPayload,
  type ChatHistoryPayload,
  type ClientEventType,
  type DomainEventMap,
  type DomainEventName,
  type EventDelivery,
  type ActiveBetweenRequest,
  type ConnectionRecord,
  type LivenessRequest,
  type Message,
  type PushSendRequest,
  type RpcReply,
  type User,
} from '@gisbi/contracts';
import { decodeDelivery, loadConfig, newId, type DirectoryUser } from '@gisbi/platform';
import {
  createTestEnvironment,
  FakeClock,
  ServiceProbe,
  startTestApp,
  type TestApp,
  type TestEnvironment,
} from '@gisbi/testing';
import { ChatModule } from './chat.module';
import { chatEnvSchema } from './config/chat-config';
import { MessagesService } from './messages/messages.service';
import { PushNotifier } from './push/push-notifier';
import { RelayService } from './relay/relay.service';

const MAX_LENGTH = 20;
const FIRST_CONTACT_MAX = 3;
const LOCATION_UPDATES_PER_SECOND = 2;

type Reply<P = Record<string, unknown>> =
  | { ok: true; events: Array<{ type: string; payload: P }> }
  | { ok: false; error: { code: string; message: string; domain: string; status?: number } };

/**
 * Stands in for auth (users.get_many, push.send), presence (liveness) and connections (active_between, what
 * chat asks before refusing for want of a connection) on the test's NATS connection.
 */
class FakeNeighbours {
  readonly users = new Map<string, DirectoryUser>();
  /** Active connections the connections service knows of (whether or not chat got their event yet). */
  readonly connections: ConnectionRecord[] = [];
  connectionLookups = 0;
  readonly live = new Set<string>();
  readonly pushes: PushSendRequest[] = [];
  readonly livenessRequests: LivenessRequest[] = [];
  userLookups = 0;
  presence: 'answer' | 'silent' = 'answer';
  push: 'answer' | 'fail' | 'silent' = 'answer';
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly nc: NatsConnection,
    private readonly prefix: string,
  ) {}

  start(): void {
    this.answer('auth', RpcMethod.auth.usersGetMany, (body: { userIds: string[] }) => {
      this.userLookups++;
      return {
        ok: true,
        result: {
          users: Object.fromEntries(
            body.userIds.filter((id) => this.users.has(id)).map((id) => [id, this.users.get(id)]),
          ),
        },
      };
    });
    this.answer('auth', RpcMethod.auth.pushSend, (body: PushSendRequest) => {
      if (this.push === 'silent') return undefined;
      this.pushes.push(body);
      if (this.push === 'fail')
        return { ok: false, error: { code: ErrorCode.internal_error, message: 'FCM down', domain: 'auth' } };
      return { ok: true, result: { sent: 1 } };
    });
    this.answer('connections', RpcMethod.connections.activeBetween, (body: ActiveBetweenRequest) => {
      this.connectionLookups++;
      const pair = [body.userAId, body.userBId].sort().join();
      const connection = this.connections.find((c) => [c.userAId, c.userBId].sort().join() === pair) ?? null;
      return { ok: true, result: { connection } };
    });
    this.answer('presence', RpcMethod.presence.liveness, (body: LivenessRequest) => {
      this.livenessRequests.push(body);
      if (this.presence === 'silent') return undefined;
      return {
        ok: true,
        result: { live: Object.fromEntries(body.userIds.map((id) => [id, this.live.has(id)])) },
      };
    });
  }

  stop(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  user(name: string, overrides: Partial<DirectoryUser> = {}): DirectoryUser {
    const user: DirectoryUser = {
      id: newId(IdPrefix.user),
      name,
      age: 30,
      avatar: `https://cdn.example.com/${name.toLowerCase()}.png`,
      gender: null,
      vibe: null,
      vibeExpiresAt: null,
      deleted: false,
      ...overrides,
    };
    this.users.set(user.id, user);
    return user;
  }

  pushesTo(userId: string): PushSendRequest[] {
    return this.pushes.filter((push) => push.userId === userId);
  }

  /** An accept the connections service committed; its event has not reached chat (unless published). */
  accepted(a: DirectoryUser, b: DirectoryUser): ConnectionRecord {
    const [userAId, userBId] = a.id < b.id ? [a.id, b.id] : [b.id, a.id];
    const connection: ConnectionRecord = {
      connectionId: newId(IdPrefix.connection),
      requestId: newId(IdPrefix.request),
      userAId,
      userBId,
      senderId: a.id,
      receiverId: b.id,
      status: 'active',
      connectedLocation: null,
      createdAt: new Date().toISOString(),
      closedAt: null,
    };
    this.connections.push(connection);
    return connection;
  }

  /** `handle` returns the reply, or undefined to stay silent (the caller times out). */
  private answer<B>(
    service: 'auth' | 'presence' | 'connections',
    method: string,
    handle: (body: B) => RpcReply<unknown> | undefined,
  ): void {
    this.subscriptions.push(new ServiceProbe(this.nc, this.prefix, 'chat').respond(service, method, handle, true));
  }
}

describe('chat service', () => {
  let environment: TestEnvironment;
  let sut: TestApp;
  let nc: NatsConnection;
  let probe: ServiceProbe;
  let neighbours: FakeNeighbours;
  let dataSource: DataSource;
  const clock = new FakeClock('2026-04-17T12:00:00.000Z');
  const deliveries: Array<{ userId: string; delivery: EventDelivery }> = [];
  const originalTz = process.env['TZ'];

  beforeAll(async () => {
    // The process and the database sessions run in different, non-UTC zones: replay must not care.
    process.env['TZ'] = 'America/Los_Angeles';
    environment = await createTestEnvironment('chat');
    const admin = new DataSource({ type: 'postgres', url: environment.databaseUrl });
    await admin.initialize();
    const database = new URL(environment.databaseUrl).pathname.slice(1);
    await admin.query(`ALTER DATABASE "${database}" SET timezone TO 'Asia/Kolkata'`);
    await admin.destroy();

    nc = await connect({ servers: environment.env['NATS_URL'] });
    probe = new ServiceProbe(nc, environment.natsPrefix, 'chat');
    neighbours = new FakeNeighbours(nc, environment.natsPrefix);
    neighbours.start();
    nc.subscribe(Subjects.deliverAll(environment.natsPrefix), {
      callback: (_error, msg) => {
        const delivery = decodeDelivery(msg.data);
        if (delivery.control === undefined)
          deliveries.push({ userId: msg.subject.split('.').at(-1) ?? '', delivery });
      },
    });
    const env = loadConfig(chatEnvSchema, {
      ...environment.env,
      CHAT_MAX_MESSAGE_LENGTH: String(MAX_LENGTH),
      CHAT_FIRST_CONTACT_MAX_MESSAGES: String(FIRST_CONTACT_MAX),
      CHAT_LOCATION_UPDATES_PER_SECOND: String(LOCATION_UPDATES_PER_SECOND),
      CHAT_PRESENCE_TIMEOUT_MS: '150',
      CHAT_PUSH_TIMEOUT_MS: '500',
    });
    sut = await startTestApp(ChatModule.forRoot(env), { clock });
    dataSource = sut.get(DataSource);
  });

  afterAll(async () => {
    neighbours?.stop();
    await sut?.close();
    await nc?.close();
    await environment?.cleanup();
    if (originalTz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = originalTz;
  });

  afterEach(() => {
    neighbours.presence = 'answer';
    neighbours.push = 'answer';
  });

  // ---- helpers -------------------------------------------------------------------------------

  let socketCounter = 0;
  async function command<P = Record<string, unknown>>(
    type: ClientEventType,
    userId: string,
    payload: unknown,
    ids: { requestId?: string; socketId?: string } = {},
  ): Promise<Reply<P>> {
    const socketId = ids.socketId ?? `sock_${++socketCounter}`;
    return (await probe.command(type, payload, userId, socketId, { requestId: ids.requestId })) as Reply<P>;
  }

  async function ok<P = Record<string, unknown>>(
    type: ClientEventType,
    userId: string,
    payload: unknown,
    ids: { requestId?: string; socketId?: string } = {},
  ): Promise<P> {
    const reply = await command<P>(type, userId, payload, ids);
    if (!reply.ok) throw new Error(`${type} failed: ${JSON.stringify(reply.error)}`);
    expect(reply.events).toHaveLength(1);
    expect(reply.events[0]?.type).toBe(type);
    return reply.events[0]!.payload;
  }

  async function refused(
    type: ClientEventType,
    userId: string,
    payload: unknown,
  ): Promise<{ code: string; status?: number }> {
    const reply = await command(type, userId, payload);
    if (reply.ok) throw new Error(`${type} unexpectedly succeeded: ${JSON.stringify(reply.events)}`);
    expect(reply.error.domain).toBe('chat');
    return reply.error;
  }

  const send = (from: User, to: User, content: string, extra: Record<string, unknown> = {}, ids = {}) =>
    ok<Message>(ClientEvent.ChatMessageCreated, from.id, { recipientId: to.id, content, ...extra }, ids);

  function deliveredTo(userId: string, type: string): EventDelivery[] {
    return deliveries
      .filter((entry) => entry.userId === userId && entry.delivery.type === type)
      .map((entry) => entry.delivery);
  }

  async function publishOnly<N extends DomainEventName>(
    name: N,
    payload: DomainEventMap[N],
    at = clock.nowIso(),
  ): Promise<string> {
    return (await probe.publishEvent(name, payload, { occurredAt: at })).id;
  }

  /** Publishes like the producing service's outbox and waits until chat's durable consumer applied it. */
  async function publish<N extends DomainEventName>(
    name: N,
    payload: DomainEventMap[N],
    at = clock.nowIso(),
  ): Promise<void> {
    const id = await publishOnly(name, payload, at);
    await waitFor(async () => {
      const rows = (await dataSource.query('SELECT 1 FROM processed_events WHERE event_id = $1', [
        id,
      ])) as unknown[];
      return rows.length > 0;
    });
  }

  async function connectPair(a: User, b: User): Promise<string> {
    const connectionId = newId(IdPrefix.connection);
    const [userAId, userBId] = a.id < b.id ? [a.id, b.id] : [b.id, a.id];
    await publish(DomainEvent.ConnectionAccepted, {
      connectionId,
      requestId: newId(IdPrefix.request),
      userAId,
      userBId,
      senderId: a.id,
      receiverId: b.id,
      connectedLocation: null,
      acceptedAt: clock.nowIso(),
    });
    return connectionId;
  }

  async function closePair(connectionId: string, a: User, b: User): Promise<void> {
    const [userAId, userBId] = a.id < b.id ? [a.id, b.id] : [b.id, a.id];
    await publish(DomainEvent.ConnectionClosed, {
      connectionId,
      userAId,
      userBId,
      closedByUserId: a.id,
      closureReason: 'user_left',
      closedAt: clock.nowIso(),
    });
  }

  async function connectedPair(): Promise<[DirectoryUser, DirectoryUser]> {
    const a = neighbours.user('Ada');
    const b = neighbours.user('Bola');
    await connectPair(a, b);
    return [a, b];
  }

  async function countMessages(where = 'TRUE', params: unknown[] = []): Promise<number> {
    const [row] = (await dataSource.query(
      `SELECT count(*)::int AS count FROM messages WHERE ${where}`,
      params,
    )) as Array<{
      count: number;
    }>;
    return row!.count;
  }

  /** Inserts a row directly, to control created_at (shared timestamps, microseconds). */
  async function insertRow(from: User, to: User, createdAt: string, content = 'stored'): Promise<string> {
    const id = newId(IdPrefix.message);
    await dataSource.query(
      'INSERT INTO messages (id, sender_id, recipient_id, content, created_at) VALUES ($1, $2, $3, $4, $5::timestamptz)',
      [id, from.id, to.id, content, createdAt],
    );
    return id;
  }

  async function bootstrap(userId: string, lastSeenAt?: string): Promise<BootstrapPart> {
    return probe.rpcOk<BootstrapPart>(RpcMethod.all.bootstrap, { userId, ...(lastSeenAt ? { lastSeenAt } : {}) });
  }

  const publicUser = (user: DirectoryUser): User => {
    const { deleted: _deleted, ...rest } = user;
    return rest;
  };

  // ---- chat.message.created --------------------------------------------------------------------

  describe(`${MessagesService.name} send`, () => {
    it('stores the message and gives the full Message to both users exactly once per socket', async () => {
      const [ada, bola] = await connectedPair();
      const payload = await send(
        ada,
        bola,
        'Hello there',
        {},
        { socketId: 'ada_phone', requestId: 'req_hello' },
      );
      expect(payload).toEqual({
        messageId: expect.stringMatching(/^msg_[0-9A-Z]{26}$/),
        senderId: ada.id,
        recipientId: bola.id,
        sender: publicUser(ada),
        recipient: publicUser(bola),
        content: 'Hello there',
        createdAt: '2026-04-17T12:00:00.000Z',
        readAt: null,
      });
      // the recipient's sockets, and the sender's other sockets (not the one that got the reply)
      expect(deliveredTo(bola.id, 'chat.message.created')).toEqual([
        { type: 'chat.message.created', payload, timestamp: clock.nowIso() },
      ]);
      expect(deliveredTo(ada.id, 'chat.message.created')).toEqual([
        { type: 'chat.message.created', payload, timestamp: clock.nowIso(), exceptSocketId: 'ada_phone' },
      ]);
      expect(await countMessages('id = $1', [payload.messageId])).toBe(1);
    });

    it('validates recipientId and content with the contract codes', async () => {
      const [ada, bola] = await connectedPair();
      expect(await refused(ClientEvent.ChatMessageCreated, ada.id, { content: 'hi' })).toMatchObject({
        code: ErrorCode.missing_recipientId,
      });
      expect(await refused(ClientEvent.ChatMessageCreated, ada.id, { recipientId: bola.id })).toMatchObject({
        code: ErrorCode.missing_content,
      });
      expect(
        await refused(ClientEvent.ChatMessageCreated, ada.id, { recipientId: bola.id, content: '' }),
      ).toMatchObject({
        code: ErrorCode.missing_content,
        status: 400,
      });
      for (const content of ['   ', '\n\t', '\u200b\u200b', 42, 'a\ud83db', '\ud83d', 'nul\u0000']) {
        expect(
          await refused(ClientEvent.ChatMessageCreated, ada.id, { recipientId: bola.id, content }),
        ).toMatchObject({
          code: ErrorCode.invalid_content,
        });
      }
      expect(await countMessages('sender_id = $1', [ada.id])).toBe(0);
    });

    it('counts length in code points for every script and emoji, never truncating', async () => {
      const [ada, bola] = await connectedPair();
      for (const unit of ['a', 'é', '日', 'न', '😀', '𝄞']) {
        const exact = unit.repeat(MAX_LENGTH);
        expect((await send(ada, bola, exact)).content).toBe(exact);
        expect(
          await refused(ClientEvent.ChatMessageCreated, ada.id, {
            recipientId: bola.id,
            content: exact + unit,
          }),
        ).toMatchObject({ code: ErrorCode.invalid_content, status: 400 });
      }
      const family = '👨‍👩‍👧'; // 5 code points
      expect((await send(ada, bola, family.repeat(4))).content).toBe(family.repeat(4));
      expect(
        await refused(ClientEvent.ChatMessageCreated, ada.id, {
          recipientId: bola.id,
          content: family.repeat(4) + '!',
        }),
      ).toMatchObject({ code: ErrorCode.invalid_content });
    });

    it('serves profiles from a cache that auth.user_updated corrects', async () => {
      const [ada, bola] = await connectedPair();
      await send(ada, bola, 'one');
      const lookups = neighbours.userLookups;
      expect((await send(bola, ada, 'two')).recipient).toEqual(publicUser(ada));
      expect(neighbours.userLookups).toBe(lookups);
      const renamed: User = { ...publicUser(ada), name: 'Ada L.', vibe: 'coffee' };
      neighbours.users.set(ada.id, { ...renamed, deleted: false });
      await publishOnly(DomainEvent.UserUpdated, { user: renamed });
      await waitFor(async () => (await send(bola, ada, 'renamed?')).recipient.name === 'Ada L.');
      expect((await send(ada, bola, 'three')).sender).toEqual(renamed);
      expect(neighbours.userLookups).toBe(lookups);
    });

    it('refuses unknown and deleted recipients, oneself, and deleted senders', async () => {
      const ada = neighbours.user('Ada');
      const gone = neighbours.user('Gone', { deleted: true, name: 'Deleted user' });
      const later = neighbours.user('Later');
      expect(
        await refused(ClientEvent.ChatMessageCreated, ada.id, {
          recipientId: newId(IdPrefix.user),
          content: 'hi',
        }),
      ).toEqual(expect.objectContaining({ code: ErrorCode.user_not_found, status: 404 }));
      expect(
        await refused(ClientEvent.ChatMessageCreated, ada.id, { recipientId: gone.id, content: 'hi' }),
      ).toMatchObject({
        code: ErrorCode.user_not_found,
      });
      expect(
        await refused(ClientEvent.ChatMessageCreated, ada.id, { recipientId: ada.id, content: 'hi' }),
      ).toMatchObject({
        code: ErrorCode.cannot_target_self,
      });
      // auth.user_deleted reaches chat's projection before auth's directory is asked again
      await publish(DomainEvent.UserDeleted, { userId: later.id, deletedAt: clock.nowIso() });
      expect(
        await refused(ClientEvent.ChatMessageCreated, ada.id, { recipientId: later.id, content: 'hi' }),
      ).toMatchObject({
        code: ErrorCode.user_not_found,
      });
      expect(
        await refused(ClientEvent.ChatMessageCreated, later.id, { recipientId: ada.id, content: 'hi' }),
      ).toMatchObject({
        code: ErrorCode.account_deleted,
      });
    });

    it('refuses a blocked pair in both directions, follows unblock, and ignores an older late event', async () => {
      const [ada, bola] = await connectedPair();
      const blockedAt = clock.nowIso();
      await publish(DomainEvent.UserBlocked, { blockerId: bola.id, blockedId: ada.id, at: blockedAt });
      expect(
        await refused(ClientEvent.ChatMessageCreated, ada.id, { recipientId: bola.id, content: 'hi' }),
      ).toMatchObject({
        code: ErrorCode.blocked,
        status: 403,
      });
      expect(
        await refused(ClientEvent.ChatMessageCreated, bola.id, { recipientId: ada.id, content: 'hi' }),
      ).toMatchObject({
        code: ErrorCode.blocked,
      });
      // an unblock that happened before the block, delivered late, changes nothing
      await publish(DomainEvent.UserUnblocked, {
        blockerId: bola.id,
        blockedId: ada.id,
        at: new Date(Date.parse(blockedAt) - 1000).toISOString(),
      });
      expect(
        (await refused(ClientEvent.ChatMessageCreated, ada.id, { recipientId: bola.id, content: 'hi' })).code,
      ).toBe(ErrorCode.blocked);
      clock.advance(1000);
      await publish(DomainEvent.UserUnblocked, { blockerId: bola.id, blockedId: ada.id, at: clock.nowIso() });
      expect((await send(ada, bola, 'friends again')).content).toBe('friends again');
    });

    it('limits first contact until the other side replies', async () => {
      const ada = neighbours.user('Ada');
      const stranger = neighbours.user('Stranger');
      for (let i = 1; i <= FIRST_CONTACT_MAX; i++) await send(stranger, ada, `hello ${i}`);
      expect(
        await refused(ClientEvent.ChatMessageCreated, stranger.id, {
          recipientId: ada.id,
          content: 'hello?',
        }),
      ).toMatchObject({
        code: ErrorCode.first_contact_limit,
        status: 429,
      });
      // Ada can always answer (her first message to him is a reply), and then both write freely.
      await send(ada, stranger, 'hi!');
      for (let i = 0; i < FIRST_CONTACT_MAX + 1; i++) await send(stranger, ada, `chatting ${i}`);
      expect(await countMessages('sender_id = $1', [stranger.id])).toBe(2 * FIRST_CONTACT_MAX + 1);
    });

    it('lifts the first-contact limit once a connection is accepted', async () => {
      const ada = neighbours.user('Ada');
      const radar = neighbours.user('Radar');
      for (let i = 0; i < FIRST_CONTACT_MAX; i++) await send(radar, ada, `wave ${i}`);
      expect(
        (await refused(ClientEvent.ChatMessageCreated, radar.id, { recipientId: ada.id, content: 'x' })).code,
      ).toBe(ErrorCode.first_contact_limit);
      await connectPair(radar, ada);
      expect((await send(radar, ada, 'connected now')).content).toBe('connected now');
    });

    it('lifts the limit for a connection accepted a moment ago, before its event reaches chat', async () => {
      const ada = neighbours.user('Ada');
      const quick = neighbours.user('Quick');
      for (let i = 0; i < FIRST_CONTACT_MAX; i++) await send(quick, ada, `wave ${i}`);
      neighbours.accepted(quick, ada);

      expect((await send(quick, ada, 'just connected')).content).toBe('just connected');
      // Learned once: the projection has it now, so the next messages ask nobody.
      const lookups = neighbours.connectionLookups;
      await send(quick, ada, 'and again');
      expect(neighbours.connectionLookups).toBe(lookups);
    });

    it('cannot exceed the first-contact limit with concurrent sends', async () => {
      const ada = neighbours.user('Ada');
      const eager = neighbours.user('Eager');
      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          command(ClientEvent.ChatMessageCreated, eager.id, { recipientId: ada.id, content: `m${i}` }),
        ),
      );
      expect(replies.filter((reply) => reply.ok)).toHaveLength(FIRST_CONTACT_MAX);
      expect(
        replies.filter((reply) => !reply.ok && reply.error.code === ErrorCode.first_contact_limit),
      ).toHaveLength(10 - FIRST_CONTACT_MAX);
      expect(await countMessages('sender_id = $1', [eager.id])).toBe(FIRST_CONTACT_MAX);
    });
  });

  describe('idempotent send', () => {
    it('answers a retry with the same clientMessageId with the original message and stores nothing new', async () => {
      const [ada, bola] = await connectedPair();
      const first = await send(ada, bola, 'only once', { clientMessageId: 'c-1' });
      expect(first.clientMessageId).toBe('c-1');
      const deliveredBefore = deliveredTo(bola.id, 'chat.message.created').length;
      clock.advance(5000);
      const retry = await send(ada, bola, 'only once', { clientMessageId: 'c-1' });
      expect(retry).toEqual(first);
      expect(await countMessages('sender_id = $1', [ada.id])).toBe(1);
      expect(deliveredTo(bola.id, 'chat.message.created')).toHaveLength(deliveredBefore);
      // the same key is the sender's own: another sender may use it
      expect((await send(bola, ada, 'only once', { clientMessageId: 'c-1' })).messageId).not.toBe(
        first.messageId,
      );
    });

    it('refuses a clientMessageId reused for a different message', async () => {
      const [ada, bola] = await connectedPair();
      await send(ada, bola, 'first', { clientMessageId: 'c-2' });
      expect(
        await refused(ClientEvent.ChatMessageCreated, ada.id, {
          recipientId: bola.id,
          content: 'second',
          clientMessageId: 'c-2',
        }),
      ).toMatchObject({ code: ErrorCode.conflict, status: 409 });
      expect(await countMessages('sender_id = $1', [ada.id])).toBe(1);
    });

    it('stores one message for concurrent retries, even during first contact', async () => {
      const [ada, bola] = await connectedPair();
      const stranger = neighbours.user('Stranger');
      for (const [from, to] of [
        [ada, bola],
        [stranger, ada],
      ] as const) {
        const replies = await Promise.all(
          Array.from({ length: 8 }, () => send(from, to, 'racing', { clientMessageId: 'c-race' })),
        );
        expect(new Set(replies.map((reply) => reply.messageId)).size).toBe(1);
        expect(await countMessages('sender_id = $1', [from.id])).toBe(1);
        const racing = deliveredTo(to.id, 'chat.message.created').filter((d) => {
          const delivered = d.payload as Message;
          return delivered.content === 'racing' && delivered.senderId === from.id;
        });
        expect(racing).toHaveLength(1);
      }
    });

    it('answers a retry with the original even after a block or the deletion of the recipient', async () => {
      const [ada, bola] = await connectedPair();
      const carol = neighbours.user('Carol');
      await connectPair(ada, carol);
      const toBola = await send(ada, bola, 'before the block', { clientMessageId: 'c-late' });
      const toCarol = await send(ada, carol, 'before she left', { clientMessageId: 'c-gone' });
      await publish(DomainEvent.UserBlocked, { blockerId: bola.id, blockedId: ada.id, at: clock.nowIso() });
      neighbours.users.set(carol.id, { ...carol, deleted: true });
      await publish(DomainEvent.UserDeleted, { userId: carol.id, deletedAt: clock.nowIso() });
      expect(await send(ada, bola, 'before the block', { clientMessageId: 'c-late' })).toEqual(toBola);
      expect((await send(ada, carol, 'before she left', { clientMessageId: 'c-gone' })).messageId).toBe(
        toCarol.messageId,
      );
      expect(
        await refused(ClientEvent.ChatMessageCreated, ada.id, {
          recipientId: bola.id,
          content: 'new',
          clientMessageId: 'c-new',
        }),
      ).toMatchObject({ code: ErrorCode.blocked });
      expect(await countMessages('sender_id = $1', [ada.id])).toBe(2);
    });

    it('uses the envelope requestId as the key when no clientMessageId is given', async () => {
      const [ada, bola] = await connectedPair();
      const first = await send(ada, bola, 'via request id', {}, { requestId: 'req_77' });
      const retry = await send(ada, bola, 'via request id', {}, { requestId: 'req_77' });
      expect(retry.messageId).toBe(first.messageId);
      expect(retry).not.toHaveProperty('clientMessageId');
      // a client that reuses requestIds for different messages still sends them
      const other = await send(ada, bola, 'something else', {}, { requestId: 'req_77' });
      expect(other.messageId).not.toBe(first.messageId);
      expect(await countMessages('sender_id = $1', [ada.id])).toBe(2);
    });
  });

  // ---- push --------------------------------------------------------------------------------------

  describe(PushNotifier.name, () => {
    it('pushes to an offline recipient after the send, through auth', async () => {
      const [ada, bola] = await connectedPair();
      const sent = await send(ada, bola, 'are you there?');
      await sut.get(PushNotifier).idle();
      expect(neighbours.pushesTo(bola.id)).toEqual([
        {
          userId: bola.id,
          title: 'Ada',
          body: 'are you there?',
          data: {
            type: 'chat.message.created',
            messageId: sent.messageId,
            senderId: ada.id,
            recipientId: bola.id,
          },
          collapseKey: `chat:${ada.id}`,
        },
      ]);
      expect(neighbours.livenessRequests.some((request) => request.userIds.includes(bola.id))).toBe(true);
    });

    it('does not push to a recipient with a live socket', async () => {
      const [ada, bola] = await connectedPair();
      neighbours.live.add(bola.id);
      await send(ada, bola, 'you are online');
      await sut.get(PushNotifier).idle();
      expect(neighbours.pushesTo(bola.id)).toEqual([]);
    });

    it('treats an unanswered presence as offline, and never lets push delay or fail the send', async () => {
      const [ada, bola] = await connectedPair();
      neighbours.presence = 'silent';
      neighbours.push = 'silent';
      const started = Date.now();
      const sent = await send(ada, bola, 'slow neighbours');
      // awaiting presence (150 ms timeout) and then push (500 ms timeout) would take at least 650 ms
      expect(Date.now() - started).toBeLessThan(500);
      expect(sent.content).toBe('slow neighbours');
      await sut.get(PushNotifier).idle();
      expect(neighbours.livenessRequests.filter((request) => request.userIds.includes(bola.id))).toHaveLength(
        1,
      );
      neighbours.push = 'fail';
      const second = await send(ada, bola, 'push fails');
      expect(second.content).toBe('push fails');
      await sut.get(PushNotifier).idle();
      expect(neighbours.pushesTo(bola.id).map((push) => push.body)).toEqual(['push fails']);
    });
  });

  // ---- chat.message.read -------------------------------------------------------------------------

  describe(`${MessagesService.name} read`, () => {
    it('lets only the recipient mark a message, with the contract codes', async () => {
      const [ada, bola] = await connectedPair();
      const third = neighbours.user('Third');
      const sent = await send(ada, bola, 'read me');
      expect(await refused(ClientEvent.ChatMessageRead, bola.id, {})).toMatchObject({
        code: ErrorCode.missing_messageId,
      });
      expect(await refused(ClientEvent.ChatMessageRead, ada.id, { messageId: sent.messageId })).toMatchObject(
        {
          code: ErrorCode.not_allowed,
          status: 403,
        },
      );
      expect(
        await refused(ClientEvent.ChatMessageRead, third.id, { messageId: sent.messageId }),
      ).toMatchObject({
        code: ErrorCode.not_allowed,
      });
      expect(
        await refused(ClientEvent.ChatMessageRead, bola.id, { messageId: newId(IdPrefix.message) }),
      ).toMatchObject({
        code: ErrorCode.message_not_found,
        status: 404,
      });
      expect(await countMessages('id = $1 AND read_at IS NULL', [sent.messageId])).toBe(1);
    });

    it('sets readAt once, tells both users once, and marks every earlier message of the conversation', async () => {
      const [ada, bola] = await connectedPair();
      const carol = neighbours.user('Carol');
      await connectPair(carol, bola);
      const first = await send(ada, bola, 'one');
      clock.advance(1000);
      const second = await send(ada, bola, 'two');
      const fromCarol = await send(carol, bola, 'other thread');
      clock.advance(1000);
      const third = await send(ada, bola, 'three');
      clock.advance(1000);

      const receipt = await ok(
        ClientEvent.ChatMessageRead,
        bola.id,
        { messageId: second.messageId },
        { socketId: 'bola_phone' },
      );
      expect(receipt).toEqual({
        messageId: second.messageId,
        senderId: ada.id,
        recipientId: bola.id,
        readAt: clock.nowIso(),
      });
      expect(deliveredTo(ada.id, 'chat.message.read')).toEqual([
        { type: 'chat.message.read', payload: receipt, timestamp: clock.nowIso() },
      ]);
      expect(deliveredTo(bola.id, 'chat.message.read')).toEqual([
        {
          type: 'chat.message.read',
          payload: receipt,
          timestamp: clock.nowIso(),
          exceptSocketId: 'bola_phone',
        },
      ]);
      const readIds = (
        (await dataSource.query('SELECT id FROM messages WHERE recipient_id = $1 AND read_at IS NOT NULL', [
          bola.id,
        ])) as Array<{ id: string }>
      ).map((row) => row.id);
      expect(readIds.sort()).toEqual([first.messageId, second.messageId].sort());

      clock.advance(60_000);
      const again = await ok(ClientEvent.ChatMessageRead, bola.id, { messageId: second.messageId });
      expect(again).toEqual(receipt); // readAt unchanged
      expect(deliveredTo(ada.id, 'chat.message.read')).toHaveLength(1);

      const history = await ok<ChatHistoryPayload>(ClientEvent.ChatHistoryFetch, bola.id, {});
      expect(history.unreadMessageCount).toEqual({ [ada.id]: 1, [carol.id]: 1 });
      expect(history.totalUnreadMessageCount).toBe(2);
      expect(history.conversations[ada.id]).toMatchObject({
        unreadCount: 1,
        lastMessage: { messageId: third.messageId },
      });
      expect(history.conversations[carol.id]).toMatchObject({
        unreadCount: 1,
        lastMessage: { messageId: fromCarol.messageId },
      });
    });

    it('keeps unread counts exact under concurrent sends and reads', async () => {
      const [ada, bola] = await connectedPair();
      const sends: Array<Promise<Message>> = [];
      const reads: Array<Promise<Reply>> = [];
      for (let i = 0; i < 30; i++) {
        clock.advance(1);
        const sending = send(ada, bola, `burst ${i}`);
        sends.push(sending);
        if (i % 5 === 4)
          reads.push(
            sending.then((sent) =>
              command(ClientEvent.ChatMessageRead, bola.id, { messageId: sent.messageId }),
            ),
          );
      }
      await Promise.all(sends);
      expect((await Promise.all(reads)).every((reply) => reply.ok)).toBe(true);
      const unreadInData = await countMessages('recipient_id = $1 AND read_at IS NULL', [bola.id]);
      expect(unreadInData).toBeLessThan(30);
      const history = await ok<ChatHistoryPayload>(ClientEvent.ChatHistoryFetch, bola.id, {});
      expect(history.unreadMessageCount[ada.id] ?? 0).toBe(unreadInData);
      expect(history.totalUnreadMessageCount).toBe(unreadInData);
      // reading the newest message covers every earlier one
      const [newest] = (await dataSource.query(
        'SELECT id FROM messages WHERE recipient_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1',
        [bola.id],
      )) as Array<{ id: string }>;
      await ok(ClientEvent.ChatMessageRead, bola.id, { messageId: newest!.id });
      const after = await ok<ChatHistoryPayload>(ClientEvent.ChatHistoryFetch, bola.id, {});
      expect(after.totalUnreadMessageCount).toBe(0);
      expect(after.unreadMessageCount).toEqual({});
      expect(after.conversations[ada.id]?.unreadCount).toBe(0);
    });
  });

  // ---- history, paging and replay ----------------------------------------------------------------

  describe(`${MessagesService.name} history`, () => {
    it('returns the latest 50 messages, newest first, with conversations keyed by the other user', async () => {
      const [ada, bola] = await connectedPair();
      const carol = neighbours.user('Carol');
      await connectPair(ada, carol);
      for (let i = 0; i < 55; i++) {
        clock.advance(10);
        await (i % 2 === 0 ? send(ada, bola, `ab ${i}`) : send(bola, ada, `ba ${i}`));
      }
      clock.advance(10);
      const toCarol = await send(ada, carol, 'hi carol');
      const history = await ok<ChatHistoryPayload>(ClientEvent.ChatHistoryFetch, ada.id, {});
      expect(history.messages).toHaveLength(50);
      expect(history.messages[0]).toEqual(toCarol);
      const times = history.messages.map((m) => m.createdAt);
      expect([...times].sort().reverse()).toEqual(times);
      expect(Object.keys(history.conversations).sort()).toEqual([bola.id, carol.id].sort());
      expect(history.conversations[carol.id]).toEqual({ lastMessage: toCarol, unreadCount: 0 });
      expect(history.conversations[bola.id]?.lastMessage.content).toBe('ab 54');
      expect(history.unreadMessageCount).toEqual({ [bola.id]: 27 });
      expect(history.totalUnreadMessageCount).toBe(27);
      // the bootstrap part is the same set
      const part = await bootstrap(ada.id);
      expect(part).toEqual(history);
      expect(part).not.toHaveProperty('replay');
    });

    it('pages a conversation with a stable cursor through rows sharing a timestamp', async () => {
      const ada = neighbours.user('Ada');
      const bola = neighbours.user('Bola');
      const carol = neighbours.user('Carol');
      const ids: string[] = [];
      for (let i = 0; i < 7; i++)
        ids.push(
          await insertRow(i % 2 ? bola : ada, i % 2 ? ada : bola, '2026-04-17T10:00:00.000Z', `same ${i}`),
        );
      ids.push(await insertRow(ada, bola, '2026-04-17T10:00:00.000001Z', 'one microsecond later'));
      ids.push(await insertRow(ada, bola, '2026-04-17T09:59:59.999999Z', 'one microsecond earlier'));
      await insertRow(ada, carol, '2026-04-17T10:00:00.000Z', 'other conversation');
      const expectedOrder = [ids[7], ...ids.slice(0, 7).reverse(), ids[8]];

      const seen: string[] = [];
      let before: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await ok<ChatHistoryPageResultPayload>(ClientEvent.ChatHistoryPage, bola.id, {
          otherUserId: ada.id,
          limit: 2,
          ...(before ? { before } : {}),
        });
        expect(page.otherUserId).toBe(ada.id);
        seen.push(...page.messages.map((m) => m.messageId));
        if (!page.nextCursor) break;
        before = page.nextCursor;
      }
      expect(seen).toEqual(expectedOrder);

      const whole = await ok<ChatHistoryPageResultPayload>(ClientEvent.ChatHistoryPage, ada.id, {
        otherUserId: bola.id,
        limit: 50,
      });
      expect(whole.messages.map((m) => m.messageId)).toEqual(expectedOrder);
      expect(whole.nextCursor).toBeNull();
      expect(whole.messages[0]).toMatchObject({ sender: publicUser(ada), recipient: publicUser(bola) });

      expect(
        await refused(ClientEvent.ChatHistoryPage, ada.id, { otherUserId: bola.id, before: 'garbage' }),
      ).toMatchObject({
        code: ErrorCode.invalid_cursor,
      });
      expect(
        await refused(ClientEvent.ChatHistoryPage, ada.id, { otherUserId: bola.id, limit: 51 }),
      ).toMatchObject({
        code: ErrorCode.invalid_limit,
      });
      expect(await refused(ClientEvent.ChatHistoryPage, ada.id, {})).toMatchObject({
        code: ErrorCode.missing_userId,
      });
      // a third user sees nothing of their conversation
      const outsider = await ok<ChatHistoryPageResultPayload>(ClientEvent.ChatHistoryPage, carol.id, {
        otherUserId: bola.id,
      });
      expect(outsider).toEqual({ otherUserId: bola.id, messages: [], nextCursor: null });
    });

    it('replays every incoming message strictly after lastSeenAt once, oldest first, at database precision', async () => {
      const ada = neighbours.user('Ada');
      const bola = neighbours.user('Bola');
      const carol = neighbours.user('Carol');
      await insertRow(bola, ada, '2026-04-18T08:00:00.000Z', 'seen already');
      const atBoundary = await insertRow(
        carol,
        ada,
        '2026-04-18T08:00:00.000Z',
        'same instant as lastSeenAt',
      );
      const shared = [
        await insertRow(bola, ada, '2026-04-18T08:00:00.000400Z', 'sub-millisecond'),
        await insertRow(bola, ada, '2026-04-18T08:00:05.000Z', 'twin 1'),
        await insertRow(carol, ada, '2026-04-18T08:00:05.000Z', 'twin 2'),
        await insertRow(bola, ada, '2026-04-18T08:00:05.000Z', 'twin 3'),
      ];
      await insertRow(ada, bola, '2026-04-18T09:00:00.000Z', 'outgoing: never replayed');

      // 08:00:00Z written as 13:30 in India
      const part = await bootstrap(ada.id, '2026-04-18T13:30:00+05:30');
      expect(part.replay?.map((m) => m.messageId)).toEqual(shared);
      expect(part.replay?.map((m) => m.messageId)).not.toContain(atBoundary);
      expect(part.replay?.[0]).toMatchObject({
        recipient: publicUser(ada),
        sender: publicUser(bola),
        readAt: null,
      });
      // a timestamp with microseconds cuts between rows of the same millisecond
      const fine = await bootstrap(ada.id, '2026-04-18T08:00:00.000399Z');
      expect(fine.replay?.map((m) => m.messageId)).toEqual(shared);
      const finer = await bootstrap(ada.id, '2026-04-18T08:00:00.0004Z');
      expect(finer.replay?.map((m) => m.messageId)).toEqual(shared.slice(1));
      expect((await bootstrap(ada.id, '2026-04-18T08:00:05Z')).replay).toEqual([]);
    });
  });

  // ---- chat.typing ------------------------------------------------------------------------------

  describe(`${RelayService.name} typing`, () => {
    it('relays to the recipient and acknowledges the sender without storing anything', async () => {
      const [ada, bola] = await connectedPair();
      const before = await countMessages();
      const ack = await ok(ClientEvent.ChatTyping, ada.id, { recipientId: bola.id, isTyping: true });
      expect(ack).toEqual({ status: 'sent', fromUserId: ada.id, recipientId: bola.id, isTyping: true });
      expect(deliveredTo(bola.id, 'chat.typing')).toEqual([
        {
          type: 'chat.typing',
          payload: { fromUserId: ada.id, recipientId: bola.id, isTyping: true },
          timestamp: clock.nowIso(),
        },
      ]);
      expect(deliveredTo(ada.id, 'chat.typing')).toEqual([]);
      expect(await countMessages()).toBe(before);
    });

    it('refuses unknown targets, oneself, blocked pairs and bad payloads', async () => {
      const [ada, bola] = await connectedPair();
      const stranger = neighbours.user('Stranger');
      expect(
        await refused(ClientEvent.ChatTyping, ada.id, { recipientId: newId(IdPrefix.user), isTyping: true }),
      ).toMatchObject({
        code: ErrorCode.user_not_found,
      });
      expect(
        await refused(ClientEvent.ChatTyping, ada.id, { recipientId: ada.id, isTyping: true }),
      ).toMatchObject({
        code: ErrorCode.cannot_target_self,
      });
      expect(await refused(ClientEvent.ChatTyping, ada.id, { isTyping: true })).toMatchObject({
        code: ErrorCode.missing_recipientId,
      });
      expect(
        await refused(ClientEvent.ChatTyping, ada.id, { recipientId: bola.id, isTyping: 'yes' }),
      ).toMatchObject({
        code: ErrorCode.invalid_payload,
      });
      await publish(DomainEvent.UserBlocked, { blockerId: ada.id, blockedId: bola.id, at: clock.nowIso() });
      expect(
        await refused(ClientEvent.ChatTyping, bola.id, { recipientId: ada.id, isTyping: true }),
      ).toMatchObject({
        code: ErrorCode.blocked,
      });
      // someone known to auth but never met can see typing (chat does not need a connection)
      expect(
        await ok(ClientEvent.ChatTyping, stranger.id, { recipientId: ada.id, isTyping: false }),
      ).toMatchObject({
        status: 'sent',
        isTyping: false,
      });
    });
  });

  // ---- live location -----------------------------------------------------------------------------

  describe(`${RelayService.name} location sharing`, () => {
    const location = {
      lat: 6.5244,
      lng: 3.3792,
      accuracyMeters: 6.2,
      heading: 120,
      updatedAt: '2026-04-15T23:00:00+01:00',
    };

    it('requires an active connection and an existing user', async () => {
      const ada = neighbours.user('Ada');
      const bola = neighbours.user('Bola');
      for (const type of [
        ClientEvent.ChatLocationShareStart,
        ClientEvent.ChatLocationUpdated,
        ClientEvent.ChatLocationShareStop,
      ]) {
        expect(await refused(type, ada.id, { recipientId: bola.id, location })).toMatchObject({
          code: ErrorCode.active_connection_required,
          status: 403,
        });
        expect(await refused(type, ada.id, { recipientId: newId(IdPrefix.user), location })).toMatchObject({
          code: ErrorCode.user_not_found,
        });
        expect(await refused(type, ada.id, { location })).toMatchObject({
          code: ErrorCode.missing_recipientId,
        });
        expect(await refused(type, ada.id, { recipientId: ada.id, location })).toMatchObject({
          code: ErrorCode.cannot_target_self,
        });
      }
      expect(deliveredTo(bola.id, 'chat.location.share.start')).toEqual([]);
    });

    it('validates the location', async () => {
      const [ada, bola] = await connectedPair();
      for (const bad of [
        { lat: 91, lng: 0 },
        { lat: 0, lng: 181 },
        { lat: 0 },
        'here',
        [1, 2],
        { lat: 0, lng: 0, heading: 360 },
      ]) {
        expect(
          await refused(ClientEvent.ChatLocationShareStart, ada.id, { recipientId: bola.id, location: bad }),
        ).toMatchObject({
          code: ErrorCode.invalid_location,
        });
      }
      expect(await refused(ClientEvent.ChatLocationUpdated, ada.id, { recipientId: bola.id })).toMatchObject({
        code: ErrorCode.invalid_location,
      });
    });

    it('relays start, updates and stop with fromUserId from the socket, never the client', async () => {
      const [ada, bola] = await connectedPair();
      const start = await ok(ClientEvent.ChatLocationShareStart, ada.id, {
        recipientId: bola.id,
        fromUserId: bola.id,
        location,
      });
      const relayedLocation = {
        lat: 6.5244,
        lng: 3.3792,
        accuracyMeters: 6.2,
        heading: 120,
        updatedAt: '2026-04-15T22:00:00.000Z',
      };
      expect(start).toEqual({
        status: 'sent',
        fromUserId: ada.id,
        recipientId: bola.id,
        location: relayedLocation,
      });
      expect(deliveredTo(bola.id, 'chat.location.share.start')).toEqual([
        {
          type: 'chat.location.share.start',
          payload: { fromUserId: ada.id, recipientId: bola.id, location: relayedLocation },
          timestamp: clock.nowIso(),
        },
      ]);

      const update = await ok(ClientEvent.ChatLocationUpdated, ada.id, {
        recipientId: bola.id,
        location: { lat: 6.5, lng: 3.4 },
      });
      expect(update).toEqual({
        status: 'sent',
        fromUserId: ada.id,
        recipientId: bola.id,
        location: { lat: 6.5, lng: 3.4, updatedAt: clock.nowIso() },
      });
      expect(deliveredTo(bola.id, 'chat.location.updated')).toHaveLength(1);
      // A phone clock ahead of the server's: the fix is no fresher than now.
      const ahead = await ok(ClientEvent.ChatLocationUpdated, ada.id, {
        recipientId: bola.id,
        location: { lat: 6.5, lng: 3.4, updatedAt: '2099-01-01T00:00:00Z' },
      });
      expect(ahead).toMatchObject({ location: { updatedAt: clock.nowIso() } });

      const stop = await ok(ClientEvent.ChatLocationShareStop, ada.id, {
        recipientId: bola.id,
        fromUserId: 'user_forged',
      });
      expect(stop).toEqual({ status: 'sent', fromUserId: ada.id, recipientId: bola.id });
      expect(deliveredTo(bola.id, 'chat.location.share.stop')).toEqual([
        {
          type: 'chat.location.share.stop',
          payload: { fromUserId: ada.id, recipientId: bola.id },
          timestamp: clock.nowIso(),
        },
      ]);
      expect(await countMessages('sender_id = $1', [ada.id])).toBe(0);
    });

    it('rate-limits updates per sender and second', async () => {
      const [ada, bola] = await connectedPair();
      const carol = neighbours.user('Carol');
      await connectPair(ada, carol);
      clock.advance(1000 - (clock.nowMs() % 1000)); // start of a second
      await ok(ClientEvent.ChatLocationUpdated, ada.id, { recipientId: bola.id, location });
      await ok(ClientEvent.ChatLocationUpdated, ada.id, { recipientId: carol.id, location });
      expect(
        await refused(ClientEvent.ChatLocationUpdated, ada.id, { recipientId: bola.id, location }),
      ).toMatchObject({
        code: ErrorCode.rate_limited,
        status: 429,
      });
      // another sender has their own budget
      await ok(ClientEvent.ChatLocationUpdated, bola.id, { recipientId: ada.id, location });
      clock.advance(1000);
      await ok(ClientEvent.ChatLocationUpdated, ada.id, { recipientId: bola.id, location });
      expect(deliveredTo(bola.id, 'chat.location.updated')).toHaveLength(2);
    });

    it('stops active shares for both users when the connection closes, and refuses further updates', async () => {
      const ada = neighbours.user('Ada');
      const bola = neighbours.user('Bola');
      const connectionId = await connectPair(ada, bola);
      clock.advance(1000);
      await ok(ClientEvent.ChatLocationShareStart, ada.id, { recipientId: bola.id, location });
      await ok(ClientEvent.ChatLocationShareStart, bola.id, { recipientId: ada.id, location });
      await closePair(connectionId, ada, bola);
      await waitFor(async () => deliveredTo(ada.id, 'chat.location.share.stop').length === 2);
      const stops = deliveredTo(bola.id, 'chat.location.share.stop').map((d) => d.payload);
      expect(stops).toEqual(
        expect.arrayContaining([
          { fromUserId: ada.id, recipientId: bola.id },
          { fromUserId: bola.id, recipientId: ada.id },
        ]),
      );
      expect(
        await refused(ClientEvent.ChatLocationUpdated, ada.id, { recipientId: bola.id, location }),
      ).toMatchObject({
        code: ErrorCode.active_connection_required,
      });
      // an accept whose event is still on its way: chat asks connections before refusing
      const fresh = neighbours.user('Fresh');
      expect(await refused(ClientEvent.ChatLocationShareStart, ada.id, { recipientId: fresh.id, location })).toMatchObject({
        code: ErrorCode.active_connection_required,
      });
      const accepted = neighbours.accepted(ada, fresh);
      await ok(ClientEvent.ChatLocationShareStart, ada.id, { recipientId: fresh.id, location });
      // ...and its close, arriving later, still ends it
      await publish(DomainEvent.ConnectionClosed, {
        connectionId: accepted.connectionId,
        userAId: accepted.userAId,
        userBId: accepted.userBId,
        closedByUserId: ada.id,
        closureReason: 'user_left',
        closedAt: clock.nowIso(),
      });
      neighbours.connections.splice(neighbours.connections.indexOf(accepted), 1);
      expect(await refused(ClientEvent.ChatLocationUpdated, ada.id, { recipientId: fresh.id, location })).toMatchObject({
        code: ErrorCode.active_connection_required,
      });
      // a close delivered before its accept (another consumer) leaves the pair closed
      const late = neighbours.user('Late');
      const lateConnection = newId(IdPrefix.connection);
      const [userAId, userBId] = ada.id < late.id ? [ada.id, late.id] : [late.id, ada.id];
      await publish(DomainEvent.ConnectionClosed, {
        connectionId: lateConnection,
        userAId,
        userBId,
        closedByUserId: null,
        closureReason: null,
        closedAt: clock.nowIso(),
      });
      await publish(DomainEvent.ConnectionAccepted, {
        connectionId: lateConnection,
        requestId: newId(IdPrefix.request),
        userAId,
        userBId,
        senderId: ada.id,
        receiverId: late.id,
        connectedLocation: null,
        acceptedAt: clock.nowIso(),
      });
      expect(
        await refused(ClientEvent.ChatLocationShareStart, ada.id, { recipientId: late.id, location }),
      ).toMatchObject({
        code: ErrorCode.active_connection_required,
      });
    });
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
