import { DataSource } from 'typeorm';
import { ErrorCode, RpcMethod, type ClientEventType, type PositionsRequest, type PositionsResponse } from '@gisbi/contracts';
import type { ServerMessage } from '@gisbi/platform';
import { FraudFlag } from '../fraud/fraud-signals';
import { ProximityJobs } from '../jobs/proximity-jobs';
import { ProximityHarness, type Pair } from '../test-support/proximity-harness';
import { HeartbeatPool } from '../persistence/heartbeat-pool';
import { HeartbeatCache } from './heartbeat-cache';
import { ProximityEngine } from './proximity-engine';
import type { Session } from './session-model';
import { HEARTBEAT_SESSION_COLUMNS, SessionStore } from './session-store';

type ActivePair = Pair & { tokenOfA: string; tokenOfB: string };

/** What one replica asked the database for while settling heartbeats. */
interface Trips {
  /** Snapshot reads (the second round trip of a heartbeat not decided from memory). */
  snapshots: number;
  /** Compare-and-set writes, in order: whether each applied. */
  writes: boolean[];
  /** Heartbeats (or other commands) that went through the row-locked transaction. */
  locked: number;
}

// Two replicas on one database, each with its own cache (capacity 3, so eviction is observable). Tests
// call each replica's engine directly to choose which replica serves which heartbeat. A "minute" is one
// second: milestone 20 is 20 s of verified time.
describe(HeartbeatCache.name, () => {
  let sut: ProximityHarness;
  let rssi = 0;

  beforeAll(async () => {
    sut = await ProximityHarness.start({
      label: 'proxcache',
      instances: 2,
      env: { PROXIMITY_MINUTE_SECONDS: '1', PROXIMITY_MILESTONES_MINUTES: '20,600', PROXIMITY_HEARTBEAT_CACHE_ENTRIES: '3' },
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await sut.close();
  });

  const engine = (replica: number) => sut.get(ProximityEngine, replica);
  const cache = (replica: number) => sut.get(HeartbeatCache, replica);

  function command<P>(type: ClientEventType, payload: P, userId: string) {
    return { type, payload, userId, socketId: sut.socketOf(userId) };
  }

  /** A heartbeat from `userId` carrying the partner's token, served by `replica` (RSSI varies like a real radio). */
  function beatOn(replica: number, pair: ActivePair, userId: string): Promise<ServerMessage[]> {
    const token = userId === pair.a ? pair.tokenOfB : pair.tokenOfA;
    return engine(replica).heartbeat(command('proximity.heartbeat', { connectionId: pair.connectionId, token, rssi: -55 - (rssi++ % 9) }, userId));
  }

  function ackOf(messages: ServerMessage[]): unknown {
    return messages.find((m) => m.type === 'proximity.heartbeat')?.payload;
  }

  /** Counts the database work of `replica`'s heartbeats from now on. */
  function observe(replica: number): () => Trips {
    const store = sut.get(SessionStore, replica);
    const trips: Trips = { snapshots: 0, writes: [], locked: 0 };
    const snapshot = store.snapshotForHeartbeat.bind(store);
    const compareAndSet = store.compareAndSet.bind(store);
    const loadForProof = store.loadForProof.bind(store);
    jest.spyOn(store, 'snapshotForHeartbeat').mockImplementation((...args) => {
      trips.snapshots++;
      return snapshot(...args);
    });
    jest.spyOn(store, 'compareAndSet').mockImplementation(async (...args) => {
      const version = await compareAndSet(...args);
      trips.writes.push(version !== null);
      return version;
    });
    jest.spyOn(store, 'loadForProof').mockImplementation((...args) => {
      trips.locked++;
      return loadForProof(...args);
    });
    return () => ({ snapshots: trips.snapshots, writes: [...trips.writes], locked: trips.locked });
  }

  /** The pair's total, the sum of its intervals and the sum of its runs (ms): always equal. */
  async function totals(connectionId: string): Promise<{ pair: number; intervals: number; runs: number }> {
    const [row] = (await sut.db.query(
      `SELECT c.accumulated_ms AS pair,
              (SELECT coalesce(sum(extract(epoch FROM v.ended_at - v.started_at) * 1000), 0)::bigint
                 FROM verified_intervals v WHERE v.connection_id = c.connection_id) AS intervals,
              (SELECT coalesce(sum(s.accumulated_ms), 0)::bigint FROM proximity_sessions s WHERE s.connection_id = c.connection_id) AS runs
         FROM proximity_connections c WHERE c.connection_id = $1`,
      [connectionId],
    )) as Array<{ pair: string; intervals: string; runs: string }>;
    return { pair: Number(row!.pair), intervals: Number(row!.intervals), runs: Number(row!.runs) };
  }

  const seconds = (n: number) => ({ pair: n * 1000, intervals: n * 1000, runs: n * 1000 });

  /** A run the way a database row shows it (the exact pause deadline lives in the state). */
  function asStored(session: Session): unknown {
    return JSON.parse(JSON.stringify({ ...session, state: { ...session.state, pauseDueAt: session.pauseDueAt } }));
  }

  /** Both phones beat on replica 0 at the same instant: it then knows the connection and both tokens. */
  async function warmUp(pair: ActivePair, afterSeconds: number): Promise<void> {
    sut.clock.advanceSeconds(afterSeconds);
    await beatOn(0, pair, pair.a);
    await beatOn(0, pair, pair.b);
  }

  it('counts a change to every run column a heartbeat decides on in the run’s version, and to nothing else', async () => {
    const [trigger] = (await sut.db.query(
      `SELECT pg_get_triggerdef(t.oid) AS definition FROM pg_trigger t
         JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relname = 'proximity_sessions' AND t.tgname = 'proximity_sessions_version'`,
    )) as Array<{ definition: string }>;
    const counted = [...trigger!.definition.matchAll(/old\.(\w+)/gi)].map((match) => match[1]);
    const immutable = ['id', 'created_at'];
    expect(HEARTBEAT_SESSION_COLUMNS.filter((column) => !immutable.includes(column))).toEqual(counted);

    const pair = await sut.activePair();
    const version = async () =>
      ((await sut.db.query(`SELECT version::text AS version FROM proximity_sessions WHERE connection_id = $1`, [pair.connectionId])) as Array<{
        version: string;
      }>)[0]!.version;
    const before = await version();
    await sut.db.query(
      `UPDATE proximity_sessions SET pause_due_at = now(), positions_due_at = now(), last_distance_m = 3, updated_at = now() WHERE connection_id = $1`,
      [pair.connectionId],
    );
    expect(await version()).toBe(before);
    await sut.db.query(`UPDATE proximity_sessions SET pending_flags = pending_flags | 1 WHERE connection_id = $1`, [pair.connectionId]);
    expect(BigInt(await version())).toBe(BigInt(before) + 1n);
  });

  it('decides a known connection from memory: one compare-and-set per heartbeat, acked and pushed as before', async () => {
    const pair = await sut.activePair();
    const trips = observe(0);
    sut.clock.advanceSeconds(3);
    expect(await beatOn(0, pair, pair.a)).toEqual([{ type: 'proximity.heartbeat', payload: { sessionActive: true, accumulatedSeconds: 0 } }]);
    sut.clock.advanceSeconds(1);
    const update = (accumulatedSeconds: number) => ({
      connectionId: pair.connectionId,
      accumulatedSeconds,
      sessionActive: true,
      currentSessionSeconds: accumulatedSeconds,
      unlockedMilestones: [],
      nextMilestoneMinutes: 20,
    });
    expect(await beatOn(0, pair, pair.b)).toEqual([
      { type: 'proximity.heartbeat', payload: { sessionActive: true, accumulatedSeconds: 3 } },
      { type: 'proximity.session.updated', payload: update(3) },
    ]);
    // Each phone's first heartbeat presents a token the replica has not seen: snapshot, then write.
    expect(trips()).toEqual({ snapshots: 2, writes: [true, true], locked: 0 });

    for (let second = 5; second <= 8; second++) {
      sut.clock.advanceSeconds(1);
      expect(await beatOn(0, pair, second % 2 === 1 ? pair.a : pair.b)).toEqual([
        { type: 'proximity.heartbeat', payload: { sessionActive: true, accumulatedSeconds: second - 1 } },
        { type: 'proximity.session.updated', payload: update(second - 1) },
      ]);
    }
    expect(trips()).toEqual({ snapshots: 2, writes: [true, true, true, true, true, true], locked: 0 });
    await sut.waitForDelivery(pair.a, 'proximity.session.updated', (p) => p.accumulatedSeconds === 7);
    expect(await totals(pair.connectionId)).toEqual(seconds(7));

    // What the replica remembers is exactly what the database holds.
    const remembered = cache(0).lookup(pair.connectionId, pair.tokenOfA)?.evidence;
    const fresh = await sut.get(SessionStore, 1).snapshotForHeartbeat(sut.db.manager, pair.connectionId, pair.tokenOfA);
    expect(remembered?.version).toBe(fresh.version);
    expect(remembered?.connection).toEqual(fresh.connection);
    expect(asStored(remembered!.session)).toEqual(asStored(fresh.session!));
    expect(remembered?.tokens.map((row) => row.token).sort()).toEqual([pair.tokenOfA, pair.tokenOfB].sort());
  });

  it('refuses evidence another replica made stale and credits from a fresh snapshot', async () => {
    const pair = await sut.activePair();
    await warmUp(pair, 2); // replica 0: 2 s
    sut.clock.advanceSeconds(2);
    await beatOn(1, pair, pair.a);
    expect(ackOf(await beatOn(1, pair, pair.b))).toEqual({ sessionActive: true, accumulatedSeconds: 4 });

    const trips = observe(0);
    sut.clock.advanceSeconds(2);
    // Replica 0 still remembers the run at 2 s: its write is refused, the snapshot shows 4 s.
    expect(ackOf(await beatOn(0, pair, pair.a))).toEqual({ sessionActive: true, accumulatedSeconds: 4 });
    expect(ackOf(await beatOn(0, pair, pair.b))).toEqual({ sessionActive: true, accumulatedSeconds: 6 });
    expect(trips()).toEqual({ snapshots: 1, writes: [false, true, true], locked: 0 });
    expect(await totals(pair.connectionId)).toEqual(seconds(6));
  });

  it('refuses evidence when the run row changed under it (a replay flag) and applies the flag', async () => {
    const pair = await sut.activePair();
    await warmUp(pair, 2);
    await sut.db.query(`UPDATE proximity_sessions SET pending_flags = pending_flags | 4 WHERE connection_id = $1 AND status = 'active'`, [
      pair.connectionId,
    ]);
    const trips = observe(0);
    await warmUp(pair, 2);
    expect(trips()).toEqual({ snapshots: 1, writes: [false, true, true], locked: 0 });
    const intervals = (await sut.db.query(`SELECT flags FROM verified_intervals WHERE connection_id = $1 ORDER BY started_at`, [
      pair.connectionId,
    ])) as Array<{ flags: number }>;
    expect(intervals.map((row) => row.flags & 4)).toEqual([0, 4]);
    expect(await totals(pair.connectionId)).toEqual(seconds(4));
  });

  it('refuses evidence when the connection’s total changed under it, and acks the database’s total', async () => {
    const pair = await sut.activePair();
    await warmUp(pair, 2);
    await sut.db.query(`UPDATE proximity_connections SET accumulated_ms = accumulated_ms + 1000 WHERE connection_id = $1`, [pair.connectionId]);
    const trips = observe(0);
    sut.clock.advanceSeconds(2);
    expect(ackOf(await beatOn(0, pair, pair.a))).toEqual({ sessionActive: true, accumulatedSeconds: 3 });
    expect(ackOf(await beatOn(0, pair, pair.b))).toEqual({ sessionActive: true, accumulatedSeconds: 5 });
    expect(trips()).toEqual({ snapshots: 1, writes: [false, true, true], locked: 0 });
  });

  it('refuses evidence when the connection was closed under it: not allowed, nothing credited', async () => {
    const pair = await sut.activePair();
    await warmUp(pair, 2);
    // Only the projection row changes (the run stays active), so only the connection check can notice.
    await sut.db.query(`UPDATE proximity_connections SET status = 'closed' WHERE connection_id = $1`, [pair.connectionId]);
    const trips = observe(0);
    sut.clock.advanceSeconds(2);
    await beatOn(0, pair, pair.a).then(
      () => Promise.reject(new Error('heartbeat on a closed connection was accepted')),
      (error: unknown) => expect(error).toMatchObject({ code: ErrorCode.not_allowed }),
    );
    expect(trips()).toEqual({ snapshots: 1, writes: [false], locked: 0 });
    expect(await totals(pair.connectionId)).toEqual(seconds(2));
  });

  it('refuses a remembered token that was replaced meanwhile: the locked path accepts it in its grace', async () => {
    const pair = await sut.activePair();
    await warmUp(pair, 2);
    await sut.db.query(`UPDATE proximity_tokens SET replaced_at = $2, replaced_reason = 'rotated' WHERE token = $1`, [pair.tokenOfB, sut.clock.now()]);
    const trips = observe(0);
    sut.clock.advanceSeconds(2);
    expect(ackOf(await beatOn(0, pair, pair.a))).toEqual({ sessionActive: true, accumulatedSeconds: 2 });
    expect(trips()).toEqual({ snapshots: 1, writes: [false], locked: 1 });
    const [{ grace_uses }] = (await sut.db.query(`SELECT grace_uses FROM proximity_tokens WHERE token = $1`, [pair.tokenOfB])) as Array<{
      grace_uses: number;
    }>;
    expect(grace_uses).toBe(1);
  });

  it('refuses a remembered token that stopped being accepted meanwhile: a replay, refused and recorded', async () => {
    const pair = await sut.activePair();
    await warmUp(pair, 2);
    await sut.db.query(`UPDATE proximity_tokens SET accept_until = $2 WHERE token = $1`, [pair.tokenOfB, sut.clock.now()]);
    const trips = observe(0);
    sut.clock.advanceSeconds(2);
    await beatOn(0, pair, pair.a).then(
      () => Promise.reject(new Error('a token past its acceptance was accepted')),
      (error: unknown) => expect(error).toMatchObject({ code: ErrorCode.invalid_token }),
    );
    expect(trips()).toEqual({ snapshots: 1, writes: [false], locked: 1 });
    const [{ token_replays }] = (await sut.db.query(`SELECT token_replays FROM proximity_connections WHERE connection_id = $1`, [
      pair.connectionId,
    ])) as Array<{ token_replays: number }>;
    expect(token_replays).toBe(1);
    expect(await totals(pair.connectionId)).toEqual(seconds(2));
  });

  it('follows a token rotation by the other replica’s job between heartbeats', async () => {
    const pair = await sut.activePair();
    for (let second = 10; second <= 60; second += 10) await warmUp(pair, 10);
    const rotated = await sut.get(ProximityJobs, 1).rotateTokens();
    expect(rotated.filter((r) => r.connectionId === pair.connectionId)).toHaveLength(2);
    const trips = observe(0);
    // The partner's scanner still sees the old advertisement: refused from memory, accepted in the grace.
    sut.clock.advanceSeconds(1);
    expect(ackOf(await beatOn(0, pair, pair.a))).toEqual({ sessionActive: true, accumulatedSeconds: 60 });
    expect(trips()).toEqual({ snapshots: 1, writes: [false], locked: 1 });
    const next: ActivePair = {
      ...pair,
      tokenOfA: rotated.find((r) => r.connectionId === pair.connectionId && r.userId === pair.a)!.token,
      tokenOfB: rotated.find((r) => r.connectionId === pair.connectionId && r.userId === pair.b)!.token,
    };
    sut.clock.advanceSeconds(1);
    expect(ackOf(await beatOn(0, next, next.b))).toEqual({ sessionActive: true, accumulatedSeconds: 61 });
    expect(ackOf(await beatOn(0, next, next.a))).toEqual({ sessionActive: true, accumulatedSeconds: 62 });
    sut.clock.advanceSeconds(1);
    expect(ackOf(await beatOn(0, next, next.b))).toEqual({ sessionActive: true, accumulatedSeconds: 62 });
    expect(ackOf(await beatOn(0, next, next.a))).toEqual({ sessionActive: true, accumulatedSeconds: 63 });
    // New tokens are new evidence (snapshot once each), then remembered.
    expect(trips()).toEqual({ snapshots: 3, writes: [false, true, true, true, true], locked: 1 });
    expect(await totals(pair.connectionId)).toEqual(seconds(63));
  });

  it('notices the run paused by the partner on the other replica between heartbeats', async () => {
    const pair = await sut.activePair();
    await warmUp(pair, 2);
    sut.clock.advanceSeconds(1);
    await engine(1).end(command('proximity.session.end', { connectionId: pair.connectionId }, pair.b));
    const trips = observe(0);
    sut.clock.advanceSeconds(1);
    expect(ackOf(await beatOn(0, pair, pair.a))).toEqual({ sessionActive: false, accumulatedSeconds: 2 });
    expect(trips()).toEqual({ snapshots: 1, writes: [false], locked: 1 });
    expect(await totals(pair.connectionId)).toEqual(seconds(2));
  });

  it('credits nothing of a pause that the other replica resumed between heartbeats', async () => {
    const pair = await sut.activePair();
    await warmUp(pair, 2);
    sut.clock.advanceSeconds(1);
    await engine(1).end(command('proximity.session.end', { connectionId: pair.connectionId }, pair.b));
    sut.clock.advanceSeconds(2);
    await engine(1).start(command('proximity.session.start', { connectionId: pair.connectionId, token: pair.tokenOfB, rssi: -60 }, pair.a));
    await engine(1).start(command('proximity.session.start', { connectionId: pair.connectionId, token: pair.tokenOfA, rssi: -61 }, pair.b));
    const trips = observe(0);
    sut.clock.advanceSeconds(2);
    expect(ackOf(await beatOn(0, pair, pair.a))).toEqual({ sessionActive: true, accumulatedSeconds: 2 });
    const fromB = await beatOn(0, pair, pair.b);
    expect(fromB).toEqual([
      { type: 'proximity.heartbeat', payload: { sessionActive: true, accumulatedSeconds: 4 } },
      { type: 'proximity.session.updated', payload: expect.objectContaining({ accumulatedSeconds: 4, currentSessionSeconds: 2 }) },
    ]);
    expect(trips()).toEqual({ snapshots: 1, writes: [false, true, true], locked: 0 });
    expect(await totals(pair.connectionId)).toEqual(seconds(4));
  });

  it('keeps remembering the run when the timer job moves its wake-up between heartbeats', async () => {
    const pair = await sut.activePair();
    const activatedAt = sut.clock.nowMs();
    await warmUp(pair, 10);
    sut.clock.advanceSeconds(6); // past the wake-up written at activation (15 s), before the real deadline (25 s)
    await sut.get(ProximityJobs, 1).expireSessions();
    const [run] = (await sut.db.query(`SELECT status, pause_due_at FROM proximity_sessions WHERE connection_id = $1`, [
      pair.connectionId,
    ])) as Array<{ status: string; pause_due_at: Date }>;
    expect(run).toEqual({ status: 'active', pause_due_at: new Date(activatedAt + 25_000) });
    const trips = observe(0);
    sut.clock.advanceSeconds(1);
    await warmUp(pair, 0);
    // The wake-up column is the job's bookkeeping, not something a heartbeat decides on: nothing refused.
    expect(trips()).toEqual({ snapshots: 0, writes: [true, true], locked: 0 });
    expect(await totals(pair.connectionId)).toEqual(seconds(17));
  });

  it('keeps remembering the run through the relay check’s bookkeeping, and refuses it once the check flags a relay', async () => {
    const pair = await sut.activePair();
    await warmUp(pair, 2);
    const trips = observe(0);
    // The check claims the run (moves its next check time), but presence does not answer: nothing changes.
    expect(await sut.get(ProximityJobs, 1).checkPositions()).toBe(0);
    await warmUp(pair, 2);
    expect(trips()).toEqual({ snapshots: 0, writes: [true, true], locked: 0 });

    await sut.db.query(`UPDATE proximity_sessions SET positions_due_at = $1 WHERE connection_id = $2`, [sut.clock.now(), pair.connectionId]);
    const updatedAt = sut.clock.nowIso();
    const presence = sut.answer<PositionsRequest, PositionsResponse>('presence', RpcMethod.presence.positions, () => ({
      positions: {
        [pair.a]: { lat: 6.5244, lng: 3.3792, accuracyMeters: 5, updatedAt },
        [pair.b]: { lat: 6.4541, lng: 3.3947, accuracyMeters: 5, updatedAt }, // ~8 km away
      },
    }));
    try {
      expect(await sut.get(ProximityJobs, 1).checkPositions()).toBe(1);
    } finally {
      presence.unsubscribe();
    }
    await warmUp(pair, 2);
    // The relay suspicion is: the remembered run is refused, and the next interval carries the flag.
    expect(trips()).toEqual({ snapshots: 1, writes: [true, true, false, true, true], locked: 0 });
    const intervals = (await sut.db.query(`SELECT flags FROM verified_intervals WHERE connection_id = $1 ORDER BY started_at`, [
      pair.connectionId,
    ])) as Array<{ flags: number }>;
    expect(intervals.map((row) => row.flags & FraudFlag.relaySuspected)).toEqual([0, FraudFlag.relaySuspected]);
    expect(await totals(pair.connectionId)).toEqual(seconds(6));
  });

  it('notices the connection closed (on either replica) between heartbeats', async () => {
    const pair = await sut.activePair();
    await warmUp(pair, 2);
    await sut.closeConnection(pair);
    sut.clock.advanceSeconds(1);
    await beatOn(0, pair, pair.a).then(
      () => Promise.reject(new Error('heartbeat on a closed connection was accepted')),
      (error: unknown) => expect(error).toMatchObject({ code: ErrorCode.not_allowed }),
    );
    expect(await totals(pair.connectionId)).toEqual(seconds(2));
  });

  it('credits nothing twice and reaches a milestone once while both replicas serve both phones at once', async () => {
    const pair = await sut.activePair();
    sut.clearDeliveries();
    for (let second = 1; second <= 25; second++) {
      sut.clock.advanceSeconds(1);
      await Promise.all([beatOn(0, pair, pair.a), beatOn(1, pair, pair.b), beatOn(1, pair, pair.a), beatOn(0, pair, pair.b)]);
    }
    expect(await totals(pair.connectionId)).toEqual(seconds(25));
    const milestones: unknown[] = await sut.db.query(`SELECT 1 FROM proximity_milestones WHERE connection_id = $1`, [pair.connectionId]);
    expect(milestones).toHaveLength(1);
    const events: unknown[] = await sut.db.query(
      `SELECT 1 FROM outbox_events WHERE name = 'proximity.milestone_reached' AND payload->>'connectionId' = $1`,
      [pair.connectionId],
    );
    expect(events).toHaveLength(1);
    await sut.settle();
    for (const user of [pair.a, pair.b]) expect(sut.deliveredTo(user, 'proximity.milestone.reached')).toHaveLength(1);
  });

  it('is bounded: the least recently used connection is forgotten first', async () => {
    const pairs: ActivePair[] = [];
    for (let i = 0; i < 4; i++) pairs.push(await sut.activePair());
    sut.clock.advanceSeconds(1);
    for (const pair of pairs) await beatOn(0, pair, pair.a);
    expect(cache(0).size).toBe(3);
    const trips = observe(0);
    sut.clock.advanceSeconds(1);
    await beatOn(0, pairs[3]!, pairs[3]!.a); // remembered
    expect(trips().snapshots).toBe(0);
    await beatOn(0, pairs[0]!, pairs[0]!.a); // evicted: read again
    expect(trips().snapshots).toBe(1);
    expect(cache(0).size).toBe(3);
  });

  it('writes plain heartbeats on connections without a WAL flush per commit, and everything else durably', async () => {
    const client = await sut.get(HeartbeatPool).connect();
    try {
      const [heartbeatSetting] = (await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows;
      expect(heartbeatSetting?.synchronous_commit).toBe('off');
      const [searchPath] = (await client.query<{ search_path: string }>('SHOW search_path')).rows;
      expect(searchPath?.search_path).toBe('proximity');
    } finally {
      client.release();
    }
    const [mainSetting] = (await sut.get(DataSource).query('SHOW synchronous_commit')) as Array<{ synchronous_commit: string }>;
    expect(mainSetting?.synchronous_commit).toBe('on');
    // Both pools together stay within the process's DATABASE_POOL_SIZE (5 in tests: 2 heartbeat + 3 main).
    const mainPool = (sut.get(DataSource).driver as { master?: { options: { max: number } } }).master;
    expect(mainPool?.options.max).toBe(3);
  });
});
