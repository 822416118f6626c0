import type {
  BootstrapPayload,
  ConnectionClosedPayload,
  ConnectionHistoryPayload,
  ConnectionRequest,
  ConnectionRequestAcceptedPayload,
  ConnectionRequestMissedPayload,
  ConnectionRequestRejectedPayload,
  ConnectionRequestSentPayload,
  ConnectionRingRelayPayload,
  ErrorPayload,
  SafetyReport,
} from '@gisbi/contracts';
import { startStack, type SignedInUser, type Stack, type TestSocket } from '@gisbi/testing';

type Connected = SignedInUser & { socket: TestSocket };

const REQUEST_KEYS = [
  'id', 'requestId', 'fromUserId', 'toUserId', 'senderId', 'receiverId', 'user', 'userId', 'name', 'age', 'avatar',
  'snippet', 'direction', 'status', 'legacyStatus', 'closureReason', 'createdAt', 'resolvedAt', 'expiresAt',
].sort();
const CONNECTION_KEYS = [
  'connectionId', 'user', 'isOnline', 'accumulatedMinutes', 'nextMilestoneMinutes', 'direction', 'type', 'status',
  'legacyStatus', 'senderId', 'receiverId', 'name', 'age', 'avatar', 'snippet', 'closureReason', 'closedByUserId',
  'connectedLocation', 'createdAt', 'resolvedAt', 'closedAt',
].sort();
const USER_KEYS = ['id', 'name', 'age', 'avatar', 'gender', 'vibe', 'vibeExpiresAt'].sort();

