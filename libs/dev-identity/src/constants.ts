// Plain values shared by the server, the standalone entry point and the CLI. Kept free of jose so the
// CLI (which only talks HTTP) starts without loading any crypto.

export const PROVIDERS = ['google', 'apple'] as const;
export type Provider = (typeof PROVIDERS)[number];

export function isProvider(value: unknown): value is Provider {
  return typeof value === 'string' && (PROVIDERS as readonly string[]).includes(value);
}

// The real issuers: the auth service keeps its production issuer defaults and only its JWKS URIs point
// at the dev IdP, so the issuer check is exercised exactly as in production.
export const GOOGLE_ISSUER = 'https://accounts.google.com';
export const APPLE_ISSUER = 'https://appleid.apple.com';

// Client ids (token audiences) of the fictitious dev apps. Start the auth service with these in
// GOOGLE_CLIENT_IDS / APPLE_CLIENT_IDS (envFor() does it for you).
export const DEV_GOOGLE_CLIENT_ID = 'gisbi-dev-google-client.apps.googleusercontent.com';
export const DEV_APPLE_CLIENT_ID = 'com.gisbi.dev';

export const DEFAULT_DEV_IDP_PORT = 4400;
export const DEFAULT_KEY_DIR = '.dev-stack/idp-keys';
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;
