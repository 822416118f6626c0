// Hand-maintained knowledge the types in libs/contracts cannot carry: what each client event answers
// with and who receives it, a description and contract example for every server event, and the meaning
// of every error code. Payload schemas and field-level error codes are NOT here: generate.ts derives
// them from the contracts. generate.ts fails, listing what to add, when a ClientEvent, ServerEvent or
// ErrorCode has no entry here (or an entry here names something the contracts no longer have).
import {
  ada,
  bola,
  bootstrap,
  chatMessage,
  connection,
  connectionRequest,
  nearbyUser,
  presence,
  proximityUpdate,
  safetyReport,
  sponsoredGift,
  T,
} from './examples';
import { type JsonObject } from './json-schema';

/** Who receives a server event. */
export const Audience = {
  /** Only the socket that sent the command. */
  sender: 'sender',
  /** Every socket of the sender: the sending one and the sender's other devices. */
  senderDevices: 'senderDevices',
  /** Every socket of the other user the command names (userId / recipientId). */
  recipient: 'recipient',
  /** Every socket of the other participant of the connection. */
  partner: 'partner',
  /** Every socket of both users, the sending one included (each socket receives it once). */
  bothUsers: 'bothUsers',
} as const;

export type Audience = (typeof Audience)[keyof typeof Audience];

export const AUDIENCE_DESCRIPTIONS: Readonly<Record<Audience, string>> = {
  sender: 'the sending socket only',
  senderDevices: "every socket of the sender (the sending one and the sender's other devices)",
  recipient: 'every socket of the other user named in the command',
  partner: 'every socket of the other participant of the connection',
  bothUsers: 'every socket of both users, the sending one included',
};

export interface Reply {
  event: string;
  to: Audience;
  /** When the event is sent, if not on every success. */
  when?: string;
}

export interface Example {
  name: string;
  payload: JsonObject;
  /** Shown in the envelope, as when the event answers a message that carried this requestId. */
  requestId?: string;
}

export interface ClientEventEntry {
  summary: string;
  description?: string;
  /** Not in the contract: a GISBI addition. */
  extension?: boolean;
  /** Request payload, from the contract where it has one. */
  example: JsonObject;
  replies: Reply[];
  /** Domain error codes the owning service answers with, beyond the payload's validation codes. */
  errors: string[];
}

export interface ServerEventEntry {
  summary: string;
  description?: string;
  extension?: boolean;
  examples: Example[];
  /** Occasions on which the server sends it without a command from the receiving socket. */
  pushes?: string[];
}

