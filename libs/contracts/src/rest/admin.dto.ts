// Extension: the sponsor administration API (`/admin/*`, admin API key) and the venue redemption API
// (`/venue/*`, venue key). Bodies are validated with unknown fields refused; every failure is a 400
// `validation_failed` whose `detail` names the field. Rules that involve several fields (a milestone
// trigger needs milestone minutes, endsAt after startsAt, stock not below what was granted) are checked by
// the gifts service with the same code.
import 'reflect-metadata';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { ErrorCode } from '../errors/error-codes';
import { type Brand } from '../models/brand';
import { type SponsoredGiftTriggerType } from '../models/sponsored-gift';
import { IsIsoDateTime } from '../validation/custom-constraints';
import {
  composeDecorators,
  IsNumberBetween,
  IsOptionalString,
  IsRequiredId,
  IsRequiredString,
} from '../validation/field-decorators';
import { withCode } from '../validation/with-code';

const failed = ErrorCode.validation_failed;

export const MAX_BRAND_NAME_LENGTH = 120;
export const MAX_SLUG_LENGTH = 64;
export const MAX_CATEGORY_LENGTH = 40;
export const MAX_IMAGE_REF_LENGTH = 2_048;
export const MAX_CAMPAIGN_NAME_LENGTH = 120;
export const MAX_REWARD_TITLE_LENGTH = 120;
export const MAX_REWARD_DESCRIPTION_LENGTH = 1_000;
export const MAX_REWARD_TERMS_LENGTH = 2_000;
export const MAX_TAGLINE_LENGTH = 200;
export const MAX_VENUE_NAME_LENGTH = 120;
export const MAX_VENUE_ADDRESS_LENGTH = 300;
export const MAX_VENUE_KEY_LABEL_LENGTH = 80;
export const MAX_MILESTONES_PER_CAMPAIGN = 24;
/** One year, in minutes: the upper bound of every minute-valued campaign field. */
export const MAX_CAMPAIGN_MINUTES = 525_600;
export const MAX_QUALIFYING_DAYS = 3_650;
export const MAX_CAMPAIGN_STOCK = 10_000_000;
export const MAX_PER_PAIR_LIMIT = 100;
export const MAX_PER_USER_LIMIT = 10_000;
export const MAX_CODE_LIFETIME_MINUTES = 10_080;
/** Half of the Earth's circumference: a circle this large covers the whole planet. */
export const MAX_RADIUS_METERS = 20_037_509;
export const MAX_REDEMPTION_CODE_LENGTH = 32;
export const MAX_ADMIN_PAGE_LIMIT = 200;

export const CAMPAIGN_STATUSES = ['draft', 'active', 'paused', 'ended'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
/** Statuses a campaign may be created in. */
export const CAMPAIGN_CREATE_STATUSES = ['draft', 'active'] as const;
export const CAMPAIGN_TRIGGER_TYPES = ['connectionAccepted', 'proximityMilestone'] as const satisfies readonly SponsoredGiftTriggerType[];

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const TIME_ZONE_NAME = /^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/;

/** An IANA time zone name the runtime knows (e.g. `Africa/Lagos`, `UTC`). */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64 || !TIME_ZONE_NAME.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** An absolute http(s) URL or a server-relative path such as `/media/brands/skyline.png`. */
export function isImageRef(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_IMAGE_REF_LENGTH) return false;
  if (/\s/.test(value)) return false;
  if (value.startsWith('/')) return !value.startsWith('//');
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isTimeZone', validator: { validate: (value: unknown) => isTimeZone(value) } }, options);
}

function IsImageRef(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isImageRef', validator: { validate: (value: unknown) => isImageRef(value) } }, options);
}

// Field rules shared by the create and update bodies. Non-nullable optional fields skip only when absent
// (null is refused); nullable fields accept null, which clears the value on update.
const whenPresent = (): PropertyDecorator => ValidateIf((_object: unknown, value: unknown) => value !== undefined);

function intRule(min: number, max: number, nullable: boolean): PropertyDecorator {
  const message = `$property must be an integer between ${min} and ${max}`;
  return composeDecorators(
    nullable ? IsOptional() : whenPresent(),
    IsInt(withCode(failed, message)),
    Min(min, withCode(failed, message)),
    Max(max, withCode(failed, message)),
  );
}

