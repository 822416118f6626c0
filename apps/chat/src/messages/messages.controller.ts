import { Controller } from '@nestjs/common';
import {
  ClientEvent,
  type ChatHistoryFetchPayload,
  type ChatHistoryPagePayload,
  type ChatMessageCreatePayload,
  type ChatMessageReadPayload,
} from '@gisbi/contracts';
import { message, OnCommand, type Command, type CommandResult } from '@gisbi/platform';
import { MessagesService } from './messages.service';

/** Socket commands on messages (payloads already validated against the contract). */
@Controller()
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @OnCommand(ClientEvent.ChatMessageCreated)
  async send(command: Command<ChatMessageCreatePayload>): Promise<CommandResult> {
    return this.messages.send(command);
  }

  @OnCommand(ClientEvent.ChatHistoryFetch)
  async history(command: Command<ChatHistoryFetchPayload>): Promise<CommandResult> {
    return message('chat.history.fetch', await this.messages.history(command.userId));
  }

  @OnCommand(ClientEvent.ChatHistoryPage)
  async page(command: Command<ChatHistoryPagePayload>): Promise<CommandResult> {
    return message('chat.history.page', await this.messages.page(command.userId, command.payload));
  }

  @OnCommand(ClientEvent.ChatMessageRead)
  async read(command: Command<ChatMessageReadPayload>): Promise<CommandResult> {
    return this.messages.read(command);
  }
}
