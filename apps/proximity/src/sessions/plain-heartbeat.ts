import type { PairConnection } from '../connections/connection-projection';
import { judgeToken, type TokenRow } from '../tokens/token-store';
import {
  applyTimeouts,
  planCredit,
  recordProof,
  sideOf,
  visibleProgress,
  type IntervalWrite,
  type MilestoneRules,
  type RuleSettings,
  type Session,
} from './session-model';

/** What a heartbeat is judged on: the connection, its current run and the presented token's row. */
export interface HeartbeatBasis {
  connection: Readonly<PairConnection>;
  session: Session | null;
  token: TokenRow | undefined;
}

/** A plain heartbeat's outcome, ready for its one compare-and-set write. */
export interface PlainHeartbeat {
  partnerId: string;
  /** A copy of the connection with the credited time (the basis is left untouched). */
  connection: PairConnection;
  session: Session;
  intervals: IntervalWrite[];
  /** Whether what proximity.session.updated shows changed (then it is pushed to both). */
  progressChanged: boolean;
}

/**
 * Settles a heartbeat on the given basis when it is the plain case — an active connection and run, the
 * sender a participant presenting the partner's current token, no timeout due and no milestone crossed —
 * and returns null otherwise (the row-locked path handles the rest). Pure: whether the basis still holds
 * in the database is for the compare-and-set write to prove.
 */
export function planPlainHeartbeat(
  basis: HeartbeatBasis,
  event: { userId: string; rssi: number; at: number },
  rules: RuleSettings & MilestoneRules,
  newIntervalId: (start: number) => string,
): PlainHeartbeat | null {
  const { connection, session } = basis;
  if (connection.status !== 'active' || !session || session.status !== 'active') return null;
  const side = sideOf(connection, event.userId);
  if (!side) return null;
  const partnerId = side === 'a' ? connection.userBId : connection.userAId;
  if (judgeToken(basis.token, connection.connectionId, partnerId, event.at) !== 'current') return null;
  if (applyTimeouts(session, event.at, rules).transitions.length > 0) return null;
  const recorded = recordProof(session, side, event.at, event.rssi, rules);
  const credited: PairConnection = { ...connection, unlockedMilestones: [...connection.unlockedMilestones] };
  const plan = planCredit(credited, recorded.session, recorded.pieces, rules, newIntervalId);
  if (plan.crossings.length > 0) return null;
  return {
    partnerId,
    connection: credited,
    session: plan.session,
    intervals: plan.intervals,
    progressChanged: visibleProgress(connection, session) !== visibleProgress(credited, plan.session),
  };
}