const Fields = {
  text: (maxLength: number, optional: boolean) =>
    optional
      ? composeDecorators(
          whenPresent(),
          IsString(withCode(failed, '$property must be a string')),
          MinLength(1, withCode(failed, '$property must not be empty')),
          MaxLength(maxLength, withCode(failed, '$property must be at most $constraint1 characters')),
        )
      : IsRequiredString(failed, { maxLength }),
  nullableText: (maxLength: number) => IsOptionalString(failed, { minLength: 1, maxLength }),
  slug: (optional: boolean) =>
    composeDecorators(
      Fields.text(MAX_SLUG_LENGTH, optional),
      Matches(SLUG, withCode(failed, '$property must be lowercase letters and digits separated by single hyphens')),
    ),
  imageRef: () =>
    composeDecorators(
      IsOptional(),
      IsImageRef(withCode(failed, '$property must be an http(s) URL or a path starting with /')),
    ),
  int: (min: number, max: number) => intRule(min, max, false),
  nullableInt: (min: number, max: number) => intRule(min, max, true),
  boolean: () => composeDecorators(whenPresent(), IsBoolean(withCode(failed, '$property must be a boolean'))),
  dateTime: () =>
    composeDecorators(
      IsOptional(),
      IsIsoDateTime(withCode(failed, '$property must be an ISO-8601 date-time with a time zone')),
    ),
  timeZone: () =>
    composeDecorators(
      whenPresent(),
      IsTimeZone(withCode(failed, '$property must be an IANA time zone name such as Africa/Lagos')),
    ),
  circle: () =>
    composeDecorators(
      IsOptional(),
      IsObject(withCode(failed, '$property must be an object with lat, lng and radiusMeters, or null')),
      ValidateNested(),
    ),
  triggerTypes: (optional: boolean) =>
    composeDecorators(
      optional ? whenPresent() : IsDefined(withCode(failed, '$property is required')),
      IsArray(withCode(failed, '$property must be an array')),
      ArrayMinSize(1, withCode(failed, '$property must name at least one trigger')),
      ArrayUnique(withCode(failed, '$property must not repeat a trigger')),
      IsIn(CAMPAIGN_TRIGGER_TYPES, {
        each: true,
        ...withCode(failed, '$property may only contain connectionAccepted and proximityMilestone'),
      }),
    ),
  milestoneMinutes: () => {
    const message = `$property must hold integers between 1 and ${MAX_CAMPAIGN_MINUTES}`;
    return composeDecorators(
      whenPresent(),
      IsArray(withCode(failed, '$property must be an array of minutes')),
      ArrayMaxSize(MAX_MILESTONES_PER_CAMPAIGN, withCode(failed, '$property may hold at most $constraint1 milestones')),
      ArrayUnique(withCode(failed, '$property must not repeat a milestone')),
      IsInt({ each: true, ...withCode(failed, message) }),
      Min(1, { each: true, ...withCode(failed, message) }),
      Max(MAX_CAMPAIGN_MINUTES, { each: true, ...withCode(failed, message) }),
    );
  },
};

// ---- brands ----

/** POST /admin/brands */
export class CreateBrandRequestDto {
  @ApiProperty({ maxLength: MAX_BRAND_NAME_LENGTH, example: 'Skyline Lounge' })
  @Fields.text(MAX_BRAND_NAME_LENGTH, false)
  name!: string;

  @ApiProperty({ maxLength: MAX_SLUG_LENGTH, example: 'skyline-lounge', description: 'Unique, URL-safe.' })
  @Fields.slug(false)
  slug!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '/media/brands/skyline.png',
    description: 'Absolute http(s) URL or server-relative path.',
  })
  @Fields.imageRef()
  logo?: string | null;

  @ApiProperty({ maxLength: MAX_CATEGORY_LENGTH, example: 'lounge' })
  @Fields.text(MAX_CATEGORY_LENGTH, false)
  category!: string;
}

