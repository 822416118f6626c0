// Runs the dev IdP on its own: `node dist/tools/dev-idp/src/main.js` (or `nx run dev-idp:serve`).
// DEV_IDP_PORT (default 4400) and DEV_IDP_KEY_DIR (default .dev-stack/idp-keys under the cwd).
import path from 'node:path';
import { DEFAULT_DEV_IDP_PORT, DEFAULT_KEY_DIR, PROVIDERS } from '@gisbi/dev-identity';
import { DevIdentityProvider } from '@gisbi/dev-identity';

function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, time: new Date().toISOString(), name: 'dev-idp', msg, ...fields });
  (level === 'error' ? process.stderr : process.stdout).write(line + '\n');
}

function portFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_DEV_IDP_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`DEV_IDP_PORT must be an integer between 0 and 65535, got "${raw}"`);
  }
  return port;
}

async function main(): Promise<void> {
  const keyDir = path.resolve(process.cwd(), process.env.DEV_IDP_KEY_DIR || DEFAULT_KEY_DIR);
  const idp = await DevIdentityProvider.create({ port: portFromEnv(process.env.DEV_IDP_PORT), keyDir });
  const providers = Object.fromEntries(
    PROVIDERS.map((provider) => [
      provider,
      {
        issuer: idp.issuer(provider),
        audience: idp.defaultAudience(provider),
        jwksUri: idp.jwksUri(provider),
      },
    ]),
  );
  log('info', 'dev-idp listening (development only)', {
    url: idp.url,
    tokenEndpoint: `${idp.url}/token`,
    keyDir,
    providers,
    authServiceEnv: idp.envFor(),
  });

  // once(): a second Ctrl-C falls back to Node's default and kills the process if closing hangs.
  const stop = (signal: NodeJS.Signals): void => {
    idp.close().then(
      () => log('info', 'dev-idp stopped', { signal }),
      (error: unknown) => {
        log('error', 'dev-idp failed to stop cleanly', { signal, error: String(error) });
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  log('error', 'dev-idp failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
});
