import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { ErrorCode, type VenueRedemptionDto } from '@gisbi/contracts';
import { Clock, DomainError } from '@gisbi/platform';
import { VenueKeyEntity } from '../brands/venue-key.entity';
import { hashVenueKey, looksLikeVenueKey } from '../brands/venue-key-secret';
import { isWellFormedCode, normalizeRedemptionCode } from '../claims/redemption-code';
import { VerifiedTimeClient } from '../eligibility/verified-time.client';
import { RedemptionCodeEntity } from '../rewards/redemption-code.entity';
import { RewardNotifier } from '../rewards/reward-notifier';
import { SponsoredGiftEntity } from '../rewards/sponsored-gift.entity';

/**
 * How a venue honours a reward: staff type the code the pair shows into their till or tablet, which calls
 * `GET /venue/redemptions/:code` to see what it is for, then `POST /venue/redemptions {code}` to redeem it,
 * authenticated with the venue key of their brand. A code from another brand is "not found" (no oracle);
 * a code is redeemed exactly once, however many tills try at the same moment.
 */
@Injectable()
export class VenueRedemptionService {
  private readonly logger = new Logger(VenueRedemptionService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly verifiedTime: VerifiedTimeClient,
    private readonly notifier: RewardNotifier,
    private readonly clock: Clock,
  ) {}

  async lookup(venueKey: unknown, rawCode: unknown): Promise<VenueRedemptionDto> {
    const venue = await this.venue(venueKey);
    const { code, gift } = await this.find(venue, rawCode);
    return this.describe(code, gift);
  }

  async redeem(venueKey: unknown, rawCode: unknown): Promise<VenueRedemptionDto> {
    const venue = await this.venue(venueKey);
    const found = await this.find(venue, rawCode);
    this.assertRedeemable(found.code, this.clock.now());
    if (found.gift.requireActiveProximityForClaim) {
      const time = await this.verifiedTime.get(found.gift.connectionId, found.gift.timeZone);
      if (!time.activeNow) {
        throw new DomainError(
          ErrorCode.not_ready,
          'This reward is redeemed while the pair is together: they must be in an active proximity session now',
          409,
        );
      }
    }
    const redeemed = await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      // Reward first, then its code: the lock order of every writer.
      const gift = await manager.findOne(SponsoredGiftEntity, {
        where: { id: found.gift.id },
        lock: { mode: 'pessimistic_write' },
      });
      const [, codeRows] = (await manager.query(
        `UPDATE redemption_codes SET status = 'redeemed', redeemed_at = $2, venue_key_id = $3
          WHERE id = $1 AND status = 'active' AND expires_at > $2`,
        [found.code.id, now, venue.id],
      )) as [unknown[], number];
      if (codeRows === 0 || !gift) return null;
      const [, giftRows] = (await manager.query(
        `UPDATE sponsored_gifts SET status = 'redeemed', redeemed_at = $2
          WHERE id = $1 AND status = 'active' AND active_code_id = $3 AND (expires_at IS NULL OR expires_at > $2)`,
        [gift.id, now, found.code.id],
      )) as [unknown[], number];
      if (giftRows === 0) throw new DomainError(ErrorCode.gift_expired, 'This reward is no longer valid', 410);
      return manager.findOneByOrFail(SponsoredGiftEntity, { id: gift.id });
    });
    const code = await this.dataSource.manager.findOneByOrFail(RedemptionCodeEntity, { id: found.code.id });
    if (!redeemed) {
      // Someone else redeemed it a moment ago, or it lapsed: answer what it is now.
      this.assertRedeemable(code, this.clock.now());
      throw DomainError.conflict(ErrorCode.already_redeemed, 'This code was already redeemed');
    }
    this.logger.log(`reward ${redeemed.id} redeemed with venue key ${venue.id}`);
    await this.notifier.notify('gift.sponsored.updated', [redeemed]);
    return this.describe(code, redeemed);
  }

  private async venue(venueKey: unknown): Promise<VenueKeyEntity> {
    const venue =
      typeof venueKey === 'string' && looksLikeVenueKey(venueKey)
        ? await this.dataSource.manager.findOneBy(VenueKeyEntity, { keyHash: hashVenueKey(venueKey), revokedAt: IsNull() })
        : null;
    if (!venue) {
      throw DomainError.unauthorized(ErrorCode.unauthorized, 'A valid venue key is required (Authorization: Bearer <venue key>)');
    }
    return venue;
  }

  private async find(
    venue: VenueKeyEntity,
    rawCode: unknown,
  ): Promise<{ code: RedemptionCodeEntity; gift: SponsoredGiftEntity }> {
    const normalized = typeof rawCode === 'string' ? normalizeRedemptionCode(rawCode) : '';
    const code = isWellFormedCode(normalized)
      ? await this.dataSource.manager.findOneBy(RedemptionCodeEntity, { code: normalized })
      : null;
    const gift = code && code.brandId === venue.brandId
      ? await this.dataSource.manager.findOneBy(SponsoredGiftEntity, { id: code.giftId })
      : null;
    if (!code || !gift) {
      throw DomainError.notFound(ErrorCode.invalid_redemption_code, 'No reward of your brand has this code');
    }
    return { code, gift };
  }

  private assertRedeemable(code: RedemptionCodeEntity, now: Date): void {
    if (code.status === 'redeemed') throw DomainError.conflict(ErrorCode.already_redeemed, 'This code was already redeemed');
    if (code.status === 'void') throw new DomainError(ErrorCode.gift_expired, 'This reward is no longer valid', 410);
    if (code.status === 'expired' || code.expiresAt.getTime() <= now.getTime()) {
      throw new DomainError(ErrorCode.code_expired, 'This code has expired; the pair can claim the reward again for a new one', 410);
    }
  }

  private describe(code: RedemptionCodeEntity, gift: SponsoredGiftEntity): VenueRedemptionDto {
    const now = this.clock.now();
    const state =
      code.status === 'redeemed'
        ? 'redeemed'
        : code.status === 'active' && code.expiresAt.getTime() > now.getTime()
          ? 'redeemable'
          : 'expired';
    return {
      code: code.code,
      state,
      giftId: gift.id,
      campaignId: gift.campaignId,
      brandId: gift.brandId,
      title: gift.title,
      description: gift.description,
      terms: gift.terms,
      venueName: gift.venueName,
      venueAddress: gift.venueAddress,
      codeExpiresAt: code.expiresAt.toISOString(),
      redeemedAt: code.redeemedAt?.toISOString() ?? null,
    };
  }
}
