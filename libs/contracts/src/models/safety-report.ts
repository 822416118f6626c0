export type SafetyReportStatus = 'open' | 'reviewing' | 'resolved';

export interface SafetyReport {
  reportId: string;
  reportedUserId: string;
  reason: string;
  status: SafetyReportStatus;
  createdAt: string;
}
