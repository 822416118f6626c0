import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Connection, ConnectionRequest } from '@gisbi/contracts';
import { Clock } from '@gisbi/platform';
import { CONNECTIONS_ENV, type ConnectionsEnv } from '../config/connections-config';
import { toConnection } from '../model/connection-view';
import { otherOf } from '../model/pair';
import { compareForRequestList, toConnectionRequest } from '../model/request-view';
import { publicUserOf } from '../model/users';
import type { ConnectionRow } from '../model/records';
import { Peers } from '../peers/peers';
import { ConnectionStore } from '../persistence/connection.store';
import { RequestStore } from '../persistence/request.store';

export interface ConnectionLists {
  activeConnections: Connection[];
  closedConnections: Connection[];
}

export interface RequestLists {
  incomingRequests: ConnectionRequest[];
  sentRequests: ConnectionRequest[];
  requests: ConnectionRequest[];
}

/**
 * A user's connections and requests as the contract lists them, built with one batched call per
 * other service (profiles from auth, liveness from presence, together-time from proximity).
 */
@Injectable()
export class ConnectionViews {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connections: ConnectionStore,
    private readonly requests: RequestStore,
    private readonly peers: Peers,
    private readonly clock: Clock,
    @Inject(CONNECTIONS_ENV) private readonly env: ConnectionsEnv,
  ) {}

  async connectionLists(userId: string): Promise<ConnectionLists> {
    return (await this.load(userId, false)).connections;
  }

  async all(userId: string): Promise<ConnectionLists & RequestLists> {
    const { connections, requests } = await this.load(userId, true);
    return { ...connections, ...requests };
  }

  private async load(userId: string, withRequests: boolean): Promise<{ connections: ConnectionLists; requests: RequestLists }> {
    const manager = this.dataSource.manager;
    const [active, closed, requestRows] = await Promise.all([
      this.connections.findActiveOfUser(manager, userId),
      this.connections.findClosedOfUser(manager, userId, this.env.HISTORY_LIMIT),
      withRequests ? this.requests.listForUser(manager, userId, this.env.HISTORY_LIMIT) : Promise.resolve([]),
    ]);
    const connectionOthers = [...active, ...closed].map((row) => otherOf(row, userId));
    const requestOthers = requestRows.map((row) => otherOf(row, userId));
    const [users, liveness, stats] = await Promise.all([
      this.peers.users([...connectionOthers, ...requestOthers]),
      // Online status is shared with active connections only: a closed one (a block, an unfriending) must
      // not keep telling either user when the other is around.
      this.peers.liveness(active.map((row) => otherOf(row, userId))),
      this.peers.connectionStats(
        active.map((row) => row.id),
        closed.map((row) => row.id),
      ),
    ]);
    const view = (row: ConnectionRow): Connection => {
      const otherId = otherOf(row, userId);
      const stat = stats.get(row.id);
      return toConnection(row, userId, publicUserOf(users, otherId), {
        isOnline: row.status === 'active' && liveness.live.get(otherId) === true,
        accumulatedMinutes: stat?.accumulatedMinutes ?? 0,
        nextMilestoneMinutes: stat?.nextMilestoneMinutes ?? null,
      });
    };
    const connections = { activeConnections: active.map(view), closedConnections: closed.map(view) };

    const now = this.clock.now();
    const all = requestRows
      .map((row) => toConnectionRequest(row, userId, publicUserOf(users, otherOf(row, userId)), now))
      .sort(compareForRequestList);
    const pending = all.filter((request) => request.status === 'pending');
    const history = all.filter((request) => request.status !== 'pending').slice(0, this.env.HISTORY_LIMIT);
    return {
      connections,
      requests: {
        incomingRequests: pending.filter((request) => request.direction === 'incoming'),
        sentRequests: pending.filter((request) => request.direction === 'outgoing'),
        requests: [...pending, ...history],
      },
    };
  }
}
