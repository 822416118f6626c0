import {
  ErrorCode,
  RpcMethod,
  type PositionsRequest,
  type PositionsResponse,
  type VerifiedTimeResponse,
} from '@gisbi/contracts';
import { ProximityHarness, type Pair } from '../test-support/proximity-harness';
import { ProximityJobs } from './proximity-jobs';

const WINDOW_S = 15;
const GRACE_S = 30;

type ActivePair = Pair & { tokenOfA: string; tokenOfB: string };

describe(ProximityJobs.name, () => {
  let sut: ProximityHarness;

  beforeAll(async () => {
    // Two replicas of the service on one database: every job is raced by both.
    sut = await ProximityHarness.start({ label: 'proxjobs', instances: 2 });
  });

  afterAll(async () => {
    await sut.close();
  });

  const jobs = (instance: number) => sut.get(ProximityJobs, instance);
  const race = <T>(run: (jobs: ProximityJobs) => Promise<T>) => Promise.all([run(jobs(0)), run(jobs(1))]);

  async function statusOf(connectionId: string): Promise<string[]> {
    const rows: Array<{ status: string }> = await sut.db.query(
      `SELECT status FROM proximity_sessions WHERE connection_id = $1 ORDER BY created_at`,
      [connectionId],
    );
    return rows.map((row) => row.status);
  }

  async function bothBeat(pair: ActivePair, seconds: number): Promise<void> {
    sut.clock.advanceSeconds(seconds);
    await sut.beat(pair, pair.a);
    await sut.beat(pair, pair.b);
  }

  it('pauses a silent run after the window and ends it after the grace, exactly once with two replicas', async () => {
    const pairs: ActivePair[] = [];
    for (let i = 0; i < 6; i++) pairs.push(await sut.activePair());
    sut.clearDeliveries();

    sut.clock.advanceSeconds(WINDOW_S);
    expect(await race((j) => j.expireSessions())).toEqual([0, 0]); // exactly at the window edge: still running
    sut.clock.advance(1);
    const paused = await race((j) => j.expireSessions());
    expect(paused[0] + paused[1]).toBe(6);
    await sut.settle();
    for (const pair of pairs) {
      expect(await statusOf(pair.connectionId)).toEqual(['paused']);
      for (const user of [pair.a, pair.b]) {
        const updates = sut.deliveredTo(user, 'proximity.session.updated').filter((d) => d.payload.connectionId === pair.connectionId);
        expect(updates.map((d) => d.payload)).toEqual([
          expect.objectContaining({ sessionActive: false, currentSessionSeconds: 0, gracePeriodSeconds: GRACE_S }),
        ]);
      }
    }
    const inactive: unknown[] = await sut.db.query(
      `SELECT 1 FROM outbox_events WHERE name = 'proximity.session_changed' AND payload->>'active' = 'false'
          AND payload->>'connectionId' = ANY($1)`,
      [pairs.map((pair) => pair.connectionId)],
    );
    expect(inactive).toHaveLength(6);

    sut.clearDeliveries();
    sut.clock.advanceSeconds(GRACE_S - 1);
    expect(await race((j) => j.expireSessions())).toEqual([0, 0]);
    sut.clock.advanceSeconds(1);
    const ended = await race((j) => j.expireSessions());
    expect(ended[0] + ended[1]).toBe(6);
    expect(await race((j) => j.expireSessions())).toEqual([0, 0]);
    await sut.settle();
    for (const pair of pairs) {
      expect(await statusOf(pair.connectionId)).toEqual(['ended']);
      expect(sut.deliveredTo(pair.a, 'proximity.session.updated').filter((d) => d.payload.connectionId === pair.connectionId)).toHaveLength(1);
    }
  });

  it('moves the wake-up of runs still being heartbeated to their real deadline, and pauses them only once that passes', async () => {
    const pair = await sut.activePair();
    const wakeUpColumn = async (): Promise<number> => {
      const [row] = (await sut.db.query(
        `SELECT pause_due_at FROM proximity_sessions WHERE connection_id = $1 AND status <> 'ended'`,
        [pair.connectionId],
      )) as Array<{ pause_due_at: Date }>;
      return row!.pause_due_at.getTime();
    };
    const firstWakeUp = await wakeUpColumn();
    // Heartbeats extend the evidence but leave the indexed column where activation put it.
    await bothBeat(pair, WINDOW_S - 5);
    await bothBeat(pair, 5);
    expect(await wakeUpColumn()).toBe(firstWakeUp);
    sut.clock.advance(1);
    expect(await race((j) => j.expireSessions())).toEqual([0, 0]);
    expect(await statusOf(pair.connectionId)).toEqual(['active']);
    const deadline = sut.clock.nowMs() - 1 + WINDOW_S * 1000;
    expect(await wakeUpColumn()).toBe(deadline);
    // Exactly at the deadline the run is still live; a millisecond later it pauses.
    sut.clock.advance(deadline - sut.clock.nowMs());
    expect(await race((j) => j.expireSessions())).toEqual([0, 0]);
    sut.clock.advance(1);
    const paused = await race((j) => j.expireSessions());
    expect(paused[0] + paused[1]).toBe(1);
    expect(await statusOf(pair.connectionId)).toEqual(['paused']);
    // Leave nothing running for the next test.
    sut.clock.advanceSeconds(GRACE_S);
    await race((j) => j.expireSessions());
    expect(await statusOf(pair.connectionId)).toEqual(['ended']);
  });

  it('ends a run nobody confirmed within the grace', async () => {
    const pair = await sut.connectPair();
    const tokenOfB = (await sut.token(pair, pair.b)).token;
    await sut.ok('proximity.session.start', { connectionId: pair.connectionId, token: tokenOfB, rssi: -60 }, pair.a);
    sut.clock.advanceSeconds(GRACE_S);
    const ended = await race((j) => j.expireSessions());
    expect(ended[0] + ended[1]).toBe(1);
    expect(await statusOf(pair.connectionId)).toEqual(['ended']);
    // After the end, a new scan starts a new run.
    const fresh = (await sut.token(pair, pair.b)).token;
    await sut.ok('proximity.session.start', { connectionId: pair.connectionId, token: fresh, rssi: -60 }, pair.a);
    expect(await statusOf(pair.connectionId)).toEqual(['ended', 'paused']);
    await sut.ok('proximity.session.end', { connectionId: pair.connectionId }, pair.a);
  });

  it('rotates tokens before they expire during a run, pushes them to their owner, and honours the grace', async () => {
    const pair = await sut.activePair();
    sut.clearDeliveries();
    // Keep the run alive until 30 s before the tokens expire (TTL 90 s, rotate 30 s before).
    for (let second = 5; second <= 55; second += 5) await bothBeat(pair, 5);
    expect(await race((j) => j.rotateTokens())).toEqual([[], []]);
    await bothBeat(pair, 5);
    const rotated = (await race((j) => j.rotateTokens())).flat();
    expect(rotated.map((r) => r.userId).sort()).toEqual([pair.a, pair.b].sort());
    await sut.settle();
    for (const user of [pair.a, pair.b]) {
      const pushes = sut.deliveredTo(user, 'proximity.token.rotate');
      const mine = rotated.find((r) => r.userId === user)!;
      expect(pushes.map((d) => d.payload)).toEqual([
        { connectionId: pair.connectionId, token: mine.token, expiresAt: new Date(sut.clock.nowMs() + 90_000).toISOString() },
      ]);
    }
    // The partner still sees the old advertisement for a moment: accepted during the grace, and counted.
    await bothBeat(pair, 10);
    await bothBeat(pair, 9);
    const graceUses: Array<{ grace_uses: number }> = await sut.db.query(
      `SELECT grace_uses FROM proximity_tokens WHERE token = ANY($1)`,
      [[pair.tokenOfA, pair.tokenOfB]],
    );
    expect(graceUses.map((row) => row.grace_uses)).toEqual([2, 2]);
    sut.clock.advanceSeconds(1);
    expect(await sut.fails('proximity.heartbeat', { connectionId: pair.connectionId, token: pair.tokenOfB, rssi: -60 }, pair.a)).toMatchObject({
      code: ErrorCode.invalid_token,
    });
    const next = { ...pair, tokenOfA: rotated.find((r) => r.userId === pair.a)!.token, tokenOfB: rotated.find((r) => r.userId === pair.b)!.token };
    expect((await sut.beat(next, pair.a))[0]).toMatchObject({ type: 'proximity.heartbeat', payload: { sessionActive: true } });
  });

  it('flags a relay when both phones’ radar positions are out of BLE range, and tolerates presence being absent', async () => {
    const pair = await sut.activePair();
    const near = await sut.activePair();
    expect(await race((j) => j.checkPositions())).toEqual([0, 0]); // nobody answers presence.positions yet
    await sut.db.query(`UPDATE proximity_sessions SET positions_due_at = $1 WHERE connection_id = ANY($2)`, [
      sut.clock.now(),
      [pair.connectionId, near.connectionId],
    ]);
    const asked: string[][] = [];
    const updatedAt = sut.clock.nowIso();
    const presence = sut.answer<PositionsRequest, PositionsResponse>('presence', RpcMethod.presence.positions, (request) => {
      asked.push(request.userIds);
      return {
        positions: {
          [pair.a]: { lat: 6.5244, lng: 3.3792, accuracyMeters: 5, updatedAt },
          [pair.b]: { lat: 6.4541, lng: 3.3947, accuracyMeters: 5, updatedAt }, // ~8 km away
          [near.a]: { lat: 6.5244, lng: 3.3792, accuracyMeters: 5, updatedAt },
          [near.b]: { lat: 6.5245, lng: 3.3793, accuracyMeters: 5, updatedAt },
        },
      };
    });
    const checked = await race((j) => j.checkPositions());
    expect(checked[0] + checked[1]).toBe(2);
    expect(asked.flat().sort()).toEqual([pair.a, pair.b, near.a, near.b].sort()); // batched, each user once
    presence.unsubscribe();
    for (const p of [pair, near]) await bothBeat(p, 0);
    await bothBeat(pair, 4);
    await bothBeat(near, 0);
    const relay = await sut.rpcOk<VerifiedTimeResponse>(RpcMethod.proximity.verifiedTime, { connectionId: pair.connectionId, timeZone: 'UTC' });
    const honest = await sut.rpcOk<VerifiedTimeResponse>(RpcMethod.proximity.verifiedTime, { connectionId: near.connectionId, timeZone: 'UTC' });
    expect(relay.fraudSignals.relaySuspected).toBe(true);
    expect(honest.fraudSignals.relaySuspected).toBe(false);
  });

  it('reaches a milestone exactly once when both phones’ concurrent heartbeats are served by two replicas', async () => {
    const pair = await sut.activePair();
    sut.clearDeliveries();
    // 5 minutes of verified time at 5 s steps; each step both phones beat twice at the same instant, and the
    // queue group spreads the four commands over the two replicas. Tokens rotate on the way (the partner
    // picks up the owner's new advertisement).
    for (let step = 0; step < 61; step++) {
      sut.clock.advanceSeconds(5);
      for (const rotated of (await race((j) => j.rotateTokens())).flat()) {
        if (rotated.connectionId !== pair.connectionId) continue;
        if (rotated.userId === pair.a) pair.tokenOfA = rotated.token;
        else pair.tokenOfB = rotated.token;
      }
      await Promise.all([sut.beat(pair, pair.a), sut.beat(pair, pair.b), sut.beat(pair, pair.a), sut.beat(pair, pair.b)]);
    }
    await sut.settle();
    for (const user of [pair.a, pair.b]) {
      expect(sut.deliveredTo(user, 'proximity.milestone.reached').map((d) => d.payload)).toEqual([
        { connectionId: pair.connectionId, milestone: 5, giftTier: 1, message: "You've been together 5 minutes - a new gift is ready." },
      ]);
    }
    const events: unknown[] = await sut.db.query(
      `SELECT 1 FROM outbox_events WHERE name = 'proximity.milestone_reached' AND payload->>'connectionId' = $1`,
      [pair.connectionId],
    );
    expect(events).toHaveLength(1);
    const [{ accumulated_ms }] = (await sut.db.query(`SELECT accumulated_ms FROM proximity_connections WHERE connection_id = $1`, [
      pair.connectionId,
    ])) as Array<{ accumulated_ms: string }>;
    expect(Number(accumulated_ms)).toBe(305_000);
    await sut.ok('proximity.session.end', { connectionId: pair.connectionId }, pair.a);
  });

  it('forgets tokens after the retention, so the table does not grow without bound', async () => {
    const pair = await sut.connectPair();
    await sut.token(pair, pair.a);
    sut.clock.advanceSeconds(90 + 48 * 3600 - 1);
    await race((j) => j.purgeTokens());
    const [{ count: before }] = (await sut.db.query(`SELECT count(*)::int AS count FROM proximity_tokens WHERE connection_id = $1`, [
      pair.connectionId,
    ])) as Array<{ count: number }>;
    expect(before).toBe(1);
    sut.clock.advanceSeconds(2);
    const purged = await race((j) => j.purgeTokens());
    expect(purged[0] + purged[1]).toBeGreaterThanOrEqual(1);
    const [{ count: after }] = (await sut.db.query(`SELECT count(*)::int AS count FROM proximity_tokens WHERE connection_id = $1`, [
      pair.connectionId,
    ])) as Array<{ count: number }>;
    expect(after).toBe(0);
  });
});
