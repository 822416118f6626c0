/** Where the simulated users live and how they move: walkers in a square city. Pure functions. */
export interface Point {
  lat: number;
  lng: number;
}

const EARTH_RADIUS = 6_371_008.8;
const METERS_PER_DEGREE = (EARTH_RADIUS * Math.PI) / 180;

export interface City {
  center: Point;
  sideMeters: number;
}

/** Deterministic pseudo-random numbers (reproducible runs). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Offset in metres (east, north) from the city centre to a point. */
export function toPoint(city: City, east: number, north: number): Point {
  const lat = city.center.lat + north / METERS_PER_DEGREE;
  const lng = city.center.lng + east / (METERS_PER_DEGREE * Math.cos((city.center.lat * Math.PI) / 180));
  return { lat, lng };
}

export interface Walker {
  east: number;
  north: number;
  /** Radians, clockwise from north. */
  heading: number;
}

export function randomWalker(city: City, random: () => number): Walker {
  const half = city.sideMeters / 2;
  return { east: (random() * 2 - 1) * half, north: (random() * 2 - 1) * half, heading: random() * 2 * Math.PI };
}

/**
 * Moves a walker `meters` forward, turning a little at random and bouncing off the city edge, so users
 * stay spread over the city for the whole run.
 */
export function step(city: City, walker: Walker, meters: number, random: () => number): Walker {
  const half = city.sideMeters / 2;
  let heading = walker.heading + (random() - 0.5) * 0.6;
  let east = walker.east + Math.sin(heading) * meters;
  let north = walker.north + Math.cos(heading) * meters;
  if (Math.abs(east) > half) {
    east = Math.sign(east) * half * 2 - east;
    heading = -heading;
  }
  if (Math.abs(north) > half) {
    north = Math.sign(north) * half * 2 - north;
    heading = Math.PI - heading;
  }
  return { east, north, heading: ((heading % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI) };
}
