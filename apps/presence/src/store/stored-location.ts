import type { Location } from '@gisbi/contracts';
import {
  fitsMainIndex,
  inPolarBand,
  snapToGrid,
  toPolarFrame,
  type LatLng,
} from '../geo/geo-math';

/**
 * A live location as kept in Redis (compact JSON, also read by the Lua scripts). True coordinates
 * always; `m` and `plat`/`plng` say which GEO index(es) hold it; the stranger-grid point is computed
 * once at write time so radar queries never snap.
 */
export interface StoredLocation {
  lat: number;
  lng: number;
  acc?: number;
  hdg?: number;
  spd?: number;
  /** Server time of the fix (ms). */
  at: number;
  /** Snapped point for strangers, for precision `p`. */
  slat: number;
  slng: number;
  p: number;
  cell: string;
  /** 1 when in the normal index (|lat| <= 85.05112878). */
  m?: 1;
  /** Polar-frame coordinates when in the polar band (|lat| >= 80). */
  plat?: number;
  plng?: number;
}

export interface LocationFix {
  lat: number;
  lng: number;
  accuracyMeters?: number | null;
  heading?: number | null;
  speed?: number | null;
}

export function toStoredLocation(fix: LocationFix, atMs: number, precisionMeters: number): StoredLocation {
  // Validated to [-180, 180]; kept as sent (180 and -180 are the same meridian for every computation).
  const lng = fix.lng;
  const snapped = snapToGrid({ lat: fix.lat, lng }, precisionMeters);
  const stored: StoredLocation = {
    lat: fix.lat,
    lng,
    at: atMs,
    slat: snapped.lat,
    slng: snapped.lng,
    p: precisionMeters,
    cell: snapped.cell,
  };
  if (isPresent(fix.accuracyMeters)) stored.acc = fix.accuracyMeters;
  if (isPresent(fix.heading)) stored.hdg = fix.heading;
  if (isPresent(fix.speed)) stored.spd = fix.speed;
  if (fitsMainIndex(fix.lat)) stored.m = 1;
  if (inPolarBand(fix.lat)) {
    const polar = toPolarFrame({ lat: fix.lat, lng });
    stored.plat = polar.lat;
    stored.plng = polar.lng;
  }
  return stored;
}

/** The user's own, exact location as the contract's Location. */
export function toLocation(stored: StoredLocation): Location {
  return {
    lat: stored.lat,
    lng: stored.lng,
    ...(stored.acc !== undefined ? { accuracyMeters: stored.acc } : {}),
    ...(stored.hdg !== undefined ? { heading: stored.hdg } : {}),
    ...(stored.spd !== undefined ? { speed: stored.spd } : {}),
    updatedAt: new Date(stored.at).toISOString(),
  };
}

/** Where strangers see this user, for the configured precision (recomputed if the config changed). */
export function strangerPoint(stored: StoredLocation, precisionMeters: number): LatLng {
  if (stored.p === precisionMeters) return { lat: stored.slat, lng: stored.slng };
  return snapToGrid(stored, precisionMeters);
}

/**
 * Parsed fixes by their JSON: every radar parses the fixes of up to ~60 candidates, and the same fix is a
 * candidate on many radars until its owner moves. Bounded; the objects are shared, never mutated.
 */
const parsed = new Map<string, Readonly<StoredLocation>>();
const PARSED_MAX_ENTRIES = 20_000;

export function parseStoredLocation(raw: string | null | undefined): Readonly<StoredLocation> | undefined {
  if (!raw) return undefined;
  const known = parsed.get(raw);
  if (known) return known;
  const location = JSON.parse(raw) as StoredLocation;
  if (parsed.size >= PARSED_MAX_ENTRIES) parsed.clear();
  parsed.set(raw, location);
  return location;
}

function isPresent(value: number | null | undefined): value is number {
  return value !== undefined && value !== null;
}
