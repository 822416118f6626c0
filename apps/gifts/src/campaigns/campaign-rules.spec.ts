import type { CreateCampaignRequestDto } from '@gisbi/contracts';
import { CampaignEntity } from './campaign.entity';
import {
  applyChanges,
  assignConfig,
  CAMPAIGN_DEFAULTS,
  canMove,
  configFromCreate,
  configOf,
  configProblem,
  toCampaignDto,
} from './campaign-rules';

const createInput = (overrides: Partial<CreateCampaignRequestDto> = {}): CreateCampaignRequestDto =>
  Object.assign(
    {
      brandId: 'brand_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E',
      name: 'Date night',
      triggerTypes: ['proximityMilestone', 'connectionAccepted'],
      milestoneMinutes: [60, 15],
      title: 'Date Night Reward',
      description: 'Free appetizer and two mocktails',
      terms: 'Valid while stock lasts',
    },
    overrides,
  ) as CreateCampaignRequestDto;

describe(configFromCreate.name, () => {
  it('applies the defaults and orders triggers and milestones', () => {
    const sut = configFromCreate(createInput());

    expect(sut).toMatchObject({
      triggerTypes: ['connectionAccepted', 'proximityMilestone'],
      milestoneMinutes: [15, 60],
      minTotalTogetherMinutes: 0,
      minDailyTogetherMinutes: null,
      minDistinctQualifyingDays: 0,
      requireActiveProximityForClaim: false,
      stock: null,
      perPairLimit: 1,
      perUserLimit: null,
      area: null,
      claimArea: null,
      timeZone: 'UTC',
      rewardLifetimeMinutes: CAMPAIGN_DEFAULTS.rewardLifetimeMinutes,
      codeLifetimeMinutes: 30,
    });
  });

  it('keeps an explicit null reward lifetime (never expires)', () => {
    expect(configFromCreate(createInput({ rewardLifetimeMinutes: null })).rewardLifetimeMinutes).toBeNull();
  });
});

describe(applyChanges.name, () => {
  const current = configFromCreate(
    createInput({ stock: 10, area: { lat: 6.5, lng: 3.3, radiusMeters: 1000 }, tagline: 'Hi', endsAt: '2026-05-01T00:00:00Z' }),
  );

  it('leaves absent fields unchanged and clears nullable fields given null', () => {
    const sut = applyChanges(current, { title: 'New title', stock: null, area: null, tagline: null, endsAt: null });

    expect(sut).toMatchObject({ title: 'New title', stock: null, area: null, tagline: null, endsAt: null });
    expect(sut.description).toBe(current.description);
    expect(sut.milestoneMinutes).toEqual([15, 60]);
  });

  it('replaces triggers and milestones as given', () => {
    expect(applyChanges(current, { triggerTypes: ['connectionAccepted'], milestoneMinutes: [] })).toMatchObject({
      triggerTypes: ['connectionAccepted'],
      milestoneMinutes: [],
    });
  });
});

describe(configProblem.name, () => {
  const valid = configFromCreate(createInput());

  it('accepts a consistent campaign', () => {
    expect(configProblem(valid)).toBeNull();
  });

  it.each([
    [
      'a milestone trigger without milestones',
      { triggerTypes: ['proximityMilestone' as const], milestoneMinutes: [] },
      'milestoneMinutes must list at least one milestone when triggerTypes includes proximityMilestone',
    ],
    [
      'milestones without a milestone trigger',
      { triggerTypes: ['connectionAccepted' as const], milestoneMinutes: [15] },
      'milestoneMinutes must be empty unless triggerTypes includes proximityMilestone',
    ],
    [
      'an end before the start',
      { startsAt: new Date('2026-05-01T00:00:00Z'), endsAt: new Date('2026-05-01T00:00:00Z') },
      'endsAt must be after startsAt',
    ],
    [
      'a daily threshold that cannot matter',
      { minDailyTogetherMinutes: 30 },
      'minDailyTogetherMinutes only has an effect with minTotalTogetherMinutes or minDistinctQualifyingDays',
    ],
  ])('refuses %s', (_case, overrides, message) => {
    expect(configProblem({ ...valid, ...overrides })).toBe(message);
  });

  it('refuses a stock below what was already granted', () => {
    expect(configProblem({ ...valid, stock: 4 }, 5)).toBe('stock cannot be lower than the 5 rewards already granted');
    expect(configProblem({ ...valid, stock: 5 }, 5)).toBeNull();
  });
});

describe(canMove.name, () => {
  it.each([
    ['draft', 'active', true],
    ['draft', 'paused', false],
    ['active', 'paused', true],
    ['paused', 'active', true],
    ['active', 'draft', false],
    ['ended', 'active', false],
    ['paused', 'ended', true],
  ] as const)('%s → %s: %s', (from, to, allowed) => {
    expect(canMove(from, to)).toBe(allowed);
  });
});

describe(toCampaignDto.name, () => {
  it('round-trips a config through the entity columns', () => {
    const config = configFromCreate(
      createInput({ stock: 10, claimArea: { lat: 6.43, lng: 3.42, radiusMeters: 150 }, startsAt: '2026-04-01T00:00:00.000Z' }),
    );
    const entity = Object.assign(new CampaignEntity(), {
      id: 'camp_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E',
      brandId: 'brand_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E',
      status: 'active',
      grantedCount: 3,
      createdAt: new Date('2026-04-01T00:00:00.000Z'),
      updatedAt: new Date('2026-04-02T00:00:00.000Z'),
    });
    assignConfig(entity, config);

    expect(configOf(entity)).toEqual(config);
    expect(toCampaignDto(entity)).toMatchObject({
      campaignId: entity.id,
      status: 'active',
      grantedCount: 3,
      remainingStock: 7,
      claimArea: { lat: 6.43, lng: 3.42, radiusMeters: 150 },
      startsAt: '2026-04-01T00:00:00.000Z',
      endsAt: null,
    });
  });
});
