import { Controller } from '@nestjs/common';
import { ClientEvent, type GiftClaimPayload } from '@gisbi/contracts';
import { Deliverer, message, OnCommand, type Command, type CommandResult } from '@gisbi/platform';
import { ClaimService } from './claim.service';

@Controller()
export class GiftClaimController {
  constructor(
    private readonly claims: ClaimService,
    private readonly deliverer: Deliverer,
  ) {}

  /**
   * gift.claim {giftId}: the claimant (every device) gets the reward and its redemption code; the partner
   * gets the updated reward with `redemptionCode: null`. Claiming again while the code is live answers the
   * same code to the requesting socket only.
   */
  @OnCommand(ClientEvent.GiftClaim)
  async claim(command: Command<GiftClaimPayload>): Promise<CommandResult> {
    const outcome = await this.claims.claim(command.userId, command.payload.giftId);
    const reply = message('gift.claim', { gift: outcome.claimantView, redemptionCode: outcome.code });
    if (outcome.issued) {
      this.deliverer.toUser(command.userId, reply, { exceptSocketId: command.socketId });
      this.deliverer.toUser(outcome.partnerId, message('gift.claim', { gift: outcome.partnerView, redemptionCode: null }));
    }
    return reply;
  }
}
