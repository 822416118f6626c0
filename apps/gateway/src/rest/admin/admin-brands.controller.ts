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
  EmptyRequestDto,
  BrandDto,
  BrandListDto,
  CreateBrandRequestDto,
  CreateVenueKeyRequestDto,
  RpcMethod,
  UpdateBrandRequestDto,
  VenueKeyCreatedDto,
  VenueKeyDto,
  VenueKeyListDto,
  type BrandCreateRequest,
  type BrandGetRequest,
  type BrandListRequest,
  type BrandUpdateRequest,
  type VenueKeyCreateRequest,
  type VenueKeyListRequest,
  type VenueKeyRevokeRequest,
} from '@gisbi/contracts';
import { NatsClient } from '@gisbi/platform';
import { ApiErrors } from '../api-errors.decorator';
import { ServiceCredential, ServiceCredentialGuard } from './service-credential.guard';

@ApiTags('admin')
@ApiBearerAuth('adminKey')
@UseGuards(ServiceCredentialGuard)
@Controller('admin/brands')
export class AdminBrandsController {
  constructor(private readonly nats: NatsClient) {}

  @Post()
  @ApiOperation({
    summary: 'Create a sponsor brand.',
    description: 'Requires an admin API key (Authorization: Bearer <admin key>).',
  })
  @ApiCreatedResponse({ type: BrandDto })
  @ApiErrors(400, 401, 403, 409)
  create(@ServiceCredential() adminKey: string, @Body() body: CreateBrandRequestDto): Promise<BrandDto> {
    const request: BrandCreateRequest = { adminKey, input: body };
    return this.nats.rpc('gifts', RpcMethod.gifts.brandCreate, request);
  }

  @Get()
  @ApiOperation({ summary: 'List brands, newest first.' })
  @ApiQuery({ name: 'limit', required: false, type: 'integer', description: '1-200, default 50.' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page.' })
  @ApiOkResponse({ type: BrandListDto })
  @ApiErrors(400, 401, 403)
  list(
    @ServiceCredential() adminKey: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<BrandListDto> {
    const request: BrandListRequest = {
      adminKey,
      ...(limit !== undefined ? { limit } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
    };
    return this.nats.rpc('gifts', RpcMethod.gifts.brandList, request);
  }

  @Get(':brandId')
  @ApiOperation({ summary: 'One brand.' })
  @ApiOkResponse({ type: BrandDto })
  @ApiErrors(401, 403, 404)
  get(@ServiceCredential() adminKey: string, @Param('brandId') brandId: string): Promise<BrandDto> {
    const request: BrandGetRequest = { adminKey, brandId };
    return this.nats.rpc('gifts', RpcMethod.gifts.brandGet, request);
  }

  @Patch(':brandId')
  @ApiOperation({
    summary: 'Change brand fields; absent fields stay unchanged, `logo: null` removes the logo.',
  })
  @ApiOkResponse({ type: BrandDto })
  @ApiErrors(400, 401, 403, 404, 409)
  update(
    @ServiceCredential() adminKey: string,
    @Param('brandId') brandId: string,
    @Body() body: UpdateBrandRequestDto,
  ): Promise<BrandDto> {
    const request: BrandUpdateRequest = { adminKey, brandId, changes: body };
    return this.nats.rpc('gifts', RpcMethod.gifts.brandUpdate, request);
  }

  @Post(':brandId/venue-keys')
  @ApiOperation({
    summary: 'Issue a venue key for the brand.',
    description:
      'The venue uses it on /venue/* (Authorization: Bearer <venue key>) to look up and redeem codes of this ' +
      'brand. The key is in this response only; the service stores its SHA-256.',
  })
  @ApiCreatedResponse({ type: VenueKeyCreatedDto })
  @ApiErrors(400, 401, 403, 404)
  createVenueKey(
    @ServiceCredential() adminKey: string,
    @Param('brandId') brandId: string,
    @Body() body: CreateVenueKeyRequestDto,
  ): Promise<VenueKeyCreatedDto> {
    const request: VenueKeyCreateRequest = { adminKey, brandId, input: body };
    return this.nats.rpc('gifts', RpcMethod.gifts.venueKeyCreate, request);
  }

  @Get(':brandId/venue-keys')
  @ApiOperation({ summary: 'The brand’s venue keys (without the keys themselves).' })
  @ApiOkResponse({ type: VenueKeyListDto })
  @ApiErrors(401, 403, 404)
  listVenueKeys(
    @ServiceCredential() adminKey: string,
    @Param('brandId') brandId: string,
  ): Promise<VenueKeyListDto> {
    const request: VenueKeyListRequest = { adminKey, brandId };
    return this.nats.rpc('gifts', RpcMethod.gifts.venueKeyList, request);
  }

  @Post(':brandId/venue-keys/:keyId/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a venue key, immediately (idempotent).' })
  @ApiOkResponse({ type: VenueKeyDto })
  @ApiErrors(400, 401, 403, 404)
  revokeVenueKey(
    @ServiceCredential() adminKey: string,
    @Param('brandId') brandId: string,
    @Param('keyId') keyId: string,
    @Body() _body: EmptyRequestDto,
  ): Promise<VenueKeyDto> {
    const request: VenueKeyRevokeRequest = { adminKey, brandId, keyId };
    return this.nats.rpc('gifts', RpcMethod.gifts.venueKeyRevoke, request);
  }
}
