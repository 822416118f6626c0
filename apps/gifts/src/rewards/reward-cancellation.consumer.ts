import { Injectable } from '@nestjs/common';
import {
  DomainEvent,
  type ConnectionClosedEvent,
  type UserBlockedEvent,
  type UserDeletedEvent,
} from '@gisbi/contracts';
import { OnDomainEvent, type DomainEventContext } from '@gisbi/platform';
import { RewardCancellation } from './reward-cancellation';
import { RewardNotifier } from './reward-notifier';
import { pairKeyOf } from './reward-state';
import type { SponsoredGiftEntity } from './sponsored-gift.entity';

/**
 * A reward belongs to a connected pair: when the connection closes, one participant blocks the other or
 * deletes the account, its active rewards are cancelled (historyStatus `disqualified`, with the reason in
 * riskSignals) and both users are told with gift.sponsored.updated.
 */
@Injectable()
export class RewardCancellationConsumer {
  constructor(
    private readonly cancellation: RewardCancellation,
    private readonly notifier: RewardNotifier,
  ) {}

  @OnDomainEvent(DomainEvent.ConnectionClosed)
  async onConnectionClosed(event: ConnectionClosedEvent, context: DomainEventContext): Promise<void> {
    this.announce(context, await this.cancellation.cancel(context.manager, { connectionId: event.connectionId }, 'connection_closed'));
  }

  @OnDomainEvent(DomainEvent.UserBlocked)
  async onUserBlocked(event: UserBlockedEvent, context: DomainEventContext): Promise<void> {
    const pairKey = pairKeyOf(event.blockerId, event.blockedId);
    this.announce(context, await this.cancellation.cancel(context.manager, { pairKey }, 'participant_blocked'));
  }

  @OnDomainEvent(DomainEvent.UserDeleted)
  async onUserDeleted(event: UserDeletedEvent, context: DomainEventContext): Promise<void> {
    this.announce(context, await this.cancellation.cancel(context.manager, { userId: event.userId }, 'participant_deleted'));
  }

  private announce(context: DomainEventContext, gifts: SponsoredGiftEntity[]): void {
    if (gifts.length > 0) context.afterCommit(() => this.notifier.notify('gift.sponsored.updated', gifts));
  }
}
