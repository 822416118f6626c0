import { Controller } from '@nestjs/common';
import {
  ClientEvent,
  type ConnectionRequestAcceptPayload,
  type ConnectionRequestRejectPayload,
  type ConnectionRequestSendPayload,
} from '@gisbi/contracts';
import { OnCommand, type Command, type CommandResult } from '@gisbi/platform';
import { RequestsService } from './requests.service';

/** Socket commands on connection requests (payloads are validated against the contract before these run). */
@Controller()
export class RequestsController {
  constructor(private readonly requests: RequestsService) {}

  @OnCommand(ClientEvent.ConnectionRequestSend)
  async send(command: Command<ConnectionRequestSendPayload>): Promise<CommandResult> {
    return this.requests.send(command);
  }

  @OnCommand(ClientEvent.ConnectionRequestAccept)
  async accept(command: Command<ConnectionRequestAcceptPayload>): Promise<CommandResult> {
    return this.requests.accept(command);
  }

  @OnCommand(ClientEvent.ConnectionRequestReject)
  async reject(command: Command<ConnectionRequestRejectPayload>): Promise<CommandResult> {
    return this.requests.reject(command);
  }
}
