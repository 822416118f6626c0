import { type SafetyReport } from '../../models/safety-report';

export type SafetyReportCreatedPayload = SafetyReport;

export interface SafetyBlockedPayload {
  blockedUserId: string;
}

/** Extension, safety.unblock. */
export interface SafetyUnblockedPayload {
  blockedUserId: string;
}