/** Issue 4 end to end: three real clients through gateway, auth, presence and connections. */
describe('connections, end to end', () => {
  let stack: Stack;
  let ada: Connected;
  let bola: Connected;
  let carol: Connected;

  beforeAll(async () => {
    stack = await startStack({ label: 'connections', env: { CONNECTION_REQUEST_TTL_SECONDS: '2', JOB_POLL_INTERVAL_MS: '200' } });
    [ada, bola, carol] = await Promise.all([
      stack.connectedUser('conn-ada', 'Ada'),
      stack.connectedUser('conn-bola', 'Bola'),
      stack.connectedUser('conn-carol', 'Carol'),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([ada, bola, carol].map((user) => user?.socket.close()));
    await stack?.stop();
  });

  async function send(from: Connected, to: Connected): Promise<ConnectionRequest> {
    const reply = await from.socket.request<ConnectionRequestSentPayload>('connection.request.send', { userId: to.user.id });
    expect(reply.type).toBe('connection.request.send');
    await to.socket.next<ConnectionRequestSentPayload>('connection.request.send', (p) => p.request.requestId === reply.payload.request.requestId);
    return reply.payload.request;
  }

  async function fails(from: Connected, type: string, payload: unknown): Promise<ErrorPayload> {
    const reply = await from.socket.request<ErrorPayload>(type, payload);
    expect(reply.type).toBe('error');
    return reply.payload;
  }

  it('sends a request both users see from their own side, and only the recipient may accept it', async () => {
    const located = await Promise.all([
      ada.socket.request('presence.location_update', { lat: 6.5244, lng: 3.3792, accuracyMeters: 5 }),
      bola.socket.request('presence.location_update', { lat: 6.5246, lng: 3.3796, accuracyMeters: 5 }),
    ]);
    for (const update of located) expect(update).toMatchObject({ type: 'presence.updated', payload: { presence: { isLive: true } } });
    const reply = await ada.socket.request<ConnectionRequestSentPayload>('connection.request.send', { userId: bola.user.id });
    const outgoing = reply.payload.request;
    expect(Object.keys(outgoing).sort()).toEqual(REQUEST_KEYS);
    expect(Object.keys(outgoing.user).sort()).toEqual(USER_KEYS);
    expect(outgoing).toMatchObject({ direction: 'outgoing', status: 'pending', legacyStatus: 'pending', fromUserId: ada.user.id, toUserId: bola.user.id, userId: bola.user.id, name: 'Bola' });
    expect(Date.parse(outgoing.expiresAt ?? '') - Date.parse(outgoing.createdAt)).toBe(2000);
    const incoming = await bola.socket.next<ConnectionRequestSentPayload>('connection.request.send');
    expect(incoming.payload.request).toMatchObject({ requestId: outgoing.requestId, direction: 'incoming', userId: ada.user.id, name: 'Ada' });

    expect((await fails(carol, 'connection.request.accept', { requestId: outgoing.requestId })).code).toBe('not_allowed');
    expect((await fails(ada, 'connection.request.accept', { requestId: outgoing.requestId })).code).toBe('not_allowed');

    const accepted = await bola.socket.request<ConnectionRequestAcceptedPayload>('connection.request.accept', { requestId: outgoing.requestId });
    expect(accepted.type).toBe('connection.request.accept');
    expect(accepted.payload).toMatchObject({ requestId: outgoing.requestId, fromUserId: ada.user.id, toUserId: bola.user.id, direction: 'incoming' });
    expect(Object.keys(accepted.payload.connection).sort()).toEqual(CONNECTION_KEYS);
    expect(accepted.payload.connection).toMatchObject({ status: 'active', type: 'connection', user: { id: ada.user.id }, isOnline: true, closedAt: null });
    expect(accepted.payload.connection.connectedLocation).toEqual({ lat: expect.closeTo(6.5245, 4), lng: expect.closeTo(3.3794, 4) });
    const toAda = await ada.socket.next<ConnectionRequestAcceptedPayload>('connection.request.accept');
    expect(toAda.payload).toMatchObject({ direction: 'outgoing', connection: { connectionId: accepted.payload.connection.connectionId, user: { id: bola.user.id } } });

    const history = await ada.socket.request<ConnectionHistoryPayload>('connection.history.fetch', {});
    expect(history.payload.activeConnections.map((c) => c.user.id)).toEqual([bola.user.id]);
    expect(history.payload.activeConnections[0]).toMatchObject({ isOnline: true, accumulatedMinutes: 0, nextMilestoneMinutes: 5, status: 'accepted' });
  });

  it('rejects: both users get it, the request says declined', async () => {
    const request = await send(carol, bola);
    const reply = await bola.socket.request<ConnectionRequestRejectedPayload>('connection.request.reject', { requestId: request.requestId });
    expect(reply.payload).toMatchObject({ requestId: request.requestId, status: 'rejected', direction: 'incoming', request: { status: 'declined', legacyStatus: 'rejected' } });
    const toCarol = await carol.socket.next<ConnectionRequestRejectedPayload>('connection.request.reject');
    expect(toCarol.payload).toMatchObject({ direction: 'outgoing', status: 'rejected' });
  });

  it('misses a request nobody answers within the TTL, once for each user', async () => {
    const request = await send(carol, ada);
    const [toCarol, toAda] = await Promise.all([
      carol.socket.next<ConnectionRequestMissedPayload>('connection.request.missed', (p) => p.requestId === request.requestId, 6000),
      ada.socket.next<ConnectionRequestMissedPayload>('connection.request.missed', (p) => p.requestId === request.requestId, 6000),
    ]);
    expect(toCarol.payload).toMatchObject({ status: 'missed', direction: 'outgoing', resolvedAt: request.expiresAt, request: { status: 'missed', expiresAt: null } });
    expect(toAda.payload).toMatchObject({ direction: 'incoming' });
    await ada.socket.expectNone('connection.request.missed', 600, (p) => p['requestId'] === request.requestId);
    expect((await fails(ada, 'connection.request.accept', { requestId: request.requestId })).code).toBe('request_expired');
  });

  it('rings: the recipient sees who, the sender gets sent, and rings are rate limited per pair', async () => {
    const reply = await carol.socket.request<ConnectionRingRelayPayload>('connection.ring', { userId: ada.user.id });
    expect(reply.payload).toMatchObject({ status: 'sent', fromUserId: carol.user.id, recipientId: ada.user.id, fromUser: { id: carol.user.id, name: 'Carol' } });
    const ring = await ada.socket.next<ConnectionRingRelayPayload>('connection.ring');
    expect(ring.payload).toEqual({ fromUserId: carol.user.id, recipientId: ada.user.id, fromUser: reply.payload.fromUser });
    expect((await fails(carol, 'connection.ring', { userId: ada.user.id })).code).toBe('rate_limited');
  });

  it('closes a connection for both participants only', async () => {
    const history = await ada.socket.request<ConnectionHistoryPayload>('connection.history.fetch', {});
    const connectionId = history.payload.activeConnections[0]?.connectionId ?? '';
    expect((await fails(carol, 'connection.close', { connectionId })).code).toBe('not_allowed');
    const reply = await ada.socket.request<ConnectionClosedPayload>('connection.close', { connectionId, closureReason: 'user_left' });
    const expected = { connectionId, type: 'connection', status: 'closed', closedByUserId: ada.user.id, closureReason: 'user_left', recipientId: bola.user.id };
    expect(reply.payload).toMatchObject(expected);
    expect((await bola.socket.next<ConnectionClosedPayload>('connection.close')).payload).toMatchObject(expected);
  });

  it('blocks: the connection closes, the pair can no longer reach each other, reports stay private', async () => {
    const request = await send(ada, bola);
    await bola.socket.request('connection.request.accept', { requestId: request.requestId });
    await ada.socket.next('connection.request.accept', (p) => p['requestId'] === request.requestId);

    const reply = await bola.socket.request('safety.block', { blockedUserId: ada.user.id });
    expect(reply).toMatchObject({ type: 'connection.close', payload: { closureReason: 'blocked', closedByUserId: bola.user.id } });
    expect((await bola.socket.next('safety.block')).payload).toEqual({ blockedUserId: ada.user.id });
    expect((await ada.socket.next<ConnectionClosedPayload>('connection.close', (p) => p.closureReason === 'blocked')).payload.recipientId).toBe(ada.user.id);
    expect((await fails(ada, 'connection.request.send', { userId: bola.user.id })).code).toBe('blocked');
    expect((await fails(bola, 'connection.ring', { userId: ada.user.id })).code).toBe('blocked');

    const report = await bola.socket.request<SafetyReport>('safety.report', { reportedUserId: ada.user.id, reason: 'Harassment' });
    expect(report.payload).toMatchObject({ reportId: expect.stringMatching(/^sr_/), reportedUserId: ada.user.id, status: 'open' });

    const bolaState = await startSession(bola);
    expect(bolaState.blockedUserIds).toEqual([ada.user.id]);
    expect(bolaState.safetyReports).toEqual([report.payload]);
    expect(bolaState.closedConnections[0]).toMatchObject({ user: { id: ada.user.id }, status: 'closed', closureReason: 'blocked' });
    const adaState = await startSession(ada);
    expect(adaState).toMatchObject({ blockedUserIds: [], safetyReports: [] });
    // Pending first (none left), then history by resolvedAt descending.
    const resolved = adaState.requests.map((r) => Date.parse(r.resolvedAt ?? ''));
    expect(resolved).toEqual([...resolved].sort((x, y) => y - x));
    expect(adaState.incomingRequests).toEqual([]);
  });

  async function startSession(user: Connected): Promise<BootstrapPayload> {
    const requestId = `boot_${user.user.id}_${Date.now()}`;
    user.socket.send('session.start', {}, { requestId });
    const bootstrap = await user.socket.next<BootstrapPayload>('session.bootstrap', (_p, envelope) => envelope.requestId === requestId);
    return bootstrap.payload;
  }
});
