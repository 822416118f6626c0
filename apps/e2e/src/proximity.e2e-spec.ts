import type {
  BootstrapPayload,
  ConnectionHistoryPayload,
  ConnectionRequestAcceptedPayload,
  ConnectionRequestSentPayload,
  ErrorPayload,
  ProximityHeartbeatAckPayload,
  ProximityMilestoneReachedPayload,
  ProximitySessionStartAckPayload,
  ProximitySessionUpdatedPayload,
  ProximitySummary,
  ProximityToken,
  RestErrorBody,
} from '@gisbi/contracts';
import { ErrorCode } from '@gisbi/contracts';
import { startStack, type SignedInUser, type Stack, type TestSocket } from '@gisbi/testing';

type Connected = SignedInUser & { socket: TestSocket };

const UPDATE_KEYS = ['connectionId', 'accumulatedSeconds', 'sessionActive', 'currentSessionSeconds', 'unlockedMilestones', 'nextMilestoneMinutes'].sort();

/**
 * Issue 6 end to end: two real clients connect through the real connections flow, exchange BLE tokens over
 * REST, start a run, heartbeat and reach a milestone. A "minute" is one second here (PROXIMITY_MINUTE_SECONDS,
 * refused in production), so milestone 2 means two seconds of verified together-time.
 */