/** PATCH /admin/brands/:brandId — absent fields stay unchanged; `logo: null` removes the logo. */
export class UpdateBrandRequestDto {
  @ApiPropertyOptional({ maxLength: MAX_BRAND_NAME_LENGTH })
  @Fields.text(MAX_BRAND_NAME_LENGTH, true)
  name?: string;

  @ApiPropertyOptional({ maxLength: MAX_SLUG_LENGTH })
  @Fields.slug(true)
  slug?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @Fields.imageRef()
  logo?: string | null;

  @ApiPropertyOptional({ maxLength: MAX_CATEGORY_LENGTH })
  @Fields.text(MAX_CATEGORY_LENGTH, true)
  category?: string;
}

export class BrandDto implements Brand {
  @ApiProperty({ example: 'brand_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E' })
  brandId!: string;

  @ApiProperty({ example: 'Skyline Lounge' })
  name!: string;

  @ApiProperty({ example: 'skyline-lounge' })
  slug!: string;

  @ApiProperty({ type: String, nullable: true, example: '/media/brands/skyline.png' })
  logo!: string | null;

  @ApiProperty({ example: 'lounge' })
  category!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class BrandListDto {
  @ApiProperty({ type: () => BrandDto, isArray: true, description: 'Newest first.' })
  brands!: BrandDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page.' })
  nextCursor!: string | null;
}

// ---- venue keys ----

/** POST /admin/brands/:brandId/venue-keys */
export class CreateVenueKeyRequestDto {
  @ApiProperty({ maxLength: MAX_VENUE_KEY_LABEL_LENGTH, example: 'Victoria Island front desk' })
  @Fields.text(MAX_VENUE_KEY_LABEL_LENGTH, false)
  label!: string;
}

export class VenueKeyDto {
  @ApiProperty({ example: 'vkey_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E' })
  keyId!: string;

  @ApiProperty()
  brandId!: string;

  @ApiProperty({ example: 'Victoria Island front desk' })
  label!: string;

  @ApiProperty({ example: 'x3Qa', description: 'Last characters of the key, to tell keys apart.' })
  keyHint!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt!: string | null;
}

export class VenueKeyCreatedDto extends VenueKeyDto {
  @ApiProperty({
    example: 'gvk_Zr3b0s8lq3YwGQf0W1m7aP6bXc2nJt9uEo4hKd5iVsA',
    description: 'The venue credential (Authorization: Bearer <key> on /venue/*). Shown once; only a hash is stored.',
  })
  key!: string;
}

export class VenueKeyListDto {
  @ApiProperty({ type: () => VenueKeyDto, isArray: true })
  venueKeys!: VenueKeyDto[];
}

// ---- campaigns ----

/** A circle on the map. */
export class GeoCircleDto {
  @ApiProperty({ minimum: -90, maximum: 90, example: 6.5244 })
  @IsNumberBetween(failed, -90, 90)
  lat!: number;

  @ApiProperty({ minimum: -180, maximum: 180, example: 3.3792 })
  @IsNumberBetween(failed, -180, 180)
  lng!: number;

  @ApiProperty({ minimum: 1, maximum: MAX_RADIUS_METERS, example: 25_000 })
  @IsNumberBetween(failed, 1, MAX_RADIUS_METERS)
  radiusMeters!: number;
}

/** POST /admin/campaigns */
export class CreateCampaignRequestDto {
  @ApiProperty({ example: 'brand_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E' })
  @IsRequiredId(failed)
  brandId!: string;

  @ApiProperty({ maxLength: MAX_CAMPAIGN_NAME_LENGTH, example: 'Date night, Lagos, April' })
  @Fields.text(MAX_CAMPAIGN_NAME_LENGTH, false)
  name!: string;

  @ApiPropertyOptional({ enum: CAMPAIGN_CREATE_STATUSES, default: 'draft' })
  @composeDecorators(
    IsOptional(),
    IsIn(CAMPAIGN_CREATE_STATUSES, withCode(failed, '$property must be draft or active')),
  )
  status?: 'draft' | 'active';

  @ApiProperty({ enum: CAMPAIGN_TRIGGER_TYPES, isArray: true, example: ['proximityMilestone'] })
  @Fields.triggerTypes(false)
  triggerTypes!: SponsoredGiftTriggerType[];

