import { Controller } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RpcMethod, type BootstrapPart, type BootstrapRequest } from '@gisbi/contracts';
import { OnRpc } from '@gisbi/platform';
import { ConnectionViews } from '../connections/connection-views';
import { SafetyStore } from '../persistence/safety.store';
import { SafetyService } from '../safety/safety.service';

/** The connections part of session.bootstrap: `incomingRequests`, `sentRequests`, `requests`, connections, `blockedUserIds`, `safetyReports`. */
@Controller()
export class ConnectionsBootstrapHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly views: ConnectionViews,
    private readonly safetyStore: SafetyStore,
    private readonly safety: SafetyService,
  ) {}

  @OnRpc(RpcMethod.all.bootstrap)
  async bootstrap(request: BootstrapRequest): Promise<BootstrapPart> {
    const [lists, blockedUserIds, safetyReports] = await Promise.all([
      this.views.all(request.userId),
      this.safetyStore.blockedBy(this.dataSource.manager, request.userId),
      this.safety.reportsOf(request.userId),
    ]);
    return { ...lists, blockedUserIds, safetyReports };
  }
}
