// Example data for the document, built from the contract's own examples (IDs, names, coordinates,
// timestamps). Where the contract writes `{ ...User }` or `"..."`, a complete value is filled in, so
// every example is checked against the schema generated from libs/contracts (see generate.ts).
import { type JsonObject } from './json-schema';

export const T = {
  requestCreated: '2026-04-17T14:02:00Z',
  requestExpires: '2026-04-17T14:12:00Z',
  resolved: '2026-04-17T14:05:10Z',
  closed: '2026-04-18T09:30:00Z',
  message: '2026-04-17T14:06:00Z',
  read: '2026-04-17T14:07:30Z',
  location: '2026-04-17T14:12:15Z',
  granted: '2026-04-17T14:20:00Z',
  rewardExpires: '2026-05-17T14:20:00Z',
  codeExpires: '2026-04-20T18:00:00Z',
  report: '2026-04-18T10:00:00Z',
} as const;

export function ada(): JsonObject {
  return {
    id: 'user_123',
    name: 'Ada Lovelace',
    age: 28,
    avatar: 'https://cdn.example.com/ada.png',
    gender: 'female',
    vibe: 'Coffee and code',
    vibeExpiresAt: '2026-04-17T18:00:00Z',
  };
}

export function bola(): JsonObject {
  return {
    id: 'user_456',
    name: 'Bola',
    age: 27,
    avatar: 'https://cdn.example.com/bola.png',
    gender: null,
    vibe: null,
    vibeExpiresAt: null,
  };
}

export function liveLocation(): JsonObject {
  return { lat: 6.5244, lng: 3.3792, accuracyMeters: 6.2, heading: 120.0, speed: 1.7, updatedAt: T.location };
}

export function presence(isOnRadar = true): JsonObject {
  return { isLive: true, isOnRadar, location: liveLocation() };
}

export function nearbyUser(): JsonObject {
  return {
    user: bola(),
    distance: 12.4,
    angle: 210.3,
    isLive: true,
    sharedInterests: ['coffee'],
    location: {
      lat: 6.5245,
      lng: 3.3794,
      updatedAt: T.location,
      accuracyMeters: 4.8,
      ageSeconds: 5,
      precisionMeters: 0,
    },
  };
}

type RequestStatus = 'pending' | 'accepted' | 'declined' | 'missed' | 'closed';

/** The request user_123 sent to user_456, as user_456 (incoming) sees it. */
export function connectionRequest(
  status: RequestStatus = 'pending',
  closureReason: string | null = null,
): JsonObject {
  const other = ada();
  return {
    id: 'req_123',
    requestId: 'req_123',
    fromUserId: 'user_123',
    toUserId: 'user_456',
    senderId: 'user_123',
    receiverId: 'user_456',
    user: other,
    userId: 'user_123',
    name: 'Ada Lovelace',
    age: 28,
    avatar: 'https://cdn.example.com/ada.png',
    snippet: 'Coffee and code',
    direction: 'incoming',
    status,
    legacyStatus: status === 'declined' ? 'rejected' : status,
    closureReason,
    createdAt: T.requestCreated,
    resolvedAt: status === 'pending' ? null : T.resolved,
    expiresAt: status === 'pending' ? T.requestExpires : null,
  };
}

/** The connection between user_123 and user_456, as user_456 sees it. */
export function connection(state: 'active' | 'closed' = 'active'): JsonObject {
  const closed = state === 'closed';
  return {
    connectionId: 'conn_abc',
    user: ada(),
    isOnline: true,
    accumulatedMinutes: 7,
    nextMilestoneMinutes: closed ? null : 15,
    direction: 'incoming',
    type: 'connection',
    status: closed ? 'closed' : 'active',
    legacyStatus: closed ? 'closed' : 'active',
    senderId: 'user_123',
    receiverId: 'user_456',
    name: 'Ada Lovelace',
    age: 28,
    avatar: 'https://cdn.example.com/ada.png',
    snippet: 'Coffee and code',
    closureReason: closed ? 'user_left' : null,
    closedByUserId: closed ? 'user_123' : null,
    connectedLocation: { lat: 6.5244, lng: 3.3792 },
    createdAt: T.resolved,
    resolvedAt: T.resolved,
    closedAt: closed ? T.closed : null,
  };
}

export function chatMessage(readAt: string | null = null): JsonObject {
  return {
    messageId: 'msg_123',
    senderId: 'user_123',
    recipientId: 'user_456',
    sender: ada(),
    recipient: bola(),
    content: 'Hello there',
    createdAt: T.message,
    readAt,
  };
}

function snapshot(minutes: number, days: number, evaluatedAt: string): JsonObject {
  return {
    qualifyingTogetherMinutes: minutes,
    qualifyingDaysCount: days,
    totalVerifiedMinutes: minutes + 45,
    activeProximityNow: true,
    evaluatedAt,
  };
}

type GiftState = 'granted' | 'claimed' | 'redeemed';

