import { Controller } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  ClientEvent,
  RpcMethod,
  type ActiveBetweenRequest,
  type ActiveBetweenResponse,
  type ConnectionClosePayload,
  type ConnectionGetRequest,
  type ConnectionGetResponse,
  type ConnectionHistoryFetchPayload,
} from '@gisbi/contracts';
import { message, OnCommand, OnRpc, type Command, type CommandResult } from '@gisbi/platform';
import { toConnectionRecord } from '../model/connection-view';
import { isParticipant, orderedPair } from '../model/pair';
import { ConnectionStore } from '../persistence/connection.store';
import { ConnectionViews } from './connection-views';
import { ConnectionsService } from './connections.service';

/** Socket commands on connections, and the connection lookups other services ask for. */
@Controller()
export class ConnectionsController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly service: ConnectionsService,
    private readonly views: ConnectionViews,
    private readonly connections: ConnectionStore,
  ) {}

  @OnCommand(ClientEvent.ConnectionClose)
  async close(command: Command<ConnectionClosePayload>): Promise<CommandResult> {
    return this.service.close(command);
  }

  @OnCommand(ClientEvent.ConnectionHistoryFetch)
  async history(command: Command<ConnectionHistoryFetchPayload>): Promise<CommandResult> {
    return message('connection.history.fetch', await this.views.connectionLists(command.userId));
  }

  /** The pair's active connection, if any (chat and proximity gate on it). */
  @OnRpc(RpcMethod.connections.activeBetween)
  async activeBetween(request: ActiveBetweenRequest): Promise<ActiveBetweenResponse> {
    if (!request.userAId || !request.userBId || request.userAId === request.userBId) return { connection: null };
    const [userAId, userBId] = orderedPair(request.userAId, request.userBId);
    const row = await this.connections.findActiveBetween(this.dataSource.manager, userAId, userBId);
    return { connection: row ? toConnectionRecord(row) : null };
  }

  /** One connection, active or closed; with `viewerId`, null unless the viewer is a participant. */
  @OnRpc(RpcMethod.connections.connectionGet)
  async get(request: ConnectionGetRequest): Promise<ConnectionGetResponse> {
    if (!request.connectionId) return { connection: null };
    const row = await this.connections.findById(this.dataSource.manager, request.connectionId);
    if (!row || (request.viewerId !== undefined && !isParticipant(row, request.viewerId))) return { connection: null };
    return { connection: toConnectionRecord(row) };
  }
}
