import { ConfigError, loadConfig } from '@gisbi/platform';
import { proximityEnvSchema, proximitySettings } from './proximity-config';

describe('proximity configuration', () => {
  it('has the documented defaults', () => {
    const env = loadConfig(proximityEnvSchema, {});
    expect(env.PROXIMITY_TOKEN_TTL_SECONDS).toBe(90);
    expect(env.PROXIMITY_MILESTONES_MINUTES).toEqual([5, 15, 30, 60, 120]);
    expect(env.PROXIMITY_MINUTE_SECONDS).toBe(60);
    expect(proximitySettings(env)).toMatchObject({
      tokenTtlMs: 90_000,
      minuteMs: 60_000,
      windowMs: 15_000,
      graceMs: 30_000,
      heartbeatCacheEntries: 10_000,
    });
  });

  it('allows short minutes outside production and refuses them in production', () => {
    expect(loadConfig(proximityEnvSchema, { NODE_ENV: 'test', PROXIMITY_MINUTE_SECONDS: '1' }).PROXIMITY_MINUTE_SECONDS).toBe(1);
    expect(() => loadConfig(proximityEnvSchema, { NODE_ENV: 'production', PROXIMITY_MINUTE_SECONDS: '1' })).toThrow(ConfigError);
    expect(loadConfig(proximityEnvSchema, { NODE_ENV: 'production' }).PROXIMITY_MINUTE_SECONDS).toBe(60);
  });

  it('refuses malformed milestones and a rotation lead longer than the token lifetime', () => {
    expect(() => loadConfig(proximityEnvSchema, { PROXIMITY_MILESTONES_MINUTES: '5,abc' })).toThrow(ConfigError);
    expect(() =>
      loadConfig(proximityEnvSchema, { PROXIMITY_TOKEN_TTL_SECONDS: '30', PROXIMITY_TOKEN_ROTATE_BEFORE_SECONDS: '30' }),
    ).toThrow(ConfigError);
  });
});