  @ApiPropertyOptional({
    type: 'integer',
    isArray: true,
    example: [15, 60],
    description: 'Verified together-time milestones (minutes) that grant; required with proximityMilestone.',
  })
  @Fields.milestoneMinutes()
  milestoneMinutes?: number[];

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_CAMPAIGN_MINUTES, default: 0 })
  @Fields.int(0, MAX_CAMPAIGN_MINUTES)
  minTotalTogetherMinutes?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 1_440,
    nullable: true,
    description: 'When set, only calendar days (in timeZone) with at least this much verified time count.',
  })
  @Fields.nullableInt(1, 1_440)
  minDailyTogetherMinutes?: number | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_QUALIFYING_DAYS, default: 0 })
  @Fields.int(0, MAX_QUALIFYING_DAYS)
  minDistinctQualifyingDays?: number;

  @ApiPropertyOptional({ default: false })
  @Fields.boolean()
  requireActiveProximityForClaim?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_CAMPAIGN_STOCK,
    nullable: true,
    description: 'Rewards the campaign may grant in total; null for unlimited.',
  })
  @Fields.nullableInt(1, MAX_CAMPAIGN_STOCK)
  stock?: number | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PER_PAIR_LIMIT, default: 1 })
  @Fields.int(1, MAX_PER_PAIR_LIMIT)
  perPairLimit?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PER_USER_LIMIT,
    nullable: true,
    description: 'Rewards one user may receive from this campaign across all partners; null for no limit.',
  })
  @Fields.nullableInt(1, MAX_PER_USER_LIMIT)
  perUserLimit?: number | null;

  @ApiPropertyOptional({
    type: () => GeoCircleDto,
    nullable: true,
    description: 'Where the pair must be (connection point or current positions); null for anywhere.',
  })
  @Fields.circle()
  @Type(() => GeoCircleDto)
  area?: GeoCircleDto | null;

  @ApiPropertyOptional({
    type: () => GeoCircleDto,
    nullable: true,
    description: 'The venue: when set, the claimant must be inside this circle to claim (distance_exceeded).',
  })
  @Fields.circle()
  @Type(() => GeoCircleDto)
  claimArea?: GeoCircleDto | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'null: immediately.' })
  @Fields.dateTime()
  startsAt?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'null: no end.' })
  @Fields.dateTime()
  endsAt?: string | null;

  @ApiPropertyOptional({ example: 'Africa/Lagos', default: 'UTC', description: 'Cuts calendar days for daily rules.' })
  @Fields.timeZone()
  timeZone?: string;

  @ApiProperty({ maxLength: MAX_REWARD_TITLE_LENGTH, example: 'Date Night Reward' })
  @Fields.text(MAX_REWARD_TITLE_LENGTH, false)
  title!: string;

  @ApiProperty({ maxLength: MAX_REWARD_DESCRIPTION_LENGTH, example: 'Free appetizer and two mocktails' })
  @Fields.text(MAX_REWARD_DESCRIPTION_LENGTH, false)
  description!: string;

  @ApiProperty({ maxLength: MAX_REWARD_TERMS_LENGTH, example: 'Valid while stock lasts' })
  @Fields.text(MAX_REWARD_TERMS_LENGTH, false)
  terms!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @Fields.imageRef()
  rewardImageUrl?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_TAGLINE_LENGTH,
    description: 'Shown as brandTagline and campaignMessage.',
  })
  @Fields.nullableText(MAX_TAGLINE_LENGTH)
  tagline?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_VENUE_NAME_LENGTH })
  @Fields.nullableText(MAX_VENUE_NAME_LENGTH)
  venueName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_VENUE_ADDRESS_LENGTH })
  @Fields.nullableText(MAX_VENUE_ADDRESS_LENGTH)
  venueAddress?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_CAMPAIGN_MINUTES,
    nullable: true,
    default: 10_080,
    description: 'A granted reward expires this long after the grant; null: never.',
  })
  @Fields.nullableInt(1, MAX_CAMPAIGN_MINUTES)
  rewardLifetimeMinutes?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_CODE_LIFETIME_MINUTES,
    default: 30,
    description: 'A redemption code expires this long after the claim (never after the reward).',
  })
  @Fields.int(1, MAX_CODE_LIFETIME_MINUTES)
  codeLifetimeMinutes?: number;
}

