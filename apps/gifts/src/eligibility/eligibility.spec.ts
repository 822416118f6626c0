import {
  confidenceScore,
  evaluate,
  evaluationFromSnapshot,
  snapshotOf,
  unavailableTime,
  unmetRules,
  type ProximityRules,
  type VerifiedTime,
} from './eligibility';

const rules = (overrides: Partial<ProximityRules> = {}): ProximityRules => ({
  minTotalTogetherMinutes: 0,
  minDailyTogetherMinutes: null,
  minDistinctQualifyingDays: 0,
  requireActiveProximityForClaim: false,
  ...overrides,
});

const minutes = (n: number): number => n * 60;

const time = (days: Array<[string, number]>, overrides: Partial<VerifiedTime> = {}): VerifiedTime => ({
  totalSeconds: days.reduce((sum, [, seconds]) => sum + seconds, 0),
  days: days.map(([date, seconds]) => ({ date, seconds })),
  activeNow: false,
  fraudSignals: {},
  available: true,
  ...overrides,
});

describe(evaluate.name, () => {
  it('counts every verified minute when there is no daily threshold', () => {
    const sut = evaluate(rules({ minTotalTogetherMinutes: 50 }), time([['2026-04-15', minutes(20)], ['2026-04-16', minutes(30) + 59]]));

    expect(sut).toMatchObject({
      qualifyingTogetherMinutes: 50,
      qualifyingDaysCount: 2,
      totalVerifiedMinutes: 50,
      requiredTogetherMinutes: 50,
      enoughTime: true,
      rulesMet: true,
    });
  });

  it('counts only days that meet the daily threshold, toward minutes and days', () => {
    const sut = evaluate(
      rules({ minTotalTogetherMinutes: 60, minDailyTogetherMinutes: 30, minDistinctQualifyingDays: 2 }),
      time([
        ['2026-04-14', minutes(29) + 59], // just below: does not count
        ['2026-04-15', minutes(30)], // exactly the threshold: counts
        ['2026-04-16', minutes(45)],
      ]),
    );

    expect(sut).toMatchObject({
      qualifyingTogetherMinutes: 75,
      qualifyingDaysCount: 2,
      totalVerifiedMinutes: 104,
      enoughTime: true,
      enoughDays: true,
      rulesMet: true,
    });
  });

  it('is not met while qualifying minutes fall short, even if the raw total is enough', () => {
    const sut = evaluate(
      rules({ minTotalTogetherMinutes: 60, minDailyTogetherMinutes: 30 }),
      time([['2026-04-14', minutes(25)], ['2026-04-15', minutes(25)], ['2026-04-16', minutes(40)]]),
    );

    expect(sut).toMatchObject({ qualifyingTogetherMinutes: 40, totalVerifiedMinutes: 90, enoughTime: false, rulesMet: false });
  });

  it('requires the number of distinct qualifying days', () => {
    const sut = evaluate(
      rules({ minDistinctQualifyingDays: 3 }),
      time([['2026-04-14', 5], ['2026-04-15', 0], ['2026-04-16', 10]]),
    );

    expect(sut).toMatchObject({ qualifyingDaysCount: 2, requiredQualifyingDays: 3, enoughDays: false, rulesMet: false });
  });

  it('requires an active session when the campaign says so', () => {
    const strict = rules({ requireActiveProximityForClaim: true });

    expect(evaluate(strict, time([], { activeNow: false }))).toMatchObject({ activeRuleMet: false, rulesMet: false });
    expect(evaluate(strict, time([], { activeNow: true }))).toMatchObject({ activeRuleMet: true, rulesMet: true });
    expect(evaluate(rules(), time([], { activeNow: false }))).toMatchObject({ activeRuleMet: true, rulesMet: true });
  });

  it('is never met while proximity reports a fraud signal', () => {
    const sut = evaluate(rules(), time([['2026-04-16', minutes(90)]], { fraudSignals: { rssiTooStrong: true, tokenReplay: false } }));

    expect(sut).toMatchObject({ anomaly: true, rulesMet: false, fraudSignals: { rssiTooStrong: true, tokenReplay: false } });
    expect(sut.sponsorConfidenceScore).toBeLessThanOrEqual(10);
  });

  it('counts zero time when proximity is unavailable', () => {
    const sut = evaluate(rules({ minTotalTogetherMinutes: 5 }), unavailableTime());

    expect(sut).toMatchObject({ qualifyingTogetherMinutes: 0, proximityAvailable: false, rulesMet: false });
    expect(unmetRules(sut)[0]).toBe('verified together-time cannot be checked right now');
  });
});

describe(confidenceScore.name, () => {
  const full = {
    qualifyingTogetherMinutes: 100,
    requiredTogetherMinutes: 100,
    qualifyingDaysCount: 5,
    requiredQualifyingDays: 5,
    activeRuleMet: true,
    anomaly: false,
    proximityAvailable: true,
  };

  it('weighs time 50, days 30 and the live rule 20', () => {
    expect(confidenceScore(full)).toBe(100);
    expect(confidenceScore({ ...full, qualifyingTogetherMinutes: 50 })).toBe(75);
    expect(confidenceScore({ ...full, qualifyingDaysCount: 1 })).toBe(76);
    expect(confidenceScore({ ...full, activeRuleMet: false })).toBe(80);
    expect(confidenceScore({ ...full, qualifyingTogetherMinutes: 0, qualifyingDaysCount: 0, activeRuleMet: false })).toBe(0);
  });

  it('treats a rule that requires nothing as fully met and never exceeds 100', () => {
    expect(confidenceScore({ ...full, requiredTogetherMinutes: 0, qualifyingTogetherMinutes: 0, requiredQualifyingDays: 0 })).toBe(100);
    expect(confidenceScore({ ...full, qualifyingTogetherMinutes: 10_000 })).toBe(100);
  });

  it('caps the score when proximity was unavailable or reported fraud', () => {
    expect(confidenceScore({ ...full, proximityAvailable: false })).toBe(50);
    expect(confidenceScore({ ...full, anomaly: true })).toBe(10);
  });
});

describe(evaluationFromSnapshot.name, () => {
  it('reproduces the evaluation a snapshot was taken from', () => {
    const strict = rules({ minTotalTogetherMinutes: 30, minDailyTogetherMinutes: 10, minDistinctQualifyingDays: 1 });
    const original = evaluate(strict, time([['2026-04-16', minutes(40)]], { activeNow: true, fraudSignals: { x: false } }));
    const snapshot = snapshotOf(original, new Date('2026-04-17T12:00:00Z'));

    expect(snapshot.evaluatedAt).toBe('2026-04-17T12:00:00.000Z');
    expect(evaluationFromSnapshot(strict, snapshot)).toEqual(original);
  });
});
