import { Injectable } from '@nestjs/common';
import {
  DomainEvent,
  type ConnectionAcceptedEvent,
  type ConnectionClosedEvent,
  type UserBlockedEvent,
  type UserDeletedEvent,
  type UserUnblockedEvent,
} from '@gisbi/contracts';
import { OnDomainEvent, type DomainEventContext } from '@gisbi/platform';
import { LocationShares } from '../relay/location-shares';
import { orderPair, recordAcceptedConnection } from './relationship-state';

/**
 * Keeps chat's projections of other services' facts. Each event is applied once (the platform records
 * its id in the same transaction), and in any order: a connection only ever goes active → closed, and
 * block state keeps the newest (at, event id), so a late older event never overrides a newer one.
 */
@Injectable()
export class RelationshipProjections {
  constructor(private readonly shares: LocationShares) {}

  @OnDomainEvent(DomainEvent.ConnectionAccepted)
  async onConnectionAccepted(event: ConnectionAcceptedEvent, context: DomainEventContext): Promise<void> {
    await recordAcceptedConnection(context.manager, event);
  }

  @OnDomainEvent(DomainEvent.ConnectionClosed)
  async onConnectionClosed(event: ConnectionClosedEvent, context: DomainEventContext): Promise<void> {
    const [low, high] = orderPair(event.userAId, event.userBId);
    await context.manager.query(
      `INSERT INTO pair_connections (connection_id, user_low, user_high, status, closed_at)
       VALUES ($1, $2, $3, 'closed', $4)
       ON CONFLICT (connection_id) DO UPDATE SET status = 'closed', closed_at = EXCLUDED.closed_at`,
      [event.connectionId, low, high, event.closedAt],
    );
    context.afterCommit(() => this.shares.endBetween(event.userAId, event.userBId));
  }

  @OnDomainEvent(DomainEvent.UserBlocked)
  async onUserBlocked(event: UserBlockedEvent, context: DomainEventContext): Promise<void> {
    await this.applyBlock(event.blockerId, event.blockedId, true, event.at, context);
    context.afterCommit(() => this.shares.endBetween(event.blockerId, event.blockedId));
  }

  @OnDomainEvent(DomainEvent.UserUnblocked)
  async onUserUnblocked(event: UserUnblockedEvent, context: DomainEventContext): Promise<void> {
    await this.applyBlock(event.blockerId, event.blockedId, false, event.at, context);
  }

  @OnDomainEvent(DomainEvent.UserDeleted)
  async onUserDeleted(event: UserDeletedEvent, context: DomainEventContext): Promise<void> {
    await context.manager.query(
      `INSERT INTO deleted_users (user_id, deleted_at) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING`,
      [event.userId, event.deletedAt],
    );
    context.afterCommit(() => this.shares.endAllOf(event.userId));
  }

  private async applyBlock(
    blockerId: string,
    blockedId: string,
    blocked: boolean,
    at: string,
    context: DomainEventContext,
  ): Promise<void> {
    await context.manager.query(
      `INSERT INTO blocks (blocker_id, blocked_id, blocked, changed_at, event_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (blocker_id, blocked_id) DO UPDATE
         SET blocked = EXCLUDED.blocked, changed_at = EXCLUDED.changed_at, event_id = EXCLUDED.event_id
         WHERE (blocks.changed_at, blocks.event_id) < (EXCLUDED.changed_at, EXCLUDED.event_id)`,
      [blockerId, blockedId, blocked, at, context.event.id],
    );
  }
}
