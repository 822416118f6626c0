import { type ClientEventType } from '../events/client-events';
import {
  ChatHistoryFetchPayload,
  ChatHistoryPagePayload,
  ChatLocationSharePayload,
  ChatLocationStopPayload,
  ChatMessageCreatePayload,
  ChatMessageReadPayload,
  ChatTypingPayload,
} from './chat.commands';
import {
  ConnectionClosePayload,
  ConnectionHistoryFetchPayload,
  ConnectionRequestAcceptPayload,
  ConnectionRequestRejectPayload,
  ConnectionRequestSendPayload,
  ConnectionRingPayload,
} from './connection.commands';
import { GiftClaimPayload, GiftHistoryFetchPayload, LegacyGiftPayload } from './gift.commands';
import { LocationUpdatePayload, RadarSetVisiblePayload } from './presence.commands';
import { ProximitySessionEndPayload, ProximityTokenPayload } from './proximity.commands';
import { SafetyBlockPayload, SafetyReportPayload, SafetyUnblockPayload } from './safety.commands';
import { SessionStartPayload } from './session.commands';

/** The payload class of every client event, for `validateInput(ClientEventSchemas[type], payload)`. */
export const ClientEventSchemas: Record<ClientEventType, new () => object> = {
  'session.start': SessionStartPayload,
  'presence.location_update': LocationUpdatePayload,
  'radar.set_visible': RadarSetVisiblePayload,
  'connection.request.send': ConnectionRequestSendPayload,
  'connection.request.accept': ConnectionRequestAcceptPayload,
  'connection.request.reject': ConnectionRequestRejectPayload,
  'connection.close': ConnectionClosePayload,
  'connection.history.fetch': ConnectionHistoryFetchPayload,
  'connection.ring': ConnectionRingPayload,
  'proximity.session.start': ProximityTokenPayload,
  'proximity.heartbeat': ProximityTokenPayload,
  'proximity.session.end': ProximitySessionEndPayload,
  'chat.message.created': ChatMessageCreatePayload,
  'chat.history.fetch': ChatHistoryFetchPayload,
  'chat.history.page': ChatHistoryPagePayload,
  'chat.message.read': ChatMessageReadPayload,
  'chat.typing': ChatTypingPayload,
  'chat.location.share.start': ChatLocationSharePayload,
  'chat.location.updated': ChatLocationSharePayload,
  'chat.location.share.stop': ChatLocationStopPayload,
  'gift.history.fetch': GiftHistoryFetchPayload,
  'gift.create': LegacyGiftPayload,
  'gift.unlock.confirm': LegacyGiftPayload,
  'gift.unlock.execute': LegacyGiftPayload,
  'gift.combine.confirm': LegacyGiftPayload,
  'gift.redeem': LegacyGiftPayload,
  'gift.claim': GiftClaimPayload,
  'safety.report': SafetyReportPayload,
  'safety.block': SafetyBlockPayload,
  'safety.unblock': SafetyUnblockPayload,
};
