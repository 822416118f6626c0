import type {
  BootstrapPayload,
  BrandDto,
  CampaignDto,
  ConnectionRequestAcceptedPayload,
  ConnectionRequestSentPayload,
  ErrorPayload,
  GiftClaimedPayload,
  GiftHistoryPayload,
  RestErrorBody,
  SponsoredGift,
  VenueKeyCreatedDto,
  VenueRedemptionDto,
} from '@gisbi/contracts';
import { startStack, type SignedInUser, type Stack, type TestSocket } from '@gisbi/testing';

type Connected = SignedInUser & { socket: TestSocket };

const ADMIN_KEY = 'e2e_admin_key_0123456789abcdef';
const LAGOS = { lat: 6.5244, lng: 3.3792 };

/** Issue 7 end to end: a campaign made through the admin REST API rewards a real connection, claim to redemption. */
describe('sponsored gifts, end to end', () => {
  let stack: Stack;
  let ada: Connected;
  let bola: Connected;
  let brand: BrandDto;
  let campaign: CampaignDto;

  beforeAll(async () => {
    // A proximity "minute" is one second here, so milestone 2 is reached after two seconds together.
    stack = await startStack({
      label: 'gifts',
      env: {
        ADMIN_API_KEYS: ADMIN_KEY,
        JOB_POLL_INTERVAL_MS: '200',
        PROXIMITY_MINUTE_SECONDS: '1',
        PROXIMITY_MILESTONES_MINUTES: '2,600',
      },
    });
    [ada, bola] = await Promise.all([stack.connectedUser('gifts-ada', 'Ada'), stack.connectedUser('gifts-bola', 'Bola')]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([ada, bola].map((user) => user?.socket.close()));
    await stack?.stop();
  });

  const admin = <T>(method: string, path: string, body?: unknown) =>
    stack.http<T>(method, path, { token: ADMIN_KEY, ...(body === undefined ? {} : { body }) });

  it('keeps the admin API away from user access tokens and unknown keys', async () => {
    const body = { name: 'Nope', slug: 'nope', category: 'cafe' };

    const anonymous = await stack.http<RestErrorBody>('POST', '/admin/brands', { body });
    expect(anonymous).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    const withUserToken = await stack.http<RestErrorBody>('POST', '/admin/brands', { body, token: ada.accessToken });
    expect(withUserToken).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    const withWrongKey = await stack.http<RestErrorBody>('GET', '/admin/campaigns', { token: 'wrong_key_0123456789abcdefghij' });
    expect(withWrongKey).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    const withRefreshToken = await stack.http<RestErrorBody>('GET', '/admin/brands', { token: ada.refreshToken });
    expect(withRefreshToken.status).toBe(403);

    // Ids and filters in the path or query are held to the text rule of every string: 400, never a failed query.
    const unstorable = (field: string) => ({
      status: 400,
      body: { code: 'validation_failed', detail: `${field} must not contain NUL characters or unpaired UTF-16 surrogates` },
    });
    expect(await admin('GET', '/admin/brands/br_%00')).toEqual(unstorable('brandId'));
    expect(await admin('GET', '/admin/campaigns/cmp_%00')).toEqual(unstorable('campaignId'));
    expect(await admin('GET', '/admin/campaigns?brandId=br_%00')).toEqual(unstorable('brandId'));
    expect(await admin('GET', '/admin/campaigns?status=a&status=b%00')).toEqual(unstorable('status.1'));

    const docs = await stack.http<{ paths: Record<string, Record<string, { tags?: string[] }>> }>('GET', '/docs.json');
    expect(docs.body.paths['/admin/campaigns']?.['post']?.tags).toEqual(['admin']);
    expect(Object.keys(docs.body.paths['/venue/redemptions'] ?? {})).toContain('post');
  });

  it('creates a brand and an active campaign through the admin API, with clear validation errors', async () => {
    const created = await admin<BrandDto>('POST', '/admin/brands', {
      name: 'Skyline Lounge',
      slug: 'skyline-lounge',
      logo: '/media/brands/skyline.png',
      category: 'lounge',
    });
    expect(created.status).toBe(201);
    brand = created.body;

    const invalid = await admin<RestErrorBody>('POST', '/admin/campaigns', {
      brandId: brand.brandId,
      name: 'Broken',
      triggerTypes: ['proximityMilestone'],
      title: 'T',
      description: 'D',
      terms: 'X',
    });
    expect(invalid).toMatchObject({
      status: 400,
      body: { code: 'validation_failed', detail: 'milestoneMinutes must list at least one milestone when triggerTypes includes proximityMilestone' },
    });

    const made = await admin<CampaignDto>('POST', '/admin/campaigns', {
      brandId: brand.brandId,
      name: 'Welcome, Lagos',
      status: 'active',
      triggerTypes: ['connectionAccepted'],
      area: { ...LAGOS, radiusMeters: 5000 },
      timeZone: 'Africa/Lagos',
      stock: 100,
      title: 'Date Night Reward',
      description: 'Free appetizer and two mocktails',
      terms: 'Valid while stock lasts',
      tagline: 'Made for two',
      venueName: 'Skyline Lounge',
      venueAddress: '2 Marina Road, Lagos',
      codeLifetimeMinutes: 30,
    });
    expect(made).toMatchObject({ status: 201, body: { status: 'active', grantedCount: 0, remainingStock: 100 } });
    campaign = made.body;
  });

  it('grants a reward to both sockets when a connection is accepted, then claim and redemption', async () => {
    await Promise.all([
      ada.socket.request('presence.location_update', { ...LAGOS, accuracyMeters: 5 }),
      bola.socket.request('presence.location_update', { lat: 6.5246, lng: 3.3796, accuracyMeters: 5 }),
    ]);
    const sent = await ada.socket.request<ConnectionRequestSentPayload>('connection.request.send', { userId: bola.user.id });
    await bola.socket.next('connection.request.send');
    const accepted = await bola.socket.request<ConnectionRequestAcceptedPayload>('connection.request.accept', {
      requestId: sent.payload.request.requestId,
    });
    const connectionId = accepted.payload.connection.connectionId;

    const [toAda, toBola] = await Promise.all([
      ada.socket.next<SponsoredGift>('gift.sponsored.granted', (gift) => gift.campaignId === campaign.campaignId, 10_000),
      bola.socket.next<SponsoredGift>('gift.sponsored.granted', (gift) => gift.campaignId === campaign.campaignId, 10_000),
    ]);
    expect(toAda.payload).toMatchObject({
      giftType: 'sponsoredPairReward',
      connectionId,
      brand: { brandId: brand.brandId, name: 'Skyline Lounge', slug: 'skyline-lounge', logo: '/media/brands/skyline.png', category: 'lounge' },
      partnerUserId: bola.user.id,
      partnerName: 'Bola',
      triggerType: 'connectionAccepted',
      status: 'active',
      claimStage: 'granted',
      historyStatus: 'available',
      claimableNow: true,
      venueName: 'Skyline Lounge',
      brandTagline: 'Made for two',
      codeExpiresAt: null,
    });
    expect(toBola.payload).toMatchObject({ giftId: toAda.payload.giftId, partnerUserId: ada.user.id, partnerName: 'Ada' });
    await ada.socket.expectNone('gift.sponsored.granted', 300, (gift) => gift['campaignId'] === campaign.campaignId);
    const giftId = toAda.payload.giftId;

    const history = await ada.socket.request<GiftHistoryPayload>('gift.history.fetch', { limit: 5 });
    expect(history.payload).toMatchObject({ limit: 5, nextCursor: null });
    expect(history.payload.sponsoredGifts.map((gift) => gift.giftId)).toEqual([giftId]);
    const invalid = await ada.socket.request<ErrorPayload>('gift.history.fetch', { cursor: 'garbage' });
    expect(invalid).toMatchObject({ type: 'error', payload: { code: 'invalid_cursor', domain: 'gifts' } });

    const claimed = await bola.socket.request<GiftClaimedPayload>('gift.claim', { giftId });
    expect(claimed.type).toBe('gift.claim');
    const code = claimed.payload.redemptionCode ?? '';
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect(claimed.payload.gift).toMatchObject({ claimStage: 'verified', historyStatus: 'verified' });
    const toPartner = await ada.socket.next<GiftClaimedPayload>('gift.claim');
    expect(toPartner.payload).toMatchObject({ redemptionCode: null, gift: { giftId, claimStage: 'verified' } });

    const key = await admin<VenueKeyCreatedDto>('POST', `/admin/brands/${brand.brandId}/venue-keys`, { label: 'Front desk' });
    expect(key.status).toBe(201);
    const venue = (method: string, path: string, body?: unknown) =>
      stack.http<VenueRedemptionDto & RestErrorBody>(method, path, { token: key.body.key, ...(body === undefined ? {} : { body }) });

    expect(await venue('GET', `/venue/redemptions/${code}`)).toMatchObject({ status: 200, body: { state: 'redeemable', giftId } });
    expect(await stack.http('POST', '/venue/redemptions', { token: ADMIN_KEY, body: { code } })).toMatchObject({ status: 401 });
    const [first, second] = await Promise.all([
      venue('POST', '/venue/redemptions', { code }),
      venue('POST', '/venue/redemptions', { code }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect([first, second].find((reply) => reply.status === 409)?.body.code).toBe('already_redeemed');

    const [redeemedForAda, redeemedForBola] = await Promise.all([
      ada.socket.next<SponsoredGift>('gift.sponsored.updated', (gift) => gift.giftId === giftId),
      bola.socket.next<SponsoredGift>('gift.sponsored.updated', (gift) => gift.giftId === giftId),
    ]);
    expect(redeemedForAda.payload).toMatchObject({ status: 'redeemed', historyStatus: 'claimed', partnerUserId: bola.user.id });
    expect(redeemedForBola.payload).toMatchObject({ status: 'redeemed', historyStatus: 'claimed', partnerUserId: ada.user.id });

    const again = await ada.socket.request<BootstrapPayload>('session.start', {});
    const bootstrap = await ada.socket.next<BootstrapPayload>('session.bootstrap', (_payload, envelope) => envelope.requestId === again.requestId);
    expect(again.type).toBe('session.connected');
    expect(bootstrap.payload).toMatchObject({ gifts: [], sponsoredGiftsNextCursor: null });
    expect(bootstrap.payload.sponsoredGifts.map((gift) => gift.giftId)).toEqual([giftId]);

    const stats = await admin<CampaignDto>('GET', `/admin/campaigns/${campaign.campaignId}`);
    expect(stats.body).toMatchObject({ grantedCount: 1, remainingStock: 99 });
  });

  it('grants on a verified proximity milestone to both, claimable while the pair is together', async () => {
    const made = await admin<CampaignDto>('POST', '/admin/campaigns', {
      brandId: brand.brandId,
      name: 'Together time',
      status: 'active',
      triggerTypes: ['proximityMilestone'],
      milestoneMinutes: [2],
      requireActiveProximityForClaim: true,
      timeZone: 'Africa/Lagos',
      title: 'Dessert on us',
      description: 'One dessert to share',
      terms: 'Both of you, at the venue',
    });
    expect(made.status).toBe(201);
    const history = await ada.socket.request<GiftHistoryPayload>('gift.history.fetch', {});
    const connectionId = history.payload.sponsoredGifts[0]?.connectionId ?? '';
    const tokenPath = `/connections/${connectionId}/proximity/token`;
    const [tokenOfAda, tokenOfBola] = await Promise.all([
      stack.http<{ token: string }>('POST', tokenPath, { token: ada.accessToken }),
      stack.http<{ token: string }>('POST', tokenPath, { token: bola.accessToken }),
    ]);
    await ada.socket.request('proximity.session.start', { connectionId, token: tokenOfBola.body.token, rssi: -62 });
    await bola.socket.request('proximity.session.start', { connectionId, token: tokenOfAda.body.token, rssi: -64 });

    const granted = (socket: TestSocket) =>
      socket.next<SponsoredGift>('gift.sponsored.granted', (gift) => gift.campaignId === made.body.campaignId, 20_000);
    const both = Promise.all([granted(ada.socket), granted(bola.socket)]);
    let settled = false;
    void both.finally(() => {
      settled = true;
    });
    // Heartbeats at a phone's pace (about one a second, with jitter): a faster or perfectly regular stream is
    // flagged by proximity as implausible, and a flagged pair cannot claim.
    const deadline = Date.now() + 20_000;
    for (let beat = 0; !settled && Date.now() < deadline; beat++) {
      await new Promise((resolve) => setTimeout(resolve, 1000 + Math.floor(Math.random() * 200)));
      const rssi = -60 - (beat % 7);
      await Promise.all([
        ada.socket.request('proximity.heartbeat', { connectionId, token: tokenOfBola.body.token, rssi }),
        bola.socket.request('proximity.heartbeat', { connectionId, token: tokenOfAda.body.token, rssi: rssi - 2 }),
      ]);
    }
    const [toAda, toBola] = await both;
    expect(toAda.payload).toMatchObject({
      triggerType: 'proximityMilestone',
      milestoneMinutes: 2,
      connectionId,
      partnerUserId: bola.user.id,
      requireActiveProximityForClaim: true,
    });
    expect(toBola.payload).toMatchObject({ giftId: toAda.payload.giftId, partnerUserId: ada.user.id });

    // Still together (heartbeats just stopped, the run is within its grace window): claimable.
    const claimed = await ada.socket.request<GiftClaimedPayload>('gift.claim', { giftId: toAda.payload.giftId });
    expect(claimed).toMatchObject({
      type: 'gift.claim',
      payload: {
        gift: { claimStage: 'verified', riskSignals: { proximityAnomaly: false }, verificationContext: { activeProximityNow: true } },
      },
    });
  });

  it('refuses the legacy peer gift actions', async () => {
    for (const type of ['gift.create', 'gift.unlock.confirm', 'gift.unlock.execute', 'gift.combine.confirm', 'gift.redeem']) {
      const reply = await ada.socket.request<ErrorPayload>(type, { giftId: 'gift_1' });
      expect(reply).toMatchObject({ type: 'error', payload: { code: 'peer_gifts_disabled', domain: 'gifts' } });
    }
  });
});
