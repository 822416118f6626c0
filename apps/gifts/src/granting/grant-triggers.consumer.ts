import { Injectable } from '@nestjs/common';
import {
  DomainEvent,
  type ConnectionAcceptedEvent,
  type ConnectionClosedEvent,
  type MilestoneReachedEvent,
} from '@gisbi/contracts';
import { Clock, OnDomainEvent, type DomainEventContext } from '@gisbi/platform';
import { PairConnectionEntity } from '../connections/pair-connection.entity';
import { RewardNotifier } from '../rewards/reward-notifier';
import { orderedPair } from '../rewards/reward-state';
import { GrantService, type TriggerOccurrence } from './grant.service';

/**
 * Grants on `connections.connection_accepted` and `proximity.milestone_reached`. Each delivery runs once per
 * event id (the platform's inbox); the unique occurrence key makes a repeated fact with a new event id
 * harmless too. Both users are told after the transaction commits.
 */
@Injectable()
export class GrantTriggersConsumer {
  constructor(
    private readonly grants: GrantService,
    private readonly notifier: RewardNotifier,
    private readonly clock: Clock,
  ) {}

  @OnDomainEvent(DomainEvent.ConnectionAccepted)
  async onConnectionAccepted(event: ConnectionAcceptedEvent, context: DomainEventContext): Promise<void> {
    const [userAId, userBId] = orderedPair(event.userAId, event.userBId);
    const acceptedAt = parseTime(event.acceptedAt) ?? this.clock.now();
    // Keeps a closing that arrived first (closed_at), so a late acceptance grants nothing.
    await context.manager.query(
      `INSERT INTO pair_connections (connection_id, user_a_id, user_b_id, connected_location, accepted_at, closed_at)
       VALUES ($1, $2, $3, $4, $5, NULL)
       ON CONFLICT (connection_id) DO UPDATE
         SET connected_location = EXCLUDED.connected_location, accepted_at = EXCLUDED.accepted_at`,
      [event.connectionId, userAId, userBId, event.connectedLocation ? JSON.stringify(event.connectedLocation) : null, acceptedAt],
    );
    const connection = await context.manager.findOneByOrFail(PairConnectionEntity, { connectionId: event.connectionId });
    if (connection.closedAt !== null) return;
    await this.grantAndNotify(context, {
      triggerType: 'connectionAccepted',
      connectionId: event.connectionId,
      userAId,
      userBId,
      milestoneMinutes: null,
      occurredAt: acceptedAt,
      connectedLocation: event.connectedLocation,
    });
  }

  @OnDomainEvent(DomainEvent.MilestoneReached)
  async onMilestoneReached(event: MilestoneReachedEvent, context: DomainEventContext): Promise<void> {
    if (!Number.isInteger(event.milestone) || event.milestone <= 0) return;
    const [userAId, userBId] = orderedPair(event.userAId, event.userBId);
    const connection = await context.manager.findOneBy(PairConnectionEntity, { connectionId: event.connectionId });
    if (connection?.closedAt) return;
    await this.grantAndNotify(context, {
      triggerType: 'proximityMilestone',
      connectionId: event.connectionId,
      userAId,
      userBId,
      milestoneMinutes: event.milestone,
      occurredAt: parseTime(event.reachedAt) ?? this.clock.now(),
      connectedLocation: connection?.connectedLocation ?? null,
    });
  }

  /** Records the closing in the projection (rewards are cancelled by RewardCancellationConsumer). */
  @OnDomainEvent(DomainEvent.ConnectionClosed)
  async onConnectionClosed(event: ConnectionClosedEvent, context: DomainEventContext): Promise<void> {
    const [userAId, userBId] = orderedPair(event.userAId, event.userBId);
    await context.manager.query(
      `INSERT INTO pair_connections (connection_id, user_a_id, user_b_id, connected_location, accepted_at, closed_at)
       VALUES ($1, $2, $3, NULL, NULL, $4)
       ON CONFLICT (connection_id) DO UPDATE SET closed_at = EXCLUDED.closed_at`,
      [event.connectionId, userAId, userBId, parseTime(event.closedAt) ?? this.clock.now()],
    );
  }

  private async grantAndNotify(context: DomainEventContext, occurrence: TriggerOccurrence): Promise<void> {
    const { gifts, times } = await this.grants.grant(context.manager, occurrence);
    if (gifts.length > 0) context.afterCommit(() => this.notifier.notify('gift.sponsored.granted', gifts, times));
  }
}

function parseTime(value: string | undefined): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}
