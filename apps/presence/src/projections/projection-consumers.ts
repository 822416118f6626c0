import { Injectable } from '@nestjs/common';
import {
  DomainEvent,
  type ConnectionAcceptedEvent,
  type ConnectionClosedEvent,
  type UserBlockedEvent,
  type UserDeletedEvent,
  type UserUnblockedEvent,
  type UserUpdatedEvent,
} from '@gisbi/contracts';
import { Clock, OnDomainEvent, type DomainEventContext } from '@gisbi/platform';
import { LiveLocationStore } from '../store/live-location.store';

/**
 * Keeps presence's projections of other services' facts (blocks, connected pairs, profiles, deleted
 * accounts) in its own schema. Each handler runs once per event (the platform's inbox), applies the
 * change only if it is newer than what is stored (JetStream may redeliver out of order), and after
 * commit invalidates the caches of the users involved and schedules fresh radars for them.
 */
@Injectable()
export class ProjectionConsumers {
  constructor(
    private readonly store: LiveLocationStore,
    private readonly clock: Clock,
  ) {}

  @OnDomainEvent(DomainEvent.UserBlocked)
  async onUserBlocked(event: UserBlockedEvent, context: DomainEventContext): Promise<void> {
    await this.recordBlock(event.blockerId, event.blockedId, true, event.at, context);
  }

  @OnDomainEvent(DomainEvent.UserUnblocked)
  async onUserUnblocked(event: UserUnblockedEvent, context: DomainEventContext): Promise<void> {
    await this.recordBlock(event.blockerId, event.blockedId, false, event.at, context);
  }

  @OnDomainEvent(DomainEvent.ConnectionAccepted)
  async onConnectionAccepted(event: ConnectionAcceptedEvent, context: DomainEventContext): Promise<void> {
    // DO NOTHING: if the close was applied first (redelivery out of order), the pair stays closed.
    await context.manager.query(
      `INSERT INTO peer_connections (connection_id, user_a_id, user_b_id, is_active, changed_at)
       VALUES ($1, $2, $3, true, $4) ON CONFLICT (connection_id) DO NOTHING`,
      [event.connectionId, event.userAId, event.userBId, event.acceptedAt],
    );
    this.afterPairChange(context, 'c', event.userAId, event.userBId);
  }

  @OnDomainEvent(DomainEvent.ConnectionClosed)
  async onConnectionClosed(event: ConnectionClosedEvent, context: DomainEventContext): Promise<void> {
    await context.manager.query(
      `INSERT INTO peer_connections (connection_id, user_a_id, user_b_id, is_active, changed_at)
       VALUES ($1, $2, $3, false, $4)
       ON CONFLICT (connection_id) DO UPDATE SET is_active = false, changed_at = EXCLUDED.changed_at`,
      [event.connectionId, event.userAId, event.userBId, event.closedAt],
    );
    this.afterPairChange(context, 'c', event.userAId, event.userBId);
  }

  @OnDomainEvent(DomainEvent.UserUpdated)
  async onUserUpdated(event: UserUpdatedEvent, context: DomainEventContext): Promise<void> {
    const { user } = event;
    await context.manager.query(
      `INSERT INTO user_profiles (user_id, profile, deleted, source_at, updated_at) VALUES ($1, $2, false, $3, $4)
       ON CONFLICT (user_id) DO UPDATE SET profile = EXCLUDED.profile, source_at = EXCLUDED.source_at, updated_at = EXCLUDED.updated_at
       WHERE NOT user_profiles.deleted AND user_profiles.source_at <= EXCLUDED.source_at`,
      [user.id, JSON.stringify(user), context.event.occurredAt, this.clock.now()],
    );
    context.afterCommit(async () => {
      await this.store.bumpGenerations([`p:${user.id}`]);
      // Their name/vibe changed on every radar around them, and their shared interests on their own.
      await this.store.schedulePushes([user.id], true);
    });
  }

  @OnDomainEvent(DomainEvent.UserDeleted)
  async onUserDeleted(event: UserDeletedEvent, context: DomainEventContext): Promise<void> {
    await context.manager.query(
      `INSERT INTO user_profiles (user_id, profile, deleted, source_at, updated_at) VALUES ($1, NULL, true, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET profile = NULL, deleted = true, source_at = EXCLUDED.source_at, updated_at = EXCLUDED.updated_at`,
      [event.userId, event.deletedAt, this.clock.now()],
    );
    await context.manager.query('DELETE FROM radar_visibility WHERE user_id = $1', [event.userId]);
    // Irreversible, so applied before commit (idempotent on a retry): off every radar right away.
    await this.store.forgetUser(event.userId);
    context.afterCommit(() => this.store.bumpGenerations([`p:${event.userId}`]));
  }

  private async recordBlock(blockerId: string, blockedId: string, isBlocked: boolean, at: string, context: DomainEventContext): Promise<void> {
    await context.manager.query(
      `INSERT INTO blocks (blocker_id, blocked_id, is_blocked, changed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (blocker_id, blocked_id) DO UPDATE SET is_blocked = EXCLUDED.is_blocked, changed_at = EXCLUDED.changed_at
       WHERE blocks.changed_at <= EXCLUDED.changed_at`,
      [blockerId, blockedId, isBlocked, at],
    );
    this.afterPairChange(context, 'b', blockerId, blockedId);
  }

  private afterPairChange(context: DomainEventContext, kind: 'b' | 'c', userA: string, userB: string): void {
    context.afterCommit(async () => {
      await this.store.bumpGenerations([`${kind}:${userA}`, `${kind}:${userB}`]);
      await this.store.schedulePushes([userA, userB]);
    });
  }
}
