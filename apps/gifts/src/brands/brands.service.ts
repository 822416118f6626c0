import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan, Not } from 'typeorm';
import {
  CreateBrandRequestDto,
  CreateVenueKeyRequestDto,
  ErrorCode,
  IdPrefix,
  UpdateBrandRequestDto,
  type BrandDto,
  type BrandListDto,
  type VenueKeyCreatedDto,
  type VenueKeyDto,
  type VenueKeyListDto,
} from '@gisbi/contracts';
import { Clock, DomainError, newId } from '@gisbi/platform';
import { isUniqueViolation, notFound, parsePage, validated } from '../admin/admin-input';
import { BrandEntity } from './brand.entity';
import { VenueKeyEntity } from './venue-key.entity';
import { generateVenueKey, hashVenueKey, venueKeyHint } from './venue-key-secret';

/** Sponsor brands and their venue keys (admin API). */
@Injectable()
export class BrandsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async create(body: unknown): Promise<BrandDto> {
    const input = validated(CreateBrandRequestDto, body);
    const now = this.clock.now();
    const brand = this.dataSource.manager.create(BrandEntity, {
      id: newId(IdPrefix.brand, now.getTime()),
      name: input.name,
      slug: input.slug,
      logo: input.logo ?? null,
      category: input.category,
      createdAt: now,
      updatedAt: now,
    });
    const inserted = await this.dataSource.manager
      .createQueryBuilder()
      .insert()
      .into(BrandEntity)
      .values(brand)
      .orIgnore()
      .returning('id')
      .execute();
    if ((inserted.raw as unknown[]).length === 0) throw slugTaken(input.slug);
    return toBrandDto(brand);
  }

  async update(brandId: string, body: unknown): Promise<BrandDto> {
    const changes = validated(UpdateBrandRequestDto, body);
    const brand = await this.find(brandId);
    if (changes.name !== undefined) brand.name = changes.name;
    if (changes.slug !== undefined) brand.slug = changes.slug;
    if (changes.logo !== undefined) brand.logo = changes.logo;
    if (changes.category !== undefined) brand.category = changes.category;
    brand.updatedAt = this.clock.now();
    const { name, slug, logo, category, updatedAt } = brand;
    if (changes.slug !== undefined && (await this.dataSource.manager.existsBy(BrandEntity, { slug, id: Not(brand.id) }))) {
      throw slugTaken(slug);
    }
    try {
      await this.dataSource.manager.update(BrandEntity, { id: brand.id }, { name, slug, logo, category, updatedAt });
    } catch (error) {
      // Another admin took the slug between the check and the update.
      if (isUniqueViolation(error)) throw slugTaken(slug);
      throw error;
    }
    return toBrandDto(brand);
  }

  async get(brandId: string): Promise<BrandDto> {
    return toBrandDto(await this.find(brandId));
  }

  async list(query: { limit?: string; cursor?: string }): Promise<BrandListDto> {
    const page = parsePage(query, IdPrefix.brand);
    const brands = await this.dataSource.manager.find(BrandEntity, {
      where: page.afterId ? { id: LessThan(page.afterId) } : {},
      order: { id: 'DESC' },
      take: page.limit + 1,
    });
    const shown = brands.slice(0, page.limit);
    return {
      brands: shown.map(toBrandDto),
      nextCursor: brands.length > page.limit ? (shown.at(-1)?.id ?? null) : null,
    };
  }

  /** A new venue key for the brand; the plain key is in this answer only. */
  async createVenueKey(brandId: string, body: unknown): Promise<VenueKeyCreatedDto> {
    const input = validated(CreateVenueKeyRequestDto, body);
    await this.find(brandId);
    const now = this.clock.now();
    const key = generateVenueKey();
    const entity = this.dataSource.manager.create(VenueKeyEntity, {
      id: newId(IdPrefix.venueKey, now.getTime()),
      brandId,
      label: input.label,
      keyHash: hashVenueKey(key),
      keyHint: venueKeyHint(key),
      createdAt: now,
      revokedAt: null,
    });
    await this.dataSource.manager.insert(VenueKeyEntity, entity);
    return { ...toVenueKeyDto(entity), key };
  }

  async listVenueKeys(brandId: string): Promise<VenueKeyListDto> {
    await this.find(brandId);
    const keys = await this.dataSource.manager.find(VenueKeyEntity, { where: { brandId }, order: { id: 'DESC' } });
    return { venueKeys: keys.map(toVenueKeyDto) };
  }

  /** Revoking is immediate and idempotent. */
  async revokeVenueKey(brandId: string, keyId: string): Promise<VenueKeyDto> {
    const key = await this.dataSource.manager.findOneBy(VenueKeyEntity, { id: keyId, brandId });
    if (!key) throw notFound('venue key', keyId);
    if (key.revokedAt === null) {
      key.revokedAt = this.clock.now();
      await this.dataSource.manager.update(VenueKeyEntity, { id: key.id }, { revokedAt: key.revokedAt });
    }
    return toVenueKeyDto(key);
  }

  private async find(brandId: string): Promise<BrandEntity> {
    const brand = await this.dataSource.manager.findOneBy(BrandEntity, { id: brandId });
    if (!brand) throw notFound('brand', brandId);
    return brand;
  }
}

function slugTaken(slug: string): DomainError {
  return DomainError.conflict(ErrorCode.conflict, `The slug "${slug}" is taken by another brand`);
}

export function toBrandDto(brand: BrandEntity): BrandDto {
  return {
    brandId: brand.id,
    name: brand.name,
    slug: brand.slug,
    logo: brand.logo,
    category: brand.category,
    createdAt: brand.createdAt.toISOString(),
    updatedAt: brand.updatedAt.toISOString(),
  };
}

function toVenueKeyDto(key: VenueKeyEntity): VenueKeyDto {
  return {
    keyId: key.id,
    brandId: key.brandId,
    label: key.label,
    keyHint: key.keyHint,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}
