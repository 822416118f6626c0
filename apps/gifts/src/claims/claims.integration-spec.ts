import { ClientEvent, DomainEvent, ErrorCode, type CreateCampaignRequestDto, type SponsoredGift } from '@gisbi/contracts';
import { GiftsHarness, settle } from '../testing/gifts-harness';
import { ClaimService } from './claim.service';

/** About 100 m from the venue below, and about 1.3 km from it. */
const VENUE = { lat: 6.4281, lng: 3.4219 };
const AT_VENUE = { lat: 6.4290, lng: 3.4219 };
const DOWN_THE_ROAD = { lat: 6.4401, lng: 3.4219 };

describe(ClaimService.name, () => {
  let h: GiftsHarness;

  beforeAll(async () => {
    h = await GiftsHarness.start({ label: 'gifts-claim' });
  });

  afterEach(async () => {
    await h.dataSource().query(`UPDATE campaigns SET status = 'ended' WHERE status <> 'ended'`);
    h.proximityUp = true;
  });

  afterAll(async () => {
    await h.close();
  });

  /** A reward granted to a new pair by a new campaign. */
  const reward = async (
    overrides: Partial<CreateCampaignRequestDto> = {},
  ): Promise<{ ada: string; bola: string; connectionId: string; giftId: string }> => {
    const campaign = await h.createCampaign(overrides);
    const ada = h.user('Ada');
    const bola = h.user('Bola', '/media/avatars/bola.png');
    const connectionId = await h.acceptConnection(ada, bola);
    const [row] = (await h.dataSource().query('SELECT id FROM sponsored_gifts WHERE campaign_id = $1', [campaign.campaignId])) as Array<{
      id: string;
    }>;
    if (!row) throw new Error('no reward granted');
    return { ada, bola, connectionId, giftId: row.id };
  };

  const view = async (userId: string, giftId: string): Promise<SponsoredGift> => {
    const page = await h.commandOk(ClientEvent.GiftHistoryFetch, { limit: 50 }, userId, 'gift.history.fetch');
    const gift = page.sponsoredGifts.find((candidate) => candidate.giftId === giftId);
    if (!gift) throw new Error(`${giftId} not in the history of ${userId}`);
    return gift;
  };

  const minutes = (n: number): number => n * 60;

  describe('rules', () => {
    it('counts only days meeting the daily threshold, in the campaign time zone', async () => {
      const { ada, connectionId, giftId } = await reward({
        minTotalTogetherMinutes: 60,
        minDailyTogetherMinutes: 30,
        minDistinctQualifyingDays: 2,
        timeZone: 'Africa/Lagos',
      });
      h.setVerifiedTime(connectionId, [
        ['2026-04-14', minutes(29) + 59],
        ['2026-04-15', minutes(40)],
        ['2026-04-16', minutes(25)],
      ]);

      expect(await view(ada, giftId)).toMatchObject({
        qualifyingTogetherMinutes: 40,
        requiredTogetherMinutes: 60,
        qualifyingDaysCount: 1,
        requiredQualifyingDays: 2,
        claimableNow: false,
        partnerClaimableNow: false,
        historyStatus: 'pending',
        verificationContext: { totalVerifiedMinutes: 94, timeZone: 'Africa/Lagos' },
        riskSignals: { insufficientTogetherTime: true, insufficientQualifyingDays: true },
      });
      const refused = await h.commandError(ClientEvent.GiftClaim, { giftId }, ada);
      expect(refused).toMatchObject({ code: ErrorCode.not_ready, domain: 'gifts' });
      expect(refused.message).toContain('60 qualifying minutes together are required (40 so far)');
      expect(refused.message).toContain('2 qualifying days are required (1 so far)');

      h.setVerifiedTime(connectionId, [
        ['2026-04-14', minutes(29) + 59],
        ['2026-04-15', minutes(40)],
        ['2026-04-16', minutes(30)],
      ]);
      expect(await view(ada, giftId)).toMatchObject({ qualifyingTogetherMinutes: 70, qualifyingDaysCount: 2, claimableNow: true, historyStatus: 'available' });
      await h.commandOk(ClientEvent.GiftClaim, { giftId }, ada, 'gift.claim');
      expect(h.verifiedTimeRequests.filter((request) => request.connectionId === connectionId).every((request) => request.timeZone === 'Africa/Lagos')).toBe(true);
    });

    it('requires distinct qualifying days', async () => {
      const { bola, connectionId, giftId } = await reward({ minDistinctQualifyingDays: 3 });
      h.setVerifiedTime(connectionId, [['2026-04-15', 60], ['2026-04-16', 0], ['2026-04-17', 1]]);

      expect(await h.commandError(ClientEvent.GiftClaim, { giftId }, bola)).toMatchObject({ code: ErrorCode.not_ready });

      h.setVerifiedTime(connectionId, [['2026-04-15', 60], ['2026-04-16', 1], ['2026-04-17', 1]]);
      expect(await h.commandOk(ClientEvent.GiftClaim, { giftId }, bola, 'gift.claim')).toMatchObject({
        gift: { qualifyingDaysCount: 3, claimStage: 'verified' },
      });
    });

    it('requires an active proximity session at claim when the campaign says so', async () => {
      const { ada, connectionId, giftId } = await reward({ requireActiveProximityForClaim: true });
      h.setVerifiedTime(connectionId, [['2026-04-17', minutes(10)]], { activeNow: false });

      expect(await view(ada, giftId)).toMatchObject({ claimableNow: false, riskSignals: { proximityNotActive: true } });
      const refused = await h.commandError(ClientEvent.GiftClaim, { giftId }, ada);
      expect(refused).toMatchObject({ code: ErrorCode.not_ready });
      expect(refused.message).toContain('active proximity session');

      h.setVerifiedTime(connectionId, [['2026-04-17', minutes(10)]], { activeNow: true });
      expect(await h.commandOk(ClientEvent.GiftClaim, { giftId }, ada, 'gift.claim')).toMatchObject({
        gift: { requireActiveProximityForClaim: true, verificationContext: { activeProximityNow: true } },
      });
    });

    it('refuses while proximity reports a fraud signal, and shows it', async () => {
      const { ada, connectionId, giftId } = await reward();
      h.setVerifiedTime(connectionId, [['2026-04-17', minutes(10)]], { fraudSignals: { tokenReplay: true, rssiTooStrong: false } });

      expect(await view(ada, giftId)).toMatchObject({
        claimableNow: false,
        sponsorConfidenceScore: 10,
        riskSignals: { proximityAnomaly: true, tokenReplay: true, rssiTooStrong: false },
      });
      expect(await h.commandError(ClientEvent.GiftClaim, { giftId }, ada)).toMatchObject({ code: ErrorCode.not_ready });
    });

    it('counts zero time with a risk signal while proximity does not answer', async () => {
      const { ada, connectionId, giftId } = await reward({ minTotalTogetherMinutes: 5 });
      h.setVerifiedTime(connectionId, [['2026-04-17', minutes(10)]]);
      h.proximityUp = false;

      expect(await view(ada, giftId)).toMatchObject({
        qualifyingTogetherMinutes: 0,
        claimableNow: false,
        verificationContext: { proximityDataAvailable: false },
        riskSignals: { proximityUnavailable: true, insufficientTogetherTime: true },
      });
      const refused = await h.commandError(ClientEvent.GiftClaim, { giftId }, ada);
      expect(refused.message).toContain('cannot be checked right now');
    });

    it('counts nothing verified yet, without a risk signal, for a connection proximity does not know yet', async () => {
      const { ada, connectionId, giftId } = await reward();
      h.unknownToProximity.add(connectionId);

      expect(await view(ada, giftId)).toMatchObject({
        qualifyingTogetherMinutes: 0,
        claimableNow: true,
        verificationContext: { proximityDataAvailable: true },
        riskSignals: { proximityUnavailable: false },
      });
    });
  });

  describe('claiming', () => {
    it('refuses a missing giftId, an unknown reward and a reward of another pair', async () => {
      const { giftId } = await reward();
      const stranger = h.user('Stranger');

      expect(await h.commandError(ClientEvent.GiftClaim, {}, stranger)).toMatchObject({ code: ErrorCode.missing_giftId });
      expect(await h.commandError(ClientEvent.GiftClaim, { giftId: 'sgg_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E' }, stranger)).toMatchObject({
        code: ErrorCode.gift_not_found,
      });
      expect(await h.commandError(ClientEvent.GiftClaim, { giftId }, stranger)).toMatchObject({ code: ErrorCode.gift_not_found });
    });

    it('issues a code to the claimant, informs the partner, and hands the same code out again', async () => {
      const { ada, bola, giftId } = await reward({ codeLifetimeMinutes: 45 });
      const adaInbox = h.deliveries(ada);
      const bolaInbox = h.deliveries(bola);

      const claimed = await h.commandOk(ClientEvent.GiftClaim, { giftId }, ada, 'gift.claim');

      expect(claimed.redemptionCode).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
      expect(claimed.gift).toMatchObject({
        giftId,
        partnerUserId: bola,
        claimStage: 'verified',
        historyStatus: 'verified',
        status: 'active',
        codeExpiresAt: new Date(h.clock.nowMs() + 45 * 60_000).toISOString(),
        verificationContext: { atClaim: { evaluatedAt: h.clock.nowIso() } },
      });
      const toPartner = await bolaInbox.next('gift.claim');
      expect(toPartner).toMatchObject({ redemptionCode: null, gift: { giftId, partnerUserId: ada, partnerName: 'Ada', claimStage: 'verified' } });
      const toOtherDevices = await adaInbox.next('gift.claim');
      expect(toOtherDevices.redemptionCode).toBe(claimed.redemptionCode);

      const again = await h.commandOk(ClientEvent.GiftClaim, { giftId }, bola, 'gift.claim');
      expect(again.redemptionCode).toBe(claimed.redemptionCode);
      await settle(h.nc);
      expect(adaInbox.ofType('gift.claim')).toHaveLength(1);
      expect(bolaInbox.ofType('gift.claim')).toHaveLength(1);
    });

    it('issues one code when both participants claim at the same moment', async () => {
      const { ada, bola, giftId } = await reward();

      const replies = await Promise.all([
        ...Array.from({ length: 3 }, () => h.commandOk(ClientEvent.GiftClaim, { giftId }, ada, 'gift.claim')),
        ...Array.from({ length: 3 }, () => h.commandOk(ClientEvent.GiftClaim, { giftId }, bola, 'gift.claim')),
      ]);

      expect(new Set(replies.map((reply) => reply.redemptionCode)).size).toBe(1);
      const codes = (await h.dataSource().query('SELECT status FROM redemption_codes WHERE gift_id = $1', [giftId])) as unknown[];
      expect(codes).toEqual([{ status: 'active' }]);
    });

    it('requires presence at the venue when the campaign has a venue area', async () => {
      const { ada, giftId } = await reward({ claimArea: { ...VENUE, radiusMeters: 150 } });

      const offline = await h.commandError(ClientEvent.GiftClaim, { giftId }, ada);
      expect(offline).toMatchObject({ code: ErrorCode.distance_exceeded });

      h.setPosition(ada, DOWN_THE_ROAD);
      const far = await h.commandError(ClientEvent.GiftClaim, { giftId }, ada);
      expect(far).toMatchObject({ code: ErrorCode.distance_exceeded, message: 'You are 1.3 km from the venue; come within 150 m to claim' });

      h.setPosition(ada, AT_VENUE);
      expect(await h.commandOk(ClientEvent.GiftClaim, { giftId }, ada, 'gift.claim')).toMatchObject({ gift: { claimStage: 'verified' } });
    });

    it('refuses an expired reward at its exact expiry instant, before the expiry job runs', async () => {
      const { ada, giftId } = await reward({ rewardLifetimeMinutes: 60 });
      h.clock.advance(60 * 60_000 - 1);
      expect(await view(ada, giftId)).toMatchObject({ status: 'active' });

      h.clock.advance(1);
      expect(await view(ada, giftId)).toMatchObject({ status: 'expired', claimStage: 'expired', historyStatus: 'disqualified' });
      expect(await h.commandError(ClientEvent.GiftClaim, { giftId }, ada)).toMatchObject({ code: ErrorCode.gift_expired });
    });
  });

  describe('cancellation', () => {
    it('cancels the rewards of a closed connection and tells both users', async () => {
      const { ada, bola, connectionId, giftId } = await reward();
      await h.commandOk(ClientEvent.GiftClaim, { giftId }, ada, 'gift.claim');
      const bolaInbox = h.deliveries(bola);

      const closed = await h.publish(DomainEvent.ConnectionClosed, {
        connectionId,
        userAId: ada,
        userBId: bola,
        closedByUserId: ada,
        closureReason: 'moved away',
        closedAt: h.clock.nowIso(),
      });
      await h.processed(closed, 2);

      expect(await bolaInbox.next('gift.sponsored.updated', (gift) => gift.giftId === giftId)).toMatchObject({
        status: 'cancelled',
        claimStage: 'cancelled',
        historyStatus: 'disqualified',
        claimableNow: false,
        riskSignals: { connectionClosed: true },
      });
      expect(await h.commandError(ClientEvent.GiftClaim, { giftId }, ada)).toMatchObject({ code: ErrorCode.not_allowed });
      const codes = (await h.dataSource().query('SELECT status FROM redemption_codes WHERE gift_id = $1', [giftId])) as unknown[];
      expect(codes).toEqual([{ status: 'void' }]);
    });

    it('cancels the pair’s rewards when one blocks the other, and a deleted user’s rewards', async () => {
      const blocked = await reward();
      const deleted = await reward();
      const blockEvent = await h.publish(DomainEvent.UserBlocked, { blockerId: blocked.bola, blockedId: blocked.ada, at: h.clock.nowIso() });
      const deleteEvent = await h.publish(DomainEvent.UserDeleted, { userId: deleted.ada, deletedAt: h.clock.nowIso() });
      await h.processed(blockEvent);
      await h.processed(deleteEvent);

      expect(await view(blocked.ada, blocked.giftId)).toMatchObject({ status: 'cancelled', riskSignals: { participantBlocked: true } });
      expect(await view(deleted.bola, deleted.giftId)).toMatchObject({ status: 'cancelled', riskSignals: { participantDeleted: true } });
    });
  });
});
