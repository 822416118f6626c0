import { generateToken, normaliseToken } from './token-format';
import { judgeToken, type TokenRow } from './token-store';

const NOW = Date.parse('2026-04-17T12:00:00Z');

function tokenRow(overrides: Partial<TokenRow> = {}): TokenRow {
  return {
    token: 'a3f9c2e1a3f9c2e1',
    connection_id: 'conn_1',
    user_id: 'user_b',
    expires_at: new Date(NOW + 60_000),
    accept_until: new Date(NOW + 60_000),
    replaced_at: null,
    ...overrides,
  };
}

describe('token format', () => {
  it('generates 16 lowercase hex characters (8 random bytes), all different', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateToken()));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(token).toMatch(/^[0-9a-f]{16}$/);
  });

  it('normalises case and refuses anything that cannot be a token', () => {
    expect(normaliseToken(' A3F9C2E1A3F9C2E1 ')).toBe('a3f9c2e1a3f9c2e1');
    expect(normaliseToken('a3f9c2e1')).toBeNull();
    expect(normaliseToken('zzzzzzzzzzzzzzzz')).toBeNull();
  });
});

describe('judgeToken', () => {
  it('accepts the partner’s current token until the instant it expires', () => {
    expect(judgeToken(tokenRow(), 'conn_1', 'user_b', NOW)).toBe('current');
    expect(judgeToken(tokenRow(), 'conn_1', 'user_b', NOW + 59_999)).toBe('current');
    expect(judgeToken(tokenRow(), 'conn_1', 'user_b', NOW + 60_000)).toBe('replay');
  });

  it('accepts a rotated token during its grace only', () => {
    const rotated = tokenRow({ replaced_at: new Date(NOW), accept_until: new Date(NOW + 20_000) });
    expect(judgeToken(rotated, 'conn_1', 'user_b', NOW + 19_999)).toBe('grace');
    expect(judgeToken(rotated, 'conn_1', 'user_b', NOW + 20_000)).toBe('replay');
  });

  it('refuses unknown tokens, other connections’ tokens and the sender’s own token', () => {
    expect(judgeToken(undefined, 'conn_1', 'user_b', NOW)).toBe('foreign');
    expect(judgeToken(tokenRow(), 'conn_2', 'user_b', NOW)).toBe('foreign');
    expect(judgeToken(tokenRow(), 'conn_1', 'user_a', NOW)).toBe('foreign');
  });
});
