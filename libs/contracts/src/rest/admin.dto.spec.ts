import { ErrorCode } from '../errors/error-codes';
import { validateInput } from '../validation/validate-input';
import {
  CreateBrandRequestDto,
  CreateCampaignRequestDto,
  isImageRef,
  isTimeZone,
  RedeemCodeRequestDto,
  SetCampaignStatusRequestDto,
  UpdateBrandRequestDto,
  UpdateCampaignRequestDto,
} from './admin.dto';

const validate = <T extends object>(schema: new () => T, body: unknown) =>
  validateInput(schema, body, { fallbackCode: ErrorCode.validation_failed, forbidUnknown: true });

const campaign = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  brandId: 'brand_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E',
  name: 'Date night',
  triggerTypes: ['proximityMilestone'],
  milestoneMinutes: [15, 60],
  title: 'Date Night Reward',
  description: 'Free appetizer and two mocktails',
  terms: 'Valid while stock lasts',
  ...overrides,
});

describe(CreateBrandRequestDto.name, () => {
  it('accepts the contract example brand', () => {
    const body = { name: 'Skyline Lounge', slug: 'skyline-lounge', logo: '/media/brands/skyline.png', category: 'lounge' };

    expect(validate(CreateBrandRequestDto, body)).toMatchObject({ ok: true, value: body });
  });

  it.each([
    [{ slug: 'Skyline Lounge' }, 'slug must be lowercase letters and digits separated by single hyphens'],
    [{ slug: 'skyline--lounge' }, 'slug must be lowercase letters and digits separated by single hyphens'],
    [{ logo: 'ftp://x/logo.png' }, 'logo must be an http(s) URL or a path starting with /'],
    [{ logo: '//cdn.example.com/a.png' }, 'logo must be an http(s) URL or a path starting with /'],
    [{ name: '' }, 'name must not be empty'],
    [{ owner: 'x' }, 'owner is not an accepted field'],
  ])('refuses %p', (overrides, message) => {
    const body = { name: 'Skyline Lounge', slug: 'skyline-lounge', category: 'lounge', ...overrides };

    expect(validate(CreateBrandRequestDto, body)).toMatchObject({ ok: false, code: ErrorCode.validation_failed, message });
  });
});

describe(UpdateBrandRequestDto.name, () => {
  it('accepts a partial change and a logo removal, refuses null for other fields', () => {
    expect(validate(UpdateBrandRequestDto, { logo: null })).toMatchObject({ ok: true });
    expect(validate(UpdateBrandRequestDto, { name: null })).toMatchObject({ ok: false, message: 'name must be a string' });
  });
});

