/**
 * Two-sided accrual of verified together-time (pure; times are epoch milliseconds).
 *
 * Each side (A, B) is credited with "coverage" between two of its consecutive valid events that are at
 * most `windowMs` apart: events at t1 and t2 with t2 - t1 <= windowMs cover [t1, t2). A longer gap breaks
 * the side's run; the next event starts a new run. Verified time is the intersection of A's coverage and
 * B's coverage, counted only from the instant the session became active (the frontier). It is computed
 * incrementally: on every event the overlap of both current runs beyond the frontier is credited and the
 * frontier moves to its end, so nothing is ever credited twice and nothing is credited before both
 * phones have proven it (no credit for the future).
 *
 * Worked example (window 15 s, session active at 0):
 *   A@0 B@2 A@5 B@7 A@10 B@30 A@31
 *   A@5  : A covers [0,5), B covers [2,2)  → nothing yet
 *   B@7  : A [0,5), B [2,7)                → credit [2,5) = 3 s, frontier 5
 *   A@10 : A [0,10), B [2,7)               → credit [5,7) = 2 s, frontier 7
 *   B@30 : gap 23 s > 15 s: B's run restarts at 30 (B covers nothing in (7,30))
 *   A@31 : gap 21 s > 15 s: A's run restarts at 31 → overlap of [31,31) and [30,30) is empty
 *   Total 5 s. (The service pauses the session at 7 + 15 = 22 s, when no credit can follow any more.)
 */

export interface SideTrack {
  /** Last valid event of this side, or null before the first. */
  lastAt: number | null;
  /** Start of this side's current run (first event after a gap longer than the window). */
  runStart: number | null;
}

export interface AccrualTrack {
  a: SideTrack;
  b: SideTrack;
  /** Everything before this instant has been credited or refused; null while not accruing. */
  frontier: number | null;
}

export type Side = 'a' | 'b';

/** A credited half-open interval [start, end). */
export interface Piece {
  start: number;
  end: number;
}

export function emptyTrack(): AccrualTrack {
  return { a: { lastAt: null, runStart: null }, b: { lastAt: null, runStart: null }, frontier: null };
}

/** Starts (or resumes) accrual at `at`: nothing before it can ever be credited in this run. */
export function startAccruing(track: AccrualTrack, at: number): AccrualTrack {
  return { ...track, frontier: at };
}

/** Stops accrual (pause/end); run tracking continues, so the next activation needs fresh evidence only. */
export function stopAccruing(track: AccrualTrack): AccrualTrack {
  return { ...track, frontier: null };
}

/** The overlap of both current runs beyond the frontier, and the frontier after crediting it. */
function creditable(track: AccrualTrack): { piece: Piece | null; track: AccrualTrack } {
  const { a, b, frontier } = track;
  if (frontier === null || a.lastAt === null || b.lastAt === null || a.runStart === null || b.runStart === null) {
    return { piece: null, track };
  }
  const start = Math.max(a.runStart, b.runStart, frontier);
  const end = Math.min(a.lastAt, b.lastAt);
  if (end <= start) return { piece: null, track };
  return { piece: { start, end }, track: { ...track, frontier: end } };
}

/**
 * Records a valid event of `side` at `at` and credits what both sides have now proven. Returns the new
 * track and the credited pieces (at most one in practice; contiguous pieces are merged by the caller).
 */
export function recordEvent(
  track: AccrualTrack,
  side: Side,
  at: number,
  windowMs: number,
): { track: AccrualTrack; pieces: Piece[] } {
  const pieces: Piece[] = [];
  // Credit anything still owed by the runs as they were, before this event may break one of them.
  const before = creditable(track);
  if (before.piece) pieces.push(before.piece);
  let next = before.track;

  const current = next[side];
  const when = current.lastAt !== null && at < current.lastAt ? current.lastAt : at;
  const continuesRun = current.lastAt !== null && current.runStart !== null && when - current.lastAt <= windowMs;
  next = { ...next, [side]: { lastAt: when, runStart: continuesRun ? current.runStart : when } };

  const after = creditable(next);
  if (after.piece) pieces.push(after.piece);
  return { track: after.track, pieces };
}

/** Whether a side's last event is recent enough that its run can still continue at `at`. */
export function isSideLive(side: SideTrack, at: number, windowMs: number): boolean {
  return side.lastAt !== null && at - side.lastAt <= windowMs;
}

/**
 * When an active session can no longer earn: the earlier of both sides' last events plus the window.
 * After that instant at least one run is broken, so the session pauses there.
 */
export function pauseDueAt(track: AccrualTrack, windowMs: number): number | null {
  if (track.a.lastAt === null || track.b.lastAt === null) return null;
  return Math.min(track.a.lastAt, track.b.lastAt) + windowMs;
}

export function pieceMs(pieces: readonly Piece[]): number {
  return pieces.reduce((sum, piece) => sum + (piece.end - piece.start), 0);
}
