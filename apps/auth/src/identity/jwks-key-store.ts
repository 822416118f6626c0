import { Logger } from '@nestjs/common';
import {
  createLocalJWKSet,
  errors as joseErrors,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWK,
  type JWSHeaderParameters,
} from 'jose';
import type { Clock } from '@gisbi/platform';

/** The provider's key set cannot be obtained (network, HTTP status, empty or malformed document). */
export class JwksUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JwksUnavailableError';
  }
}

export interface JwksKeyStoreOptions {
  /** For logs and messages, e.g. "google". */
  name: string;
  uri: string;
  timeoutMs: number;
  /** Minimum time between two fetches that are not due to expiry (unknown kid, retry after a failure). */
  refetchCooldownMs: number;
  /** Cache lifetime when the answer has no usable Cache-Control max-age. */
  defaultMaxAgeMs: number;
  /** Upper bound on the cache lifetime, whatever the provider announces. */
  maxMaxAgeMs: number;
}

export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

/** A provider's answer is never cached for less than this (a "no-cache" JWKS would otherwise be refetched per login). */
export const MIN_JWKS_CACHE_MS = 60_000;
/** Key sets are a few KB; anything much larger is not a key set. */
export const MAX_JWKS_BYTES = 64 * 1024;
const MAX_KEYS = 64;

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;
/** What jose's local key set resolves to (a WebCrypto key). */
type VerificationKey = Awaited<ReturnType<LocalKeySet>>;

interface CachedKeySet {
  resolve: LocalKeySet;
  kids: string[];
  fetchedAt: number;
  expiresAt: number;
}

/**
 * One provider's signing keys (Google, Apple), built on jose's `createLocalJWKSet`:
 * - fetched with a timeout and a size cap, cached for the provider's Cache-Control max-age (bounded);
 * - an unknown `kid` triggers ONE refetch (providers rotate keys), at most once per cooldown, so a
 *   stream of forged kids cannot make us hammer the provider;
 * - an empty or malformed answer is never cached: the previous good set stays in use (for at most
 *   `maxMaxAgeMs` past its expiry), and the next attempt waits for the cooldown;
 * - concurrent callers share one in-flight fetch.
 * Time comes from the injected clock, so expiry and cooldown are tested without sleeping.
 */
export class JwksKeyStore {
  private readonly logger: Logger;
  private current?: CachedKeySet;
  private inflight?: Promise<CachedKeySet>;
  private lastAttemptAt?: number;

  constructor(
    private readonly options: JwksKeyStoreOptions,
    private readonly clock: Clock,
    private readonly fetchFn: FetchFn = (url, init) => fetch(url, init),
  ) {
    this.logger = new Logger(`JwksKeyStore:${options.name}`);
  }

  /** jose key resolver for `jwtVerify(token, store.getKey, ...)`. */
  readonly getKey = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<VerificationKey> => {
    const keySet = await this.keySet();
    try {
      return await keySet.resolve(header, token);
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
      const fresh = await this.refetchForUnknownKid(keySet, header.kid);
      if (!fresh) throw error;
      return fresh.resolve(header, token);
    }
  };

  /** Kids of the cached set (observability and tests). */
  cachedKids(): string[] {
    return this.current ? [...this.current.kids] : [];
  }

  private async keySet(): Promise<CachedKeySet> {
    const now = this.clock.nowMs();
    const cached = this.current;
    if (cached && now < cached.expiresAt) return cached;
    if (!cached) {
      if (this.inflight) return this.inflight;
      if (!this.mayFetch(now)) {
        throw new JwksUnavailableError(`${this.options.name} signing keys are unavailable (the last fetch failed); retrying shortly`);
      }
      return this.refresh('no cached key set');
    }
    // Expired: refresh, but keep verifying with the previous set while the provider misbehaves (bounded).
    const usableStale = now < cached.expiresAt + this.options.maxMaxAgeMs;
    try {
      if (this.inflight) return await this.inflight;
      if (!this.mayFetch(now)) {
        if (usableStale) return cached;
        throw new JwksUnavailableError(`${this.options.name} signing keys expired and could not be refreshed`);
      }
      return await this.refresh('cache expired');
    } catch (error) {
      if (!usableStale) throw error;
      this.logger.warn(`keeping the expired key set: ${errorMessage(error)}`);
      return cached;
    }
  }

  private async refetchForUnknownKid(used: CachedKeySet, kid: string | undefined): Promise<CachedKeySet | undefined> {
    // Someone else already refreshed since we looked: try that set.
    if (this.current && this.current !== used) return this.current;
    if (this.inflight) return this.inflight.catch(() => undefined);
    if (!this.mayFetch(this.clock.nowMs())) return undefined;
    try {
      return await this.refresh(`unknown kid ${JSON.stringify(kid ?? null).slice(0, 80)}`);
    } catch (error) {
      this.logger.warn(`refetch for an unknown kid failed: ${errorMessage(error)}`);
      return undefined;
    }
  }

  private mayFetch(now: number): boolean {
    return this.lastAttemptAt === undefined || now - this.lastAttemptAt >= this.options.refetchCooldownMs;
  }

