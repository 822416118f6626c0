import { createHash } from 'node:crypto';
import { nonceMatches } from './nonce';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe(nonceMatches.name, () => {
  it('accepts the raw nonce (Google)', () => {
    expect(nonceMatches('n-0S6_WzA2Mj', 'n-0S6_WzA2Mj')).toBe(true);
  });

  it('accepts the SHA-256 hex of the raw nonce (Apple), in either case', () => {
    expect(nonceMatches('raw-nonce', sha256('raw-nonce'))).toBe(true);
    expect(nonceMatches('raw-nonce', sha256('raw-nonce').toUpperCase())).toBe(true);
  });

  it.each([
    ['another nonce', 'other'],
    ['the hash of another nonce', sha256('other')],
    ['a prefix of the nonce', 'raw-non'],
    ['no claim', undefined],
    ['an empty claim', ''],
    ['a non-string claim', 42],
  ])('refuses %s', (_case, claim) => {
    expect(nonceMatches('raw-nonce', claim)).toBe(false);
  });

  it('does not accept the hash when the client sent the hash (the token must bind the raw nonce)', () => {
    expect(nonceMatches(sha256('raw-nonce'), 'raw-nonce')).toBe(false);
  });
});
