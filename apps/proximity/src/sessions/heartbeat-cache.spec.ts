import type { PairConnection } from '../connections/connection-projection';
import type { TokenRow } from '../tokens/token-store';
import { CACHED_TOKENS_PER_CONNECTION, HeartbeatCache } from './heartbeat-cache';
import { createSession, type Session } from './session-model';

const T0 = Date.parse('2026-04-17T12:00:00Z');

function connection(connectionId: string): PairConnection {
  return { connectionId, userAId: 'user_a', userBId: 'user_b', status: 'active', accumulatedMs: 0, unlockedMilestones: [] };
}

function session(connectionId: string): Session {
  return createSession({ id: `psess_${connectionId}`, connectionId, userAId: 'user_a', userBId: 'user_b', at: T0, graceMs: 30_000 });
}

function tokenRow(token: string, connectionId = 'conn_1'): TokenRow {
  return { token, connection_id: connectionId, user_id: 'user_b', expires_at: new Date(T0 + 90_000), accept_until: new Date(T0 + 90_000), replaced_at: null };
}

function entry(connectionId: string, version: string, token = `tok_${connectionId}`) {
  return { connection: connection(connectionId), session: session(connectionId), version, token: tokenRow(token, connectionId) };
}

describe(HeartbeatCache.name, () => {
  it('finds a connection only together with a token it has seen for it', () => {
    const sut = new HeartbeatCache({ heartbeatCacheEntries: 10 });
    sut.remember(entry('conn_1', '100', 'aaaa'));
    expect(sut.lookup('conn_1', 'aaaa')).toMatchObject({ evidence: { version: '100' }, token: { token: 'aaaa' } });
    expect(sut.lookup('conn_1', 'bbbb')).toBeUndefined();
    expect(sut.lookup('conn_2', 'aaaa')).toBeUndefined();
  });

  it('keeps the tokens of both phones across versions, most recent first, a bounded number of them', () => {
    const sut = new HeartbeatCache({ heartbeatCacheEntries: 10 });
    sut.remember(entry('conn_1', '100', 'of_b'));
    sut.remember(entry('conn_1', '101', 'of_a'));
    expect(sut.lookup('conn_1', 'of_b')).toMatchObject({ evidence: { version: '101' } });
    expect(sut.lookup('conn_1', 'of_a')?.evidence.tokens.map((row) => row.token)).toEqual(['of_a', 'of_b']);
    for (let i = 0; i < CACHED_TOKENS_PER_CONNECTION + 2; i++) sut.remember(entry('conn_1', `${102 + i}`, `t${i}`));
    expect(sut.lookup('conn_1', 't0')).toBeUndefined();
    expect(sut.lookup('conn_1', `t${CACHED_TOKENS_PER_CONNECTION + 1}`)?.evidence.tokens).toHaveLength(CACHED_TOKENS_PER_CONNECTION);
  });

  it('is bounded: the least recently remembered connection goes first', () => {
    const sut = new HeartbeatCache({ heartbeatCacheEntries: 3 });
    for (const id of ['c1', 'c2', 'c3']) sut.remember(entry(id, '1'));
    sut.remember(entry('c1', '2')); // c1 is the most recent again
    sut.remember(entry('c4', '1'));
    expect(sut.size).toBe(3);
    expect(sut.lookup('c2', 'tok_c2')).toBeUndefined();
    expect(['c1', 'c3', 'c4'].map((id) => sut.lookup(id, `tok_${id}`)?.evidence.version)).toEqual(['2', '1', '1']);
  });

  it('forgets a connection', () => {
    const sut = new HeartbeatCache({ heartbeatCacheEntries: 10 });
    sut.remember(entry('conn_1', '101'));
    sut.remember(entry('conn_2', '101'));
    sut.forget('conn_1');
    expect(sut.lookup('conn_1', 'tok_conn_1')).toBeUndefined();
    expect(sut.lookup('conn_2', 'tok_conn_2')?.evidence.version).toBe('101');
    expect(sut.size).toBe(1);
  });

  it('remembers nothing with a capacity of 0', () => {
    const sut = new HeartbeatCache({ heartbeatCacheEntries: 0 });
    sut.remember(entry('conn_1', '100'));
    expect(sut.size).toBe(0);
    expect(sut.lookup('conn_1', 'tok_conn_1')).toBeUndefined();
  });
});
