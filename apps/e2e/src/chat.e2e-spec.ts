import { Client } from 'pg';
import {
  ErrorCode,
  ServerEvent,
  type BootstrapPayload,
  type ChatHistoryPageResultPayload,
  type ChatHistoryPayload,
  type ConnectionRequest,
  type ErrorPayload,
  type Message,
} from '@gisbi/contracts';
import {
  startStack,
  type ReceivedEnvelope,
  type SignedInUser,
  type Stack,
  type TestSocket,
} from '@gisbi/testing';

type Connected = SignedInUser & { socket: TestSocket };

/** Issue 5 end to end: two connected clients chat over real sockets; a third is refused; reconnect replay; offline push. */
describe('chat, end to end', () => {
  let stack: Stack;
  let db: Client;
  let ada: Connected;
  let bola: Connected;
  let carol: Connected;

  beforeAll(async () => {
    stack = await startStack({ label: 'chat', env: { CHAT_LOCATION_UPDATES_PER_SECOND: '5' } });
    db = new Client({ connectionString: stack.environment.databaseUrl });
    await db.connect();
    [ada, bola, carol] = await Promise.all([
      stack.connectedUser('chat-ada', 'Ada'),
      stack.connectedUser('chat-bola', 'Bola'),
      stack.connectedUser('chat-carol', 'Carol'),
    ]);
    // The real connections flow over sockets: Ada asks, Bola accepts.
    const sent = await ada.socket.request<{ request: ConnectionRequest }>('connection.request.send', {
      userId: bola.user.id,
    });
    expect(sent.type).toBe('connection.request.send');
    await bola.socket.next('connection.request.send');
    const accepted = await bola.socket.request('connection.request.accept', {
      requestId: sent.payload.request.requestId,
    });
    expect(accepted.type).toBe('connection.request.accept');
    await ada.socket.next('connection.request.accept');
  }, 120_000);

  afterAll(async () => {
    await Promise.all([ada, bola, carol].map((user) => user?.socket.close()));
    await db?.end();
    await stack?.stop();
  });

  async function chat(from: Connected, to: { user: { id: string } }, content: string): Promise<Message> {
    const reply = await from.socket.request<Message>('chat.message.created', {
      recipientId: to.user.id,
      content,
    });
    if (reply.type !== ServerEvent.ChatMessageCreated)
      throw new Error(`send failed: ${JSON.stringify(reply.payload)}`);
    return reply.payload;
  }

  /** Chat learns about connections from domain events: retry while the projection catches up. */
  async function eventually<P>(
    attempt: () => Promise<ReceivedEnvelope<P>>,
    until: (reply: ReceivedEnvelope<P>) => boolean,
  ) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const reply = await attempt();
      if (until(reply) || Date.now() > deadline) return reply;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function pushesFor(
    userId: string,
  ): Promise<
    Array<{ title: string; body: string; data: Record<string, string> | null; collapse_key: string | null }>
  > {
    const result = await db.query(
      'SELECT title, body, data, collapse_key FROM auth.push_attempts WHERE user_id = $1 ORDER BY id',
      [userId],
    );
    return result.rows;
  }

  it('lets two connected clients chat, read, type and share live location with contract-exact payloads', async () => {
    const message = await chat(ada, bola, 'Hello there');
    expect(message).toEqual({
      messageId: expect.stringMatching(/^msg_[0-9A-Z]{26}$/),
      senderId: ada.user.id,
      recipientId: bola.user.id,
      sender: ada.user,
      recipient: bola.user,
      content: 'Hello there',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      readAt: null,
    });
    const received = await bola.socket.next<Message>(
      ServerEvent.ChatMessageCreated,
      (p) => p.messageId === message.messageId,
    );
    expect(received.payload).toEqual(message);
    expect(received.timestamp).toMatch(/^\d{4}-/);

    const receipt = await bola.socket.request('chat.message.read', { messageId: message.messageId });
    expect(receipt.type).toBe('chat.message.read');
    expect(receipt.payload).toEqual({
      messageId: message.messageId,
      senderId: ada.user.id,
      recipientId: bola.user.id,
      readAt: expect.stringMatching(/Z$/),
    });
    expect((await ada.socket.next('chat.message.read')).payload).toEqual(receipt.payload);

    const typing = await ada.socket.request('chat.typing', { recipientId: bola.user.id, isTyping: true });
    expect(typing.payload).toEqual({
      status: 'sent',
      fromUserId: ada.user.id,
      recipientId: bola.user.id,
      isTyping: true,
    });
    expect((await bola.socket.next('chat.typing')).payload).toEqual({
      fromUserId: ada.user.id,
      recipientId: bola.user.id,
      isTyping: true,
    });

    const location = {
      lat: 6.5244,
      lng: 3.3792,
      accuracyMeters: 6.2,
      heading: 120,
      updatedAt: '2026-04-15T22:00:00Z',
    };
    const start = await eventually(
      () =>
        ada.socket.request('chat.location.share.start', {
          recipientId: bola.user.id,
          fromUserId: bola.user.id,
          location,
        }),
      (reply) => reply.type === 'chat.location.share.start',
    );
    const relayed = { ...location, updatedAt: '2026-04-15T22:00:00.000Z' };
    expect(start.payload).toEqual({
      status: 'sent',
      fromUserId: ada.user.id,
      recipientId: bola.user.id,
      location: relayed,
    });
    expect((await bola.socket.next('chat.location.share.start')).payload).toEqual({
      fromUserId: ada.user.id,
      recipientId: bola.user.id,
      location: relayed,
    });
    const moved = {
      lat: 6.5245,
      lng: 3.3794,
      accuracyMeters: 4.8,
      heading: 118,
      updatedAt: '2026-04-15T22:00:05Z',
    };
    const update = await ada.socket.request('chat.location.updated', {
      recipientId: bola.user.id,
      location: moved,
    });
    expect(update.payload).toEqual({
      status: 'sent',
      fromUserId: ada.user.id,
      recipientId: bola.user.id,
      location: { ...moved, updatedAt: '2026-04-15T22:00:05.000Z' },
    });
    expect((await bola.socket.next('chat.location.updated')).payload).toMatchObject({
      fromUserId: ada.user.id,
      location: { lat: 6.5245 },
    });
    const stop = await ada.socket.request('chat.location.share.stop', {
      recipientId: bola.user.id,
      fromUserId: bola.user.id,
    });
    expect(stop.payload).toEqual({ status: 'sent', fromUserId: ada.user.id, recipientId: bola.user.id });
    expect((await bola.socket.next('chat.location.share.stop')).payload).toEqual({
      fromUserId: ada.user.id,
      recipientId: bola.user.id,
    });

    const answer = await chat(bola, ada, 'and a reply');
    expect(
      (
        await ada.socket.next<Message>(
          ServerEvent.ChatMessageCreated,
          (p) => p.messageId === answer.messageId,
        )
      ).payload,
    ).toEqual(answer);

    const history = await ada.socket.request<ChatHistoryPayload>('chat.history.fetch', {});
    expect(history.payload.messages.map((m) => m.messageId)).toEqual([answer.messageId, message.messageId]);
    expect(history.payload.conversations).toEqual({
      [bola.user.id]: { lastMessage: answer, unreadCount: 1 },
    });
    expect(history.payload.unreadMessageCount).toEqual({ [bola.user.id]: 1 });
    expect(history.payload.totalUnreadMessageCount).toBe(1);
    const page = await ada.socket.request<ChatHistoryPageResultPayload>('chat.history.page', {
      otherUserId: bola.user.id,
      limit: 1,
    });
    expect(page.payload.messages.map((m) => m.messageId)).toEqual([answer.messageId]);
    const older = await ada.socket.request<ChatHistoryPageResultPayload>('chat.history.page', {
      otherUserId: bola.user.id,
      limit: 1,
      before: page.payload.nextCursor,
    });
    expect(older.payload.messages.map((m) => m.messageId)).toEqual([message.messageId]);
  });

  it('refuses a third client where it must', async () => {
    const location = { lat: 6.5, lng: 3.4 };
    const share = await carol.socket.request<ErrorPayload>('chat.location.share.start', {
      recipientId: bola.user.id,
      location,
    });
    expect(share).toMatchObject({
      type: 'error',
      payload: { code: ErrorCode.active_connection_required, domain: 'chat' },
    });
    const theirs = await chat(ada, bola, 'private');
    const read = await carol.socket.request<ErrorPayload>('chat.message.read', {
      messageId: theirs.messageId,
    });
    expect(read.payload).toMatchObject({ code: ErrorCode.not_allowed, requestId: read.requestId });
    const peek = await carol.socket.request<ChatHistoryPageResultPayload>('chat.history.page', {
      otherUserId: bola.user.id,
    });
    expect(peek.payload.messages).toEqual([]);
    const self = await carol.socket.request<ErrorPayload>('chat.message.created', {
      recipientId: carol.user.id,
      content: 'me',
    });
    expect(self.payload.code).toBe(ErrorCode.cannot_target_self);
    const blank = await carol.socket.request<ErrorPayload>('chat.message.created', {
      recipientId: bola.user.id,
      content: '  ',
    });
    expect(blank.payload.code).toBe(ErrorCode.invalid_content);

    // first contact from the radar: a few messages, then wait for a reply
    for (let i = 0; i < 3; i++) await chat(carol, bola, `hi from the radar ${i}`);
    const more = await carol.socket.request<ErrorPayload>('chat.message.created', {
      recipientId: bola.user.id,
      content: 'hello??',
    });
    expect(more.payload.code).toBe(ErrorCode.first_contact_limit);

    // once Bola blocks Carol, she can neither write nor type to him
    const block = await bola.socket.request('safety.block', { blockedUserId: carol.user.id });
    expect(block.type).toBe('safety.block');
    const typing = await eventually(
      () => carol.socket.request<ErrorPayload>('chat.typing', { recipientId: bola.user.id, isTyping: true }),
      (reply) => reply.type === 'error',
    );
    expect(typing.payload.code).toBe(ErrorCode.blocked);
    const blocked = await bola.socket.request<ErrorPayload>('chat.message.created', {
      recipientId: carol.user.id,
      content: 'bye',
    });
    expect(blocked.payload.code).toBe(ErrorCode.blocked);
  });

  it('replays exactly the missed incoming messages to a reconnecting client', async () => {
    const seen = bola.socket.received
      .filter(
        (e) =>
          e.type === ServerEvent.ChatMessageCreated &&
          (e.payload as unknown as Message).recipientId === bola.user.id,
      )
      .map((e) => (e.payload as unknown as Message).createdAt)
      .sort();
    const lastSeenAt = seen.at(-1)!;
    await bola.socket.close();
    const missed = [
      await chat(ada, bola, 'missed 1'),
      await chat(ada, bola, 'missed 2'),
      await chat(ada, bola, 'missed 3'),
    ];
    await chat(ada, carol, 'not for Bola');

    const socket = await stack.connectSocket(bola.accessToken);
    bola = { ...bola, socket };
    socket.send('session.start', { lastSeenAt }, { requestId: 'req_resume' });
    await socket.next(ServerEvent.SessionConnected);
    const bootstrap = await socket.next<BootstrapPayload>(ServerEvent.SessionBootstrap);
    expect(bootstrap.payload.unreadMessageCount[ada.user.id]).toBeGreaterThanOrEqual(3);
    expect(bootstrap.payload.conversations[ada.user.id]?.lastMessage).toEqual(missed[2]);
    const replayed = [];
    for (let i = 0; i < missed.length; i++) replayed.push(await socket.next<Message>(ServerEvent.ChatMessageCreated));
    expect(replayed.map((event) => event.payload)).toEqual(missed);
    // Part of session.start's response: the client's ids are echoed.
    expect(replayed.map((event) => event.requestId)).toEqual(['req_resume', 'req_resume', 'req_resume']);
    await socket.expectNone(ServerEvent.ChatMessageCreated, 500);
    const types = socket.received.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual([ServerEvent.SessionConnected, ServerEvent.SessionBootstrap]);
  });

  it('pushes to an offline recipient and not to an online one', async () => {
    const dave = await stack.signIn('chat-dave', 'Dave');
    for (const user of [dave, bola]) {
      const registered = await stack.http('POST', '/devices/register', {
        token: user.accessToken,
        body: { token: `fcm_${user.user.id}`, platform: 'android' },
      });
      expect(registered.status).toBe(200);
    }
    const offline = await chat(ada, dave, 'Dave, are you there?');
    const online = await chat(ada, bola, 'Bola is here');
    await bola.socket.next<Message>(ServerEvent.ChatMessageCreated, (p) => p.messageId === online.messageId);

    const deadline = Date.now() + 10_000;
    let pushes = await pushesFor(dave.user.id);
    while (pushes.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      pushes = await pushesFor(dave.user.id);
    }
    expect(pushes).toEqual([
      {
        title: 'Ada',
        body: 'Dave, are you there?',
        data: {
          type: 'chat.message.created',
          messageId: offline.messageId,
          senderId: ada.user.id,
          recipientId: dave.user.id,
        },
        collapse_key: `chat:${ada.user.id}`,
      },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const bolaPushes = await pushesFor(bola.user.id);
    expect(bolaPushes.filter((push) => push.data?.['messageId'] === online.messageId)).toEqual([]);
  });
});
