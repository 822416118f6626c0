/**
 * Calendar days in an IANA time zone, computed with Intl only (pure). A "day" is every instant whose
 * local date is that date, so a daylight-saving day is 23 or 25 hours long, and a day whose midnight was
 * skipped (a DST jump at 00:00) starts at the first instant that exists.
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, cached);
  }
  return cached;
}

/** Whether `timeZone` is an IANA zone name this runtime knows. */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts['year'] ?? 0,
    month: parts['month'] ?? 1,
    day: parts['day'] ?? 1,
    hour: parts['hour'] ?? 0,
    minute: parts['minute'] ?? 0,
    second: parts['second'] ?? 0,
  };
}

function isoDate(year: number, month: number, day: number): string {
  // Date.UTC normalises overflow (day 32 → the 1st of the next month).
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

/** The local calendar date (YYYY-MM-DD) of an instant in `timeZone`. */
export function localDate(instant: number, timeZone: string): string {
  const wall = wallClock(instant, timeZone);
  return isoDate(wall.year, wall.month, wall.day);
}

/** The zone's UTC offset at an instant, in ms (local wall clock minus UTC). */
export function offsetAt(instant: number, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  // formatToParts has second precision: compare at whole seconds.
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The date after `date` (YYYY-MM-DD). */
export function nextDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return isoDate(year, month, day + 1);
}

/**
 * The first instant of local date `date` in `timeZone` (its local midnight, or the first instant after a
 * skipped midnight).
 */
export function startOfLocalDay(date: string, timeZone: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wallMidnight = Date.UTC(year, month - 1, day);
  // Two fixed-point steps settle the offset across a DST change near midnight.
  let guess = wallMidnight - offsetAt(wallMidnight, timeZone);
  guess = wallMidnight - offsetAt(guess, timeZone);
  if (localDate(guess, timeZone) === date && localDate(guess - 1, timeZone) < date) return guess;
  // Midnight does not exist that day (or the offsets disagree): search for the first instant of the date.
  let low = wallMidnight - 15 * 3_600_000; // surely the day before (offsets are within -12h..+14h)
  let high = wallMidnight + 15 * 3_600_000; // surely this date or later
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (localDate(middle, timeZone) >= date) high = middle;
    else low = middle;
  }
  return high;
}

/**
 * Splits [start, end) at local midnights and adds each part to `into` (keyed by local date). Returns the
 * map for chaining.
 */
export function addByLocalDay(start: number, end: number, timeZone: string, into: Map<string, number> = new Map()): Map<string, number> {
  let cursor = start;
  while (cursor < end) {
    const date = localDate(cursor, timeZone);
    const nextStart = startOfLocalDay(nextDate(date), timeZone);
    // Guard against a zone whose next day would not advance (never loop forever).
    const sliceEnd = Math.min(end, nextStart > cursor ? nextStart : cursor + DAY_MS);
    into.set(date, (into.get(date) ?? 0) + (sliceEnd - cursor));
    cursor = sliceEnd;
  }
  return into;
}

/**
 * Per-day totals in whole seconds, oldest first, that add up exactly to floor(total ms / 1000): each
 * day gets floor(cumulative after it) - floor(cumulative before it).
 */
export function toDaySeconds(byDay: Map<string, number>): { totalSeconds: number; days: Array<{ date: string; seconds: number }> } {
  const dates = [...byDay.keys()].sort();
  let cumulative = 0;
  let counted = 0;
  const days: Array<{ date: string; seconds: number }> = [];
  for (const date of dates) {
    cumulative += byDay.get(date) ?? 0;
    const upTo = Math.floor(cumulative / 1000);
    days.push({ date, seconds: upTo - counted });
    counted = upTo;
  }
  return { totalSeconds: counted, days };
}
