import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { NatsCommandServer } from '../nats/nats-command.server';

/**
 * Starts a Nest app as a GISBI service: pino logger, NATS command/RPC transport, shutdown hooks, HTTP
 * (health and metrics; for the gateway the public API, its health and metrics being on the port of its
 * ManagementServer). Used by every main.ts and by the tests, so tests start services exactly the way
 * production does. Returns the bound HTTP port.
 */
export async function startServiceApp(app: INestApplication, httpPort: number): Promise<number> {
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.connectMicroservice({ strategy: app.get(NatsCommandServer) }, { inheritAppConfig: true });
  await app.init();
  await app.startAllMicroservices();
  await app.listen(httpPort, '0.0.0.0');
  const address = app.getHttpServer().address() as { port: number } | string | null;
  return typeof address === 'object' && address ? address.port : httpPort;
}
