import type {
  ConnectionRequestAcceptedPayload,
  ConnectionRequestSentPayload,
  Message,
  ProximityHeartbeatAckPayload,
  ProximityMilestoneReachedPayload,
  ProximityToken,
  RadarNearbyUpdatedPayload,
} from '@gisbi/contracts';
import { startStack, type ReceivedEnvelope, type SignedInUser, type Stack, type TestSocket } from '@gisbi/testing';

/**
 * Issue 8: the system as a fleet. Two gateways and two replicas of every service on one machine; users on
 * different gateways chat, connect, see each other on the radar and reach a milestone. Every event reaches
 * every socket of its user exactly once, scheduled work runs once, and killing or restarting replicas
 * mid-flow loses nothing that was acknowledged.
 */
describe('fleet: two replicas of everything', () => {
  let stack: Stack;
  let ada: SignedInUser;
  let bola: SignedInUser;
  let carol: SignedInUser;
  let adaPhone: TestSocket; // on gateway 1
  let adaTablet: TestSocket; // on gateway 2
  let bolaPhone: TestSocket; // on gateway 2
  let connectionId: string;
  const bleTokens = { ada: '', bola: '' };

  beforeAll(async () => {
    stack = await startStack({
      label: 'fleet',
      replicas: { gateway: 2, auth: 2, presence: 2, connections: 2, chat: 2, proximity: 2, gifts: 2 },
      env: {
        CONNECTION_REQUEST_TTL_SECONDS: '2',
        JOB_POLL_INTERVAL_MS: '200',
        PROXIMITY_MINUTE_SECONDS: '1',
        PROXIMITY_MILESTONES_MINUTES: '2,600',
        RADAR_PUSH_MOVE_DELAY_MS: '200',
      },
    });
    [ada, bola, carol] = await Promise.all([stack.signIn('fleet-ada', 'Ada'), stack.signIn('fleet-bola', 'Bola'), stack.signIn('fleet-carol', 'Carol')]);
    adaPhone = await stack.connectSocket(ada.accessToken, 1);
    adaTablet = await stack.connectSocket(ada.accessToken, 2);
    bolaPhone = await stack.connectSocket(bola.accessToken, 2);
    for (const socket of [adaPhone, adaTablet, bolaPhone]) await socket.request('session.start', {});
  }, 180_000);

  afterAll(async () => {
    await Promise.all([adaPhone, adaTablet, bolaPhone].map((socket) => socket?.close()));
    await stack?.stop();
  });

  it('shows users on different gateways on each other’s radar', async () => {
    await adaPhone.request('presence.location_update', { lat: 6.5244, lng: 3.3792, accuracyMeters: 5 });
    await bolaPhone.request('presence.location_update', { lat: 6.5244, lng: 3.37927, accuracyMeters: 5 });
    const seen = await adaPhone.next<RadarNearbyUpdatedPayload>('radar.nearby.updated', (payload) =>
      payload.nearbyUsers.some((nearby) => nearby.user.id === bola.user.id),
    );
    expect(seen.payload.nearbyUsers.find((nearby) => nearby.user.id === bola.user.id)?.distance).toBeLessThan(60);
  });

  it('connects across gateways and tells every socket exactly once', async () => {
    const sent = await adaPhone.request<ConnectionRequestSentPayload>('connection.request.send', { userId: bola.user.id });
    expect(sent.type).toBe('connection.request.send');
    await bolaPhone.next('connection.request.send');
    await adaTablet.next('connection.request.send');
    const accepted = await bolaPhone.request<ConnectionRequestAcceptedPayload>('connection.request.accept', {
      requestId: sent.payload.request.requestId,
    });
    connectionId = accepted.payload.connection.connectionId;
    await adaPhone.next('connection.request.accept');
    await adaTablet.next('connection.request.accept');
    await settle();
    for (const socket of [adaPhone, adaTablet, bolaPhone]) expect(socket.countOf('connection.request.accept')).toBe(1);
  });

  it('delivers chat across gateways exactly once per socket', async () => {
    const replies = [];
    for (let index = 0; index < 5; index++) {
      replies.push(await adaPhone.request<Message>('chat.message.created', { recipientId: bola.user.id, content: `hello ${index}` }));
    }
    expect(replies.every((reply) => reply.type === 'chat.message.created')).toBe(true);
    for (const reply of replies) {
      await bolaPhone.next<Message>('chat.message.created', (message) => message.messageId === reply.payload.messageId);
      await adaTablet.next<Message>('chat.message.created', (message) => message.messageId === reply.payload.messageId);
    }
    await settle();
    for (const socket of [adaPhone, adaTablet, bolaPhone]) expectNoDuplicateMessages(socket.received);
  });

  it('runs request expiry once although two connections replicas race for it', async () => {
    const carolSocket = await stack.connectSocket(carol.accessToken, 1);
    const sent = await carolSocket.request<ConnectionRequestSentPayload>('connection.request.send', { userId: ada.user.id });
    const requestId = sent.payload.request.requestId;
    for (const socket of [adaPhone, adaTablet, carolSocket]) {
      await socket.next('connection.request.missed', (payload) => payload['requestId'] === requestId, 10_000);
    }
    await settle(1000);
    for (const socket of [adaPhone, adaTablet, carolSocket]) {
      expect(socket.received.filter((event) => event.type === 'connection.request.missed' && event.payload['requestId'] === requestId)).toHaveLength(1);
    }
    await carolSocket.close();
  });

  it('reaches a milestone with partners on different gateways, once per socket', async () => {
    const [forAda, forBola] = await Promise.all([
      stack.http<ProximityToken>('POST', `/connections/${connectionId}/proximity/token`, { token: ada.accessToken, replica: 1 }),
      stack.http<ProximityToken>('POST', `/connections/${connectionId}/proximity/token`, { token: bola.accessToken, replica: 2 }),
    ]);
    bleTokens.ada = forAda.body.token;
    bleTokens.bola = forBola.body.token;
    await adaPhone.request('proximity.session.start', { connectionId, token: forBola.body.token, rssi: -60 });
    await bolaPhone.request('proximity.session.start', { connectionId, token: forAda.body.token, rssi: -61 });
    let accumulated = 0;
    const deadline = Date.now() + 20_000;
    for (let beat = 0; accumulated < 3 && Date.now() < deadline; beat++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const [a, b] = await Promise.all([
        adaPhone.request<ProximityHeartbeatAckPayload>('proximity.heartbeat', { connectionId, token: forBola.body.token, rssi: -60 - (beat % 5) }),
        bolaPhone.request<ProximityHeartbeatAckPayload>('proximity.heartbeat', { connectionId, token: forAda.body.token, rssi: -62 - (beat % 3) }),
      ]);
      accumulated = Math.max(a.payload.accumulatedSeconds, b.payload.accumulatedSeconds);
    }
    for (const socket of [adaPhone, adaTablet, bolaPhone]) {
      const reached = await socket.next<ProximityMilestoneReachedPayload>('proximity.milestone.reached', (payload) => payload.milestone === 2, 10_000);
      expect(reached.payload.connectionId).toBe(connectionId);
    }
    await settle(1000);
    for (const socket of [adaPhone, adaTablet, bolaPhone]) expect(socket.countOf('proximity.milestone.reached')).toBe(1);
  });

  it('loses no acknowledged together-time when a proximity replica is killed mid-run', async () => {
    const [firstProximity] = stack.replicasOf('proximity');
    // The run from the milestone test is still active: keep heart-beating with the same tokens.
    const [adaToken, bolaToken] = [bleTokens.ada, bleTokens.bola];
    let highest = 0;
    for (let beat = 0; beat < 16; beat++) {
      if (beat === 6) void firstProximity!.kill();
      await new Promise((resolve) => setTimeout(resolve, 250));
      const acks = await Promise.allSettled([
        adaPhone.request<ProximityHeartbeatAckPayload>('proximity.heartbeat', { connectionId, token: bolaToken, rssi: -60 - (beat % 5) }, 6000),
        bolaPhone.request<ProximityHeartbeatAckPayload>('proximity.heartbeat', { connectionId, token: adaToken, rssi: -62 - (beat % 3) }, 6000),
      ]);
      // Acknowledged time never goes back, whichever replica answers: every ack of this beat is at least
      // what earlier beats acknowledged (the two acks of one beat are concurrent, so not compared).
      const seconds = acks.flatMap((ack) =>
        ack.status === 'fulfilled' && ack.value.type === 'proximity.heartbeat' ? [ack.value.payload.accumulatedSeconds] : [],
      );
      for (const value of seconds) expect(value).toBeGreaterThanOrEqual(highest);
      highest = Math.max(highest, ...seconds);
    }
    const summary = await stack.http<{ accumulatedSeconds: number }>('GET', `/connections/${connectionId}/proximity/summary`, { token: ada.accessToken });
    expect(summary.body.accumulatedSeconds).toBeGreaterThanOrEqual(highest);
  });

  it('loses no acknowledged message when a chat replica is killed mid-flow', async () => {
    const [firstChat] = stack.replicasOf('chat');
    const acknowledged: string[] = [];
    const sends: Array<Promise<ReceivedEnvelope<Message>>> = [];
    for (let index = 0; index < 20; index++) {
      if (index === 5) void firstChat!.kill();
      sends.push(adaPhone.request<Message>('chat.message.created', { recipientId: bola.user.id, content: `during failover ${index}` }, 8000));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const reply of await Promise.allSettled(sends)) {
      if (reply.status === 'fulfilled' && reply.value.type === 'chat.message.created') acknowledged.push(reply.value.payload.messageId);
    }
    expect(acknowledged.length).toBeGreaterThan(10);
    const history = await bolaPhone.request<{ messages: Message[] }>('chat.history.fetch', {});
    const stored = new Set(history.payload.messages.map((message) => message.messageId));
    for (const messageId of acknowledged) expect(stored.has(messageId)).toBe(true);
  });

  it('asks clients to reconnect when a gateway restarts, and replays what they missed exactly once', async () => {
    const [firstGateway] = stack.replicasOf('gateway');
    const lastSeenAt = new Date().toISOString();
    await firstGateway!.stop();
    await waitFor(() => adaPhone.closeCode !== undefined);
    expect(adaPhone.closeCode).toBe(1012);
    expect(adaPhone.received.some((event) => event.type === 'session.reconnect')).toBe(true);
    const whileAway = await bolaPhone.request<Message>('chat.message.created', { recipientId: ada.user.id, content: 'while you were away' });
    const resumed = await stack.connectSocket(ada.accessToken, 2);
    resumed.send('session.start', { lastSeenAt }, { requestId: 'resume' });
    await resumed.next('session.bootstrap');
    const replayed = await resumed.next<Message>('chat.message.created', (message) => message.messageId === whileAway.payload.messageId);
    expect(replayed.payload.content).toBe('while you were away');
    await settle();
    expectNoDuplicateMessages(resumed.received);
    await resumed.close();
  });
});

function expectNoDuplicateMessages(received: ReadonlyArray<ReceivedEnvelope>): void {
  const ids = received.filter((event) => event.type === 'chat.message.created').map((event) => String(event.payload['messageId']));
  expect(new Set(ids).size).toBe(ids.length);
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Gives in-flight deliveries a moment to arrive, so "exactly once" also rules out late duplicates. */
function settle(ms = 500): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
