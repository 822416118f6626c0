import { ErrorCode } from '@gisbi/contracts';
import type { GiftsEnv } from '../config/gifts-config';
import { AdminKeyVerifier } from './admin-key-verifier';

const KEY = 'admin_key_0123456789abcdefghij';
const withKeys = (keys: string[]): AdminKeyVerifier => new AdminKeyVerifier({ ADMIN_API_KEYS: keys } as GiftsEnv);

describe(AdminKeyVerifier.name, () => {
  it('accepts any configured key', () => {
    const sut = withKeys(['another_key_0123456789abcdefg', KEY]);

    expect(() => sut.assert(KEY)).not.toThrow();
  });

  it.each([
    ['a wrong key', 'admin_key_0123456789abcdefghiX'],
    ['an empty key', ''],
    ['no key', undefined],
    ['a non-string', 42],
  ])('refuses %s with 401', (_case, key) => {
    expect(() => withKeys([KEY]).assert(key)).toThrow(expect.objectContaining({ code: ErrorCode.unauthorized, status: 401 }));
  });

  it('refuses a user access token (a JWT) with 403', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2lnbmF0dXJl';

    expect(() => withKeys([KEY]).assert(jwt)).toThrow(expect.objectContaining({ code: ErrorCode.forbidden, status: 403 }));
  });

  it('refuses everything when no key is configured', () => {
    expect(() => withKeys([]).assert(KEY)).toThrow(
      expect.objectContaining({ code: ErrorCode.unauthorized, message: 'The admin API is disabled: no admin API key is configured' }),
    );
  });
});
