import {
  ClientEvent,
  ErrorCode,
  RpcMethod,
  type CreateCampaignRequestDto,
  type VenueKeyCreatedDto,
  type VenueKeyDto,
  type VenueKeyListDto,
  type VenueRedemptionDto,
} from '@gisbi/contracts';
import type { TestApp } from '@gisbi/testing';
import { ExpiryJob } from '../expiry/expiry.job';
import { ADMIN_KEY, GiftsHarness, settle } from '../testing/gifts-harness';
import { VenueRedemptionService } from './venue-redemption.service';

describe(VenueRedemptionService.name, () => {
  let h: GiftsHarness;
  let replica: TestApp;

  beforeAll(async () => {
    h = await GiftsHarness.start({ label: 'gifts-redeem' });
    replica = await h.startInstance();
  });

  afterEach(async () => {
    await h.dataSource().query(`UPDATE campaigns SET status = 'ended' WHERE status <> 'ended'`);
  });

  afterAll(async () => {
    await h.close();
  });

  const venueKey = (brandId: string): Promise<VenueKeyCreatedDto> =>
    h.ok<VenueKeyCreatedDto>(RpcMethod.gifts.venueKeyCreate, { adminKey: ADMIN_KEY, brandId, input: { label: 'Front desk' } });

  /** A claimed reward: its code, the pair, and a venue key of its brand. */
  const claimed = async (overrides: Partial<CreateCampaignRequestDto> = {}) => {
    const campaign = await h.createCampaign(overrides);
    const ada = h.user('Ada');
    const bola = h.user('Bola');
    const connectionId = await h.acceptConnection(ada, bola);
    const [row] = (await h.dataSource().query('SELECT id FROM sponsored_gifts WHERE campaign_id = $1', [campaign.campaignId])) as Array<{
      id: string;
    }>;
    if (!row) throw new Error('no reward granted');
    const claim = await h.commandOk(ClientEvent.GiftClaim, { giftId: row.id }, ada, 'gift.claim');
    if (!claim.redemptionCode) throw new Error('no code');
    const key = await venueKey(campaign.brandId);
    return { campaign, ada, bola, connectionId, giftId: row.id, code: claim.redemptionCode, key: key.key };
  };

  const redeem = (key: string, code: string) => h.rpc<VenueRedemptionDto>(RpcMethod.gifts.redemptionRedeem, { venueKey: key, code });

  describe('redeeming', () => {
    it('shows a code to its venue, redeems it once and tells both users', async () => {
      const { ada, bola, giftId, code, key } = await claimed({ venueName: 'Skyline Lounge' });
      const adaInbox = h.deliveries(ada);
      const bolaInbox = h.deliveries(bola);

      const looked = await h.ok<VenueRedemptionDto>(RpcMethod.gifts.redemptionLookup, {
        venueKey: key,
        code: `${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`,
      });
      expect(looked).toMatchObject({ code, state: 'redeemable', giftId, title: 'Date Night Reward', venueName: 'Skyline Lounge', redeemedAt: null });

      const redeemed = await h.ok<VenueRedemptionDto>(RpcMethod.gifts.redemptionRedeem, { venueKey: key, code });
      expect(redeemed).toMatchObject({ code, state: 'redeemed', giftId, redeemedAt: h.clock.nowIso() });

      for (const inbox of [adaInbox, bolaInbox]) {
        expect(await inbox.next('gift.sponsored.updated', (gift) => gift.giftId === giftId)).toMatchObject({
          status: 'redeemed',
          legacyStatus: 'redeemed',
          claimStage: 'redeemed',
          historyStatus: 'claimed',
          claimableNow: false,
        });
      }
      expect(await redeem(key, code)).toMatchObject({ ok: false, error: { code: ErrorCode.already_redeemed, status: 409 } });
      expect(await h.commandError(ClientEvent.GiftClaim, { giftId }, ada)).toMatchObject({ code: ErrorCode.already_redeemed });
    });

    it('redeems exactly once when several tills try at the same moment', async () => {
      const { code, key, giftId } = await claimed();

      const replies = await Promise.all(Array.from({ length: 6 }, () => redeem(key, code)));

      expect(replies.filter((reply) => reply.ok)).toHaveLength(1);
      expect(replies.filter((reply) => !reply.ok).map((reply) => (reply.ok ? null : reply.error.code))).toEqual(
        Array.from({ length: 5 }, () => ErrorCode.already_redeemed),
      );
      const [gift] = (await h.dataSource().query('SELECT status FROM sponsored_gifts WHERE id = $1', [giftId])) as unknown[];
      expect(gift).toEqual({ status: 'redeemed' });
    });

    it('requires the venue key of the reward’s brand', async () => {
      const { campaign, code, key } = await claimed();
      const otherBrandKey = (await venueKey((await h.createBrand()).brandId)).key;

      for (const wrong of [undefined, '', 'gvk_nope', `${key.slice(0, -1)}x`, ADMIN_KEY]) {
        expect(await redeem(wrong as string, code)).toMatchObject({ ok: false, error: { code: ErrorCode.unauthorized, status: 401 } });
      }
      expect(await redeem(otherBrandKey, code)).toMatchObject({ ok: false, error: { code: ErrorCode.invalid_redemption_code, status: 404 } });
      expect(await redeem(key, 'ABCDEFGH')).toMatchObject({ ok: false, error: { code: ErrorCode.invalid_redemption_code } });
      expect(await redeem(key, '??')).toMatchObject({ ok: false, error: { code: ErrorCode.invalid_redemption_code } });

      const keys = await h.ok<VenueKeyListDto>(RpcMethod.gifts.venueKeyList, { adminKey: ADMIN_KEY, brandId: campaign.brandId });
      const [listed] = keys.venueKeys;
      expect(listed).toEqual({
        keyId: expect.stringMatching(/^vkey_/),
        brandId: campaign.brandId,
        label: 'Front desk',
        keyHint: key.slice(-4),
        createdAt: h.clock.nowIso(),
        revokedAt: null,
      });
      const revoked = await h.ok<VenueKeyDto>(RpcMethod.gifts.venueKeyRevoke, {
        adminKey: ADMIN_KEY,
        brandId: campaign.brandId,
        keyId: listed?.keyId,
      });
      expect(revoked.revokedAt).toBe(h.clock.nowIso());
      expect(await redeem(key, code)).toMatchObject({ ok: false, error: { code: ErrorCode.unauthorized } });
    });

    it('requires the pair to be together when the campaign requires active proximity', async () => {
      const campaign = await h.createCampaign({ requireActiveProximityForClaim: true });
      const [ada, bola] = [h.user('Ada'), h.user('Bola')];
      const connectionId = await h.acceptConnection(ada, bola);
      h.setVerifiedTime(connectionId, [['2026-04-17', 600]], { activeNow: true });
      const [row] = (await h.dataSource().query('SELECT id FROM sponsored_gifts WHERE campaign_id = $1', [campaign.campaignId])) as Array<{
        id: string;
      }>;
      const claim = await h.commandOk(ClientEvent.GiftClaim, { giftId: row?.id }, ada, 'gift.claim');
      const key = (await venueKey(campaign.brandId)).key;

      h.setVerifiedTime(connectionId, [['2026-04-17', 600]], { activeNow: false });
      expect(await redeem(key, claim.redemptionCode ?? '')).toMatchObject({ ok: false, error: { code: ErrorCode.not_ready } });

      h.setVerifiedTime(connectionId, [['2026-04-17', 600]], { activeNow: true });
      expect(await redeem(key, claim.redemptionCode ?? '')).toMatchObject({ ok: true, result: { state: 'redeemed' } });
    });
  });

  describe(ExpiryJob.name, () => {
    const runOnBothReplicas = async () => {
      const runs = await Promise.all([h.sut.get(ExpiryJob).runOnce(), replica.get(ExpiryJob).runOnce()]);
      return {
        expiredRewards: runs.flatMap((run) => run.expiredRewards),
        expiredCodes: runs.flatMap((run) => run.expiredCodes),
        endedCampaigns: runs.flatMap((run) => run.endedCampaigns),
      };
    };

    it('lapses a code at its expiry, exactly once; the pair can claim a new one', async () => {
      const { ada, bola, giftId, code, key } = await claimed({ codeLifetimeMinutes: 10 });
      const bolaInbox = h.deliveries(bola);

      h.clock.advance(10 * 60_000 - 1);
      expect((await runOnBothReplicas()).expiredCodes).toEqual([]);
      expect(await h.ok(RpcMethod.gifts.redemptionLookup, { venueKey: key, code })).toMatchObject({ state: 'redeemable' });

      h.clock.advance(1);
      expect((await runOnBothReplicas()).expiredCodes).toEqual([giftId]);
      expect((await runOnBothReplicas()).expiredCodes).toEqual([]);

      const updated = await bolaInbox.next('gift.sponsored.updated', (gift) => gift.giftId === giftId);
      expect(updated).toMatchObject({ status: 'active', claimStage: 'granted', codeExpiresAt: null, riskSignals: { codeExpired: true } });
      await settle(h.nc);
      expect(bolaInbox.ofType('gift.sponsored.updated')).toHaveLength(1);
      expect(await redeem(key, code)).toMatchObject({ ok: false, error: { code: ErrorCode.code_expired, status: 410 } });

      const again = await h.commandOk(ClientEvent.GiftClaim, { giftId }, ada, 'gift.claim');
      expect(again.redemptionCode).not.toBe(code);
      expect(await redeem(key, again.redemptionCode ?? '')).toMatchObject({ ok: true });
    });

    it('expires a reward at its expiry, exactly once, with its live code', async () => {
      const { ada, giftId, code, key } = await claimed({ rewardLifetimeMinutes: 60, codeLifetimeMinutes: 120 });
      const adaInbox = h.deliveries(ada);
      const [codeRow] = (await h.dataSource().query('SELECT expires_at FROM redemption_codes WHERE code = $1', [code])) as Array<{
        expires_at: Date;
      }>;
      // The code never outlives the reward.
      expect(codeRow?.expires_at.toISOString()).toBe(new Date(h.clock.nowMs() + 60 * 60_000).toISOString());

      h.clock.advance(60 * 60_000);
      const run = await runOnBothReplicas();
      expect(run.expiredRewards).toEqual([giftId]);
      expect(run.expiredCodes).not.toContain(giftId);

      expect(await adaInbox.next('gift.sponsored.updated', (gift) => gift.giftId === giftId)).toMatchObject({
        status: 'expired',
        claimStage: 'expired',
        historyStatus: 'disqualified',
        riskSignals: { rewardExpired: true },
      });
      expect(await redeem(key, code)).toMatchObject({ ok: false, error: { code: ErrorCode.code_expired } });
      expect(await h.commandError(ClientEvent.GiftClaim, { giftId }, ada)).toMatchObject({ code: ErrorCode.gift_expired });
    });

    it('ends campaigns whose schedule is over', async () => {
      const campaign = await h.createCampaign({ endsAt: new Date(h.clock.nowMs() + 60_000).toISOString() });

      h.clock.advance(59_999);
      expect((await runOnBothReplicas()).endedCampaigns).not.toContain(campaign.campaignId);
      h.clock.advance(1);
      expect((await runOnBothReplicas()).endedCampaigns).toEqual([campaign.campaignId]);
    });
  });
});
