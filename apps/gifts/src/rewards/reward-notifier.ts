import { Injectable, Logger } from '@nestjs/common';
import { Deliverer, message } from '@gisbi/platform';
import type { VerifiedTime } from '../eligibility/eligibility';
import { RewardPresenter } from './reward-presenter';
import type { SponsoredGiftEntity } from './sponsored-gift.entity';

type RewardEventType = 'gift.sponsored.granted' | 'gift.sponsored.updated';

/**
 * Tells both users of each reward about it, each with the partner fields computed for them. Runs after
 * the change committed; a failure here is logged, never undone (the change stands and shows in history).
 */
@Injectable()
export class RewardNotifier {
  private readonly logger = new Logger(RewardNotifier.name);

  constructor(
    private readonly presenter: RewardPresenter,
    private readonly deliverer: Deliverer,
  ) {}

  async notify(type: RewardEventType, gifts: SponsoredGiftEntity[], knownTimes?: Map<string, VerifiedTime>): Promise<void> {
    if (gifts.length === 0) return;
    try {
      const context = await this.presenter.prepare(gifts, { knownTimes });
      for (const gift of gifts) {
        for (const userId of [gift.userAId, gift.userBId]) {
          this.deliverer.toUser(userId, message(type, this.presenter.render(gift, userId, context)));
        }
      }
    } catch (error) {
      this.logger.error(
        `could not send ${type} for ${gifts.map((gift) => gift.id).join(', ')}: ${error instanceof Error ? error.stack : String(error)}`,
      );
    }
  }
}
