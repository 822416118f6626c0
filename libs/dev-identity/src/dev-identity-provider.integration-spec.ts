// Opens real local ports and verifies the minted tokens the way the auth service does: jose's remote
// JWKS plus jwtVerify with issuer, audience and an RS256-only allow-list.
import { createPublicKey } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  type JWTVerifyOptions,
  type JWTVerifyResult,
} from 'jose';
import {
  APPLE_ISSUER,
  DEV_APPLE_CLIENT_ID,
  DEV_GOOGLE_CLIENT_ID,
  DevIdentityProvider,
  GOOGLE_ISSUER,
  hs256Token,
  unsignedToken,
  type Provider,
} from './index';

// What the auth service accepts in production (GOOGLE_ISSUERS / APPLE_ISSUER defaults).
const ACCEPTED_ISSUERS: Record<Provider, string[]> = {
  google: ['https://accounts.google.com', 'accounts.google.com'],
  apple: ['https://appleid.apple.com'],
};

describe('DevIdentityProvider', () => {
  let idp: DevIdentityProvider;

  beforeAll(async () => {
    idp = await DevIdentityProvider.create({ port: 0 });
  });

  afterAll(async () => {
    await idp.close();
  });

  function verify(
    token: string,
    provider: Provider,
    options: JWTVerifyOptions = {},
  ): Promise<JWTVerifyResult> {
    return jwtVerify(token, createRemoteJWKSet(new URL(idp.jwksUri(provider))), {
      issuer: ACCEPTED_ISSUERS[provider],
      audience: idp.defaultAudience(provider),
      algorithms: ['RS256'],
      ...options,
    });
  }

  function postToken(body: unknown): Promise<Response> {
    return fetch(`${idp.url}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  describe('HTTP endpoints', () => {
    it('answers /health', async () => {
      const response = await fetch(`${idp.url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    });

    it.each(['google', 'apple'] as const)('publishes only the public %s key, cacheable', async (provider) => {
      const response = await fetch(idp.jwksUri(provider));
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
      const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
      expect(keys).toEqual([
        { kty: 'RSA', kid: idp.kid(provider), alg: 'RS256', use: 'sig', n: expect.any(String), e: 'AQAB' },
      ]);
    });

    it('uses a distinct key per provider', () => {
      expect(idp.kid('google')).not.toBe(idp.kid('apple'));
      expect(idp.publicJwk('google').n).not.toBe(idp.publicJwk('apple').n);
    });

    it('answers 404 JSON for unknown paths and 405 for wrong methods', async () => {
      const missing = await fetch(`${idp.url}/nope`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: 'not_found' });

      const wrongMethod = await fetch(`${idp.url}/token`);
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get('allow')).toBe('POST');
    });

    it('points the auth service at itself through envFor()', () => {
      expect(idp.envFor()).toEqual({
        GOOGLE_JWKS_URI: `${idp.url}/google/jwks`,
        GOOGLE_CLIENT_IDS: DEV_GOOGLE_CLIENT_ID,
        APPLE_JWKS_URI: `${idp.url}/apple/jwks`,
        APPLE_CLIENT_IDS: DEV_APPLE_CLIENT_ID,
      });
      expect(idp.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    });
  });

  describe('valid tokens', () => {
    it('signs a Google-shaped token that verifies against the Google JWKS', async () => {
      const token = await idp.signIdToken({
        provider: 'google',
        sub: 'alice',
        name: 'Alice van Doe',
        nonce: 'n-1',
      });

      const { payload, protectedHeader } = await verify(token, 'google');

      expect(protectedHeader).toEqual({ alg: 'RS256', kid: idp.kid('google'), typ: 'JWT' });
      expect(payload).toEqual({
        iss: GOOGLE_ISSUER,
        azp: DEV_GOOGLE_CLIENT_ID,
        aud: DEV_GOOGLE_CLIENT_ID,
        sub: 'alice',
        email: 'alice@example.com',
        email_verified: true,
        name: 'Alice van Doe',
        given_name: 'Alice',
        family_name: 'van Doe',
        iat: expect.any(Number),
        exp: expect.any(Number),
        nonce: 'n-1',
      });
      expect(payload.exp! - payload.iat!).toBe(3600);
    });

    it('signs an Apple-shaped token (string booleans, no name) that verifies against the Apple JWKS', async () => {
      const token = await idp.signIdToken({
        provider: 'apple',
        sub: '001234.abcdef',
        name: 'Not In Token',
        email: 'x1@privaterelay.appleid.com',
      });

      const { payload, protectedHeader } = await verify(token, 'apple');

      expect(protectedHeader).toEqual({ alg: 'RS256', kid: idp.kid('apple') });
      expect(payload).toEqual({
        iss: APPLE_ISSUER,
        aud: DEV_APPLE_CLIENT_ID,
        sub: '001234.abcdef',
        email: 'x1@privaterelay.appleid.com',
        email_verified: 'true',
        is_private_email: 'true',
        iat: expect.any(Number),
        exp: expect.any(Number),
        auth_time: payload.iat,
        nonce_supported: true,
      });
    });

    it('leaves the email claims out when email is null', async () => {
      const { payload } = await verify(
        await idp.signIdToken({ provider: 'google', sub: 'bob', email: null }),
        'google',
      );
      expect(payload).not.toHaveProperty('email');
      expect(payload).not.toHaveProperty('email_verified');
    });
  });

  describe('tokens a verifier must reject', () => {
    it('rejects a token signed with a foreign key under the published kid', async () => {
      const token = await idp.signIdToken({ provider: 'google', sub: 'mallory', signWith: 'foreign' });
      expect(decodeProtectedHeader(token).kid).toBe(idp.kid('google'));
      await expect(verify(token, 'google')).rejects.toMatchObject({
        code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      });
    });

    it('rejects an unknown kid and a token of the other provider', async () => {
      const unknownKid = await idp.signIdToken({ provider: 'google', sub: 'mallory', kid: 'nope' });
      await expect(verify(unknownKid, 'google')).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });

      const apple = await idp.signIdToken({ provider: 'apple', sub: 'mallory' });
      await expect(
        verify(apple, 'google', { issuer: APPLE_ISSUER, audience: DEV_APPLE_CLIENT_ID }),
      ).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
    });

    it('rejects an alg: none token, with or without an algorithm allow-list', async () => {
      const token = unsignedToken(idp.claims({ provider: 'google', sub: 'mallory' }), {
        kid: idp.kid('google'),
      });
      expect(token.endsWith('.')).toBe(true);
      await expect(verify(token, 'google')).rejects.toMatchObject({ code: 'ERR_JOSE_ALG_NOT_ALLOWED' });
      await expect(verify(token, 'google', { algorithms: undefined })).rejects.toThrow();
    });

    it('rejects HS256 keyed with the public key (algorithm confusion) and a validly signed RS512 token', async () => {
      const publicPem = createPublicKey({ key: { ...idp.publicJwk('google') }, format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      });
      const confused = await hs256Token(
        idp.claims({ provider: 'google', sub: 'mallory' }),
        String(publicPem),
        idp.kid('google'),
      );
      await expect(verify(confused, 'google')).rejects.toMatchObject({ code: 'ERR_JOSE_ALG_NOT_ALLOWED' });

      const rs512 = await idp.signIdToken({ provider: 'google', sub: 'mallory', alg: 'RS512' });
      expect(decodeProtectedHeader(rs512).alg).toBe('RS512');
      await expect(verify(rs512, 'google')).rejects.toMatchObject({ code: 'ERR_JOSE_ALG_NOT_ALLOWED' });
    });

    it('rejects expired tokens, wrong audiences and wrong issuers', async () => {
      const expired = await idp.signIdToken({
        provider: 'apple',
        sub: 'carol',
        issuedAt: new Date(Date.now() - 2 * 3600_000),
        expiresInSeconds: 3600,
      });
      await expect(verify(expired, 'apple')).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });

      const otherApp = await idp.signIdToken({ provider: 'google', sub: 'carol', audience: 'someone-else' });
      await expect(verify(otherApp, 'google')).rejects.toMatchObject({
        code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
        claim: 'aud',
      });

      const otherIssuer = await idp.signIdToken({
        provider: 'google',
        sub: 'carol',
        issuer: 'https://evil.example',
      });
      await expect(verify(otherIssuer, 'google')).rejects.toMatchObject({
        code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
        claim: 'iss',
      });
    });
  });

  describe('POST /token', () => {
    it('returns a token that verifies, honouring aud, nonce and iat', async () => {
      const iat = Math.floor(Date.now() / 1000) - 60;
      const response = await postToken({
        provider: 'google',
        sub: 'dave',
        name: 'Dave',
        nonce: 'xyz',
        iat,
        aud: 'x',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const { idToken } = (await response.json()) as { idToken: string };

      const { payload } = await verify(idToken, 'google', { audience: 'x' });
      expect(payload).toMatchObject({
        sub: 'dave',
        name: 'Dave',
        given_name: 'Dave',
        nonce: 'xyz',
        iat,
        aud: 'x',
      });
    });

    it('returns Apple tokens too', async () => {
      const response = await postToken({ provider: 'apple', sub: 'erin', email: 'erin@example.org' });
      const { idToken } = (await response.json()) as { idToken: string };
      const { payload } = await verify(idToken, 'apple');
      expect(payload).toMatchObject({ sub: 'erin', email: 'erin@example.org', is_private_email: 'false' });
    });

    it.each([
      ['an unknown provider', { provider: 'github', sub: 'x' }, /provider/],
      ['a missing sub', { provider: 'google' }, /sub/],
      ['a misspelt field', { provider: 'google', sub: 'x', audience: 'y' }, /unknown field\(s\) audience/],
      ['a non-numeric expiry', { provider: 'google', sub: 'x', expiresInSeconds: '60' }, /expiresInSeconds/],
      ['a non-object body', ['google'], /JSON object/],
    ])('answers 400 for %s', async (_case, body, message) => {
      const response = await postToken(body);
      expect(response.status).toBe(400);
      const error = (await response.json()) as { error: string; message: string };
      expect(error.error).toBe('invalid_request');
      expect(error.message).toMatch(message);
    });

    it('answers 400 for malformed JSON', async () => {
      const response = await fetch(`${idp.url}/token`, { method: 'POST', body: '{nope' });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_json' });
    });
  });
});

