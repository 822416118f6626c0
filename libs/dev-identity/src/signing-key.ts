// RSA signing keys of the dev IdP: generation, the public JWK it publishes, and optional persistence as
// private JWK files so that tokens minted before a restart still verify after it.
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey } from 'jose';

/** The only algorithm the real Google/Apple keys (and therefore the auth service) use. */
export const SIGNING_ALG = 'RS256';

/** What a key file holds: an RSA private JWK plus the kid it is published under. */
export interface StoredRsaKey {
  kty: 'RSA';
  kid: string;
  alg: typeof SIGNING_ALG;
  use: 'sig';
  n: string;
  e: string;
  d: string;
  p: string;
  q: string;
  dp: string;
  dq: string;
  qi: string;
}

export interface PublicRsaJwk {
  kty: 'RSA';
  kid: string;
  alg: typeof SIGNING_ALG;
  use: 'sig';
  n: string;
  e: string;
}

const PRIVATE_MEMBERS = ['kid', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;
// Other RSA signature algorithms, accepted only to mint tokens a strict RS256 verifier must refuse.
const RSA_ALGS = /^(RS|PS)(256|384|512)$/;

export class SigningKey {
  // The same key material imported once per algorithm it is asked to sign with.
  private readonly imported = new Map<string, Promise<CryptoKey>>();

  private constructor(private readonly stored: StoredRsaKey) {}

  get kid(): string {
    return this.stored.kid;
  }

  get publicJwk(): PublicRsaJwk {
    const { kty, kid, alg, use, n, e } = this.stored;
    return { kty, kid, alg, use, n, e };
  }

  /** The private key as a CryptoKey usable with `alg` (RS256 normally; RS384/512, PS* for negative tests). */
  async cryptoKey(alg: string = SIGNING_ALG): Promise<CryptoKey> {
    if (!RSA_ALGS.test(alg)) {
      throw new Error(
        `dev-idp: an RSA key cannot sign with alg "${alg}"; use unsignedToken() for "none" or hs256Token() for HS256`,
      );
    }
    let key = this.imported.get(alg);
    if (!key) {
      key = importRsaPrivateKey(this.stored, alg);
      this.imported.set(alg, key);
    }
    return key;
  }

  /** A fresh RS256 key whose kid is `<kidPrefix>-<label>-<start of its JWK thumbprint>`. */
  static async generate(kidPrefix: string, label: string): Promise<SigningKey> {
    return new SigningKey(await generateStoredKey(kidPrefix, label));
  }

  /**
   * Loads `<keyDir>/<label>.private.jwk.json`, creating it first if it does not exist. The kid stored in
   * the file wins over `kidPrefix`, so a restarted IdP publishes exactly what earlier tokens reference.
   */
  static async loadOrCreate(keyDir: string, kidPrefix: string, label: string): Promise<SigningKey> {
    const file = path.join(keyDir, `${label}.private.jwk.json`);
    const existing = await readStoredKey(file);
    if (existing) return new SigningKey(existing);

    const fresh = await generateStoredKey(kidPrefix, label);
    await mkdir(keyDir, { recursive: true, mode: 0o700 });
    if (await publishExclusively(file, fresh)) return new SigningKey(fresh);
    // Another process (a parallel test worker, a second `pnpm start`) created it first: use theirs.
    const winner = await readStoredKey(file);
    if (!winner) throw new Error(`dev-idp: ${file} vanished while it was being created`);
    return new SigningKey(winner);
  }
}

async function generateStoredKey(kidPrefix: string, label: string): Promise<StoredRsaKey> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const { n, e, d, p, q, dp, dq, qi } = jwk;
  if (!n || !e || !d || !p || !q || !dp || !dq || !qi)
    throw new Error('dev-idp: exported RSA JWK is incomplete');
  const thumbprint = await calculateJwkThumbprint({ kty: 'RSA', n, e });
  const kid = `${kidPrefix}-${label}-${thumbprint.slice(0, 12)}`;
  return { kty: 'RSA', kid, alg: SIGNING_ALG, use: 'sig', n, e, d, p, q, dp, dq, qi };
}

async function importRsaPrivateKey(stored: StoredRsaKey, alg: string): Promise<CryptoKey> {
  // jose ignores the JWK's own "alg" member when an explicit alg is passed, so one key serves all RSA algs.
  const key = await importJWK({ ...stored, alg }, alg);
  if (ArrayBuffer.isView(key)) throw new Error('dev-idp: expected an asymmetric key, got raw bytes');
  return key;
}

async function readStoredKey(file: string): Promise<StoredRsaKey | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const invalid = (why: string): Error =>
    new Error(`dev-idp: ${file} is not a usable RSA private JWK (${why}); delete it to generate a new key`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid('not a JSON object');
  const record = parsed as Record<string, unknown>;
  if (record['kty'] !== 'RSA') throw invalid('kty is not "RSA"');
  const missing = PRIVATE_MEMBERS.filter(
    (member) => typeof record[member] !== 'string' || record[member] === '',
  );
  if (missing.length > 0) throw invalid(`missing ${missing.join(', ')}`);
  const member = (name: (typeof PRIVATE_MEMBERS)[number]): string => record[name] as string;
  return {
    kty: 'RSA',
    kid: member('kid'),
    alg: SIGNING_ALG,
    use: 'sig',
    n: member('n'),
    e: member('e'),
    d: member('d'),
    p: member('p'),
    q: member('q'),
    dp: member('dp'),
    dq: member('dq'),
    qi: member('qi'),
  };
}

/**
 * Writes the key to a private temp file and hard-links it into place. link() fails if the target
 * exists, so of several processes racing on an empty key dir exactly one wins, and nobody ever sees a
 * half-written file. Returns false if another process won.
 */
async function publishExclusively(file: string, key: StoredRsaKey): Promise<boolean> {
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, JSON.stringify(key, null, 2) + '\n', { mode: 0o600 });
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp);
  }
}
