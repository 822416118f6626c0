import type { ProximitySessionUpdate } from '@gisbi/contracts';
import { emptySideSignals, FraudFlag, observeEvent, type SideSignals, type SignalSettings } from '../fraud/fraud-signals';
import { crossingInstant, milestonesDue, nextMilestone } from '../milestones/milestones';
import { toMs, toNumber } from '../persistence/sql';
import {
  emptyTrack,
  pauseDueAt,
  recordEvent,
  startAccruing,
  stopAccruing,
  type AccrualTrack,
  type Piece,
  type Side,
} from './accrual';

export type SessionStatus = 'active' | 'paused' | 'ended';

/** Why a run stopped earning (stored, and useful when explaining a pair's history). */
export type PauseReason = 'waiting_for_partner' | 'ended_by_user' | 'heartbeat_timeout';
export type EndReason = 'grace_expired' | 'connection_closed' | 'user_blocked';

/** The run's latest verified interval, which the next piece extends when it continues it with the same flags. */
export interface OpenInterval {
  id: string;
  start: number;
  end: number;
  flags: number;
}

/** A verified interval row to write (insert, or extend an existing one's end). */
export interface IntervalWrite {
  id: string;
  connectionId: string;
  sessionId: string;
  start: number;
  end: number;
  flags: number;
}

/**
 * Where a credited piece goes: it extends the open interval when it starts where that one ends and carries
 * the same flags, otherwise it opens a new interval (with `newIntervalId`).
 */
export function placePiece(session: Session, piece: Piece, flags: number, newIntervalId: () => string): IntervalWrite {
  const open = session.state.openInterval;
  if (open && open.end === piece.start && open.flags === flags) {
    return { id: open.id, connectionId: session.connectionId, sessionId: session.id, start: open.start, end: piece.end, flags };
  }
  return { id: newIntervalId(), connectionId: session.connectionId, sessionId: session.id, start: piece.start, end: piece.end, flags };
}

/** Several writes of one event to the same interval collapse into its last state. */
export function mergeIntervalWrites(writes: readonly IntervalWrite[]): IntervalWrite[] {
  const byId = new Map<string, IntervalWrite>();
  for (const write of writes) byId.set(write.id, write);
  return [...byId.values()];
}

/** Internal per-session state kept as jsonb: accrual tracking, per-phone signal statistics, open interval. */
export interface SessionState {
  track: AccrualTrack;
  signals: { a: SideSignals; b: SideSignals };
  openInterval: OpenInterval | null;
  /**
   * The exact instant an active run stops earning. The indexed `pause_due_at` column is only a lower
   * bound the timer job wakes up at (written on activation and by the job), so a heartbeat never changes
   * an indexed column and its update stays a cheap HOT update.
   */
  pauseDueAt?: number | null;
}

/** A run, with every instant in epoch milliseconds. */
export interface Session {
  id: string;
  connectionId: string;
  userAId: string;
  userBId: string;
  status: SessionStatus;
  createdAt: number;
  /** First activation: the run's `startedAt` in summaries. Null while it never ran. */
  activatedAt: number | null;
  /** Start of the current continuous verified run (active only). */
  activeSince: number | null;
  pausedAt: number | null;
  pauseReason: PauseReason | null;
  /** Paused: when the run ends unless both phones confirm again. */
  endsAt: number | null;
  endedAt: number | null;
  endReason: EndReason | null;
  /** Active: the instant after which no credit can follow (earlier last event + window); exact. */
  pauseDueAt: number | null;
  aConfirmedAt: number | null;
  bConfirmedAt: number | null;
  accumulatedMs: number;
  currentRunMs: number;
  state: SessionState;
  /** Flags raised by events since the last credited piece; attached to the next one. */
  pendingFlags: number;
  relaySuspected: boolean;
}

export interface SessionRow {
  id: string;
  connection_id: string;
  user_a_id: string;
  user_b_id: string;
  status: SessionStatus;
  created_at: Date;
  activated_at: Date | null;
  active_since: Date | null;
  paused_at: Date | null;
  pause_reason: PauseReason | null;
  ends_at: Date | null;
  ended_at: Date | null;
  end_reason: EndReason | null;
  a_confirmed_at: Date | null;
  b_confirmed_at: Date | null;
  accumulated_ms: string;
  current_run_ms: string;
  state: SessionState;
  pending_flags: number;
  relay_suspected: boolean;
}

