import { cacheLifetimeMs, parseKeySet } from './jwks-key-store';

const bounds = { defaultMs: 3600_000, minMs: 60_000, maxMs: 86_400_000 };
const rsaKey = { kty: 'RSA', kid: 'k1', n: 'AQAB', e: 'AQAB', alg: 'RS256', use: 'sig' };

describe(cacheLifetimeMs.name, () => {
  it.each([
    ['max-age', 'public, max-age=21600, must-revalidate, no-transform', null, 21_600_000],
    ['max-age minus Age', 'public, max-age=300', '120', 180_000],
    ['a quoted max-age', 'max-age="600"', null, 600_000],
    ['no header: the default', null, null, 3600_000],
    ['no max-age: the default', 'public', null, 3600_000],
    ['no-store: the minimum', 'no-store', null, 60_000],
    ['no-cache: the minimum', 'no-cache, max-age=600', null, 60_000],
    ['a tiny max-age: the minimum', 'max-age=5', null, 60_000],
    ['an Age beyond max-age: the minimum', 'max-age=300', '900', 60_000],
    ['a huge max-age: the maximum', 'max-age=31536000', null, 86_400_000],
  ])('%s', (_case, cacheControl, age, expected) => {
    expect(cacheLifetimeMs(cacheControl, age, bounds)).toBe(expected);
  });
});

describe(parseKeySet.name, () => {
  it('keeps the RSA signing keys', () => {
    const sut = parseKeySet(JSON.stringify({ keys: [rsaKey, { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }, { ...rsaKey, kid: 'enc', use: 'enc' }] }));

    expect(sut).toEqual({ ok: true, value: { keys: [rsaKey] } });
  });

  it.each([
    ['not JSON', '{"keys":', 'not JSON'],
    ['no keys', '{}', 'no "keys" array'],
    ['keys not an array', '{"keys":{}}', 'no "keys" array'],
    ['an empty set', '{"keys":[]}', 'the key set is empty'],
    ['only other algorithms', JSON.stringify({ keys: [{ ...rsaKey, alg: 'RS512' }] }), 'no RSA signing key in the set'],
    ['keys without modulus', JSON.stringify({ keys: [{ kty: 'RSA', kid: 'x', e: 'AQAB' }] }), 'no RSA signing key in the set'],
    ['too many keys', JSON.stringify({ keys: Array.from({ length: 65 }, () => rsaKey) }), 'more than 64 keys'],
  ])('refuses %s', (_case, text, reason) => {
    expect(parseKeySet(text)).toEqual({ ok: false, reason });
  });
});
