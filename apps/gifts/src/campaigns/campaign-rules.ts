import type {
  CampaignDto,
  CampaignStatus,
  CreateCampaignRequestDto,
  SponsoredGiftTriggerType,
  UpdateCampaignRequestDto,
} from '@gisbi/contracts';
import { circleOf, type GeoCircle } from '../geo/geo';
import type { CampaignEntity } from './campaign.entity';

/** Every setting of a campaign an admin controls (not its status or counters). */
export interface CampaignConfig {
  name: string;
  triggerTypes: SponsoredGiftTriggerType[];
  milestoneMinutes: number[];
  minTotalTogetherMinutes: number;
  minDailyTogetherMinutes: number | null;
  minDistinctQualifyingDays: number;
  requireActiveProximityForClaim: boolean;
  stock: number | null;
  perPairLimit: number;
  perUserLimit: number | null;
  area: GeoCircle | null;
  claimArea: GeoCircle | null;
  startsAt: Date | null;
  endsAt: Date | null;
  timeZone: string;
  title: string;
  description: string;
  terms: string;
  rewardImageUrl: string | null;
  tagline: string | null;
  venueName: string | null;
  venueAddress: string | null;
  rewardLifetimeMinutes: number | null;
  codeLifetimeMinutes: number;
}

export const CAMPAIGN_DEFAULTS = {
  minTotalTogetherMinutes: 0,
  minDistinctQualifyingDays: 0,
  requireActiveProximityForClaim: false,
  perPairLimit: 1,
  timeZone: 'UTC',
  rewardLifetimeMinutes: 7 * 24 * 60,
  codeLifetimeMinutes: 30,
} as const;

const TRIGGER_ORDER: SponsoredGiftTriggerType[] = ['connectionAccepted', 'proximityMilestone'];

function normalizeTriggers(types: SponsoredGiftTriggerType[]): SponsoredGiftTriggerType[] {
  return TRIGGER_ORDER.filter((type) => types.includes(type));
}

function sortedMinutes(minutes: number[]): number[] {
  return [...minutes].sort((a, b) => a - b);
}

const circle = (value: { lat: number; lng: number; radiusMeters: number } | null | undefined): GeoCircle | null =>
  value ? { lat: value.lat, lng: value.lng, radiusMeters: value.radiusMeters } : null;

const dateOrNull = (value: string | null | undefined): Date | null => (value ? new Date(value) : null);

/** A validated create body with the defaults applied. */
export function configFromCreate(input: CreateCampaignRequestDto): CampaignConfig {
  return {
    name: input.name,
    triggerTypes: normalizeTriggers(input.triggerTypes),
    milestoneMinutes: sortedMinutes(input.milestoneMinutes ?? []),
    minTotalTogetherMinutes: input.minTotalTogetherMinutes ?? CAMPAIGN_DEFAULTS.minTotalTogetherMinutes,
    minDailyTogetherMinutes: input.minDailyTogetherMinutes ?? null,
    minDistinctQualifyingDays: input.minDistinctQualifyingDays ?? CAMPAIGN_DEFAULTS.minDistinctQualifyingDays,
    requireActiveProximityForClaim:
      input.requireActiveProximityForClaim ?? CAMPAIGN_DEFAULTS.requireActiveProximityForClaim,
    stock: input.stock ?? null,
    perPairLimit: input.perPairLimit ?? CAMPAIGN_DEFAULTS.perPairLimit,
    perUserLimit: input.perUserLimit ?? null,
    area: circle(input.area),
    claimArea: circle(input.claimArea),
    startsAt: dateOrNull(input.startsAt),
    endsAt: dateOrNull(input.endsAt),
    timeZone: input.timeZone ?? CAMPAIGN_DEFAULTS.timeZone,
    title: input.title,
    description: input.description,
    terms: input.terms,
    rewardImageUrl: input.rewardImageUrl ?? null,
    tagline: input.tagline ?? null,
    venueName: input.venueName ?? null,
    venueAddress: input.venueAddress ?? null,
    // Absent: the default lifetime; null: rewards never expire.
    rewardLifetimeMinutes:
      input.rewardLifetimeMinutes === undefined ? CAMPAIGN_DEFAULTS.rewardLifetimeMinutes : input.rewardLifetimeMinutes,
    codeLifetimeMinutes: input.codeLifetimeMinutes ?? CAMPAIGN_DEFAULTS.codeLifetimeMinutes,
  };
}

