import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, Deliverer, message, PeriodicJobs, toPublicUser, type Command, type ServerMessage } from '@gisbi/platform';
import { CONNECTIONS_ENV, type ConnectionsEnv } from '../config/connections-config';
import { Errors } from '../errors';
import { activeUser } from '../model/users';
import { Peers } from '../peers/peers';
import { SafetyStore } from '../persistence/safety.store';
import { RingLimitStore } from './ring-limit.store';

/**
 * connection.ring: a nudge to another user (no connection needed, as on the radar). Refused between
 * blocked users and for unknown or deleted users; at most one ring per RING_MIN_INTERVAL_SECONDS from
 * one sender to one recipient (a ring back the other way is its own pair direction).
 */
@Injectable()
export class RingService implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly limits: RingLimitStore,
    private readonly safety: SafetyStore,
    private readonly peers: Peers,
    private readonly deliverer: Deliverer,
    private readonly jobs: PeriodicJobs,
    private readonly clock: Clock,
    @Inject(CONNECTIONS_ENV) private readonly env: ConnectionsEnv,
  ) {}

  onApplicationBootstrap(): void {
    const every = Math.max(60_000, this.intervalMs);
    this.jobs.every('connections.ring-limit-prune', every, () => this.pruneLimits());
  }

  async ring(command: Command<{ userId: string }>): Promise<ServerMessage> {
    const senderId = command.userId;
    const recipientId = command.payload.userId;
    if (recipientId === senderId) throw Errors.cannotTargetSelf();
    const users = await this.peers.users([senderId, recipientId]);
    if (!activeUser(users, recipientId)) throw Errors.userNotFound();
    const sender = activeUser(users, senderId);
    if (!sender) throw Errors.accountDeleted();
    const manager = this.dataSource.manager;
    if (await this.safety.isBlockedEitherWay(manager, senderId, recipientId)) throw Errors.blocked();
    if (!(await this.limits.takeRingSlot(manager, senderId, recipientId, this.clock.now(), this.intervalMs))) {
      throw Errors.ringRateLimited(this.env.RING_MIN_INTERVAL_SECONDS);
    }
    const relay = { fromUserId: senderId, recipientId, fromUser: toPublicUser(sender) };
    this.deliverer.toUser(recipientId, message('connection.ring', relay));
    return message('connection.ring', { status: 'sent', ...relay });
  }

  /** Deletes ring slots too old to limit anything; returns how many. */
  async pruneLimits(): Promise<number> {
    const olderThan = new Date(this.clock.nowMs() - this.intervalMs);
    let pruned = 0;
    for (;;) {
      const count = await this.limits.pruneRingSlots(this.dataSource.manager, olderThan);
      pruned += count;
      if (count === 0) return pruned;
    }
  }

  private get intervalMs(): number {
    return this.env.RING_MIN_INTERVAL_SECONDS * 1000;
  }
}