/**
 * PATCH /admin/campaigns/:campaignId — absent fields stay unchanged; null clears nullable ones. Changes
 * apply to rewards granted afterwards: a granted reward keeps the texts and rules it was granted with.
 */
export class UpdateCampaignRequestDto {
  @ApiPropertyOptional({ maxLength: MAX_CAMPAIGN_NAME_LENGTH })
  @Fields.text(MAX_CAMPAIGN_NAME_LENGTH, true)
  name?: string;

  @ApiPropertyOptional({ enum: CAMPAIGN_TRIGGER_TYPES, isArray: true })
  @Fields.triggerTypes(true)
  triggerTypes?: SponsoredGiftTriggerType[];

  @ApiPropertyOptional({ type: 'integer', isArray: true })
  @Fields.milestoneMinutes()
  milestoneMinutes?: number[];

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_CAMPAIGN_MINUTES })
  @Fields.int(0, MAX_CAMPAIGN_MINUTES)
  minTotalTogetherMinutes?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_440, nullable: true })
  @Fields.nullableInt(1, 1_440)
  minDailyTogetherMinutes?: number | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_QUALIFYING_DAYS })
  @Fields.int(0, MAX_QUALIFYING_DAYS)
  minDistinctQualifyingDays?: number;

  @ApiPropertyOptional()
  @Fields.boolean()
  requireActiveProximityForClaim?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_CAMPAIGN_STOCK, nullable: true })
  @Fields.nullableInt(1, MAX_CAMPAIGN_STOCK)
  stock?: number | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PER_PAIR_LIMIT })
  @Fields.int(1, MAX_PER_PAIR_LIMIT)
  perPairLimit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PER_USER_LIMIT, nullable: true })
  @Fields.nullableInt(1, MAX_PER_USER_LIMIT)
  perUserLimit?: number | null;

  @ApiPropertyOptional({ type: () => GeoCircleDto, nullable: true })
  @Fields.circle()
  @Type(() => GeoCircleDto)
  area?: GeoCircleDto | null;

  @ApiPropertyOptional({ type: () => GeoCircleDto, nullable: true })
  @Fields.circle()
  @Type(() => GeoCircleDto)
  claimArea?: GeoCircleDto | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @Fields.dateTime()
  startsAt?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @Fields.dateTime()
  endsAt?: string | null;

  @ApiPropertyOptional({ example: 'Africa/Lagos' })
  @Fields.timeZone()
  timeZone?: string;

  @ApiPropertyOptional({ maxLength: MAX_REWARD_TITLE_LENGTH })
  @Fields.text(MAX_REWARD_TITLE_LENGTH, true)
  title?: string;

  @ApiPropertyOptional({ maxLength: MAX_REWARD_DESCRIPTION_LENGTH })
  @Fields.text(MAX_REWARD_DESCRIPTION_LENGTH, true)
  description?: string;

  @ApiPropertyOptional({ maxLength: MAX_REWARD_TERMS_LENGTH })
  @Fields.text(MAX_REWARD_TERMS_LENGTH, true)
  terms?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @Fields.imageRef()
  rewardImageUrl?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_TAGLINE_LENGTH })
  @Fields.nullableText(MAX_TAGLINE_LENGTH)
  tagline?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_VENUE_NAME_LENGTH })
  @Fields.nullableText(MAX_VENUE_NAME_LENGTH)
  venueName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_VENUE_ADDRESS_LENGTH })
  @Fields.nullableText(MAX_VENUE_ADDRESS_LENGTH)
  venueAddress?: string | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_CAMPAIGN_MINUTES, nullable: true })
  @Fields.nullableInt(1, MAX_CAMPAIGN_MINUTES)
  rewardLifetimeMinutes?: number | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_CODE_LIFETIME_MINUTES })
  @Fields.int(1, MAX_CODE_LIFETIME_MINUTES)
  codeLifetimeMinutes?: number;
}