  private refresh(reason: string): Promise<CachedKeySet> {
    this.inflight ??= this.fetchKeySet(reason)
      .then((keySet) => {
        this.current = keySet;
        return keySet;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  private async fetchKeySet(reason: string): Promise<CachedKeySet> {
    const { name, uri, timeoutMs } = this.options;
    this.lastAttemptAt = this.clock.nowMs();
    this.logger.log(`fetching ${uri} (${reason})`);
    let response: Response;
    try {
      response = await this.fetchFn(uri, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      // AbortSignal.timeout rejects with a DOMException named TimeoutError.
      const timedOut = typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'TimeoutError';
      throw new JwksUnavailableError(`${name} key set could not be fetched: ${timedOut ? `no answer within ${timeoutMs} ms` : errorMessage(error)}`);
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new JwksUnavailableError(`${name} key set endpoint answered HTTP ${response.status}`);
    }
    const text = await readCapped(response, MAX_JWKS_BYTES).catch((error: unknown) => {
      throw new JwksUnavailableError(`${name} key set could not be read: ${errorMessage(error)}`);
    });
    const keySet = parseKeySet(text);
    if (!keySet.ok) throw new JwksUnavailableError(`${name} key set is unusable: ${keySet.reason}`);
    let resolve: LocalKeySet;
    try {
      resolve = createLocalJWKSet(keySet.value);
    } catch (error) {
      throw new JwksUnavailableError(`${name} key set is unusable: ${errorMessage(error)}`);
    }
    const fetchedAt = this.clock.nowMs();
    const lifetime = cacheLifetimeMs(response.headers.get('cache-control'), response.headers.get('age'), {
      defaultMs: this.options.defaultMaxAgeMs,
      minMs: Math.min(MIN_JWKS_CACHE_MS, this.options.maxMaxAgeMs),
      maxMs: this.options.maxMaxAgeMs,
    });
    const kids = keySet.value.keys.map((key) => key.kid ?? '(no kid)');
    this.logger.log(`cached ${kids.length} key(s) [${kids.join(', ')}] for ${Math.round(lifetime / 1000)} s`);
    return { resolve, kids, fetchedAt, expiresAt: fetchedAt + lifetime };
  }
}

/**
 * How long a JWKS answer may be cached: Cache-Control max-age minus the Age header, bounded to
 * [minMs, maxMs]; `no-store`/`no-cache` count as 0 (so: minMs); no max-age at all gives defaultMs.
 */
export function cacheLifetimeMs(
  cacheControl: string | null,
  age: string | null,
  bounds: { defaultMs: number; minMs: number; maxMs: number },
): number {
  const clamp = (ms: number) => Math.min(bounds.maxMs, Math.max(bounds.minMs, ms));
  const directives = (cacheControl ?? '')
    .split(',')
    .map((directive) => directive.trim().toLowerCase())
    .filter((directive) => directive.length > 0);
  if (directives.some((directive) => directive === 'no-store' || directive === 'no-cache')) return clamp(0);
  const maxAge = directives
    .map((directive) => /^max-age\s*=\s*"?(\d+)"?$/.exec(directive)?.[1])
    .find((value) => value !== undefined);
  if (maxAge === undefined) return clamp(bounds.defaultMs);
  const ageSeconds = age !== null && /^\d+$/.test(age.trim()) ? Number(age.trim()) : 0;
  return clamp((Number(maxAge) - ageSeconds) * 1000);
}

/**
 * Parses a JWKS document and keeps the keys that can verify RS256 signatures. An empty set, a
 * document without RSA signing keys, or anything that is not a JWKS is refused (never cached).
 */
export function parseKeySet(text: string): { ok: true; value: JSONWebKeySet } | { ok: false; reason: string } {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof document !== 'object' || document === null || !Array.isArray((document as { keys?: unknown }).keys)) {
    return { ok: false, reason: 'no "keys" array' };
  }
  const keys = (document as { keys: unknown[] }).keys;
  if (keys.length === 0) return { ok: false, reason: 'the key set is empty' };
  if (keys.length > MAX_KEYS) return { ok: false, reason: `more than ${MAX_KEYS} keys` };
  const usable = keys.filter(isRsaSigningKey);
  if (usable.length === 0) return { ok: false, reason: 'no RSA signing key in the set' };
  return { ok: true, value: { keys: usable } };
}

function isRsaSigningKey(key: unknown): key is JWK {
  if (typeof key !== 'object' || key === null) return false;
  const jwk = key as Record<string, unknown>;
  return (
    jwk['kty'] === 'RSA' &&
    typeof jwk['n'] === 'string' &&
    typeof jwk['e'] === 'string' &&
    (jwk['use'] === undefined || jwk['use'] === 'sig') &&
    (jwk['alg'] === undefined || jwk['alg'] === 'RS256') &&
    (jwk['kid'] === undefined || typeof jwk['kid'] === 'string')
  );
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`body of ${declared} bytes exceeds ${maxBytes}`);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`body exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
