import { type ConnectedLocation } from '../models/location';
import { type User } from '../models/user';

/** Facts one service publishes (JetStream, through its outbox) for others to react to. */
export const DomainEvent = {
  UserUpdated: 'auth.user_updated',
  UserDeleted: 'auth.user_deleted',
  ConnectionAccepted: 'connections.connection_accepted',
  ConnectionClosed: 'connections.connection_closed',
  UserBlocked: 'connections.user_blocked',
  UserUnblocked: 'connections.user_unblocked',
  MilestoneReached: 'proximity.milestone_reached',
  ProximitySessionChanged: 'proximity.session_changed',
  LiveChanged: 'presence.live_changed',
} as const;

/** The user's profile after any change (REST edit, vibe expiry, ...). */
export interface UserUpdatedEvent {
  user: User;
}

export interface UserDeletedEvent {
  userId: string;
  deletedAt: string;
}

export interface ConnectionAcceptedEvent {
  connectionId: string;
  requestId: string;
  /** userAId/userBId are the pair in a stable order (lexicographic), for pair-keyed projections. */
  userAId: string;
  userBId: string;
  senderId: string;
  receiverId: string;
  connectedLocation: ConnectedLocation | null;
  acceptedAt: string;
}

export interface ConnectionClosedEvent {
  connectionId: string;
  userAId: string;
  userBId: string;
  /** Null when the system closed it (e.g. after a block or an account deletion). */
  closedByUserId: string | null;
  closureReason: string | null;
  closedAt: string;
}

export interface UserBlockedEvent {
  blockerId: string;
  blockedId: string;
  at: string;
}

export interface UserUnblockedEvent {
  blockerId: string;
  blockedId: string;
  at: string;
}

export interface MilestoneReachedEvent {
  connectionId: string;
  userAId: string;
  userBId: string;
  /** Minutes of verified together-time. */
  milestone: number;
  reachedAt: string;
  accumulatedSeconds: number;
}

export interface ProximitySessionChangedEvent {
  connectionId: string;
  userAId: string;
  userBId: string;
  active: boolean;
  at: string;
}

export interface LiveChangedEvent {
  userId: string;
  isLive: boolean;
  at: string;
}

export interface DomainEventMap {
  'auth.user_updated': UserUpdatedEvent;
  'auth.user_deleted': UserDeletedEvent;
  'connections.connection_accepted': ConnectionAcceptedEvent;
  'connections.connection_closed': ConnectionClosedEvent;
  'connections.user_blocked': UserBlockedEvent;
  'connections.user_unblocked': UserUnblockedEvent;
  'proximity.milestone_reached': MilestoneReachedEvent;
  'proximity.session_changed': ProximitySessionChangedEvent;
  'presence.live_changed': LiveChangedEvent;
}

export type DomainEventName = keyof DomainEventMap;

export const DOMAIN_EVENT_NAMES: readonly DomainEventName[] = Object.values(DomainEvent);

export function isDomainEventName(value: unknown): value is DomainEventName {
  return typeof value === 'string' && (DOMAIN_EVENT_NAMES as readonly string[]).includes(value);
}

/** What travels on `<prefix>.event.<name>`. `id` (`evt_...`) is the consumers' dedup key. */
export interface DomainEventEnvelope<N extends DomainEventName = DomainEventName> {
  id: string;
  name: N;
  occurredAt: string;
  payload: DomainEventMap[N];
}

/** Any domain event, discriminated by `name`. */
export type AnyDomainEventEnvelope = { [N in DomainEventName]: DomainEventEnvelope<N> }[DomainEventName];
