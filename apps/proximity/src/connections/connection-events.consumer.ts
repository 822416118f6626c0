import { Injectable } from '@nestjs/common';
import {
  DomainEvent,
  type ConnectionAcceptedEvent,
  type ConnectionClosedEvent,
  type UserBlockedEvent,
} from '@gisbi/contracts';
import { Clock, OnDomainEvent, type DomainEventContext } from '@gisbi/platform';
import { EffectDispatcher, Effects } from '../sessions/effects';
import { ProximityEngine } from '../sessions/proximity-engine';
import { ConnectionProjection } from './connection-projection';

/**
 * Keeps the connections projection in step with the connections service. Each handler runs in the
 * transaction that records the event as processed, so a redelivered event changes nothing; pushes and
 * outbox flushes happen after that transaction commits.
 */
@Injectable()
export class ConnectionEventsConsumer {
  constructor(
    private readonly projection: ConnectionProjection,
    private readonly engine: ProximityEngine,
    private readonly dispatcher: EffectDispatcher,
    private readonly clock: Clock,
  ) {}

  @OnDomainEvent(DomainEvent.ConnectionAccepted)
  async onAccepted(event: ConnectionAcceptedEvent, context: DomainEventContext): Promise<void> {
    await this.projection.recordAccepted(context.manager, event);
  }

  /** The run ends and the connection's tokens stop being accepted. */
  @OnDomainEvent(DomainEvent.ConnectionClosed)
  async onClosed(event: ConnectionClosedEvent, context: DomainEventContext): Promise<void> {
    const connection = await this.projection.recordClosed(context.manager, event);
    const effects = new Effects();
    await this.engine.shutDown(context.manager, connection, 'connection_closed', effects);
    context.afterCommit(() => {
      this.dispatcher.dispatch(effects);
    });
  }

  /** A block ends proximity for the pair at once, whatever order the connection's own close arrives in. */
  @OnDomainEvent(DomainEvent.UserBlocked)
  async onBlocked(event: UserBlockedEvent, context: DomainEventContext): Promise<void> {
    const closed = await this.projection.closeBetween(context.manager, event.blockerId, event.blockedId, this.clock.now());
    const effects = new Effects();
    for (const connection of closed) await this.engine.shutDown(context.manager, connection, 'user_blocked', effects);
    context.afterCommit(() => {
      this.dispatcher.dispatch(effects);
    });
  }
}