export function sessionFromRow(row: SessionRow): Session {
  return {
    id: row.id,
    connectionId: row.connection_id,
    userAId: row.user_a_id,
    userBId: row.user_b_id,
    status: row.status,
    createdAt: row.created_at.getTime(),
    activatedAt: toMs(row.activated_at),
    activeSince: toMs(row.active_since),
    pausedAt: toMs(row.paused_at),
    pauseReason: row.pause_reason,
    endsAt: toMs(row.ends_at),
    endedAt: toMs(row.ended_at),
    endReason: row.end_reason,
    // Never the pause_due_at column: a heartbeat's version does not cover it (migration RunDecisionVersion
    // copied it into `state` for the runs written before `state` carried the deadline).
    pauseDueAt: row.state.pauseDueAt ?? null,
    aConfirmedAt: toMs(row.a_confirmed_at),
    bConfirmedAt: toMs(row.b_confirmed_at),
    accumulatedMs: toNumber(row.accumulated_ms),
    currentRunMs: toNumber(row.current_run_ms),
    state: row.state,
    pendingFlags: row.pending_flags,
    relaySuspected: row.relay_suspected,
  };
}

export function newSessionState(): SessionState {
  return { track: emptyTrack(), signals: { a: emptySideSignals(), b: emptySideSignals() }, openInterval: null };
}

export interface RuleSettings extends SignalSettings {
  windowMs: number;
  graceMs: number;
}

/** A state change other parts of the system care about (pushes, domain events). */
export type Transition =
  | { kind: 'activated'; at: number }
  | { kind: 'paused'; at: number; reason: PauseReason; wasActive: boolean }
  | { kind: 'ended'; at: number; reason: EndReason; wasActive: boolean };

/** A fresh run, created by the first confirmation: paused (waiting for the partner) until both have scanned. */
export function createSession(input: { id: string; connectionId: string; userAId: string; userBId: string; at: number; graceMs: number }): Session {
  return {
    id: input.id,
    connectionId: input.connectionId,
    userAId: input.userAId,
    userBId: input.userBId,
    status: 'paused',
    createdAt: input.at,
    activatedAt: null,
    activeSince: null,
    pausedAt: input.at,
    pauseReason: 'waiting_for_partner',
    endsAt: input.at + input.graceMs,
    endedAt: null,
    endReason: null,
    pauseDueAt: null,
    aConfirmedAt: null,
    bConfirmedAt: null,
    accumulatedMs: 0,
    currentRunMs: 0,
    state: newSessionState(),
    pendingFlags: 0,
    relaySuspected: false,
  };
}

export function activate(session: Session, at: number, windowMs: number): Session {
  const track = startAccruing(session.state.track, at);
  return {
    ...session,
    status: 'active',
    activatedAt: session.activatedAt ?? at,
    activeSince: at,
    pausedAt: null,
    pauseReason: null,
    endsAt: null,
    pauseDueAt: pauseDueAt(track, windowMs),
    currentRunMs: 0,
    state: { ...session.state, track, openInterval: null },
  };
}

/** Stops earning; both phones must confirm (session.start) again within the grace to resume. */
export function pause(session: Session, at: number, reason: PauseReason, graceMs: number): Session {
  return {
    ...session,
    status: 'paused',
    activeSince: null,
    pausedAt: at,
    pauseReason: reason,
    endsAt: at + graceMs,
    pauseDueAt: null,
    aConfirmedAt: null,
    bConfirmedAt: null,
    currentRunMs: 0,
    state: { ...session.state, track: stopAccruing(session.state.track), openInterval: null },
  };
}

export function end(session: Session, at: number, reason: EndReason): Session {
  return {
    ...session,
    status: 'ended',
    activeSince: null,
    endsAt: null,
    endedAt: at,
    endReason: reason,
    pauseDueAt: null,
    aConfirmedAt: null,
    bConfirmedAt: null,
    currentRunMs: 0,
    state: { ...session.state, track: stopAccruing(session.state.track), openInterval: null },
  };
}

/**
 * Applies what time alone has decided by `now`: an active run whose evidence ran out pauses at that
 * instant; a paused run whose grace is over ends at its deadline. The background job and every command
 * call this, so the outcome never depends on when the job happens to run.
 */
export function applyTimeouts(session: Session, now: number, settings: RuleSettings): { session: Session; transitions: Transition[] } {
  const transitions: Transition[] = [];
  let current = session;
  if (current.status === 'active' && current.pauseDueAt !== null && current.pauseDueAt < now) {
    const at = current.pauseDueAt;
    current = pause(current, at, 'heartbeat_timeout', settings.graceMs);
    transitions.push({ kind: 'paused', at, reason: 'heartbeat_timeout', wasActive: true });
  }
  if (current.status === 'paused' && current.endsAt !== null && current.endsAt <= now) {
    const at = current.endsAt;
    current = end(current, at, 'grace_expired');
    transitions.push({ kind: 'ended', at, reason: 'grace_expired', wasActive: false });
  }
  return { session: current, transitions };
}

export function sideOf(session: { userAId: string; userBId: string }, userId: string): Side | null {
  if (session.userAId === userId) return 'a';
  if (session.userBId === userId) return 'b';
  return null;
}

export function otherSide(side: Side): Side {
  return side === 'a' ? 'b' : 'a';
}

export function confirmedAt(session: Session, side: Side): number | null {
  return side === 'a' ? session.aConfirmedAt : session.bConfirmedAt;
}

