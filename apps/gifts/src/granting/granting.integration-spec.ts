import { DomainEvent, IdPrefix, RpcMethod, type CampaignDto } from '@gisbi/contracts';
import { newId } from '@gisbi/platform';
import { ADMIN_KEY, GiftsHarness, LAGOS, settle, SPONSORED_GIFT_FIELDS } from '../testing/gifts-harness';
import { GrantService, type TriggerOccurrence } from './grant.service';

const ABUJA = { lat: 9.0765, lng: 7.3986 };
/** About 550 m north-east of LAGOS. */
const NEAR_LAGOS = { lat: 6.5279, lng: 3.3829 };

describe(GrantService.name, () => {
  let h: GiftsHarness;

  beforeAll(async () => {
    h = await GiftsHarness.start({ label: 'gifts-grant' });
  });

  afterEach(async () => {
    // Each test's campaigns stop granting, so the next test sees only its own.
    await h.dataSource().query(`UPDATE campaigns SET status = 'ended' WHERE status <> 'ended'`);
    h.positions.clear();
  });

  afterAll(async () => {
    await h.close();
  });

  const rewardsOf = async (campaignId: string): Promise<Array<{ id: string; connection_id: string; trigger_key: string }>> =>
    h.dataSource().query('SELECT id, connection_id, trigger_key FROM sponsored_gifts WHERE campaign_id = $1 ORDER BY id', [campaignId]);

  const campaignOf = (campaignId: string): Promise<CampaignDto> =>
    h.ok<CampaignDto>(RpcMethod.gifts.campaignGet, { adminKey: ADMIN_KEY, campaignId });

  const occurrence = (userAId: string, userBId: string, overrides: Partial<TriggerOccurrence> = {}): TriggerOccurrence => ({
    triggerType: 'connectionAccepted',
    connectionId: newId(IdPrefix.connection),
    userAId,
    userBId,
    milestoneMinutes: null,
    occurredAt: h.clock.now(),
    connectedLocation: LAGOS,
    ...overrides,
  });

  const grantConcurrently = (occurrences: TriggerOccurrence[]): Promise<unknown> => {
    const grants = h.sut.get(GrantService);
    return Promise.all(occurrences.map((item) => h.dataSource().transaction((manager) => grants.grant(manager, item))));
  };

  it('grants a contract-exact reward to both users when a connection is accepted, partner fields per viewer', async () => {
    const ada = h.user('Ada', 'https://cdn.example.com/ada.png');
    const bola = h.user('Bola', '/media/avatars/bola.png');
    const campaign = await h.createCampaign({ minTotalTogetherMinutes: 30, timeZone: 'Africa/Lagos', tagline: 'Made for two' });
    const adaInbox = h.deliveries(ada);
    const bolaInbox = h.deliveries(bola);

    const connectionId = await h.acceptConnection(ada, bola);

    const forAda = await adaInbox.next('gift.sponsored.granted', (gift) => gift.campaignId === campaign.campaignId);
    const forBola = await bolaInbox.next('gift.sponsored.granted', (gift) => gift.campaignId === campaign.campaignId);
    expect(Object.keys(forAda).sort()).toEqual([...SPONSORED_GIFT_FIELDS].sort());
    expect(Object.keys(forBola).sort()).toEqual([...SPONSORED_GIFT_FIELDS].sort());
    const [userAId, userBId] = ada < bola ? [ada, bola] : [bola, ada];
    expect(forAda).toEqual({
      giftId: expect.stringMatching(/^sgg_/),
      giftType: 'sponsoredPairReward',
      connectionId,
      campaignId: campaign.campaignId,
      brand: expect.objectContaining({ brandId: campaign.brandId, category: 'lounge' }),
      userAId,
      userBId,
      partnerUserId: bola,
      partnerName: 'Bola',
      partnerAvatarUrl: '/media/avatars/bola.png',
      partnerClaimableNow: false,
      triggerType: 'connectionAccepted',
      milestoneMinutes: null,
      minTotalTogetherMinutes: 30,
      minDailyTogetherMinutes: null,
      minDistinctQualifyingDays: 0,
      requireActiveProximityForClaim: false,
      qualifyingTogetherMinutes: 0,
      requiredTogetherMinutes: 30,
      qualifyingDaysCount: 0,
      requiredQualifyingDays: 0,
      claimableNow: false,
      claimStage: 'granted',
      historyStatus: 'pending',
      sponsorConfidenceScore: 50,
      verificationContext: {
        qualifyingTogetherMinutes: 0,
        requiredTogetherMinutes: 30,
        qualifyingDaysCount: 0,
        requiredQualifyingDays: 0,
        totalVerifiedMinutes: 0,
        activeProximityNow: false,
        timeZone: 'Africa/Lagos',
        evaluatedAt: h.clock.nowIso(),
        proximityDataAvailable: true,
        atGrant: {
          qualifyingTogetherMinutes: 0,
          qualifyingDaysCount: 0,
          totalVerifiedMinutes: 0,
          activeProximityNow: false,
          evaluatedAt: h.clock.nowIso(),
        },
        atClaim: null,
      },
      riskSignals: {
        insufficientTogetherTime: true,
        insufficientQualifyingDays: false,
        proximityNotActive: false,
        connectionClosed: false,
        participantBlocked: false,
        participantDeleted: false,
        rewardExpired: false,
        codeExpired: false,
        proximityAnomaly: false,
        proximityUnavailable: false,
      },
      title: 'Date Night Reward',
      description: 'Free appetizer and two mocktails',
      terms: 'Valid while stock lasts',
      rewardImageUrl: null,
      brandTagline: 'Made for two',
      campaignMessage: 'Made for two',
      // No venue name configured: the brand's name.
      venueName: expect.stringMatching(/^Brand /),
      venueAddress: '2 Marina Road, Lagos',
      status: 'active',
      legacyStatus: 'active',
      createdAt: h.clock.nowIso(),
      expiresAt: new Date(h.clock.nowMs() + 7 * 24 * 3600_000).toISOString(),
      codeExpiresAt: null,
    });
    expect(forBola).toMatchObject({ giftId: forAda.giftId, partnerUserId: ada, partnerName: 'Ada', partnerAvatarUrl: 'https://cdn.example.com/ada.png' });
    expect(h.verifiedTimeRequests).toContainEqual({ connectionId, timeZone: 'Africa/Lagos' });
    expect((await campaignOf(campaign.campaignId)).grantedCount).toBe(1);
  });

  it('grants on a milestone only for campaigns that name it, once per milestone', async () => {
    const ada = h.user('Ada');
    const bola = h.user('Bola');
    const campaign = await h.createCampaign({ triggerTypes: ['proximityMilestone'], milestoneMinutes: [15, 60], perPairLimit: 5 });
    const inbox = h.deliveries(ada);
    const connectionId = await h.acceptConnection(ada, bola);

    await h.reachMilestone(connectionId, ada, bola, 5);
    expect(await rewardsOf(campaign.campaignId)).toHaveLength(0);

    await h.reachMilestone(connectionId, bola, ada, 15);
    await h.reachMilestone(connectionId, ada, bola, 15);
    await h.reachMilestone(connectionId, ada, bola, 60);

    expect((await rewardsOf(campaign.campaignId)).map((row) => row.trigger_key)).toEqual([
      `proximityMilestone:${connectionId}:15`,
      `proximityMilestone:${connectionId}:60`,
    ]);
    const granted = await inbox.next('gift.sponsored.granted', (gift) => gift.milestoneMinutes === 15);
    expect(granted).toMatchObject({ triggerType: 'proximityMilestone', milestoneMinutes: 15, campaignId: campaign.campaignId });
  });

  it('grants once when an event is redelivered or the same fact is published again', async () => {
    const ada = h.user('Ada');
    const bola = h.user('Bola');
    const campaign = await h.createCampaign();
    const inbox = h.deliveries(ada);
    const payload = {
      connectionId: newId(IdPrefix.connection),
      requestId: newId(IdPrefix.request),
      userAId: ada < bola ? ada : bola,
      userBId: ada < bola ? bola : ada,
      senderId: ada,
      receiverId: bola,
      connectedLocation: LAGOS,
      acceptedAt: h.clock.nowIso(),
    };

    const eventId = await h.publish(DomainEvent.ConnectionAccepted, payload);
    await h.publish(DomainEvent.ConnectionAccepted, payload, { id: eventId });
    const again = await h.publish(DomainEvent.ConnectionAccepted, payload);
    await h.processed(again);
    await settle(h.nc);

    expect(await rewardsOf(campaign.campaignId)).toHaveLength(1);
    expect(inbox.ofType('gift.sponsored.granted').filter((gift) => gift.campaignId === campaign.campaignId)).toHaveLength(1);
  });

  describe('location check', () => {
    let campaign: CampaignDto;

    beforeEach(async () => {
      campaign = await h.createCampaign({ area: { ...LAGOS, radiusMeters: 1000 }, perPairLimit: 3 });
    });

    it('uses the connection point when there is one', async () => {
      const inside = await h.acceptConnection(h.user('A'), h.user('B'), { connectedLocation: NEAR_LAGOS });
      await h.acceptConnection(h.user('C'), h.user('D'), { connectedLocation: ABUJA });

      expect((await rewardsOf(campaign.campaignId)).map((row) => row.connection_id)).toEqual([inside]);
    });

    it('uses both live positions without a connection point', async () => {
      const [a, b, c, d, e, f] = ['A', 'B', 'C', 'D', 'E', 'F'].map((name) => h.user(name));
      h.setPosition(a, LAGOS);
      h.setPosition(b, NEAR_LAGOS);
      h.setPosition(c, LAGOS);
      h.setPosition(d, ABUJA);

      const bothInside = await h.acceptConnection(a, b, { connectedLocation: null });
      await h.acceptConnection(c, d, { connectedLocation: null });
      await h.acceptConnection(e, f, { connectedLocation: null });

      expect((await rewardsOf(campaign.campaignId)).map((row) => row.connection_id)).toEqual([bothInside]);
    });

    it('uses live positions for a milestone, and the connection point when nobody is live', async () => {
      await h.setCampaignStatus(campaign.campaignId, 'ended');
      const milestones = await h.createCampaign({
        area: { ...LAGOS, radiusMeters: 1000 },
        triggerTypes: ['proximityMilestone'],
        milestoneMinutes: [15],
      });
      const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((name) => h.user(name));
      const movedAway = await h.acceptConnection(a, b, { connectedLocation: LAGOS });
      const offline = await h.acceptConnection(c, d, { connectedLocation: LAGOS });
      h.setPosition(a, ABUJA);
      h.setPosition(b, ABUJA);

      await h.reachMilestone(movedAway, a, b, 15);
      await h.reachMilestone(offline, c, d, 15);

      expect((await rewardsOf(milestones.campaignId)).map((row) => row.connection_id)).toEqual([offline]);
    });
  });

  it('grants only while the campaign is active and scheduled', async () => {
    const future = await h.createCampaign({ startsAt: new Date(h.clock.nowMs() + 3600_000).toISOString() });
    const draft = await h.createCampaign({ status: 'draft' });
    const paused = await h.createCampaign();
    await h.setCampaignStatus(paused.campaignId, 'paused');
    const ending = await h.createCampaign({ endsAt: new Date(h.clock.nowMs() + 60_000).toISOString() });

    await h.acceptConnection(h.user('A'), h.user('B'));
    h.clock.advance(60_000);
    await h.acceptConnection(h.user('C'), h.user('D'));

    expect(await rewardsOf(future.campaignId)).toHaveLength(0);
    expect(await rewardsOf(draft.campaignId)).toHaveLength(0);
    expect(await rewardsOf(paused.campaignId)).toHaveLength(0);
    // Granted before endsAt, not at endsAt.
    expect(await rewardsOf(ending.campaignId)).toHaveLength(1);
  });

  it('never oversells stock under concurrent grants', async () => {
    const campaign = await h.createCampaign({ stock: 3 });

    await grantConcurrently(Array.from({ length: 8 }, () => occurrence(h.user('A'), h.user('B'))));

    expect(await rewardsOf(campaign.campaignId)).toHaveLength(3);
    expect(await campaignOf(campaign.campaignId)).toMatchObject({ grantedCount: 3, remainingStock: 0 });
  });

  it('keeps the per-pair limit and the occurrence key under concurrent grants', async () => {
    const campaign = await h.createCampaign({
      triggerTypes: ['connectionAccepted', 'proximityMilestone'],
      milestoneMinutes: [15],
      perPairLimit: 1,
    });
    const [ada, bola] = [h.user('Ada'), h.user('Bola')];
    const accepted = occurrence(ada, bola);
    const milestone = occurrence(ada, bola, {
      connectionId: accepted.connectionId,
      triggerType: 'proximityMilestone',
      milestoneMinutes: 15,
    });

    await grantConcurrently([accepted, accepted, milestone, milestone]);

    expect(await rewardsOf(campaign.campaignId)).toHaveLength(1);
    expect((await campaignOf(campaign.campaignId)).grantedCount).toBe(1);
  });

  it('keeps the per-user limit across partners under concurrent grants', async () => {
    const campaign = await h.createCampaign({ perUserLimit: 2 });
    const hub = h.user('Hub');

    await grantConcurrently(Array.from({ length: 5 }, () => occurrence(hub, h.user('Partner'))));

    expect(await rewardsOf(campaign.campaignId)).toHaveLength(2);
    expect((await campaignOf(campaign.campaignId)).grantedCount).toBe(2);
  });

  it('grants nothing for a connection that was already closed', async () => {
    const campaign = await h.createCampaign({
      triggerTypes: ['connectionAccepted', 'proximityMilestone'],
      milestoneMinutes: [15],
      perPairLimit: 5,
    });
    const [ada, bola] = [h.user('Ada'), h.user('Bola')];
    const connectionId = newId(IdPrefix.connection);
    const closed = await h.publish(DomainEvent.ConnectionClosed, {
      connectionId,
      userAId: ada,
      userBId: bola,
      closedByUserId: ada,
      closureReason: null,
      closedAt: h.clock.nowIso(),
    });
    await h.processed(closed, 2);

    // The acceptance arrives after the closing (consumers of different events are not ordered).
    await h.acceptConnection(ada, bola, { connectionId });
    await h.reachMilestone(connectionId, ada, bola, 15);

    expect(await rewardsOf(campaign.campaignId)).toHaveLength(0);
  });
});
