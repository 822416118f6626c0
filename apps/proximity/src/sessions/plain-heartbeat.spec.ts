import type { PairConnection } from '../connections/connection-projection';
import type { TokenRow } from '../tokens/token-store';
import { planPlainHeartbeat, type HeartbeatBasis } from './plain-heartbeat';
import { activate, createSession, recordProof, type MilestoneRules, type RuleSettings, type Session } from './session-model';

const rules: RuleSettings & MilestoneRules = {
  windowMs: 15_000,
  graceMs: 30_000,
  constantRssiCount: 12,
  minHeartbeatIntervalMs: 1000,
  minCadenceJitterMs: 2,
  milestones: [5, 15],
  minuteMs: 1000,
};
const T0 = Date.parse('2026-04-17T12:00:00Z');
const newIntervalId = (start: number) => `vi_${start}`;

function activeSession(): Session {
  let session = createSession({ id: 'psess_1', connectionId: 'conn_1', userAId: 'user_a', userBId: 'user_b', at: T0, graceMs: rules.graceMs });
  session = recordProof(session, 'a', T0, -60, rules).session;
  session = recordProof(session, 'b', T0, -61, rules).session;
  return activate(session, T0, rules.windowMs);
}

function basis(overrides: { connection?: Partial<PairConnection>; session?: Session | null; token?: Partial<TokenRow> | null } = {}): HeartbeatBasis {
  return {
    connection: { connectionId: 'conn_1', userAId: 'user_a', userBId: 'user_b', status: 'active', accumulatedMs: 0, unlockedMilestones: [], ...overrides.connection },
    session: overrides.session === undefined ? activeSession() : overrides.session,
    token:
      overrides.token === null
        ? undefined
        : {
            token: 'b0b0b0b0b0b0b0b0',
            connection_id: 'conn_1',
            user_id: 'user_b',
            expires_at: new Date(T0 + 90_000),
            accept_until: new Date(T0 + 90_000),
            replaced_at: null,
            ...overrides.token,
          },
  };
}

describe(planPlainHeartbeat.name, () => {
  const fromA = (at: number) => ({ userId: 'user_a', rssi: -60, at });

  it('records the event and credits what both phones have proven, on a copy of the connection', () => {
    const afterB = recordProof(activeSession(), 'b', T0 + 3000, -62, rules).session;
    const given = basis({ session: afterB });
    const plan = planPlainHeartbeat(given, fromA(T0 + 4000), rules, newIntervalId);
    expect(plan).toMatchObject({
      partnerId: 'user_b',
      connection: { accumulatedMs: 3000 },
      session: { accumulatedMs: 3000, currentRunMs: 3000 },
      intervals: [{ id: `vi_${T0}`, start: T0, end: T0 + 3000, flags: 0 }],
      progressChanged: true,
    });
    expect(given.connection.accumulatedMs).toBe(0);
  });

  it('says whether what the phones are shown changed', () => {
    const plan = planPlainHeartbeat(basis(), fromA(T0 + 500), rules, newIntervalId);
    expect(plan).toMatchObject({ intervals: [], progressChanged: false });
  });

  it.each([
    ['a closed connection', basis({ connection: { status: 'closed' } })],
    ['no run', basis({ session: null })],
    ['a paused run', basis({ session: { ...activeSession(), status: 'paused' } })],
    ['an unknown token', basis({ token: null })],
    ['the sender’s own token', basis({ token: { user_id: 'user_a' } })],
    ['another connection’s token', basis({ token: { connection_id: 'conn_2' } })],
    ['a token in its rotation grace', basis({ token: { replaced_at: new Date(T0 - 1000) } })],
    ['an expired token (a replay)', basis({ token: { accept_until: new Date(T0 + 1000) } })],
  ])('is not plain for %s', (_, given) => {
    expect(planPlainHeartbeat(given, fromA(T0 + 1000), rules, newIntervalId)).toBeNull();
  });

  it('is not plain for a non-participant, a due timeout or a milestone crossing', () => {
    expect(planPlainHeartbeat(basis(), { userId: 'user_c', rssi: -60, at: T0 + 1000 }, rules, newIntervalId)).toBeNull();
    expect(planPlainHeartbeat(basis(), fromA(T0 + rules.windowMs + 1), rules, newIntervalId)).toBeNull();
    const afterB = recordProof(activeSession(), 'b', T0 + 3000, -62, rules).session;
    expect(planPlainHeartbeat(basis({ session: afterB, connection: { accumulatedMs: 4000 } }), fromA(T0 + 4000), rules, newIntervalId)).toBeNull();
    expect(
      planPlainHeartbeat(basis({ session: afterB, connection: { accumulatedMs: 4000, unlockedMilestones: [5] } }), fromA(T0 + 4000), rules, newIntervalId),
    ).not.toBeNull();
  });
});
