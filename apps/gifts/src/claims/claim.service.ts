import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ErrorCode, IdPrefix, type SponsoredGift } from '@gisbi/contracts';
import { Clock, DomainError, newId } from '@gisbi/platform';
import { PairConnectionEntity } from '../connections/pair-connection.entity';
import { evaluate, snapshotOf, unmetRules, type Evaluation, type VerifiedTime } from '../eligibility/eligibility';
import { VerifiedTimeClient } from '../eligibility/verified-time.client';
import { circleOf, distanceMeters, formatDistance } from '../geo/geo';
import { PositionsClient } from '../geo/positions.client';
import { RedemptionCodeEntity } from '../rewards/redemption-code.entity';
import { RewardPresenter, rulesOf, timeKeyOf } from '../rewards/reward-presenter';
import { effectiveState } from '../rewards/reward-state';
import { SponsoredGiftEntity } from '../rewards/sponsored-gift.entity';
import { generateRedemptionCode } from './redemption-code';

export interface ClaimOutcome {
  gift: SponsoredGiftEntity;
  code: string;
  /** False when the pair already held a live code and it was handed out again. */
  issued: boolean;
  partnerId: string;
  /** The reward as the claimant and as the partner see it. */
  claimantView: SponsoredGift;
  partnerView: SponsoredGift;
}

const MAX_CODE_ATTEMPTS = 5;

/**
 * gift.claim: a participant asks for the pair's redemption code.
 *
 * - a live code is handed out again (claiming is idempotent, from any device of either participant);
 * - otherwise the reward must be active, its rules met now (verified time in its time zone, active
 *   proximity when required, no proximity anomaly) — else `not_ready` naming what is missing — and, when
 *   the campaign has a venue area, the claimant's live position must be inside it (`distance_exceeded`);
 * - the code is issued in a transaction that locks the reward first and only succeeds if no live code
 *   exists, so two simultaneous claims (both participants at once) yield one code;
 * - the code lives `codeLifetimeMinutes`, never beyond the reward's own expiry.
 */
@Injectable()
export class ClaimService {
  private readonly logger = new Logger(ClaimService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly verifiedTime: VerifiedTimeClient,
    private readonly positions: PositionsClient,
    private readonly presenter: RewardPresenter,
    private readonly clock: Clock,
  ) {}

  async claim(userId: string, giftId: string): Promise<ClaimOutcome> {
    const gift = await this.dataSource.manager.findOneBy(SponsoredGiftEntity, { id: giftId });
    if (!gift || (gift.userAId !== userId && gift.userBId !== userId)) {
      throw DomainError.notFound(ErrorCode.gift_not_found, 'No such reward among yours');
    }
    const existing = await this.liveCode(this.dataSource.manager, gift);
    if (existing) return this.outcome(gift, userId, existing.code, false);
    this.assertClaimable(gift, this.clock.now());

    const connection = await this.dataSource.manager.findOneBy(PairConnectionEntity, { connectionId: gift.connectionId });
    if (connection?.closedAt) throw DomainError.forbidden(ErrorCode.not_allowed, 'The connection of this reward was closed');
    const time = await this.verifiedTime.get(gift.connectionId, gift.timeZone);
    const evaluation = evaluate(rulesOf(gift), time);
    if (!evaluation.rulesMet) {
      throw new DomainError(ErrorCode.not_ready, `Not claimable yet: ${unmetRules(evaluation).join('; ')}`, 409);
    }
    await this.assertAtVenue(gift, userId);

    const issued = await this.dataSource.transaction((manager) => this.issue(manager, giftId, userId, evaluation));
    if (issued.existing) return this.outcome(issued.gift, userId, issued.code, false);
    this.logger.log(`reward ${giftId} claimed by ${userId}`);
    return this.outcome(issued.gift, userId, issued.code, true, new Map([[timeKeyOf(gift), time]]));
  }

