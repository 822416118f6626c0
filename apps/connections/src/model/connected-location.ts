import type { ConnectedLocation, Location } from '@gisbi/contracts';

/**
 * The pair's connection point: the midpoint of both live positions (they are near each other when they
 * connect), rounded to 6 decimals (~0.1 m). Longitudes are averaged across the antimeridian correctly.
 * Null unless both positions are known.
 */
export function connectionPoint(first: Location | null | undefined, second: Location | null | undefined): ConnectedLocation | null {
  if (!first || !second) return null;
  let lngDelta = second.lng - first.lng;
  if (lngDelta > 180) lngDelta -= 360;
  if (lngDelta < -180) lngDelta += 360;
  let lng = first.lng + lngDelta / 2;
  if (lng > 180) lng -= 360;
  if (lng <= -180) lng += 360;
  return { lat: round6((first.lat + second.lat) / 2), lng: round6(lng) };
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
