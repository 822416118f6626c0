import { Controller } from '@nestjs/common';
import { ClientEvent, ErrorCode } from '@gisbi/contracts';
import { DomainError, OnCommand, type CommandResult } from '@gisbi/platform';

const refusal = (): DomainError =>
  new DomainError(
    ErrorCode.peer_gifts_disabled,
    'Peer-to-peer gifts are disabled; GISBI uses sponsored pair rewards (see gift.history.fetch)',
    410,
  );

/** The legacy peer gift actions: refused, whatever the payload, with nothing stored. */
@Controller()
export class LegacyGiftsController {
  @OnCommand(ClientEvent.GiftCreate)
  create(): CommandResult {
    throw refusal();
  }

  @OnCommand(ClientEvent.GiftUnlockConfirm)
  unlockConfirm(): CommandResult {
    throw refusal();
  }

  @OnCommand(ClientEvent.GiftUnlockExecute)
  unlockExecute(): CommandResult {
    throw refusal();
  }

  @OnCommand(ClientEvent.GiftCombineConfirm)
  combineConfirm(): CommandResult {
    throw refusal();
  }

  @OnCommand(ClientEvent.GiftRedeem)
  redeem(): CommandResult {
    throw refusal();
  }
}