  private async issue(
    manager: EntityManager,
    giftId: string,
    userId: string,
    evaluation: Evaluation,
  ): Promise<{ gift: SponsoredGiftEntity; code: string; existing: boolean }> {
    const now = this.clock.now();
    const gift = await manager.findOne(SponsoredGiftEntity, { where: { id: giftId }, lock: { mode: 'pessimistic_write' } });
    if (!gift) throw DomainError.notFound(ErrorCode.gift_not_found, 'No such reward among yours');
    // The partner may have claimed while we evaluated: hand out their code.
    const live = await this.liveCode(manager, gift);
    if (live) return { gift, code: live.code, existing: true };
    this.assertClaimable(gift, now);
    // A code that lapsed before the expiry job saw it.
    await manager.query(`UPDATE redemption_codes SET status = 'expired' WHERE gift_id = $1 AND status = 'active'`, [gift.id]);

    const expiresAt = new Date(
      Math.min(now.getTime() + gift.codeLifetimeMinutes * 60_000, gift.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY),
    );
    const codeId = newId(IdPrefix.redemption, now.getTime());
    let code: string | undefined;
    for (let attempt = 0; attempt < MAX_CODE_ATTEMPTS && code === undefined; attempt++) {
      const candidate = generateRedemptionCode();
      const inserted = (await manager.query(
        `INSERT INTO redemption_codes (id, gift_id, brand_id, code, claimed_by_user_id, status, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $7)
         ON CONFLICT (code) DO NOTHING RETURNING id`,
        [codeId, gift.id, gift.brandId, candidate, userId, now, expiresAt],
      )) as unknown[];
      if (inserted.length > 0) code = candidate;
    }
    if (code === undefined) throw new Error(`no free redemption code after ${MAX_CODE_ATTEMPTS} attempts`);

    gift.activeCodeId = codeId;
    gift.codeExpiresAt = expiresAt;
    gift.verifiedAt = now;
    gift.claimSnapshot = snapshotOf(evaluation, now);
    await manager.update(
      SponsoredGiftEntity,
      { id: gift.id },
      { activeCodeId: codeId, codeExpiresAt: expiresAt, verifiedAt: now, claimSnapshot: gift.claimSnapshot },
    );
    return { gift, code, existing: false };
  }

  private async liveCode(manager: EntityManager, gift: SponsoredGiftEntity): Promise<RedemptionCodeEntity | null> {
    if (!effectiveState(gift, this.clock.now()).hasLiveCode || gift.activeCodeId === null) return null;
    return manager.findOneBy(RedemptionCodeEntity, { id: gift.activeCodeId, status: 'active' });
  }

  private assertClaimable(gift: SponsoredGiftEntity, now: Date): void {
    const state = effectiveState(gift, now);
    if (state.status === 'redeemed') throw DomainError.conflict(ErrorCode.already_redeemed, 'This reward was already redeemed');
    if (state.status === 'expired') throw new DomainError(ErrorCode.gift_expired, 'This reward has expired', 410);
    if (state.status === 'cancelled') {
      throw DomainError.forbidden(ErrorCode.not_allowed, 'This reward was cancelled and can no longer be claimed');
    }
  }

  /** When the campaign names a venue area, the claimant must be inside it now (live position from presence). */
  private async assertAtVenue(gift: SponsoredGiftEntity, userId: string): Promise<void> {
    const venue = circleOf(gift.claimLat, gift.claimLng, gift.claimRadiusMeters);
    if (!venue) return;
    const position = (await this.positions.positions([userId])).get(userId) ?? null;
    if (!position) {
      throw DomainError.forbidden(
        ErrorCode.distance_exceeded,
        'This reward is claimed at the venue: share your live location (presence.location_update) there',
      );
    }
    const distance = distanceMeters(position, venue);
    if (distance > venue.radiusMeters) {
      throw DomainError.forbidden(
        ErrorCode.distance_exceeded,
        `You are ${formatDistance(distance)} from the venue; come within ${formatDistance(venue.radiusMeters)} to claim`,
      );
    }
  }

  private async outcome(
    gift: SponsoredGiftEntity,
    claimantId: string,
    code: string,
    issued: boolean,
    knownTimes?: Map<string, VerifiedTime>,
  ): Promise<ClaimOutcome> {
    const context = await this.presenter.prepare([gift], { knownTimes });
    const partnerId = gift.userAId === claimantId ? gift.userBId : gift.userAId;
    return {
      gift,
      code,
      issued,
      partnerId,
      claimantView: this.presenter.render(gift, claimantId, context),
      partnerView: this.presenter.render(gift, partnerId, context),
    };
  }
}
