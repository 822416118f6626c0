// A local stand-in for Google and Apple sign-in: it mints ID tokens shaped like theirs, signed with its
// own RSA keys, and serves those keys as JWKS. The auth service keeps its real issuer and audience
// checks; only GOOGLE_JWKS_URI / APPLE_JWKS_URI point here. Development and tests only: anyone who can
// reach POST /token can mint a token for any user.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIPv6, type AddressInfo } from 'node:net';
import { SignJWT, type JWTHeaderParameters, type JWTPayload } from 'jose';
import {
  APPLE_ISSUER,
  DEV_APPLE_CLIENT_ID,
  DEV_GOOGLE_CLIENT_ID,
  GOOGLE_ISSUER,
  isProvider,
  PROVIDERS,
  type Provider,
} from './constants';
import { SIGNING_ALG, SigningKey, type PublicRsaJwk } from './signing-key';
import { idTokenClaims, type IdTokenParams } from './tokens';

export interface DevIdentityProviderOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1: the IdP signs anything for anyone, so it must not be reachable from outside. */
  host?: string;
  /** If given, keys are loaded from / saved to this directory so tokens survive restarts. */
  keyDir?: string;
  /** Prefix of newly generated kids; defaults to "gisbi-dev". */
  kidPrefix?: string;
}

/** The auth service settings that point it at this instance. */
export interface DevIdpEnv {
  GOOGLE_JWKS_URI: string;
  GOOGLE_CLIENT_IDS: string;
  APPLE_JWKS_URI: string;
  APPLE_CLIENT_IDS: string;
}

