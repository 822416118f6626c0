import {
  ErrorCode,
  RpcMethod,
  type BootstrapPart,
  type ConnectionStatsResponse,
  type ProximitySummary,
  type VerifiedTimeResponse,
} from '@gisbi/contracts';
import { eventsOf, ProximityHarness, type Pair } from '../test-support/proximity-harness';
import { ProximityEngine } from './proximity-engine';

// A "minute" is one second in this file, so milestones (5, 15, 30, 60, 120) are reached in seconds.
const WINDOW_MS = 15_000;

describe(ProximityEngine.name, () => {
  let sut: ProximityHarness;

  beforeAll(async () => {
    sut = await ProximityHarness.start({ label: 'proxsessions', env: { PROXIMITY_MINUTE_SECONDS: '1' } });
  });

  afterAll(async () => {
    await sut.close();
  });

  async function sessionRows(connectionId: string): Promise<Array<{ status: string; activated_at: Date | null; accumulated_ms: string }>> {
    return sut.db.query(`SELECT status, activated_at, accumulated_ms FROM proximity_sessions WHERE connection_id = $1 ORDER BY created_at`, [
      connectionId,
    ]);
  }

  describe('proximity.session.start', () => {
    it('waits for the partner after the first scan and activates for both after the second', async () => {
      const pair = await sut.connectPair();
      const tokenOfA = (await sut.token(pair, pair.a)).token;
      const tokenOfB = (await sut.token(pair, pair.b)).token;

      const first = await sut.ok('proximity.session.start', { connectionId: pair.connectionId, token: tokenOfB, rssi: -60 }, pair.a);
      expect(first).toEqual([
        { type: 'proximity.session.start', payload: { sessionActive: false, yourTokenReceived: true, waitingForPartner: true } },
      ]);
      await sut.waitForDelivery(pair.b, 'proximity.partner.confirmed');
      expect(sut.deliveredTo(pair.b, 'proximity.partner.confirmed').map((d) => d.payload)).toEqual([{ connectionId: pair.connectionId }]);

      const second = await sut.ok('proximity.session.start', { connectionId: pair.connectionId, token: tokenOfA, rssi: -61 }, pair.b);
      const activeUpdate = {
        connectionId: pair.connectionId,
        accumulatedSeconds: 0,
        sessionActive: true,
        currentSessionSeconds: 0,
        unlockedMilestones: [],
        nextMilestoneMinutes: 5,
      };
      expect(second).toEqual([
        { type: 'proximity.session.start', payload: { sessionActive: true, yourTokenReceived: true, waitingForPartner: false } },
        { type: 'proximity.session.updated', payload: activeUpdate },
      ]);
      await sut.waitForDelivery(pair.a, 'proximity.session.updated');
      expect(sut.deliveredTo(pair.a, 'proximity.partner.confirmed').map((d) => d.payload)).toEqual([{ connectionId: pair.connectionId }]);
      expect(sut.deliveredTo(pair.a, 'proximity.session.updated').map((d) => d.payload)).toEqual([activeUpdate]);
      // B's own socket got it in the reply; B's other devices get it from the delivery.
      expect(sut.deliveredTo(pair.b, 'proximity.session.updated')[0]?.exceptSocketId).toBe(sut.socketOf(pair.b));

      const changed: Array<{ payload: { active: boolean } }> = await sut.db.query(
        `SELECT payload FROM outbox_events WHERE name = 'proximity.session_changed' AND payload->>'connectionId' = $1`,
        [pair.connectionId],
      );
      expect(changed.map((row) => row.payload.active)).toEqual([true]);
    });

    it('is idempotent: a repeated start returns the same ACK and resets or repeats nothing', async () => {
      const pair = await sut.connectPair();
      const tokenOfA = (await sut.token(pair, pair.a)).token;
      const tokenOfB = (await sut.token(pair, pair.b)).token;
      const waiting = { sessionActive: false, yourTokenReceived: true, waitingForPartner: true };
      expect(eventsOf(await sut.ok('proximity.session.start', { connectionId: pair.connectionId, token: tokenOfB, rssi: -60 }, pair.a), 'proximity.session.start')).toEqual([waiting]);
      expect(await sut.ok('proximity.session.start', { connectionId: pair.connectionId, token: tokenOfB, rssi: -62 }, pair.a)).toEqual([
        { type: 'proximity.session.start', payload: waiting },
      ]);
      await sut.ok('proximity.session.start', { connectionId: pair.connectionId, token: tokenOfA, rssi: -61 }, pair.b);
      const [before] = await sessionRows(pair.connectionId);
      await sut.settle();
      const counts = () => [
        sut.deliveredTo(pair.b, 'proximity.partner.confirmed').length,
        sut.deliveredTo(pair.a, 'proximity.partner.confirmed').length,
        sut.deliveredTo(pair.a, 'proximity.session.updated').length,
        sut.deliveredTo(pair.b, 'proximity.session.updated').length,
      ];
      expect(counts()).toEqual([1, 1, 1, 1]);

      sut.clock.advanceSeconds(1);
      const repeated = await sut.ok('proximity.session.start', { connectionId: pair.connectionId, token: tokenOfB, rssi: -63 }, pair.a);
      expect(repeated).toEqual([
        { type: 'proximity.session.start', payload: { sessionActive: true, yourTokenReceived: true, waitingForPartner: false } },
      ]);
      await sut.settle();
      expect(counts()).toEqual([1, 1, 1, 1]);
      const after = await sessionRows(pair.connectionId);
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({ status: 'active', activated_at: before!.activated_at });
    });
  });

  describe('errors', () => {
    let pair: Pair & { tokenOfA: string; tokenOfB: string };
    let outsider: string;

    beforeAll(async () => {
      pair = await sut.activePair();
      outsider = sut.newUser();
    });

    it.each(['proximity.session.start', 'proximity.heartbeat'] as const)('%s validates every field', async (type) => {
      const valid = { connectionId: pair.connectionId, token: pair.tokenOfB, rssi: -60 };
      const code = async (payload: unknown) => (await sut.fails(type, payload, pair.a)).code;
      expect(await code({ token: pair.tokenOfB, rssi: -60 })).toBe(ErrorCode.missing_connectionId);
      expect(await code({ connectionId: pair.connectionId, rssi: -60 })).toBe(ErrorCode.missing_token);
      expect(await code({ connectionId: pair.connectionId, token: pair.tokenOfB })).toBe(ErrorCode.missing_rssi);
      expect(await code({ ...valid, rssi: 'strong' })).toBe(ErrorCode.invalid_rssi);
      expect(await code({ ...valid, rssi: -128 })).toBe(ErrorCode.invalid_rssi);
      expect(await code({ ...valid, rssi: 1 })).toBe(ErrorCode.invalid_rssi);
      // The -40 dBm rule: stronger is refused, -40 itself is accepted.
      expect(await code({ ...valid, rssi: -39 })).toBe(ErrorCode.invalid_rssi);
      expect(await code({ ...valid, rssi: 0 })).toBe(ErrorCode.invalid_rssi);
      expect((await sut.command(type, { ...valid, rssi: -40 }, pair.a)).ok).toBe(true);
    });

    it.each(['proximity.session.start', 'proximity.heartbeat'] as const)('%s accepts only the partner’s token of this connection', async (type) => {
      const other = await sut.activePair();
      const code = async (token: string) => (await sut.fails(type, { connectionId: pair.connectionId, token, rssi: -60 }, pair.a)).code;
      expect(await code('0000000000000000')).toBe(ErrorCode.invalid_token);
      expect(await code('not-a-token')).toBe(ErrorCode.invalid_token);
      expect(await code(pair.tokenOfA)).toBe(ErrorCode.invalid_token); // the sender's own token
      expect(await code(other.tokenOfB)).toBe(ErrorCode.invalid_token); // another connection's token
      const upperCase = await sut.command(type, { connectionId: pair.connectionId, token: pair.tokenOfB.toUpperCase(), rssi: -60 }, pair.a);
      expect(upperCase.ok).toBe(true);
    });

    it('refuses non-participants, unknown and closed connections alike with not_allowed', async () => {
      const closed = await sut.activePair();
      await sut.closeConnection(closed);
      const attempts = [
        { userId: outsider, connectionId: pair.connectionId, token: pair.tokenOfB },
        { userId: pair.a, connectionId: 'conn_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E', token: pair.tokenOfB },
        { userId: closed.a, connectionId: closed.connectionId, token: closed.tokenOfB },
      ];
      for (const { userId, connectionId, token } of attempts) {
        for (const type of ['proximity.session.start', 'proximity.heartbeat'] as const) {
          const error = await sut.fails(type, { connectionId, token, rssi: -60 }, userId);
          expect(error).toMatchObject({ code: ErrorCode.not_allowed, domain: 'proximity' });
        }
        expect((await sut.fails('proximity.session.end', { connectionId }, userId)).code).toBe(ErrorCode.not_allowed);
      }
      expect((await sut.fails('proximity.session.end', {}, pair.a)).code).toBe(ErrorCode.missing_connectionId);
    });
  });

  describe('proximity.heartbeat', () => {
    it('earns nothing from one phone alone, and pauses once the other side is silent for the window', async () => {
      const pair = await sut.activePair();
      for (let second = 5; second <= 15; second += 5) {
        sut.clock.advanceSeconds(5);
        expect(eventsOf(await sut.beat(pair, pair.a), 'proximity.heartbeat')).toEqual([{ sessionActive: true, accumulatedSeconds: 0 }]);
      }
      sut.clock.advanceSeconds(5);
      // B's last event is 20 s old: the run paused at 15 s, with nothing earned.
      expect(eventsOf(await sut.beat(pair, pair.a), 'proximity.heartbeat')).toEqual([{ sessionActive: false, accumulatedSeconds: 0 }]);
      expect(await sessionRows(pair.connectionId)).toEqual([expect.objectContaining({ status: 'paused', accumulated_ms: '0' })]);
    });

    it('credits the overlap of both phones and pushes the progress to both', async () => {
      const pair = await sut.activePair();
      sut.clock.advanceSeconds(3);
      const fromA = await sut.beat(pair, pair.a);
      expect(eventsOf(fromA, 'proximity.heartbeat')).toEqual([{ sessionActive: true, accumulatedSeconds: 0 }]);
      expect(eventsOf(fromA, 'proximity.session.updated')).toEqual([]);
      sut.clock.advanceSeconds(1);
      const fromB = await sut.beat(pair, pair.b);
      expect(eventsOf(fromB, 'proximity.heartbeat')).toEqual([{ sessionActive: true, accumulatedSeconds: 3 }]);
      expect(eventsOf(fromB, 'proximity.session.updated')).toEqual([
        expect.objectContaining({ accumulatedSeconds: 3, currentSessionSeconds: 3, sessionActive: true }),
      ]);
      await sut.waitForDelivery(pair.a, 'proximity.session.updated', (p) => p.accumulatedSeconds === 3);
    });

    it('pushes progress only when what it shows changed', async () => {
      const pair = await sut.activePair();
      sut.clock.advance(1000);
      await sut.beat(pair, pair.a);
      expect(eventsOf(await sut.beat(pair, pair.b), 'proximity.session.updated')).toEqual([
        expect.objectContaining({ accumulatedSeconds: 1, currentSessionSeconds: 1 }),
      ]);
      sut.clock.advance(300);
      await sut.beat(pair, pair.a);
      const subSecond = await sut.beat(pair, pair.b); // 0.3 s more: still "1 second"
      expect(eventsOf(subSecond, 'proximity.heartbeat')).toEqual([{ sessionActive: true, accumulatedSeconds: 1 }]);
      expect(eventsOf(subSecond, 'proximity.session.updated')).toEqual([]);
      sut.clock.advance(700);
      await sut.beat(pair, pair.a);
      expect(eventsOf(await sut.beat(pair, pair.b), 'proximity.session.updated')).toEqual([
        expect.objectContaining({ accumulatedSeconds: 2, currentSessionSeconds: 2 }),
      ]);
    });

    it('bridges a gap of exactly the window and nothing longer', async () => {
      const exact = await sut.activePair();
      sut.clock.advance(WINDOW_MS);
      await sut.beat(exact, exact.a);
      expect(eventsOf(await sut.beat(exact, exact.b), 'proximity.heartbeat')).toEqual([{ sessionActive: true, accumulatedSeconds: 15 }]);

      const late = await sut.activePair();
      sut.clock.advance(WINDOW_MS + 1);
      expect(eventsOf(await sut.beat(late, late.a), 'proximity.heartbeat')).toEqual([{ sessionActive: false, accumulatedSeconds: 0 }]);
      expect(eventsOf(await sut.beat(late, late.b), 'proximity.heartbeat')).toEqual([{ sessionActive: false, accumulatedSeconds: 0 }]);
      await sut.waitForDelivery(late.a, 'proximity.session.updated', (p) => !p.sessionActive && p.gracePeriodSeconds !== undefined);
    });

    it('reaches each milestone exactly once while both phones heartbeat at the same time', async () => {
      const pair = await sut.activePair();
      for (let second = 1; second <= 8; second++) {
        sut.clock.advanceSeconds(1);
        // Both phones (and a duplicate from each) at the same instant.
        await Promise.all([sut.beat(pair, pair.a), sut.beat(pair, pair.b), sut.beat(pair, pair.a), sut.beat(pair, pair.b)]);
      }
      await sut.settle();
      const reached = {
        connectionId: pair.connectionId,
        milestone: 5,
        giftTier: 1,
        message: "You've been together 5 minutes - a new gift is ready.",
      };
      expect(sut.deliveredTo(pair.a, 'proximity.milestone.reached').map((d) => d.payload)).toEqual([reached]);
      expect(sut.deliveredTo(pair.b, 'proximity.milestone.reached').map((d) => d.payload)).toEqual([reached]);
      const rows: unknown[] = await sut.db.query(`SELECT 1 FROM proximity_milestones WHERE connection_id = $1`, [pair.connectionId]);
      expect(rows).toHaveLength(1);
      const events: Array<{ payload: { milestone: number; reachedAt: string; accumulatedSeconds: number } }> = await sut.db.query(
        `SELECT payload FROM outbox_events WHERE name = 'proximity.milestone_reached' AND payload->>'connectionId' = $1`,
        [pair.connectionId],
      );
      expect(events).toHaveLength(1);
      expect(events[0]!.payload.milestone).toBe(5);
      const summary = await sut.rpcOk<ProximitySummary>(RpcMethod.proximity.summary, { connectionId: pair.connectionId, userId: pair.a });
      expect(summary).toMatchObject({ accumulatedSeconds: 8, accumulatedMinutes: 8, unlockedMilestones: [5], nextMilestone: 15, secondsUntilNext: 7 });
    });

    it('on a paused run earns nothing and does not resume it', async () => {
      const pair = await sut.activePair();
      await sut.ok('proximity.session.end', { connectionId: pair.connectionId }, pair.a);
      sut.clock.advanceSeconds(2);
      expect(eventsOf(await sut.beat(pair, pair.a), 'proximity.heartbeat')).toEqual([{ sessionActive: false, accumulatedSeconds: 0 }]);
      expect(eventsOf(await sut.beat(pair, pair.b), 'proximity.heartbeat')).toEqual([{ sessionActive: false, accumulatedSeconds: 0 }]);
    });

    it('records fraud signals with the intervals they taint', async () => {
      const pair = await sut.activePair();
      const stale = pair.tokenOfB;
      const fresh = (await sut.token(pair, pair.b)).token; // the re-issue invalidates the scanned token at once
      sut.clock.advanceSeconds(1);
      expect((await sut.fails('proximity.heartbeat', { connectionId: pair.connectionId, token: stale, rssi: -60 }, pair.a)).code).toBe(
        ErrorCode.invalid_token,
      );
      const withFresh = { ...pair, tokenOfB: fresh };
      for (let i = 0; i < 14; i++) {
        sut.clock.advanceSeconds(5);
        await sut.ok('proximity.heartbeat', { connectionId: pair.connectionId, token: fresh, rssi: -70 }, pair.a); // constant
        await sut.beat(withFresh, pair.b);
      }
      const time = await sut.rpcOk<VerifiedTimeResponse>(RpcMethod.proximity.verifiedTime, {
        connectionId: pair.connectionId,
        timeZone: 'UTC',
      });
      expect(time.fraudSignals).toEqual({ relaySuspected: false, constantRssi: true, tokenReplay: true, implausibleCadence: true });
      const flagged: Array<{ flags: number }> = await sut.db.query(
        `SELECT flags FROM verified_intervals WHERE connection_id = $1 ORDER BY started_at`,
        [pair.connectionId],
      );
      expect(flagged[0]!.flags & 4).toBe(4); // the replay taints the next interval only
      expect(flagged.slice(1).every((row) => (row.flags & 4) === 0)).toBe(true);
      const [{ token_replays }] = (await sut.db.query(`SELECT token_replays FROM proximity_connections WHERE connection_id = $1`, [
        pair.connectionId,
      ])) as Array<{ token_replays: number }>;
      expect(token_replays).toBe(1);
    });
  });

  describe('proximity.session.end', () => {
    it('pauses the run for both with the grace period, and both phones must scan again to resume', async () => {
      const pair = await sut.activePair();
      sut.clock.advanceSeconds(4);
      await sut.beat(pair, pair.a);
      await sut.beat(pair, pair.b);
      const ended = await sut.ok('proximity.session.end', { connectionId: pair.connectionId }, pair.a);
      const paused = {
        connectionId: pair.connectionId,
        sessionActive: false,
        accumulatedSeconds: 4,
        currentSessionSeconds: 0,
        unlockedMilestones: [],
        nextMilestoneMinutes: 5,
        gracePeriodSeconds: 30,
      };
      expect(ended).toEqual([{ type: 'proximity.session.updated', payload: paused }]);
      await sut.waitForDelivery(pair.b, 'proximity.session.updated', (p) => p.gracePeriodSeconds === 30);

      sut.clock.advanceSeconds(5);
      expect(eventsOf(await sut.ok('proximity.session.start', { connectionId: pair.connectionId, token: pair.tokenOfB, rssi: -60 }, pair.a), 'proximity.session.start')).toEqual([
        { sessionActive: false, yourTokenReceived: true, waitingForPartner: true },
      ]);
      const resumed = await sut.ok('proximity.session.start', { connectionId: pair.connectionId, token: pair.tokenOfA, rssi: -60 }, pair.b);
      expect(eventsOf(resumed, 'proximity.session.updated')).toEqual([
        expect.objectContaining({ sessionActive: true, accumulatedSeconds: 4, currentSessionSeconds: 0 }),
      ]);
      const rows = await sessionRows(pair.connectionId);
      expect(rows).toHaveLength(1); // resumed within the grace: the same run
    });

    it('answers both users with the current state when there is no run', async () => {
      const pair = await sut.connectPair();
      const idle = {
        connectionId: pair.connectionId,
        sessionActive: false,
        accumulatedSeconds: 0,
        currentSessionSeconds: 0,
        unlockedMilestones: [],
        nextMilestoneMinutes: 5,
      };

      expect(await sut.ok('proximity.session.end', { connectionId: pair.connectionId }, pair.b)).toEqual([
        { type: 'proximity.session.updated', payload: idle },
      ]);
      expect((await sut.waitForDelivery(pair.a, 'proximity.session.updated', (p) => p.connectionId === pair.connectionId)).payload).toEqual(idle);
    });

    it('tells the partner when the sender withdraws a scan the partner has not answered yet', async () => {
      const pair = await sut.connectPair();
      const tokenOfB = (await sut.token(pair, pair.b)).token;
      await sut.ok('proximity.session.start', { connectionId: pair.connectionId, token: tokenOfB, rssi: -60 }, pair.a);

      const withdrawn = await sut.ok('proximity.session.end', { connectionId: pair.connectionId }, pair.a);

      expect(eventsOf(withdrawn, 'proximity.session.updated')).toEqual([expect.objectContaining({ sessionActive: false })]);
      await sut.waitForDelivery(pair.b, 'proximity.session.updated', (p) => p.sessionActive === false);
    });
  });

  describe('read side', () => {
    it('summary: progress, milestones and recent runs, for participants only', async () => {
      const pair = await sut.activePair();
      for (let i = 0; i < 4; i++) {
        sut.clock.advanceSeconds(4);
        await sut.beat(pair, pair.a);
        await sut.beat(pair, pair.b);
      }
      const summary = await sut.rpcOk<ProximitySummary>(RpcMethod.proximity.summary, { connectionId: pair.connectionId, userId: pair.b });
      expect(summary).toEqual({
        connectionId: pair.connectionId,
        accumulatedSeconds: 16,
        accumulatedMinutes: 16,
        unlockedMilestones: [5, 15],
        nextMilestone: 30,
        secondsUntilNext: 14,
        sessions: [{ startedAt: expect.any(String), endedAt: null, durationSeconds: 16, status: 'active' }],
      });
      const foreign = await sut.rpc(RpcMethod.proximity.summary, { connectionId: pair.connectionId, userId: sut.newUser() });
      expect(foreign).toMatchObject({ ok: false, error: { code: ErrorCode.connection_not_found, status: 404 } });
    });

    it('bootstrap: the current run with the viewer’s live token, or null', async () => {
      const pair = await sut.activePair();
      const tokenOfA = await sut.token(pair, pair.a);
      const part = await sut.rpcOk<BootstrapPart>(RpcMethod.all.bootstrap, { userId: pair.a });
      expect(part).toEqual({
        proximitySession: {
          connectionId: pair.connectionId,
          accumulatedSeconds: 0,
          status: 'active',
          currentSessionSeconds: 0,
          unlockedMilestones: [],
          bleToken: tokenOfA.token,
          bleTokenExpiresAt: tokenOfA.expiresAt,
        },
      });
      await sut.ok('proximity.session.end', { connectionId: pair.connectionId }, pair.b);
      sut.clock.advanceSeconds(91);
      expect(await sut.rpcOk<BootstrapPart>(RpcMethod.all.bootstrap, { userId: pair.a })).toEqual({ proximitySession: null });
      expect(await sut.rpcOk<BootstrapPart>(RpcMethod.all.bootstrap, { userId: sut.newUser() })).toEqual({ proximitySession: null });
    });

    it('verified_time: totals per local day, active now, and refuses bad input', async () => {
      const pair = await sut.activePair();
      for (let i = 0; i < 3; i++) {
        sut.clock.advanceSeconds(5);
        await sut.beat(pair, pair.a);
        await sut.beat(pair, pair.b);
      }
      const time = await sut.rpcOk<VerifiedTimeResponse>(RpcMethod.proximity.verifiedTime, {
        connectionId: pair.connectionId,
        timeZone: 'America/New_York',
      });
      expect(time.totalSeconds).toBe(15);
      expect(time.days).toEqual([{ date: sut.clock.nowIso().slice(0, 10), seconds: 15 }]);
      expect(time.activeNow).toBe(true);
      const clipped = await sut.rpcOk<VerifiedTimeResponse>(RpcMethod.proximity.verifiedTime, {
        connectionId: pair.connectionId,
        timeZone: 'UTC',
        from: new Date(sut.clock.nowMs() - 10_000).toISOString(),
        to: new Date(sut.clock.nowMs() - 5_000).toISOString(),
      });
      expect(clipped.totalSeconds).toBe(5);
      sut.clock.advanceSeconds(16);
      expect((await sut.rpcOk<VerifiedTimeResponse>(RpcMethod.proximity.verifiedTime, { connectionId: pair.connectionId, timeZone: 'UTC' })).activeNow).toBe(false);

      const bad = await sut.rpc(RpcMethod.proximity.verifiedTime, { connectionId: pair.connectionId, timeZone: 'Nowhere/City' });
      expect(bad).toMatchObject({ ok: false, error: { code: ErrorCode.invalid_payload, status: 400 } });
      const badRange = await sut.rpc(RpcMethod.proximity.verifiedTime, { connectionId: pair.connectionId, timeZone: 'UTC', from: 'yesterday' });
      expect(badRange).toMatchObject({ ok: false, error: { code: ErrorCode.invalid_payload } });
      const unknown = await sut.rpc(RpcMethod.proximity.verifiedTime, { connectionId: 'conn_unknown', timeZone: 'UTC' });
      expect(unknown).toMatchObject({ ok: false, error: { code: ErrorCode.connection_not_found, status: 404 } });
    });

    it('connection_stats: batched minutes and next milestone, unknown ids absent', async () => {
      const pair = await sut.activePair();
      for (let i = 0; i < 2; i++) {
        sut.clock.advanceSeconds(3);
        await sut.beat(pair, pair.a);
        await sut.beat(pair, pair.b);
      }
      const fresh = await sut.connectPair();
      const closed = await sut.connectPair();
      await sut.closeConnection(closed);
      const { stats } = await sut.rpcOk<ConnectionStatsResponse>(RpcMethod.proximity.connectionStats, {
        connectionIds: [pair.connectionId, fresh.connectionId, closed.connectionId, 'conn_unknown'],
      });
      expect(stats).toEqual({
        [pair.connectionId]: { accumulatedMinutes: 6, nextMilestoneMinutes: 15 },
        [fresh.connectionId]: { accumulatedMinutes: 0, nextMilestoneMinutes: 5 },
        [closed.connectionId]: { accumulatedMinutes: 0, nextMilestoneMinutes: null },
      });
    });
  });
});
