export type ProximitySessionStatus = 'active' | 'paused' | 'ended';

/** Server-owned together-time progression for one connection (restored from session.bootstrap). */
export interface ProximitySession {
  connectionId: string;
  accumulatedSeconds: number;
  status: ProximitySessionStatus;
  /** Length of the current continuous verified run; 0 when not running. */
  currentSessionSeconds: number;
  /** Milestones already reached, in minutes. */
  unlockedMilestones: number[];
  /** The viewer's current BLE advertising token, when one is active. */
  bleToken: string | null;
  bleTokenExpiresAt: string | null;
}

/** Payload of proximity.session.updated, sent to both participants. */
export interface ProximitySessionUpdate {
  connectionId: string;
  accumulatedSeconds: number;
  sessionActive: boolean;
  currentSessionSeconds: number;
  unlockedMilestones: number[];
  nextMilestoneMinutes: number | null;
  /** Present when a run was paused: how long the pair has to resume before it ends. */
  gracePeriodSeconds?: number;
}
