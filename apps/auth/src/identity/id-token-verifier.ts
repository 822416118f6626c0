import { Logger } from '@nestjs/common';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { ErrorCode, type AuthProvider } from '@gisbi/contracts';
import { DomainError, type Clock } from '@gisbi/platform';
import type { AuthEnv } from '../config/auth-config';
import { type FetchFn, JwksKeyStore, JwksUnavailableError } from './jwks-key-store';
import { nonceMatches } from './nonce';

/** The only signature algorithm Google and Apple use for ID tokens; `none` and HS* can never pass. */
export const ID_TOKEN_ALGORITHM = 'RS256';
const MAX_SUBJECT_LENGTH = 255;

export interface VerifiedIdentity {
  provider: AuthProvider;
  /** The provider's stable account id (`sub`). */
  subject: string;
  /** Display name from the token (Google: name / given_name; Apple never sends one). */
  name: string | null;
}

interface ProviderPolicy {
  provider: AuthProvider;
  label: string;
  issuers: string[];
  audiences: string[];
  keys: JwksKeyStore;
}

/**
 * Verifies provider ID tokens for real: RS256 only, signature against the provider's JWKS, issuer,
 * audience among our configured client IDs, exp/nbf/iat with a small bounded clock skew, and an optional
 * nonce. Every failure is a 401 `invalid_id_token` saying which check failed (never echoing the token);
 * a provider whose keys cannot be fetched is a 503.
 */
export class IdTokenVerifier {
  private readonly logger = new Logger(IdTokenVerifier.name);

  constructor(
    private readonly policies: Record<AuthProvider, ProviderPolicy>,
    private readonly clock: Clock,
    private readonly clockSkewSeconds: number,
  ) {}

  static fromEnv(env: AuthEnv, clock: Clock, fetchFn?: FetchFn): IdTokenVerifier {
    const keyStore = (name: string, uri: string) =>
      new JwksKeyStore(
        {
          name,
          uri,
          timeoutMs: env.JWKS_FETCH_TIMEOUT_MS,
          refetchCooldownMs: env.JWKS_REFETCH_COOLDOWN_SECONDS * 1000,
          defaultMaxAgeMs: env.JWKS_DEFAULT_CACHE_SECONDS * 1000,
          maxMaxAgeMs: env.JWKS_MAX_CACHE_SECONDS * 1000,
        },
        clock,
        fetchFn,
      );
    const verifier = new IdTokenVerifier(
      {
        google: {
          provider: 'google',
          label: 'Google',
          issuers: env.GOOGLE_ISSUERS,
          audiences: env.GOOGLE_CLIENT_IDS,
          keys: keyStore('google', env.GOOGLE_JWKS_URI),
        },
        apple: {
          provider: 'apple',
          label: 'Apple',
          issuers: [env.APPLE_ISSUER],
          audiences: env.APPLE_CLIENT_IDS,
          keys: keyStore('apple', env.APPLE_JWKS_URI),
        },
      },
      clock,
      env.ID_TOKEN_CLOCK_SKEW_SECONDS,
    );
    if (env.GOOGLE_CLIENT_IDS.length === 0) verifier.logger.warn('GOOGLE_CLIENT_IDS is empty: Google sign-in is refused');
    if (env.APPLE_CLIENT_IDS.length === 0) verifier.logger.warn('APPLE_CLIENT_IDS is empty: Sign in with Apple is refused');
    return verifier;
  }

  async verify(provider: AuthProvider, idToken: string, nonce?: string): Promise<VerifiedIdentity> {
    const policy = this.policies[provider];
    if (policy.audiences.length === 0) {
      throw DomainError.badRequest(ErrorCode.invalid_provider, `${policy.label} sign-in is not enabled on this server`);
    }
    const invalid = (reason: string) =>
      DomainError.unauthorized(ErrorCode.invalid_id_token, `Invalid ${policy.label} ID token: ${reason}`);

    let header: ProtectedHeaderParameters;
    try {
      header = decodeProtectedHeader(idToken);
    } catch {
      throw invalid('it is not a well-formed JWT');
    }
    if (header.alg !== ID_TOKEN_ALGORITHM) {
      throw invalid(`algorithm ${describeValue(header.alg)} is not accepted (${ID_TOKEN_ALGORITHM} only)`);
    }
    if (typeof header.kid !== 'string' || header.kid.length === 0) throw invalid('the header has no key id (kid)');

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, policy.keys.getKey, {
        algorithms: [ID_TOKEN_ALGORITHM],
        issuer: policy.issuers,
        audience: policy.audiences,
        clockTolerance: this.clockSkewSeconds,
        currentDate: this.clock.now(),
        requiredClaims: ['sub', 'iat', 'exp'],
      }));
    } catch (error) {
      throw this.describeFailure(error, policy, invalid);
    }

    const now = Math.floor(this.clock.nowMs() / 1000);
    if (typeof payload.iat === 'number' && payload.iat > now + this.clockSkewSeconds) {
      throw invalid('it was issued in the future (iat)');
    }
    // OpenID Connect Core 3.1.3.7: with several audiences, the authorized party must be us.
    if (Array.isArray(payload.aud) && payload.aud.length > 1) {
      const azp = payload['azp'];
      if (typeof azp !== 'string' || !policy.audiences.includes(azp)) {
        throw invalid('it has several audiences and its authorized party (azp) is not this app');
      }
    }
    const subject = payload.sub;
    if (typeof subject !== 'string' || subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH) {
      throw invalid('the sub claim is missing or malformed');
    }
    if (nonce !== undefined) {
      if (payload['nonce'] === undefined) throw invalid('a nonce was sent but the token carries none');
      if (!nonceMatches(nonce, payload['nonce'])) throw invalid('the nonce does not match');
    }
    return { provider, subject, name: displayName(payload) };
  }

  private describeFailure(error: unknown, policy: ProviderPolicy, invalid: (reason: string) => DomainError): Error {
    if (error instanceof DomainError) return error;
    if (error instanceof JwksUnavailableError) {
      this.logger.warn(error.message);
      return new DomainError(
        ErrorCode.service_unavailable,
        `${policy.label} sign-in is temporarily unavailable: its signing keys could not be obtained`,
        503,
      );
    }
    if (error instanceof joseErrors.JWKSNoMatchingKey) return invalid(`no ${policy.label} signing key matches its key id (kid)`);
    if (error instanceof joseErrors.JWKSMultipleMatchingKeys) return invalid('its key id (kid) matches several signing keys');
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) return invalid('signature verification failed');
    if (error instanceof joseErrors.JOSEAlgNotAllowed) return invalid(`algorithm is not accepted (${ID_TOKEN_ALGORITHM} only)`);
    if (error instanceof joseErrors.JWTExpired) return invalid('it has expired');
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      if (error.reason === 'missing') return invalid(`the ${error.claim} claim is missing`);
      switch (error.claim) {
        case 'iss':
          return invalid(`the issuer is not ${policy.label}`);
        case 'aud':
          return invalid('the audience is not a client ID of this app');
        case 'nbf':
          return invalid('it is not valid yet (nbf)');
        default:
          return invalid(`the ${error.claim} claim is invalid`);
      }
    }
    if (error instanceof joseErrors.JOSEError) return invalid('it is malformed');
    return error instanceof Error ? error : new Error(String(error));
  }
}

function displayName(payload: JWTPayload): string | null {
  for (const claim of ['name', 'given_name']) {
    const value = payload[claim];
    if (typeof value === 'string' && value.trim().length > 0) return value.trim();
  }
  return null;
}

function describeValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 20)) : 'missing';
}
