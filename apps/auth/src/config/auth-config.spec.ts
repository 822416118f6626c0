import { ConfigError, loadConfig } from '@gisbi/platform';
import { authEnvSchema } from './auth-config';

describe('authEnvSchema', () => {
  it('defaults to the real providers, port 3001 and no enabled provider', () => {
    const sut = loadConfig(authEnvSchema, {});

    expect(sut).toMatchObject({
      HTTP_PORT: 3001,
      GOOGLE_JWKS_URI: 'https://www.googleapis.com/oauth2/v3/certs',
      GOOGLE_ISSUERS: ['https://accounts.google.com', 'accounts.google.com'],
      GOOGLE_CLIENT_IDS: [],
      APPLE_JWKS_URI: 'https://appleid.apple.com/auth/keys',
      APPLE_ISSUER: 'https://appleid.apple.com',
      APPLE_CLIENT_IDS: [],
      ID_TOKEN_CLOCK_SKEW_SECONDS: 60,
      JWT_ACCESS_TTL_SECONDS: 900,
      VIBE_DEFAULT_MINUTES: 240,
      REFRESH_REUSE_GRACE_SECONDS: 0,
      firebase: null,
      pushTransport: 'recording',
    });
    expect(sut.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it('reads comma lists of client IDs (Apple bundle ID and services ID together)', () => {
    const sut = loadConfig(authEnvSchema, { APPLE_CLIENT_IDS: 'com.gisbi.app, com.gisbi.web ,', GOOGLE_CLIENT_IDS: 'a.apps.googleusercontent.com' });

    expect(sut.APPLE_CLIENT_IDS).toEqual(['com.gisbi.app', 'com.gisbi.web']);
    expect(sut.GOOGLE_CLIENT_IDS).toEqual(['a.apps.googleusercontent.com']);
  });

  it('turns literal \\n in the Firebase key into newlines and picks FCM', () => {
    const sut = loadConfig(authEnvSchema, {
      FIREBASE_PROJECT_ID: 'p',
      FIREBASE_CLIENT_EMAIL: 'e@p.iam.gserviceaccount.com',
      FIREBASE_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----\\n',
    });

    expect(sut.firebase).toEqual({
      projectId: 'p',
      clientEmail: 'e@p.iam.gserviceaccount.com',
      privateKey: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n',
    });
    expect(sut.pushTransport).toBe('fcm');
  });

  it.each([
    [{ FIREBASE_PROJECT_ID: 'p' }, /FIREBASE_CLIENT_EMAIL: is required when FIREBASE_PROJECT_ID is set/],
    [{ PUSH_TRANSPORT: 'fcm' }, /PUSH_TRANSPORT: fcm needs FIREBASE_PROJECT_ID/],
    [{ GOOGLE_JWKS_URI: 'ftp://keys.example' }, /GOOGLE_JWKS_URI/],
    [{ ID_TOKEN_CLOCK_SKEW_SECONDS: '3600' }, /ID_TOKEN_CLOCK_SKEW_SECONDS/],
    [{ VIBE_DEFAULT_MINUTES: '1441' }, /VIBE_DEFAULT_MINUTES/],
    [{ NODE_ENV: 'production' }, /JWT_SECRET: is required in production/],
  ])('fails fast on %p', (env, message) => {
    expect(() => loadConfig(authEnvSchema, env)).toThrow(ConfigError);
    expect(() => loadConfig(authEnvSchema, env)).toThrow(message);
  });
});
