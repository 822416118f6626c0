import type {
  ActiveBetweenResponse,
  BlocksOfResponse,
  BootstrapPart,
  ConnectionClosedPayload,
  ConnectionGetResponse,
  ConnectionHistoryPayload,
  ConnectionRequest,
  ConnectionRequestAcceptedPayload,
  ConnectionRequestSentPayload,
  SafetyReport,
} from '@gisbi/contracts';
import { RpcMethod } from '@gisbi/contracts';
import { EventOutbox } from '@gisbi/platform';
import { RequestExpiryJob } from './requests/request-expiry.job';
import { RequestsService } from './requests/requests.service';
import { ConnectionsHarness } from './test-support/connections-harness';

const TTL_MS = 600_000;

describe(RequestsService.name, () => {
  let sut: ConnectionsHarness;

  beforeAll(async () => {
    // The expiry job is driven by hand (after moving the clock), never by its timer.
    sut = await ConnectionsHarness.start({ env: { JOB_POLL_INTERVAL_MS: '3600000', PEER_RPC_TIMEOUT_MS: '300' } });
  });

  afterAll(async () => {
    await sut.close();
  });

  afterEach(async () => {
    // Every test leaves nothing due behind for the next one.
    sut.clock.advance(TTL_MS + 1);
    await sut.get(RequestExpiryJob).expireDue();
    sut.delivered.length = 0;
  });

  const pair = () => [sut.addUser('Ada'), sut.addUser('Bola')] as const;

  async function send(fromId: string, toId: string): Promise<ConnectionRequest> {
    const [event] = await sut.ok('connection.request.send', { userId: toId }, fromId);
    return (event?.payload as ConnectionRequestSentPayload).request;
  }

  async function connect(fromId: string, toId: string): Promise<ConnectionRequestAcceptedPayload> {
    const request = await send(fromId, toId);
    const [event] = await sut.ok('connection.request.accept', { requestId: request.requestId }, toId);
    return event?.payload as ConnectionRequestAcceptedPayload;
  }

  describe('connection.request.send', () => {
    it('gives the sender (outgoing) and the recipient (incoming) the full request, pending until expiry', async () => {
      const [ada, bola] = pair();
      const reply = await sut.ok('connection.request.send', { userId: bola.id }, ada.id);

      expect(reply.map((event) => event.type)).toEqual(['connection.request.send']);
      const mine = (reply[0]?.payload as ConnectionRequestSentPayload).request;
      expect(mine).toEqual({
        id: mine.requestId,
        requestId: expect.stringMatching(/^req_[0-9A-Z]{26}$/),
        fromUserId: ada.id,
        toUserId: bola.id,
        senderId: ada.id,
        receiverId: bola.id,
        user: { id: bola.id, name: 'Bola', age: 30, avatar: bola.avatar, gender: null, vibe: bola.vibe, vibeExpiresAt: null },
        userId: bola.id,
        name: 'Bola',
        age: 30,
        avatar: bola.avatar,
        snippet: 'Waiting for a reply',
        direction: 'outgoing',
        status: 'pending',
        legacyStatus: 'pending',
        closureReason: null,
        createdAt: sut.clock.nowIso(),
        resolvedAt: null,
        expiresAt: new Date(sut.clock.nowMs() + TTL_MS).toISOString(),
      });
      const theirs = await sut.waitFor(bola.id, 'connection.request.send');
      expect(theirs.payload.request).toMatchObject({
        requestId: mine.requestId,
        user: { id: ada.id, name: 'Ada' },
        userId: ada.id,
        name: 'Ada',
        direction: 'incoming',
        snippet: 'Wants to connect with you',
        expiresAt: mine.expiresAt,
      });
      // The sender's other devices get the sender's version, the originating socket gets it only as the reply.
      const toSender = await sut.waitFor(ada.id, 'connection.request.send');
      expect(toSender.exceptSocketId).toBe(sut.socketOf(ada.id));
      expect(toSender.payload.request).toEqual(mine);
      expect(theirs.exceptSocketId).toBeUndefined();
    });

    it('refuses a missing userId, oneself, unknown and deleted users', async () => {
      const [ada] = pair();
      const gone = sut.addUser('Gone', { deleted: true });
      expect((await sut.fails('connection.request.send', {}, ada.id)).code).toBe('missing_userId');
      expect((await sut.fails('connection.request.send', { userId: ada.id }, ada.id)).code).toBe('cannot_target_self');
      expect((await sut.fails('connection.request.send', { userId: 'user_nobody' }, ada.id)).code).toBe('user_not_found');
      expect((await sut.fails('connection.request.send', { userId: gone.id }, ada.id)).code).toBe('user_not_found');
      const error = await sut.fails('connection.request.send', { userId: 'user_nobody' }, ada.id);
      expect(error).toMatchObject({ domain: 'connections', status: 404 });
      // A deleted account whose socket lingers cannot send either.
      expect((await sut.fails('connection.request.send', { userId: ada.id }, gone.id)).code).toBe('account_deleted');
    });

    it('refuses a pair that is already connected', async () => {
      const [ada, bola] = pair();
      await connect(ada.id, bola.id);
      expect((await sut.fails('connection.request.send', { userId: bola.id }, ada.id)).code).toBe('active_connection_exists');
      expect((await sut.fails('connection.request.send', { userId: ada.id }, bola.id)).code).toBe('active_connection_exists');
    });

    it('answers a repeated send with the same pending request and notifies nobody again', async () => {
      const [ada, bola] = pair();
      const first = await send(ada.id, bola.id);
      sut.clock.advanceSeconds(5);
      const again = await send(ada.id, bola.id);
      expect(again).toEqual(first);
      await sut.settle();
      expect(sut.deliveriesTo(bola.id, 'connection.request.send')).toHaveLength(1);
    });

    it('refuses a request back while the other one is pending (duplicate_request)', async () => {
      const [ada, bola] = pair();
      await send(ada.id, bola.id);
      const error = await sut.fails('connection.request.send', { userId: ada.id }, bola.id);
      expect(error).toMatchObject({ code: 'duplicate_request', status: 409 });
    });

    it('creates exactly one request when the same send arrives many times at once', async () => {
      const [ada, bola] = pair();
      const replies = await Promise.all(Array.from({ length: 8 }, () => send(ada.id, bola.id)));
      expect(new Set(replies.map((request) => request.requestId)).size).toBe(1);
      await sut.settle();
      expect(sut.deliveriesTo(bola.id, 'connection.request.send')).toHaveLength(1);
    });

    it('first announces an older request that timed out unnoticed as missed, then the new one', async () => {
      const [ada, bola] = pair();
      const old = await send(ada.id, bola.id);
      sut.clock.advance(TTL_MS);
      const reply = await sut.ok('connection.request.send', { userId: bola.id }, ada.id);

      expect(reply.map((event) => event.type)).toEqual(['connection.request.missed', 'connection.request.send']);
      expect(reply[0]?.payload).toMatchObject({ requestId: old.requestId, status: 'missed', direction: 'outgoing', resolvedAt: old.expiresAt });
      await sut.waitFor(bola.id, 'connection.request.send', (p) => p.request.requestId !== old.requestId);
      const toBola = sut.delivered.filter((d) => d.userId === bola.id).map((d) => d.type);
      expect(toBola).toEqual(['connection.request.send', 'connection.request.missed', 'connection.request.send']);
      // ...and the job finds nothing more to announce.
      expect(await sut.get(RequestExpiryJob).expireDue()).toBe(0);
    });
  });

  describe('expiry', () => {
    it('marks a request missed at the exact instant it expires, once, for both users', async () => {
      const [ada, bola] = pair();
      const request = await send(ada.id, bola.id);
      const job = sut.get(RequestExpiryJob);

      sut.clock.set(new Date(Date.parse(request.expiresAt ?? '') - 1));
      expect(await job.expireDue()).toBe(0);
      await sut.settle();
      expect(sut.deliveriesTo(bola.id, 'connection.request.missed')).toHaveLength(0);

      sut.clock.set(request.expiresAt ?? '');
      expect(await job.expireDue()).toBe(1);
      expect(await job.expireDue()).toBe(0);
      const toBola = await sut.waitFor(bola.id, 'connection.request.missed');
      const toAda = await sut.waitFor(ada.id, 'connection.request.missed');
      expect(toBola.payload).toMatchObject({
        requestId: request.requestId,
        fromUserId: ada.id,
        toUserId: bola.id,
        direction: 'incoming',
        status: 'missed',
        resolvedAt: request.expiresAt,
        request: { status: 'missed', legacyStatus: 'missed', expiresAt: null, resolvedAt: request.expiresAt, user: { id: ada.id } },
      });
      expect(toAda.payload).toMatchObject({ direction: 'outgoing', request: { user: { id: bola.id } } });
      await sut.settle();
      expect(sut.deliveriesTo(bola.id, 'connection.request.missed')).toHaveLength(1);
      expect(sut.deliveriesTo(ada.id, 'connection.request.missed')).toHaveLength(1);
    });

    it('lets the recipient accept a millisecond before expiry', async () => {
      const [ada, bola] = pair();
      const request = await send(ada.id, bola.id);
      sut.clock.set(new Date(Date.parse(request.expiresAt ?? '') - 1));
      const [accepted] = await sut.ok('connection.request.accept', { requestId: request.requestId }, bola.id);
      expect(accepted?.type).toBe('connection.request.accept');
    });

    it('answers an accept after expiry with request_expired and announces the miss once', async () => {
      const [ada, bola] = pair();
      const request = await send(ada.id, bola.id);
      sut.clock.set(request.expiresAt ?? '');

      const error = await sut.fails('connection.request.accept', { requestId: request.requestId }, bola.id);
      expect(error).toMatchObject({ code: 'request_expired', status: 410 });
      const missed = await sut.waitFor(bola.id, 'connection.request.missed');
      // Every socket of the recipient gets it, including the one whose command failed.
      expect(missed.exceptSocketId).toBeUndefined();
      await sut.waitFor(ada.id, 'connection.request.missed');

      expect((await sut.fails('connection.request.accept', { requestId: request.requestId }, bola.id)).code).toBe('request_expired');
      expect((await sut.fails('connection.request.reject', { requestId: request.requestId }, bola.id)).code).toBe('request_expired');
      expect(await sut.get(RequestExpiryJob).expireDue()).toBe(0);
      await sut.settle();
      expect(sut.deliveriesTo(bola.id, 'connection.request.missed')).toHaveLength(1);
      expect(sut.deliveriesTo(ada.id, 'connection.request.missed')).toHaveLength(1);
    });

    it('has exactly one winner when an accept races the expiry job at the instant of expiry', async () => {
      const users = Array.from({ length: 6 }, (_, index) => sut.addUser(`Racer${index}`));
      const requests: ConnectionRequest[] = [];
      for (let index = 0; index < users.length; index += 2) requests.push(await send(users[index]!.id, users[index + 1]!.id));
      sut.clock.set(requests[requests.length - 1]?.expiresAt ?? '');

      const job = sut.get(RequestExpiryJob);
      const outcomes = await Promise.all([
        ...requests.map((request) => sut.command('connection.request.accept', { requestId: request.requestId }, request.toUserId)),
        job.expireDue(),
        job.expireDue(),
      ]);
      for (const outcome of outcomes.slice(0, requests.length)) {
        expect(outcome).toMatchObject({ ok: false, error: { code: 'request_expired' } });
      }
      await sut.settle(300);
      for (const user of users) expect(sut.deliveriesTo(user.id, 'connection.request.missed')).toHaveLength(1);
      const active = await sut.rpc<ActiveBetweenResponse>(RpcMethod.connections.activeBetween, { userAId: users[0]!.id, userBId: users[1]!.id });
      expect(active.connection).toBeNull();
    });
  });

  describe('connection.request.accept', () => {
    it('connects the pair and gives both users the contract payload, each from their side', async () => {
      const [ada, bola] = pair();
      sut.live.set(ada.id, { lat: 6.5244, lng: 3.3792, updatedAt: sut.clock.nowIso() });
      sut.live.set(bola.id, { lat: 6.5246, lng: 3.3796, updatedAt: sut.clock.nowIso() });
      const request = await send(ada.id, bola.id);
      sut.clock.advanceSeconds(30);
      const reply = await sut.ok('connection.request.accept', { requestId: request.requestId }, bola.id);

      const mine = reply[0]?.payload as ConnectionRequestAcceptedPayload;
      expect(reply.map((event) => event.type)).toEqual(['connection.request.accept']);
      expect(mine).toMatchObject({
        requestId: request.requestId,
        fromUserId: ada.id,
        toUserId: bola.id,
        direction: 'incoming',
        resolvedAt: sut.clock.nowIso(),
        request: { status: 'accepted', legacyStatus: 'accepted', expiresAt: null, resolvedAt: sut.clock.nowIso(), user: { id: ada.id } },
      });
      expect(mine.connection).toEqual({
        connectionId: expect.stringMatching(/^conn_/),
        user: expect.objectContaining({ id: ada.id, name: 'Ada' }),
        isOnline: true,
        accumulatedMinutes: 0,
        nextMilestoneMinutes: 5,
        direction: 'incoming',
        type: 'connection',
        status: 'active',
        legacyStatus: 'active',
        senderId: ada.id,
        receiverId: bola.id,
        name: 'Ada',
        age: 30,
        avatar: ada.avatar,
        snippet: ada.vibe,
        closureReason: null,
        closedByUserId: null,
        connectedLocation: { lat: 6.5245, lng: 3.3794 },
        createdAt: sut.clock.nowIso(),
        resolvedAt: sut.clock.nowIso(),
        closedAt: null,
      });
      const toAda = await sut.waitFor(ada.id, 'connection.request.accept');
      expect(toAda.payload).toMatchObject({ direction: 'outgoing', request: { direction: 'outgoing', user: { id: bola.id } } });
      expect(toAda.payload.connection).toMatchObject({ connectionId: mine.connection.connectionId, user: { id: bola.id }, direction: 'outgoing' });
      const echo = await sut.waitFor(bola.id, 'connection.request.accept');
      expect(echo.exceptSocketId).toBe(sut.socketOf(bola.id));
      // One batched liveness call with positions for both users.
      expect(sut.calls.liveness.at(-1)).toEqual({ userIds: [ada.id, bola.id], includePositions: true });

      await sut.get(EventOutbox).flush();
      const [event] = (await sut.streamEvents('connections.connection_accepted')).filter(
        (e) => e.payload.connectionId === mine.connection.connectionId,
      );
      expect(event?.payload).toEqual({
        connectionId: mine.connection.connectionId,
        requestId: request.requestId,
        userAId: [ada.id, bola.id].sort()[0],
        userBId: [ada.id, bola.id].sort()[1],
        senderId: ada.id,
        receiverId: bola.id,
        connectedLocation: { lat: 6.5245, lng: 3.3794 },
        acceptedAt: sut.clock.nowIso(),
      });
    });

    it('stores no connection point unless both users are live', async () => {
      const [ada, bola] = pair();
      sut.live.set(ada.id, { lat: 1, lng: 1, updatedAt: sut.clock.nowIso() });
      const { connection } = await connect(ada.id, bola.id);
      expect(connection).toMatchObject({ connectedLocation: null, isOnline: true });
    });

    it('still connects, without a location, when presence does not answer', async () => {
      const [ada, bola] = pair();
      sut.live.set(ada.id, { lat: 1, lng: 1, updatedAt: sut.clock.nowIso() });
      sut.live.set(bola.id, { lat: 1, lng: 1, updatedAt: sut.clock.nowIso() });
      await sut.stopPresence();
      try {
        const { connection } = await connect(ada.id, bola.id);
        expect(connection).toMatchObject({ connectedLocation: null, isOnline: false, status: 'active' });
      } finally {
        sut.startPresence();
        await sut.nc.flush();
      }
    });

    it('lets only the recipient answer, and only once', async () => {
      const [ada, bola] = pair();
      const carol = sut.addUser('Carol');
      const request = await send(ada.id, bola.id);
      expect((await sut.fails('connection.request.accept', {}, bola.id)).code).toBe('missing_requestId');
      expect((await sut.fails('connection.request.accept', { requestId: 'req_unknown' }, bola.id)).code).toBe('not_found');
      for (const type of ['connection.request.accept', 'connection.request.reject'] as const) {
        expect(await sut.fails(type, { requestId: request.requestId }, ada.id)).toMatchObject({ code: 'not_allowed', status: 403 });
        expect((await sut.fails(type, { requestId: request.requestId }, carol.id)).code).toBe('not_allowed');
      }
      await sut.ok('connection.request.accept', { requestId: request.requestId }, bola.id);
      expect(await sut.fails('connection.request.accept', { requestId: request.requestId }, bola.id)).toMatchObject({
        code: 'request_not_pending',
        status: 409,
      });
      expect((await sut.fails('connection.request.reject', { requestId: request.requestId }, bola.id)).code).toBe('request_not_pending');
      await sut.settle();
      expect(sut.delivered.filter((d) => d.userId === carol.id)).toEqual([]);
    });
  });

  describe('connection.request.reject', () => {
    it('tells both users: the request is declined (legacy rejected), the event says rejected', async () => {
      const [ada, bola] = pair();
      const request = await send(ada.id, bola.id);
      const reply = await sut.ok('connection.request.reject', { requestId: request.requestId }, bola.id);
      expect(reply[0]).toMatchObject({
        type: 'connection.request.reject',
        payload: {
          requestId: request.requestId,
          fromUserId: ada.id,
          toUserId: bola.id,
          direction: 'incoming',
          status: 'rejected',
          resolvedAt: sut.clock.nowIso(),
          request: { status: 'declined', legacyStatus: 'rejected', expiresAt: null, snippet: 'You declined this request' },
        },
      });
      const toAda = await sut.waitFor(ada.id, 'connection.request.reject');
      expect(toAda.payload).toMatchObject({ direction: 'outgoing', status: 'rejected', request: { status: 'declined', user: { id: bola.id } } });
      // A new request after a decline is allowed.
      await send(ada.id, bola.id);
    });
  });

  describe('connection.close and connection.history.fetch', () => {
    it('closes for both participants, announces it, and answers a repeated close with the same closure', async () => {
      const [ada, bola] = pair();
      const { connection } = await connect(ada.id, bola.id);
      sut.clock.advanceSeconds(60);
      const reply = await sut.ok('connection.close', { connectionId: connection.connectionId, closureReason: 'user_left' }, ada.id);
      const expected: ConnectionClosedPayload = {
        connectionId: connection.connectionId,
        type: 'connection',
        status: 'closed',
        closedByUserId: ada.id,
        closureReason: 'user_left',
        closedAt: sut.clock.nowIso(),
        recipientId: bola.id,
      };
      expect(reply).toEqual([{ type: 'connection.close', payload: expected }]);
      expect((await sut.waitFor(bola.id, 'connection.close')).payload).toEqual(expected);

      sut.clock.advanceSeconds(5);
      expect(await sut.ok('connection.close', { connectionId: connection.connectionId }, bola.id)).toEqual([{ type: 'connection.close', payload: expected }]);
      await sut.get(EventOutbox).flush();
      const events = (await sut.streamEvents('connections.connection_closed')).filter((e) => e.payload.connectionId === connection.connectionId);
      expect(events.map((e) => e.payload)).toEqual([
        {
          connectionId: connection.connectionId,
          userAId: [ada.id, bola.id].sort()[0],
          userBId: [ada.id, bola.id].sort()[1],
          closedByUserId: ada.id,
          closureReason: 'user_left',
          closedAt: expected.closedAt,
        },
      ]);
      await sut.settle();
      expect(sut.deliveriesTo(bola.id, 'connection.close')).toHaveLength(1);

      // Ada is online, but a closed connection no longer tells Bola so.
      sut.live.set(ada.id, null);
      const [history] = await sut.ok('connection.history.fetch', {}, bola.id);
      sut.live.delete(ada.id);
      const lists = history?.payload as ConnectionHistoryPayload;
      expect(lists.activeConnections).toEqual([]);
      expect(lists.closedConnections).toEqual([
        expect.objectContaining({
          connectionId: connection.connectionId,
          status: 'closed',
          legacyStatus: 'closed',
          closedByUserId: ada.id,
          closureReason: 'user_left',
          closedAt: expected.closedAt,
          direction: 'incoming',
          isOnline: false,
          accumulatedMinutes: 0,
          nextMilestoneMinutes: null,
        }),
      ]);
      // The pair may connect again.
      await send(ada.id, bola.id);
    });

    it('lets only participants close', async () => {
      const [ada, bola] = pair();
      const carol = sut.addUser('Carol');
      const { connection } = await connect(ada.id, bola.id);
      expect((await sut.fails('connection.close', {}, ada.id)).code).toBe('missing_connectionId');
      expect(await sut.fails('connection.close', { connectionId: 'conn_unknown' }, ada.id)).toMatchObject({ code: 'connection_not_found', status: 404 });
      expect(await sut.fails('connection.close', { connectionId: connection.connectionId }, carol.id)).toMatchObject({ code: 'not_allowed', status: 403 });
      const [history] = await sut.ok('connection.history.fetch', {}, carol.id);
      expect(history?.payload).toEqual({ activeConnections: [], closedConnections: [] });
      const get = await sut.rpc<ConnectionGetResponse>(RpcMethod.connections.connectionGet, { connectionId: connection.connectionId, viewerId: carol.id });
      expect(get.connection).toBeNull();
    });

    it('lists connections with liveness and together-time, one batched call per service', async () => {
      const [ada, bola] = pair();
      const carol = sut.addUser('Carol', { vibe: null });
      const withBola = (await connect(ada.id, bola.id)).connection;
      sut.clock.advanceSeconds(1);
      const withCarol = (await connect(carol.id, ada.id)).connection;
      sut.live.set(bola.id, null);

      const before = { liveness: sut.calls.liveness.length };
      const [plain] = await sut.ok('connection.history.fetch', {}, ada.id);
      const fallback = plain?.payload as ConnectionHistoryPayload;
      expect(fallback.activeConnections.map((c) => [c.connectionId, c.isOnline, c.accumulatedMinutes, c.nextMilestoneMinutes])).toEqual([
        [withCarol.connectionId, false, 0, 5],
        [withBola.connectionId, true, 0, 5],
      ]);
      expect(fallback.activeConnections[0]).toMatchObject({ direction: 'incoming', snippet: '', user: { id: carol.id }, status: 'accepted' });
      expect(fallback.activeConnections[1]).toMatchObject({ direction: 'outgoing', snippet: bola.vibe, user: { id: bola.id } });
      expect(sut.calls.liveness.length).toBe(before.liveness + 1);

      await sut.startProximity();
      sut.proximityStats.set(withBola.connectionId, { accumulatedMinutes: 17, nextMilestoneMinutes: 30 });
      const [enriched] = await sut.ok('connection.history.fetch', {}, ada.id);
      const active = (enriched?.payload as ConnectionHistoryPayload).activeConnections;
      expect(active.map((c) => [c.accumulatedMinutes, c.nextMilestoneMinutes])).toEqual([
        [0, 5],
        [17, 30],
      ]);
      expect(sut.calls.stats.at(-1)?.connectionIds.sort()).toEqual([withBola.connectionId, withCarol.connectionId].sort());
    });
  });

  describe('connection.ring', () => {
    it('relays the ring with the sender profile and acknowledges it to the sender', async () => {
      const [ada, bola] = pair();
      const reply = await sut.ok('connection.ring', { userId: bola.id }, ada.id);
      const fromUser = { id: ada.id, name: 'Ada', age: 30, avatar: ada.avatar, gender: null, vibe: ada.vibe, vibeExpiresAt: null };
      expect(reply).toEqual([{ type: 'connection.ring', payload: { status: 'sent', fromUserId: ada.id, recipientId: bola.id, fromUser } }]);
      expect((await sut.waitFor(bola.id, 'connection.ring')).payload).toEqual({ fromUserId: ada.id, recipientId: bola.id, fromUser });
    });

    it('limits rings per sender and recipient to one per interval', async () => {
      const [ada, bola] = pair();
      await sut.ok('connection.ring', { userId: bola.id }, ada.id);
      sut.clock.advance(29_999);
      expect(await sut.fails('connection.ring', { userId: bola.id }, ada.id)).toMatchObject({ code: 'rate_limited', status: 429 });
      // Ringing back is its own direction.
      await sut.ok('connection.ring', { userId: ada.id }, bola.id);
      sut.clock.advance(1);
      await sut.ok('connection.ring', { userId: bola.id }, ada.id);
    });

    it('refuses a missing userId, oneself, unknown and deleted users', async () => {
      const [ada] = pair();
      const gone = sut.addUser('Gone', { deleted: true });
      expect((await sut.fails('connection.ring', {}, ada.id)).code).toBe('missing_userId');
      expect((await sut.fails('connection.ring', { userId: ada.id }, ada.id)).code).toBe('cannot_target_self');
      expect((await sut.fails('connection.ring', { userId: 'user_nobody' }, ada.id)).code).toBe('user_not_found');
      expect((await sut.fails('connection.ring', { userId: gone.id }, ada.id)).code).toBe('user_not_found');
    });
  });

  describe('safety', () => {
    it('files a report that only its author sees', async () => {
      const [ada, bola] = pair();
      const reply = await sut.ok('safety.report', { reportedUserId: bola.id, reason: '  Harassment ' }, ada.id);
      const report = reply[0]?.payload as SafetyReport;
      expect(report).toEqual({
        reportId: expect.stringMatching(/^sr_[0-9A-Z]{26}$/),
        reportedUserId: bola.id,
        reason: 'Harassment',
        status: 'open',
        createdAt: sut.clock.nowIso(),
      });
      const mine = await sut.rpc<BootstrapPart>(RpcMethod.all.bootstrap, { userId: ada.id });
      expect(mine.safetyReports).toEqual([report]);
      const theirs = await sut.rpc<BootstrapPart>(RpcMethod.all.bootstrap, { userId: bola.id });
      expect(theirs.safetyReports).toEqual([]);
      await sut.settle();
      expect(sut.delivered.filter((d) => d.userId === bola.id)).toEqual([]);
    });

    it('refuses reports without a target or reason, about oneself or an unknown user', async () => {
      const [ada, bola] = pair();
      expect((await sut.fails('safety.report', { reason: 'x' }, ada.id)).code).toBe('missing_reportedUserId');
      expect((await sut.fails('safety.report', { reportedUserId: bola.id }, ada.id)).code).toBe('missing_reason');
      expect((await sut.fails('safety.report', { reportedUserId: bola.id, reason: ' \n ' }, ada.id)).code).toBe('missing_reason');
      expect((await sut.fails('safety.report', { reportedUserId: ada.id, reason: 'x' }, ada.id)).code).toBe('cannot_target_self');
      expect((await sut.fails('safety.report', { reportedUserId: 'user_nobody', reason: 'x' }, ada.id)).code).toBe('user_not_found');
      // An account deleted since can still be reported (moderation may need it).
      const gone = sut.addUser('Gone', { deleted: true });
      expect(await sut.ok('safety.report', { reportedUserId: gone.id, reason: 'Scam' }, ada.id)).toEqual([
        { type: 'safety.report', payload: expect.objectContaining({ reportedUserId: gone.id, status: 'open' }) },
      ]);
    });

    it('a block closes the connection and is announced', async () => {
      const [ada, bola] = pair();
      const { connection } = await connect(ada.id, bola.id);
      sut.clock.advanceSeconds(10);
      const reply = await sut.ok('safety.block', { blockedUserId: bola.id }, ada.id);
      const closed: ConnectionClosedPayload = {
        connectionId: connection.connectionId,
        type: 'connection',
        status: 'closed',
        closedByUserId: ada.id,
        closureReason: 'blocked',
        closedAt: sut.clock.nowIso(),
        recipientId: bola.id,
      };
      expect(reply).toEqual([
        { type: 'connection.close', payload: closed },
        { type: 'safety.block', payload: { blockedUserId: bola.id } },
      ]);
      expect((await sut.waitFor(bola.id, 'connection.close')).payload).toEqual(closed);
      await sut.settle();
      expect(sut.deliveriesTo(bola.id, 'safety.block')).toEqual([]);

      await sut.get(EventOutbox).flush();
      const blocks = (await sut.streamEvents('connections.user_blocked')).filter((e) => e.payload.blockerId === ada.id);
      expect(blocks.map((e) => e.payload)).toEqual([{ blockerId: ada.id, blockedId: bola.id, at: sut.clock.nowIso() }]);
      const closes = (await sut.streamEvents('connections.connection_closed')).filter((e) => e.payload.connectionId === connection.connectionId);
      expect(closes.map((e) => e.payload)).toEqual([expect.objectContaining({ closedByUserId: null, closureReason: 'blocked' })]);

      // Blocking again changes nothing.
      expect(await sut.ok('safety.block', { blockedUserId: bola.id }, ada.id)).toEqual([{ type: 'safety.block', payload: { blockedUserId: bola.id } }]);
      await sut.get(EventOutbox).flush();
      expect((await sut.streamEvents('connections.user_blocked')).filter((e) => e.payload.blockerId === ada.id)).toHaveLength(1);
    });

    it('a block declines the pending request and from then on the pair can neither request nor ring', async () => {
      const [ada, bola] = pair();
      const request = await send(bola.id, ada.id);
      const reply = await sut.ok('safety.block', { blockedUserId: bola.id }, ada.id);
      expect(reply.map((event) => event.type)).toEqual(['connection.request.reject', 'safety.block']);
      expect(reply[0]?.payload).toMatchObject({ requestId: request.requestId, status: 'rejected', request: { status: 'declined', closureReason: 'blocked' } });
      expect((await sut.waitFor(bola.id, 'connection.request.reject')).payload).toMatchObject({ direction: 'outgoing', request: { closureReason: 'blocked' } });

      for (const [from, to] of [
        [ada.id, bola.id],
        [bola.id, ada.id],
      ] as const) {
        expect(await sut.fails('connection.request.send', { userId: to }, from)).toMatchObject({ code: 'blocked', status: 403 });
        expect((await sut.fails('connection.ring', { userId: to }, from)).code).toBe('blocked');
      }
      const adaBlocks = await sut.rpc<BlocksOfResponse>(RpcMethod.connections.blocksOf, { userId: ada.id });
      expect(adaBlocks).toEqual({ blockedUserIds: [bola.id], blockedByUserIds: [] });
      const bolaBlocks = await sut.rpc<BlocksOfResponse>(RpcMethod.connections.blocksOf, { userId: bola.id });
      expect(bolaBlocks).toEqual({ blockedUserIds: [], blockedByUserIds: [ada.id] });
      // Bootstrap shows the blocker their own block and the blocked user nothing.
      expect((await sut.rpc<BootstrapPart>(RpcMethod.all.bootstrap, { userId: ada.id })).blockedUserIds).toEqual([bola.id]);
      expect((await sut.rpc<BootstrapPart>(RpcMethod.all.bootstrap, { userId: bola.id })).blockedUserIds).toEqual([]);
    });

    it('unblocking restores nothing but lets the pair connect again', async () => {
      const [ada, bola] = pair();
      const { connection } = await connect(ada.id, bola.id);
      await sut.ok('safety.block', { blockedUserId: bola.id }, ada.id);
      expect(await sut.ok('safety.unblock', { blockedUserId: bola.id }, ada.id)).toEqual([{ type: 'safety.unblock', payload: { blockedUserId: bola.id } }]);
      const record = await sut.rpc<ConnectionGetResponse>(RpcMethod.connections.connectionGet, { connectionId: connection.connectionId });
      expect(record.connection?.status).toBe('closed');
      await sut.get(EventOutbox).flush();
      const unblocks = (await sut.streamEvents('connections.user_unblocked')).filter((e) => e.payload.blockerId === ada.id);
      expect(unblocks.map((e) => e.payload)).toEqual([{ blockerId: ada.id, blockedId: bola.id, at: sut.clock.nowIso() }]);
      await send(bola.id, ada.id);
      // Unblocking again is a no-op; only the blocker's own block can be lifted.
      await sut.ok('safety.unblock', { blockedUserId: bola.id }, ada.id);
      expect((await sut.fails('safety.unblock', {}, ada.id)).code).toBe('missing_blockedUserId');
    });

    it('cannot lift a block someone else placed', async () => {
      const [ada, bola] = pair();
      await sut.ok('safety.block', { blockedUserId: bola.id }, ada.id);
      await sut.ok('safety.unblock', { blockedUserId: ada.id }, bola.id);
      expect((await sut.fails('connection.request.send', { userId: ada.id }, bola.id)).code).toBe('blocked');
    });

    it('refuses blocks without a target, of oneself or of unknown users', async () => {
      const [ada] = pair();
      expect((await sut.fails('safety.block', {}, ada.id)).code).toBe('missing_blockedUserId');
      expect((await sut.fails('safety.block', { blockedUserId: ada.id }, ada.id)).code).toBe('cannot_target_self');
      expect((await sut.fails('safety.block', { blockedUserId: 'user_nobody' }, ada.id)).code).toBe('user_not_found');
    });
  });

  describe('deleted accounts', () => {
    it('closes their connections and pending requests, tells the other users, and only once', async () => {
      const [ada, bola] = pair();
      const carol = sut.addUser('Carol');
      const dan = sut.addUser('Dan');
      const { connection } = await connect(ada.id, bola.id);
      const incoming = await send(carol.id, ada.id);
      const outgoing = await send(ada.id, dan.id);
      sut.clock.advanceSeconds(20);
      sut.users.set(ada.id, { ...ada, deleted: true });
      const eventId = await sut.publishEvent('auth.user_deleted', { userId: ada.id, deletedAt: sut.clock.nowIso() });

      const closed = await sut.waitFor(bola.id, 'connection.close');
      expect(closed.payload).toEqual({
        connectionId: connection.connectionId,
        type: 'connection',
        status: 'closed',
        closedByUserId: ada.id,
        closureReason: 'account_deleted',
        closedAt: sut.clock.nowIso(),
        recipientId: bola.id,
      });
      const toCarol = await sut.waitFor(carol.id, 'connection.request.closed');
      expect(toCarol.payload).toMatchObject({
        requestId: incoming.requestId,
        direction: 'outgoing',
        status: 'closed',
        closureReason: 'account_deleted',
        request: { status: 'closed', legacyStatus: 'closed', closureReason: 'account_deleted', expiresAt: null },
      });
      const toDan = await sut.waitFor(dan.id, 'connection.request.closed');
      expect(toDan.payload).toMatchObject({ requestId: outgoing.requestId, direction: 'incoming' });
      expect((await sut.rpc<BootstrapPart>(RpcMethod.all.bootstrap, { userId: carol.id })).sentRequests).toEqual([]);

      // A redelivery of the same event (new JetStream message, same event id) changes nothing.
      await sut.publishEvent('auth.user_deleted', { userId: ada.id, deletedAt: sut.clock.nowIso() }, eventId);
      await sut.settle(400);
      expect(sut.deliveriesTo(bola.id, 'connection.close')).toHaveLength(1);
      expect(sut.deliveriesTo(carol.id, 'connection.request.closed')).toHaveLength(1);
      await sut.get(EventOutbox).flush();
      const closes = (await sut.streamEvents('connections.connection_closed')).filter((e) => e.payload.connectionId === connection.connectionId);
      expect(closes.map((e) => e.payload)).toEqual([expect.objectContaining({ closedByUserId: null, closureReason: 'account_deleted' })]);

      // The account can no longer be targeted, even by a caller whose profile lookup is stale.
      sut.users.set(ada.id, { ...ada, deleted: false });
      expect((await sut.fails('connection.request.send', { userId: ada.id }, carol.id)).code).toBe('user_not_found');
    });
  });

  describe('bootstrap', () => {
    it('lists pending requests first by createdAt desc, then the rest by resolvedAt desc', async () => {
      const me = sut.addUser('Me');
      const others = Array.from({ length: 5 }, (_, index) => sut.addUser(`Other${index}`));
      const at = (minutes: number) => sut.clock.set(new Date(Date.parse('2026-05-01T10:00:00.000Z') + minutes * 60_000));

      at(0);
      const missed = await send(others[0]!.id, me.id); // expires at 10:10; the job never gets to it
      at(1);
      const declined = await send(me.id, others[1]!.id);
      at(2);
      const accepted = await send(others[2]!.id, me.id);
      at(3);
      await sut.ok('connection.request.accept', { requestId: accepted.requestId }, me.id);
      at(5);
      await sut.ok('connection.request.reject', { requestId: declined.requestId }, others[1]!.id);
      at(11);
      const pendingOld = await send(others[3]!.id, me.id);
      at(13);
      const pendingNew = await send(me.id, others[4]!.id);

      const part = await sut.rpc<BootstrapPart>(RpcMethod.all.bootstrap, { userId: me.id });
      expect(part.requests?.map((r) => [r.requestId, r.status])).toEqual([
        [pendingNew.requestId, 'pending'],
        [pendingOld.requestId, 'pending'],
        [missed.requestId, 'missed'],
        [declined.requestId, 'declined'],
        [accepted.requestId, 'accepted'],
      ]);
      expect(part.incomingRequests?.map((r) => r.requestId)).toEqual([pendingOld.requestId]);
      expect(part.sentRequests?.map((r) => r.requestId)).toEqual([pendingNew.requestId]);
      expect(part.incomingRequests?.[0]).toMatchObject({ direction: 'incoming', user: { id: others[3]!.id } });
      expect(part.activeConnections?.map((c) => c.user.id)).toEqual([others[2]!.id]);
      expect(part).toMatchObject({ closedConnections: [], blockedUserIds: [], safetyReports: [] });
    });
  });

  describe('RPCs', () => {
    it('answers active_between and connection.get for other services', async () => {
      const [ada, bola] = pair();
      const { connection } = await connect(ada.id, bola.id);
      const between = await sut.rpc<ActiveBetweenResponse>(RpcMethod.connections.activeBetween, { userAId: bola.id, userBId: ada.id });
      expect(between.connection).toMatchObject({ connectionId: connection.connectionId, senderId: ada.id, receiverId: bola.id, status: 'active' });
      const get = await sut.rpc<ConnectionGetResponse>(RpcMethod.connections.connectionGet, { connectionId: connection.connectionId, viewerId: bola.id });
      expect(get.connection).toEqual(between.connection);
      expect((await sut.rpc<ConnectionGetResponse>(RpcMethod.connections.connectionGet, { connectionId: 'conn_x' })).connection).toBeNull();
    });
  });
});
