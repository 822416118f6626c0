import { Controller } from '@nestjs/common';
import {
  ClientEvent,
  type ChatLocationSharePayload,
  type ChatLocationStopPayload,
  type ChatTypingPayload,
} from '@gisbi/contracts';
import { OnCommand, type Command, type CommandResult } from '@gisbi/platform';
import { RelayService } from './relay.service';

/** Socket commands relayed between two users without storing them. */
@Controller()
export class RelayController {
  constructor(private readonly relay: RelayService) {}

  @OnCommand(ClientEvent.ChatTyping)
  async typing(command: Command<ChatTypingPayload>): Promise<CommandResult> {
    return this.relay.typing(command);
  }

  @OnCommand(ClientEvent.ChatLocationShareStart)
  async shareStart(command: Command<ChatLocationSharePayload>): Promise<CommandResult> {
    return this.relay.shareStart(command);
  }

  @OnCommand(ClientEvent.ChatLocationUpdated)
  async locationUpdated(command: Command<ChatLocationSharePayload>): Promise<CommandResult> {
    return this.relay.locationUpdated(command);
  }

  @OnCommand(ClientEvent.ChatLocationShareStop)
  async shareStop(command: Command<ChatLocationStopPayload>): Promise<CommandResult> {
    return this.relay.shareStop(command);
  }
}
