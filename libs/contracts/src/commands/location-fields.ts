import { IsOptional } from 'class-validator';
import { ErrorCode } from '../errors/error-codes';
import { IsHeadingDegrees } from '../validation/custom-constraints';
import { composeDecorators, IsNumberBetween } from '../validation/field-decorators';
import { withCode } from '../validation/with-code';

// Physical bounds: generous enough for any real device, tight enough to refuse nonsense.
export const MAX_ACCURACY_METERS = 100_000;
export const MAX_SPEED_METERS_PER_SECOND = 1_000;

const invalid = ErrorCode.invalid_location;

/** Latitude/longitude and optional motion fields; every failure is invalid_location. */
export const LocationFields = {
  lat: () => IsNumberBetween(invalid, -90, 90),
  lng: () => IsNumberBetween(invalid, -180, 180),
  accuracyMeters: () => IsNumberBetween(invalid, 0, MAX_ACCURACY_METERS, { optional: true }),
  heading: () =>
    composeDecorators(
      IsOptional(),
      IsHeadingDegrees(withCode(invalid, '$property must be a finite number in [0, 360)')),
    ),
  speed: () => IsNumberBetween(invalid, 0, MAX_SPEED_METERS_PER_SECOND, { optional: true }),
};
