/**
 * Spherical geometry for the radar. Pure functions, no I/O.
 *
 * One Earth model everywhere: a sphere of mean radius 6,371,008.8 m (IUGG). Redis GEO uses a slightly
 * different radius (6,372,797.56 m, 0.03 % larger), which is why radius searches in Redis are widened
 * and every result is re-checked here on the true coordinates.
 */
export const EARTH_RADIUS_METERS = 6_371_008.8;
export const METERS_PER_DEGREE = (EARTH_RADIUS_METERS * Math.PI) / 180;

/** Redis GEO stores Web-Mercator-valid latitudes only (EPSG:900913 limit). */
export const GEO_INDEX_MAX_LATITUDE = 85.05112878;

/**
 * Users at or beyond this latitude are also kept in the rotated polar index (see `toPolarFrame`). It must
 * stay below GEO_INDEX_MAX_LATITUDE by more than two search radii; config caps the radius accordingly.
 */
export const POLAR_BAND_LATITUDE = 80;

export interface LatLng {
  lat: number;
  lng: number;
}

const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;
const toDegrees = (radians: number): number => (radians * 180) / Math.PI;

/** Longitude in [-180, 180). */
export function normalizeLongitude(lng: number): number {
  const wrapped = ((((lng + 180) % 360) + 360) % 360) - 180;
  return Object.is(wrapped, -0) ? 0 : wrapped;
}

/** Bearing in [0, 360). */
export function normalizeBearing(degrees: number): number {
  const wrapped = ((degrees % 360) + 360) % 360;
  return wrapped >= 360 || Object.is(wrapped, -0) ? 0 : wrapped;
}

