import { ConfigError, loadConfig } from '@gisbi/platform';
import { gatewayEnvSchema } from './gateway-config';

describe('gatewayEnvSchema', () => {
  it('serves the public API on 3000 and health and metrics on 3010 by default', () => {
    const sut = loadConfig(gatewayEnvSchema, {});

    expect(sut).toMatchObject({ GATEWAY_PORT: 3000, GATEWAY_MANAGEMENT_PORT: 3010 });
  });

  it('accepts free ports (0) for both, as the tests run it', () => {
    const sut = loadConfig(gatewayEnvSchema, { GATEWAY_PORT: '0', GATEWAY_MANAGEMENT_PORT: '0' });

    expect(sut).toMatchObject({ GATEWAY_PORT: 0, GATEWAY_MANAGEMENT_PORT: 0 });
  });

  it.each([
    [{ GATEWAY_MANAGEMENT_PORT: '3000' }, /GATEWAY_MANAGEMENT_PORT: must differ from GATEWAY_PORT/],
    [{ GATEWAY_PORT: '8080', GATEWAY_MANAGEMENT_PORT: '8080' }, /GATEWAY_MANAGEMENT_PORT: must differ from GATEWAY_PORT/],
    [{ GATEWAY_MANAGEMENT_PORT: '70000' }, /GATEWAY_MANAGEMENT_PORT/],
    [{ GATEWAY_MANAGEMENT_PORT: 'metrics' }, /GATEWAY_MANAGEMENT_PORT/],
  ])('fails fast on %p', (env, message) => {
    expect(() => loadConfig(gatewayEnvSchema, env)).toThrow(ConfigError);
    expect(() => loadConfig(gatewayEnvSchema, env)).toThrow(message);
  });
});
