import { Controller } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ErrorCode, RpcMethod, type TokenIssueRequest, type TokenIssueResponse } from '@gisbi/contracts';
import { Clock, DomainError, OnRpc } from '@gisbi/platform';
import { ConnectionProjection, isParticipant } from '../connections/connection-projection';
import { TokenStore } from './token-store';

export const CONNECTION_NOT_FOUND = 'Connection not found';

/** POST /connections/:connectionId/proximity/token, relayed by the gateway. */
@Controller()
export class TokenController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projection: ConnectionProjection,
    private readonly tokens: TokenStore,
    private readonly clock: Clock,
  ) {}

  /** Unknown, closed and foreign connections are the same 404: nothing tells them apart. */
  @OnRpc(RpcMethod.proximity.tokenIssue)
  async issue(request: TokenIssueRequest): Promise<TokenIssueResponse> {
    const { connectionId, userId } = request;
    if (typeof connectionId !== 'string' || typeof userId !== 'string') {
      throw DomainError.notFound(ErrorCode.connection_not_found, CONNECTION_NOT_FOUND);
    }
    const attempt = () =>
      this.dataSource.transaction(async (manager) => {
        const connection = await this.projection.lock(manager, connectionId);
        if (!connection) return null;
        if (connection.status !== 'active' || !isParticipant(connection, userId)) return undefined;
        return this.tokens.issue(manager, connectionId, userId, this.clock.now());
      });
    let issued = await attempt();
    if (issued === null && (await this.projection.learn(connectionId, userId))) issued = await attempt();
    if (!issued) throw DomainError.notFound(ErrorCode.connection_not_found, CONNECTION_NOT_FOUND);
    return issued;
  }
}
