// Prints a dev ID token from the running dev IdP, for curl and scripts:
//   TOKEN=$(pnpm -s dev-token --sub alice --name "Alice Doe")
// Only the token goes to stdout; everything else goes to stderr. Talks HTTP only (no crypto here).
import { parseArgs } from 'node:util';
import { DEFAULT_DEV_IDP_PORT, isProvider, PROVIDERS } from '@gisbi/dev-identity';

const USAGE = `Usage: pnpm -s dev-token --sub <id> [--name "Alice Doe"] [--provider ${PROVIDERS.join('|')}]
                        [--email <address>] [--nonce <nonce>] [--aud <client id>] [--idp <url>]
Prints an ID token signed by the running dev IdP (started by \`pnpm start\`).
--idp defaults to $DEV_IDP_URL, else http://127.0.0.1:$DEV_IDP_PORT (port ${DEFAULT_DEV_IDP_PORT}).`;

const fail = (message: string): void => void process.stderr.write(`dev-token: ${message}\n`);

async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        sub: { type: 'string' },
        name: { type: 'string' },
        provider: { type: 'string', default: 'google' },
        email: { type: 'string' },
        nonce: { type: 'string' },
        aud: { type: 'string' },
        idp: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { sub, name, provider, email, nonce, aud } = values;
  if (!sub) {
    fail(`--sub is required\n${USAGE}`);
    return 2;
  }
  if (!isProvider(provider)) {
    fail(`--provider must be one of ${PROVIDERS.join(', ')}, got "${provider}"`);
    return 2;
  }
  if (provider === 'apple' && name !== undefined)
    fail('note: Apple ID tokens carry no name; --name is ignored');

  const idp =
    values.idp ??
    process.env.DEV_IDP_URL ??
    `http://127.0.0.1:${process.env.DEV_IDP_PORT || DEFAULT_DEV_IDP_PORT}`;
  let endpoint: URL;
  try {
    endpoint = new URL('/token', idp);
  } catch {
    fail(`--idp must be a URL such as http://127.0.0.1:${DEFAULT_DEV_IDP_PORT}, got "${idp}"`);
    return 2;
  }

  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      // JSON.stringify drops the options that were not given.
      body: JSON.stringify({ provider, sub, name, email, nonce, aud }),
      signal: AbortSignal.timeout(5000),
    });
  } catch (error) {
    fail(
      `no dev IdP answered at ${idp} (${describe(error)}).\n` +
        'Start the local stack first with `pnpm start` (it runs the dev IdP), or pass --idp <url> if it runs elsewhere.',
    );
    return 1;
  }

  const text = await response.text();
  if (!response.ok) {
    fail(`the dev IdP at ${idp} refused the request (HTTP ${response.status}): ${text}`);
    return 1;
  }
  const idToken = tokenFrom(text);
  if (idToken === undefined) {
    fail(`${idp} answered, but not like the dev IdP (is something else listening on that port?)`);
    return 1;
  }
  process.stdout.write(`${idToken}\n`);
  return 0;
}

function tokenFrom(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'idToken' in parsed &&
      typeof parsed.idToken === 'string'
    ) {
      return parsed.idToken;
    }
  } catch {
    // Not JSON: fall through.
  }
  return undefined;
}

/** fetch() reports "fetch failed" and hides the useful part (ECONNREFUSED, ENOTFOUND...) in `cause`. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
  return error.name === 'TimeoutError' ? 'timed out' : error.message;
}

void run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
