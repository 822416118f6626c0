// Claim sets shaped like real Google and Apple ID tokens, plus deliberately broken tokens for tests.
import { SignJWT, type JWTPayload } from 'jose';
import { DEFAULT_TOKEN_TTL_SECONDS, type Provider } from './constants';

export interface IdTokenParams {
  provider: Provider;
  sub: string;
  /** Google only (Apple never puts the name in the token; apps get it once, outside the token). */
  name?: string;
  /** Defaults to `<sub>@example.com`; null leaves the email claims out (sign-in without email scope). */
  email?: string | null;
  /** Google only. */
  picture?: string;
  /** Defaults to the provider's dev client id. */
  audience?: string;
  /** Defaults to the provider's real issuer. */
  issuer?: string;
  /** Put in verbatim. For Apple that is what the app sent, i.e. usually the SHA-256 of its raw nonce. */
  nonce?: string;
  /** Defaults to one hour; zero or negative gives an already expired token. */
  expiresInSeconds?: number;
  /** Defaults to now. */
  issuedAt?: Date;
  /** Header kid; defaults to the kid of the provider's published key. */
  kid?: string;
  /** Header alg and signing algorithm; defaults to RS256. Other RSA algs only, for negative tests. */
  alg?: string;
  /** 'foreign' signs with a key that is NOT in the JWKS (still under the published kid). */
  signWith?: 'own' | 'foreign';
}

export type ClaimParams = Pick<
  IdTokenParams,
  'sub' | 'name' | 'email' | 'picture' | 'nonce' | 'expiresInSeconds' | 'issuedAt'
> & { issuer: string; audience: string };

export function idTokenClaims(provider: Provider, params: ClaimParams): JWTPayload {
  const iat = Math.floor((params.issuedAt ?? new Date()).getTime() / 1000);
  const exp = iat + (params.expiresInSeconds ?? DEFAULT_TOKEN_TTL_SECONDS);
  const email = params.email === undefined ? defaultEmail(params.sub) : params.email;
  const nonce = params.nonce === undefined ? {} : { nonce: params.nonce };

  if (provider === 'google') {
    return {
      iss: params.issuer,
      azp: params.audience,
      aud: params.audience,
      sub: params.sub,
      ...(email === null ? {} : { email, email_verified: true }),
      ...(params.name === undefined ? {} : nameClaims(params.name)),
      ...(params.picture === undefined ? {} : { picture: params.picture }),
      iat,
      exp,
      ...nonce,
    };
  }
  // Apple sends its booleans as strings in the ID token ("true"/"false"); verifiers must cope.
  return {
    iss: params.issuer,
    aud: params.audience,
    sub: params.sub,
    ...(email === null
      ? {}
      : {
          email,
          email_verified: 'true',
          is_private_email: String(email.endsWith('@privaterelay.appleid.com')),
        }),
    iat,
    exp,
    auth_time: iat,
    nonce_supported: true,
    ...nonce,
  };
}

function defaultEmail(sub: string): string {
  const local = sub.toLowerCase().replace(/[^a-z0-9._-]+/g, '-') || 'user';
  return `${local}@example.com`;
}

function nameClaims(name: string): JWTPayload {
  const [given, ...family] = name.trim().split(/\s+/);
  return {
    name,
    ...(given ? { given_name: given } : {}),
    ...(family.length > 0 ? { family_name: family.join(' ') } : {}),
  };
}

/** An `alg: none` token: no signature at all. Every verifier must refuse it. */
export function unsignedToken(claims: JWTPayload, header: Record<string, unknown> = {}): string {
  const encode = (part: object): string => Buffer.from(JSON.stringify(part)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT', ...header })}.${encode(claims)}.`;
}

/**
 * An HS256 token MACed with `secret`. Pass the provider's public key (PEM or JWK JSON) as the secret to
 * stage the classic RS256/HS256 algorithm-confusion attack.
 */
export async function hs256Token(
  claims: JWTPayload,
  secret: string | Uint8Array,
  kid?: string,
): Promise<string> {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...(kid === undefined ? {} : { kid }) })
    .sign(key);
}
