import type { VerificationSnapshot } from '@gisbi/contracts';

/** The proximity service's verified together-time of one connection, cut into days of one time zone. */
export interface VerifiedTime {
  totalSeconds: number;
  /** Verified seconds per calendar day, oldest first. */
  days: Array<{ date: string; seconds: number }>;
  activeNow: boolean;
  /** Proximity fraud signals (`true` = present), passed through to the reward's riskSignals. */
  fraudSignals: Record<string, boolean>;
  /** False when proximity could not be asked: the time above is then zero. */
  available: boolean;
}

/** The proximity rules of a reward (copied from its campaign at grant time). */
export interface ProximityRules {
  minTotalTogetherMinutes: number;
  minDailyTogetherMinutes: number | null;
  minDistinctQualifyingDays: number;
  requireActiveProximityForClaim: boolean;
}

/** How the pair's verified time measures up against a reward's rules. */
export interface Evaluation {
  qualifyingTogetherMinutes: number;
  qualifyingDaysCount: number;
  totalVerifiedMinutes: number;
  requiredTogetherMinutes: number;
  requiredQualifyingDays: number;
  activeNow: boolean;
  enoughTime: boolean;
  enoughDays: boolean;
  /** The active-proximity rule holds (the pair is together now, or the rule is off). */
  activeRuleMet: boolean;
  /** Any proximity fraud signal is present. */
  anomaly: boolean;
  proximityAvailable: boolean;
  fraudSignals: Record<string, boolean>;
  /** Every proximity rule holds and nothing looks spoofed: the pair may claim (lifecycle permitting). */
  rulesMet: boolean;
  /** 0-100, see `confidenceScore`. */
  sponsorConfidenceScore: number;
}

/** What a reward is evaluated against when proximity cannot be asked. */
export function unavailableTime(): VerifiedTime {
  return { totalSeconds: 0, days: [], activeNow: false, fraudSignals: {}, available: false };
}

/**
 * Applies a reward's rules to verified time:
 * - a day qualifies when its verified time reaches `minDailyTogetherMinutes` (when set), otherwise when it
 *   has any verified time at all;
 * - with a daily threshold only qualifying days count toward `qualifyingTogetherMinutes`; without one,
 *   all verified time counts;
 * - minutes are whole minutes, rounded down.
 */
export function evaluate(rules: ProximityRules, time: VerifiedTime): Evaluation {
  const threshold = rules.minDailyTogetherMinutes === null ? null : rules.minDailyTogetherMinutes * 60;
  const qualifyingDays = time.days.filter((day) => (threshold === null ? day.seconds > 0 : day.seconds >= threshold));
  const qualifyingSeconds =
    threshold === null ? time.totalSeconds : qualifyingDays.reduce((sum, day) => sum + day.seconds, 0);
  const qualifyingTogetherMinutes = Math.floor(qualifyingSeconds / 60);
  const qualifyingDaysCount = qualifyingDays.length;
  const enoughTime = qualifyingTogetherMinutes >= rules.minTotalTogetherMinutes;
  const enoughDays = qualifyingDaysCount >= rules.minDistinctQualifyingDays;
  const activeRuleMet = !rules.requireActiveProximityForClaim || time.activeNow;
  const anomaly = Object.values(time.fraudSignals).some((present) => present);
  const base = {
    qualifyingTogetherMinutes,
    qualifyingDaysCount,
    totalVerifiedMinutes: Math.floor(time.totalSeconds / 60),
    requiredTogetherMinutes: rules.minTotalTogetherMinutes,
    requiredQualifyingDays: rules.minDistinctQualifyingDays,
    activeNow: time.activeNow,
    enoughTime,
    enoughDays,
    activeRuleMet,
    anomaly,
    proximityAvailable: time.available,
    fraudSignals: { ...time.fraudSignals },
    rulesMet: enoughTime && enoughDays && activeRuleMet && !anomaly,
  };
  return { ...base, sponsorConfidenceScore: confidenceScore(base) };
}

/**
 * Sponsor confidence, 0-100: how well the pair's verified evidence fits the reward's rules.
 *
 *   timeFit = min(1, qualifyingTogetherMinutes / requiredTogetherMinutes)   (1 when nothing is required)
 *   dayFit  = min(1, qualifyingDaysCount / requiredQualifyingDays)          (1 when nothing is required)
 *   liveFit = 1 when the pair is in an active proximity session or the campaign does not require one, else 0
 *   score   = round(50 × timeFit + 30 × dayFit + 20 × liveFit)
 *
 * then capped: at 50 when proximity could not be asked (nothing was verified), and at 10 when proximity
 * reported any fraud signal.
 */
