import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IdPrefix, type ConnectedLocation, type SponsoredGiftTriggerType } from '@gisbi/contracts';
import { Clock, newId } from '@gisbi/platform';
import { CampaignEntity } from '../campaigns/campaign.entity';
import { evaluate, snapshotOf, unavailableTime, type VerifiedTime } from '../eligibility/eligibility';
import { VerifiedTimeClient } from '../eligibility/verified-time.client';
import { circleOf, isInside, type GeoPoint } from '../geo/geo';
import { PositionsClient } from '../geo/positions.client';
import { orderedPair, pairKeyOf } from '../rewards/reward-state';
import { SponsoredGiftEntity } from '../rewards/sponsored-gift.entity';

/** One thing that happened to a pair and may earn rewards: an accepted connection or a reached milestone. */
export interface TriggerOccurrence {
  triggerType: SponsoredGiftTriggerType;
  connectionId: string;
  userAId: string;
  userBId: string;
  /** For proximityMilestone: the minutes reached. */
  milestoneMinutes: number | null;
  occurredAt: Date;
  /** Where the pair connected, when known. */
  connectedLocation: ConnectedLocation | null;
}

export interface GrantOutcome {
  gifts: SponsoredGiftEntity[];
  /** The verified time each grant was evaluated with (by VerifiedTimeClient.keyOf). */
  times: Map<string, VerifiedTime>;
}

interface GrantCounts {
  pair: number;
  occurrence: number;
  first_user: number;
  second_user: number;
}

/**
 * Evaluates the active campaigns for one trigger occurrence and grants their rewards, inside the caller's
 * transaction (the domain-event transaction that also records the event as processed):
 *
 * 1. campaigns that are active, scheduled at the occurrence time and triggered by it (oldest first);
 * 2. the location check, for campaigns with an area: the connection point for an accepted connection
 *    (else the pair's live positions); the live positions for a milestone (else the connection point);
 *    at least one point must be known and every known point must lie inside the area;
 * 3. per campaign, under transaction-scoped advisory locks on (campaign, user) for both users — taken in
 *    a fixed order so concurrent grants never deadlock — the occurrence must not have been rewarded yet,
 *    and the per-pair and per-user limits must leave room (every grant counts, whatever became of it);
 * 4. stock is taken with `UPDATE … SET granted_count = granted_count + 1 WHERE granted_count < stock`,
 *    which cannot oversell however many grants race (a CHECK constraint backs it);
 * 5. the reward is inserted with the campaign's rules and texts copied; the unique
 *    (campaign, pair, occurrence) index makes a second grant for the same occurrence impossible.
 */
@Injectable()
export class GrantService {
  private readonly logger = new Logger(GrantService.name);

  constructor(
    private readonly positions: PositionsClient,
    private readonly verifiedTime: VerifiedTimeClient,
    private readonly clock: Clock,
  ) {}

