import { type ProximitySessionUpdate } from '../../models/proximity-session';

/** Direct ACK of proximity.session.start; repeating a valid start returns the same shape. */
export interface ProximitySessionStartAckPayload {
  sessionActive: boolean;
  yourTokenReceived: boolean;
  waitingForPartner: boolean;
}

/** Pushed to the partner whose token was just scanned. */
export interface ProximityPartnerConfirmedPayload {
  connectionId: string;
}

export type ProximitySessionUpdatedPayload = ProximitySessionUpdate;

/** Direct ACK of proximity.heartbeat. */
export interface ProximityHeartbeatAckPayload {
  sessionActive: boolean;
  accumulatedSeconds: number;
}

export interface ProximityMilestoneReachedPayload {
  connectionId: string;
  /** Minutes of verified together-time. */
  milestone: number;
  giftTier: number;
  message: string;
}

export interface ProximityTokenRotatePayload {
  connectionId: string;
  token: string;
  expiresAt: string;
}
