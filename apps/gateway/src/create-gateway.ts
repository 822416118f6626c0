import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig, ManagementServer, startServiceApp, type Env } from '@gisbi/platform';
import { gatewayEnvSchema, type GatewayEnv } from './config/gateway-config';
import { setupApiDocs } from './docs/swagger';
import { GatewayModule } from './gateway.module';
import { requireJsonBodies } from './rest/require-json.middleware';
import { AuthenticatingWsAdapter } from './socket/authenticating-ws.adapter';

/** Applies what the gateway needs beyond the module graph; shared by main.ts and the tests. */
export function configureGatewayApp(app: INestApplication, env: GatewayEnv): void {
  app.useWebSocketAdapter(new AuthenticatingWsAdapter(app, env));
  app.use(requireJsonBodies);
  setupApiDocs(app);
}

/**
 * Starts the gateway: the public API on GATEWAY_PORT, health and metrics on GATEWAY_MANAGEMENT_PORT only
 * (the Ingress routes every path of the public port). Returns both bound ports.
 */
export async function startGateway(
  envSource: Env = process.env,
): Promise<{ app: INestApplication; port: number; managementPort: number }> {
  const env = loadConfig(gatewayEnvSchema, envSource);
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(env), { bufferLogs: true, bodyParser: false });
  const management = app.get(ManagementServer);
  // Before any other middleware: which port a request came in on decides what it may reach.
  app.use(management.routeByPort);
  // Any JSON value parses, so a body that is valid JSON of the wrong shape (`null`, `"text"`, `42`) meets
  // validation like `[]` does (validation_failed, "payload must be a JSON object") instead of being
  // called malformed; the stock parser's strict mode would refuse it as a syntax error.
  app.useBodyParser('json', { strict: false });
  // The public edge does not advertise its framework.
  app.disable('x-powered-by');
  // Behind the ingress, the client's address (rate limits, logs) is the one it added to X-Forwarded-For.
  app.set('trust proxy', env.TRUST_PROXY_HOPS);
  configureGatewayApp(app, env);
  const port = await startServiceApp(app, env.GATEWAY_PORT);
  const managementPort = await management.listen(env.GATEWAY_MANAGEMENT_PORT).catch(async (error: unknown) => {
    // Nothing half-started stays behind (NATS, the public port); main.ts then exits with the message.
    await app.close();
    throw error;
  });
  return { app, port, managementPort };
}