/** Great-circle distance in metres (haversine; numerically stable for tiny and antipodal distances). */
export function haversineMeters(a: LatLng, b: LatLng): number {
  const phi1 = toRadians(a.lat);
  const phi2 = toRadians(b.lat);
  const dPhi = phi2 - phi1;
  const dLambda = toRadians(b.lng - a.lng);
  const h = Math.sin(dPhi / 2) ** 2 + Math.cos(phi1) * Math.cos(phi2) * Math.sin(dLambda / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Initial bearing (forward azimuth) from `from` to `to`, degrees clockwise from north in [0, 360).
 * Identical points have no direction: 0 by convention. From a pole every direction is south (north
 * pole) or north (south pole): the formula then follows the target's meridian, which is the only
 * meaningful reading there.
 */
export function initialBearingDegrees(from: LatLng, to: LatLng): number {
  if (from.lat === to.lat && normalizeLongitude(from.lng) === normalizeLongitude(to.lng)) return 0;
  const phi1 = toRadians(from.lat);
  const phi2 = toRadians(to.lat);
  const dLambda = toRadians(to.lng - from.lng);
  const y = Math.sin(dLambda) * Math.cos(phi2);
  const x = Math.cos(phi1) * Math.sin(phi2) - Math.sin(phi1) * Math.cos(phi2) * Math.cos(dLambda);
  if (x === 0 && y === 0) return 0;
  return normalizeBearing(toDegrees(Math.atan2(y, x)));
}

/** The point `distanceMeters` away from `from` along the initial bearing (used by tests and the benchmark). */
export function destinationPoint(from: LatLng, bearingDegrees: number, distanceMeters: number): LatLng {
  const delta = distanceMeters / EARTH_RADIUS_METERS;
  const theta = toRadians(bearingDegrees);
  const phi1 = toRadians(from.lat);
  const lambda1 = toRadians(from.lng);
  const sinPhi2 = Math.sin(phi1) * Math.cos(delta) + Math.cos(phi1) * Math.sin(delta) * Math.cos(theta);
  const phi2 = Math.asin(Math.max(-1, Math.min(1, sinPhi2)));
  const y = Math.sin(theta) * Math.sin(delta) * Math.cos(phi1);
  const x = Math.cos(delta) - Math.sin(phi1) * sinPhi2;
  const lambda2 = lambda1 + Math.atan2(y, x);
  return { lat: toDegrees(phi2), lng: normalizeLongitude(toDegrees(lambda2)) };
}

export interface SnappedPoint extends LatLng {
  /** Stable cell identifier: two points share it exactly when they snap to the same point. */
  cell: string;
}

/**
 * Snaps a position to the centre of its cell on an equal-area-ish grid of `precisionMeters`:
 * rows of constant latitude height `precisionMeters`, each row cut into the whole number of columns
 * that are closest to `precisionMeters` wide at the row's middle latitude. Whole columns per row make
 * the grid wrap seamlessly at the antimeridian (180 and -180 fall in the same cell); the two rows that
 * touch a pole snap to the pole itself, so cells never degenerate into slivers. The snapped point is
 * never more than `precisionMeters` from the true one (tested), which is the margin radius searches add.
 * A precision of 0 disables snapping.
 */
export function snapToGrid(point: LatLng, precisionMeters: number): SnappedPoint {
  const lng = normalizeLongitude(point.lng);
  if (precisionMeters <= 0) return { lat: point.lat, lng, cell: `${point.lat}:${lng}` };
  const rowHeight = precisionMeters / METERS_PER_DEGREE;
  const rowCount = Math.ceil(180 / rowHeight);
  const row = Math.min(rowCount - 1, Math.max(0, Math.floor((point.lat + 90) / rowHeight)));
  const south = -90 + row * rowHeight;
  const north = Math.min(90, south + rowHeight);
  if (row === 0) return { lat: -90, lng: 0, cell: `${row}:0` };
  if (north >= 90) return { lat: 90, lng: 0, cell: `${row}:0` };
  const centerLat = (south + north) / 2;
  const circumference = 2 * Math.PI * EARTH_RADIUS_METERS * Math.cos(toRadians(centerLat));
  const columns = Math.max(1, Math.round(circumference / precisionMeters));
  const columnWidth = 360 / columns;
  const column = Math.min(columns - 1, Math.floor((lng + 180) / columnWidth));
  return { lat: centerLat, lng: normalizeLongitude(-180 + (column + 0.5) * columnWidth), cell: `${row}:${column}` };
}

/**
 * Maps a position into the polar frame: the sphere rotated a quarter turn about the axis through
 * (0°, 0°), so that the north pole lands on (0°, 90°E) and the south pole on (0°, 90°W). Rotations
 * preserve every great-circle distance, so a Redis radius search in this frame is exact for points the
 * normal frame cannot store (|lat| > 85.05112878°); every point with |lat| >= 80° lands within 10° of the
 * equator there, far from both the Mercator limit and the antimeridian.
 */
export function toPolarFrame(point: LatLng): LatLng {
  const phi = toRadians(point.lat);
  const lambda = toRadians(point.lng);
  const x = Math.cos(phi) * Math.cos(lambda);
  const y = Math.cos(phi) * Math.sin(lambda);
  const z = Math.sin(phi);
  // (x, y, z) -> (x, z, -y)
  return fromVector(x, z, -y);
}

/** Inverse of `toPolarFrame`. */
export function fromPolarFrame(point: LatLng): LatLng {
  const phi = toRadians(point.lat);
  const lambda = toRadians(point.lng);
  const x = Math.cos(phi) * Math.cos(lambda);
  const y = Math.cos(phi) * Math.sin(lambda);
  const z = Math.sin(phi);
  // (x, y, z) -> (x, -z, y)
  return fromVector(x, -z, y);
}

function fromVector(x: number, y: number, z: number): LatLng {
  // `+ 0` turns -0 into 0.
  const lat = toDegrees(Math.asin(Math.max(-1, Math.min(1, z)))) + 0;
  const lng = Math.abs(x) < 1e-15 && Math.abs(y) < 1e-15 ? 0 : toDegrees(Math.atan2(y, x));
  return { lat, lng: normalizeLongitude(lng) };
}

/** Whether the normal GEO index can hold this latitude. */
export function fitsMainIndex(lat: number): boolean {
  return Math.abs(lat) <= GEO_INDEX_MAX_LATITUDE;
}

/** Whether the point is also kept in the polar index. */
export function inPolarBand(lat: number): boolean {
  return Math.abs(lat) >= POLAR_BAND_LATITUDE;
}

/**
 * The latitude from which a radius search of `searchRadiusMeters` must run in the polar frame: there the
 * search circle may reach beyond the Mercator limit, where the normal index holds nobody.
 */
export function polarSearchFromLatitude(searchRadiusMeters: number): number {
  return GEO_INDEX_MAX_LATITUDE - searchRadiusMeters / METERS_PER_DEGREE;
}

/** Largest search radius for which the polar index (|lat| >= 80°) still covers every polar-frame search. */
export const MAX_SEARCH_RADIUS_METERS = ((GEO_INDEX_MAX_LATITUDE - POLAR_BAND_LATITUDE) / 2) * METERS_PER_DEGREE;

/** Rounds for the wire (distances to 0.1 m, angles to 0.1°, kept in [0, 360)). */
export function roundTenth(value: number): number {
  return Math.round(value * 10) / 10;
}

export function roundBearing(degrees: number): number {
  const rounded = roundTenth(degrees);
  return rounded >= 360 ? 0 : rounded;
}
