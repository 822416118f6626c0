import { decodeJwt, SignJWT } from 'jose';
import {
  ErrorCode,
  RpcMethod,
  type AccessCheckResponse,
  type DevicesForPushResponse,
  type LoginSocialResponse,
  type RpcReply,
  type TokenRefreshResponse,
} from '@gisbi/contracts';
import { AuthHarness } from '../testing/auth-harness';
import { SessionsService } from './sessions.service';

const sidOf = (token: string) => String(decodeJwt(token)['sid']);

describe(SessionsService.name, () => {
  let harness: AuthHarness;

  beforeAll(async () => {
    harness = await AuthHarness.start({ label: 'authsessions' });
  });

  afterAll(async () => {
    await harness?.close();
  });

  const refresh = (refreshToken: string) => harness.rpc<TokenRefreshResponse>(RpcMethod.auth.tokenRefresh, { refreshToken });
  const accessCheck = (user: LoginSocialResponse, sessionId = sidOf(user.accessToken)) =>
    harness.ok<AccessCheckResponse>(RpcMethod.auth.accessCheck, { userId: user.user.id, sessionId });
  const expectRefused = (reply: RpcReply<unknown>, code: string = ErrorCode.invalid_refresh_token) =>
    expect(reply).toMatchObject({ ok: false, error: { code, status: 401 } });

  describe('token.refresh', () => {
    it('rotates: a new pair of the same session, and the presented token is used up', async () => {
      const ada = await harness.login('g-rotate');
      harness.clock.advanceSeconds(60);

      const rotated = await refresh(ada.refreshToken);

      expect(rotated.ok).toBe(true);
      if (!rotated.ok) return;
      expect(Object.keys(rotated.result).sort()).toEqual(['accessToken', 'refreshToken']);
      expect(sidOf(rotated.result.accessToken)).toBe(sidOf(ada.accessToken));
      expect(decodeJwt(rotated.result.refreshToken).jti).not.toBe(decodeJwt(ada.refreshToken).jti);
      expect(decodeJwt(rotated.result.accessToken).iat).toBe(harness.clock.nowMs() / 1000);
      const next = await refresh(rotated.result.refreshToken);
      expect(next.ok).toBe(true);
    });

    it('refuses an already-rotated token and revokes the whole family (session)', async () => {
      const ada = await harness.login('g-reuse');
      const first = await harness.ok<TokenRefreshResponse>(RpcMethod.auth.tokenRefresh, { refreshToken: ada.refreshToken });

      const reused = await refresh(ada.refreshToken);

      expect(reused).toMatchObject({
        ok: false,
        error: { code: ErrorCode.invalid_refresh_token, status: 401, message: expect.stringContaining('already used') },
      });
      expectRefused(await refresh(first.refreshToken));
      await expect(accessCheck(ada)).resolves.toEqual({ active: false, reason: 'session_revoked' });
      const rows: Array<{ revoked_reason: string }> = await harness
        .dataSource()
        .query('SELECT revoked_reason FROM sessions WHERE id = $1', [sidOf(ada.accessToken)]);
      expect(rows).toEqual([{ revoked_reason: 'refresh_token_reused' }]);
    });

    it('leaves the other sessions of the user alone when one family is revoked', async () => {
      const phone = await harness.login('g-two-devices');
      const tablet = await harness.login('g-two-devices');
      await refresh(phone.refreshToken);

      expectRefused(await refresh(phone.refreshToken));

      await expect(accessCheck(tablet)).resolves.toEqual({ active: true });
      expect((await refresh(tablet.refreshToken)).ok).toBe(true);
    });

    it('lets exactly one of concurrent refreshes with the same token win', async () => {
      const ada = await harness.login('g-concurrent');

      const replies = await Promise.all([1, 2, 3, 4, 5, 6].map(() => refresh(ada.refreshToken)));

      expect(replies.filter((reply) => reply.ok)).toHaveLength(1);
      for (const reply of replies.filter((candidate) => !candidate.ok)) expectRefused(reply);
    });

    it('refuses an expired refresh token', async () => {
      const ada = await harness.login('g-expired-refresh');
      harness.clock.advanceSeconds(30 * 24 * 3600 + 5);

      const reply = await refresh(ada.refreshToken);

      expect(reply).toMatchObject({ ok: false, error: { code: ErrorCode.invalid_refresh_token, message: 'The refresh token has expired' } });
      harness.clock.advanceSeconds(-(30 * 24 * 3600 + 5));
    });

    it('refuses an access token, a forged token and junk as refresh tokens', async () => {
      const ada = await harness.login('g-confused');
      const claims = decodeJwt(ada.refreshToken);
      const forged = await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'HS256', typ: 'rt+jwt' })
        .sign(new TextEncoder().encode('not-our-secret-not-our-secret-not-our-secret'));

      for (const token of [ada.accessToken, forged, 'junk']) {
        expectRefused(await refresh(token));
      }
      expect(await refresh('')).toMatchObject({ ok: false, error: { code: ErrorCode.validation_failed, status: 400 } });
      // None of it touched the real session.
      expect((await refresh(ada.refreshToken)).ok).toBe(true);
    });

    it('tolerates a retry within REFRESH_REUSE_GRACE_SECONDS without revoking, when configured', async () => {
      const lenient = await harness.startInstance({ env: { REFRESH_REUSE_GRACE_SECONDS: '5' } });
      const sessions = lenient.get(SessionsService);
      const ada = await harness.login('g-grace');
      const rotated = await sessions.refresh(ada.refreshToken);

      harness.clock.advanceSeconds(5);
      await expect(sessions.refresh(ada.refreshToken)).rejects.toMatchObject({
        code: ErrorCode.invalid_refresh_token,
        message: 'This refresh token was just rotated; use the new one',
      });
      await expect(accessCheck(ada)).resolves.toEqual({ active: true });

      harness.clock.advanceSeconds(1);
      await expect(sessions.refresh(ada.refreshToken)).rejects.toMatchObject({ code: ErrorCode.invalid_refresh_token });
      await expect(accessCheck(ada)).resolves.toEqual({ active: false, reason: 'session_revoked' });
      await expect(sessions.refresh(rotated.refreshToken)).rejects.toMatchObject({ code: ErrorCode.invalid_refresh_token });
    });
  });

  describe('access.check', () => {
    it('answers active for a live session, and why not otherwise', async () => {
      const ada = await harness.login('g-check');

      await expect(accessCheck(ada)).resolves.toEqual({ active: true });
      await expect(accessCheck(ada, 'ses_unknown')).resolves.toEqual({ active: false, reason: 'session_revoked' });
      await expect(
        harness.ok(RpcMethod.auth.accessCheck, { userId: 'user_nobody', sessionId: sidOf(ada.accessToken) }),
      ).resolves.toEqual({ active: false, reason: 'user_not_found' });
    });

    it("does not accept another user's session for a user", async () => {
      const ada = await harness.login('g-check-a');
      const bob = await harness.login('g-check-b');

      await expect(accessCheck(ada, sidOf(bob.accessToken))).resolves.toEqual({ active: false, reason: 'session_revoked' });
    });

    it('refuses a malformed request', async () => {
      await expect(harness.fail(RpcMethod.auth.accessCheck, { userId: 'user_1' })).resolves.toMatchObject({
        code: ErrorCode.validation_failed,
        status: 400,
      });
    });
  });

  describe('logout', () => {
    const logout = (user: LoginSocialResponse, body: Record<string, unknown>) =>
      harness.rpc(RpcMethod.auth.logout, { userId: user.user.id, ...body });
    const devicesOf = async (user: LoginSocialResponse) =>
      (await harness.ok<DevicesForPushResponse>(RpcMethod.auth.devicesForPush, { userIds: [user.user.id] })).devices[user.user.id] ?? [];

    it('deactivates the device and blacklists the refresh token, revoking its session', async () => {
      const ada = await harness.login('g-logout', { extra: { deviceToken: 'dev-logout', devicePlatform: 'android' } });

      await expect(logout(ada, { deviceToken: 'dev-logout', refreshToken: ada.refreshToken })).resolves.toEqual({
        ok: true,
        result: { status: 'ok' },
      });

      expect(await devicesOf(ada)).toEqual([]);
      expectRefused(await refresh(ada.refreshToken));
      await expect(accessCheck(ada)).resolves.toEqual({ active: false, reason: 'session_revoked' });
    });

    it('answers ok with nothing to do, and twice in a row', async () => {
      const ada = await harness.login('g-logout-empty');

      expect(await logout(ada, {})).toEqual({ ok: true, result: { status: 'ok' } });
      expect(await logout(ada, { refreshToken: ada.refreshToken })).toEqual({ ok: true, result: { status: 'ok' } });
      expect(await logout(ada, { refreshToken: ada.refreshToken })).toEqual({ ok: true, result: { status: 'ok' } });
    });

    it("leaves another user's device token and refresh token alone", async () => {
      const ada = await harness.login('g-logout-owner', { extra: { deviceToken: 'dev-ada', devicePlatform: 'ios' } });
      const mallory = await harness.login('g-logout-mallory', { extra: { deviceToken: 'dev-mallory', devicePlatform: 'ios' } });

      expect(await logout(mallory, { deviceToken: 'dev-ada' })).toEqual({ ok: true, result: { status: 'ok' } });
      const stolen = await logout(mallory, { deviceToken: 'dev-mallory', refreshToken: ada.refreshToken });

      expect(stolen).toMatchObject({ ok: false, error: { code: ErrorCode.not_allowed, status: 403 } });
      expect(await devicesOf(ada)).toEqual([{ token: 'dev-ada', platform: 'ios' }]);
      // Refused as a whole: mallory's own device was not deactivated either.
      expect(await devicesOf(mallory)).toEqual([{ token: 'dev-mallory', platform: 'ios' }]);
      await expect(accessCheck(ada)).resolves.toEqual({ active: true });
    });

    it('refuses an invalid refresh token and changes nothing', async () => {
      const ada = await harness.login('g-logout-invalid', { extra: { deviceToken: 'dev-invalid', devicePlatform: 'web' } });

      const reply = await logout(ada, { deviceToken: 'dev-invalid', refreshToken: ada.accessToken });

      expectRefused(reply);
      expect(await devicesOf(ada)).toHaveLength(1);
    });

    it('still ends the session of an expired refresh token', async () => {
      const ada = await harness.login('g-logout-expired');
      harness.clock.advanceSeconds(30 * 24 * 3600 + 10);
      const expired = await logout(ada, { refreshToken: ada.refreshToken });
      harness.clock.advanceSeconds(-(30 * 24 * 3600 + 10));

      expect(expired).toEqual({ ok: true, result: { status: 'ok' } });
      await expect(accessCheck(ada)).resolves.toEqual({ active: false, reason: 'session_revoked' });
    });

    it('refuses unknown fields and a missing caller', async () => {
      const ada = await harness.login('g-logout-fields');

      expect(await logout(ada, { everything: true })).toMatchObject({ ok: false, error: { code: ErrorCode.validation_failed } });
      expect(await harness.rpc(RpcMethod.auth.logout, {})).toMatchObject({ ok: false, error: { code: ErrorCode.missing_userId } });
    });
  });

  describe('purgeEnded', () => {
    it('deletes sessions that ended more than the retention ago, and only those', async () => {
      const sut = harness.sut.get(SessionsService);
      const revoked = await harness.login('g-purge-revoked');
      await harness.ok(RpcMethod.auth.logout, { userId: revoked.user.id, refreshToken: revoked.refreshToken });
      const live = await harness.login('g-purge-live');

      harness.clock.advanceSeconds(7 * 24 * 3600 + 1);
      await sut.purgeEnded();
      const remaining: Array<{ id: string }> = await harness
        .dataSource()
        .query('SELECT id FROM sessions WHERE id = ANY($1)', [[sidOf(revoked.accessToken), sidOf(live.accessToken)]]);
      harness.clock.advanceSeconds(-(7 * 24 * 3600 + 1));

      expect(remaining).toEqual([{ id: sidOf(live.accessToken) }]);
    });
  });
});
