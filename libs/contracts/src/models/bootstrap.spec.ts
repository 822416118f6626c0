import { emptyBootstrap, type BootstrapPayload } from './bootstrap';
import { type User } from './user';

const user = (): User => ({
  id: 'user_123',
  name: 'Ada Lovelace',
  age: 28,
  avatar: null,
  gender: null,
  vibe: null,
  vibeExpiresAt: null,
});

// Every key of the contract's Bootstrap Payload example.
const CONTRACT_KEYS: Array<keyof BootstrapPayload> = [
  'currentUser',
  'presence',
  'nearbyUsers',
  'incomingRequests',
  'sentRequests',
  'requests',
  'activeConnections',
  'closedConnections',
  'messages',
  'conversations',
  'unreadMessageCount',
  'totalUnreadMessageCount',
  'gifts',
  'sponsoredGifts',
  'sponsoredGiftsNextCursor',
  'proximitySession',
  'blockedUserIds',
  'safetyReports',
];

describe(emptyBootstrap.name, () => {
  it('has every contract key, empty', () => {
    const sut = emptyBootstrap(user());

    expect(Object.keys(sut).sort()).toEqual([...CONTRACT_KEYS].sort());
    expect(sut).toMatchObject({
      currentUser: user(),
      presence: { isLive: false, isOnRadar: true, location: null },
      gifts: [],
      conversations: {},
      totalUnreadMessageCount: 0,
      sponsoredGiftsNextCursor: null,
      proximitySession: null,
    });
  });

  it('returns fresh arrays each time', () => {
    const first = emptyBootstrap(user());
    first.messages.push({} as never);

    expect(emptyBootstrap(user()).messages).toEqual([]);
  });
});