export interface ErrorCodeEntry {
  description: string;
  /** Not in the contract's list (nor named by its event descriptions). */
  extension?: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Client → server

const relayReplies = (event: string): Reply[] => [
  { event, to: Audience.recipient },
  { event, to: Audience.sender, when: 'with `status: "sent"`' },
];

const legacyGift: ClientEventEntry = {
  summary: 'Disabled legacy peer-to-peer gift action.',
  description:
    'GISBI uses sponsored pair rewards only. Any payload is accepted and the action is always refused with `peer_gifts_disabled`.',
  example: {},
  replies: [],
  errors: ['peer_gifts_disabled'],
};

export const CLIENT_EVENTS: Readonly<Record<string, ClientEventEntry>> = {
  'session.start': {
    summary: 'Initialize a socket session and fetch bootstrap data.',
    description:
      'Answered by the gateway itself: `session.connected`, then `session.bootstrap` composed from every service, then a replay of ' +
      'incoming messages created after `lastSeenAt` (when given) as `chat.message.created` events. If a service does not answer in ' +
      'time, its part of the bootstrap is empty and an `error` with `service_unavailable` naming that service follows the bootstrap: ' +
      'retry `session.start`. Send it again after every reconnect.',
    example: { lastSeenAt: '2026-04-19T08:00:00Z' },
    replies: [
      { event: 'session.connected', to: Audience.sender },
      { event: 'session.bootstrap', to: Audience.sender },
      {
        event: 'chat.message.created',
        to: Audience.sender,
        when: 'once per replayed message, when lastSeenAt is given',
      },
      {
        event: 'error',
        to: Audience.sender,
        when: 'with service_unavailable when part of the bootstrap is missing',
      },
    ],
    errors: ['service_unavailable'],
  },
  'presence.location_update': {
    summary: 'Send live location updates and receive nearby users.',
    description:
      'Nearby users are recomputed from live coordinates on every update; users who are not live are excluded from the radar.',
    example: { lat: 6.5244, lng: 3.3792, accuracyMeters: 6.2, heading: 120.0, speed: 1.7 },
    replies: [
      { event: 'presence.updated', to: Audience.senderDevices },
      { event: 'radar.nearby.updated', to: Audience.sender },
    ],
    errors: ['account_deleted', 'rate_limited'],
  },
  'radar.set_visible': {
    summary: 'Show or hide the authenticated user from radar without disconnecting the session.',
    description: "When `isOnRadar` is false the user disappears from other users' radar results immediately.",
    example: { isOnRadar: false },
    replies: [
      { event: 'presence.updated', to: Audience.senderDevices },
      { event: 'radar.nearby.updated', to: Audience.sender },
    ],
    errors: [],
  },
  'connection.request.send': {
    summary: 'Send a connection request to another user. Pending requests remain valid for 10 minutes.',
    description:
      'If an older pending request between the same users has already timed out, the server first emits `connection.request.missed` ' +
      'for the stale request and then the new `connection.request.send`.',
    example: { userId: 'user_456' },
    replies: [
      {
        event: 'connection.request.missed',
        to: Audience.bothUsers,
        when: 'first, when an older pending request had already timed out',
      },
      { event: 'connection.request.send', to: Audience.senderDevices },
      { event: 'connection.request.send', to: Audience.recipient },
    ],
    errors: [
      'cannot_target_self',
      'user_not_found',
      'account_deleted',
      'blocked',
      'active_connection_exists',
      'duplicate_request',
    ],
  },
  'connection.request.accept': {
    summary: 'Accept an incoming connection request.',
    description:
      'If the request has exceeded the 10 minute timeout, the server marks it missed, emits `connection.request.missed` to both users ' +
      'and answers with `request_expired`. When both users are live at accept time, the connection stores a location snapshot used ' +
      'later for sponsor campaign eligibility; a campaign may then grant a reward (`gift.sponsored.granted`).',
    example: { requestId: 'req_123' },
    replies: [
      { event: 'connection.request.accept', to: Audience.bothUsers },
      {
        event: 'connection.request.missed',
        to: Audience.bothUsers,
        when: 'the request had timed out (the command then fails with request_expired)',
      },
      {
        event: 'gift.sponsored.granted',
        to: Audience.bothUsers,
        when: 'shortly after, if a sponsor campaign grants a reward for the new connection',
      },
    ],
    errors: [
      'not_found',
      'not_allowed',
      'request_not_pending',
      'request_expired',
      'user_not_found',
      'active_connection_exists',
    ],
  },
  'connection.request.reject': {
    summary: 'Reject an incoming connection request.',
    example: { requestId: 'req_123' },
    replies: [
      { event: 'connection.request.reject', to: Audience.bothUsers },
      {
        event: 'connection.request.missed',
        to: Audience.bothUsers,
        when: 'the request had timed out (the command then fails with request_expired)',
      },
    ],
    errors: ['not_found', 'not_allowed', 'request_not_pending', 'request_expired'],
  },
  'connection.close': {
    summary: 'Close an active connection.',
    example: { connectionId: 'conn_123', closureReason: 'user_left' },
    replies: [{ event: 'connection.close', to: Audience.bothUsers }],
    errors: ['connection_not_found', 'not_allowed'],
  },
  'connection.history.fetch': {
    summary: 'Fetch the current connection history for the authenticated user.',
    example: {},
    replies: [{ event: 'connection.history.fetch', to: Audience.sender }],
    errors: [],
  },
  'connection.ring': {
    summary: 'Ring another user.',
    example: { userId: 'user_456' },
    replies: [
      { event: 'connection.ring', to: Audience.recipient },
      { event: 'connection.ring', to: Audience.sender, when: 'with `status: "sent"`' },
    ],
    errors: ['cannot_target_self', 'user_not_found', 'account_deleted', 'blocked', 'rate_limited'],
  },
  'proximity.session.start': {
    summary: 'Begin or resume a proximity run after scanning the partner BLE token.',
    description:
      'A valid start does not guarantee a gift: it starts or resumes a verified proximity run whose accumulated time can later unlock ' +
      'gift milestones. Repeating it with the same valid (connectionId, token) pair is idempotent: the same ACK, no reset.',
    example: { connectionId: 'conn_abc', token: 'a3f9c2e1', rssi: -68 },
    replies: [
      { event: 'proximity.session.start', to: Audience.sender },
      { event: 'proximity.partner.confirmed', to: Audience.partner },
      {
        event: 'proximity.session.updated',
        to: Audience.bothUsers,
        when: 'when the run starts or resumes (both tokens confirmed)',
      },
    ],
    errors: ['not_allowed', 'invalid_rssi', 'invalid_token'],
  },
  'proximity.heartbeat': {
    summary: 'Keep a proximity session alive while both devices continue seeing each other.',
    description:
      'Time advances only when both participants submit valid proximity events within the rolling heartbeat window. Heartbeats with ' +
      'RSSI above -40 dBm are rejected. Milestones unlock only after verified together-time passes the configured minimum; ' +
      '`proximity.milestone.reached` is the signal gift systems listen to.',
    example: { connectionId: 'conn_abc', token: 'a3f9c2e1', rssi: -68 },
    replies: [
      { event: 'proximity.heartbeat', to: Audience.sender },
      { event: 'proximity.session.updated', to: Audience.bothUsers, when: 'when verified time advances' },
      {
        event: 'proximity.milestone.reached',
        to: Audience.bothUsers,
        when: 'when a together-time milestone is crossed',
      },
      {
        event: 'proximity.token.rotate',
        to: Audience.senderDevices,
        when: "during the session, shortly before the sender's BLE token expires (sent by a timer, not by the heartbeat)",
      },
      {
        event: 'gift.sponsored.granted',
        to: Audience.bothUsers,
        when: 'shortly after a milestone, if a sponsor campaign grants a reward',
      },
    ],
    errors: ['not_allowed', 'invalid_rssi', 'invalid_token'],
  },
  'proximity.session.end': {
    summary: 'Explicitly end or pause a proximity run when BLE detection stops on the client.',
    description:
      'Without it the server pauses or ends the session when heartbeats are missed long enough; sending it syncs the UI faster.',
    example: { connectionId: 'conn_abc' },
    replies: [{ event: 'proximity.session.updated', to: Audience.bothUsers }],
    errors: ['not_allowed'],
  },
  'chat.message.created': {
    summary: 'Send a chat message to another user.',
    description:
      'If the recipient has no socket open, the server also attempts a push notification. A retry carrying the same ' +
      '`clientMessageId` returns the original message instead of a duplicate.',
    example: { recipientId: 'user_456', content: 'Hello there' },
    replies: [{ event: 'chat.message.created', to: Audience.bothUsers }],
    errors: [
      'missing_content',
      'invalid_content',
      'cannot_target_self',
      'user_not_found',
      'account_deleted',
      'blocked',
      'first_contact_limit',
      'conflict',
    ],
  },
  'chat.history.fetch': {
    summary: 'Fetch recent message history for the authenticated user.',
    description:
      'The same recent message set as in the bootstrap (the latest 50 messages), with per-conversation previews and unread counts.',
    example: {},
    replies: [{ event: 'chat.history.fetch', to: Audience.sender }],
    errors: [],
  },
  'chat.history.page': {
    summary: 'Fetch older messages of one conversation, newest first.',
    description:
      "Pass the previous page's `nextCursor` as `before` to continue; `nextCursor` is null on the last page.",
    extension: true,
    example: { otherUserId: 'user_456', before: 'opaque_cursor_from_previous_page', limit: 20 },
    replies: [{ event: 'chat.history.page', to: Audience.sender }],
    errors: ['invalid_cursor'],
  },
  'chat.message.read': {
    summary: 'Mark a message as read.',
    description:
      'Only the recipient may mark a message read; marking it again changes nothing and notifies nobody.',
    example: { messageId: 'msg_123' },
    replies: [{ event: 'chat.message.read', to: Audience.bothUsers }],
    errors: ['message_not_found', 'not_allowed'],
  },
  'chat.typing': {
    summary: 'Send typing indicator.',
    example: { recipientId: 'user_456', isTyping: true },
    replies: relayReplies('chat.typing'),
    errors: ['cannot_target_self', 'user_not_found', 'blocked'],
  },
  'chat.location.share.start': {
    summary:
      'Start relaying your live location to another user in chat. Requires an active connection with the recipient.',
    description:
      'The server derives fromUserId from the authenticated socket user and does not trust the client-provided value.',
    example: {
      recipientId: 'user_456',
      fromUserId: 'user_123',
      location: {
        lat: 6.5244,
        lng: 3.3792,
        accuracyMeters: 6.2,
        heading: 120.0,
        updatedAt: '2026-04-15T22:00:00Z',
      },
    },
    replies: relayReplies('chat.location.share.start'),
    errors: [
      'missing_recipientId',
      'user_not_found',
      'active_connection_required',
      'invalid_location',
      'cannot_target_self',
    ],
  },
  'chat.location.updated': {
    summary:
      'Relay an updated shared location during an active chat location share. Requires an active connection with the recipient.',
    example: {
      recipientId: 'user_456',
      fromUserId: 'user_123',
      location: {
        lat: 6.5244,
        lng: 3.3792,
        accuracyMeters: 4.8,
        heading: 118.0,
        updatedAt: '2026-04-15T22:00:05Z',
      },
    },
    replies: relayReplies('chat.location.updated'),
    errors: [
      'missing_recipientId',
      'user_not_found',
      'active_connection_required',
      'invalid_location',
      'cannot_target_self',
      'rate_limited',
    ],
  },
  'chat.location.share.stop': {
    summary:
      'Stop relaying your live location to another user in chat. Requires an active connection with the recipient.',
    example: { recipientId: 'user_456', fromUserId: 'user_123' },
    replies: relayReplies('chat.location.share.stop'),
    errors: ['missing_recipientId', 'user_not_found', 'active_connection_required', 'cannot_target_self'],
  },
  'gift.history.fetch': {
    summary: "Fetch the authenticated user's sponsored gift participation history, one page at a time.",
    description:
      'Rewards the user took part in on either side of the pair, current and past. Use `historyStatus` for labels; pass `nextCursor` ' +
      'as `cursor` for the next page.',
    example: { limit: 20, cursor: 'opaque_cursor_from_previous_response' },
    replies: [{ event: 'gift.history.fetch', to: Audience.sender }],
    errors: ['invalid_cursor'],
  },
  'gift.create': legacyGift,
  'gift.unlock.confirm': legacyGift,
  'gift.unlock.execute': legacyGift,
  'gift.combine.confirm': legacyGift,
  'gift.redeem': legacyGift,
  'gift.claim': {
    summary:
      'Claim a sponsored reward: verify the pair still qualifies and receive the code to show at the venue.',
    description:
      'The claimer receives the updated reward with its redemption code on every device; the partner receives the updated reward without ' +
      'the code. Claiming again while the code is still valid answers the same code to the requesting socket only. A campaign with a ' +
      "venue area requires the claimer's live position (presence.location_update) inside it.",
    extension: true,
    example: { giftId: 'sgg_123' },
    replies: [
      { event: 'gift.claim', to: Audience.senderDevices, when: 'with the redemption code' },
      { event: 'gift.claim', to: Audience.partner, when: 'with `redemptionCode: null`' },
    ],
    errors: [
      'gift_not_found',
      'already_redeemed',
      'gift_expired',
      'not_allowed',
      'not_ready',
      'distance_exceeded',
    ],
  },
  'safety.report': {
    summary: 'Report another user.',
    example: { reportedUserId: 'user_456', reason: 'Harassment' },
    replies: [{ event: 'safety.report', to: Audience.senderDevices }],
    errors: ['cannot_target_self', 'user_not_found'],
  },
  'safety.block': {
    summary: 'Block another user.',
    description:
      'Blocking ends what the pair shares: an active connection is closed (`connection.close` to both users), a pending request between ' +
      'them is declined (or reported missed if it had already timed out), and from then on neither can message, ring or request the other.',
    example: { blockedUserId: 'user_456' },
    replies: [
      { event: 'connection.close', to: Audience.bothUsers, when: 'if the pair had an active connection' },
      {
        event: 'connection.request.reject',
        to: Audience.bothUsers,
        when: 'if a request between them was pending',
      },
      {
        event: 'connection.request.missed',
        to: Audience.bothUsers,
        when: 'if a request between them had timed out unseen',
      },
      { event: 'safety.block', to: Audience.senderDevices },
    ],
    errors: ['cannot_target_self', 'user_not_found'],
  },
  'safety.unblock': {
    summary: 'Lift a block placed by the authenticated user.',
    description:
      'Restores nothing (closed connections stay closed); the pair may simply interact again. Unblocking someone not blocked is a no-op.',
    extension: true,
    example: { blockedUserId: 'user_456' },
    replies: [{ event: 'safety.unblock', to: Audience.senderDevices }],
    errors: ['cannot_target_self'],
  },
};

// ---------------------------------------------------------------------------------------------------
// Server → client

const sent = (payload: JsonObject): JsonObject => ({ status: 'sent', ...payload });

export const SERVER_EVENTS: Readonly<Record<string, ServerEventEntry>> = {
  'session.connected': {
    summary: 'The socket session is started; the bootstrap follows.',
    examples: [{ name: 'connected', payload: {}, requestId: 'req_123' }],
  },
  'session.bootstrap': {
    summary: 'The full client state after session.start.',
    description:
      '`incomingRequests`/`sentRequests` hold pending requests only; `requests` combines both directions, pending first by createdAt ' +
      "descending, then the rest by resolvedAt descending. `conversations` and `unreadMessageCount` are keyed by the other user's ID. " +
      '`presence.isOnRadar` restores radar visibility; `proximitySession` restores in-progress together-time; `gifts` is always empty ' +
      '(legacy), `sponsoredGifts` holds the pair rewards already granted.',
    examples: [{ name: 'bootstrap', payload: bootstrap(), requestId: 'req_123' }],
  },
  'session.reconnect': {
    summary:
      "The server is shutting down this socket's node: reconnect after retryAfterMs, then send session.start.",
    description:
      'The socket closes right after (close code 1012). The user is not reported offline in between.',
    extension: true,
    examples: [{ name: 'shutdown', payload: { reason: 'shutdown', retryAfterMs: 1000 } }],
    pushes: ['to every socket of a gateway replica that is shutting down'],
  },
  'presence.updated': {
    summary: "The user's presence after a location update or a radar visibility change.",
    description:
      "`isOnRadar` is tracked separately from the socket session: when false the user is hidden from other users' radar.",
    examples: [{ name: 'live', payload: { userId: 'user_123', presence: presence() } }],
  },
  'radar.nearby.updated': {
    summary: 'Live users near the receiver, recomputed from live coordinates.',
    description: 'Users who are not live are excluded.',
    examples: [{ name: 'one nearby user', payload: { nearbyUsers: [nearbyUser()] } }],
    pushes: [
      'to viewers whose radar changed because someone nearby moved, appeared, disappeared or hid (coalesced, at most about once a second)',
    ],
  },
  'connection.request.send': {
    summary: 'A connection request was sent (to the sender) or received (to the recipient).',
    description:
      'The nested request includes direction and resolvedAt so clients can keep a unified requests list in sync.',
    examples: [{ name: 'to the recipient', payload: { request: connectionRequest('pending') } }],
  },
  'connection.request.accept': {
    summary: 'A connection request was accepted; the connection is active.',
    description: "`direction` is from the receiving user's side.",
    examples: [
      {
        name: 'to the recipient',
        payload: {
          requestId: 'req_123',
          fromUserId: 'user_123',
          toUserId: 'user_456',
          direction: 'incoming',
          resolvedAt: T.resolved,
          request: connectionRequest('accepted'),
          connection: connection('active'),
        },
      },
    ],
  },
  'connection.request.reject': {
    summary: 'A connection request was rejected.',
    description:
      'The event says `rejected`; the nested request, like the ConnectionRequest model, says `declined`.',
    examples: [
      {
        name: 'to the recipient',
        payload: {
          requestId: 'req_123',
          fromUserId: 'user_123',
          toUserId: 'user_456',
          direction: 'incoming',
          status: 'rejected',
          resolvedAt: T.resolved,
          request: connectionRequest('declined'),
        },
      },
    ],
  },
  'connection.request.missed': {
    summary: 'A pending connection request timed out after 10 minutes.',
    description:
      'Emitted by scheduled expiry processing, or immediately when the server discovers an already expired request during a client action.',
    examples: [
      {
        name: 'to the recipient',
        payload: {
          requestId: 'req_123',
          fromUserId: 'user_123',
          toUserId: 'user_456',
          direction: 'incoming',
          status: 'missed',
          resolvedAt: T.requestExpires,
          request: { ...connectionRequest('missed'), resolvedAt: T.requestExpires },
        },
      },
    ],
    pushes: ['to both users when the expiry job finds the request timed out'],
  },
  'connection.request.closed': {
    summary: 'A pending connection request ended without an answer for a reason other than expiry.',
    description: 'For example the sender deleted their account; `closureReason` says why.',
    extension: true,
    examples: [
      {
        name: 'sender deleted their account',
        payload: {
          requestId: 'req_123',
          fromUserId: 'user_123',
          toUserId: 'user_456',
          direction: 'incoming',
          status: 'closed',
          closureReason: 'account_deleted',
          resolvedAt: T.resolved,
          request: connectionRequest('closed', 'account_deleted'),
        },
      },
    ],
    pushes: ['to the remaining user when the other account is deleted while a request is pending'],
  },
  'connection.close': {
    summary: 'A connection was closed.',
    description: '`closedByUserId` is null when the system closed it (a block, a deleted account).',
    examples: [
      {
        name: 'closed by a user',
        payload: {
          connectionId: 'conn_123',
          type: 'connection',
          status: 'closed',
          closedByUserId: 'user_123',
          closureReason: 'user_left',
          closedAt: T.closed,
          recipientId: 'user_456',
        },
      },
    ],
    pushes: ['to the remaining user when the other account is deleted'],
  },
  'connection.history.fetch': {
    summary: "The authenticated user's active and closed connections.",
    examples: [
      {
        name: 'history',
        payload: { activeConnections: [connection('active')], closedConnections: [connection('closed')] },
      },
    ],
  },
  'connection.ring': {
    summary:
      'A ring from another user (to the recipient) or its confirmation (to the sender, with status "sent").',
    examples: [
      {
        name: 'to the recipient',
        payload: { fromUserId: 'user_123', recipientId: 'user_456', fromUser: ada() },
      },
      {
        name: 'to the sender',
        payload: sent({ fromUserId: 'user_123', recipientId: 'user_456', fromUser: ada() }),
      },
    ],
  },
  'proximity.session.start': {
    summary: "Direct ACK of proximity.session.start: the partner's token was received.",
    examples: [
      {
        name: 'waiting for partner',
        payload: { sessionActive: false, yourTokenReceived: true, waitingForPartner: true },
      },
    ],
  },
  'proximity.partner.confirmed': {
    summary: 'Targeted push to the partner whose token was just scanned.',
    examples: [{ name: 'confirmed', payload: { connectionId: 'conn_abc' } }],
  },
  'proximity.session.updated': {
    summary: 'Verified together-time progress of a connection.',
    description:
      'When a run pauses, `gracePeriodSeconds` says how long the pair has to resume before it ends.',
    examples: [
      { name: 'running', payload: proximityUpdate() },
      {
        name: 'paused',
        payload: {
          connectionId: 'conn_abc',
          sessionActive: false,
          accumulatedSeconds: 142,
          currentSessionSeconds: 0,
          unlockedMilestones: [],
          nextMilestoneMinutes: 5,
          gracePeriodSeconds: 30,
        },
      },
    ],
    pushes: ['to both participants when missed heartbeats pause or end the run'],
  },
  'proximity.heartbeat': {
    summary: 'Direct ACK of proximity.heartbeat.',
    examples: [{ name: 'active', payload: { sessionActive: true, accumulatedSeconds: 420 } }],
  },
  'proximity.milestone.reached': {
    summary: 'The pair crossed a together-time milestone.',
    description: 'The signal gift systems listen to for milestone-based rewards.',
    examples: [
      {
        name: '15 minutes',
        payload: {
          connectionId: 'conn_abc',
          milestone: 15,
          giftTier: 2,
          message: "You've been together 15 minutes - a new gift is ready.",
        },
      },
    ],
  },
  'proximity.token.rotate': {
    summary: "The receiver's new BLE advertising token; start advertising it now.",
    examples: [
      {
        name: 'rotated',
        payload: { connectionId: 'conn_abc', token: 'b7d1a4f2', expiresAt: '2026-04-17T14:33:30Z' },
      },
    ],
    pushes: ["to the participant's sockets when their token is about to expire"],
  },
  'chat.message.created': {
    summary: 'A chat message (sent, received, or replayed after session.start).',
    examples: [{ name: 'message', payload: chatMessage() }],
  },
  'chat.history.fetch': {
    summary: 'Recent message history: the latest 50 messages, conversation previews and unread counts.',
    description:
      '`conversations` is keyed by the other user ID and holds the latest message and the unread count of that conversation.',
    examples: [
      {
        name: 'history',
        payload: {
          messages: [chatMessage()],
          conversations: { user_456: { lastMessage: chatMessage(), unreadCount: 3 } },
          unreadMessageCount: { user_456: 3 },
          totalUnreadMessageCount: 3,
        },
      },
    ],
  },
  'chat.history.page': {
    summary: 'One page of a conversation, newest first.',
    extension: true,
    examples: [
      {
        name: 'page',
        payload: {
          otherUserId: 'user_456',
          messages: [chatMessage(T.read)],
          nextCursor: 'opaque_cursor_for_next_page',
        },
      },
    ],
  },
  'chat.message.read': {
    summary: 'A message was read by its recipient.',
    examples: [
      {
        name: 'read',
        payload: { messageId: 'msg_123', senderId: 'user_123', recipientId: 'user_456', readAt: T.read },
      },
    ],
  },
  'chat.typing': {
    summary: 'Typing indicator (to the recipient) or its confirmation (to the sender, with status "sent").',
    examples: [
      {
        name: 'to the recipient',
        payload: { fromUserId: 'user_123', recipientId: 'user_456', isTyping: true },
      },
      {
        name: 'to the sender',
        payload: sent({ fromUserId: 'user_123', recipientId: 'user_456', isTyping: true }),
      },
    ],
  },
  'chat.location.share.start': {
    summary:
      'A user started sharing their live location in chat (to the recipient), or its confirmation (to the sender).',
    description: '`fromUserId` is always the authenticated sender.',
    examples: [
      {
        name: 'to the recipient',
        payload: {
          fromUserId: 'user_123',
          recipientId: 'user_456',
          location: {
            lat: 6.5244,
            lng: 3.3792,
            accuracyMeters: 6.2,
            heading: 120.0,
            updatedAt: '2026-04-15T22:00:00Z',
          },
        },
      },
      {
        name: 'to the sender',
        payload: sent({
          fromUserId: 'user_123',
          recipientId: 'user_456',
          location: {
            lat: 6.5244,
            lng: 3.3792,
            accuracyMeters: 6.2,
            heading: 120.0,
            updatedAt: '2026-04-15T22:00:00Z',
          },
        }),
      },
    ],
  },
  'chat.location.updated': {
    summary: 'An updated shared location (to the recipient), or its confirmation (to the sender).',
    examples: [
      {
        name: 'to the recipient',
        payload: {
          fromUserId: 'user_123',
          recipientId: 'user_456',
          location: {
            lat: 6.5244,
            lng: 3.3792,
            accuracyMeters: 4.8,
            heading: 118.0,
            updatedAt: '2026-04-15T22:00:05Z',
          },
        },
      },
      {
        name: 'to the sender',
        payload: sent({
          fromUserId: 'user_123',
          recipientId: 'user_456',
          location: {
            lat: 6.5244,
            lng: 3.3792,
            accuracyMeters: 4.8,
            heading: 118.0,
            updatedAt: '2026-04-15T22:00:05Z',
          },
        }),
      },
    ],
  },
  'chat.location.share.stop': {
    summary: 'A live location share ended.',
    examples: [
      { name: 'to the recipient', payload: { fromUserId: 'user_123', recipientId: 'user_456' } },
      { name: 'to the sender', payload: sent({ fromUserId: 'user_123', recipientId: 'user_456' }) },
    ],
    pushes: [
      'to both users, without status, when a share ends on its own (it lapsed, the connection closed, an account was deleted)',
    ],
  },
  'vibe.expired': {
    summary: "The user's vibe expired during background processing.",
    description: 'Server-only. A `user.profile.updated` with the cleared vibe follows.',
    examples: [{ name: 'expired', payload: { expiredAt: '2026-04-19T08:00:00Z' } }],
    pushes: ['to the user when the vibe expiry job clears their vibe'],
  },
  'gift.history.fetch': {
    summary: "One page of the user's sponsored gift participation history.",
    description: 'Use historyStatus for user-facing labels; status and legacyStatus carry the raw lifecycle.',
    examples: [
      {
        name: 'first page',
        payload: {
          limit: 20,
          nextCursor: 'opaque_cursor_for_next_page',
          sponsoredGifts: [sponsoredGift('redeemed')],
        },
      },
    ],
  },
  'gift.sponsored.granted': {
    summary: 'The platform granted the pair a sponsored reward.',
    description:
      'Server-driven only. Rewards are pair-based, not guaranteed, and allocated only when an active sponsor campaign passes availability, ' +
      'pair-limit and location checks. Campaigns may require cumulative verified together-time, a daily minimum, distinct qualifying days ' +
      'and active proximity at claim.',
    examples: [{ name: 'proximity milestone', payload: sponsoredGift('granted') }],
    pushes: [
      'to both users after a connection is accepted or a proximity milestone is reached, when a campaign grants a reward',
    ],
  },
  'gift.sponsored.updated': {
    summary: 'A sponsored reward changed without a command from the receiving user.',
    description:
      'A venue redeemed its code, the code or the reward expired, or it was cancelled (connection closed, a participant blocked the ' +
      'other or deleted the account).',
    extension: true,
    examples: [{ name: 'redeemed at the venue', payload: sponsoredGift('redeemed') }],
    pushes: [
      'to both users when a venue redeems the code, a code or reward expires, or the reward is cancelled',
    ],
  },
  'gift.claim': {
    summary: 'A sponsored reward was claimed.',
    description:
      'The claimer receives the redemption code to show at the venue; the partner receives `redemptionCode: null`.',
    extension: true,
    examples: [
      {
        name: 'to the claimer',
        payload: { gift: sponsoredGift('claimed'), redemptionCode: 'GSB-7K3Q-9XZ2' },
      },
      { name: 'to the partner', payload: { gift: sponsoredGift('claimed'), redemptionCode: null } },
    ],
  },
  'safety.report': {
    summary: 'The report was filed.',
    examples: [{ name: 'open', payload: safetyReport() }],
  },
  'safety.block': {
    summary: 'The user is blocked.',
    examples: [{ name: 'blocked', payload: { blockedUserId: 'user_456' } }],
  },
  'safety.unblock': {
    summary: 'The block is lifted.',
    extension: true,
    examples: [{ name: 'unblocked', payload: { blockedUserId: 'user_456' } }],
  },
  'user.profile.updated': {
    summary: "The user's profile changed.",
    description:
      'Server-only: emitted right after a successful PATCH /users/profile or a system change such as vibe expiry.',
    examples: [{ name: 'profile', payload: { user: { ...bola(), vibe: null, vibeExpiresAt: null } } }],
    pushes: ["to the user's sockets after PATCH /users/profile or a system change (vibe expiry)"],
  },
  error: {
    summary: 'A message could not be handled.',
    description:
      'The socket stays open. `domain` is the area that refused: `gateway` for frame, envelope and payload-structure problems, otherwise the first segment ' +
      "of the message type (`connection.*` → `connections`, `gift.*` → `gifts`). `requestId` echoes the failing message's.",
    examples: [
      {
        name: 'contract example',
        payload: {
          code: 'missing_userId',
          message: 'userId is required',
          domain: 'connections',
          requestId: 'req_123',
        },
        requestId: 'req_123',
      },
    ],
  },
};

// ---------------------------------------------------------------------------------------------------
// Error codes

export const ERROR_CODES: Readonly<Record<string, ErrorCodeEntry>> = {
  missing_userId: { description: 'A user ID field (`userId`, `otherUserId`) is absent or empty.' },
  missing_recipientId: { description: '`recipientId` is absent or empty.' },
  user_not_found: { description: 'The user named does not exist (or no longer exists).' },
  invalid_location: {
    description: 'A coordinate or location field is missing, not a finite number, or out of range.',
  },
  missing_connectionId: { description: '`connectionId` is absent or empty.' },
  missing_token: { description: 'The BLE `token` is absent or empty.' },
  missing_rssi: { description: '`rssi` is absent.' },
  invalid_token: {
    description:
      "The BLE token is malformed, expired, or not the partner's current token for this connection.",
  },
  invalid_rssi: { description: '`rssi` is not a number in range, or implausibly strong (above -40 dBm).' },
  not_allowed: {
    description:
      'The user may not do this to this resource (e.g. answer a request sent to someone else, act on a connection they are not part of).',
  },
  active_connection_exists: { description: 'The two users are already connected.' },
  active_connection_required: { description: 'The action needs an active connection between the two users.' },
  missing_requestId: { description: '`requestId` (of a connection request) is absent or empty.' },
  missing_giftId: { description: '`giftId` is absent or empty.' },
  distance_exceeded: {
    description: 'The users (or the user and the venue) are too far apart for this action.',
  },
  not_ready: {
    description: 'The action is not possible yet (e.g. a reward whose together-time rules are not met).',
  },
  request_expired: { description: 'The connection request passed its 10 minute timeout; it is now missed.' },
  peer_gifts_disabled: {
    description: 'Legacy peer-to-peer gift actions are disabled; GISBI uses sponsored pair rewards only.',
  },

  invalid_json: {
    description: 'The frame is not JSON text (binary frames are refused too).',
    extension: true,
  },
  invalid_envelope: {
    description:
      'The frame is not a valid envelope: not a JSON object, `type` missing or too long, `payload` missing or null (send `{}` ' +
      'for an event without fields), `requestId`/`correlationId` not short strings, or a member named `__proto__`, `constructor` ' +
      'or `prototype`.',
    extension: true,
  },
  unknown_type: { description: 'The envelope `type` is not a client event.', extension: true },
  invalid_payload: {
    description:
      'The payload is not a JSON object, nests objects or arrays more than 16 levels deep, has a field named `__proto__`, ' +
      '`constructor` or `prototype` at any depth, or is malformed in a way no more specific code covers.',
    extension: true,
  },
  payload_too_large: {
    description:
      'REST: the request body is too large. (A socket frame over the limit closes the socket with 1009 instead.)',
    extension: true,
  },
  validation_failed: {
    description:
      'REST: the request body or parameters break a rule no more specific code covers, including a field the body does ' +
      'not define (`__proto__`, `constructor` and `prototype` at any depth).',
    extension: true,
  },
  rate_limited: {
    description:
      "Too many messages (per socket; the error echoes the refused frame's `requestId`), or too frequent for this action (e.g. " +
      'ringing, or a location update implying an impossible speed); slow down and retry later.',
    extension: true,
  },
  timeout: {
    description:
      'The owning service did not answer in time; the outcome is unknown, retry idempotent actions.',
    extension: true,
  },
  service_unavailable: {
    description:
      'The owning service is unreachable; retry later. After session.start, names the service whose bootstrap part is missing.',
    extension: true,
  },
  internal_error: {
    description: 'Something failed on the server side; details are logged, not sent.',
    extension: true,
  },
  unauthorized: {
    description:
      'REST: missing, invalid or expired access token, or a revoked session. (The socket handshake answers HTTP 401 instead.)',
    extension: true,
  },
  forbidden: { description: 'REST: authenticated but not permitted (e.g. an admin route).', extension: true },
  account_deleted: {
    description: "The account (own, or the other user's) has been deleted.",
    extension: true,
  },
  invalid_provider: { description: 'REST social login: provider is not google or apple.', extension: true },
  invalid_id_token: {
    description: 'REST social login: the provider ID token failed verification.',
    extension: true,
  },
  invalid_refresh_token: {
    description: 'REST: the refresh token is invalid, expired, revoked or was already used.',
    extension: true,
  },
  not_found: {
    description:
      'The resource named does not exist or is not visible to the user (e.g. a connection request).',
    extension: true,
  },
  conflict: {
    description:
      'The request conflicts with the current state (e.g. a clientMessageId reused for a different message).',
    extension: true,
  },
  blocked: {
    description: 'A block exists between the two users (which of them placed it is not revealed).',
    extension: true,
  },
  cannot_target_self: { description: 'The action names the user themselves.', extension: true },
  request_not_pending: { description: 'The connection request was already answered.', extension: true },
  duplicate_request: {
    description: 'The other user already sent a pending request to this user: accept or reject it instead.',
    extension: true,
  },
  connection_not_found: { description: 'No such connection.', extension: true },
  gift_not_found: { description: "No such sponsored reward, or not one of the user's.", extension: true },
  gift_expired: { description: 'The sponsored reward has expired or was cancelled.', extension: true },
  invalid_redemption_code: {
    description: 'Venue redemption: the code is not valid for this venue.',
    extension: true,
  },
  code_expired: {
    description:
      'Venue redemption: the redemption code has expired; the pair can claim again for a new code.',
    extension: true,
  },
  already_redeemed: { description: 'Venue redemption: the code was already redeemed.', extension: true },
  message_not_found: { description: 'No such chat message.', extension: true },
  first_contact_limit: {
    description:
      'Chat: the sender reached the number of messages allowed to someone who has neither replied nor connected yet.',
    extension: true,
  },
  missing_messageId: { description: '`messageId` is absent or empty.', extension: true },
  missing_content: { description: 'Message `content` is absent or empty.', extension: true },
  invalid_content: {
    description:
      'Message `content` is not a string, too long, only white space, or contains control characters.',
    extension: true,
  },
  missing_reportedUserId: { description: '`reportedUserId` is absent or empty.', extension: true },
  missing_reason: { description: 'A required `reason` is absent or empty.', extension: true },
  missing_blockedUserId: { description: '`blockedUserId` is absent or empty.', extension: true },
  missing_isOnRadar: { description: '`isOnRadar` is absent or not a boolean.', extension: true },
  invalid_cursor: { description: 'A paging cursor is not one the server returned.', extension: true },
  invalid_limit: { description: 'A page `limit` is not an integer in the allowed range.', extension: true },
};

// ---------------------------------------------------------------------------------------------------
// WebSocket close codes (SocketCloseCode in libs/contracts/src/nats/control.ts), by key

export const CLOSE_CODES: Readonly<Record<string, string>> = {
  Unauthenticated:
    'Policy violation: the access token is missing or invalid. (The handshake normally refuses such a connection with HTTP 401 before any socket exists.)',
  ServiceRestart:
    'The gateway replica is shutting down: reconnect (another replica answers) and send session.start.',
  SessionRevoked:
    'The login session this socket was opened with ended (logout, or reuse of a rotated refresh token): sign in again.',
  AccountDeleted: 'The account was deleted.',
};

// ---------------------------------------------------------------------------------------------------
// Protocol notes (channel and server descriptions)

export const PROTOCOL = {
  handshake:
    'Open `/ws` with `Authorization: Bearer <accessToken>` (an access token from POST /auth/social-login or /auth/refresh). The token ' +
    'and the login session are checked before the upgrade: a missing, invalid or expired token, a revoked session or a deleted account ' +
    'is answered with HTTP 401 and no socket is opened; an Origin outside the allow-list gets 403, a gateway that is shutting down 503, ' +
    'any path other than /ws 404. Each refusal has a JSON body `{detail, code}`, as REST errors do.',
  frames:
    'Every frame is one JSON text message. Client frames are `{type, payload, requestId?, correlationId?}`; server frames are ' +
    '`{type, payload, timestamp, requestId?, correlationId?}`. When a client message carries requestId or correlationId, the replies ' +
    'to it on the sending socket (including its `error`) echo them; events pushed to other sockets carry none. Unknown payload ' +
    'fields are ignored. Timestamps are ISO-8601 UTC strings. No string may contain a NUL character or an unpaired UTF-16 ' +
    "surrogate (refused with the field's code). " +
    'A frame that cannot be handled is answered with an `error` event and the socket stays open.',
  limits:
    'Frames above the size limit (64 KiB by default) close the socket with code 1009. Each socket may send a sustained number of ' +
    'messages per second (50 by default, bursts of twice that); beyond it messages are answered with `rate_limited`. The server pings ' +
    'every 30 s and terminates sockets that do not answer. On shutdown sockets are closed with 1012: reconnect and send session.start.',
} as const;

/** Protocol-level error codes any client message can receive, whatever its type. */
export const PROTOCOL_ERROR_CODES: readonly string[] = [
  'invalid_json',
  'invalid_envelope',
  'unknown_type',
  'invalid_payload',
  'rate_limited',
  'timeout',
  'service_unavailable',
  'internal_error',
];