  async grant(manager: EntityManager, occurrence: TriggerOccurrence): Promise<GrantOutcome> {
    const [userAId, userBId] = orderedPair(occurrence.userAId, occurrence.userBId);
    const candidates = await this.candidates(manager, occurrence);
    if (candidates.length === 0) return { gifts: [], times: new Map() };

    const located = await this.withinArea(candidates, occurrence);
    if (located.length === 0) return { gifts: [], times: new Map() };

    const times = await this.verifiedTime.getMany(
      located.map((campaign) => ({ connectionId: occurrence.connectionId, timeZone: campaign.timeZone })),
    );
    const now = this.clock.now();
    const pairKey = pairKeyOf(userAId, userBId);
    const triggerKey =
      occurrence.triggerType === 'connectionAccepted'
        ? `connectionAccepted:${occurrence.connectionId}`
        : `proximityMilestone:${occurrence.connectionId}:${occurrence.milestoneMinutes}`;
    const gifts: SponsoredGiftEntity[] = [];

    for (const campaign of located) {
      for (const userId of [userAId, userBId]) {
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [campaign.id, userId]);
      }
      const [counts] = (await manager.query(
        `SELECT count(*) FILTER (WHERE pair_key = $2)::int AS pair,
                count(*) FILTER (WHERE pair_key = $2 AND trigger_key = $3)::int AS occurrence,
                count(*) FILTER (WHERE user_a_id = $4 OR user_b_id = $4)::int AS first_user,
                count(*) FILTER (WHERE user_a_id = $5 OR user_b_id = $5)::int AS second_user
           FROM sponsored_gifts
          WHERE campaign_id = $1 AND (user_a_id = ANY($6) OR user_b_id = ANY($6))`,
        [campaign.id, pairKey, triggerKey, userAId, userBId, [userAId, userBId]],
      )) as GrantCounts[];
      const skip = this.limitReached(campaign, counts);
      if (skip) {
        this.logger.debug(`campaign ${campaign.id}: no reward for ${triggerKey} (${skip})`);
        continue;
      }
      const taken = (await manager.query(
        `UPDATE campaigns SET granted_count = granted_count + 1
          WHERE id = $1 AND status = 'active' AND (stock IS NULL OR granted_count < stock)
          RETURNING granted_count`,
        [campaign.id],
      )) as [unknown[], number];
      if (taken[1] === 0) {
        this.logger.debug(`campaign ${campaign.id}: no reward for ${triggerKey} (out of stock)`);
        continue;
      }
      const time = times.get(VerifiedTimeClient.keyOf({ connectionId: occurrence.connectionId, timeZone: campaign.timeZone }));
      const rules = {
        minTotalTogetherMinutes: campaign.minTotalTogetherMinutes,
        minDailyTogetherMinutes: campaign.minDailyTogetherMinutes,
        minDistinctQualifyingDays: campaign.minDistinctQualifyingDays,
        requireActiveProximityForClaim: campaign.requireActiveProximityForClaim,
      };
      const gift = manager.create(SponsoredGiftEntity, {
        id: newId(IdPrefix.sponsoredGift, now.getTime()),
        campaignId: campaign.id,
        brandId: campaign.brandId,
        connectionId: occurrence.connectionId,
        userAId,
        userBId,
        pairKey,
        triggerType: occurrence.triggerType,
        milestoneMinutes: occurrence.triggerType === 'proximityMilestone' ? occurrence.milestoneMinutes : null,
        triggerKey,
        ...rules,
        timeZone: campaign.timeZone,
        claimLat: campaign.claimLat,
        claimLng: campaign.claimLng,
        claimRadiusMeters: campaign.claimRadiusMeters,
        codeLifetimeMinutes: campaign.codeLifetimeMinutes,
        title: campaign.title,
        description: campaign.description,
        terms: campaign.terms,
        rewardImageUrl: campaign.rewardImageUrl,
        tagline: campaign.tagline,
        venueName: campaign.venueName,
        venueAddress: campaign.venueAddress,
        status: 'active',
        createdAt: now,
        expiresAt:
          campaign.rewardLifetimeMinutes === null ? null : new Date(now.getTime() + campaign.rewardLifetimeMinutes * 60_000),
        activeCodeId: null,
        codeExpiresAt: null,
        verifiedAt: null,
        lastCodeExpiredAt: null,
        redeemedAt: null,
        expiredAt: null,
        cancelledAt: null,
        cancelReason: null,
        grantSnapshot: snapshotOf(evaluate(rules, time ?? unavailableTime()), now),
        claimSnapshot: null,
      });
      await manager.insert(SponsoredGiftEntity, gift);
      gifts.push(gift);
      this.logger.log(`granted ${gift.id} (campaign ${campaign.id}, ${triggerKey}) to ${userAId} and ${userBId}`);
    }
    return { gifts, times };
  }

  private async candidates(manager: EntityManager, occurrence: TriggerOccurrence): Promise<CampaignEntity[]> {
    const query = manager
      .createQueryBuilder(CampaignEntity, 'c')
      .where(`c.status = 'active'`)
      .andWhere('(c.startsAt IS NULL OR c.startsAt <= :at)', { at: occurrence.occurredAt })
      .andWhere('(c.endsAt IS NULL OR c.endsAt > :at)', { at: occurrence.occurredAt });
    if (occurrence.triggerType === 'connectionAccepted') {
      query.andWhere('c.triggerConnectionAccepted = true');
    } else {
      query.andWhere(':minutes = ANY(c.milestoneMinutes)', { minutes: occurrence.milestoneMinutes });
    }
    return query.orderBy('c.createdAt', 'ASC').addOrderBy('c.id', 'ASC').getMany();
  }

  private async withinArea(campaigns: CampaignEntity[], occurrence: TriggerOccurrence): Promise<CampaignEntity[]> {
    if (campaigns.every((campaign) => campaign.areaLat === null)) return campaigns;
    const points = await this.pairPoints(occurrence);
    return campaigns.filter((campaign) => {
      const area = circleOf(campaign.areaLat, campaign.areaLng, campaign.areaRadiusMeters);
      if (!area) return true;
      const inside = points.length > 0 && points.every((point) => isInside(point, area));
      if (!inside) this.logger.debug(`campaign ${campaign.id}: pair of ${occurrence.connectionId} outside its area`);
      return inside;
    });
  }

  /** Throws when presence cannot answer, so the event is retried rather than judged without a location. */
  private async pairPoints(occurrence: TriggerOccurrence): Promise<GeoPoint[]> {
    if (occurrence.triggerType === 'connectionAccepted' && occurrence.connectedLocation) {
      return [occurrence.connectedLocation];
    }
    const positions = await this.positions.positions([occurrence.userAId, occurrence.userBId]);
    const known = [...positions.values()].filter((point): point is GeoPoint => point !== null);
    if (known.length > 0) return known;
    return occurrence.connectedLocation ? [occurrence.connectedLocation] : [];
  }

  private limitReached(campaign: CampaignEntity, counts: GrantCounts | undefined): string | null {
    if (!counts) return null;
    if (counts.occurrence > 0) return 'already rewarded';
    if (counts.pair >= campaign.perPairLimit) return 'pair limit reached';
    if (
      campaign.perUserLimit !== null &&
      (counts.first_user >= campaign.perUserLimit || counts.second_user >= campaign.perUserLimit)
    ) {
      return 'user limit reached';
    }
    return null;
  }
}
