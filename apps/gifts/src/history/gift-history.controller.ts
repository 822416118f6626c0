import { Controller } from '@nestjs/common';
import { ClientEvent, type GiftHistoryFetchPayload } from '@gisbi/contracts';
import { message, OnCommand, type Command, type CommandResult } from '@gisbi/platform';
import { DEFAULT_HISTORY_LIMIT, HistoryService } from './history.service';

@Controller()
export class GiftHistoryController {
  constructor(private readonly history: HistoryService) {}

  /** gift.history.fetch {limit?, cursor?} → the caller's rewards, newest first. */
  @OnCommand(ClientEvent.GiftHistoryFetch)
  async fetch(command: Command<GiftHistoryFetchPayload>): Promise<CommandResult> {
    const { limit, cursor } = command.payload;
    return message('gift.history.fetch', await this.history.page(command.userId, limit ?? DEFAULT_HISTORY_LIMIT, cursor ?? undefined));
  }
}