/** The campaign after a validated PATCH body: absent fields unchanged, null clears nullable ones. */
export function applyChanges(current: CampaignConfig, changes: UpdateCampaignRequestDto): CampaignConfig {
  const pick = <K extends keyof UpdateCampaignRequestDto & keyof CampaignConfig>(key: K): CampaignConfig[K] =>
    changes[key] === undefined ? current[key] : (changes[key] as CampaignConfig[K]);
  return {
    name: pick('name'),
    triggerTypes: changes.triggerTypes === undefined ? current.triggerTypes : normalizeTriggers(changes.triggerTypes),
    milestoneMinutes:
      changes.milestoneMinutes === undefined ? current.milestoneMinutes : sortedMinutes(changes.milestoneMinutes),
    minTotalTogetherMinutes: pick('minTotalTogetherMinutes'),
    minDailyTogetherMinutes: pick('minDailyTogetherMinutes'),
    minDistinctQualifyingDays: pick('minDistinctQualifyingDays'),
    requireActiveProximityForClaim: pick('requireActiveProximityForClaim'),
    stock: pick('stock'),
    perPairLimit: pick('perPairLimit'),
    perUserLimit: pick('perUserLimit'),
    area: changes.area === undefined ? current.area : circle(changes.area),
    claimArea: changes.claimArea === undefined ? current.claimArea : circle(changes.claimArea),
    startsAt: changes.startsAt === undefined ? current.startsAt : dateOrNull(changes.startsAt),
    endsAt: changes.endsAt === undefined ? current.endsAt : dateOrNull(changes.endsAt),
    timeZone: pick('timeZone'),
    title: pick('title'),
    description: pick('description'),
    terms: pick('terms'),
    rewardImageUrl: pick('rewardImageUrl'),
    tagline: pick('tagline'),
    venueName: pick('venueName'),
    venueAddress: pick('venueAddress'),
    rewardLifetimeMinutes: pick('rewardLifetimeMinutes'),
    codeLifetimeMinutes: pick('codeLifetimeMinutes'),
  };
}

/**
 * Rules that involve several fields (each field on its own is already valid). Returns the first problem
 * as a message for a `validation_failed` answer, or null.
 */
export function configProblem(config: CampaignConfig, grantedCount = 0): string | null {
  const milestones = config.triggerTypes.includes('proximityMilestone');
  if (milestones && config.milestoneMinutes.length === 0) {
    return 'milestoneMinutes must list at least one milestone when triggerTypes includes proximityMilestone';
  }
  if (!milestones && config.milestoneMinutes.length > 0) {
    return 'milestoneMinutes must be empty unless triggerTypes includes proximityMilestone';
  }
  if (config.startsAt && config.endsAt && config.endsAt.getTime() <= config.startsAt.getTime()) {
    return 'endsAt must be after startsAt';
  }
  if (
    config.minDailyTogetherMinutes !== null &&
    config.minTotalTogetherMinutes === 0 &&
    config.minDistinctQualifyingDays === 0
  ) {
    return 'minDailyTogetherMinutes only has an effect with minTotalTogetherMinutes or minDistinctQualifyingDays';
  }
  if (config.stock !== null && config.stock < grantedCount) {
    return `stock cannot be lower than the ${grantedCount} rewards already granted`;
  }
  return null;
}

const MOVES: Record<CampaignStatus, readonly CampaignStatus[]> = {
  draft: ['active', 'ended'],
  active: ['paused', 'ended'],
  paused: ['active', 'ended'],
  ended: [],
};