const ISSUERS: Record<Provider, string> = { google: GOOGLE_ISSUER, apple: APPLE_ISSUER };
const AUDIENCES: Record<Provider, string> = { google: DEV_GOOGLE_CLIENT_ID, apple: DEV_APPLE_CLIENT_ID };
const MAX_BODY_BYTES = 16 * 1024;
const TOKEN_REQUEST_FIELDS = ['provider', 'sub', 'name', 'email', 'aud', 'nonce', 'expiresInSeconds', 'iat'];

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class DevIdentityProvider {
  private readonly server: Server;
  private baseUrl = '';
  private closing?: Promise<void>;
  // Generated on first use: only negative tests need it.
  private foreignKey?: Promise<SigningKey>;

  private constructor(
    private readonly keys: Record<Provider, SigningKey>,
    private readonly kidPrefix: string,
  ) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async create(options: DevIdentityProviderOptions = {}): Promise<DevIdentityProvider> {
    const kidPrefix = options.kidPrefix ?? 'gisbi-dev';
    const { keyDir } = options;
    const load = (provider: Provider): Promise<SigningKey> =>
      keyDir === undefined
        ? SigningKey.generate(kidPrefix, provider)
        : SigningKey.loadOrCreate(keyDir, kidPrefix, provider);
    const [google, apple] = await Promise.all([load('google'), load('apple')]);
    const idp = new DevIdentityProvider({ google, apple }, kidPrefix);
    await idp.listen(options.port ?? 0, options.host ?? '127.0.0.1');
    return idp;
  }

  /** Base URL without a trailing slash, e.g. http://127.0.0.1:4400. */
  get url(): string {
    return this.baseUrl;
  }

  jwksUri(provider: Provider): string {
    return `${this.baseUrl}/${provider}/jwks`;
  }

  issuer(provider: Provider): string {
    return ISSUERS[provider];
  }

  defaultAudience(provider: Provider): string {
    return AUDIENCES[provider];
  }

  /** The kid of the key published for `provider`. */
  kid(provider: Provider): string {
    return this.keys[provider].kid;
  }

  /** The public JWK published for `provider` (handy for algorithm-confusion tests). */
  publicJwk(provider: Provider): PublicRsaJwk {
    return this.keys[provider].publicJwk;
  }

  envFor(): DevIdpEnv {
    return {
      GOOGLE_JWKS_URI: this.jwksUri('google'),
      GOOGLE_CLIENT_IDS: AUDIENCES.google,
      APPLE_JWKS_URI: this.jwksUri('apple'),
      APPLE_CLIENT_IDS: AUDIENCES.apple,
    };
  }

  /** The claims signIdToken() would sign, e.g. to wrap them in unsignedToken() or hs256Token(). */
  claims(params: IdTokenParams): JWTPayload {
    return idTokenClaims(params.provider, {
      ...params,
      issuer: params.issuer ?? ISSUERS[params.provider],
      audience: params.audience ?? AUDIENCES[params.provider],
    });
  }

  async signIdToken(params: IdTokenParams): Promise<string> {
    const alg = params.alg ?? SIGNING_ALG;
    const signer = params.signWith === 'foreign' ? await this.foreign() : this.keys[params.provider];
    // Google's headers carry typ: JWT, Apple's do not. A foreign signature keeps the published kid so
    // the verifier finds a key and fails on the signature itself, not on the kid lookup.
    const header: JWTHeaderParameters = {
      alg,
      kid: params.kid ?? this.keys[params.provider].kid,
      ...(params.provider === 'google' ? { typ: 'JWT' } : {}),
    };
    return new SignJWT(this.claims(params)).setProtectedHeader(header).sign(await signer.cryptoKey(alg));
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      // JWKS clients keep connections alive; without this close() would wait for them to time out.
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private foreign(): Promise<SigningKey> {
    this.foreignKey ??= SigningKey.generate(this.kidPrefix, 'foreign');
    return this.foreignKey;
  }

  private async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { address, port: actualPort } = this.server.address() as AddressInfo;
    this.baseUrl = `http://${urlHost(address)}:${actualPort}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.route(req, res);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const code = error instanceof HttpError ? error.code : 'internal_error';
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) sendJson(res, status, { error: code, message });
      else res.destroy();
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? '/', 'http://dev-idp.invalid');
    const jwksFor = /^\/(google|apple)\/jwks$/.exec(pathname)?.[1];

    if (jwksFor !== undefined && isProvider(jwksFor)) {
      requireMethod(req, res, 'GET');
      sendJson(
        res,
        200,
        { keys: [this.keys[jwksFor].publicJwk] },
        { 'Cache-Control': 'public, max-age=300' },
      );
    } else if (pathname === '/health') {
      requireMethod(req, res, 'GET');
      sendJson(res, 200, { status: 'ok' });
    } else if (pathname === '/token') {
      requireMethod(req, res, 'POST');
      const params = parseTokenRequest(await readJson(req));
      sendJson(res, 200, { idToken: await this.signIdToken(params) }, { 'Cache-Control': 'no-store' });
    } else {
      throw new HttpError(404, 'not_found', `no route for ${req.method ?? 'GET'} ${pathname}`);
    }
  }
}

function urlHost(address: string): string {
  // A wildcard bind is reachable on loopback; a URL needs a concrete, bracketed-if-IPv6 host.
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return isIPv6(address) ? `[${address}]` : address;
}

function requireMethod(req: IncomingMessage, res: ServerResponse, method: 'GET' | 'POST'): void {
  if (req.method === method || (method === 'GET' && req.method === 'HEAD')) return;
  res.setHeader('Allow', method === 'GET' ? 'GET, HEAD' : method);
  throw new HttpError(405, 'method_not_allowed', `use ${method}`);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES)
      throw new HttpError(413, 'payload_too_large', `body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'body must be a JSON object');
  }
}

/** Validates the POST /token body strictly, so a typo ("audience" for "aud") is an error, not a default. */
function parseTokenRequest(body: unknown): IdTokenParams {
  const bad = (message: string): HttpError => new HttpError(400, 'invalid_request', message);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw bad('body must be a JSON object');
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !TOKEN_REQUEST_FIELDS.includes(key));
  if (unknown.length > 0) {
    throw bad(`unknown field(s) ${unknown.join(', ')}; allowed: ${TOKEN_REQUEST_FIELDS.join(', ')}`);
  }

  const { provider, sub } = fields;
  if (!isProvider(provider)) throw bad(`provider must be one of ${PROVIDERS.join(', ')}`);
  if (typeof sub !== 'string' || sub === '') throw bad('sub must be a non-empty string');
  const text = (name: string): string | undefined => {
    const value = fields[name];
    if (value === undefined || typeof value === 'string') return value;
    throw bad(`${name} must be a string`);
  };
  const number = (name: string): number | undefined => {
    const value = fields[name];
    if (value === undefined || (typeof value === 'number' && Number.isFinite(value))) return value;
    throw bad(`${name} must be a finite number`);
  };
  const iat = number('iat');
  return {
    provider,
    sub,
    name: text('name'),
    email: text('email'),
    audience: text('aud'),
    nonce: text('nonce'),
    expiresInSeconds: number('expiresInSeconds'),
    issuedAt: iat === undefined ? undefined : new Date(iat * 1000),
  };
}
