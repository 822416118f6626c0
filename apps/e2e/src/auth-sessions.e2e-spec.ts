import { createHash } from 'node:crypto';
import { ErrorCode } from '@gisbi/contracts';
import { HandshakeRefused, startStack, type Stack } from '@gisbi/testing';

/**
 * Auth behind the real gateway: what revoking a login session (logout, refresh-token reuse) does to the
 * access tokens of that session, on REST and on the socket handshake, while other sessions keep working.
 */
describe('auth sessions through the gateway, end to end', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ label: 'authsess', apps: ['auth', 'gateway'] });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const profile = (token: string) => stack.http('PATCH', '/users/profile', { token, body: {} });

  it('refuses the access tokens of a logged-out session, and only those', async () => {
    const phone = await stack.signIn('g-e2e-logout', 'Ada');
    const laptop = await stack.signIn('g-e2e-logout', 'Ada');
    expect((await profile(phone.accessToken)).status).toBe(200);

    const out = await stack.http('POST', '/auth/logout', { token: phone.accessToken, body: { refreshToken: phone.refreshToken } });

    expect(out).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await profile(phone.accessToken)).toEqual({ status: 401, body: { detail: 'This session is no longer valid', code: ErrorCode.unauthorized } });
    await expect(stack.connectSocket(phone.accessToken)).rejects.toEqual(new HandshakeRefused(401));
    expect((await profile(laptop.accessToken)).status).toBe(200);
    const socket = await stack.connectSocket(laptop.accessToken);
    await socket.close();
  });

  it('revokes the whole family when a rotated refresh token comes back', async () => {
    const ada = await stack.signIn('g-e2e-reuse', 'Ada');
    const rotated = await stack.http<{ accessToken: string; refreshToken: string }>('POST', '/auth/refresh', {
      body: { refreshToken: ada.refreshToken },
    });
    expect((await profile(rotated.body.accessToken)).status).toBe(200);

    const reused = await stack.http('POST', '/auth/refresh', { body: { refreshToken: ada.refreshToken } });

    expect(reused).toMatchObject({ status: 401, body: { code: ErrorCode.invalid_refresh_token } });
    expect((await profile(rotated.body.accessToken)).status).toBe(401);
    expect((await stack.http('POST', '/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } })).status).toBe(401);
  });

  it('binds an Apple login to the nonce the app used', async () => {
    const rawNonce = 'e2e-raw-nonce';
    const idToken = await stack.idp.signIdToken({
      provider: 'apple',
      sub: 'a-e2e-nonce',
      nonce: createHash('sha256').update(rawNonce).digest('hex'),
    });

    const good = await stack.http('POST', '/auth/social-login', { body: { provider: 'apple', idToken, nonce: rawNonce } });
    const replayed = await stack.http('POST', '/auth/social-login', { body: { provider: 'apple', idToken, nonce: 'another-nonce' } });

    expect(good.status).toBe(200);
    expect(replayed).toMatchObject({ status: 401, body: { code: ErrorCode.invalid_id_token } });
  });
});
