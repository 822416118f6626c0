import { createServer, type Server } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { ErrorCode } from '@gisbi/contracts';
import { ShutdownState } from '@gisbi/platform';
import { createTestEnvironment, HandshakeRefused, TestSocket, type TestEnvironment } from '@gisbi/testing';
import { startGateway } from './create-gateway';

interface HttpAnswer {
  status: number;
  body: unknown;
}

async function request(url: string, init: RequestInit = {}): Promise<HttpAnswer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

const unknownRoute = (method: string, path: string): HttpAnswer => ({
  status: 404,
  body: { detail: `Cannot ${method} ${path}`, code: ErrorCode.not_found },
});

/** Health and metrics are internal: only the management port serves them, and it serves nothing else. */
describe('gateway management port', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let publicUrl: string;
  let managementUrl: string;
  let closed = false;

  beforeAll(async () => {
    environment = await createTestEnvironment('gateway-management');
    const gateway = await startGateway(environment.env);
    app = gateway.app;
    publicUrl = `http://127.0.0.1:${gateway.port}`;
    managementUrl = `http://127.0.0.1:${gateway.managementPort}`;
  });

  afterAll(async () => {
    if (app && !closed) await app.close();
    await environment?.cleanup();
  });

  it('serves liveness, readiness and metrics on the management port', async () => {
    expect(await request(`${managementUrl}/health/live`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await request(`${managementUrl}/health/ready`)).toMatchObject({ status: 200, body: { status: 'ok', info: { nats: { status: 'up' } } } });
    const metrics = await fetch(`${managementUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await metrics.text()).toMatch(/^gisbi_gateway_sockets 0$/m);
  });

  it('answers them on the public port exactly as an unknown route, however the path is spelled', async () => {
    expect(await request(`${publicUrl}/no-such-route`)).toEqual(unknownRoute('GET', '/no-such-route'));
    for (const path of ['/metrics', '/health/live', '/health/ready', '/METRICS', '/metrics/', '/Health/Ready/', '/metrics?name=x']) {
      expect(await request(`${publicUrl}${path}`)).toEqual(unknownRoute('GET', path));
    }
    expect((await fetch(`${publicUrl}/metrics`, { method: 'HEAD' })).status).toBe(404);
  });

  it('keeps the API, the docs and the socket on the public port and serves none of them on the management port', async () => {
    expect(await request(`${publicUrl}/docs.json`)).toMatchObject({ status: 200, body: { openapi: expect.stringMatching(/^3\./) } });
    for (const path of ['/docs.json', '/docs/', '/', '/users/profile']) {
      expect(await request(`${managementUrl}${path}`)).toEqual(unknownRoute('GET', path));
    }
    // Refused before the body is even read: not a validation or JSON error.
    const login = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"provider":' };
    expect(await request(`${managementUrl}/auth/social-login`, login)).toEqual(unknownRoute('POST', '/auth/social-login'));
    expect((await request(`${publicUrl}/auth/social-login`, login)).status).toBe(400);
    // The socket server listens on the public server only (where a handshake without a token is a 401).
    await expect(TestSocket.connect(`${publicUrl.replace('http', 'ws')}/ws`)).rejects.toEqual(new HandshakeRefused(401));
    await expect(TestSocket.connect(`${managementUrl.replace('http', 'ws')}/ws`)).rejects.toEqual(new HandshakeRefused(404));
  });

  it('fails to start, naming the port, when the management port is taken', async () => {
    const occupant = await occupyPort();
    const taken = (occupant.address() as { port: number }).port;
    try {
      await expect(startGateway({ ...environment.env, GATEWAY_MANAGEMENT_PORT: String(taken) })).rejects.toThrow(
        `Cannot open the management port ${taken}: listen EADDRINUSE`,
      );
    } finally {
      occupant.close();
    }
  });

  it('answers readiness as draining once shutdown begins, and closes the management port after the public one', async () => {
    // What Nest runs when shutdown begins: from here on the app is draining.
    app.get(ShutdownState).beforeApplicationShutdown('SIGTERM');
    expect(await request(`${managementUrl}/health/ready`)).toMatchObject({ status: 503, body: { code: ErrorCode.service_unavailable } });
    expect((await request(`${managementUrl}/health/live`)).status).toBe(200);

    const closing = app.close();
    closed = true;
    const answers = () => fetch(`${managementUrl}/health/live`).then(() => true, () => false);
    while (await answers()) {
      // Probes get answers for as long as the public port is open.
    }
    expect(app.getHttpServer().listening).toBe(false);
    await closing;
  });
});

function occupyPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '0.0.0.0', () => resolve(server));
  });
}
