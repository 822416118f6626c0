import { type ErrorPayload } from '../errors/error-payload';
import { type BootstrapPayload } from '../models/bootstrap';
import {
  type ChatHistoryPageResultPayload,
  type ChatHistoryPayload,
  type ChatLocationRelayPayload,
  type ChatLocationStopRelayPayload,
  type ChatMessageCreatedPayload,
  type ChatMessageReadReceiptPayload,
  type ChatTypingRelayPayload,
  type VibeExpiredPayload,
} from './payloads/chat.payloads';
import {
  type ConnectionClosedPayload,
  type ConnectionHistoryPayload,
  type ConnectionRequestClosedPayload,
  type ConnectionRequestAcceptedPayload,
  type ConnectionRequestMissedPayload,
  type ConnectionRequestRejectedPayload,
  type ConnectionRequestSentPayload,
  type ConnectionRingRelayPayload,
} from './payloads/connection.payloads';
import {
  type GiftClaimedPayload,
  type GiftHistoryPayload,
  type GiftSponsoredGrantedPayload,
  type GiftSponsoredUpdatedPayload,
} from './payloads/gift.payloads';
import { type PresenceUpdatedPayload, type RadarNearbyUpdatedPayload } from './payloads/presence.payloads';
import {
  type ProximityHeartbeatAckPayload,
  type ProximityMilestoneReachedPayload,
  type ProximityPartnerConfirmedPayload,
  type ProximitySessionStartAckPayload,
  type ProximitySessionUpdatedPayload,
  type ProximityTokenRotatePayload,
} from './payloads/proximity.payloads';
import {
  type SafetyBlockedPayload,
  type SafetyReportCreatedPayload,
  type SafetyUnblockedPayload,
} from './payloads/safety.payloads';
import { type SessionConnectedPayload, type SessionReconnectPayload } from './payloads/session.payloads';
import { type UserProfileUpdatedPayload } from './payloads/user.payloads';

/**
 * Every server→client event type and its payload. Sending a payload that does not match its type
 * does not compile (see `serverEvent`).
 */
export interface ServerEventMap {
  'session.connected': SessionConnectedPayload;
  'session.bootstrap': BootstrapPayload;
  /** Extension. */
  'session.reconnect': SessionReconnectPayload;
  'presence.updated': PresenceUpdatedPayload;
  'radar.nearby.updated': RadarNearbyUpdatedPayload;
  'connection.request.send': ConnectionRequestSentPayload;
  'connection.request.accept': ConnectionRequestAcceptedPayload;
  'connection.request.reject': ConnectionRequestRejectedPayload;
  'connection.request.missed': ConnectionRequestMissedPayload;
  /** Extension. */
  'connection.request.closed': ConnectionRequestClosedPayload;
  'connection.close': ConnectionClosedPayload;
  'connection.history.fetch': ConnectionHistoryPayload;
  'connection.ring': ConnectionRingRelayPayload;
  'proximity.session.start': ProximitySessionStartAckPayload;
  'proximity.partner.confirmed': ProximityPartnerConfirmedPayload;
  'proximity.session.updated': ProximitySessionUpdatedPayload;
  'proximity.heartbeat': ProximityHeartbeatAckPayload;
  'proximity.milestone.reached': ProximityMilestoneReachedPayload;
  'proximity.token.rotate': ProximityTokenRotatePayload;
  'chat.message.created': ChatMessageCreatedPayload;
  'chat.history.fetch': ChatHistoryPayload;
  /** Extension. */
  'chat.history.page': ChatHistoryPageResultPayload;
  'chat.message.read': ChatMessageReadReceiptPayload;
  'chat.typing': ChatTypingRelayPayload;
  'chat.location.share.start': ChatLocationRelayPayload;
  'chat.location.updated': ChatLocationRelayPayload;
  'chat.location.share.stop': ChatLocationStopRelayPayload;
  'vibe.expired': VibeExpiredPayload;
  'gift.history.fetch': GiftHistoryPayload;
  'gift.sponsored.granted': GiftSponsoredGrantedPayload;
  /** Extension. */
  'gift.sponsored.updated': GiftSponsoredUpdatedPayload;
  /** Extension. */
  'gift.claim': GiftClaimedPayload;
  'safety.report': SafetyReportCreatedPayload;
  'safety.block': SafetyBlockedPayload;
  /** Extension. */
  'safety.unblock': SafetyUnblockedPayload;
  'user.profile.updated': UserProfileUpdatedPayload;
  error: ErrorPayload;
}

export type ServerEventType = keyof ServerEventMap;

export const ServerEvent = {
  SessionConnected: 'session.connected',
  SessionBootstrap: 'session.bootstrap',
  SessionReconnect: 'session.reconnect',
  PresenceUpdated: 'presence.updated',
  RadarNearbyUpdated: 'radar.nearby.updated',
  ConnectionRequestSend: 'connection.request.send',
  ConnectionRequestAccept: 'connection.request.accept',
  ConnectionRequestReject: 'connection.request.reject',
  ConnectionRequestMissed: 'connection.request.missed',
  ConnectionRequestClosed: 'connection.request.closed',
  ConnectionClose: 'connection.close',
  ConnectionHistoryFetch: 'connection.history.fetch',
  ConnectionRing: 'connection.ring',
  ProximitySessionStart: 'proximity.session.start',
  ProximityPartnerConfirmed: 'proximity.partner.confirmed',
  ProximitySessionUpdated: 'proximity.session.updated',
  ProximityHeartbeat: 'proximity.heartbeat',
  ProximityMilestoneReached: 'proximity.milestone.reached',
  ProximityTokenRotate: 'proximity.token.rotate',
  ChatMessageCreated: 'chat.message.created',
  ChatHistoryFetch: 'chat.history.fetch',
  ChatHistoryPage: 'chat.history.page',
  ChatMessageRead: 'chat.message.read',
  ChatTyping: 'chat.typing',
  ChatLocationShareStart: 'chat.location.share.start',
  ChatLocationUpdated: 'chat.location.updated',
  ChatLocationShareStop: 'chat.location.share.stop',
  VibeExpired: 'vibe.expired',
  GiftHistoryFetch: 'gift.history.fetch',
  GiftSponsoredGranted: 'gift.sponsored.granted',
  GiftSponsoredUpdated: 'gift.sponsored.updated',
  GiftClaim: 'gift.claim',
  SafetyReport: 'safety.report',
  SafetyBlock: 'safety.block',
  SafetyUnblock: 'safety.unblock',
  UserProfileUpdated: 'user.profile.updated',
  Error: 'error',
} as const satisfies Record<string, ServerEventType>;

export const SERVER_EVENT_TYPES: ReadonlySet<string> = new Set<string>(Object.values(ServerEvent));

export function isServerEventType(value: unknown): value is ServerEventType {
  return typeof value === 'string' && SERVER_EVENT_TYPES.has(value);
}

/** One outbound event, with its payload type tied to its event type. */
export type ServerEventOf<K extends ServerEventType> = { type: K; payload: ServerEventMap[K] };

/** Any outbound event, discriminated by `type`. */
export type AnyServerEvent = { [K in ServerEventType]: ServerEventOf<K> }[ServerEventType];

/** Builds an outbound event; the compiler checks the payload against the type. */
export function serverEvent<K extends ServerEventType>(
  type: K,
  payload: ServerEventMap[K],
): ServerEventOf<K> {
  return { type, payload };
}
