import { type ProximitySessionStatus } from './proximity-session';

/** Response of POST /connections/:connectionId/proximity/token. */
export interface ProximityToken {
  token: string;
  expiresAt: string;
  connectionId: string;
}

export interface ProximitySessionSummary {
  startedAt: string;
  /** Null while the run is still active. */
  endedAt: string | null;
  durationSeconds: number;
  status: ProximitySessionStatus;
}

/** Response of GET /connections/:connectionId/proximity/summary. */
export interface ProximitySummary {
  connectionId: string;
  accumulatedSeconds: number;
  accumulatedMinutes: number;
  unlockedMilestones: number[];
  nextMilestone: number | null;
  secondsUntilNext: number | null;
  sessions: ProximitySessionSummary[];
}
