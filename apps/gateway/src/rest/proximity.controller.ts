import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  EmptyRequestDto,
  ProximitySummaryResponseDto,
  ProximityTokenResponseDto,
  RpcMethod,
  type SummaryRequest,
  type TokenIssueRequest,
} from '@gisbi/contracts';
import { NatsClient, type AccessClaims } from '@gisbi/platform';
import { AccessTokenGuard } from '../auth/access-token.guard';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiErrors } from './api-errors.decorator';

@ApiTags('proximity')
@ApiBearerAuth('accessToken')
@UseGuards(AccessTokenGuard)
@Controller('connections/:connectionId/proximity')
export class ProximityController {
  constructor(private readonly nats: NatsClient) {}

  @Post('token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Issue a short-lived BLE token for the caller in an active connection.',
    description: 'Issuing a new token invalidates the caller’s previous token for this connection.',
  })
  @ApiOkResponse({ type: ProximityTokenResponseDto })
  @ApiErrors(400, 401, 404)
  issueToken(
    @CurrentUser() user: AccessClaims,
    @Param('connectionId') connectionId: string,
    @Body() _body: EmptyRequestDto,
  ): Promise<ProximityTokenResponseDto> {
    const request: TokenIssueRequest = { connectionId, userId: user.userId };
    return this.nats.rpc('proximity', RpcMethod.proximity.tokenIssue, request);
  }

  @Get('summary')
  @ApiOperation({
    summary: 'Accumulated verified together-time, milestones and recent sessions of a connection.',
  })
  @ApiOkResponse({ type: ProximitySummaryResponseDto })
  @ApiErrors(401, 404)
  summary(
    @CurrentUser() user: AccessClaims,
    @Param('connectionId') connectionId: string,
  ): Promise<ProximitySummaryResponseDto> {
    const request: SummaryRequest = { connectionId, userId: user.userId };
    return this.nats.rpc('proximity', RpcMethod.proximity.summary, request);
  }
}
