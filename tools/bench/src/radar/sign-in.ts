import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface BenchUser {
  sub: string;
  userId: string;
  accessToken: string;
  /** When the token was obtained (ms); access tokens live 15 minutes. */
  obtainedAt: number;
}

/** Tokens older than this are refreshed by signing in again. */
const TOKEN_REUSE_MS = 10 * 60 * 1000;

/**
 * Signs in `count` simulated users through the running stack exactly as a phone does: an ID token from
 * the development identity provider, then POST /auth/social-login. Tokens are cached in a file so
 * repeated runs do not pay for thousands of logins again.
 */
export async function signInUsers(options: {
  gateway: string;
  idp: string;
  count: number;
  prefix: string;
  concurrency: number;
  cacheFile?: string;
  log: (line: string) => void;
}): Promise<BenchUser[]> {
  const cache = readCache(options.cacheFile);
  const now = Date.now();
  const users: BenchUser[] = new Array(options.count);
  let next = 0;
  let fresh = 0;
  const started = Date.now();
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= options.count) return;
      const sub = `${options.prefix}-${index}`;
      const cached = cache[sub];
      if (cached && now - cached.obtainedAt < TOKEN_REUSE_MS) {
        users[index] = cached;
        continue;
      }
      users[index] = await signIn(options.gateway, options.idp, sub, `Bench ${index}`);
      cache[sub] = users[index] as BenchUser;
      fresh++;
      if (fresh % 500 === 0) options.log(`  signed in ${fresh} users (${Math.round((fresh / (Date.now() - started)) * 1000)}/s)`);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  if (options.cacheFile) writeFileSync(options.cacheFile, JSON.stringify(cache));
  if (fresh > 0) options.log(`  signed in ${fresh} new users in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return users;
}

async function signIn(gateway: string, idp: string, sub: string, name: string): Promise<BenchUser> {
  const token = await postJson<{ idToken: string }>(`${idp}/token`, { provider: 'google', sub, name });
  const login = await postJson<{ accessToken: string; user: { id: string } }>(`${gateway}/auth/social-login`, {
    provider: 'google',
    idToken: token.idToken,
  });
  return { sub, userId: login.user.id, accessToken: login.accessToken, obtainedAt: Date.now() };
}

async function postJson<T>(url: string, body: unknown): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (response.ok) return JSON.parse(text) as T;
    if (attempt >= 3 || response.status < 500) throw new Error(`POST ${url} answered ${response.status}: ${text.slice(0, 200)}`);
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
}

function readCache(file: string | undefined): Record<string, BenchUser> {
  if (!file || !existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, BenchUser>;
  } catch {
    return {};
  }
}
