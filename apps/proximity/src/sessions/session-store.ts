import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryOne, queryPrepared, queryRows, toDate, type PreparedTarget } from '../persistence/sql';
import { connectionFromRow, type PairConnection } from '../connections/connection-projection';
import { FraudFlag } from '../fraud/fraud-signals';
import type { TokenRow } from '../tokens/token-store';
import { mergeIntervalWrites, sessionFromRow, type IntervalWrite, type Session, type SessionRow } from './session-model';

interface TokenColumns {
  t_token: string | null;
  t_connection_id: string | null;
  t_user_id: string | null;
  t_expires_at: Date | null;
  t_accept_until: Date | null;
  t_replaced_at: Date | null;
}

type SnapshotRow = Omit<SessionRow, 'connection_id' | 'user_a_id' | 'user_b_id'> &
  TokenColumns & {
    id: string | null;
    s_version: string | null;
    c_connection_id: string;
    c_user_a_id: string;
    c_user_b_id: string;
    c_status: 'active' | 'closed';
    c_accumulated_ms: string;
    c_unlocked_milestones: number[];
  };

/**
 * The run columns a heartbeat uses (not the position job's, not `updated_at`; participants come from the
 * connection). Besides the immutable `id` and `created_at`, each must be one the `version` trigger counts
 * (migration RunDecisionVersion; an integration test holds the two together).
 */
export const HEARTBEAT_SESSION_COLUMNS: readonly string[] = [
  'id',
  'status',
  'created_at',
  'activated_at',
  'active_since',
  'paused_at',
  'pause_reason',
  'ends_at',
  'ended_at',
  'end_reason',
  'a_confirmed_at',
  'b_confirmed_at',
  'accumulated_ms',
  'current_run_ms',
  'state',
  'pending_flags',
  'relay_suspected',
]
const SNAPSHOT_SESSION_COLUMNS = HEARTBEAT_SESSION_COLUMNS
  .map((column) => `s.${column}`)
  .join(', ');

/** What a plain heartbeat's compare-and-set proves before it writes (see SessionStore.compareAndSet). */
export interface HeartbeatExpectation {
  /** The run's `version` the decision was based on. */
  version: string;
  /** The connection as the decision saw it, before this heartbeat's credit. */
  connection: Pick<PairConnection, 'userAId' | 'userBId' | 'accumulatedMs' | 'unlockedMilestones'>;
  /** The presented token, which must still be `partnerId`'s current token for the connection. */
  token: string;
  partnerId: string;
}

/**
 * The event write: the run, its new or extended intervals and the pair's aggregate in one statement.
 * Row locks are taken in the same order as every transaction here (connection row, then run row, then
 * interval rows): the data dependencies between the CTEs force that order, so a concurrent locked
 * transaction and this statement can never deadlock.
 *
 * As a compare-and-set (`check`) it writes nothing unless the connection row, locked and re-read at its
 * latest version, is still active with the expected participants, total and milestones, the presented
 * token is still the partner's current token at `now` ($17), and the run row is still the expected
 * version — re-checked on its latest row version too, since an UPDATE that finds its row changed
 * re-evaluates its condition on the newest row. It returns the run's new version. A run's `version` counts
 * changes to the columns a heartbeat decides on (a trigger keeps it; see migration RunDecisionVersion), so
 * the timer job's wake-up column and the relay check's bookkeeping do not refuse a heartbeat.
 * The token row is read, unlocked, with the statement's snapshot: a token change that commits while the
 * statement waits for the connection lock is ordered after this heartbeat (token writers hold that lock
 * and write no row this statement writes; closing a connection also changes its status, which the gate
 * re-checks on the latest row).
 * $1 run id, $2–$16 the run's mutable columns, $17 now, $18–$23 interval writes, $24–$27 the aggregate,
 * $28 wake-up; with `check`: $29 run version, $30–$33 connection, $34 token, $35 its owner.
 */
