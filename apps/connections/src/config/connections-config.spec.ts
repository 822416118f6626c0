import { ConfigError, loadConfig } from '@gisbi/platform';
import { connectionsEnvSchema } from './connections-config';

describe('connectionsEnvSchema', () => {
  it('has working defaults', () => {
    const sut = loadConfig(connectionsEnvSchema, {});
    expect(sut.CONNECTION_REQUEST_TTL_SECONDS).toBe(600);
    expect(sut.RING_MIN_INTERVAL_SECONDS).toBe(30);
    expect(sut.PROXIMITY_MILESTONES_MINUTES).toEqual([5, 15, 30, 60, 120]);
  });

  it('reads milestones as sorted distinct minutes', () => {
    expect(loadConfig(connectionsEnvSchema, { PROXIMITY_MILESTONES_MINUTES: '30, 10,10,60' }).PROXIMITY_MILESTONES_MINUTES).toEqual([10, 30, 60]);
  });

  it('refuses milestones that are not positive whole minutes', () => {
    expect(() => loadConfig(connectionsEnvSchema, { PROXIMITY_MILESTONES_MINUTES: '5,abc' })).toThrow(ConfigError);
    expect(() => loadConfig(connectionsEnvSchema, { PROXIMITY_MILESTONES_MINUTES: '0,5' })).toThrow(ConfigError);
  });
});
