import { ErrorCode } from '../errors/error-codes';
import { IsRequiredBoolean } from '../validation/field-decorators';
import { LocationFields } from './location-fields';

/** presence.location_update */
export class LocationUpdatePayload {
  @LocationFields.lat()
  lat!: number;

  @LocationFields.lng()
  lng!: number;

  @LocationFields.accuracyMeters()
  accuracyMeters?: number;

  @LocationFields.heading()
  heading?: number;

  @LocationFields.speed()
  speed?: number;
}

/** radar.set_visible */
export class RadarSetVisiblePayload {
  @IsRequiredBoolean(ErrorCode.missing_isOnRadar)
  isOnRadar!: boolean;
}