/** draft → active | ended; active → paused | ended; paused → active | ended; ended is final. */
export function canMove(from: CampaignStatus, to: CampaignStatus): boolean {
  return MOVES[from].includes(to);
}

export function configOf(entity: CampaignEntity): CampaignConfig {
  return {
    name: entity.name,
    triggerTypes: [
      ...(entity.triggerConnectionAccepted ? (['connectionAccepted'] as const) : []),
      ...(entity.milestoneMinutes.length > 0 ? (['proximityMilestone'] as const) : []),
    ],
    milestoneMinutes: entity.milestoneMinutes,
    minTotalTogetherMinutes: entity.minTotalTogetherMinutes,
    minDailyTogetherMinutes: entity.minDailyTogetherMinutes,
    minDistinctQualifyingDays: entity.minDistinctQualifyingDays,
    requireActiveProximityForClaim: entity.requireActiveProximityForClaim,
    stock: entity.stock,
    perPairLimit: entity.perPairLimit,
    perUserLimit: entity.perUserLimit,
    area: circleOf(entity.areaLat, entity.areaLng, entity.areaRadiusMeters),
    claimArea: circleOf(entity.claimLat, entity.claimLng, entity.claimRadiusMeters),
    startsAt: entity.startsAt,
    endsAt: entity.endsAt,
    timeZone: entity.timeZone,
    title: entity.title,
    description: entity.description,
    terms: entity.terms,
    rewardImageUrl: entity.rewardImageUrl,
    tagline: entity.tagline,
    venueName: entity.venueName,
    venueAddress: entity.venueAddress,
    rewardLifetimeMinutes: entity.rewardLifetimeMinutes,
    codeLifetimeMinutes: entity.codeLifetimeMinutes,
  };
}

/** Writes a config onto an entity's columns. */
export function assignConfig(entity: CampaignEntity, config: CampaignConfig): void {
  entity.name = config.name;
  entity.triggerConnectionAccepted = config.triggerTypes.includes('connectionAccepted');
  entity.milestoneMinutes = config.triggerTypes.includes('proximityMilestone') ? config.milestoneMinutes : [];
  entity.minTotalTogetherMinutes = config.minTotalTogetherMinutes;
  entity.minDailyTogetherMinutes = config.minDailyTogetherMinutes;
  entity.minDistinctQualifyingDays = config.minDistinctQualifyingDays;
  entity.requireActiveProximityForClaim = config.requireActiveProximityForClaim;
  entity.stock = config.stock;
  entity.perPairLimit = config.perPairLimit;
  entity.perUserLimit = config.perUserLimit;
  entity.areaLat = config.area?.lat ?? null;
  entity.areaLng = config.area?.lng ?? null;
  entity.areaRadiusMeters = config.area?.radiusMeters ?? null;
  entity.claimLat = config.claimArea?.lat ?? null;
  entity.claimLng = config.claimArea?.lng ?? null;
  entity.claimRadiusMeters = config.claimArea?.radiusMeters ?? null;
  entity.startsAt = config.startsAt;
  entity.endsAt = config.endsAt;
  entity.timeZone = config.timeZone;
  entity.title = config.title;
  entity.description = config.description;
  entity.terms = config.terms;
  entity.rewardImageUrl = config.rewardImageUrl;
  entity.tagline = config.tagline;
  entity.venueName = config.venueName;
  entity.venueAddress = config.venueAddress;
  entity.rewardLifetimeMinutes = config.rewardLifetimeMinutes;
  entity.codeLifetimeMinutes = config.codeLifetimeMinutes;
}

export function toCampaignDto(entity: CampaignEntity): CampaignDto {
  const config = configOf(entity);
  return {
    campaignId: entity.id,
    brandId: entity.brandId,
    status: entity.status,
    ...config,
    startsAt: config.startsAt?.toISOString() ?? null,
    endsAt: config.endsAt?.toISOString() ?? null,
    grantedCount: entity.grantedCount,
    remainingStock: entity.stock === null ? null : Math.max(0, entity.stock - entity.grantedCount),
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}
