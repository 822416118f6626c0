import { claimStageOf, effectiveState, historyStatusOf, pairKeyOf, type RewardLifecycle } from './reward-state';

const now = new Date('2026-04-17T12:00:00.000Z');
const later = new Date('2026-04-17T12:30:00.000Z');

const reward = (overrides: Partial<RewardLifecycle> = {}): RewardLifecycle => ({
  status: 'active',
  expiresAt: later,
  activeCodeId: null,
  codeExpiresAt: null,
  ...overrides,
});

describe(effectiveState.name, () => {
  it('expires an active reward at its exact expiry instant, before the job runs', () => {
    expect(effectiveState(reward({ expiresAt: new Date(now.getTime() + 1) }), now).status).toBe('active');
    expect(effectiveState(reward({ expiresAt: now }), now).status).toBe('expired');
    expect(effectiveState(reward({ expiresAt: null }), now).status).toBe('active');
  });

  it('has a live code only until the code expires', () => {
    expect(effectiveState(reward({ activeCodeId: 'rdm_1', codeExpiresAt: later }), now).hasLiveCode).toBe(true);
    expect(effectiveState(reward({ activeCodeId: 'rdm_1', codeExpiresAt: now }), now).hasLiveCode).toBe(false);
  });

  it('keeps final statuses', () => {
    for (const status of ['redeemed', 'expired', 'cancelled'] as const) {
      expect(effectiveState(reward({ status, activeCodeId: 'rdm_1', codeExpiresAt: later }), now)).toEqual({
        status,
        hasLiveCode: false,
      });
    }
  });
});

describe('status mapping', () => {
  it.each([
    ['active, rules unmet', { status: 'active', hasLiveCode: false }, false, 'granted', 'pending'],
    ['active, claimable', { status: 'active', hasLiveCode: false }, true, 'granted', 'available'],
    ['active with a live code', { status: 'active', hasLiveCode: true }, false, 'verified', 'verified'],
    ['active with a live code, claimable', { status: 'active', hasLiveCode: true }, true, 'verified', 'verified'],
    ['redeemed', { status: 'redeemed', hasLiveCode: false }, false, 'redeemed', 'claimed'],
    ['expired', { status: 'expired', hasLiveCode: false }, false, 'expired', 'disqualified'],
    ['cancelled', { status: 'cancelled', hasLiveCode: false }, false, 'cancelled', 'disqualified'],
  ] as const)('maps %s', (_case, state, claimable, stage, history) => {
    expect(claimStageOf(state)).toBe(stage);
    expect(historyStatusOf(state, claimable)).toBe(history);
  });
});

describe(pairKeyOf.name, () => {
  it('is the same whichever user comes first', () => {
    expect(pairKeyOf('user_B', 'user_A')).toBe('user_A:user_B');
    expect(pairKeyOf('user_A', 'user_B')).toBe('user_A:user_B');
  });
});
