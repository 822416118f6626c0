import { Controller } from '@nestjs/common';
import {
  RpcMethod,
  type RedemptionLookupRequest,
  type RedemptionRedeemRequest,
  type VenueRedemptionDto,
} from '@gisbi/contracts';
import { OnRpc } from '@gisbi/platform';
import { VenueRedemptionService } from './venue-redemption.service';

/** Venue redemption over NATS (relayed by the gateway's /venue/* routes); every call checks the venue key. */
@Controller()
export class VenueRpcController {
  constructor(private readonly redemptions: VenueRedemptionService) {}

  @OnRpc(RpcMethod.gifts.redemptionLookup)
  lookup(request: RedemptionLookupRequest): Promise<VenueRedemptionDto> {
    return this.redemptions.lookup(request.venueKey, request.code);
  }

  @OnRpc(RpcMethod.gifts.redemptionRedeem)
  redeem(request: RedemptionRedeemRequest): Promise<VenueRedemptionDto> {
    return this.redemptions.redeem(request.venueKey, request.code);
  }
}
