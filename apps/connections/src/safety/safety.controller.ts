import { Controller } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  ClientEvent,
  RpcMethod,
  type BlocksOfRequest,
  type BlocksOfResponse,
  type SafetyBlockPayload,
  type SafetyReportPayload,
  type SafetyUnblockPayload,
} from '@gisbi/contracts';
import { OnCommand, OnRpc, type Command, type CommandResult } from '@gisbi/platform';
import { SafetyStore } from '../persistence/safety.store';
import { SafetyService } from './safety.service';

@Controller()
export class SafetyController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly service: SafetyService,
    private readonly safety: SafetyStore,
  ) {}

  @OnCommand(ClientEvent.SafetyReport)
  async report(command: Command<SafetyReportPayload>): Promise<CommandResult> {
    return this.service.report(command);
  }

  @OnCommand(ClientEvent.SafetyBlock)
  async block(command: Command<SafetyBlockPayload>): Promise<CommandResult> {
    return this.service.block(command);
  }

  @OnCommand(ClientEvent.SafetyUnblock)
  async unblock(command: Command<SafetyUnblockPayload>): Promise<CommandResult> {
    return this.service.unblock(command);
  }

  /** Both directions of a user's blocks, for other services' filters (radar, chat). Internal only. */
  @OnRpc(RpcMethod.connections.blocksOf)
  async blocksOf(request: BlocksOfRequest): Promise<BlocksOfResponse> {
    if (!request.userId) return { blockedUserIds: [], blockedByUserIds: [] };
    const manager = this.dataSource.manager;
    const [blockedUserIds, blockedByUserIds] = await Promise.all([
      this.safety.blockedBy(manager, request.userId),
      this.safety.blockersOf(manager, request.userId),
    ]);
    return { blockedUserIds, blockedByUserIds };
  }
}
