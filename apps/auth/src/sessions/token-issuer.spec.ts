import { decodeProtectedHeader } from 'jose';
import { AccessTokenVerifier } from '@gisbi/platform';
import { FakeClock } from '@gisbi/testing';
import { TokenIssuer } from './token-issuer';

const SECRET = 'unit-test-secret-unit-test-secret-0123456789';

describe(TokenIssuer.name, () => {
  const clock = new FakeClock('2026-04-17T12:00:00Z');
  const sut = new TokenIssuer(SECRET, { accessTtlSeconds: 900, refreshTtlSeconds: 86_400 }, clock);
  const gateway = new AccessTokenVerifier(SECRET, clock);

  it('issues an access token the gateway accepts, for the session', async () => {
    const pair = await sut.issuePair('user_1', 'ses_1', 'rt_1');

    await expect(gateway.verify(pair.accessToken)).resolves.toMatchObject({
      userId: 'user_1',
      sessionId: 'ses_1',
      expiresAt: new Date('2026-04-17T12:15:00Z'),
    });
    expect(pair.refreshExpiresAt).toEqual(new Date('2026-04-18T12:00:00Z'));
  });

  it('issues a refresh token that verifies as one, with its jti', async () => {
    const pair = await sut.issuePair('user_1', 'ses_1', 'rt_1');

    await expect(sut.verifyRefresh(pair.refreshToken)).resolves.toEqual({
      userId: 'user_1',
      sessionId: 'ses_1',
      tokenId: 'rt_1',
      expiresAt: new Date('2026-04-18T12:00:00Z'),
      expired: false,
    });
    expect(decodeProtectedHeader(pair.refreshToken)).toEqual({ alg: 'HS256', typ: 'rt+jwt' });
  });

  it('never lets one kind of token pass as the other', async () => {
    const pair = await sut.issuePair('user_1', 'ses_1', 'rt_1');

    await expect(gateway.verify(pair.refreshToken)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(sut.verifyRefresh(pair.accessToken)).rejects.toMatchObject({ code: 'invalid_refresh_token', status: 401 });
  });

  it('refuses tokens signed with another secret', async () => {
    const other = new TokenIssuer('another-secret-another-secret-0123456789', { accessTtlSeconds: 900, refreshTtlSeconds: 86_400 }, clock);
    const pair = await other.issuePair('user_1', 'ses_1', 'rt_1');

    await expect(sut.verifyRefresh(pair.refreshToken)).rejects.toMatchObject({ code: 'invalid_refresh_token' });
    await expect(gateway.verify(pair.accessToken)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('refuses an expired refresh token, unless asked to accept expiry (logout)', async () => {
    const pair = await sut.issuePair('user_1', 'ses_1', 'rt_1');
    const later = new FakeClock('2026-04-18T12:00:06Z');
    const afterwards = new TokenIssuer(SECRET, { accessTtlSeconds: 900, refreshTtlSeconds: 86_400 }, later);

    await expect(afterwards.verifyRefresh(pair.refreshToken)).rejects.toMatchObject({ message: 'The refresh token has expired' });
    await expect(afterwards.verifyRefresh(pair.refreshToken, { allowExpired: true })).resolves.toMatchObject({
      sessionId: 'ses_1',
      expired: true,
    });
    await expect(afterwards.verifyRefresh(pair.accessToken, { allowExpired: true })).rejects.toMatchObject({ code: 'invalid_refresh_token' });
  });
});
