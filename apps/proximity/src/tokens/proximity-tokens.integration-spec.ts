import {
  DomainEvent,
  ErrorCode,
  IdPrefix,
  RpcMethod,
  type ConnectionGetRequest,
  type ConnectionGetResponse,
  type ConnectionRecord,
  type ProximityToken,
} from '@gisbi/contracts';
import { newId } from '@gisbi/platform';
import { ProximityHarness, type Pair } from '../test-support/proximity-harness';
import { TokenController } from './token.controller';

describe(TokenController.name, () => {
  let sut: ProximityHarness;
  /** What the (simulated) connections service knows beyond the events proximity has consumed. */
  const upstream = new Map<string, ConnectionRecord>();

  beforeAll(async () => {
    sut = await ProximityHarness.start({ label: 'proxtokens' });
    sut.answer<ConnectionGetRequest, ConnectionGetResponse>('connections', RpcMethod.connections.connectionGet, (request) => {
      const record = upstream.get(request.connectionId);
      const visible = record && (request.viewerId === undefined || [record.userAId, record.userBId].includes(request.viewerId));
      return { connection: visible ? record : null };
    });
  });

  afterAll(async () => {
    await sut.close();
  });

  const issue = (connectionId: string, userId: string) => sut.rpc<ProximityToken>(RpcMethod.proximity.tokenIssue, { connectionId, userId });
  const startWith = (pair: Pair, userId: string, token: string) =>
    sut.command('proximity.session.start', { connectionId: pair.connectionId, token, rssi: -65 }, userId);

  function record(overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
    const [userAId, userBId] = [sut.newUser(), sut.newUser()].sort() as [string, string];
    return {
      connectionId: newId(IdPrefix.connection),
      requestId: newId(IdPrefix.request),
      userAId,
      userBId,
      senderId: userAId,
      receiverId: userBId,
      status: 'active',
      connectedLocation: null,
      createdAt: sut.clock.nowIso(),
      closedAt: null,
      ...overrides,
    };
  }

  it('issues a compact random token for a participant, expiring after the configured lifetime', async () => {
    const pair = await sut.connectPair();
    const token = await sut.token(pair, pair.a);
    expect(token).toEqual({
      token: expect.stringMatching(/^[0-9a-f]{16}$/),
      expiresAt: new Date(sut.clock.nowMs() + 90_000).toISOString(),
      connectionId: pair.connectionId,
    });
    expect((await sut.token(pair, pair.b)).token).not.toBe(token.token);
  });

  it('invalidates the previous token when a new one is issued', async () => {
    const pair = await sut.connectPair();
    const first = await sut.token(pair, pair.b);
    const second = await sut.token(pair, pair.b);
    expect(second.token).not.toBe(first.token);
    expect(await startWith(pair, pair.a, first.token)).toMatchObject({ ok: false, error: { code: ErrorCode.invalid_token } });
    expect(await startWith(pair, pair.a, second.token)).toMatchObject({ ok: true });
    // Each participant has exactly one token that is still accepted.
    const live: Array<{ user_id: string }> = await sut.db.query(
      `SELECT user_id FROM proximity_tokens WHERE connection_id = $1 AND accept_until > $2`,
      [pair.connectionId, sut.clock.now()],
    );
    expect(live.map((row) => row.user_id)).toEqual([pair.b]);
  });

  it('stops accepting a token at the exact instant it expires, and records the late use as a replay', async () => {
    const early = await sut.connectPair();
    const tokenEarly = await sut.token(early, early.b);
    const late = await sut.connectPair();
    const tokenLate = await sut.token(late, late.b);
    sut.clock.advance(90_000 - 1);
    expect(await startWith(early, early.a, tokenEarly.token)).toMatchObject({ ok: true });
    sut.clock.advance(1);
    expect(await startWith(late, late.a, tokenLate.token)).toMatchObject({ ok: false, error: { code: ErrorCode.invalid_token } });
    const [row] = (await sut.db.query(`SELECT token_replays FROM proximity_connections WHERE connection_id = $1`, [
      late.connectionId,
    ])) as Array<{ token_replays: number }>;
    expect(row!.token_replays).toBe(1);
  });

  it('answers foreign, closed and unknown connections with the same 404 on both routes', async () => {
    const pair = await sut.connectPair();
    const closed = await sut.connectPair();
    await sut.closeConnection(closed);
    const outsider = sut.newUser();
    const attempts = [
      { connectionId: pair.connectionId, userId: outsider },
      { connectionId: closed.connectionId, userId: closed.a },
      { connectionId: newId(IdPrefix.connection), userId: pair.a },
      { connectionId: 'not-an-id', userId: pair.a },
    ];
    for (const method of [RpcMethod.proximity.tokenIssue, RpcMethod.proximity.summary]) {
      const errors = [];
      for (const attempt of attempts) {
        const reply = await sut.rpc(method, attempt);
        expect(reply.ok).toBe(false);
        if (!reply.ok) errors.push(reply.error);
      }
      expect(errors[0]).toEqual({ code: ErrorCode.connection_not_found, message: 'Connection not found', domain: 'proximity', status: 404 });
      for (const error of errors) expect(error).toEqual(errors[0]);
    }
  });

  it('reads a connection through from the connections service when its event has not arrived yet', async () => {
    const known = record();
    upstream.set(known.connectionId, known);
    const issued = await issue(known.connectionId, known.userBId);
    expect(issued).toMatchObject({ ok: true, result: { connectionId: known.connectionId } });
    // The partner can use it at once, and the late event changes nothing.
    const partnerStart = await sut.command(
      'proximity.session.start',
      { connectionId: known.connectionId, token: issued.ok ? issued.result.token : '', rssi: -70 },
      known.userAId,
    );
    expect(partnerStart.ok).toBe(true);
    await sut.publishAndWait(DomainEvent.ConnectionAccepted, {
      connectionId: known.connectionId,
      requestId: known.requestId,
      userAId: known.userAId,
      userBId: known.userBId,
      senderId: known.senderId,
      receiverId: known.receiverId,
      connectedLocation: null,
      acceptedAt: known.createdAt,
    });
    expect((await issue(known.connectionId, known.userAId)).ok).toBe(true);

    // Read-through never exposes a connection to a non-participant, nor revives a closed one.
    const foreign = record();
    upstream.set(foreign.connectionId, foreign);
    expect(await issue(foreign.connectionId, sut.newUser())).toMatchObject({ ok: false, error: { status: 404 } });
    const closed = record({ status: 'closed', closedAt: sut.clock.nowIso() });
    upstream.set(closed.connectionId, closed);
    expect(await issue(closed.connectionId, closed.userAId)).toMatchObject({ ok: false, error: { status: 404 } });
  });

  it('closing the connection ends the run, tells both users and invalidates every token', async () => {
    const pair = await sut.activePair();
    sut.clearDeliveries();
    await sut.closeConnection(pair);
    for (const user of [pair.a, pair.b]) {
      const update = await sut.waitForDelivery(user, 'proximity.session.updated');
      expect(update.payload).toMatchObject({ connectionId: pair.connectionId, sessionActive: false, currentSessionSeconds: 0 });
      expect(update.payload).not.toHaveProperty('gracePeriodSeconds');
    }
    const sessions: Array<{ status: string; end_reason: string }> = await sut.db.query(
      `SELECT status, end_reason FROM proximity_sessions WHERE connection_id = $1`,
      [pair.connectionId],
    );
    expect(sessions).toEqual([{ status: 'ended', end_reason: 'connection_closed' }]);
    const live: unknown[] = await sut.db.query(`SELECT 1 FROM proximity_tokens WHERE connection_id = $1 AND accept_until > $2`, [
      pair.connectionId,
      sut.clock.now(),
    ]);
    expect(live).toEqual([]);
    expect(await issue(pair.connectionId, pair.a)).toMatchObject({ ok: false, error: { status: 404 } });
  });

  it('blocking ends the run and invalidates the tokens of the pair’s connection', async () => {
    const pair = await sut.activePair();
    const bystander = await sut.activePair();
    sut.clearDeliveries();
    await sut.publishAndWait(DomainEvent.UserBlocked, { blockerId: pair.b, blockedId: pair.a, at: sut.clock.nowIso() });
    await sut.waitForDelivery(pair.a, 'proximity.session.updated', (p) => !p.sessionActive);
    await sut.waitForDelivery(pair.b, 'proximity.session.updated', (p) => !p.sessionActive);
    const sessions: Array<{ status: string; end_reason: string }> = await sut.db.query(
      `SELECT status, end_reason FROM proximity_sessions WHERE connection_id = $1`,
      [pair.connectionId],
    );
    expect(sessions).toEqual([{ status: 'ended', end_reason: 'user_blocked' }]);
    expect(
      await sut.command('proximity.heartbeat', { connectionId: pair.connectionId, token: pair.tokenOfB, rssi: -60 }, pair.a),
    ).toMatchObject({ ok: false, error: { code: ErrorCode.not_allowed } });
    expect(await issue(pair.connectionId, pair.b)).toMatchObject({ ok: false, error: { status: 404 } });
    // Other pairs are untouched.
    expect(await sut.command('proximity.heartbeat', { connectionId: bystander.connectionId, token: bystander.tokenOfB, rssi: -60 }, bystander.a)).toMatchObject({
      ok: true,
    });
  });

  it('a repeated close changes nothing', async () => {
    const pair = await sut.activePair();
    await sut.closeConnection(pair);
    sut.clearDeliveries();
    await sut.closeConnection(pair);
    await sut.settle();
    expect(sut.deliveredTo(pair.a, 'proximity.session.updated')).toEqual([]);
  });
});