function commitStatement(check: boolean): string {
  const gate = check
    ? `SELECT 1 FROM proximity_connections
         WHERE connection_id = $24 AND status = 'active' AND user_a_id = $30 AND user_b_id = $31
           AND accumulated_ms = $32 AND unlocked_milestones = $33::integer[]
           AND EXISTS (SELECT 1 FROM proximity_tokens
                        WHERE token = $34 AND connection_id = $24 AND user_id = $35
                          AND replaced_at IS NULL AND accept_until > $17)
         FOR UPDATE`
    : `SELECT 1 FROM proximity_connections WHERE connection_id = $24 FOR UPDATE`;
  return `WITH gate AS MATERIALIZED (
         ${gate}),
       saved AS (
         UPDATE proximity_sessions SET
           status = $2, activated_at = $3, active_since = $4, paused_at = $5, pause_reason = $6, ends_at = $7,
           ended_at = $8, end_reason = $9, pause_due_at = CASE WHEN $28::boolean THEN $10 ELSE pause_due_at END,
           a_confirmed_at = $11, b_confirmed_at = $12,
           accumulated_ms = $13, current_run_ms = $14, state = $15, pending_flags = $16, updated_at = $17
         WHERE id = $1${check ? ' AND version = $29::bigint' : ''} AND EXISTS (SELECT 1 FROM gate)
         RETURNING version::text AS version),
       intervals AS (
         INSERT INTO verified_intervals (id, connection_id, session_id, started_at, ended_at, flags)
         SELECT * FROM unnest($18::text[], $19::text[], $20::text[], $21::timestamptz[], $22::timestamptz[], $23::integer[])
          WHERE EXISTS (SELECT 1 FROM saved)
         ON CONFLICT (id) DO UPDATE SET ended_at = EXCLUDED.ended_at
         RETURNING 1),
       progress AS (
         UPDATE proximity_connections SET accumulated_ms = $25, unlocked_milestones = $26, updated_at = $17
          WHERE connection_id = $24 AND $27::boolean AND EXISTS (SELECT 1 FROM saved)
         RETURNING 1)
       SELECT (SELECT version FROM saved) AS version`;
}

function tokenFromColumns(row: TokenColumns): TokenRow | undefined {
  if (row.t_token === null) return undefined;
  return {
    token: row.t_token,
    connection_id: row.t_connection_id ?? '',
    user_id: row.t_user_id ?? '',
    expires_at: row.t_expires_at ?? new Date(0),
    accept_until: row.t_accept_until ?? new Date(0),
    replaced_at: row.t_replaced_at,
  };
}

/** SQL for runs and their credited intervals. Callers hold the connection's row lock. */
@Injectable()
export class SessionStore {
  async current(manager: EntityManager, connectionId: string): Promise<Session | null> {
    const row = await queryOne<SessionRow>(
      manager,
      `SELECT * FROM proximity_sessions WHERE connection_id = $1 AND status <> 'ended'`,
      [connectionId],
    );
    return row ? sessionFromRow(row) : null;
  }

  /** The current runs of several connections, by connection id, in one query. */
  async currentMany(manager: EntityManager, connectionIds: readonly string[]): Promise<Map<string, Session>> {
    if (connectionIds.length === 0) return new Map();
    const rows = await queryRows<SessionRow>(
      manager,
      `SELECT * FROM proximity_sessions WHERE connection_id = ANY($1) AND status <> 'ended'`,
      [connectionIds],
    );
    return new Map(rows.map((row) => [row.connection_id, sessionFromRow(row)]));
  }