describe('proximity, end to end', () => {
  let stack: Stack;
  let ada: Connected;
  let bola: Connected;
  let carol: Connected;
  let connectionId: string;
  let tokenOfAda: ProximityToken;
  let tokenOfBola: ProximityToken;

  beforeAll(async () => {
    stack = await startStack({
      label: 'proximity',
      env: { PROXIMITY_MINUTE_SECONDS: '1', PROXIMITY_MILESTONES_MINUTES: '2,600', JOB_POLL_INTERVAL_MS: '200' },
    });
    [ada, bola, carol] = await Promise.all([
      stack.connectedUser('prox-ada', 'Ada'),
      stack.connectedUser('prox-bola', 'Bola'),
      stack.connectedUser('prox-carol', 'Carol'),
    ]);
    const sent = await ada.socket.request<ConnectionRequestSentPayload>('connection.request.send', { userId: bola.user.id });
    await bola.socket.next('connection.request.send');
    const accepted = await bola.socket.request<ConnectionRequestAcceptedPayload>('connection.request.accept', {
      requestId: sent.payload.request.requestId,
    });
    expect(accepted.type).toBe('connection.request.accept');
    connectionId = accepted.payload.connection.connectionId;
    await ada.socket.next('connection.request.accept');
  }, 120_000);

  afterAll(async () => {
    await Promise.all([ada, bola, carol].map((user) => user?.socket.close()));
    await stack?.stop();
  });

  const tokenPath = (id: string) => `/connections/${id}/proximity/token`;
  const summaryPath = (id: string) => `/connections/${id}/proximity/summary`;

  it('issues BLE tokens over REST to the participants only', async () => {
    const [forAda, forBola] = await Promise.all([
      stack.http<ProximityToken>('POST', tokenPath(connectionId), { token: ada.accessToken }),
      stack.http<ProximityToken>('POST', tokenPath(connectionId), { token: bola.accessToken }),
    ]);
    expect(forAda.status).toBe(200);
    expect(forAda.body).toEqual({ token: expect.stringMatching(/^[0-9a-f]{16}$/), expiresAt: expect.any(String), connectionId });
    expect(Date.parse(forAda.body.expiresAt) - Date.now()).toBeGreaterThan(80_000);
    expect(forBola.status).toBe(200);
    tokenOfAda = forAda.body;
    tokenOfBola = forBola.body;

    const foreign = await stack.http<RestErrorBody>('POST', tokenPath(connectionId), { token: carol.accessToken });
    const unknown = await stack.http<RestErrorBody>('POST', tokenPath('conn_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E'), { token: ada.accessToken });
    expect(foreign).toEqual({ status: 404, body: { detail: 'Connection not found', code: 'connection_not_found' } });
    expect(unknown).toEqual(foreign);
    expect((await stack.http('POST', tokenPath(connectionId))).status).toBe(401);
    // The route takes no body: fields in one are refused like in every REST body, before anything is relayed.
    expect(await stack.http('POST', tokenPath(connectionId), { token: carol.accessToken, body: { foo: 1 } })).toEqual({
      status: 400,
      body: { detail: 'foo is not an accepted field', code: ErrorCode.validation_failed },
    });
  });

  it('starts a run once both phones scanned each other', async () => {
    const first = await ada.socket.request<ProximitySessionStartAckPayload>('proximity.session.start', {
      connectionId,
      token: tokenOfBola.token,
      rssi: -62,
    });
    expect(first).toMatchObject({
      type: 'proximity.session.start',
      payload: { sessionActive: false, yourTokenReceived: true, waitingForPartner: true },
    });
    expect((await bola.socket.next('proximity.partner.confirmed')).payload).toEqual({ connectionId });

    const second = await bola.socket.request<ProximitySessionStartAckPayload>('proximity.session.start', {
      connectionId,
      token: tokenOfAda.token,
      rssi: -64,
    });
    expect(second.payload).toEqual({ sessionActive: true, yourTokenReceived: true, waitingForPartner: false });
    const [toBola, toAda] = await Promise.all([
      bola.socket.next<ProximitySessionUpdatedPayload>('proximity.session.updated'),
      ada.socket.next<ProximitySessionUpdatedPayload>('proximity.session.updated'),
    ]);
    expect(Object.keys(toBola.payload).sort()).toEqual(UPDATE_KEYS);
    expect(toBola.payload).toEqual({
      connectionId,
      accumulatedSeconds: 0,
      sessionActive: true,
      currentSessionSeconds: 0,
      unlockedMilestones: [],
      nextMilestoneMinutes: 2,
    });
    expect(toAda.payload).toEqual(toBola.payload);
  });

  it('refuses a too-strong RSSI, foreign tokens and non-participants', async () => {
    const strong = await ada.socket.request<ErrorPayload>('proximity.heartbeat', { connectionId, token: tokenOfBola.token, rssi: -30 });
    expect(strong).toMatchObject({ type: 'error', payload: { code: 'invalid_rssi', domain: 'proximity' } });
    const own = await ada.socket.request<ErrorPayload>('proximity.heartbeat', { connectionId, token: tokenOfAda.token, rssi: -60 });
    expect(own.payload.code).toBe('invalid_token');
    const outsider = await carol.socket.request<ErrorPayload>('proximity.heartbeat', { connectionId, token: tokenOfBola.token, rssi: -60 });
    expect(outsider.payload.code).toBe('not_allowed');
  });

  it('reaches a milestone from two-sided heartbeats, once, for both', async () => {
    let acknowledged: ProximityHeartbeatAckPayload = { sessionActive: false, accumulatedSeconds: 0 };
    const deadline = Date.now() + 15_000;
    let beat = 0;
    while (acknowledged.accumulatedSeconds < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const rssi = -60 - (beat++ % 7);
      const [fromAda, fromBola] = await Promise.all([
        ada.socket.request<ProximityHeartbeatAckPayload>('proximity.heartbeat', { connectionId, token: tokenOfBola.token, rssi }),
        bola.socket.request<ProximityHeartbeatAckPayload>('proximity.heartbeat', { connectionId, token: tokenOfAda.token, rssi: rssi - 2 }),
      ]);
      expect(fromAda.type).toBe('proximity.heartbeat');
      expect(fromBola.type).toBe('proximity.heartbeat');
      acknowledged = fromBola.payload.accumulatedSeconds > fromAda.payload.accumulatedSeconds ? fromBola.payload : fromAda.payload;
      expect(acknowledged.sessionActive).toBe(true);
    }
    expect(acknowledged.accumulatedSeconds).toBeGreaterThanOrEqual(3);
    const reached = { connectionId, milestone: 2, giftTier: 1, message: "You've been together 2 minutes - a new gift is ready." };
    for (const user of [ada, bola]) {
      const milestone = await user.socket.next<ProximityMilestoneReachedPayload>('proximity.milestone.reached');
      expect(milestone.payload).toEqual(reached);
      await user.socket.expectNone('proximity.milestone.reached', 300);
    }
  });

  it('shows the server-owned progress in the summary, the connection list and a reconnect’s bootstrap', async () => {
    const summary = await stack.http<ProximitySummary>('GET', summaryPath(connectionId), { token: bola.accessToken });
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ connectionId, unlockedMilestones: [2], nextMilestone: 600 });
    expect(summary.body.accumulatedSeconds).toBeGreaterThanOrEqual(3);
    expect(summary.body.accumulatedMinutes).toBe(summary.body.accumulatedSeconds);
    expect(summary.body.sessions).toEqual([
      { startedAt: expect.any(String), endedAt: null, durationSeconds: summary.body.accumulatedSeconds, status: 'active' },
    ]);
    const foreign = await stack.http<RestErrorBody>('GET', summaryPath(connectionId), { token: carol.accessToken });
    expect(foreign).toEqual({ status: 404, body: { detail: 'Connection not found', code: 'connection_not_found' } });

    const history = await ada.socket.request<ConnectionHistoryPayload>('connection.history.fetch', {});
    const listed = history.payload.activeConnections.find((c) => c.connectionId === connectionId);
    expect(listed?.accumulatedMinutes).toBeGreaterThanOrEqual(3);
    expect(listed?.nextMilestoneMinutes).toBe(600);

    const again = await stack.connectSocket(ada.accessToken);
    try {
      again.send('session.start', {}, { requestId: 'prox-reconnect' });
      const bootstrap = await again.next<BootstrapPayload>('session.bootstrap', (_p, envelope) => envelope.requestId === 'prox-reconnect');
      expect(bootstrap.payload.proximitySession).toMatchObject({
        connectionId,
        status: 'active',
        unlockedMilestones: [2],
        bleToken: tokenOfAda.token,
        bleTokenExpiresAt: tokenOfAda.expiresAt,
      });
    } finally {
      await again.close();
    }
  });

  it('pauses for both on session.end, with the grace period', async () => {
    const ended = await bola.socket.request<ProximitySessionUpdatedPayload>('proximity.session.end', { connectionId });
    expect(ended.type).toBe('proximity.session.updated');
    expect(ended.payload).toMatchObject({ connectionId, sessionActive: false, currentSessionSeconds: 0, gracePeriodSeconds: 30 });
    const toAda = await ada.socket.next<ProximitySessionUpdatedPayload>('proximity.session.updated', (p) => !p.sessionActive);
    expect(toAda.payload).toEqual(ended.payload);
    const heartbeat = await ada.socket.request<ProximityHeartbeatAckPayload>('proximity.heartbeat', {
      connectionId,
      token: tokenOfBola.token,
      rssi: -61,
    });
    expect(heartbeat.payload.sessionActive).toBe(false);
  });
});
