import { Controller, Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RpcMethod, type BootstrapPart, type BootstrapRequest, type ProximitySession } from '@gisbi/contracts';
import { Clock, OnRpc } from '@gisbi/platform';
import { PROXIMITY_SETTINGS, type ProximitySettings } from '../config/proximity-config';
import { ConnectionProjection } from '../connections/connection-projection';
import { queryRows } from '../persistence/sql';
import { applyTimeouts, sessionFromRow, type RuleSettings, type SessionRow } from '../sessions/session-model';
import { TokenStore } from '../tokens/token-store';

/**
 * The proximity part of session.bootstrap: the user's current active (else most recent paused) run with
 * their live BLE token, so a reconnecting phone resumes advertising without a new token request.
 */
@Controller()
export class ProximityBootstrapHandler {
  private readonly rules: RuleSettings;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projection: ConnectionProjection,
    private readonly tokens: TokenStore,
    private readonly clock: Clock,
    @Inject(PROXIMITY_SETTINGS) settings: ProximitySettings,
  ) {
    this.rules = { ...settings };
  }

  @OnRpc(RpcMethod.all.bootstrap)
  async bootstrap(request: BootstrapRequest): Promise<BootstrapPart> {
    const now = this.clock.nowMs();
    const rows = await queryRows<SessionRow>(
      this.dataSource.manager,
      `SELECT s.* FROM proximity_sessions s
         JOIN proximity_connections c ON c.connection_id = s.connection_id AND c.status = 'active'
        WHERE (s.user_a_id = $1 OR s.user_b_id = $1) AND s.status <> 'ended'
        ORDER BY (s.status = 'active') DESC, s.updated_at DESC
        LIMIT 20`,
      [request.userId],
    );
    const current = rows
      .map((row) => applyTimeouts(sessionFromRow(row), now, this.rules).session)
      .filter((session) => session.status !== 'ended')
      .sort((x, y) => Number(y.status === 'active') - Number(x.status === 'active'))[0];
    if (!current) return { proximitySession: null };
    const connection = await this.projection.find(current.connectionId);
    if (!connection) return { proximitySession: null };
    const token = await this.tokens.current(current.connectionId, request.userId, new Date(now));
    const proximitySession: ProximitySession = {
      connectionId: current.connectionId,
      accumulatedSeconds: Math.floor(connection.accumulatedMs / 1000),
      status: current.status,
      currentSessionSeconds: current.status === 'active' ? Math.floor(current.currentRunMs / 1000) : 0,
      unlockedMilestones: [...connection.unlockedMilestones].sort((a, b) => a - b),
      bleToken: token?.token ?? null,
      bleTokenExpiresAt: token ? token.expiresAt.toISOString() : null,
    };
    return { proximitySession };
  }
}