/** The contract's gift.sponsored.granted example, completed with every SponsoredGift field. */
export function sponsoredGift(state: GiftState = 'granted'): JsonObject {
  const claimed = state !== 'granted';
  const redeemed = state === 'redeemed';
  return {
    giftId: 'sgg_123',
    giftType: 'sponsoredPairReward',
    connectionId: 'conn_abc',
    campaignId: 'camp_123',
    brand: {
      brandId: 'brand_123',
      name: 'Skyline Lounge',
      slug: 'skyline-lounge',
      logo: '/media/brands/skyline.png',
      category: 'lounge',
    },
    userAId: 'user_123',
    userBId: 'user_456',
    partnerUserId: 'user_456',
    partnerName: 'Bola',
    partnerAvatarUrl: '/media/avatars/bola.png',
    partnerClaimableNow: claimed,
    triggerType: 'proximityMilestone',
    milestoneMinutes: 15,
    minTotalTogetherMinutes: 6000,
    minDailyTogetherMinutes: 30,
    minDistinctQualifyingDays: 20,
    requireActiveProximityForClaim: true,
    qualifyingTogetherMinutes: claimed ? 6010 : 4380,
    requiredTogetherMinutes: 6000,
    qualifyingDaysCount: claimed ? 20 : 16,
    requiredQualifyingDays: 20,
    claimableNow: claimed && !redeemed,
    claimStage: redeemed ? 'redeemed' : claimed ? 'verified' : 'granted',
    historyStatus: redeemed ? 'claimed' : claimed ? 'verified' : 'pending',
    sponsorConfidenceScore: claimed ? 92 : 71,
    verificationContext: {
      qualifyingTogetherMinutes: claimed ? 6010 : 4380,
      requiredTogetherMinutes: 6000,
      qualifyingDaysCount: claimed ? 20 : 16,
      requiredQualifyingDays: 20,
      totalVerifiedMinutes: claimed ? 6055 : 4425,
      activeProximityNow: true,
      timeZone: 'Africa/Lagos',
      evaluatedAt: claimed ? '2026-04-19T19:00:00Z' : T.granted,
      proximityDataAvailable: true,
      atGrant: snapshot(4380, 16, T.granted),
      atClaim: claimed ? snapshot(6010, 20, '2026-04-19T19:00:00Z') : null,
    },
    riskSignals: {
      insufficientTogetherTime: !claimed,
      insufficientQualifyingDays: !claimed,
      proximityNotActive: false,
      connectionClosed: false,
      participantBlocked: false,
      participantDeleted: false,
      rewardExpired: false,
      codeExpired: false,
      proximityAnomaly: false,
    },
    title: 'Date Night Reward',
    description: 'Free appetizer and two mocktails',
    terms: 'Valid while stock lasts',
    rewardImageUrl: null,
    brandTagline: 'Evenings above the city',
    campaignMessage: 'Evenings above the city',
    venueName: 'Skyline Lounge',
    venueAddress: '2 Marina Road, Lagos',
    status: redeemed ? 'redeemed' : 'active',
    legacyStatus: redeemed ? 'redeemed' : 'active',
    createdAt: T.granted,
    expiresAt: T.rewardExpires,
    codeExpiresAt: claimed ? T.codeExpires : null,
  };
}

export function safetyReport(): JsonObject {
  return {
    reportId: 'sr_123',
    reportedUserId: 'user_456',
    reason: 'Harassment',
    status: 'open',
    createdAt: T.report,
  };
}

export function proximityUpdate(): JsonObject {
  return {
    connectionId: 'conn_abc',
    accumulatedSeconds: 420,
    sessionActive: true,
    currentSessionSeconds: 120,
    unlockedMilestones: [5, 15],
    nextMilestoneMinutes: 30,
  };
}

/** The contract's Bootstrap Payload example for user_456, every `[ ... ]` filled with one item. */
export function bootstrap(): JsonObject {
  const message = chatMessage();
  return {
    currentUser: bola(),
    presence: presence(),
    nearbyUsers: [{ ...nearbyUser(), user: ada() }],
    incomingRequests: [],
    sentRequests: [],
    requests: [connectionRequest('accepted')],
    activeConnections: [connection('active')],
    closedConnections: [],
    messages: [message],
    conversations: { user_123: { lastMessage: message, unreadCount: 1 } },
    unreadMessageCount: { user_123: 1 },
    totalUnreadMessageCount: 1,
    gifts: [],
    sponsoredGifts: [sponsoredGift()],
    sponsoredGiftsNextCursor: null,
    proximitySession: {
      connectionId: 'conn_abc',
      accumulatedSeconds: 420,
      status: 'paused',
      currentSessionSeconds: 0,
      unlockedMilestones: [5],
      bleToken: 'a3f9c2e1',
      bleTokenExpiresAt: '2026-04-17T14:32:00Z',
    },
    blockedUserIds: [],
    safetyReports: [safetyReport()],
  };
}