  async insert(manager: EntityManager, session: Session, now: Date): Promise<void> {
    await manager.query(
      `INSERT INTO proximity_sessions (
         id, connection_id, user_a_id, user_b_id, status, created_at, activated_at, active_since, paused_at, pause_reason,
         ends_at, ended_at, end_reason, pause_due_at, a_confirmed_at, b_confirmed_at, accumulated_ms, current_run_ms,
         state, pending_flags, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
      [
        session.id,
        session.connectionId,
        session.userAId,
        session.userBId,
        session.status,
        new Date(session.createdAt),
        ...this.mutableValues(session).slice(1),
        now,
      ],
    );
  }

  /** Writes everything the command path owns (never the columns the position job owns). */
  async save(manager: EntityManager, session: Session, now: Date): Promise<void> {
    await manager.query(
      `UPDATE proximity_sessions SET
         status = $2, activated_at = $3, active_since = $4, paused_at = $5, pause_reason = $6, ends_at = $7,
         ended_at = $8, end_reason = $9, pause_due_at = $10, a_confirmed_at = $11, b_confirmed_at = $12,
         accumulated_ms = $13, current_run_ms = $14, state = $15, pending_flags = $16, updated_at = $17
       WHERE id = $1`,
      [session.id, ...this.mutableValues(session), now],
    );
  }

  /**
   * Heartbeats keep a run's real deadline in `state` and leave the indexed `pause_due_at` alone (HOT
   * updates), so the column falls behind for every run still being heartbeated. This moves it forward to
   * the real deadline in one statement that locks no connection, so the timer job claims (and locks) only
   * runs that are really due. Returns how many runs were deferred.
   */
  async deferEarlyWakeUps(manager: EntityManager, now: number): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `UPDATE proximity_sessions
          SET pause_due_at = CASE WHEN state->>'pauseDueAt' IS NULL THEN NULL
                                  ELSE to_timestamp((state->>'pauseDueAt')::double precision / 1000) END
        WHERE status = 'active' AND pause_due_at < $1
          AND (state->>'pauseDueAt' IS NULL OR (state->>'pauseDueAt')::double precision >= $2)
        RETURNING id`,
      [new Date(now), now],
    );
    return rows.length;
  }

  /** The timer job found these runs not due yet: each wakes up again when its evidence would run out. */
  async setWakeUps(manager: EntityManager, wakeUps: ReadonlyArray<{ sessionId: string; at: number | null }>): Promise<void> {
    if (wakeUps.length === 0) return;
    await manager.query(
      `UPDATE proximity_sessions s SET pause_due_at = v.at
         FROM unnest($1::text[], $2::timestamptz[]) AS v(id, at)
        WHERE s.id = v.id`,
      [wakeUps.map((w) => w.sessionId), wakeUps.map((w) => toDate(w.at))],
    );
  }

  /** A freshly activated run gets its radar positions compared at the next job tick. */
  async schedulePositionCheck(manager: EntityManager, sessionId: string, at: Date): Promise<void> {
    await manager.query(`UPDATE proximity_sessions SET positions_due_at = $2 WHERE id = $1`, [sessionId, at]);
  }

  /** A replayed token taints the next credited interval of the connection's current run. */
  async flagReplay(manager: EntityManager, connectionId: string): Promise<void> {
    await manager.query(
      `UPDATE proximity_sessions SET pending_flags = pending_flags | $2 WHERE connection_id = $1 AND status <> 'ended'`,
      [connectionId, FraudFlag.tokenReplay],
    );
  }

  /**
   * The connection's current run and the presented token, in one round trip (the caller already holds
   * the connection's lock, so this statement sees every committed change).
   */
  async loadForProof(manager: EntityManager, connectionId: string, token: string | null): Promise<{ session: Session | null; token: TokenRow | undefined }> {
    const [row] = await queryPrepared<SessionRow & { id: string | null } & TokenColumns>(
      manager,
      'proximity_load_for_proof',
      `SELECT s.*, t.token AS t_token, t.connection_id AS t_connection_id, t.user_id AS t_user_id,
              t.expires_at AS t_expires_at, t.accept_until AS t_accept_until, t.replaced_at AS t_replaced_at
         FROM (SELECT 1) AS one
         LEFT JOIN proximity_sessions s ON s.connection_id = $1 AND s.status <> 'ended'
         LEFT JOIN proximity_tokens t ON t.token = $2`,
      [connectionId, token],
    );
    if (!row) return { session: null, token: undefined };
    return { session: row.id === null ? null : sessionFromRow(row), token: tokenFromColumns(row) };
  }

  /**
   * Writes an event's outcome in one statement: the run, its new or extended intervals and — when time
   * was credited — the pair's aggregate. Callers hold the connection's row lock. The timer job's wake-up
   * column (`pause_due_at`) is written only with `wakeUp` (activation): heartbeats change no indexed column.
   */
  async commit(
    manager: EntityManager,
    session: Session,
    intervals: readonly IntervalWrite[],
    progress: PairConnection | null,
    now: Date,
    options: { wakeUp?: boolean } = {},
  ): Promise<void> {
    await queryPrepared(manager, 'proximity_commit_event', commitStatement(false), [
      ...this.commitValues(session, intervals, progress, now),
      options.wakeUp ?? false,
    ]);
  }

  /**
   * A plain heartbeat's write as a compare-and-set, without a transaction: the same writes as `commit`,
   * applied only if everything the heartbeat was decided on is still true — the run row is still
   * `expected.version` (changed by every write to what a heartbeat decides on), the connection is still active with
   * the same participants, total and milestones, and the presented token is still the partner's current
   * one at `now`. Returns the run row's new version, or null when nothing was written.
   */
  async compareAndSet(
    manager: PreparedTarget,
    session: Session,
    intervals: readonly IntervalWrite[],
    progress: PairConnection | null,
    now: Date,
    expected: HeartbeatExpectation,
  ): Promise<string | null> {
    const [result] = await queryPrepared<{ version: string | null }>(manager, 'proximity_commit_heartbeat', commitStatement(true), [
      ...this.commitValues(session, intervals, progress, now),
      false,
      expected.version,
      expected.connection.userAId,
      expected.connection.userBId,
      expected.connection.accumulatedMs,
      expected.connection.unlockedMilestones,
      expected.token,
      expected.partnerId,
    ]);
    return result?.version ?? null;
  }

  /**
   * The optimistic heartbeat's snapshot, one statement without locks: the connection, its current run with
   * its `version` and the presented token. Only the columns a heartbeat uses (the run's participants are
   * the connection's).
   */
  async snapshotForHeartbeat(
    manager: PreparedTarget,
    connectionId: string,
    token: string,
  ): Promise<{ connection: PairConnection | undefined; session: Session | null; version: string | null; token: TokenRow | undefined }> {
    const [row] = await queryPrepared<SnapshotRow>(
      manager,
      'proximity_heartbeat_snapshot',
      `SELECT c.connection_id AS c_connection_id, c.user_a_id AS c_user_a_id, c.user_b_id AS c_user_b_id, c.status AS c_status,
              c.accumulated_ms AS c_accumulated_ms, c.unlocked_milestones AS c_unlocked_milestones,
              ${SNAPSHOT_SESSION_COLUMNS}, s.version::text AS s_version,
              t.token AS t_token, t.connection_id AS t_connection_id, t.user_id AS t_user_id,
              t.expires_at AS t_expires_at, t.accept_until AS t_accept_until, t.replaced_at AS t_replaced_at
         FROM proximity_connections c
         LEFT JOIN proximity_sessions s ON s.connection_id = c.connection_id AND s.status <> 'ended'
         LEFT JOIN proximity_tokens t ON t.token = $2
        WHERE c.connection_id = $1`,
      [connectionId, token],
    );
    if (!row) return { connection: undefined, session: null, version: null, token: undefined };
    return {
      connection: connectionFromRow({
        connection_id: row.c_connection_id,
        user_a_id: row.c_user_a_id,
        user_b_id: row.c_user_b_id,
        status: row.c_status,
        accumulated_ms: row.c_accumulated_ms,
        unlocked_milestones: row.c_unlocked_milestones,
      }),
      session:
        row.id === null
          ? null
          : sessionFromRow({ ...row, connection_id: row.c_connection_id, user_a_id: row.c_user_a_id, user_b_id: row.c_user_b_id }),
      version: row.s_version,
      token: tokenFromColumns(row),
    };
  }

  /** $1–$27 of both commit statements. */
  private commitValues(session: Session, intervals: readonly IntervalWrite[], progress: PairConnection | null, now: Date): unknown[] {
    const writes = mergeIntervalWrites(intervals);
    return [
      session.id,
      ...this.mutableValues(session),
      now,
      writes.map((w) => w.id),
      writes.map((w) => w.connectionId),
      writes.map((w) => w.sessionId),
      writes.map((w) => new Date(w.start)),
      writes.map((w) => new Date(w.end)),
      writes.map((w) => w.flags),
      progress?.connectionId ?? session.connectionId,
      progress?.accumulatedMs ?? 0,
      progress?.unlockedMilestones ?? [],
      progress !== null,
    ];
  }

  private mutableValues(session: Session): unknown[] {
    return [
      session.status,
      toDate(session.activatedAt),
      toDate(session.activeSince),
      toDate(session.pausedAt),
      session.pauseReason,
      toDate(session.endsAt),
      toDate(session.endedAt),
      session.endReason,
      toDate(session.pauseDueAt),
      toDate(session.aConfirmedAt),
      toDate(session.bConfirmedAt),
      session.accumulatedMs,
      session.currentRunMs,
      JSON.stringify({ ...session.state, pauseDueAt: session.pauseDueAt }),
      session.pendingFlags,
    ];
  }
}
