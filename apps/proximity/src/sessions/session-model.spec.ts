import {
  activate,
  applyTimeouts,
  createSession,
  mergeIntervalWrites,
  pause,
  placePiece,
  recordProof,
  sessionUpdate,
  type RuleSettings,
  type Session,
} from './session-model';

const rules: RuleSettings = { windowMs: 15_000, graceMs: 30_000, constantRssiCount: 12, minHeartbeatIntervalMs: 1000, minCadenceJitterMs: 2 };
const T0 = Date.parse('2026-04-17T12:00:00Z');

function activeSession(): Session {
  let session = createSession({ id: 'psess_1', connectionId: 'conn_1', userAId: 'user_a', userBId: 'user_b', at: T0, graceMs: rules.graceMs });
  session = recordProof(session, 'a', T0, -60, rules).session;
  session = recordProof(session, 'b', T0, -61, rules).session;
  return activate(session, T0, rules.windowMs);
}

describe('session model', () => {
  it('creates a run that waits for the partner and ends after the grace', () => {
    const session = createSession({ id: 'psess_1', connectionId: 'conn_1', userAId: 'a', userBId: 'b', at: T0, graceMs: 30_000 });
    expect(session).toMatchObject({ status: 'paused', pauseReason: 'waiting_for_partner', endsAt: T0 + 30_000, activatedAt: null });
    expect(applyTimeouts(session, T0 + 29_999, rules).transitions).toEqual([]);
    expect(applyTimeouts(session, T0 + 30_000, rules)).toMatchObject({
      session: { status: 'ended', endedAt: T0 + 30_000, endReason: 'grace_expired' },
      transitions: [{ kind: 'ended', at: T0 + 30_000, wasActive: false }],
    });
  });

  it('pauses an active run at the instant its evidence ran out, not when noticed', () => {
    const session = activeSession();
    expect(session.pauseDueAt).toBe(T0 + 15_000);
    expect(applyTimeouts(session, T0 + 15_000, rules).transitions).toEqual([]);
    const { session: paused, transitions } = applyTimeouts(session, T0 + 20_000, rules);
    expect(paused).toMatchObject({ status: 'paused', pausedAt: T0 + 15_000, endsAt: T0 + 45_000, aConfirmedAt: null, bConfirmedAt: null });
    expect(transitions).toEqual([{ kind: 'paused', at: T0 + 15_000, reason: 'heartbeat_timeout', wasActive: true }]);
  });

  it('pauses and ends in one step when both deadlines have passed', () => {
    const { session, transitions } = applyTimeouts(activeSession(), T0 + 60_000, rules);
    expect(session).toMatchObject({ status: 'ended', endedAt: T0 + 45_000 });
    expect(transitions.map((t) => t.kind)).toEqual(['paused', 'ended']);
  });

  it('credits only while active and moves the pause deadline with the evidence', () => {
    let session = activeSession();
    const a = recordProof(session, 'a', T0 + 5000, -62, rules);
    expect(a.pieces).toEqual([]);
    const b = recordProof(a.session, 'b', T0 + 6000, -63, rules);
    expect(b.pieces).toEqual([{ start: T0, end: T0 + 5000 }]);
    expect(b.session.pauseDueAt).toBe(T0 + 20_000);
    session = pause(b.session, T0 + 7000, 'ended_by_user', rules.graceMs);
    expect(recordProof(session, 'a', T0 + 8000, -60, rules).pieces).toEqual([]);
  });

  it('builds proximity.session.updated with the grace left while paused', () => {
    const progress = { connectionId: 'conn_1', accumulatedMs: 1_020_500, unlockedMilestones: [15, 5] };
    const paused = pause(activeSession(), T0, 'ended_by_user', rules.graceMs);
    expect(sessionUpdate(progress, paused, T0 + 10_000, [5, 15, 30])).toEqual({
      connectionId: 'conn_1',
      accumulatedSeconds: 1020,
      sessionActive: false,
      currentSessionSeconds: 0,
      unlockedMilestones: [5, 15],
      nextMilestoneMinutes: 30,
      gracePeriodSeconds: 20,
    });
    const update = sessionUpdate(progress, { ...activeSession(), currentRunMs: 120_900 }, T0, [5, 15, 30]);
    expect(update).toMatchObject({ sessionActive: true, currentSessionSeconds: 120 });
    expect(update).not.toHaveProperty('gracePeriodSeconds');
  });

  it('extends the open interval with a contiguous piece of the same flags, and opens a new one otherwise', () => {
    const session = { ...activeSession(), state: { ...activeSession().state, openInterval: { id: 'vi_1', start: T0, end: T0 + 5000, flags: 0 } } };
    let ids = 0;
    const newId = () => `vi_new${++ids}`;
    expect(placePiece(session, { start: T0 + 5000, end: T0 + 9000 }, 0, newId)).toEqual({
      id: 'vi_1',
      connectionId: 'conn_1',
      sessionId: 'psess_1',
      start: T0,
      end: T0 + 9000,
      flags: 0,
    });
    expect(placePiece(session, { start: T0 + 5000, end: T0 + 9000 }, 2, newId)).toMatchObject({ id: 'vi_new1', start: T0 + 5000, flags: 2 });
    expect(placePiece(session, { start: T0 + 6000, end: T0 + 9000 }, 0, newId)).toMatchObject({ id: 'vi_new2', start: T0 + 6000 });
    const merged = mergeIntervalWrites([
      { id: 'vi_1', connectionId: 'conn_1', sessionId: 'psess_1', start: T0, end: T0 + 1000, flags: 0 },
      { id: 'vi_1', connectionId: 'conn_1', sessionId: 'psess_1', start: T0, end: T0 + 2000, flags: 0 },
    ]);
    expect(merged).toEqual([{ id: 'vi_1', connectionId: 'conn_1', sessionId: 'psess_1', start: T0, end: T0 + 2000, flags: 0 }]);
  });
});
