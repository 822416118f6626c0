import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { Clock } from '@gisbi/platform';
import { SponsoredGiftEntity, type CancelReason } from './sponsored-gift.entity';

/** Which active rewards to cancel. */
export type CancelScope = { connectionId: string } | { pairKey: string } | { userId: string };

/**
 * Cancels rewards that can no longer be honoured: still active, not yet due to expire. Locks the rewards
 * before their codes (the order every writer uses), voids a live code, and returns the cancelled rewards.
 */
@Injectable()
export class RewardCancellation {
  constructor(private readonly clock: Clock) {}

  async cancel(manager: EntityManager, scope: CancelScope, reason: CancelReason): Promise<SponsoredGiftEntity[]> {
    const now = this.clock.now();
    const [condition, value] =
      'connectionId' in scope
        ? ['connection_id = $1', scope.connectionId]
        : 'pairKey' in scope
          ? ['pair_key = $1', scope.pairKey]
          : ['(user_a_id = $1 OR user_b_id = $1)', scope.userId];
    const [rows] = (await manager.query(
      `WITH target AS (
         SELECT id FROM sponsored_gifts
          WHERE ${condition} AND status = 'active' AND (expires_at IS NULL OR expires_at > $2)
          ORDER BY id FOR UPDATE
       ), voided AS (
         UPDATE redemption_codes c SET status = 'void' FROM target WHERE c.gift_id = target.id AND c.status = 'active'
       )
       UPDATE sponsored_gifts g SET status = 'cancelled', cancelled_at = $2, cancel_reason = $3
         FROM target WHERE g.id = target.id
       RETURNING g.id`,
      [value, now, reason],
    )) as [Array<{ id: string }>, number];
    if (rows.length === 0) return [];
    return manager.findBy(SponsoredGiftEntity, { id: In(rows.map((row) => row.id)) });
  }
}
