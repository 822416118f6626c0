import { type Connection } from './connection';
import { type ConnectionRequest } from './connection-request';
import { type ConversationSummary } from './conversation-summary';
import { type Message } from './message';
import { type NearbyUser } from './nearby-user';
import { type Presence } from './presence';
import { type ProximitySession } from './proximity-session';
import { type SafetyReport } from './safety-report';
import { type SponsoredGift } from './sponsored-gift';
import { type User } from './user';

/** Payload of session.bootstrap: the full client state after session.start. */
export interface BootstrapPayload {
  currentUser: User;
  presence: Presence;
  nearbyUsers: NearbyUser[];
  /** Pending requests only (timed-out ones are reported through connection.request.missed). */
  incomingRequests: ConnectionRequest[];
  sentRequests: ConnectionRequest[];
  /** Incoming and outgoing history: pending first by createdAt desc, then the rest by resolvedAt desc. */
  requests: ConnectionRequest[];
  activeConnections: Connection[];
  closedConnections: Connection[];
  /** The latest 50 messages. */
  messages: Message[];
  /** Keyed by the other user's ID. */
  conversations: Record<string, ConversationSummary>;
  /** Keyed by the other user's ID. */
  unreadMessageCount: Record<string, number>;
  totalUnreadMessageCount: number;
  /** Legacy peer gifts: kept for backward compatibility, always empty. */
  gifts: [];
  sponsoredGifts: SponsoredGift[];
  sponsoredGiftsNextCursor: string | null;
  proximitySession: ProximitySession | null;
  blockedUserIds: string[];
  safetyReports: SafetyReport[];
}

/** A bootstrap with every key present and empty, for a user with no state yet. */
export function emptyBootstrap(currentUser: User): BootstrapPayload {
  return {
    currentUser,
    presence: { isLive: false, isOnRadar: true, location: null },
    nearbyUsers: [],
    incomingRequests: [],
    sentRequests: [],
    requests: [],
    activeConnections: [],
    closedConnections: [],
    messages: [],
    conversations: {},
    unreadMessageCount: {},
    totalUnreadMessageCount: 0,
    gifts: [],
    sponsoredGifts: [],
    sponsoredGiftsNextCursor: null,
    proximitySession: null,
    blockedUserIds: [],
    safetyReports: [],
  };
}
