import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  DomainEvent,
  ErrorCode,
  IdPrefix,
  type ProximitySessionEndPayload,
  type ProximityTokenPayload,
  type ProximitySessionStartAckPayload,
} from '@gisbi/contracts';
import { Clock, DomainError, EventOutbox, message, newId, type Command, type ServerMessage } from '@gisbi/platform';
import { PROXIMITY_SETTINGS, type ProximitySettings } from '../config/proximity-config';
import { ConnectionProjection, type PairConnection } from '../connections/connection-projection';
import { giftTierOf, milestoneMessage } from '../milestones/milestones';
import { HeartbeatPool } from '../persistence/heartbeat-pool';
import { queryRows } from '../persistence/sql';
import { normaliseToken } from '../tokens/token-format';
import { judgeToken, TokenStore } from '../tokens/token-store';
import { isSideLive, type Piece } from './accrual';
import { EffectDispatcher, Effects } from './effects';
import { HeartbeatCache } from './heartbeat-cache';
import { HeartbeatPaths, type HeartbeatPath } from './heartbeat-paths';
import { planPlainHeartbeat, type HeartbeatBasis, type PlainHeartbeat } from './plain-heartbeat';
import {
  activate,
  applyTimeouts,
  confirmedAt,
  createSession,
  end,
  otherSide,
  pause,
  recordProof,
  sessionUpdate,
  sideOf,
  withConfirmation,
  planCredit,
  visibleProgress,
  type EndReason,
  type IntervalWrite,
  type MilestoneRules,
  type RuleSettings,
  type Session,
  type Transition,
} from './session-model';
import { SessionStore } from './session-store';

/** The contract's rule: readings stronger than -40 dBm are not two phones at a plausible distance. */
export const MAX_ACCEPTED_RSSI_DBM = -40;

const NOT_ALLOWED = 'You are not a participant of an active connection with this id';
/** Optimistic tries of a plain heartbeat before it takes the row-locked transaction. */
const OPTIMISTIC_ATTEMPTS = 2;
/** Verified interval ids: time-sortable, generated here so an event's writes fit in one statement. */
const INTERVAL_ID_PREFIX = 'vi';

interface Outcome<T> {
  value?: T;
  error?: DomainError;
  effects: Effects;
}

type Work<T> = (input: { manager: EntityManager; connection: PairConnection; now: number; effects: Effects }) => Promise<T | DomainError>;

/**
 * Proximity runs: start, heartbeat and end, and the time-driven and connection-driven transitions. Every
 * change to a connection's proximity state happens in one transaction holding that connection's projection
 * row lock (so both phones heartbeating at once are serialised), and its socket pushes and domain events
 * are released only after commit.
 */
