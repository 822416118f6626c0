import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  RedeemCodeRequestDto,
  RpcMethod,
  VenueRedemptionDto,
  type RedemptionLookupRequest,
  type RedemptionRedeemRequest,
} from '@gisbi/contracts';
import { NatsClient } from '@gisbi/platform';
import { ApiErrors } from '../api-errors.decorator';
import { ServiceCredential, ServiceCredentialGuard } from './service-credential.guard';

/**
 * How a venue honours a sponsored reward: the pair shows the code from gift.claim; staff look it up, then
 * redeem it, with the venue key of their brand (issued through the admin API).
 */
@ApiTags('venue')
@ApiBearerAuth('venueKey')
@UseGuards(ServiceCredentialGuard)
@Controller('venue/redemptions')
export class VenueRedemptionsController {
  constructor(private readonly nats: NatsClient) {}

  @Get(':code')
  @ApiOperation({
    summary: 'What a redemption code is for, and whether it can be redeemed now.',
    description: 'Codes of other brands are reported as not found (invalid_redemption_code).',
  })
  @ApiOkResponse({ type: VenueRedemptionDto })
  @ApiErrors(401, 403, 404)
  lookup(@ServiceCredential() venueKey: string, @Param('code') code: string): Promise<VenueRedemptionDto> {
    const request: RedemptionLookupRequest = { venueKey, code };
    return this.nats.rpc('gifts', RpcMethod.gifts.redemptionLookup, request);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Redeem a code, exactly once.',
    description:
      'Errors: invalid_redemption_code (404), already_redeemed (409), code_expired (410: the pair can claim ' +
      'again for a new code), gift_expired (410: the reward expired or was cancelled), not_ready (409: the ' +
      'campaign requires the pair to be in an ' +
      'active proximity session at redemption).',
  })
  @ApiOkResponse({ type: VenueRedemptionDto })
  @ApiErrors(400, 401, 403, 404, 409, 410)
  redeem(
    @ServiceCredential() venueKey: string,
    @Body() body: RedeemCodeRequestDto,
  ): Promise<VenueRedemptionDto> {
    const request: RedemptionRedeemRequest = { venueKey, code: body.code };
    return this.nats.rpc('gifts', RpcMethod.gifts.redemptionRedeem, request);
  }
}
