import { ErrorCode } from '../errors/error-codes';
import { IsNumberBetween, IsRequiredId, IsRequiredString } from '../validation/field-decorators';

export const MAX_PROXIMITY_TOKEN_LENGTH = 64;
/** Physical RSSI range in dBm. The -40 dBm "too close to be real" rule is the proximity service's. */
export const MIN_RSSI_DBM = -127;
export const MAX_RSSI_DBM = 0;

/** proximity.session.start and proximity.heartbeat: the partner's scanned BLE token. */
export class ProximityTokenPayload {
  @IsRequiredId(ErrorCode.missing_connectionId)
  connectionId!: string;

  @IsRequiredString(
    { missing: ErrorCode.missing_token, invalid: ErrorCode.invalid_token },
    { maxLength: MAX_PROXIMITY_TOKEN_LENGTH },
  )
  token!: string;

  @IsNumberBetween(
    { missing: ErrorCode.missing_rssi, invalid: ErrorCode.invalid_rssi },
    MIN_RSSI_DBM,
    MAX_RSSI_DBM,
  )
  rssi!: number;
}

/** proximity.session.end */
export class ProximitySessionEndPayload {
  @IsRequiredId(ErrorCode.missing_connectionId)
  connectionId!: string;
}
