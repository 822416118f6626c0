import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainEvent, IdPrefix } from '@gisbi/contracts';
import {
  Clock,
  EventOutbox,
  message,
  newId,
  type Command,
  type DirectoryUser,
  type ServerMessage,
} from '@gisbi/platform';
import { CONNECTIONS_ENV, type ConnectionsEnv } from '../config/connections-config';
import { Fanout, Outbound } from '../delivery/fanout';
import { Errors } from '../errors';
import { connectionPoint } from '../model/connected-location';
import { toConnection } from '../model/connection-view';
import { orderedPair } from '../model/pair';
import type { ConnectionRow, RequestRecord } from '../model/records';
import { isExpired, resolutionHead } from '../model/request-view';
import { activeUser, publicUserOf } from '../model/users';
import { Peers } from '../peers/peers';
import { AccountStore } from '../persistence/account.store';
import { ConnectionStore } from '../persistence/connection.store';
import { lockPair, lockUsersShared } from '../persistence/locks';
import { RequestStore } from '../persistence/request.store';
import { SafetyStore } from '../persistence/safety.store';
import { addMissed, addRejected, addSent } from './request-events';

type SendOutcome =
  | { kind: 'created'; created: RequestRecord; stale: RequestRecord | undefined }
  | { kind: 'existing'; existing: RequestRecord }
  | { kind: 'refused'; error: () => Error };

/** How answering a request ended; `missed` is set when this call is the one that marked it missed. */
type AnswerOutcome =
  | { kind: 'accepted'; request: RequestRecord; connection: ConnectionRow }
  | { kind: 'rejected'; request: RequestRecord }
  | { kind: 'expired'; missed: RequestRecord | undefined }
  | { kind: 'refused'; error: () => Error };

/**
 * connection.request.send / accept / reject. Each runs in one transaction under the pair lock, decides,
 * commits, and only then sends events (so nothing is announced that did not happen); client errors
 * that come with events (an expired request) are thrown after those events went out.
 */
