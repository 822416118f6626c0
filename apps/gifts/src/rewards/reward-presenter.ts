import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, Not, type EntityManager } from 'typeorm';
import { RiskSignal, type Brand, type RiskSignals, type SponsoredGift } from '@gisbi/contracts';
import { Clock, DomainError, UserDirectory, type DirectoryUser } from '@gisbi/platform';
import { BrandEntity } from '../brands/brand.entity';
import { PairConnectionEntity } from '../connections/pair-connection.entity';
import {
  evaluate,
  evaluationFromSnapshot,
  publicSnapshot,
  unavailableTime,
  type Evaluation,
  type ProximityRules,
  type VerifiedTime,
} from '../eligibility/eligibility';
import { VerifiedTimeClient } from '../eligibility/verified-time.client';
import { claimStageOf, effectiveState, historyStatusOf } from './reward-state';
import type { SponsoredGiftEntity } from './sponsored-gift.entity';

/** Everything needed to render a batch of rewards, loaded with one query or request per kind. */
export interface PresentationContext {
  now: Date;
  brands: Map<string, Brand>;
  /** Profiles of the participants; empty when auth could not be asked (partner fields are then null). */
  users: Map<string, DirectoryUser>;
  closedConnections: Set<string>;
  /** Verified time of live rewards, by VerifiedTimeClient.keyOf. */
  times: Map<string, VerifiedTime>;
}

export function rulesOf(gift: SponsoredGiftEntity): ProximityRules {
  return {
    minTotalTogetherMinutes: gift.minTotalTogetherMinutes,
    minDailyTogetherMinutes: gift.minDailyTogetherMinutes,
    minDistinctQualifyingDays: gift.minDistinctQualifyingDays,
    requireActiveProximityForClaim: gift.requireActiveProximityForClaim,
  };
}

export function timeKeyOf(gift: SponsoredGiftEntity): string {
  return VerifiedTimeClient.keyOf({ connectionId: gift.connectionId, timeZone: gift.timeZone });
}

/**
 * Turns stored rewards into the contract's SponsoredGift for one viewer: partner fields for that viewer,
 * eligibility evaluated live for rewards still in play (from proximity's verified time in the reward's
 * time zone) and from the last stored evaluation for finished ones, risk signals, stage and labels.
 */
@Injectable()
export class RewardPresenter {
  private readonly logger = new Logger(RewardPresenter.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly directory: UserDirectory,
    private readonly verifiedTime: VerifiedTimeClient,
    private readonly clock: Clock,
  ) {}

  async forViewer(viewerId: string, gifts: SponsoredGiftEntity[]): Promise<SponsoredGift[]> {
    const context = await this.prepare(gifts);
    return gifts.map((gift) => this.render(gift, viewerId, context));
  }

  async prepare(
    gifts: SponsoredGiftEntity[],
    options: { knownTimes?: Map<string, VerifiedTime>; manager?: EntityManager } = {},
  ): Promise<PresentationContext> {
    const now = this.clock.now();
    const manager = options.manager ?? this.dataSource.manager;
    if (gifts.length === 0) {
      return { now, brands: new Map(), users: new Map(), closedConnections: new Set(), times: new Map() };
    }
    const live = gifts.filter((gift) => effectiveState(gift, now).status === 'active');
    const known = options.knownTimes ?? new Map<string, VerifiedTime>();
    const [brands, users, closed, fetched] = await Promise.all([
      manager.findBy(BrandEntity, { id: In([...new Set(gifts.map((gift) => gift.brandId))]) }),
      this.loadUsers(gifts.flatMap((gift) => [gift.userAId, gift.userBId])),
      manager.findBy(PairConnectionEntity, {
        connectionId: In([...new Set(live.map((gift) => gift.connectionId))]),
        closedAt: Not(IsNull()),
      }),
      this.verifiedTime.getMany(
        live
          .filter((gift) => !known.has(timeKeyOf(gift)))
          .map((gift) => ({ connectionId: gift.connectionId, timeZone: gift.timeZone })),
      ),
    ]);
    return {
      now,
      brands: new Map(brands.map((brand) => [brand.id, toBrand(brand)])),
      users,
      closedConnections: new Set(closed.map((connection) => connection.connectionId)),
      times: new Map([...known, ...fetched]),
    };
  }

  /** The evaluation a reward is presented with (live, or the stored one for a finished reward). */
  evaluationOf(gift: SponsoredGiftEntity, context: PresentationContext): Evaluation {
    const state = effectiveState(gift, context.now);
    if (state.status === 'active') return evaluate(rulesOf(gift), context.times.get(timeKeyOf(gift)) ?? unavailableTime());
    return evaluationFromSnapshot(rulesOf(gift), gift.claimSnapshot ?? gift.grantSnapshot);
  }