export function confidenceScore(input: {
  qualifyingTogetherMinutes: number;
  requiredTogetherMinutes: number;
  qualifyingDaysCount: number;
  requiredQualifyingDays: number;
  activeRuleMet: boolean;
  anomaly: boolean;
  proximityAvailable: boolean;
}): number {
  const fit = (have: number, need: number): number => (need <= 0 ? 1 : Math.min(1, have / need));
  const timeFit = fit(input.qualifyingTogetherMinutes, input.requiredTogetherMinutes);
  const dayFit = fit(input.qualifyingDaysCount, input.requiredQualifyingDays);
  const liveFit = input.activeRuleMet ? 1 : 0;
  let score = Math.round(50 * timeFit + 30 * dayFit + 20 * liveFit);
  if (!input.proximityAvailable) score = Math.min(score, 50);
  if (input.anomaly) score = Math.min(score, 10);
  return Math.max(0, Math.min(100, score));
}

/** What a reward stores about an evaluation (at grant, at claim) to show later without asking again. */
export interface StoredSnapshot extends VerificationSnapshot {
  proximityAvailable: boolean;
  fraudSignals: Record<string, boolean>;
}

export function snapshotOf(evaluation: Evaluation, at: Date): StoredSnapshot {
  return {
    qualifyingTogetherMinutes: evaluation.qualifyingTogetherMinutes,
    qualifyingDaysCount: evaluation.qualifyingDaysCount,
    totalVerifiedMinutes: evaluation.totalVerifiedMinutes,
    activeProximityNow: evaluation.activeNow,
    evaluatedAt: at.toISOString(),
    proximityAvailable: evaluation.proximityAvailable,
    fraudSignals: { ...evaluation.fraudSignals },
  };
}

/** The contract's snapshot shape (internal fields removed). */
export function publicSnapshot(snapshot: VerificationSnapshot): VerificationSnapshot {
  const { qualifyingTogetherMinutes, qualifyingDaysCount, totalVerifiedMinutes, activeProximityNow, evaluatedAt } =
    snapshot;
  return { qualifyingTogetherMinutes, qualifyingDaysCount, totalVerifiedMinutes, activeProximityNow, evaluatedAt };
}

/** Re-evaluates a stored snapshot against the rules (for rewards that are no longer live). */
export function evaluationFromSnapshot(rules: ProximityRules, snapshot: VerificationSnapshot): Evaluation {
  const stored = snapshot as Partial<StoredSnapshot> & VerificationSnapshot;
  const fraudSignals = stored.fraudSignals ?? {};
  const enoughTime = snapshot.qualifyingTogetherMinutes >= rules.minTotalTogetherMinutes;
  const enoughDays = snapshot.qualifyingDaysCount >= rules.minDistinctQualifyingDays;
  const activeRuleMet = !rules.requireActiveProximityForClaim || snapshot.activeProximityNow;
  const anomaly = Object.values(fraudSignals).some((present) => present);
  const proximityAvailable = stored.proximityAvailable ?? true;
  const base = {
    qualifyingTogetherMinutes: snapshot.qualifyingTogetherMinutes,
    qualifyingDaysCount: snapshot.qualifyingDaysCount,
    totalVerifiedMinutes: snapshot.totalVerifiedMinutes,
    requiredTogetherMinutes: rules.minTotalTogetherMinutes,
    requiredQualifyingDays: rules.minDistinctQualifyingDays,
    activeNow: snapshot.activeProximityNow,
    enoughTime,
    enoughDays,
    activeRuleMet,
    anomaly,
    proximityAvailable,
    fraudSignals: { ...fraudSignals },
    rulesMet: enoughTime && enoughDays && activeRuleMet && !anomaly,
  };
  return { ...base, sponsorConfidenceScore: confidenceScore(base) };
}

/** Human-readable list of what keeps the pair from claiming, for `not_ready` messages. */
export function unmetRules(evaluation: Evaluation): string[] {
  const reasons: string[] = [];
  if (!evaluation.proximityAvailable) reasons.push('verified together-time cannot be checked right now');
  if (!evaluation.enoughTime) {
    reasons.push(
      `${evaluation.requiredTogetherMinutes} qualifying minutes together are required (${evaluation.qualifyingTogetherMinutes} so far)`,
    );
  }
  if (!evaluation.enoughDays) {
    reasons.push(
      `${evaluation.requiredQualifyingDays} qualifying days are required (${evaluation.qualifyingDaysCount} so far)`,
    );
  }
  if (!evaluation.activeRuleMet) reasons.push('the pair must be in an active proximity session together');
  if (evaluation.anomaly) reasons.push('the proximity evidence needs review');
  return reasons;
}
