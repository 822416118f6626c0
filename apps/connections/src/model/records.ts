import type { ConnectedLocation } from '@gisbi/contracts';

/**
 * Stored request status. `rejected` is the legacy server value the contract keeps in `legacyStatus`;
 * clients see it as `declined`.
 */
export type StoredRequestStatus = 'pending' | 'accepted' | 'rejected' | 'missed' | 'closed';

/** A connection request row, as the stores return it. */
export interface RequestRecord {
  id: string;
  senderId: string;
  recipientId: string;
  userAId: string;
  userBId: string;
  status: StoredRequestStatus;
  closureReason: string | null;
  createdAt: Date;
  expiresAt: Date;
  resolvedAt: Date | null;
}

export type StoredConnectionStatus = 'active' | 'closed';

/** A connection row, as the stores return it. */
export interface ConnectionRow {
  id: string;
  requestId: string;
  userAId: string;
  userBId: string;
  senderId: string;
  receiverId: string;
  status: StoredConnectionStatus;
  connectedLocation: ConnectedLocation | null;
  createdAt: Date;
  closedAt: Date | null;
  closedByUserId: string | null;
  closureReason: string | null;
}

export interface SafetyReportRow {
  id: string;
  reporterId: string;
  reportedUserId: string;
  reason: string;
  status: 'open' | 'reviewing' | 'resolved';
  createdAt: Date;
}

/** Closure reasons the service sets itself (a user closing a connection supplies their own). */
export const SystemClosureReason = {
  blocked: 'blocked',
  accountDeleted: 'account_deleted',
} as const;