@Injectable()
export class RequestsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly requests: RequestStore,
    private readonly connections: ConnectionStore,
    private readonly safety: SafetyStore,
    private readonly accounts: AccountStore,
    private readonly peers: Peers,
    private readonly fanout: Fanout,
    private readonly outbox: EventOutbox,
    private readonly clock: Clock,
    @Inject(CONNECTIONS_ENV) private readonly env: ConnectionsEnv,
  ) {}

  async send(command: Command<{ userId: string }>): Promise<ServerMessage[]> {
    const senderId = command.userId;
    const recipientId = command.payload.userId;
    if (recipientId === senderId) throw Errors.cannotTargetSelf();
    const users = await this.peers.users([senderId, recipientId]);
    if (!activeUser(users, recipientId)) throw Errors.userNotFound();
    if (!activeUser(users, senderId)) throw Errors.accountDeleted();
    const [userAId, userBId] = orderedPair(senderId, recipientId);

    const outcome = await this.dataSource.transaction(async (manager): Promise<SendOutcome> => {
      await lockUsersShared(manager, [userAId, userBId]);
      await lockPair(manager, userAId, userBId);
      if (await this.accounts.anyDeleted(manager, [senderId, recipientId])) return { kind: 'refused', error: Errors.userNotFound };
      if (await this.safety.isBlockedEitherWay(manager, senderId, recipientId)) return { kind: 'refused', error: Errors.blocked };
      if (await this.connections.findActiveBetween(manager, userAId, userBId)) {
        return { kind: 'refused', error: Errors.activeConnectionExists };
      }
      const now = this.clock.now();
      const pending = await this.requests.lockPendingOfPair(manager, userAId, userBId);
      let stale: RequestRecord | undefined;
      if (pending && isExpired(pending, now)) {
        [stale] = await this.requests.resolve(manager, [pending.id], { status: 'missed' }, now);
      } else if (pending && pending.senderId === senderId) {
        return { kind: 'existing', existing: pending };
      } else if (pending) {
        return { kind: 'refused', error: Errors.duplicateRequest };
      }
      const created = await this.requests.insert(manager, {
        id: newId(IdPrefix.request, now.getTime()),
        senderId,
        recipientId,
        userAId,
        userBId,
        status: 'pending',
        closureReason: null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.env.CONNECTION_REQUEST_TTL_SECONDS * 1000),
        resolvedAt: null,
      });
      return { kind: 'created', created, stale };
    });

    if (outcome.kind === 'refused') throw outcome.error();
    const now = this.clock.now();
    if (outcome.kind === 'existing') {
      // Idempotent retry: the sender's socket gets the pending request again; nobody is notified twice.
      const out = new Outbound();
      addSent(out, outcome.existing, users, now);
      return out.eventsOf(senderId);
    }
    const out = new Outbound();
    if (outcome.stale) addMissed(out, outcome.stale, users, now);
    addSent(out, outcome.created, users, now);
    return this.fanout.send(out, command);
  }

  async accept(command: Command<{ requestId: string }>): Promise<ServerMessage[]> {
    const request = await this.answerable(command);
    const { senderId, recipientId } = request;
    const [users, liveness] = await Promise.all([
      this.peers.users([senderId, recipientId]),
      this.peers.liveness([senderId, recipientId], true),
    ]);
    if (!activeUser(users, senderId)) throw Errors.userNotFound();
    const bothLive = liveness.live.get(senderId) === true && liveness.live.get(recipientId) === true;
    const connectedLocation = bothLive
      ? connectionPoint(liveness.positions.get(senderId), liveness.positions.get(recipientId))
      : null;

    const outcome = await this.dataSource.transaction(async (manager): Promise<AnswerOutcome> => {
      const locked = await this.lockForAnswer(manager, request);
      if (locked.kind !== 'pending') return locked.outcome;
      const now = locked.now;
      const connection = await this.connections.insertActive(manager, {
        id: newId(IdPrefix.connection, now.getTime()),
        requestId: request.id,
        userAId: request.userAId,
        userBId: request.userBId,
        senderId,
        receiverId: recipientId,
        status: 'active',
        connectedLocation,
        createdAt: now,
        closedAt: null,
        closedByUserId: null,
        closureReason: null,
      });
      if (!connection) return { kind: 'refused', error: Errors.activeConnectionExists };
      const [accepted] = await this.requests.resolve(manager, [request.id], { status: 'accepted' }, now);
      if (!accepted) throw new Error(`request ${request.id} was locked pending but could not be accepted`);
      await this.outbox.add(manager, DomainEvent.ConnectionAccepted, {
        connectionId: connection.id,
        requestId: accepted.id,
        userAId: connection.userAId,
        userBId: connection.userBId,
        senderId,
        receiverId: recipientId,
        connectedLocation: connection.connectedLocation,
        acceptedAt: now.toISOString(),
      });
      return { kind: 'accepted', request: accepted, connection };
    });

    if (outcome.kind !== 'accepted') return this.failAnswer(outcome, users);
    this.outbox.flushSoon();
    const now = this.clock.now();
    const out = new Outbound();
    for (const viewerId of [recipientId, senderId]) {
      const otherId = viewerId === senderId ? recipientId : senderId;
      const other = publicUserOf(users, otherId);
      const connection = toConnection(
        outcome.connection,
        viewerId,
        other,
        {
          isOnline: liveness.live.get(otherId) === true,
          accumulatedMinutes: 0,
          nextMilestoneMinutes: this.peers.firstMilestone(),
        },
        { activeStatus: 'active' },
      );
      out.add(viewerId, message('connection.request.accept', { ...resolutionHead(outcome.request, viewerId, other, now), connection }));
    }
    return this.fanout.send(out, command);
  }

  async reject(command: Command<{ requestId: string }>): Promise<ServerMessage[]> {
    const request = await this.answerable(command);
    const users = await this.peers.users([request.senderId, request.recipientId]);
    const outcome = await this.dataSource.transaction(async (manager): Promise<AnswerOutcome> => {
      const locked = await this.lockForAnswer(manager, request);
      if (locked.kind !== 'pending') return locked.outcome;
      const [rejected] = await this.requests.resolve(manager, [request.id], { status: 'rejected' }, locked.now);
      if (!rejected) throw new Error(`request ${request.id} was locked pending but could not be rejected`);
      return { kind: 'rejected', request: rejected };
    });
    if (outcome.kind !== 'rejected') return this.failAnswer(outcome, users);
    const out = new Outbound();
    addRejected(out, outcome.request, users, this.clock.now());
    return this.fanout.send(out, command);
  }

  /** The request, if it exists, is still pending and the caller is its recipient (the only one who may answer it). */
  private async answerable(command: Command<{ requestId: string }>): Promise<RequestRecord> {
    const request = await this.requests.findById(this.dataSource.manager, command.payload.requestId);
    if (!request) throw Errors.requestNotFound();
    if (request.recipientId !== command.userId) throw Errors.notRecipient();
    // Resolved states are final, so this unlocked read can refuse early (no lookups for a dead request).
    if (request.status === 'missed') throw Errors.requestExpired();
    if (request.status !== 'pending') throw Errors.requestNotPending();
    return request;
  }

  /**
   * Locks the pair and the request, then decides whether it can still be answered. A request past its
   * expiry is marked missed right here (unless the expiry job already did), so the caller announces it.
   */
  private async lockForAnswer(
    manager: EntityManager,
    request: RequestRecord,
  ): Promise<{ kind: 'pending'; now: Date } | { kind: 'done'; outcome: AnswerOutcome }> {
    await lockUsersShared(manager, [request.userAId, request.userBId]);
    await lockPair(manager, request.userAId, request.userBId);
    const locked = await this.requests.lockById(manager, request.id);
    const now = this.clock.now();
    if (!locked) throw new Error(`request ${request.id} disappeared`);
    if (locked.status === 'missed') return { kind: 'done', outcome: { kind: 'expired', missed: undefined } };
    if (locked.status !== 'pending') return { kind: 'done', outcome: { kind: 'refused', error: Errors.requestNotPending } };
    if (isExpired(locked, now)) {
      const [missed] = await this.requests.resolve(manager, [locked.id], { status: 'missed' }, now);
      return { kind: 'done', outcome: { kind: 'expired', missed } };
    }
    return { kind: 'pending', now };
  }

  /** Announces a miss this call discovered (to every socket of both users), then refuses. */
  private failAnswer(outcome: AnswerOutcome, users: ReadonlyMap<string, DirectoryUser>): never {
    if (outcome.kind === 'expired') {
      if (outcome.missed) {
        const out = new Outbound();
        addMissed(out, outcome.missed, users, this.clock.now());
        this.fanout.send(out);
      }
      throw Errors.requestExpired();
    }
    if (outcome.kind === 'refused') throw outcome.error();
    throw new Error(`unexpected outcome ${outcome.kind}`);
  }
}
