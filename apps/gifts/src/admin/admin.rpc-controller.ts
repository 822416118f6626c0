import { Controller } from '@nestjs/common';
import {
  RpcMethod,
  type BrandCreateRequest,
  type BrandDto,
  type BrandGetRequest,
  type BrandListDto,
  type BrandListRequest,
  type BrandUpdateRequest,
  type CampaignCreateRequest,
  type CampaignDto,
  type CampaignGetRequest,
  type CampaignListDto,
  type CampaignListRequest,
  type CampaignSetStatusRequest,
  type CampaignUpdateRequest,
  type VenueKeyCreatedDto,
  type VenueKeyCreateRequest,
  type VenueKeyDto,
  type VenueKeyListDto,
  type VenueKeyListRequest,
  type VenueKeyRevokeRequest,
} from '@gisbi/contracts';
import { OnRpc } from '@gisbi/platform';
import { BrandsService } from '../brands/brands.service';
import { CampaignsService } from '../campaigns/campaigns.service';
import { AdminKeyVerifier } from './admin-key-verifier';

/** Sponsor administration over NATS (relayed by the gateway's /admin/* routes); every call checks the admin key. */
@Controller()
export class AdminRpcController {
  constructor(
    private readonly adminKeys: AdminKeyVerifier,
    private readonly brands: BrandsService,
    private readonly campaigns: CampaignsService,
  ) {}

  @OnRpc(RpcMethod.gifts.brandCreate)
  brandCreate(request: BrandCreateRequest): Promise<BrandDto> {
    this.adminKeys.assert(request.adminKey);
    return this.brands.create(request.input);
  }

  @OnRpc(RpcMethod.gifts.brandUpdate)
  brandUpdate(request: BrandUpdateRequest): Promise<BrandDto> {
    this.adminKeys.assert(request.adminKey);
    return this.brands.update(String(request.brandId), request.changes);
  }

  @OnRpc(RpcMethod.gifts.brandGet)
  brandGet(request: BrandGetRequest): Promise<BrandDto> {
    this.adminKeys.assert(request.adminKey);
    return this.brands.get(String(request.brandId));
  }

  @OnRpc(RpcMethod.gifts.brandList)
  brandList(request: BrandListRequest): Promise<BrandListDto> {
    this.adminKeys.assert(request.adminKey);
    return this.brands.list(request);
  }

  @OnRpc(RpcMethod.gifts.venueKeyCreate)
  venueKeyCreate(request: VenueKeyCreateRequest): Promise<VenueKeyCreatedDto> {
    this.adminKeys.assert(request.adminKey);
    return this.brands.createVenueKey(String(request.brandId), request.input);
  }

  @OnRpc(RpcMethod.gifts.venueKeyList)
  venueKeyList(request: VenueKeyListRequest): Promise<VenueKeyListDto> {
    this.adminKeys.assert(request.adminKey);
    return this.brands.listVenueKeys(String(request.brandId));
  }

  @OnRpc(RpcMethod.gifts.venueKeyRevoke)
  venueKeyRevoke(request: VenueKeyRevokeRequest): Promise<VenueKeyDto> {
    this.adminKeys.assert(request.adminKey);
    return this.brands.revokeVenueKey(String(request.brandId), String(request.keyId));
  }

  @OnRpc(RpcMethod.gifts.campaignCreate)
  campaignCreate(request: CampaignCreateRequest): Promise<CampaignDto> {
    this.adminKeys.assert(request.adminKey);
    return this.campaigns.create(request.input);
  }

  @OnRpc(RpcMethod.gifts.campaignUpdate)
  campaignUpdate(request: CampaignUpdateRequest): Promise<CampaignDto> {
    this.adminKeys.assert(request.adminKey);
    return this.campaigns.update(String(request.campaignId), request.changes);
  }

  @OnRpc(RpcMethod.gifts.campaignGet)
  campaignGet(request: CampaignGetRequest): Promise<CampaignDto> {
    this.adminKeys.assert(request.adminKey);
    return this.campaigns.get(String(request.campaignId));
  }

  @OnRpc(RpcMethod.gifts.campaignList)
  campaignList(request: CampaignListRequest): Promise<CampaignListDto> {
    this.adminKeys.assert(request.adminKey);
    return this.campaigns.list(request);
  }

  @OnRpc(RpcMethod.gifts.campaignSetStatus)
  campaignSetStatus(request: CampaignSetStatusRequest): Promise<CampaignDto> {
    this.adminKeys.assert(request.adminKey);
    return this.campaigns.setStatus(String(request.campaignId), request.status);
  }
}
