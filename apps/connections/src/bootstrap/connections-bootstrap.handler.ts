import { Controller } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { RpcMethod, type BootstrapPart, type BootstrapRequest } from '@gisbi/contracts';
import { OnRpc } from '@gisbi/platform';
import { BlockEntity } from '../safety/block.entity';

/** The connections part of session.bootstrap: `incomingRequests`, `sentRequests`, `requests`, connections, `blockedUserIds`, `safetyReports`. */
@Controller()
export class ConnectionsBootstrapHandler {
  constructor(@InjectRepository(BlockEntity) private readonly repository: Repository<BlockEntity>) {}

  @OnRpc(RpcMethod.all.bootstrap)
  async bootstrap(request: BootstrapRequest): Promise<BootstrapPart> {
    const blocks = await this.repository.find({ where: { blockerId: request.userId }, order: { createdAt: 'DESC' } });
    return {
      incomingRequests: [],
      sentRequests: [],
      requests: [],
      activeConnections: [],
      closedConnections: [],
      blockedUserIds: blocks.map((block) => block.blockedId),
      safetyReports: [],
    };
  }
}