/**
 * POST /admin/campaigns/:campaignId/status. Allowed moves: draft → active | ended; active → paused |
 * ended; paused → active | ended. `ended` is final.
 */
export class SetCampaignStatusRequestDto {
  @ApiProperty({ enum: CAMPAIGN_STATUSES, example: 'active' })
  @composeDecorators(
    IsDefined(withCode(failed, '$property is required')),
    IsIn(CAMPAIGN_STATUSES, withCode(failed, '$property must be one of: draft, active, paused, ended')),
  )
  status!: CampaignStatus;
}

export class CampaignDto {
  @ApiProperty({ example: 'camp_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E' })
  campaignId!: string;

  @ApiProperty()
  brandId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: CAMPAIGN_STATUSES })
  status!: CampaignStatus;

  @ApiProperty({ enum: CAMPAIGN_TRIGGER_TYPES, isArray: true })
  triggerTypes!: SponsoredGiftTriggerType[];

  @ApiProperty({ type: 'integer', isArray: true, description: 'Ascending.' })
  milestoneMinutes!: number[];

  @ApiProperty({ type: 'integer' })
  minTotalTogetherMinutes!: number;

  @ApiProperty({ type: 'integer', nullable: true })
  minDailyTogetherMinutes!: number | null;

  @ApiProperty({ type: 'integer' })
  minDistinctQualifyingDays!: number;

  @ApiProperty()
  requireActiveProximityForClaim!: boolean;

  @ApiProperty({ type: 'integer', nullable: true })
  stock!: number | null;

  @ApiProperty({ type: 'integer', description: 'Rewards granted so far.' })
  grantedCount!: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the stock is unlimited.' })
  remainingStock!: number | null;

  @ApiProperty({ type: 'integer' })
  perPairLimit!: number;

  @ApiProperty({ type: 'integer', nullable: true })
  perUserLimit!: number | null;

  @ApiProperty({ type: () => GeoCircleDto, nullable: true })
  area!: GeoCircleDto | null;

  @ApiProperty({ type: () => GeoCircleDto, nullable: true })
  claimArea!: GeoCircleDto | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startsAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  endsAt!: string | null;

  @ApiProperty({ example: 'Africa/Lagos' })
  timeZone!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty()
  terms!: string;

  @ApiProperty({ type: String, nullable: true })
  rewardImageUrl!: string | null;

  @ApiProperty({ type: String, nullable: true })
  tagline!: string | null;

  @ApiProperty({ type: String, nullable: true })
  venueName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  venueAddress!: string | null;

  @ApiProperty({ type: 'integer', nullable: true })
  rewardLifetimeMinutes!: number | null;

  @ApiProperty({ type: 'integer' })
  codeLifetimeMinutes!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class CampaignListDto {
  @ApiProperty({ type: () => CampaignDto, isArray: true, description: 'Newest first.' })
  campaigns!: CampaignDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page.' })
  nextCursor!: string | null;
}

// ---- venue redemption ----

/** POST /venue/redemptions */
export class RedeemCodeRequestDto {
  @ApiProperty({
    maxLength: MAX_REDEMPTION_CODE_LENGTH,
    example: 'K7QM-4XD2',
    description: 'The code the pair shows; case, spaces and hyphens are ignored.',
  })
  @IsRequiredString(failed, { maxLength: MAX_REDEMPTION_CODE_LENGTH })
  code!: string;
}

export const REDEMPTION_STATES = ['redeemable', 'redeemed', 'expired'] as const;
export type RedemptionState = (typeof REDEMPTION_STATES)[number];

export class VenueRedemptionDto {
  @ApiProperty({ example: 'K7QM4XD2', description: 'Normalized code.' })
  code!: string;

  @ApiProperty({ enum: REDEMPTION_STATES })
  state!: RedemptionState;

  @ApiProperty()
  giftId!: string;

  @ApiProperty()
  campaignId!: string;

  @ApiProperty()
  brandId!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty()
  terms!: string;

  @ApiProperty({ type: String, nullable: true })
  venueName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  venueAddress!: string | null;

  @ApiProperty({ format: 'date-time' })
  codeExpiresAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  redeemedAt!: string | null;
}