describe('DevIdentityProvider key persistence', () => {
  let keyDir: string;

  beforeEach(async () => {
    keyDir = await mkdtemp(path.join(tmpdir(), 'dev-idp-keys-'));
  });

  afterEach(async () => {
    await rm(keyDir, { recursive: true, force: true });
  });

  it('keeps tokens valid across restarts with the same keyDir', async () => {
    const first = await DevIdentityProvider.create({ keyDir });
    const token = await first.signIdToken({ provider: 'google', sub: 'alice' });
    const kids = { google: first.kid('google'), apple: first.kid('apple') };
    await first.close();

    expect((await readdir(keyDir)).sort()).toEqual(['apple.private.jwk.json', 'google.private.jwk.json']);
    expect((await stat(path.join(keyDir, 'google.private.jwk.json'))).mode & 0o777).toBe(0o600);

    // A different kidPrefix must not rename the persisted keys: old tokens reference the old kid.
    const second = await DevIdentityProvider.create({ keyDir, kidPrefix: 'other' });
    try {
      expect({ google: second.kid('google'), apple: second.kid('apple') }).toEqual(kids);
      const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(second.jwksUri('google'))), {
        issuer: GOOGLE_ISSUER,
        audience: DEV_GOOGLE_CLIENT_ID,
        algorithms: ['RS256'],
      });
      expect(payload.sub).toBe('alice');
    } finally {
      await second.close();
    }
  });

  it('agrees on one key set when several instances start on an empty keyDir at once', async () => {
    const instances = await Promise.all([1, 2, 3].map(() => DevIdentityProvider.create({ keyDir })));
    try {
      expect(new Set(instances.map((instance) => instance.kid('google'))).size).toBe(1);
      expect(new Set(instances.map((instance) => instance.kid('apple'))).size).toBe(1);
      expect((await readdir(keyDir)).sort()).toEqual(['apple.private.jwk.json', 'google.private.jwk.json']);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
    }
  });

  it('generates fresh keys without a keyDir', async () => {
    const [a, b] = await Promise.all([DevIdentityProvider.create(), DevIdentityProvider.create()]);
    try {
      expect(a.kid('google')).not.toBe(b.kid('google'));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
