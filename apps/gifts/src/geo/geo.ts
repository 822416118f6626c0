/** A point on the map, in degrees. */
export interface GeoPoint {
  lat: number;
  lng: number;
}

export interface GeoCircle extends GeoPoint {
  radiusMeters: number;
}

const EARTH_RADIUS_METERS = 6_371_008.8;

const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;

/** Great-circle distance (haversine), in metres. */
export function distanceMeters(a: GeoPoint, b: GeoPoint): number {
  const dLat = toRadians(b.lat - a.lat);
  const dLng = toRadians(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(a.lat)) * Math.cos(toRadians(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Inside or on the edge of the circle. */
export function isInside(point: GeoPoint, circle: GeoCircle): boolean {
  return distanceMeters(point, circle) <= circle.radiusMeters;
}

/** A circle from three nullable columns: all set, or none. */
export function circleOf(lat: number | null, lng: number | null, radiusMeters: number | null): GeoCircle | null {
  return lat === null || lng === null || radiusMeters === null ? null : { lat, lng, radiusMeters };
}

/** "850 m", "1.2 km": for messages. */
export function formatDistance(meters: number): string {
  return meters < 1000 ? `${Math.round(meters)} m` : `${(meters / 1000).toFixed(1)} km`;
}
