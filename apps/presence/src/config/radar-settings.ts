import { MAX_SEARCH_RADIUS_METERS, polarSearchFromLatitude } from '../geo/geo-math';
import type { PresenceEnv } from './presence-config';

/** Redis GEO quantises positions (52-bit geohash, < 0.6 m) and uses its own Earth radius: search wider. */
const GEO_ROUNDING_MARGIN_METERS = 2;

/** The radar's numbers, derived once from the environment. */
export interface RadarSettings {
  radiusMeters: number;
  maxResults: number;
  strangerPrecisionMeters: number;
  /**
   * Radius of every Redis search: the radar radius plus the largest snapping displacement (a stranger is
   * listed when their snapped point is within the radius) plus the rounding margin. Results are always
   * re-checked with haversine on true or snapped coordinates.
   */
  searchRadiusMeters: number;
  /** Searches from this |latitude| on run in the polar frame. */
  polarFromLatitude: number;
  pushIntervalMs: number;
  /** Delay of pushes that only refresh someone's position (not who is listed). */
  pushMoveDelayMs: number;
  staleMs: number;
  maxSpeedMetersPerSecond: number;
  jumpToleranceMeters: number;
  gatewayTimeoutMs: number;
  retentionMs: number;
}

export const RADAR_SETTINGS = Symbol('RADAR_SETTINGS');

export function radarSettingsFrom(env: PresenceEnv): RadarSettings {
  const searchRadiusMeters = env.RADAR_RADIUS_METERS + env.RADAR_STRANGER_PRECISION_METERS + GEO_ROUNDING_MARGIN_METERS;
  if (searchRadiusMeters > MAX_SEARCH_RADIUS_METERS) {
    throw new Error(`RADAR_RADIUS_METERS + RADAR_STRANGER_PRECISION_METERS must stay below ${Math.floor(MAX_SEARCH_RADIUS_METERS)} m`);
  }
  return {
    radiusMeters: env.RADAR_RADIUS_METERS,
    maxResults: env.RADAR_MAX_RESULTS,
    strangerPrecisionMeters: env.RADAR_STRANGER_PRECISION_METERS,
    searchRadiusMeters,
    polarFromLatitude: polarSearchFromLatitude(searchRadiusMeters),
    pushIntervalMs: Math.ceil(1000 / env.RADAR_PUSH_MAX_PER_SECOND),
    pushMoveDelayMs: env.RADAR_PUSH_MOVE_DELAY_MS,
    staleMs: env.PRESENCE_STALE_SECONDS * 1000,
    maxSpeedMetersPerSecond: env.PRESENCE_MAX_SPEED_MPS,
    jumpToleranceMeters: env.PRESENCE_JUMP_TOLERANCE_METERS,
    gatewayTimeoutMs: env.PRESENCE_GATEWAY_TIMEOUT_MS,
    retentionMs: env.PRESENCE_LOCATION_RETENTION_SECONDS * 1000,
  };
}
