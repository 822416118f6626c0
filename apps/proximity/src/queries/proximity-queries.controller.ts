import { Controller, Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  ErrorCode,
  RpcMethod,
  type ConnectionStatsRequest,
  type ConnectionStatsResponse,
  type ProximitySessionSummary,
  type SummaryRequest,
  type SummaryResponse,
  type VerifiedTimeRequest,
  type VerifiedTimeResponse,
} from '@gisbi/contracts';
import { Clock, DomainError, OnRpc } from '@gisbi/platform';
import { PROXIMITY_SETTINGS, type ProximitySettings } from '../config/proximity-config';
import { ConnectionProjection } from '../connections/connection-projection';
import { flagsToRecord } from '../fraud/fraud-signals';
import { nextMilestone } from '../milestones/milestones';
import { queryRows } from '../persistence/sql';
import { applyTimeouts, sessionFromRow, type RuleSettings, type SessionRow } from '../sessions/session-model';
import { CONNECTION_NOT_FOUND } from '../tokens/token.controller';
import { addByLocalDay, isValidTimeZone, toDaySeconds } from '../time/local-days';

/** Sessions listed in a summary, newest first. */
export const RECENT_SESSIONS = 10;
/** Connection IDs answered per connection_stats request. */
export const MAX_STATS_BATCH = 1000;

/** Read side: the REST summary (participants only), and verified time and stats for other services. */
@Controller()
export class ProximityQueriesController {
  private readonly rules: RuleSettings;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projection: ConnectionProjection,
    private readonly clock: Clock,
    @Inject(PROXIMITY_SETTINGS) private readonly settings: ProximitySettings,
  ) {
    this.rules = { ...settings };
  }

  /** GET /connections/:connectionId/proximity/summary. Unknown, closed and foreign are the same 404. */
  @OnRpc(RpcMethod.proximity.summary)
  async summary(request: SummaryRequest): Promise<SummaryResponse> {
    const { connectionId, userId } = request;
    const connection =
      typeof connectionId === 'string' && typeof userId === 'string'
        ? await this.projection.findForViewer(connectionId, userId)
        : undefined;
    if (!connection || connection.status !== 'active') {
      throw DomainError.notFound(ErrorCode.connection_not_found, CONNECTION_NOT_FOUND);
    }
    const now = this.clock.nowMs();
    const rows = await queryRows<SessionRow>(
      this.dataSource.manager,
      `SELECT * FROM proximity_sessions WHERE connection_id = $1 AND activated_at IS NOT NULL
        ORDER BY activated_at DESC LIMIT $2`,
      [connectionId, RECENT_SESSIONS],
    );
    const sessions: ProximitySessionSummary[] = rows.map((row) => {
      // Shown as time has already decided, even if the background job has not caught up yet.
      const session = applyTimeouts(sessionFromRow(row), now, this.rules).session;
      return {
        startedAt: new Date(session.activatedAt ?? session.createdAt).toISOString(),
        endedAt: session.endedAt === null ? null : new Date(session.endedAt).toISOString(),
        durationSeconds: Math.floor(session.accumulatedMs / 1000),
        status: session.status,
      };
    });
    const next = nextMilestone(this.settings.milestones, connection.unlockedMilestones);
    return {
      connectionId,
      accumulatedSeconds: Math.floor(connection.accumulatedMs / 1000),
      accumulatedMinutes: Math.floor(connection.accumulatedMs / this.settings.minuteMs),
      unlockedMilestones: [...connection.unlockedMilestones].sort((a, b) => a - b),
      nextMilestone: next,
      secondsUntilNext: next === null ? null : Math.max(0, Math.ceil((next * this.settings.minuteMs - connection.accumulatedMs) / 1000)),
      sessions,
    };
  }

  /**
   * Verified time of a connection, total and per calendar day of `timeZone` (split at local midnight),
   * within [from, to); whether the pair is in an active verified run now; fraud signals of those intervals.
   */
  @OnRpc(RpcMethod.proximity.verifiedTime)
  async verifiedTime(request: VerifiedTimeRequest): Promise<VerifiedTimeResponse> {
    if (!isValidTimeZone(request.timeZone)) {
      throw DomainError.badRequest(ErrorCode.invalid_payload, 'timeZone must be an IANA time zone name');
    }
    const now = this.clock.nowMs();
    const from = parseInstant(request.from, 'from') ?? 0;
    const to = parseInstant(request.to, 'to') ?? now;
    if (from > to) throw DomainError.badRequest(ErrorCode.invalid_payload, 'from must not be after to');
    const connection = typeof request.connectionId === 'string' ? await this.projection.find(request.connectionId) : undefined;
    if (!connection) throw DomainError.notFound(ErrorCode.connection_not_found, CONNECTION_NOT_FOUND);

    const intervals = await queryRows<{ started_at: Date; ended_at: Date; flags: number }>(
      this.dataSource.manager,
      `SELECT started_at, ended_at, flags FROM verified_intervals
        WHERE connection_id = $1 AND ended_at > $2 AND started_at < $3 ORDER BY started_at`,
      [connection.connectionId, new Date(from), new Date(to)],
    );
    const byDay = new Map<string, number>();
    let flags = 0;
    for (const interval of intervals) {
      const start = Math.max(interval.started_at.getTime(), from);
      const end = Math.min(interval.ended_at.getTime(), to);
      if (end <= start) continue;
      addByLocalDay(start, end, request.timeZone, byDay);
      flags |= interval.flags;
    }
    const active = await queryRows<SessionRow>(
      this.dataSource.manager,
      `SELECT * FROM proximity_sessions WHERE connection_id = $1 AND status = 'active'`,
      [connection.connectionId],
    );
    const activeNow =
      connection.status === 'active' && active.some((row) => applyTimeouts(sessionFromRow(row), now, this.rules).session.status === 'active');
    return { ...toDaySeconds(byDay), activeNow, fraudSignals: flagsToRecord(flags) };
  }

  /** accumulatedMinutes / nextMilestoneMinutes for Connection lists, batched. Unknown IDs are absent. */
  @OnRpc(RpcMethod.proximity.connectionStats)
  async connectionStats(request: ConnectionStatsRequest): Promise<ConnectionStatsResponse> {
    const ids = Array.isArray(request.connectionIds)
      ? [...new Set(request.connectionIds.filter((id): id is string => typeof id === 'string'))]
      : [];
    if (ids.length > MAX_STATS_BATCH) {
      throw DomainError.badRequest(ErrorCode.invalid_payload, `at most ${MAX_STATS_BATCH} connection ids per request`);
    }
    const stats: ConnectionStatsResponse['stats'] = {};
    for (const connection of await this.projection.findMany(ids)) {
      stats[connection.connectionId] = {
        accumulatedMinutes: Math.floor(connection.accumulatedMs / this.settings.minuteMs),
        // A closed connection earns no more time: it has no next milestone.
        nextMilestoneMinutes:
          connection.status === 'active' ? nextMilestone(this.settings.milestones, connection.unlockedMilestones) : null,
      };
    }
    return { stats };
  }
}

function parseInstant(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(parsed)) throw DomainError.badRequest(ErrorCode.invalid_payload, `${name} must be an ISO-8601 timestamp`);
  return parsed;
}
