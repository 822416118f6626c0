import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RpcMethod, type PositionsRequest, type PositionsResponse } from '@gisbi/contracts';
import { Clock, Deliverer, message, NatsClient, PeriodicJobs } from '@gisbi/platform';
import { PROXIMITY_SETTINGS, type ProximitySettings } from '../config/proximity-config';
import { judgeRelay } from '../fraud/fraud-signals';
import { queryRows } from '../persistence/sql';
import { ProximityEngine } from '../sessions/proximity-engine';
import { TokenStore, type RotatedToken } from '../tokens/token-store';

/**
 * Background work, run by every replica; each job claims its items atomically (SKIP LOCKED / UPDATE ...
 * RETURNING), so every item is handled exactly once however many replicas run. The methods are public so
 * tests call them directly after moving the clock.
 */
@Injectable()
export class ProximityJobs implements OnApplicationBootstrap {
  private readonly logger = new Logger(ProximityJobs.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly jobs: PeriodicJobs,
    private readonly engine: ProximityEngine,
    private readonly tokens: TokenStore,
    private readonly nats: NatsClient,
    private readonly deliverer: Deliverer,
    @Inject(PROXIMITY_SETTINGS) private readonly settings: ProximitySettings,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.settings.jobPollIntervalMs;
    this.jobs.every('proximity.sessions.expire', every, () => this.expireSessions());
    this.jobs.every('proximity.tokens.rotate', every, () => this.rotateTokens());
    this.jobs.every('proximity.positions.check', every, () => this.checkPositions());
    this.jobs.every('proximity.tokens.purge', every * 60, () => this.purgeTokens());
  }

  /** Pauses runs whose heartbeats stopped (after the window) and ends runs whose grace is over. */
  async expireSessions(): Promise<number> {
    let total = 0;
    for (;;) {
      const handled = await this.engine.expireDueSessions(100);
      total += handled;
      if (handled < 100) return total;
    }
  }

  /**
   * Replaces tokens of participants in a running (active or paused) session shortly before they expire
   * and pushes proximity.token.rotate to the owner. Connections are claimed with their row lock (the same
   * lock a token request takes), so a rotation never races a re-issue.
   */
  async rotateTokens(): Promise<RotatedToken[]> {
    const now = this.clock.now();
    const due = new Date(now.getTime() + this.settings.rotateBeforeMs);
    const rotated = await this.dataSource.transaction(async (manager) => {
      const claimed = await queryRows<{ connection_id: string }>(
        manager,
        `SELECT c.connection_id FROM proximity_tokens t
           JOIN proximity_connections c ON c.connection_id = t.connection_id
          WHERE t.replaced_at IS NULL AND t.expires_at > $1 AND t.expires_at <= $2 AND c.status = 'active'
            AND EXISTS (SELECT 1 FROM proximity_sessions s
                         WHERE s.connection_id = t.connection_id
                           AND (s.status = 'active' OR (s.status = 'paused' AND s.ends_at > $1)))
          ORDER BY t.expires_at
          LIMIT 200
          FOR UPDATE OF c SKIP LOCKED`,
        [now, due],
      );
      const connectionIds = [...new Set(claimed.map((row) => row.connection_id))];
      return this.tokens.rotateDue(manager, connectionIds, now);
    });
    for (const token of rotated) {
      this.deliverer.toUser(
        token.userId,
        message('proximity.token.rotate', {
          connectionId: token.connectionId,
          token: token.token,
          expiresAt: token.expiresAt.toISOString(),
        }),
      );
    }
    return rotated;
  }

  /**
   * Relay check: compares both phones' last radar positions (one batched presence request for every
   * claimed run, short timeout). Without an answer nothing changes; the check is tried again later.
   */
  async checkPositions(): Promise<number> {
    const now = this.clock.now();
    const claimed = await queryRows<{ id: string; user_a_id: string; user_b_id: string }>(
      this.dataSource.manager,
      `UPDATE proximity_sessions SET positions_due_at = $2
        WHERE id IN (
          SELECT id FROM proximity_sessions
           WHERE status = 'active' AND positions_due_at <= $1
           ORDER BY positions_due_at LIMIT 200 FOR UPDATE SKIP LOCKED)
        RETURNING id, user_a_id, user_b_id`,
      [now, new Date(now.getTime() + this.settings.positionCheckMs)],
    );
    if (claimed.length === 0) return 0;
    const userIds = [...new Set(claimed.flatMap((row) => [row.user_a_id, row.user_b_id]))];
    let positions: PositionsResponse['positions'];
    try {
      const response = await this.nats.rpc<PositionsResponse, PositionsRequest>(
        'presence',
        RpcMethod.presence.positions,
        { userIds },
        this.settings.presenceTimeoutMs,
      );
      positions = response.positions ?? {};
    } catch (error) {
      this.logger.debug(`presence positions unavailable: ${String(error)}`);
      return 0;
    }
    const ids: string[] = [];
    const suspected: boolean[] = [];
    const distances: Array<number | null> = [];
    for (const row of claimed) {
      const verdict = judgeRelay(positions[row.user_a_id], positions[row.user_b_id], now.getTime(), this.settings);
      ids.push(row.id);
      suspected.push(verdict.known && verdict.suspected);
      distances.push(verdict.known ? verdict.distanceMeters : null);
    }
    await this.dataSource.manager.query(
      `UPDATE proximity_sessions s SET relay_suspected = v.suspected, last_distance_m = v.distance
         FROM unnest($1::text[], $2::boolean[], $3::double precision[]) AS v(id, suspected, distance)
        WHERE s.id = v.id AND s.status = 'active'`,
      [ids, suspected, distances],
    );
    return claimed.length;
  }

  async purgeTokens(): Promise<number> {
    return this.tokens.purge(this.clock.now());
  }
}
