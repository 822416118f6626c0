import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig, startServiceApp, type Env } from '@gisbi/platform';
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

export async function startGateway(
  envSource: Env = process.env,
): Promise<{ app: INestApplication; port: number }> {
  const env = loadConfig(gatewayEnvSchema, envSource);
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(env), { bufferLogs: true, bodyParser: false });
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
  return { app, port };
}
