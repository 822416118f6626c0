import { ErrorCode } from '@gisbi/contracts';
import { startStack, type Stack } from '@gisbi/testing';

/**
 * The built gateway as Kubernetes runs it: probes and Prometheus on GATEWAY_MANAGEMENT_PORT, everything
 * else on GATEWAY_PORT, which is all the Ingress reaches (the stack itself waits on the management port).
 */
describe('gateway ports, end to end', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ label: 'gateway-ports', apps: ['gateway'] });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('serves health and metrics on the management port only, and the API on the public port only', async () => {
    const management = stack.gatewayManagementUrl();
    for (const path of ['/health/live', '/health/ready', '/metrics']) {
      expect((await fetch(`${management}${path}`)).status).toBe(200);
      expect(await stack.http('GET', path)).toEqual({ status: 404, body: { detail: `Cannot GET ${path}`, code: ErrorCode.not_found } });
    }
    expect((await stack.http('GET', '/docs.json')).status).toBe(200);
    const docs = await fetch(`${management}/docs.json`);
    expect({ status: docs.status, body: await docs.json() }).toEqual({
      status: 404,
      body: { detail: 'Cannot GET /docs.json', code: ErrorCode.not_found },
    });
  });
});
