import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  CAMPAIGN_STATUSES,
  CreateCampaignRequestDto,
  ErrorCode,
  IdPrefix,
  UpdateCampaignRequestDto,
  type CampaignDto,
  type CampaignListDto,
  type CampaignStatus,
} from '@gisbi/contracts';
import { Clock, DomainError, newId } from '@gisbi/platform';
import { notFound, parsePage, validated } from '../admin/admin-input';
import { BrandEntity } from '../brands/brand.entity';
import { CampaignEntity } from './campaign.entity';
import {
  applyChanges,
  assignConfig,
  canMove,
  configFromCreate,
  configOf,
  configProblem,
  toCampaignDto,
  type CampaignConfig,
} from './campaign-rules';

/**
 * Campaign administration. Every change is validated as a whole (field rules in the DTO, cross-field rules
 * in `configProblem`) and applied under a row lock, so a concurrent grant's stock count and an edit of the
 * stock never interleave badly. Edits apply to future grants; granted rewards keep their copied terms.
 */
@Injectable()
export class CampaignsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async create(body: unknown): Promise<CampaignDto> {
    const input = validated(CreateCampaignRequestDto, body);
    const brand = await this.dataSource.manager.findOneBy(BrandEntity, { id: input.brandId });
    if (!brand) throw notFound('brand', input.brandId);
    const config = configFromCreate(input);
    assertValid(config, 0);
    const status = input.status ?? 'draft';
    const now = this.clock.now();
    if (status === 'active') this.assertCanRun(config, now);
    const campaign = this.dataSource.manager.create(CampaignEntity, {
      id: newId(IdPrefix.campaign, now.getTime()),
      brandId: brand.id,
      status,
      grantedCount: 0,
      createdAt: now,
      updatedAt: now,
    });
    assignConfig(campaign, config);
    await this.dataSource.manager.insert(CampaignEntity, campaign);
    return toCampaignDto(campaign);
  }

  async update(campaignId: string, body: unknown): Promise<CampaignDto> {
    const changes = validated(UpdateCampaignRequestDto, body);
    return this.dataSource.transaction(async (manager) => {
      const campaign = await this.lock(manager, campaignId);
      if (campaign.status === 'ended') {
        throw DomainError.conflict(ErrorCode.conflict, 'An ended campaign can no longer be changed');
      }
      const config = applyChanges(configOf(campaign), changes);
      assertValid(config, campaign.grantedCount);
      if (campaign.status === 'active') this.assertCanRun(config, this.clock.now());
      assignConfig(campaign, config);
      campaign.updatedAt = this.clock.now();
      await manager.save(CampaignEntity, campaign);
      return toCampaignDto(campaign);
    });
  }

  async setStatus(campaignId: string, status: CampaignStatus): Promise<CampaignDto> {
    if (!CAMPAIGN_STATUSES.includes(status)) {
      throw DomainError.badRequest(ErrorCode.validation_failed, 'status must be one of: draft, active, paused, ended');
    }
    return this.dataSource.transaction(async (manager) => {
      const campaign = await this.lock(manager, campaignId);
      if (campaign.status === status) return toCampaignDto(campaign);
      if (!canMove(campaign.status, status)) {
        throw DomainError.conflict(ErrorCode.conflict, `A ${campaign.status} campaign cannot become ${status}`);
      }
      const now = this.clock.now();
      if (status === 'active') this.assertCanRun(configOf(campaign), now);
      campaign.status = status;
      campaign.updatedAt = now;
      await manager.update(CampaignEntity, { id: campaign.id }, { status, updatedAt: now });
      return toCampaignDto(campaign);
    });
  }

  async get(campaignId: string): Promise<CampaignDto> {
    const campaign = await this.dataSource.manager.findOneBy(CampaignEntity, { id: campaignId });
    if (!campaign) throw notFound('campaign', campaignId);
    return toCampaignDto(campaign);
  }

  async list(query: { brandId?: string; status?: string; limit?: string; cursor?: string }): Promise<CampaignListDto> {
    const page = parsePage(query, IdPrefix.campaign);
    const status = query.status === undefined || query.status === '' ? undefined : query.status;
    if (status !== undefined && !(CAMPAIGN_STATUSES as readonly string[]).includes(status)) {
      throw DomainError.badRequest(ErrorCode.validation_failed, 'status must be one of: draft, active, paused, ended');
    }
    const builder = this.dataSource.manager.createQueryBuilder(CampaignEntity, 'c');
    if (query.brandId !== undefined && typeof query.brandId !== 'string') {
      throw DomainError.badRequest(ErrorCode.validation_failed, 'brandId must be a single brand ID');
    }
    if (query.brandId) builder.andWhere('c.brandId = :brandId', { brandId: query.brandId });
    if (status) builder.andWhere('c.status = :status', { status });
    if (page.afterId) builder.andWhere('c.id < :afterId', { afterId: page.afterId });
    const campaigns = await builder.orderBy('c.id', 'DESC').limit(page.limit + 1).getMany();
    const shown = campaigns.slice(0, page.limit);
    return {
      campaigns: shown.map(toCampaignDto),
      nextCursor: campaigns.length > page.limit ? (shown.at(-1)?.id ?? null) : null,
    };
  }

  private async lock(manager: EntityManager, campaignId: string): Promise<CampaignEntity> {
    const campaign = await manager.findOne(CampaignEntity, {
      where: { id: campaignId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!campaign) throw notFound('campaign', campaignId);
    return campaign;
  }

  /** A campaign can only be (or stay) active while its schedule has not ended. */
  private assertCanRun(config: CampaignConfig, now: Date): void {
    if (config.endsAt && config.endsAt.getTime() <= now.getTime()) {
      throw DomainError.conflict(ErrorCode.conflict, 'The campaign cannot be active: endsAt has passed');
    }
  }
}

function assertValid(config: CampaignConfig, grantedCount: number): void {
  const problem = configProblem(config, grantedCount);
  if (problem) throw DomainError.badRequest(ErrorCode.validation_failed, problem);
}
