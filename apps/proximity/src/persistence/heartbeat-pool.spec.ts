import { heartbeatPoolSize } from './heartbeat-pool';

describe('heartbeatPoolSize', () => {
  it('takes half of the process budget, leaving the main pool the rest', () => {
    expect(heartbeatPoolSize(10)).toBe(5);
    expect(heartbeatPoolSize(5)).toBe(2);
    expect(heartbeatPoolSize(4)).toBe(2);
  });

  it('keeps one heartbeat connection for very small budgets', () => {
    expect(heartbeatPoolSize(3)).toBe(1);
    expect(heartbeatPoolSize(1)).toBe(1);
  });
});
