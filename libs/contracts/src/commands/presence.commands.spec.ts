import { ErrorCode } from '../errors/error-codes';
import { validateInput } from '../validation/validate-input';
import { LocationUpdatePayload, RadarSetVisiblePayload } from './presence.commands';

const location = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  lat: 6.5244,
  lng: 3.3792,
  accuracyMeters: 6.2,
  heading: 120.0,
  speed: 1.7,
  ...overrides,
});

describe(LocationUpdatePayload.name, () => {
  it('accepts the contract example, and lat/lng alone', () => {
    expect(validateInput(LocationUpdatePayload, location())).toEqual({ ok: true, value: location() });
    expect(validateInput(LocationUpdatePayload, { lat: 0, lng: 0 })).toMatchObject({ ok: true });
  });

  it.each([
    ['lat absent', { lat: undefined }, 'lat is required'],
    ['lat as a string', { lat: '6.5' }, 'lat must be a finite number between -90 and 90'],
    ['lat out of range', { lat: 90.0001 }, 'lat must be a finite number between -90 and 90'],
    ['lat NaN-like', { lat: null }, 'lat is required'],
    ['lng out of range', { lng: -180.5 }, 'lng must be a finite number between -180 and 180'],
    ['negative accuracy', { accuracyMeters: -1 }, 'accuracyMeters must be a finite number between 0 and 100000'],
    ['absurd accuracy', { accuracyMeters: 100_001 }, 'accuracyMeters must be a finite number between 0 and 100000'],
    ['heading of 360', { heading: 360 }, 'heading must be a finite number in [0, 360)'],
    ['negative heading', { heading: -0.1 }, 'heading must be a finite number in [0, 360)'],
    ['heading as a string', { heading: '90' }, 'heading must be a finite number in [0, 360)'],
    ['negative speed', { speed: -1 }, 'speed must be a finite number between 0 and 1000'],
    ['absurd speed', { speed: 1001 }, 'speed must be a finite number between 0 and 1000'],
  ])('refuses %s with invalid_location', (_case, overrides, message) => {
    expect(validateInput(LocationUpdatePayload, location(overrides))).toMatchObject({
      ok: false,
      code: ErrorCode.invalid_location,
      message,
    });
  });

  it('accepts the bounds themselves', () => {
    expect(
      validateInput(LocationUpdatePayload, { lat: -90, lng: 180, accuracyMeters: 0, heading: 0, speed: 0 }),
    ).toMatchObject({ ok: true });
    expect(validateInput(LocationUpdatePayload, location({ heading: 359.999 }))).toMatchObject({ ok: true });
  });
});

describe(RadarSetVisiblePayload.name, () => {
  it('accepts true and false', () => {
    expect(validateInput(RadarSetVisiblePayload, { isOnRadar: false })).toEqual({
      ok: true,
      value: { isOnRadar: false },
    });
    expect(validateInput(RadarSetVisiblePayload, { isOnRadar: true })).toMatchObject({ ok: true });
  });

  it.each([{}, { isOnRadar: 'false' }, { isOnRadar: 0 }, { isOnRadar: null }])(
    'refuses %p with missing_isOnRadar',
    (input) => {
      expect(validateInput(RadarSetVisiblePayload, input)).toMatchObject({
        ok: false,
        code: ErrorCode.missing_isOnRadar,
      });
    },
  );
});
