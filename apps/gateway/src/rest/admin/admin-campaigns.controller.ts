import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import {
  CAMPAIGN_STATUSES,
  CampaignDto,
  CampaignListDto,
  CreateCampaignRequestDto,
  RpcMethod,
  SetCampaignStatusRequestDto,
  UpdateCampaignRequestDto,
  type CampaignCreateRequest,
  type CampaignGetRequest,
  type CampaignListRequest,
  type CampaignSetStatusRequest,
  type CampaignUpdateRequest,
} from '@gisbi/contracts';
import { NatsClient } from '@gisbi/platform';
import { ApiErrors } from '../api-errors.decorator';
import { ServiceCredential, ServiceCredentialGuard } from './service-credential.guard';

@ApiTags('admin')
@ApiBearerAuth('adminKey')
@UseGuards(ServiceCredentialGuard)
@Controller('admin/campaigns')
export class AdminCampaignsController {
  constructor(private readonly nats: NatsClient) {}

  @Post()
  @ApiOperation({
    summary: 'Create a sponsor campaign (draft unless status is active).',
    description:
      'Triggers: connectionAccepted and/or proximityMilestone at milestoneMinutes. Rules, stock, per-pair and ' +
      'per-user limits, area (where the pair must be), claimArea (venue presence at claim), schedule, time zone, ' +
      'reward texts and lifetimes. Requires an admin API key.',
  })
  @ApiCreatedResponse({ type: CampaignDto })
  @ApiErrors(400, 401, 403, 404, 409)
  create(
    @ServiceCredential() adminKey: string,
    @Body() body: CreateCampaignRequestDto,
  ): Promise<CampaignDto> {
    const request: CampaignCreateRequest = { adminKey, input: body };
    return this.nats.rpc('gifts', RpcMethod.gifts.campaignCreate, request);
  }

  @Get()
  @ApiOperation({ summary: 'List campaigns, newest first.' })
  @ApiQuery({ name: 'brandId', required: false })
  @ApiQuery({ name: 'status', required: false, enum: CAMPAIGN_STATUSES })
  @ApiQuery({ name: 'limit', required: false, type: 'integer', description: '1-200, default 50.' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page.' })
  @ApiOkResponse({ type: CampaignListDto })
  @ApiErrors(400, 401, 403)
  list(
    @ServiceCredential() adminKey: string,
    @Query('brandId') brandId?: string,
    @Query('status') status?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<CampaignListDto> {
    const request: CampaignListRequest = {
      adminKey,
      ...(brandId !== undefined ? { brandId } : {}),
      ...(status !== undefined ? { status } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
    };
    return this.nats.rpc('gifts', RpcMethod.gifts.campaignList, request);
  }

  @Get(':campaignId')
  @ApiOperation({ summary: 'One campaign, with its granted count and remaining stock.' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors(401, 403, 404)
  get(@ServiceCredential() adminKey: string, @Param('campaignId') campaignId: string): Promise<CampaignDto> {
    const request: CampaignGetRequest = { adminKey, campaignId };
    return this.nats.rpc('gifts', RpcMethod.gifts.campaignGet, request);
  }

  @Patch(':campaignId')
  @ApiOperation({
    summary: 'Change campaign settings.',
    description:
      'Absent fields stay unchanged; null clears nullable ones. Applies to rewards granted afterwards (granted ' +
      'rewards keep their terms). Stock cannot go below the granted count; an ended campaign cannot change.',
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors(400, 401, 403, 404, 409)
  update(
    @ServiceCredential() adminKey: string,
    @Param('campaignId') campaignId: string,
    @Body() body: UpdateCampaignRequestDto,
  ): Promise<CampaignDto> {
    const request: CampaignUpdateRequest = { adminKey, campaignId, changes: body };
    return this.nats.rpc('gifts', RpcMethod.gifts.campaignUpdate, request);
  }

  @Post(':campaignId/status')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a campaign: draft → active | ended; active → paused | ended; paused → active | ended.',
    description: 'Only active campaigns grant. Setting the current status again changes nothing.',
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors(400, 401, 403, 404, 409)
  setStatus(
    @ServiceCredential() adminKey: string,
    @Param('campaignId') campaignId: string,
    @Body() body: SetCampaignStatusRequestDto,
  ): Promise<CampaignDto> {
    const request: CampaignSetStatusRequest = { adminKey, campaignId, status: body.status };
    return this.nats.rpc('gifts', RpcMethod.gifts.campaignSetStatus, request);
  }
}
