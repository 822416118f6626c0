// Every message type a client may send on /ws. Extensions to the contract are marked.
export const ClientEvent = {
  SessionStart: 'session.start',
  PresenceLocationUpdate: 'presence.location_update',
  RadarSetVisible: 'radar.set_visible',
  ConnectionRequestSend: 'connection.request.send',
  ConnectionRequestAccept: 'connection.request.accept',
  ConnectionRequestReject: 'connection.request.reject',
  ConnectionClose: 'connection.close',
  ConnectionHistoryFetch: 'connection.history.fetch',
  ConnectionRing: 'connection.ring',
  ProximitySessionStart: 'proximity.session.start',
  ProximityHeartbeat: 'proximity.heartbeat',
  ProximitySessionEnd: 'proximity.session.end',
  ChatMessageCreated: 'chat.message.created',
  ChatHistoryFetch: 'chat.history.fetch',
  /** Extension: older messages of one conversation, `{ otherUserId, before?, limit? }`. */
  ChatHistoryPage: 'chat.history.page',
  ChatMessageRead: 'chat.message.read',
  ChatTyping: 'chat.typing',
  ChatLocationShareStart: 'chat.location.share.start',
  ChatLocationUpdated: 'chat.location.updated',
  ChatLocationShareStop: 'chat.location.share.stop',
  GiftHistoryFetch: 'gift.history.fetch',
  /** Legacy peer gift actions: always refused with peer_gifts_disabled. */
  GiftCreate: 'gift.create',
  GiftUnlockConfirm: 'gift.unlock.confirm',
  GiftUnlockExecute: 'gift.unlock.execute',
  GiftCombineConfirm: 'gift.combine.confirm',
  GiftRedeem: 'gift.redeem',
  /** Extension: claim a sponsored reward, `{ giftId }`. */
  GiftClaim: 'gift.claim',
  SafetyReport: 'safety.report',
  SafetyBlock: 'safety.block',
  /** Extension: lift a block, `{ blockedUserId }`. */
  SafetyUnblock: 'safety.unblock',
} as const;

export type ClientEventType = (typeof ClientEvent)[keyof typeof ClientEvent];

export const CLIENT_EVENT_TYPES: ReadonlySet<string> = new Set<string>(Object.values(ClientEvent));

export function isClientEventType(value: unknown): value is ClientEventType {
  return typeof value === 'string' && CLIENT_EVENT_TYPES.has(value);
}

/** The legacy peer gift actions the contract disables. */
export const LEGACY_GIFT_EVENT_TYPES: ReadonlySet<ClientEventType> = new Set<ClientEventType>([
  ClientEvent.GiftCreate,
  ClientEvent.GiftUnlockConfirm,
  ClientEvent.GiftUnlockExecute,
  ClientEvent.GiftCombineConfirm,
  ClientEvent.GiftRedeem,
]);