describe(CreateCampaignRequestDto.name, () => {
  it('accepts a minimal and a complete campaign', () => {
    expect(validate(CreateCampaignRequestDto, campaign())).toMatchObject({ ok: true });
    const complete = campaign({
      status: 'active',
      triggerTypes: ['connectionAccepted', 'proximityMilestone'],
      minTotalTogetherMinutes: 6000,
      minDailyTogetherMinutes: 30,
      minDistinctQualifyingDays: 20,
      requireActiveProximityForClaim: true,
      stock: 500,
      perPairLimit: 2,
      perUserLimit: 3,
      area: { lat: 6.5244, lng: 3.3792, radiusMeters: 25000 },
      claimArea: { lat: 6.4281, lng: 3.4219, radiusMeters: 150 },
      startsAt: '2026-04-01T00:00:00Z',
      endsAt: '2026-05-01T00:00:00Z',
      timeZone: 'Africa/Lagos',
      rewardImageUrl: 'https://cdn.example.com/reward.png',
      tagline: 'Made for two',
      venueName: 'Skyline Lounge',
      venueAddress: '2 Marina Road, Lagos',
      rewardLifetimeMinutes: null,
      codeLifetimeMinutes: 60,
    });
    expect(validate(CreateCampaignRequestDto, complete)).toMatchObject({ ok: true });
  });

  it.each([
    [{ triggerTypes: [] }, 'triggerTypes must name at least one trigger'],
    [{ triggerTypes: ['gift'] }, 'triggerTypes may only contain connectionAccepted and proximityMilestone'],
    [{ triggerTypes: undefined }, 'triggerTypes is required'],
    [{ milestoneMinutes: [15, 15] }, 'milestoneMinutes must not repeat a milestone'],
    [{ milestoneMinutes: [0] }, 'milestoneMinutes must hold integers between 1 and 525600'],
    [{ milestoneMinutes: [1.5] }, 'milestoneMinutes must hold integers between 1 and 525600'],
    [{ minDailyTogetherMinutes: 1441 }, 'minDailyTogetherMinutes must be an integer between 1 and 1440'],
    [{ minTotalTogetherMinutes: '60' }, 'minTotalTogetherMinutes must be an integer between 0 and 525600'],
    [{ minTotalTogetherMinutes: null }, 'minTotalTogetherMinutes must be an integer between 0 and 525600'],
    [{ stock: 0 }, 'stock must be an integer between 1 and 10000000'],
    [{ area: { lat: 91, lng: 3, radiusMeters: 10 } }, 'area.lat must be a finite number between -90 and 90'],
    [{ area: { lat: 6, lng: 3 } }, 'area.radiusMeters is required'],
    [{ area: 'lagos' }, 'area must be an object with lat, lng and radiusMeters, or null'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone must be an IANA time zone name such as Africa/Lagos'],
    [{ startsAt: '2026-04-01' }, 'startsAt must be an ISO-8601 date-time with a time zone'],
    [{ status: 'paused' }, 'status must be draft or active'],
    [{ requireActiveProximityForClaim: 'yes' }, 'requireActiveProximityForClaim must be a boolean'],
    [{ codeLifetimeMinutes: 10081 }, 'codeLifetimeMinutes must be an integer between 1 and 10080'],
    [{ grantedCount: 3 }, 'grantedCount is not an accepted field'],
  ])('refuses %p', (overrides, message) => {
    expect(validate(CreateCampaignRequestDto, campaign(overrides))).toMatchObject({
      ok: false,
      code: ErrorCode.validation_failed,
      message,
    });
  });
});

describe(UpdateCampaignRequestDto.name, () => {
  it('accepts an empty change, nulls on nullable fields, and refuses brandId or status', () => {
    expect(validate(UpdateCampaignRequestDto, {})).toMatchObject({ ok: true });
    expect(validate(UpdateCampaignRequestDto, { stock: null, area: null, endsAt: null })).toMatchObject({ ok: true });
    expect(validate(UpdateCampaignRequestDto, { brandId: 'brand_x' })).toMatchObject({ ok: false });
    expect(validate(UpdateCampaignRequestDto, { status: 'active' })).toMatchObject({ ok: false });
    expect(validate(UpdateCampaignRequestDto, { perPairLimit: null })).toMatchObject({ ok: false });
  });
});

describe(SetCampaignStatusRequestDto.name, () => {
  it('requires a known status', () => {
    expect(validate(SetCampaignStatusRequestDto, { status: 'paused' })).toMatchObject({ ok: true });
    expect(validate(SetCampaignStatusRequestDto, {})).toMatchObject({ ok: false, message: 'status is required' });
    expect(validate(SetCampaignStatusRequestDto, { status: 'live' })).toMatchObject({ ok: false });
  });
});

describe(RedeemCodeRequestDto.name, () => {
  it('requires a code', () => {
    expect(validate(RedeemCodeRequestDto, { code: 'K7QM-4XD2' })).toMatchObject({ ok: true });
    expect(validate(RedeemCodeRequestDto, {})).toMatchObject({ ok: false, message: 'code is required' });
  });
});

describe('value checks', () => {
  it('knows IANA time zones', () => {
    expect(isTimeZone('Africa/Lagos')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Africa/Atlantis')).toBe(false);
    expect(isTimeZone('+01:00')).toBe(false);
  });

  it('knows image references', () => {
    expect(isImageRef('https://cdn.example.com/a.png')).toBe(true);
    expect(isImageRef('/media/a.png')).toBe(true);
    expect(isImageRef('javascript:alert(1)')).toBe(false);
    expect(isImageRef('/media/a b.png')).toBe(false);
  });
});
