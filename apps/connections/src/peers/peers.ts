import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  RpcMethod,
  type ConnectionStats,
  type ConnectionStatsRequest,
  type ConnectionStatsResponse,
  type LivenessRequest,
  type LivenessResponse,
  type Location,
} from '@gisbi/contracts';
import { NatsClient, UserDirectory, type DirectoryUser } from '@gisbi/platform';
import { CONNECTIONS_ENV, type ConnectionsEnv } from '../config/connections-config';

export interface Liveness {
  live: ReadonlyMap<string, boolean>;
  positions: ReadonlyMap<string, Location | null>;
}

/**
 * What this service asks other services, always batched (one request per call, whatever the number of
 * IDs). Profiles are required (auth failing fails the command); liveness and together-time are
 * enrichment: on error or past PEER_RPC_TIMEOUT_MS they fall back (offline, 0 minutes, first configured
 * milestone) and log, so presence or proximity being down never breaks connections.
 */
@Injectable()
export class Peers {
  private readonly logger = new Logger(Peers.name);

  constructor(
    private readonly directory: UserDirectory,
    private readonly nats: NatsClient,
    @Inject(CONNECTIONS_ENV) private readonly env: ConnectionsEnv,
  ) {}

  users(userIds: Iterable<string>): Promise<Map<string, DirectoryUser>> {
    return this.directory.getMany(userIds);
  }

  async liveness(userIds: Iterable<string>, includePositions = false): Promise<Liveness> {
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return { live: new Map(), positions: new Map() };
    try {
      const response = await this.nats.rpc<LivenessResponse, LivenessRequest>(
        'presence',
        RpcMethod.presence.liveness,
        { userIds: unique, ...(includePositions ? { includePositions: true } : {}) },
        this.env.PEER_RPC_TIMEOUT_MS,
      );
      return {
        live: new Map(Object.entries(response.live ?? {})),
        positions: new Map(Object.entries(response.positions ?? {})),
      };
    } catch (error) {
      this.logger.warn(`presence liveness unavailable, treating ${unique.length} users as offline: ${describe(error)}`);
      return { live: new Map(), positions: new Map() };
    }
  }

  /** Together-time per connection; connections proximity does not report get the fallback. */
  async connectionStats(active: readonly string[], closed: readonly string[] = []): Promise<Map<string, ConnectionStats>> {
    const stats = new Map<string, ConnectionStats>();
    for (const id of active) stats.set(id, { accumulatedMinutes: 0, nextMilestoneMinutes: this.firstMilestone() });
    for (const id of closed) stats.set(id, { accumulatedMinutes: 0, nextMilestoneMinutes: null });
    const connectionIds = [...stats.keys()];
    if (connectionIds.length === 0) return stats;
    try {
      const response = await this.nats.rpc<ConnectionStatsResponse, ConnectionStatsRequest>(
        'proximity',
        RpcMethod.proximity.connectionStats,
        { connectionIds },
        this.env.PEER_RPC_TIMEOUT_MS,
      );
      for (const [id, value] of Object.entries(response.stats ?? {})) {
        if (stats.has(id)) stats.set(id, value);
      }
    } catch (error) {
      this.logger.warn(`proximity stats unavailable for ${connectionIds.length} connections, using defaults: ${describe(error)}`);
    }
    return stats;
  }

  /** A new connection's next milestone: the first configured one. */
  firstMilestone(): number | null {
    return this.env.PROXIMITY_MILESTONES_MINUTES[0] ?? null;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
