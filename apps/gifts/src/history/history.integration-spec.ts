import {
  ClientEvent,
  ErrorCode,
  LEGACY_GIFT_EVENT_TYPES,
  RpcMethod,
  type BootstrapPart,
  type BrandDto,
  type BrandListDto,
  type CampaignDto,
  type CampaignListDto,
  type GiftHistoryPayload,
} from '@gisbi/contracts';
import { DemoSeed, DEMO_CAMPAIGN_ID } from '../seed/demo-seed';
import { ADMIN_KEY, GiftsHarness, LAGOS } from '../testing/gifts-harness';
import { HistoryService } from './history.service';

describe(HistoryService.name, () => {
  let h: GiftsHarness;

  beforeAll(async () => {
    h = await GiftsHarness.start({ label: 'gifts-history' });
  });

  afterEach(async () => {
    await h.dataSource().query(`UPDATE campaigns SET status = 'ended' WHERE status <> 'ended'`);
  });

  afterAll(async () => {
    await h.close();
  });

  const fetch = (userId: string, payload: Record<string, unknown>): Promise<GiftHistoryPayload> =>
    h.commandOk(ClientEvent.GiftHistoryFetch, payload, userId, 'gift.history.fetch');

  describe('paging', () => {
    let hub: string;
    let partners: string[];
    let newestFirst: string[];

    beforeAll(async () => {
      await h.createCampaign({ perPairLimit: 1 });
      hub = h.user('Hub');
      partners = Array.from({ length: 7 }, (_, index) => h.user(`Partner ${index}`));
      // Four rewards share one timestamp; the hub is userA of some pairs and userB of others.
      for (const partner of partners.slice(0, 4)) await h.acceptConnection(hub, partner);
      for (const partner of partners.slice(4)) {
        h.clock.advance(1000);
        await h.acceptConnection(partner, hub);
      }
      const rows = (await h.dataSource().query(
        `SELECT id FROM sponsored_gifts WHERE user_a_id = $1 OR user_b_id = $1 ORDER BY created_at DESC, id DESC`,
        [hub],
      )) as Array<{ id: string }>;
      newestFirst = rows.map((row) => row.id);
      expect(newestFirst).toHaveLength(7);
    });

    it('pages newest first without skipping or repeating rows that share a timestamp', async () => {
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null | undefined;
      do {
        const page = await fetch(hub, { limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.limit).toBe(2);
        sizes.push(page.sponsoredGifts.length);
        seen.push(...page.sponsoredGifts.map((gift) => gift.giftId));
        cursor = page.nextCursor;
      } while (cursor);

      expect(sizes).toEqual([2, 2, 2, 1]);
      expect(seen).toEqual(newestFirst);
    });

    it('ends with a null cursor when the last page is exactly full, and defaults to 20', async () => {
      const full = await fetch(hub, { limit: 7 });
      expect(full.nextCursor).toBeNull();
      expect(full.sponsoredGifts).toHaveLength(7);

      const byDefault = await fetch(hub, {});
      expect(byDefault).toMatchObject({ limit: 20, nextCursor: null });
      expect(byDefault.sponsoredGifts.map((gift) => gift.giftId)).toEqual(newestFirst);
    });

    it('shows each participant only their own rewards, with their partner', async () => {
      const partner = partners[0] ?? '';
      const page = await fetch(partner, {});

      expect(page.sponsoredGifts).toHaveLength(1);
      expect(page.sponsoredGifts[0]).toMatchObject({ partnerUserId: hub, partnerName: 'Hub' });
    });

    it('refuses invalid limits and cursors', async () => {
      const first = await fetch(hub, { limit: 2 });
      const cursor = first.nextCursor ?? '';
      const [body, tag] = cursor.split('.');
      const tampered = `${Buffer.from(JSON.stringify(['2030-01-01T00:00:00.000Z', newestFirst[0]])).toString('base64url')}.${tag}`;

      for (const limit of [0, 51, '5', 2.5]) {
        expect(await h.commandError(ClientEvent.GiftHistoryFetch, { limit }, hub)).toMatchObject({ code: ErrorCode.invalid_limit });
      }
      for (const bad of ['garbage', `${body}.AAAA`, tampered, '', 42]) {
        expect(await h.commandError(ClientEvent.GiftHistoryFetch, { cursor: bad }, hub)).toMatchObject({ code: ErrorCode.invalid_cursor });
      }
      // Another user's cursor is refused too.
      expect(await h.commandError(ClientEvent.GiftHistoryFetch, { cursor }, partners[1] ?? '')).toMatchObject({
        code: ErrorCode.invalid_cursor,
      });
    });

    it('puts the first page into session.bootstrap, with the legacy gifts empty', async () => {
      const part = await h.ok<BootstrapPart>(RpcMethod.all.bootstrap, { userId: hub });

      expect(part.gifts).toEqual([]);
      expect(part.sponsoredGifts?.map((gift) => gift.giftId)).toEqual(newestFirst);
      expect(part.sponsoredGiftsNextCursor).toBeNull();
      expect(await h.ok<BootstrapPart>(RpcMethod.all.bootstrap, { userId: h.user('New') })).toEqual({
        gifts: [],
        sponsoredGifts: [],
        sponsoredGiftsNextCursor: null,
      });
    });
  });

  it('refuses every legacy peer gift action with peer_gifts_disabled and stores nothing', async () => {
    const ada = h.user('Ada');
    for (const type of LEGACY_GIFT_EVENT_TYPES) {
      expect(await h.commandError(type, { giftId: 'gift_1', recipientId: 'user_2' }, ada)).toMatchObject({
        code: ErrorCode.peer_gifts_disabled,
        domain: 'gifts',
      });
    }
    expect((await fetch(ada, {})).sponsoredGifts).toEqual([]);
  });

  describe('admin API', () => {
    it('refuses calls without a valid admin key, and user access tokens', async () => {
      const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEiLCJ0eXAiOiJhY2Nlc3MifQ.c2ln';

      expect(await h.fail(RpcMethod.gifts.brandList, {})).toMatchObject({ code: ErrorCode.unauthorized, status: 401 });
      expect(await h.fail(RpcMethod.gifts.brandList, { adminKey: 'x'.repeat(30) })).toMatchObject({ code: ErrorCode.unauthorized });
      expect(await h.fail(RpcMethod.gifts.campaignCreate, { adminKey: jwt, input: {} })).toMatchObject({
        code: ErrorCode.forbidden,
        status: 403,
      });
    });

    it('creates, updates, reads and lists brands; slugs are unique', async () => {
      const brand = await h.createBrand('skyline-lounge');
      expect(brand).toEqual({
        brandId: expect.stringMatching(/^brand_/),
        name: 'Brand skyline-lounge',
        slug: 'skyline-lounge',
        logo: '/media/brands/skyline-lounge.png',
        category: 'lounge',
        createdAt: h.clock.nowIso(),
        updatedAt: h.clock.nowIso(),
      });
      expect(
        await h.fail(RpcMethod.gifts.brandCreate, {
          adminKey: ADMIN_KEY,
          input: { name: 'Copy', slug: 'skyline-lounge', category: 'lounge' },
        }),
      ).toMatchObject({ code: ErrorCode.conflict, status: 409 });
      expect(
        await h.fail(RpcMethod.gifts.brandCreate, { adminKey: ADMIN_KEY, input: { name: 'X', slug: 'Bad Slug', category: 'c' } }),
      ).toMatchObject({ code: ErrorCode.validation_failed, message: 'slug must be lowercase letters and digits separated by single hyphens' });

      const updated = await h.ok<BrandDto>(RpcMethod.gifts.brandUpdate, {
        adminKey: ADMIN_KEY,
        brandId: brand.brandId,
        changes: { name: 'Skyline Lounge', logo: null },
      });
      expect(updated).toMatchObject({ name: 'Skyline Lounge', logo: null, slug: 'skyline-lounge' });
      expect(await h.ok<BrandDto>(RpcMethod.gifts.brandGet, { adminKey: ADMIN_KEY, brandId: brand.brandId })).toEqual(updated);
      const other = await h.createBrand();
      expect(
        await h.fail(RpcMethod.gifts.brandUpdate, { adminKey: ADMIN_KEY, brandId: other.brandId, changes: { slug: 'skyline-lounge' } }),
      ).toMatchObject({ code: ErrorCode.conflict, message: 'The slug "skyline-lounge" is taken by another brand' });
      expect(await h.fail(RpcMethod.gifts.brandGet, { adminKey: ADMIN_KEY, brandId: 'brand_nope' })).toMatchObject({
        code: ErrorCode.not_found,
        status: 404,
      });

      const first = await h.ok<BrandListDto>(RpcMethod.gifts.brandList, { adminKey: ADMIN_KEY, limit: '1' });
      expect(first.brands).toHaveLength(1);
      const second = await h.ok<BrandListDto>(RpcMethod.gifts.brandList, { adminKey: ADMIN_KEY, limit: '1', cursor: first.nextCursor });
      expect(second.brands[0]?.brandId).not.toBe(first.brands[0]?.brandId);
      expect(await h.fail(RpcMethod.gifts.brandList, { adminKey: ADMIN_KEY, limit: '0' })).toMatchObject({ code: ErrorCode.invalid_limit });
      expect(await h.fail(RpcMethod.gifts.brandList, { adminKey: ADMIN_KEY, cursor: 'x' })).toMatchObject({ code: ErrorCode.invalid_cursor });
    });

    it('validates campaigns as a whole and explains what is wrong', async () => {
      const { brandId } = await h.createBrand();
      const base = { brandId, name: 'C', triggerTypes: ['proximityMilestone'], title: 'T', description: 'D', terms: 'X' };
      const create = (input: Record<string, unknown>) => h.fail(RpcMethod.gifts.campaignCreate, { adminKey: ADMIN_KEY, input });

      expect(await create(base)).toMatchObject({
        code: ErrorCode.validation_failed,
        status: 400,
        message: 'milestoneMinutes must list at least one milestone when triggerTypes includes proximityMilestone',
      });
      expect(await create({ ...base, milestoneMinutes: [15], stock: -1 })).toMatchObject({
        code: ErrorCode.validation_failed,
        message: 'stock must be an integer between 1 and 10000000',
      });
      expect(await create({ ...base, brandId: 'brand_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E', milestoneMinutes: [15] })).toMatchObject({
        code: ErrorCode.not_found,
      });
      expect(
        await create({ ...base, milestoneMinutes: [15], status: 'active', endsAt: new Date(h.clock.nowMs() - 1).toISOString() }),
      ).toMatchObject({ code: ErrorCode.conflict, status: 409, message: 'The campaign cannot be active: endsAt has passed' });
      expect(
        await create({ ...base, milestoneMinutes: [15], startsAt: '2026-05-02T00:00:00Z', endsAt: '2026-05-01T00:00:00Z' }),
      ).toMatchObject({ code: ErrorCode.validation_failed, message: 'endsAt must be after startsAt' });
    });

    it('moves campaigns through their statuses and keeps stock above what was granted', async () => {
      const campaign = await h.createCampaign({ status: 'draft', stock: 5 });
      expect(campaign).toMatchObject({ status: 'draft', grantedCount: 0, remainingStock: 5, triggerTypes: ['connectionAccepted'] });
      const setStatus = (status: string) => h.rpc<CampaignDto>(RpcMethod.gifts.campaignSetStatus, { adminKey: ADMIN_KEY, campaignId: campaign.campaignId, status });

      expect(await setStatus('paused')).toMatchObject({ ok: false, error: { code: ErrorCode.conflict, message: 'A draft campaign cannot become paused' } });
      expect(await setStatus('active')).toMatchObject({ ok: true, result: { status: 'active' } });
      await h.acceptConnection(h.user('A'), h.user('B'), { connectedLocation: LAGOS });
      await h.acceptConnection(h.user('C'), h.user('D'), { connectedLocation: LAGOS });

      const update = (changes: Record<string, unknown>) =>
        h.rpc<CampaignDto>(RpcMethod.gifts.campaignUpdate, { adminKey: ADMIN_KEY, campaignId: campaign.campaignId, changes });
      expect(await update({ stock: 1 })).toMatchObject({
        ok: false,
        error: { code: ErrorCode.validation_failed, message: 'stock cannot be lower than the 2 rewards already granted' },
      });
      expect(await update({ stock: 2, title: 'Two coffees' })).toMatchObject({
        ok: true,
        result: { stock: 2, grantedCount: 2, remainingStock: 0, title: 'Two coffees' },
      });
      expect(await setStatus('paused')).toMatchObject({ ok: true, result: { status: 'paused' } });
      expect(await setStatus('ended')).toMatchObject({ ok: true, result: { status: 'ended' } });
      expect(await setStatus('active')).toMatchObject({ ok: false, error: { code: ErrorCode.conflict } });
      expect(await update({ title: 'Too late' })).toMatchObject({ ok: false, error: { code: ErrorCode.conflict } });

      const listed = await h.ok<CampaignListDto>(RpcMethod.gifts.campaignList, {
        adminKey: ADMIN_KEY,
        brandId: campaign.brandId,
        status: 'ended',
      });
      expect(listed.campaigns.map((item) => item.campaignId)).toEqual([campaign.campaignId]);
      expect(await h.fail(RpcMethod.gifts.campaignList, { adminKey: ADMIN_KEY, status: 'live' })).toMatchObject({
        code: ErrorCode.validation_failed,
      });
    });
  });

  it('seeds the demonstration campaign idempotently, and it grants near Lagos', async () => {
    const seed = h.sut.get(DemoSeed);
    await seed.seed();
    await seed.seed();

    const demo = await h.ok<CampaignDto>(RpcMethod.gifts.campaignGet, { adminKey: ADMIN_KEY, campaignId: DEMO_CAMPAIGN_ID });
    expect(demo).toMatchObject({ status: 'active', area: { ...LAGOS, radiusMeters: 100_000 }, timeZone: 'Africa/Lagos' });
    const [count] = (await h.dataSource().query(`SELECT count(*)::int AS n FROM campaigns WHERE id = $1`, [DEMO_CAMPAIGN_ID])) as Array<{
      n: number;
    }>;
    expect(count?.n).toBe(1);

    const ada = h.user('Ada');
    const inbox = h.deliveries(ada);
    await h.acceptConnection(ada, h.user('Bola'), { connectedLocation: { lat: 6.45, lng: 3.4 } });
    expect(await inbox.next('gift.sponsored.granted', (gift) => gift.campaignId === DEMO_CAMPAIGN_ID)).toMatchObject({
      title: 'Coffee for two',
      venueName: 'Northline Coffee, Victoria Island',
      brand: { slug: 'northline-coffee' },
    });
  });
});