export function withConfirmation(session: Session, side: Side, at: number | null): Session {
  return side === 'a' ? { ...session, aConfirmedAt: at } : { ...session, bConfirmedAt: at };
}

/**
 * Records one valid proximity event (start or heartbeat) of a phone: its signal statistics, its run, and
 * — while active — the newly verified pieces. Flags raised by the event wait in `pendingFlags` for the
 * next credited piece.
 */
export function recordProof(
  session: Session,
  side: Side,
  at: number,
  rssi: number,
  settings: RuleSettings,
): { session: Session; pieces: Piece[] } {
  const previousAt = session.state.track[side].lastAt;
  const observed = observeEvent(session.state.signals[side], rssi, at, previousAt, settings);
  const recorded = recordEvent(session.state.track, side, at, settings.windowMs);
  const state: SessionState = {
    ...session.state,
    track: recorded.track,
    signals: { ...session.state.signals, [side]: observed.signals },
  };
  return {
    session: {
      ...session,
      state,
      pendingFlags: session.pendingFlags | observed.flags,
      pauseDueAt: session.status === 'active' ? pauseDueAt(recorded.track, settings.windowMs) : session.pauseDueAt,
    },
    pieces: session.status === 'active' ? recorded.pieces : [],
  };
}

/** The pair's verified-time aggregate, as the payload builders need it. */
export interface PairProgress {
  connectionId: string;
  accumulatedMs: number;
  unlockedMilestones: number[];
}

/** Milestones as the crediting code needs them. */
export interface MilestoneRules {
  milestones: readonly number[];
  minuteMs: number;
}

/** A milestone a credit crosses, with the exact instant inside its piece and the total right after it. */
export interface MilestoneCrossing {
  milestone: number;
  reachedAt: number;
  accumulatedMs: number;
}

/**
 * Turns credited pieces into interval writes and adds them to the run and to `progress` (in place: the
 * caller commits both in one statement). Returns the milestones the new total crosses, with the exact
 * instant each was crossed inside its piece.
 */
export function planCredit(
  progress: PairProgress,
  session: Session,
  pieces: readonly Piece[],
  rules: MilestoneRules,
  newIntervalId: (start: number) => string,
): { session: Session; intervals: IntervalWrite[]; crossings: MilestoneCrossing[] } {
  const intervals: IntervalWrite[] = [];
  const crossings: MilestoneCrossing[] = [];
  let current = session;
  for (const piece of pieces) {
    const flags = current.pendingFlags | (current.relaySuspected ? FraudFlag.relaySuspected : 0);
    const write = placePiece(current, piece, flags, () => newIntervalId(piece.start));
    intervals.push(write);
    const length = piece.end - piece.start;
    const before = progress.accumulatedMs;
    progress.accumulatedMs += length;
    current = {
      ...current,
      pendingFlags: 0,
      accumulatedMs: current.accumulatedMs + length,
      currentRunMs: current.currentRunMs + length,
      state: { ...current.state, openInterval: { id: write.id, start: write.start, end: write.end, flags } },
    };
    for (const milestone of milestonesDue(rules.milestones, progress.unlockedMilestones, progress.accumulatedMs, rules.minuteMs)) {
      const reachedAt = crossingInstant(milestone * rules.minuteMs, before, piece.start, piece.end);
      crossings.push({ milestone, reachedAt, accumulatedMs: progress.accumulatedMs });
      progress.unlockedMilestones = [...progress.unlockedMilestones, milestone].sort((x, y) => x - y);
    }
  }
  return { session: current, intervals, crossings };
}

/**
 * What proximity.session.updated shows of progress (whole seconds and milestones). A heartbeat pushes
 * the update only when this changed: an identical payload tells the phones nothing.
 */
export function visibleProgress(progress: PairProgress, session: Session): string {
  return `${Math.floor(progress.accumulatedMs / 1000)}/${Math.floor(session.currentRunMs / 1000)}/${progress.unlockedMilestones.join(',')}`;
}

/** proximity.session.updated for a pair (session null: no run). */
export function sessionUpdate(
  progress: PairProgress,
  session: Session | null,
  now: number,
  milestones: readonly number[],
): ProximitySessionUpdate {
  const active = session?.status === 'active';
  const update: ProximitySessionUpdate = {
    connectionId: progress.connectionId,
    accumulatedSeconds: Math.floor(progress.accumulatedMs / 1000),
    sessionActive: active,
    currentSessionSeconds: active && session ? Math.floor(session.currentRunMs / 1000) : 0,
    unlockedMilestones: [...progress.unlockedMilestones].sort((x, y) => x - y),
    nextMilestoneMinutes: nextMilestone(milestones, progress.unlockedMilestones),
  };
  if (session?.status === 'paused' && session.endsAt !== null) {
    update.gracePeriodSeconds = Math.max(0, Math.ceil((session.endsAt - now) / 1000));
  }
  return update;
}
