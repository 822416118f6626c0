import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainEvent, IdPrefix, type SafetyReport } from '@gisbi/contracts';
import { Clock, Deliverer, EventOutbox, message, newId, type Command, type ServerMessage } from '@gisbi/platform';
import { CONNECTIONS_ENV, type ConnectionsEnv } from '../config/connections-config';
import { Fanout, Outbound } from '../delivery/fanout';
import { Errors } from '../errors';
import { toClosedPayload } from '../model/connection-view';
import { orderedPair } from '../model/pair';
import { SystemClosureReason, type ConnectionRow, type RequestRecord, type SafetyReportRow } from '../model/records';
import { isExpired } from '../model/request-view';
import { activeUser } from '../model/users';
import { Peers } from '../peers/peers';
import { ConnectionStore } from '../persistence/connection.store';
import { lockPair } from '../persistence/locks';
import { RequestStore } from '../persistence/request.store';
import { SafetyStore } from '../persistence/safety.store';
import { addMissed, addRejected } from '../requests/request-events';

export function toSafetyReport(row: SafetyReportRow): SafetyReport {
  return {
    reportId: row.id,
    reportedUserId: row.reportedUserId,
    reason: row.reason,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
  };
}

interface BlockEffects {
  created: boolean;
  closed: ConnectionRow | undefined;
  declined: RequestRecord | undefined;
  missed: RequestRecord | undefined;
}

/**
 * safety.report, safety.block and the safety.unblock extension. Reports and blocks belong to the user who
 * made them: they see their own and nothing of anyone else's.
 */
@Injectable()
export class SafetyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly safety: SafetyStore,
    private readonly connections: ConnectionStore,
    private readonly requests: RequestStore,
    private readonly peers: Peers,
    private readonly fanout: Fanout,
    private readonly deliverer: Deliverer,
    private readonly outbox: EventOutbox,
    private readonly clock: Clock,
    @Inject(CONNECTIONS_ENV) private readonly env: ConnectionsEnv,
  ) {}

  async report(command: Command<{ reportedUserId: string; reason: string }>): Promise<ServerMessage> {
    const { reportedUserId } = command.payload;
    const reason = command.payload.reason.trim();
    if (reason.length === 0) throw Errors.missingReason();
    if (reportedUserId === command.userId) throw Errors.cannotTargetSelf();
    const users = await this.peers.users([reportedUserId]);
    if (!users.has(reportedUserId)) throw Errors.userNotFound();
    const now = this.clock.now();
    const row = await this.safety.insertReport(this.dataSource.manager, {
      id: newId(IdPrefix.safetyReport, now.getTime()),
      reporterId: command.userId,
      reportedUserId,
      reason,
      status: 'open',
      createdAt: now,
    });
    // The reporter's other devices keep their report list in sync; nobody else hears of it.
    return this.deliverer.toParticipants(command, [command.userId], message('safety.report', toSafetyReport(row)));
  }

  /**
   * Blocks another user. In the same transaction, under the pair lock: the pair's active connection is
   * closed and its pending request declined (or marked missed if it had already expired), so nothing can
   * slip in between. Blocking again changes nothing and answers the same.
   */
  async block(command: Command<{ blockedUserId: string }>): Promise<ServerMessage[]> {
    const blockerId = command.userId;
    const { blockedUserId } = command.payload;
    if (blockedUserId === blockerId) throw Errors.cannotTargetSelf();
    const users = await this.peers.users([blockerId, blockedUserId]);
    if (!activeUser(users, blockedUserId)) throw Errors.userNotFound();
    const [userAId, userBId] = orderedPair(blockerId, blockedUserId);

    const effects = await this.dataSource.transaction(async (manager): Promise<BlockEffects> => {
      await lockPair(manager, userAId, userBId);
      const now = this.clock.now();
      const created = await this.safety.insertBlock(manager, blockerId, blockedUserId, now);
      if (!created) return { created, closed: undefined, declined: undefined, missed: undefined };
      const active = await this.connections.findActiveBetween(manager, userAId, userBId);
      const [closed] = active
        ? await this.connections.close(manager, [active.id], { closedByUserId: blockerId, closureReason: SystemClosureReason.blocked }, now)
        : [];
      const pending = await this.requests.lockPendingOfPair(manager, userAId, userBId);
      let declined: RequestRecord | undefined;
      let missed: RequestRecord | undefined;
      if (pending && isExpired(pending, now)) {
        [missed] = await this.requests.resolve(manager, [pending.id], { status: 'missed' }, now);
      } else if (pending) {
        [declined] = await this.requests.resolve(manager, [pending.id], { status: 'rejected', closureReason: SystemClosureReason.blocked }, now);
      }
      await this.outbox.add(manager, DomainEvent.UserBlocked, { blockerId, blockedId: blockedUserId, at: now.toISOString() });
      if (closed) {
        await this.outbox.add(manager, DomainEvent.ConnectionClosed, {
          connectionId: closed.id,
          userAId: closed.userAId,
          userBId: closed.userBId,
          // A closure the system made because of the block.
          closedByUserId: null,
          closureReason: SystemClosureReason.blocked,
          closedAt: now.toISOString(),
        });
      }
      return { created, closed, declined, missed };
    });

    const blocked = message('safety.block', { blockedUserId });
    if (!effects.created) return [blocked];
    this.outbox.flushSoon();
    const now = this.clock.now();
    const out = new Outbound();
    if (effects.closed) {
      const closeEvent = message('connection.close', toClosedPayload(effects.closed));
      out.add(blockerId, closeEvent).add(blockedUserId, closeEvent);
    }
    if (effects.missed) addMissed(out, effects.missed, users, now);
    if (effects.declined) addRejected(out, effects.declined, users, now);
    out.add(blockerId, blocked);
    return this.fanout.send(out, command);
  }

  /**
   * Lifts the caller's own block. It restores nothing (the closed connection stays closed, declined
   * requests stay declined): the pair may simply interact again. Unblocking someone not blocked is a no-op.
   */
  async unblock(command: Command<{ blockedUserId: string }>): Promise<ServerMessage> {
    const blockerId = command.userId;
    const { blockedUserId } = command.payload;
    if (blockedUserId === blockerId) throw Errors.cannotTargetSelf();
    const removed = await this.dataSource.transaction(async (manager) => {
      const [userAId, userBId] = orderedPair(blockerId, blockedUserId);
      await lockPair(manager, userAId, userBId);
      const deleted = await this.safety.deleteBlock(manager, blockerId, blockedUserId);
      if (deleted) {
        await this.outbox.add(manager, DomainEvent.UserUnblocked, { blockerId, blockedId: blockedUserId, at: this.clock.nowIso() });
      }
      return deleted;
    });
    const unblocked = message('safety.unblock', { blockedUserId });
    if (!removed) return unblocked;
    this.outbox.flushSoon();
    return this.deliverer.toParticipants(command, [blockerId], unblocked);
  }

  async reportsOf(userId: string): Promise<SafetyReport[]> {
    const rows = await this.safety.reportsBy(this.dataSource.manager, userId, this.env.HISTORY_LIMIT);
    return rows.map(toSafetyReport);
  }
}
