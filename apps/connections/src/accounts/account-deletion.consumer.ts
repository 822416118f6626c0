import { Injectable, Logger } from '@nestjs/common';
import { DomainEvent, type UserDeletedEvent } from '@gisbi/contracts';
import { Clock, EventOutbox, message, OnDomainEvent, type DomainEventContext } from '@gisbi/platform';
import { Fanout, Outbound } from '../delivery/fanout';
import { toClosedPayload } from '../model/connection-view';
import { otherOf } from '../model/pair';
import { SystemClosureReason } from '../model/records';
import { isExpired } from '../model/request-view';
import { Peers } from '../peers/peers';
import { AccountStore } from '../persistence/account.store';
import { ConnectionStore } from '../persistence/connection.store';
import { lockUserExclusive } from '../persistence/locks';
import { RequestStore } from '../persistence/request.store';
import { addClosed, addMissed } from '../requests/request-events';

/**
 * auth.user_deleted: the account disappears from everyone's pending requests (closed with
 * `account_deleted`), its connections close, and it can no longer be targeted. Runs once per event (the
 * platform records the event id in the same transaction); the other users hear of it after commit.
 */
@Injectable()
export class AccountDeletionConsumer {
  private readonly logger = new Logger(AccountDeletionConsumer.name);

  constructor(
    private readonly requests: RequestStore,
    private readonly connections: ConnectionStore,
    private readonly accounts: AccountStore,
    private readonly peers: Peers,
    private readonly fanout: Fanout,
    private readonly outbox: EventOutbox,
    private readonly clock: Clock,
  ) {}

  @OnDomainEvent(DomainEvent.UserDeleted)
  async onUserDeleted(event: UserDeletedEvent, context: DomainEventContext): Promise<void> {
    const { manager } = context;
    const { userId } = event;
    // Exclusive: waits for in-flight sends/accepts with this user, and keeps new ones out until commit.
    await lockUserExclusive(manager, userId);
    await this.accounts.markDeleted(manager, userId, new Date(event.deletedAt));
    const now = this.clock.now();

    const active = await this.connections.findActiveOfUser(manager, userId);
    const closed = await this.connections.close(
      manager,
      active.map((row) => row.id),
      { closedByUserId: userId, closureReason: SystemClosureReason.accountDeleted },
      now,
    );
    for (const row of closed) {
      await this.outbox.add(manager, DomainEvent.ConnectionClosed, {
        connectionId: row.id,
        userAId: row.userAId,
        userBId: row.userBId,
        closedByUserId: null,
        closureReason: SystemClosureReason.accountDeleted,
        closedAt: now.toISOString(),
      });
    }

    const pending = await this.requests.lockPendingOfUser(manager, userId);
    const expiredIds = pending.filter((row) => isExpired(row, now)).map((row) => row.id);
    const liveIds = pending.filter((row) => !isExpired(row, now)).map((row) => row.id);
    const missed = await this.requests.resolve(manager, expiredIds, { status: 'missed' }, now);
    const closedRequests = await this.requests.resolve(
      manager,
      liveIds,
      { status: 'closed', closureReason: SystemClosureReason.accountDeleted },
      now,
    );

    const others = [...closed.map((row) => otherOf(row, userId)), ...[...missed, ...closedRequests].map((row) => otherOf(row, userId))];
    if (others.length === 0) return;
    // Inside the transaction on purpose: if auth cannot answer, the event is retried rather than lost.
    const users = await this.peers.users([userId, ...others]);
    const out = new Outbound();
    for (const row of closed) out.add(otherOf(row, userId), message('connection.close', toClosedPayload(row)));
    for (const row of missed) addMissed(out, row, users, now);
    for (const row of closedRequests) addClosed(out, row, users, now, [otherOf(row, userId)]);
    context.afterCommit(() => {
      this.outbox.flushSoon();
      this.fanout.send(out);
      this.logger.log(`account ${userId} deleted: closed ${closed.length} connections and ${pending.length} pending requests`);
    });
  }
}
