import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { INFRA_ENV, LOCAL_DEFAULTS, readInfraEndpoints } from './infra-endpoints';
import { assertReachable } from './reachability';

/**
 * Decides once per jest run where Postgres, Redis and NATS come from: containers through
 * testcontainers when a Docker engine answers (or GISBI_TEST_INFRA=containers), otherwise the local
 * services on their standard ports (GISBI_TEST_INFRA=local skips the Docker probe). Workers inherit the
 * endpoints through the environment.
 */
export default async function globalSetup(): Promise<void> {
  const mode = process.env['GISBI_TEST_INFRA'] ?? 'auto';
  process.env[INFRA_ENV.runId] = `r${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  if (mode !== 'local' && (mode === 'containers' || (await dockerAvailable()))) {
    const { startContainers } = await import('./containers');
    const endpoints = await startContainers();
    process.env[INFRA_ENV.postgresAdminUrl] = endpoints.postgresAdminUrl;
    process.env[INFRA_ENV.redisUrl] = endpoints.redisUrl;
    process.env[INFRA_ENV.natsUrl] = endpoints.natsUrl;
    process.env[INFRA_ENV.source] = 'testcontainers';
  } else {
    process.env[INFRA_ENV.postgresAdminUrl] ??= LOCAL_DEFAULTS.postgresAdminUrl;
    process.env[INFRA_ENV.redisUrl] ??= LOCAL_DEFAULTS.redisUrl;
    process.env[INFRA_ENV.natsUrl] ??= LOCAL_DEFAULTS.natsUrl;
    process.env[INFRA_ENV.source] = 'local';
  }
  await assertReachable(readInfraEndpoints());
  // End-to-end tests run the apps from dist/, so they always test the current sources.
  execFileSync(process.execPath, [path.join(__dirname, '..', '..', '..', '..', 'tools', 'scripts', 'build.mjs'), '--quiet'], {
    stdio: 'inherit',
  });
}

async function dockerAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await Promise.race([
      getContainerRuntimeClient(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('docker probe timed out')), 5000).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}
