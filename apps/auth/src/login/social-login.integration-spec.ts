import { createHash, createPublicKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import {
  ErrorCode,
  RpcMethod,
  type DevicesForPushResponse,
  type LoginSocialResponse,
  type UsersGetManyResponse,
} from '@gisbi/contracts';
import { hs256Token, unsignedToken, type IdTokenParams } from '@gisbi/dev-identity';
import { AccessTokenVerifier, loadConfig } from '@gisbi/platform';
import { FakeClock } from '@gisbi/testing';
import { authEnvSchema } from '../config/auth-config';
import { IdTokenVerifier } from '../identity/id-token-verifier';
import { AuthHarness } from '../testing/auth-harness';
import { DEFAULT_USER_NAME, LoginService } from './login.service';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe(LoginService.name, () => {
  let harness: AuthHarness;

  beforeAll(async () => {
    harness = await AuthHarness.start({ label: 'authlogin' });
  });

  afterAll(async () => {
    await harness?.close();
  });

  const login = (body: Record<string, unknown>) => harness.rpc<LoginSocialResponse>(RpcMethod.auth.loginSocial, body);
  const loginWith = async (params: IdTokenParams, extra: Record<string, unknown> = {}) =>
    login({ provider: params.provider, idToken: await harness.idToken(params), ...extra });
  const refusal = async (provider: string, idToken: string, extra: Record<string, unknown> = {}) => {
    const reply = await login({ provider, idToken, ...extra });
    if (reply.ok) throw new Error('login unexpectedly succeeded');
    return reply.error;
  };

  describe('good tokens', () => {
    it('creates the account on the first Google login, named from the token, and returns the contract shape', async () => {
      const sut = await harness.login('g-ada', { name: 'Ada Lovelace' });

      expect(sut).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        firebaseToken: null,
        user: {
          id: expect.stringMatching(/^user_[0-9A-HJKMNP-TV-Z]{26}$/),
          name: 'Ada Lovelace',
          age: null,
          avatar: null,
          gender: null,
          vibe: null,
          vibeExpiresAt: null,
        },
      });
    });

    it('finds the same account again on the next login, keeping the name the user chose', async () => {
      const first = await harness.login('g-same', { name: 'First Name' });
      await harness.ok(RpcMethod.auth.profileUpdate, { userId: first.user.id, changes: { name: 'Chosen' } });

      const again = await harness.login('g-same', { name: 'Token Name' });

      expect(again.user).toMatchObject({ id: first.user.id, name: 'Chosen' });
      expect(again.refreshToken).not.toBe(first.refreshToken);
    });

    it('signs in with Apple (no name in the token: the default name) as a different account than the same sub at Google', async () => {
      const apple = await harness.login('shared-sub', { provider: 'apple' });
      const google = await harness.login('shared-sub', { provider: 'google', name: 'Google Person' });

      expect(apple.user.name).toBe(DEFAULT_USER_NAME);
      expect(google.user.id).not.toBe(apple.user.id);
    });

    it('keys accounts on (provider, sub), never on email', async () => {
      const one = await loginWith({ provider: 'google', sub: 'g-mail-1', email: 'same@example.com' });
      const two = await loginWith({ provider: 'google', sub: 'g-mail-2', email: 'same@example.com' });

      expect(one.ok && two.ok).toBe(true);
      if (one.ok && two.ok) expect(one.result.user.id).not.toBe(two.result.user.id);
    });

    it('names a Google account without a name claim by default, and cleans up names', async () => {
      const unnamed = await harness.login('g-unnamed');
      expect(unnamed.user.name).toBe(DEFAULT_USER_NAME);

      const named = await harness.login('g-spaces', { name: `  Grace\t\tHopper ${'x'.repeat(200)}` });

      expect(named.user.name).toBe(`Grace Hopper ${'x'.repeat(80 - 'Grace Hopper '.length)}`);
    });

    it('issues access and refresh tokens under our policy, for the new session', async () => {
      const sut = await harness.login('g-tokens', { name: 'Tok' });

      expect(decodeProtectedHeader(sut.accessToken)).toEqual({ alg: 'HS256', typ: 'at+jwt' });
      expect(decodeProtectedHeader(sut.refreshToken)).toEqual({ alg: 'HS256', typ: 'rt+jwt' });
      const access = decodeJwt(sut.accessToken);
      const refresh = decodeJwt(sut.refreshToken);
      const now = harness.clock.nowMs() / 1000;
      expect(access).toMatchObject({ iss: 'gisbi-auth', aud: 'gisbi-api', sub: sut.user.id, iat: now, exp: now + 900 });
      expect(refresh).toMatchObject({ iss: 'gisbi-auth', aud: 'gisbi-refresh', sub: sut.user.id, iat: now, exp: now + 30 * 24 * 3600 });
      expect(access['sid']).toMatch(/^ses_/);
      expect(refresh['sid']).toBe(access['sid']);
      expect(refresh.jti).toMatch(/^rt_/);
      const claims = await new AccessTokenVerifier(harness.config().JWT_SECRET, harness.clock).verify(sut.accessToken);
      expect(claims).toMatchObject({ userId: sut.user.id, sessionId: access['sid'] });
      await expect(harness.ok(RpcMethod.auth.accessCheck, { userId: sut.user.id, sessionId: claims.sessionId })).resolves.toEqual({ active: true });
    });

    it('registers the device given with the login', async () => {
      const sut = await harness.login('g-device', { extra: { deviceToken: 'fcm-login-1', devicePlatform: 'ios' } });

      const { devices } = await harness.ok<DevicesForPushResponse>(RpcMethod.auth.devicesForPush, { userIds: [sut.user.id] });
      expect(devices[sut.user.id]).toEqual([{ token: 'fcm-login-1', platform: 'ios' }]);
    });

    it('registers a device token given without a platform, keeping a platform known from before', async () => {
      const sut = await harness.login('g-device-bare', { extra: { deviceToken: 'fcm-login-bare' } });
      const devicesOf = async () =>
        (await harness.ok<DevicesForPushResponse>(RpcMethod.auth.devicesForPush, { userIds: [sut.user.id] })).devices[sut.user.id];
      expect(await devicesOf()).toEqual([{ token: 'fcm-login-bare', platform: null }]);

      await harness.login('g-device-bare', { extra: { deviceToken: 'fcm-login-bare', devicePlatform: 'android' } });
      await harness.login('g-device-bare', { extra: { deviceToken: 'fcm-login-bare' } });

      expect(await devicesOf()).toEqual([{ token: 'fcm-login-bare', platform: 'android' }]);
    });

    it('registers nothing for a platform without a token, or a null token', async () => {
      const platformOnly = await harness.login('g-device-platform-only', { extra: { devicePlatform: 'web' } });
      const nullToken = await harness.login('g-device-null', { extra: { deviceToken: null, devicePlatform: 'ios' } });

      const { devices } = await harness.ok<DevicesForPushResponse>(RpcMethod.auth.devicesForPush, {
        userIds: [platformOnly.user.id, nullToken.user.id],
      });
      expect(devices).toEqual({});
    });

    it('creates exactly one account when first logins of one identity race', async () => {
      const logins = await Promise.all([1, 2, 3, 4].map(() => harness.login('g-race', { name: 'Racer' })));

      expect(new Set(logins.map((result) => result.user.id)).size).toBe(1);
      const rows: Array<{ count: string }> = await harness.dataSource().query(`SELECT count(*) FROM users WHERE name = 'Racer'`);
      expect(rows[0]?.count).toBe('1');
    });
  });

  describe('refused tokens', () => {
    it('refuses a signature made with another key under the published kid', async () => {
      const token = await harness.idToken({ provider: 'google', sub: 'mallory', signWith: 'foreign' });

      await expect(refusal('google', token)).resolves.toEqual({
        code: ErrorCode.invalid_id_token,
        message: 'Invalid Google ID token: signature verification failed',
        domain: 'auth',
        status: 401,
      });
    });

    it('refuses an unknown kid', async () => {
      const token = await harness.idToken({ provider: 'google', sub: 'mallory', kid: 'not-a-google-kid' });

      await expect(refusal('google', token)).resolves.toMatchObject({
        code: ErrorCode.invalid_id_token,
        status: 401,
        message: 'Invalid Google ID token: no Google signing key matches its key id (kid)',
      });
    });

    it('refuses a token for another app (aud)', async () => {
      const token = await harness.idToken({ provider: 'google', sub: 'mallory', audience: 'someone-elses-client-id' });

      await expect(refusal('google', token)).resolves.toMatchObject({
        code: ErrorCode.invalid_id_token,
        message: 'Invalid Google ID token: the audience is not a client ID of this app',
      });
    });

    it('refuses a token from another issuer', async () => {
      const token = await harness.idToken({ provider: 'google', sub: 'mallory', issuer: 'https://accounts.evil.example' });

      await expect(refusal('google', token)).resolves.toMatchObject({
        code: ErrorCode.invalid_id_token,
        message: 'Invalid Google ID token: the issuer is not Google',
      });
    });

    it('accepts the bare accounts.google.com issuer Google also uses', async () => {
      const reply = await loginWith({ provider: 'google', sub: 'g-bare-iss', issuer: 'accounts.google.com' });

      expect(reply.ok).toBe(true);
    });

    it('accepts a token expired within the clock skew and refuses one expired for the whole skew', async () => {
      // exp 59 s ago is within the 60 s skew; exp exactly 60 s ago is not (exp must be > now - skew).
      const issuedAt = new Date(harness.clock.nowMs() - 3600_000);
      const withinSkew = await harness.idp.signIdToken({ provider: 'apple', sub: 'a-skew', issuedAt, expiresInSeconds: 3600 - 59 });
      const beyondSkew = await harness.idp.signIdToken({ provider: 'apple', sub: 'a-skew', issuedAt, expiresInSeconds: 3600 - 60 });

      expect((await login({ provider: 'apple', idToken: withinSkew })).ok).toBe(true);
      await expect(refusal('apple', beyondSkew)).resolves.toMatchObject({
        code: ErrorCode.invalid_id_token,
        message: 'Invalid Apple ID token: it has expired',
      });
    });

    it('refuses a token issued in the future beyond the skew', async () => {
      const future = await harness.idp.signIdToken({
        provider: 'google',
        sub: 'g-future',
        issuedAt: new Date(harness.clock.nowMs() + 61_000),
      });
      const nearFuture = await harness.idp.signIdToken({
        provider: 'google',
        sub: 'g-future',
        issuedAt: new Date(harness.clock.nowMs() + 60_000),
      });

      await expect(refusal('google', future)).resolves.toMatchObject({ message: 'Invalid Google ID token: it was issued in the future (iat)' });
      expect((await login({ provider: 'google', idToken: nearFuture })).ok).toBe(true);
    });

    it('refuses alg: none', async () => {
      const token = unsignedToken(harness.idp.claims({ provider: 'google', sub: 'mallory', issuedAt: harness.clock.now() }), {
        kid: harness.idp.kid('google'),
      });

      await expect(refusal('google', token)).resolves.toMatchObject({
        code: ErrorCode.invalid_id_token,
        message: 'Invalid Google ID token: algorithm "none" is not accepted (RS256 only)',
      });
    });

    it('refuses HS256, including one keyed with the provider public key (algorithm confusion)', async () => {
      const claims = harness.idp.claims({ provider: 'google', sub: 'mallory', issuedAt: harness.clock.now() });
      const publicPem = createPublicKey({ key: { ...harness.idp.publicJwk('google') }, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
      const confused = await hs256Token(claims, String(publicPem), harness.idp.kid('google'));
      const plain = await hs256Token({ sub: 'mallory', iss: 'https://accounts.google.com' }, 'secret');

      for (const token of [confused, plain]) {
        await expect(refusal('google', token)).resolves.toMatchObject({
          code: ErrorCode.invalid_id_token,
          message: 'Invalid Google ID token: algorithm "HS256" is not accepted (RS256 only)',
        });
      }
    });

    it('refuses another RSA algorithm than RS256', async () => {
      const token = await harness.idToken({ provider: 'google', sub: 'mallory', alg: 'RS512' });

      await expect(refusal('google', token)).resolves.toMatchObject({ message: 'Invalid Google ID token: algorithm "RS512" is not accepted (RS256 only)' });
    });

    it('refuses a Google token sent as Apple, and an Apple token sent as Google', async () => {
      const google = await harness.idToken({ provider: 'google', sub: 'g-cross' });
      const apple = await harness.idToken({ provider: 'apple', sub: 'a-cross' });

      await expect(refusal('apple', google)).resolves.toMatchObject({ code: ErrorCode.invalid_id_token, status: 401 });
      await expect(refusal('google', apple)).resolves.toMatchObject({ code: ErrorCode.invalid_id_token, status: 401 });
    });

    it('refuses garbage that is not a JWT, without echoing it', async () => {
      const error = await refusal('google', 'definitely-not.a-jwt');

      expect(error).toMatchObject({ code: ErrorCode.invalid_id_token, message: 'Invalid Google ID token: it is not a well-formed JWT' });
      expect(error.message).not.toContain('definitely');
    });
  });

  describe('nonce', () => {
    it('accepts Google tokens carrying the raw nonce and refuses another one', async () => {
      const ok = await loginWith({ provider: 'google', sub: 'g-nonce', nonce: 'n-123' }, { nonce: 'n-123' });
      const mismatch = await loginWith({ provider: 'google', sub: 'g-nonce', nonce: 'n-123' }, { nonce: 'n-456' });

      expect(ok.ok).toBe(true);
      expect(mismatch).toMatchObject({ ok: false, error: { code: ErrorCode.invalid_id_token, message: 'Invalid Google ID token: the nonce does not match' } });
    });

    it("accepts Apple tokens carrying SHA-256(nonce), as iOS sends it, and refuses another nonce's hash", async () => {
      const ok = await loginWith({ provider: 'apple', sub: 'a-nonce', nonce: sha256('raw-apple-nonce') }, { nonce: 'raw-apple-nonce' });
      const mismatch = await loginWith({ provider: 'apple', sub: 'a-nonce', nonce: sha256('other') }, { nonce: 'raw-apple-nonce' });

      expect(ok.ok).toBe(true);
      expect(mismatch).toMatchObject({ ok: false, error: { code: ErrorCode.invalid_id_token } });
    });

    it('refuses a login that sends a nonce for a token without one', async () => {
      const reply = await loginWith({ provider: 'google', sub: 'g-no-nonce' }, { nonce: 'n-1' });

      expect(reply).toMatchObject({ ok: false, error: { message: 'Invalid Google ID token: a nonce was sent but the token carries none' } });
    });
  });

  describe('request validation', () => {
    it.each([
      [{ provider: 'facebook', idToken: 'x.y.z' }, ErrorCode.invalid_provider, 400],
      [{ idToken: 'x.y.z' }, ErrorCode.invalid_provider, 400],
      [{ provider: 'google' }, ErrorCode.validation_failed, 400],
      [{ provider: 'google', idToken: 'x.y.z', isAdmin: true }, ErrorCode.validation_failed, 400],
      [{ provider: 'google', idToken: 'x.y.z', devicePlatform: 'symbian' }, ErrorCode.validation_failed, 400],
      [{ provider: 'google', idToken: 'x.y.z', deviceToken: '   ' }, ErrorCode.validation_failed, 400],
      [{ provider: 'google', idToken: 'x.y.z', deviceToken: 'two words' }, ErrorCode.validation_failed, 400],
    ])('refuses %p', async (body, code, status) => {
      const reply = await login(body);

      expect(reply).toMatchObject({ ok: false, error: { code, status } });
    });

    it('creates nothing for a refused login', async () => {
      const before: Array<{ count: string }> = await harness.dataSource().query('SELECT count(*) FROM users');
      await loginWith({ provider: 'google', sub: 'g-never', audience: 'other' });
      const after: Array<{ count: string }> = await harness.dataSource().query('SELECT count(*) FROM users');

      expect(after[0]?.count).toBe(before[0]?.count);
    });
  });

  describe('a provider without configured client IDs', () => {
    it('refuses its logins with a clear message', async () => {
      const env = loadConfig(authEnvSchema, { ...harness.idp.envFor(), APPLE_CLIENT_IDS: '' });
      const sut = IdTokenVerifier.fromEnv(env, new FakeClock(harness.clock.now()));
      const token = await harness.idToken({ provider: 'apple', sub: 'a-off' });

      await expect(sut.verify('apple', token)).rejects.toMatchObject({
        code: ErrorCode.invalid_provider,
        status: 400,
        message: 'Apple sign-in is not enabled on this server',
      });
    });

    it('accepts both an Apple bundle ID and a services ID when both are configured', async () => {
      const env = loadConfig(authEnvSchema, { ...harness.idp.envFor(), APPLE_CLIENT_IDS: 'com.gisbi.dev, com.gisbi.web-service' });
      const sut = IdTokenVerifier.fromEnv(env, new FakeClock(harness.clock.now()));

      for (const audience of ['com.gisbi.dev', 'com.gisbi.web-service']) {
        const token = await harness.idToken({ provider: 'apple', sub: 'a-aud', audience });
        await expect(sut.verify('apple', token)).resolves.toEqual({ provider: 'apple', subject: 'a-aud', name: null });
      }
    });
  });

  it('reports every created user through users.get_many', async () => {
    const sut = await harness.login('g-directory', { name: 'Dir' });

    const { users } = await harness.ok<UsersGetManyResponse>(RpcMethod.auth.usersGetMany, { userIds: [sut.user.id, 'user_unknown'] });

    expect(users).toEqual({ [sut.user.id]: { ...sut.user, deleted: false } });
  });
});