@Injectable()
export class ProximityEngine {
  private readonly rules: RuleSettings & MilestoneRules;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly outbox: EventOutbox,
    private readonly dispatcher: EffectDispatcher,
    private readonly projection: ConnectionProjection,
    private readonly tokens: TokenStore,
    private readonly sessions: SessionStore,
    private readonly cache: HeartbeatCache,
    private readonly paths: HeartbeatPaths,
    private readonly heartbeatPool: HeartbeatPool,
    @Inject(PROXIMITY_SETTINGS) private readonly settings: ProximitySettings,
  ) {
    this.rules = {
      milestones: settings.milestones,
      minuteMs: settings.minuteMs,
      windowMs: settings.windowMs,
      graceMs: settings.graceMs,
      constantRssiCount: settings.constantRssiCount,
      minHeartbeatIntervalMs: settings.minHeartbeatIntervalMs,
      minCadenceJitterMs: settings.minCadenceJitterMs,
    };
  }

  // ---- socket commands ----

  async start(command: Command<ProximityTokenPayload>): Promise<ServerMessage[]> {
    const { connectionId, token, rssi } = command.payload;
    return this.runCommand(command, connectionId, async ({ manager, connection, now, effects }) => {
      const proof = await this.checkProof(manager, connection, command.userId, token, rssi, now);
      if (proof instanceof DomainError) return proof;
      const { side, partnerId } = proof;
      let session = await this.afterTimeouts(manager, connection, proof.session, now, effects);
      if (!session) {
        session = createSession({
          id: newId(IdPrefix.proximitySession, now),
          connectionId: connection.connectionId,
          userAId: connection.userAId,
          userBId: connection.userBId,
          at: now,
          graceMs: this.settings.graceMs,
        });
        await this.sessions.insert(manager, session, new Date(now));
      }
      const recorded = recordProof(session, side, now, rssi, this.rules);
      const credited = await this.credit(manager, connection, recorded.session, recorded.pieces);
      session = credited.session;
      let ack: ProximitySessionStartAckPayload;
      let activated = false;
      if (session.status === 'active') {
        // A repeated start on a running session: same ACK, nothing reset, no pushes repeated.
        ack = { sessionActive: true, yourTokenReceived: true, waitingForPartner: false };
      } else {
        const partner = otherSide(side);
        const newlyConfirmed = confirmedAt(session, side) === null;
        if (newlyConfirmed) session = withConfirmation(session, side, now);
        const partnerConfirmed = confirmedAt(session, partner) !== null;
        const partnerLive = isSideLive(session.state.track[partner], now, this.settings.windowMs);
        // A partner confirmation whose phone has gone quiet does not count: it must scan again.
        if (partnerConfirmed && !partnerLive) session = withConfirmation(session, partner, null);
        if (newlyConfirmed) effects.toUser(partnerId, message('proximity.partner.confirmed', { connectionId: connection.connectionId }));
        if (partnerConfirmed && partnerLive) {
          session = activate(session, now, this.settings.windowMs);
          activated = true;
          await this.sessions.schedulePositionCheck(manager, session.id, new Date(now));
          await this.announce(manager, connection, session, [{ kind: 'activated', at: now }], now, effects);
          ack = { sessionActive: true, yourTokenReceived: true, waitingForPartner: false };
        } else {
          ack = { sessionActive: false, yourTokenReceived: true, waitingForPartner: true };
        }
      }
      await this.sessions.commit(manager, session, credited.intervals, credited.intervals.length > 0 ? connection : null, new Date(now), {
        wakeUp: activated,
      });
      this.pushMilestones(effects, connection, credited.reached);
      return message('proximity.session.start', ack);
    });
  }

  /**
   * The hot path. The common case — an active run, the partner's current token, no timeout or milestone
   * due — is settled optimistically without a transaction, by one compare-and-set write that applies only
   * if everything the decision was based on still holds in the database (the run's `version`,
   * connection, token). The decision is based on what this replica last read or wrote of the connection
   * (HeartbeatCache: one round trip), else on a snapshot read (two). Anything else, including losing the
   * race to the partner's heartbeat twice, goes through the row-locked transaction, which re-reads and
   * decides under the lock.
   */
  async heartbeat(command: Command<ProximityTokenPayload>): Promise<ServerMessage[]> {
    for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
      const settled = await this.optimisticHeartbeat(command, attempt === 0);
      if (settled === 'not_plain') break;
      if (settled !== 'conflict') return settled;
    }
    this.paths.record('locked');
    return this.lockedHeartbeat(command);
  }

  /**
   * Settles a plain heartbeat, or says why it could not: `not_plain` (needs the locked path's rules) or
   * `conflict` (the database no longer matches what the decision was based on; worth another optimistic
   * try, which reads a fresh snapshot). With `useCache`, a connection and token this replica knows are
   * decided on from memory; a miss, or remembered evidence that does not make a plain heartbeat, reads the
   * snapshot instead. A written heartbeat is remembered; one that is not plain forgets the connection.
   */
  private async optimisticHeartbeat(command: Command<ProximityTokenPayload>, useCache: boolean): Promise<ServerMessage[] | 'not_plain' | 'conflict'> {
    const { connectionId, token: rawToken, rssi } = command.payload;
    const token = normaliseToken(rawToken);
    if (!token || rssi > MAX_ACCEPTED_RSSI_DBM) return 'not_plain';
    const client = await this.heartbeatPool.connect();
    let failure: Error | undefined;
    try {
      const now = this.clock.nowMs();
      const event = { userId: command.userId, rssi, at: now };
      let basis: (HeartbeatBasis & { version: string | null }) | undefined;
      let plan: PlainHeartbeat | null = null;
      let path: HeartbeatPath = 'cached';
      const cached = useCache ? this.cache.lookup(connectionId, token) : undefined;
      if (cached) {
        basis = { ...cached.evidence, token: cached.token };
        plan = planPlainHeartbeat(basis, event, this.rules, newIntervalId);
      }
      if (!plan) {
        path = 'snapshot';
        const snapshot = await this.sessions.snapshotForHeartbeat(client, connectionId, token);
        basis = snapshot.connection ? { ...snapshot, connection: snapshot.connection } : undefined;
        plan = basis ? planPlainHeartbeat(basis, event, this.rules, newIntervalId) : null;
      }
      if (!plan || !basis?.version || !basis.token) {
        this.cache.forget(connectionId);
        return 'not_plain';
      }
      const version = await this.sessions.compareAndSet(
        client,
        plan.session,
        plan.intervals,
        plan.intervals.length > 0 ? plan.connection : null,
        new Date(now),
        { version: basis.version, connection: basis.connection, token, partnerId: plan.partnerId },
      );
      // Refused: the next try reads a snapshot and remembers what it writes (or forgets the connection).
      if (version === null) return 'conflict';
      this.paths.record(path);
      this.cache.remember({ connection: plan.connection, session: plan.session, version, token: basis.token });
      const effects = new Effects();
      if (plan.progressChanged) {
        effects.toPair(pairOf(plan.connection), message('proximity.session.updated', this.update(plan.connection, plan.session, now)));
      }
      const pushed = this.dispatcher.dispatch(effects, command);
      const ack = message('proximity.heartbeat', { sessionActive: true, accumulatedSeconds: Math.floor(plan.connection.accumulatedMs / 1000) });
      return [ack, ...pushed];
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      // A connection that failed mid-statement is discarded, not reused.
      client.release(failure);
    }
  }

  private async lockedHeartbeat(command: Command<ProximityTokenPayload>): Promise<ServerMessage[]> {
    const { connectionId, token, rssi } = command.payload;
    return this.runCommand(command, connectionId, async ({ manager, connection, now, effects }) => {
      const proof = await this.checkProof(manager, connection, command.userId, token, rssi, now);
      if (proof instanceof DomainError) return proof;
      let session = await this.afterTimeouts(manager, connection, proof.session, now, effects);
      if (session) {
        const recorded = recordProof(session, proof.side, now, rssi, this.rules);
        const shown = visibleProgress(connection, session);
        const credited = await this.credit(manager, connection, recorded.session, recorded.pieces);
        session = credited.session;
        await this.sessions.commit(manager, session, credited.intervals, credited.intervals.length > 0 ? connection : null, new Date(now));
        if (visibleProgress(connection, session) !== shown) {
          effects.toPair(pairOf(connection), message('proximity.session.updated', this.update(connection, session, now)));
        }
        this.pushMilestones(effects, connection, credited.reached);
      }
      return message('proximity.heartbeat', {
        sessionActive: session?.status === 'active',
        accumulatedSeconds: Math.floor(connection.accumulatedMs / 1000),
      });
    });
  }

  async end(command: Command<ProximitySessionEndPayload>): Promise<ServerMessage[]> {
    const { connectionId } = command.payload;
    return this.runCommand(command, connectionId, async ({ manager, connection, now, effects }) => {
      const side = connection.status === 'active' ? sideOf(connection, command.userId) : null;
      if (!side) return DomainError.forbidden(ErrorCode.not_allowed, NOT_ALLOWED);
      let session = await this.afterTimeouts(manager, connection, await this.sessions.current(manager, connectionId), now, effects);
      if (session?.status === 'active') {
        session = pause(session, now, 'ended_by_user', this.settings.graceMs);
        await this.sessions.save(manager, session, new Date(now));
        await this.announce(manager, connection, session, [{ kind: 'paused', at: now, reason: 'ended_by_user', wasActive: true }], now, effects);
        return undefined;
      }
      if (session && confirmedAt(session, side) !== null) {
        // Waiting for the partner: the sender withdraws its scan; the grace deadline is unchanged.
        session = withConfirmation(session, side, null);
        await this.sessions.save(manager, session, new Date(now));
      }
      // Contract: "Response (both users)", also when nothing was running (both apps then agree on it).
      effects.toPair(pairOf(connection), message('proximity.session.updated', this.update(connection, session, now)));
      return undefined;
    });
  }

  // ---- time and connection driven transitions ----

  /**
   * Pauses runs whose evidence ran out and ends runs whose grace is over. Claims connections with SKIP
   * LOCKED, so several replicas running this at once each handle a different run, and a run already
   * handled (or changed by a command meanwhile) is re-read and left alone: exactly once per run.
   */
  async expireDueSessions(limit = 100): Promise<number> {
    const now = this.clock.nowMs();
    await this.sessions.deferEarlyWakeUps(this.dataSource.manager, now);
    const { value, effects } = await this.transaction(async (manager, effects) => {
      const claimed = await queryRows<{ connection_id: string }>(
        manager,
        `SELECT c.connection_id FROM proximity_sessions s
           JOIN proximity_connections c ON c.connection_id = s.connection_id
          WHERE (s.status = 'active' AND s.pause_due_at < $1) OR (s.status = 'paused' AND s.ends_at <= $1)
          LIMIT $2
          FOR UPDATE OF c SKIP LOCKED`,
        [new Date(now), limit],
      );
      // Reads and wake-ups are batched: this transaction holds the claimed connections' locks, and their
      // heartbeats wait for it. Most claimed runs are still being heartbeated and were only woken early.
      const connectionIds = claimed.map((row) => row.connection_id);
      for (const connectionId of connectionIds) this.cache.forget(connectionId);
      const connections = await this.projection.findMany(connectionIds, manager);
      const runs = await this.sessions.currentMany(manager, connectionIds);
      let changed = 0;
      const wakeUps: Array<{ sessionId: string; at: number | null }> = [];
      for (const connection of connections) {
        const before = runs.get(connection.connectionId);
        if (!before) continue;
        const after = await this.afterTimeouts(manager, connection, before, now, effects);
        if (after !== before) changed++;
        // Woken up early (the column is a lower bound): sleep until the run's evidence would run out.
        else if (before.status === 'active') wakeUps.push({ sessionId: before.id, at: before.pauseDueAt });
      }
      await this.sessions.setWakeUps(manager, wakeUps);
      return changed;
    });
    this.dispatcher.dispatch(effects);
    return value ?? 0;
  }

  /** Connection closed or pair blocked: the run ends and no token of the connection is accepted any more. */
  async shutDown(manager: EntityManager, connection: PairConnection, reason: EndReason, effects: Effects): Promise<void> {
    const now = this.clock.nowMs();
    this.cache.forget(connection.connectionId);
    await this.tokens.revokeAll(manager, connection.connectionId, new Date(now));
    const session = await this.sessions.current(manager, connection.connectionId);
    if (!session) return;
    const wasActive = session.status === 'active';
    const ended = end(session, now, reason);
    await this.sessions.save(manager, ended, new Date(now));
    await this.announce(manager, connection, ended, [{ kind: 'ended', at: now, reason, wasActive }], now, effects);
  }

  // ---- internals ----

  private async runCommand(command: Command, connectionId: string, work: Work<ServerMessage | undefined>): Promise<ServerMessage[]> {
    const attempt = () =>
      this.transaction(async (manager, effects) => {
        const connection = await this.projection.lock(manager, connectionId);
        if (!connection) return { found: false as const };
        const result = await work({ manager, connection, now: this.clock.nowMs(), effects });
        if (result instanceof DomainError) throw new CommittedError(result);
        return { found: true as const, reply: result };
      });
    let outcome = await attempt();
    if (!outcome.error && outcome.value?.found === false && (await this.projection.learn(connectionId, command.userId))) {
      outcome = await attempt();
    }
    // The run changed under the lock: what this replica remembered of it is stale (the heartbeat's
    // compare-and-set would refuse it anyway; forgetting saves that round trip).
    this.cache.forget(connectionId);
    const pushed = this.dispatcher.dispatch(outcome.effects, command);
    if (outcome.error) throw outcome.error;
    if (!outcome.value?.found) throw DomainError.forbidden(ErrorCode.not_allowed, NOT_ALLOWED);
    return outcome.value.reply ? [outcome.value.reply, ...pushed] : pushed;
  }

  /**
   * Runs work in a transaction. A domain error thrown as CommittedError still commits what was recorded
   * before it (a replay signal); the error is handed back for the caller to report after commit, and
   * nothing is pushed for the refused command.
   */
  private async transaction<T>(work: (manager: EntityManager, effects: Effects) => Promise<T>): Promise<Outcome<T>> {
    const effects = new Effects();
    let committedError: DomainError | undefined;
    const value = await this.dataSource.transaction(async (manager): Promise<T | undefined> => {
      try {
        return await work(manager, effects);
      } catch (error) {
        if (error instanceof CommittedError) {
          committedError = error.error;
          return undefined;
        }
        throw error;
      }
    });
    if (committedError) {
      const kept = new Effects();
      kept.outboxWritten = effects.outboxWritten;
      return { error: committedError, effects: kept };
    }
    return { value, effects };
  }

  /**
   * Who may prove what: a participant of an active connection, with a plausible RSSI, presenting the
   * partner's current (or in-grace) token. A replayed token is recorded (it taints the next interval).
   * Returns the connection's current run too (read in the same round trip as the token).
   */
  private async checkProof(
    manager: EntityManager,
    connection: PairConnection,
    userId: string,
    rawToken: string,
    rssi: number,
    now: number,
  ): Promise<{ side: 'a' | 'b'; partnerId: string; session: Session | null } | DomainError> {
    const side = connection.status === 'active' ? sideOf(connection, userId) : null;
    if (!side) return DomainError.forbidden(ErrorCode.not_allowed, NOT_ALLOWED);
    if (rssi > MAX_ACCEPTED_RSSI_DBM) {
      return DomainError.badRequest(ErrorCode.invalid_rssi, `rssi must not be stronger than ${MAX_ACCEPTED_RSSI_DBM} dBm`);
    }
    const partnerId = side === 'a' ? connection.userBId : connection.userAId;
    const invalid = DomainError.badRequest(ErrorCode.invalid_token, "token is not your partner's current token for this connection");
    const token = normaliseToken(rawToken);
    if (!token) return invalid;
    const loaded = await this.sessions.loadForProof(manager, connection.connectionId, token);
    const verdict = judgeToken(loaded.token, connection.connectionId, partnerId, now);
    if (verdict === 'replay') {
      await this.projection.countReplay(manager, connection.connectionId);
      await this.sessions.flagReplay(manager, connection.connectionId);
      return invalid;
    }
    if (verdict === 'foreign') return invalid;
    if (verdict === 'grace') await this.tokens.recordGraceUse(manager, token);
    return { side, partnerId, session: loaded.session };
  }

  /** A run with the timeouts `now` implies applied, saved and announced; null when it has ended. */
  private async afterTimeouts(
    manager: EntityManager,
    connection: PairConnection,
    session: Session | null,
    now: number,
    effects: Effects,
  ): Promise<Session | null> {
    if (!session) return null;
    const { session: after, transitions } = applyTimeouts(session, now, this.rules);
    if (transitions.length === 0) return session;
    await this.sessions.save(manager, after, new Date(now));
    await this.announce(manager, connection, after, transitions, now, effects);
    return after.status === 'ended' ? null : after;
  }

  /** Tells both users the run's new state, and other services when it became active or inactive. */
  private async announce(
    manager: EntityManager,
    connection: PairConnection,
    session: Session,
    transitions: Transition[],
    now: number,
    effects: Effects,
  ): Promise<void> {
    for (const transition of transitions) {
      const becameActive = transition.kind === 'activated';
      const becameInactive = transition.kind !== 'activated' && transition.wasActive;
      if (!becameActive && !becameInactive) continue;
      await this.outbox.add(manager, DomainEvent.ProximitySessionChanged, {
        connectionId: connection.connectionId,
        userAId: connection.userAId,
        userBId: connection.userBId,
        active: becameActive,
        at: new Date(transition.at).toISOString(),
      });
      effects.outboxWritten = true;
    }
    effects.toPair(pairOf(connection), message('proximity.session.updated', this.update(connection, session, now)));
  }

  /**
   * Credits pieces (see planCredit) and unlocks every milestone crossed — once per pair and milestone
   * (primary key), with a domain event for the gifts service.
   */
  private async credit(
    manager: EntityManager,
    connection: PairConnection,
    session: Session,
    pieces: Piece[],
  ): Promise<{ session: Session; intervals: IntervalWrite[]; reached: Array<{ milestone: number; giftTier: number }> }> {
    const plan = planCredit(connection, session, pieces, this.rules, newIntervalId);
    const reached: Array<{ milestone: number; giftTier: number }> = [];
    for (const { milestone, reachedAt, accumulatedMs } of plan.crossings) {
      const giftTier = giftTierOf(this.settings.milestones, milestone);
      const inserted = await queryRows<{ milestone_minutes: number }>(
        manager,
        `INSERT INTO proximity_milestones (connection_id, milestone_minutes, gift_tier, reached_at, accumulated_ms)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING milestone_minutes`,
        [connection.connectionId, milestone, giftTier, new Date(reachedAt), accumulatedMs],
      );
      if (inserted.length === 0) continue;
      reached.push({ milestone, giftTier });
      await this.outbox.add(manager, DomainEvent.MilestoneReached, {
        connectionId: connection.connectionId,
        userAId: connection.userAId,
        userBId: connection.userBId,
        milestone,
        reachedAt: new Date(reachedAt).toISOString(),
        accumulatedSeconds: Math.floor(accumulatedMs / 1000),
      });
    }
    return { session: plan.session, intervals: plan.intervals, reached };
  }

  private pushMilestones(
    effects: Effects,
    connection: PairConnection,
    reached: Array<{ milestone: number; giftTier: number }>,
  ): void {
    for (const { milestone, giftTier } of reached) {
      effects.outboxWritten = true;
      effects.toPair(
        pairOf(connection),
        message('proximity.milestone.reached', {
          connectionId: connection.connectionId,
          milestone,
          giftTier,
          message: milestoneMessage(milestone),
        }),
      );
    }
  }

  private update(connection: PairConnection, session: Session | null, now: number) {
    return sessionUpdate(connection, session, now, this.settings.milestones);
  }
}

/** A domain error decided inside a transaction whose writes must still commit. */
class CommittedError extends Error {
  constructor(readonly error: DomainError) {
    super(error.message);
  }
}

function newIntervalId(start: number): string {
  return newId(INTERVAL_ID_PREFIX, start);
}

function pairOf(connection: PairConnection): readonly [string, string] {
  return [connection.userAId, connection.userBId];
}
