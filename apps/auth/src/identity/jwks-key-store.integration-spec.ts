import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { errors as joseErrors, exportJWK, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { ErrorCode } from '@gisbi/contracts';
import { DevIdentityProvider } from '@gisbi/dev-identity';
import { loadConfig } from '@gisbi/platform';
import { FakeClock } from '@gisbi/testing';
import { authEnvSchema } from '../config/auth-config';
import { IdTokenVerifier } from './id-token-verifier';
import { JwksKeyStore, JwksUnavailableError, type JwksKeyStoreOptions } from './jwks-key-store';

interface Answer {
  status?: number;
  body: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

/** A JWKS endpoint the test scripts answer by answer; it counts the fetches it served. */
class ScriptedJwksServer {
  hits = 0;
  private readonly server: Server;
  private answer: Answer = { body: '{"keys":[]}' };

  private constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  static async start(): Promise<ScriptedJwksServer> {
    const jwks = new ScriptedJwksServer();
    await new Promise<void>((resolve) => jwks.server.listen(0, '127.0.0.1', resolve));
    return jwks;
  }

  get uri(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks`;
  }

  serve(answer: Answer): void {
    this.answer = answer;
  }

  serveKeys(keys: object[], cacheControl = 'public, max-age=300'): void {
    this.serve({ body: JSON.stringify({ keys }), headers: { 'cache-control': cacheControl } });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(_req: IncomingMessage, res: ServerResponse): void {
    this.hits++;
    const { status = 200, body, headers = {}, delayMs = 0 } = this.answer;
    setTimeout(() => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    }, delayMs);
  }
}

describe(JwksKeyStore.name, () => {
  let idp: DevIdentityProvider;
  let jwks: ScriptedJwksServer;
  let clock: FakeClock;

  const options = (overrides: Partial<JwksKeyStoreOptions> = {}): JwksKeyStoreOptions => ({
    name: 'google',
    uri: jwks.uri,
    timeoutMs: 1000,
    refetchCooldownMs: 10_000,
    defaultMaxAgeMs: 3600_000,
    maxMaxAgeMs: 24 * 3600_000,
    ...overrides,
  });
  const googleToken = (kid?: string) =>
    idp.signIdToken({ provider: 'google', sub: 'alice', issuedAt: clock.now(), ...(kid ? { kid } : {}) });
  const verifyWith = async (sut: JwksKeyStore, token: string) =>
    (await jwtVerify(token, sut.getKey, { algorithms: ['RS256'], currentDate: clock.now() })).payload;

  beforeAll(async () => {
    idp = await DevIdentityProvider.create({ port: 0 });
    jwks = await ScriptedJwksServer.start();
  });

  afterAll(async () => {
    await jwks?.close();
    await idp?.close();
  });

  beforeEach(() => {
    jwks.hits = 0;
    clock = new FakeClock(new Date(Math.floor(Date.now() / 1000) * 1000));
  });

  it('fetches once and serves later verifications from the cache until max-age', async () => {
    jwks.serveKeys([idp.publicJwk('google')], 'public, max-age=300');
    const sut = new JwksKeyStore(options(), clock);

    await verifyWith(sut, await googleToken());
    await verifyWith(sut, await googleToken());
    clock.advanceSeconds(299);
    await verifyWith(sut, await googleToken());
    expect(jwks.hits).toBe(1);

    clock.advanceSeconds(1);
    await verifyWith(sut, await googleToken());
    expect(jwks.hits).toBe(2);
  });

  it('bounds the cache lifetime the provider announces', async () => {
    jwks.serveKeys([idp.publicJwk('google')], 'max-age=31536000');
    const sut = new JwksKeyStore(options({ maxMaxAgeMs: 600_000 }), clock);

    await verifyWith(sut, await googleToken());
    clock.advanceSeconds(600);
    await verifyWith(sut, await googleToken());

    expect(jwks.hits).toBe(2);
  });

  it('shares one fetch between concurrent verifications', async () => {
    jwks.serve({ body: JSON.stringify({ keys: [idp.publicJwk('google')] }), delayMs: 100 });
    const sut = new JwksKeyStore(options(), clock);
    const token = await googleToken();

    await Promise.all([1, 2, 3, 4, 5].map(() => verifyWith(sut, token)));

    expect(jwks.hits).toBe(1);
  });

  it('never caches an empty key set: the next attempt after the cooldown fetches again', async () => {
    jwks.serveKeys([]);
    const sut = new JwksKeyStore(options(), clock);
    const token = await googleToken();

    await expect(verifyWith(sut, token)).rejects.toThrow(JwksUnavailableError);
    expect(sut.cachedKids()).toEqual([]);
    jwks.serveKeys([idp.publicJwk('google')]);
    // Within the cooldown, the provider is not asked again.
    await expect(verifyWith(sut, token)).rejects.toThrow(JwksUnavailableError);
    expect(jwks.hits).toBe(1);

    clock.advanceSeconds(10);
    await expect(verifyWith(sut, token)).resolves.toMatchObject({ sub: 'alice' });
    expect(jwks.hits).toBe(2);
  });

  it.each([
    ['malformed JSON', { body: '{"keys": [' }],
    ['no keys array', { body: '{"kty":"RSA"}' }],
    ['only non-RSA keys', { body: JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' }] }) }],
    ['an HTTP error', { status: 503, body: '{"error":"down"}' }],
    ['an answer too large', { body: JSON.stringify({ keys: [], padding: 'x'.repeat(70_000) }) }],
  ])('refuses and does not cache %s', async (_case, answer) => {
    jwks.serve(answer);
    const sut = new JwksKeyStore(options(), clock);

    await expect(verifyWith(sut, await googleToken())).rejects.toThrow(JwksUnavailableError);
    expect(sut.cachedKids()).toEqual([]);
  });

  it('gives up on a provider that does not answer in time', async () => {
    jwks.serve({ body: JSON.stringify({ keys: [idp.publicJwk('google')] }), delayMs: 500 });
    const sut = new JwksKeyStore(options({ timeoutMs: 100 }), clock);

    await expect(verifyWith(sut, await googleToken())).rejects.toThrow(/no answer within 100 ms/);
  });

  it('refetches once on an unknown kid (key rotation), then not again within the cooldown', async () => {
    jwks.serveKeys([idp.publicJwk('apple')]);
    const sut = new JwksKeyStore(options(), clock);
    await expect(verifyWith(sut, await idp.signIdToken({ provider: 'apple', sub: 'x', issuedAt: clock.now() }))).resolves.toBeDefined();
    expect(jwks.hits).toBe(1);

    // The provider rotates in a new key; a token signed with it arrives after the cooldown.
    jwks.serveKeys([idp.publicJwk('apple'), idp.publicJwk('google')]);
    clock.advanceSeconds(10);
    await expect(verifyWith(sut, await googleToken())).resolves.toMatchObject({ sub: 'alice' });
    expect(jwks.hits).toBe(2);

    // Forged kids right after: no refetch (cooldown), refused.
    await expect(verifyWith(sut, await googleToken('forged-1'))).rejects.toThrow(joseErrors.JWKSNoMatchingKey);
    await expect(verifyWith(sut, await googleToken('forged-2'))).rejects.toThrow(joseErrors.JWKSNoMatchingKey);
    expect(jwks.hits).toBe(2);

    // After the cooldown one more refetch is allowed; the kid is still unknown.
    clock.advanceSeconds(10);
    await expect(verifyWith(sut, await googleToken('forged-3'))).rejects.toThrow(joseErrors.JWKSNoMatchingKey);
    expect(jwks.hits).toBe(3);
  });

  it('keeps verifying with the expired set while the provider fails, then takes the new one', async () => {
    jwks.serveKeys([idp.publicJwk('google')], 'max-age=60');
    const sut = new JwksKeyStore(options(), clock);
    await verifyWith(sut, await googleToken());

    jwks.serve({ status: 500, body: 'oops' });
    clock.advanceSeconds(60);
    await expect(verifyWith(sut, await googleToken())).resolves.toMatchObject({ sub: 'alice' });
    expect(jwks.hits).toBe(2);

    jwks.serveKeys([idp.publicJwk('google')], 'max-age=60');
    clock.advanceSeconds(10);
    await verifyWith(sut, await googleToken());
    expect(jwks.hits).toBe(3);
  });

  describe('through the ID token verifier', () => {
    const verifier = () =>
      IdTokenVerifier.fromEnv(
        loadConfig(authEnvSchema, { ...idp.envFor(), GOOGLE_JWKS_URI: jwks.uri, JWKS_REFETCH_COOLDOWN_SECONDS: '10' }),
        clock,
      );

    it('reads the name from given_name when there is no name, and checks azp when there are several audiences', async () => {
      // Our own provider key, to sign claim sets the development IdP does not produce.
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      jwks.serveKeys([{ ...(await exportJWK(publicKey)), kid: 'own', alg: 'RS256', use: 'sig' }]);
      const sut = verifier();
      const now = Math.floor(clock.nowMs() / 1000);
      const sign = (claims: JWTPayload) =>
        new SignJWT({ iss: 'https://accounts.google.com', sub: 'bob', iat: now, exp: now + 3600, ...claims })
          .setProtectedHeader({ alg: 'RS256', kid: 'own' })
          .sign(privateKey);
      const client = idp.envFor().GOOGLE_CLIENT_IDS;

      await expect(sut.verify('google', await sign({ aud: client, given_name: 'Bob' }))).resolves.toEqual({
        provider: 'google',
        subject: 'bob',
        name: 'Bob',
      });
      await expect(sut.verify('google', await sign({ aud: [client, 'other-client'], azp: client }))).resolves.toMatchObject({ subject: 'bob' });
      await expect(sut.verify('google', await sign({ aud: [client, 'other-client'], azp: 'other-client' }))).rejects.toMatchObject({
        code: ErrorCode.invalid_id_token,
        message: 'Invalid Google ID token: it has several audiences and its authorized party (azp) is not this app',
      });
      await expect(sut.verify('google', await sign({ aud: client, sub: undefined }))).rejects.toMatchObject({
        message: 'Invalid Google ID token: the sub claim is missing',
      });
    });

    it('answers 503 while the key set is empty, and verifies once the provider serves its keys', async () => {
      jwks.serveKeys([]);
      const sut = verifier();
      const token = await googleToken();

      await expect(sut.verify('google', token)).rejects.toMatchObject({
        code: ErrorCode.service_unavailable,
        status: 503,
        message: 'Google sign-in is temporarily unavailable: its signing keys could not be obtained',
      });
      jwks.serveKeys([idp.publicJwk('google')]);
      clock.advanceSeconds(10);

      await expect(sut.verify('google', token)).resolves.toEqual({ provider: 'google', subject: 'alice', name: null });
      expect(jwks.hits).toBe(2);
    });
  });
});
