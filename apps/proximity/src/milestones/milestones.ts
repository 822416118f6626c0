/**
 * Together-time milestones: configured in minutes, reached when a connection's verified time passes
 * `minutes * minuteMs`. Pure functions; the unique (connection, milestone) row makes "exactly once" hold.
 */

export type ParsedMilestones = { ok: true; milestones: number[] } | { ok: false; message: string };

/** "5,15,30" → [5, 15, 30]: distinct positive integers, sorted ascending. */
export function parseMilestones(value: string): ParsedMilestones {
  const parts = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  if (parts.length === 0) return { ok: false, message: 'at least one milestone is required' };
  const milestones: number[] = [];
  for (const part of parts) {
    if (!/^\d+$/.test(part) || Number(part) <= 0 || !Number.isSafeInteger(Number(part))) {
      return { ok: false, message: `"${part}" is not a positive whole number of minutes` };
    }
    milestones.push(Number(part));
  }
  const sorted = [...new Set(milestones)].sort((a, b) => a - b);
  if (sorted.length !== milestones.length) return { ok: false, message: 'milestones must be distinct' };
  return { ok: true, milestones: sorted };
}

/** Gift tier of a milestone: its 1-based rank among the configured milestones. */
export function giftTierOf(milestones: readonly number[], milestone: number): number {
  const index = milestones.indexOf(milestone);
  return index >= 0 ? index + 1 : milestones.filter((m) => m < milestone).length + 1;
}

export function milestoneMessage(milestone: number): string {
  return `You've been together ${milestone} ${milestone === 1 ? 'minute' : 'minutes'} - a new gift is ready.`;
}

/** Configured milestones whose threshold `accumulatedMs` has reached and that are not unlocked yet, ascending. */
export function milestonesDue(
  milestones: readonly number[],
  unlocked: readonly number[],
  accumulatedMs: number,
  minuteMs: number,
): number[] {
  const done = new Set(unlocked);
  return milestones.filter((m) => !done.has(m) && m * minuteMs <= accumulatedMs);
}

/** The smallest configured milestone not unlocked yet, or null when all are. */
export function nextMilestone(milestones: readonly number[], unlocked: readonly number[]): number | null {
  const done = new Set(unlocked);
  return milestones.find((m) => !done.has(m)) ?? null;
}

/**
 * The instant a threshold was crossed inside a credited piece [pieceStart, pieceEnd) that took the total
 * from `beforeMs` to `beforeMs + (pieceEnd - pieceStart)`.
 */
export function crossingInstant(thresholdMs: number, beforeMs: number, pieceStartMs: number, pieceEndMs: number): number {
  const into = thresholdMs - beforeMs;
  if (into <= 0) return pieceStartMs;
  return Math.min(pieceEndMs, pieceStartMs + into);
}