  render(gift: SponsoredGiftEntity, viewerId: string, context: PresentationContext): SponsoredGift {
    const brand = context.brands.get(gift.brandId);
    if (!brand) throw new Error(`brand ${gift.brandId} of reward ${gift.id} is missing`);
    const state = effectiveState(gift, context.now);
    const evaluation = this.evaluationOf(gift, context);
    const live = state.status === 'active';
    const evaluatedAt = live ? context.now.toISOString() : (gift.claimSnapshot ?? gift.grantSnapshot).evaluatedAt;
    const connectionClosed = context.closedConnections.has(gift.connectionId) || gift.cancelReason === 'connection_closed';
    const partnerUserId = viewerId === gift.userAId ? gift.userBId : gift.userAId;
    const partner = context.users.get(partnerUserId);
    const visiblePartner = partner && !partner.deleted ? partner : undefined;
    const claimableNow = live && !connectionClosed && evaluation.rulesMet;
    const riskSignals: RiskSignals = {
      ...evaluation.fraudSignals,
      [RiskSignal.insufficientTogetherTime]: !evaluation.enoughTime,
      [RiskSignal.insufficientQualifyingDays]: !evaluation.enoughDays,
      [RiskSignal.proximityNotActive]: !evaluation.activeRuleMet,
      [RiskSignal.connectionClosed]: connectionClosed,
      [RiskSignal.participantBlocked]: gift.cancelReason === 'participant_blocked',
      [RiskSignal.participantDeleted]: gift.cancelReason === 'participant_deleted' || partner?.deleted === true,
      [RiskSignal.rewardExpired]: state.status === 'expired',
      [RiskSignal.codeExpired]: !state.hasLiveCode && gift.lastCodeExpiredAt !== null && state.status !== 'redeemed',
      [RiskSignal.proximityAnomaly]: evaluation.anomaly,
      [RiskSignal.proximityUnavailable]: !evaluation.proximityAvailable,
    };
    return {
      giftId: gift.id,
      giftType: 'sponsoredPairReward',
      connectionId: gift.connectionId,
      campaignId: gift.campaignId,
      brand,
      userAId: gift.userAId,
      userBId: gift.userBId,
      partnerUserId,
      partnerName: visiblePartner?.name ?? null,
      partnerAvatarUrl: visiblePartner?.avatar ?? null,
      partnerClaimableNow: claimableNow,
      triggerType: gift.triggerType,
      milestoneMinutes: gift.milestoneMinutes,
      minTotalTogetherMinutes: gift.minTotalTogetherMinutes,
      minDailyTogetherMinutes: gift.minDailyTogetherMinutes,
      minDistinctQualifyingDays: gift.minDistinctQualifyingDays,
      requireActiveProximityForClaim: gift.requireActiveProximityForClaim,
      qualifyingTogetherMinutes: evaluation.qualifyingTogetherMinutes,
      requiredTogetherMinutes: evaluation.requiredTogetherMinutes,
      qualifyingDaysCount: evaluation.qualifyingDaysCount,
      requiredQualifyingDays: evaluation.requiredQualifyingDays,
      claimableNow,
      claimStage: claimStageOf(state),
      historyStatus: historyStatusOf(state, claimableNow),
      sponsorConfidenceScore: evaluation.sponsorConfidenceScore,
      verificationContext: {
        qualifyingTogetherMinutes: evaluation.qualifyingTogetherMinutes,
        requiredTogetherMinutes: evaluation.requiredTogetherMinutes,
        qualifyingDaysCount: evaluation.qualifyingDaysCount,
        requiredQualifyingDays: evaluation.requiredQualifyingDays,
        totalVerifiedMinutes: evaluation.totalVerifiedMinutes,
        activeProximityNow: evaluation.activeNow,
        timeZone: gift.timeZone,
        evaluatedAt,
        proximityDataAvailable: evaluation.proximityAvailable,
        atGrant: publicSnapshot(gift.grantSnapshot),
        atClaim: gift.claimSnapshot ? publicSnapshot(gift.claimSnapshot) : null,
      },
      riskSignals,
      title: gift.title,
      description: gift.description,
      terms: gift.terms,
      rewardImageUrl: gift.rewardImageUrl,
      brandTagline: gift.tagline,
      campaignMessage: gift.tagline,
      venueName: gift.venueName ?? brand.name,
      venueAddress: gift.venueAddress,
      status: state.status,
      legacyStatus: state.status,
      createdAt: gift.createdAt.toISOString(),
      expiresAt: gift.expiresAt?.toISOString() ?? null,
      codeExpiresAt: gift.codeExpiresAt?.toISOString() ?? null,
    };
  }

  private async loadUsers(userIds: string[]): Promise<Map<string, DirectoryUser>> {
    try {
      return await this.directory.getMany(userIds);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.logger.warn(`user directory unavailable (${error.code}): partner fields left empty`);
      return new Map();
    }
  }
}

export function toBrand(entity: BrandEntity): Brand {
  return { brandId: entity.id, name: entity.name, slug: entity.slug, logo: entity.logo, category: entity.category };
}
