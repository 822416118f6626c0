import {
  destinationPoint,
  fitsMainIndex,
  fromPolarFrame,
  GEO_INDEX_MAX_LATITUDE,
  haversineMeters,
  inPolarBand,
  initialBearingDegrees,
  MAX_SEARCH_RADIUS_METERS,
  METERS_PER_DEGREE,
  normalizeBearing,
  normalizeLongitude,
  polarSearchFromLatitude,
  POLAR_BAND_LATITUDE,
  roundBearing,
  snapToGrid,
  toPolarFrame,
  type LatLng,
} from './geo-math';

/** Deterministic pseudo-random numbers, so a failure is reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('geo math', () => {
  describe(haversineMeters.name, () => {
    it('measures one degree of latitude as ~111.195 km', () => {
      expect(haversineMeters({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(METERS_PER_DEGREE, 3);
    });

    it('matches a known city pair (London to Paris ~343.5 km)', () => {
      const london = { lat: 51.5074, lng: -0.1278 };
      const paris = { lat: 48.8566, lng: 2.3522 };
      expect(haversineMeters(london, paris) / 1000).toBeCloseTo(343.5, 0);
    });

    it('is zero for identical points and symmetric', () => {
      const a = { lat: 6.5244, lng: 3.3792 };
      const b = { lat: 6.5245, lng: 3.3794 };
      expect(haversineMeters(a, a)).toBe(0);
      expect(haversineMeters(a, b)).toBeCloseTo(haversineMeters(b, a), 9);
    });

    it('measures across the antimeridian the short way', () => {
      const east = { lat: 0, lng: 179.9999 };
      const west = { lat: 0, lng: -179.9999 };
      expect(haversineMeters(east, west)).toBeCloseTo(0.0002 * METERS_PER_DEGREE, 3);
    });

    it('measures across a pole the short way', () => {
      const a = { lat: 89.9999, lng: 0 };
      const b = { lat: 89.9999, lng: 180 };
      expect(haversineMeters(a, b)).toBeCloseTo(0.0002 * METERS_PER_DEGREE, 3);
      expect(haversineMeters({ lat: 90, lng: 0 }, { lat: 90, lng: 123 })).toBeCloseTo(0, 6);
    });

    it('measures antipodes as half the circumference', () => {
      expect(haversineMeters({ lat: 0, lng: 0 }, { lat: 0, lng: 180 })).toBeCloseTo(Math.PI * 6_371_008.8, 0);
    });
  });

  describe(initialBearingDegrees.name, () => {
    const origin = { lat: 10, lng: 20 };
    it.each([
      ['north', { lat: 10.001, lng: 20 }, 0],
      ['east', { lat: 10, lng: 20.001 }, 90],
      ['south', { lat: 9.999, lng: 20 }, 180],
      ['west', { lat: 10, lng: 19.999 }, 270],
    ])('points %s', (_name, target, expected) => {
      expect(initialBearingDegrees(origin, target)).toBeCloseTo(expected, 3);
    });

    it('is 0 for identical points', () => {
      expect(initialBearingDegrees(origin, { ...origin })).toBe(0);
      expect(initialBearingDegrees({ lat: 0, lng: 180 }, { lat: 0, lng: -180 })).toBe(0);
    });

    it('points east across the antimeridian', () => {
      expect(initialBearingDegrees({ lat: 0, lng: 179.9999 }, { lat: 0, lng: -179.9999 })).toBeCloseTo(90, 3);
      expect(initialBearingDegrees({ lat: 0, lng: -179.9999 }, { lat: 0, lng: 179.9999 })).toBeCloseTo(270, 3);
    });

    it('points south from near the north pole towards the far side', () => {
      // Crossing the pole: the target is straight ahead over the pole, i.e. due north.
      expect(initialBearingDegrees({ lat: 89.9999, lng: 0 }, { lat: 89.9999, lng: 180 })).toBeCloseTo(0, 3);
      // From the pole itself every direction is south.
      expect(initialBearingDegrees({ lat: 90, lng: 0 }, { lat: 89.99, lng: 45 })).toBeCloseTo(180 - 45, 0);
    });

    it('always answers in [0, 360)', () => {
      const random = seededRandom(7);
      for (let i = 0; i < 2000; i++) {
        const a = { lat: random() * 180 - 90, lng: random() * 360 - 180 };
        const b = { lat: random() * 180 - 90, lng: random() * 360 - 180 };
        const bearing = initialBearingDegrees(a, b);
        expect(bearing).toBeGreaterThanOrEqual(0);
        expect(bearing).toBeLessThan(360);
      }
    });

    it('agrees with destinationPoint (round trip)', () => {
      const random = seededRandom(11);
      for (let i = 0; i < 500; i++) {
        const from = { lat: random() * 160 - 80, lng: random() * 360 - 180 };
        const bearing = random() * 360;
        const distance = 1 + random() * 5000;
        const to = destinationPoint(from, bearing, distance);
        expect(haversineMeters(from, to)).toBeCloseTo(distance, 3);
        const error = Math.abs(((initialBearingDegrees(from, to) - bearing + 540) % 360) - 180);
        expect(error).toBeLessThan(1e-6);
      }
    });
  });

  describe('normalisation', () => {
    it('wraps longitudes into [-180, 180)', () => {
      expect(normalizeLongitude(180)).toBe(-180);
      expect(normalizeLongitude(-180)).toBe(-180);
      expect(normalizeLongitude(190)).toBeCloseTo(-170, 9);
      expect(normalizeLongitude(-190)).toBeCloseTo(170, 9);
      expect(normalizeLongitude(0)).toBe(0);
    });

    it('wraps bearings into [0, 360) and rounds 359.96 to 0', () => {
      expect(normalizeBearing(360)).toBe(0);
      expect(normalizeBearing(-90)).toBe(270);
      expect(roundBearing(359.96)).toBe(0);
      expect(roundBearing(210.34)).toBe(210.3);
    });
  });

  describe(snapToGrid.name, () => {
    const precision = 50;

    function expectWithinPrecision(point: LatLng, meters: number): void {
      const snapped = snapToGrid(point, meters);
      expect(haversineMeters(point, snapped)).toBeLessThanOrEqual(meters);
    }

    it('moves a point by at most the precision, everywhere on the globe', () => {
      const random = seededRandom(3);
      for (let i = 0; i < 20000; i++) {
        expectWithinPrecision({ lat: random() * 180 - 90, lng: random() * 360 - 180 }, precision);
      }
    });

    it('moves a point by at most the precision near the poles', () => {
      const random = seededRandom(5);
      for (let i = 0; i < 20000; i++) {
        const lat = 90 - random() * 0.01;
        expectWithinPrecision({ lat, lng: random() * 360 - 180 }, precision);
        expectWithinPrecision({ lat: -lat, lng: random() * 360 - 180 }, precision);
      }
      expectWithinPrecision({ lat: 90, lng: 17 }, precision);
      expectWithinPrecision({ lat: -90, lng: -17 }, precision);
    });

    it('holds the bound for other precisions too', () => {
      const random = seededRandom(9);
      for (const meters of [1, 10, 250, 1000]) {
        for (let i = 0; i < 5000; i++) {
          expectWithinPrecision({ lat: random() * 180 - 90, lng: random() * 360 - 180 }, meters);
        }
      }
    });

    it('puts both sides of the antimeridian on one seamless grid', () => {
      const a = snapToGrid({ lat: 12.3, lng: 180 }, precision);
      const b = snapToGrid({ lat: 12.3, lng: -180 }, precision);
      expect(a.cell).toBe(b.cell);
      const east = snapToGrid({ lat: 12.3, lng: 179.99999 }, precision);
      const west = snapToGrid({ lat: 12.3, lng: -179.99999 }, precision);
      // Neighbouring cells, ~1 m apart in truth, a cell or less apart once snapped.
      expect(haversineMeters(east, west)).toBeLessThanOrEqual(precision * 1.5);
    });

    it('snaps the cap around a pole to the pole', () => {
      expect(snapToGrid({ lat: 89.99999, lng: 45 }, precision)).toMatchObject({ lat: 90, lng: 0 });
      expect(snapToGrid({ lat: -89.99999, lng: -45 }, precision)).toMatchObject({ lat: -90, lng: 0 });
    });

    it('gives every point of a cell the same snapped point, and is stable under re-snapping', () => {
      const snapped = snapToGrid({ lat: 6.5244, lng: 3.3792 }, precision);
      const again = snapToGrid(snapped, precision);
      expect(again).toEqual(snapped);
      const nudged = snapToGrid({ lat: snapped.lat + 1e-6, lng: snapped.lng - 1e-6 }, precision);
      expect(nudged.cell).toBe(snapped.cell);
    });

    it('cannot be inverted: points anywhere in a cell are indistinguishable', () => {
      const base = snapToGrid({ lat: 48.1, lng: 11.6 }, precision);
      const cellmates = [
        { lat: 48.1, lng: 11.6 },
        destinationPoint(base, 45, 10),
        destinationPoint(base, 200, 15),
      ].map((p) => snapToGrid(p, precision));
      for (const mate of cellmates) if (mate.cell === base.cell) expect(mate).toEqual(base);
    });

    it('is the identity with precision 0', () => {
      expect(snapToGrid({ lat: 1.5, lng: 2.5 }, 0)).toMatchObject({ lat: 1.5, lng: 2.5 });
    });
  });

  describe('index bands', () => {
    it('keeps the main index within the Redis GEO latitude limit', () => {
      expect(fitsMainIndex(GEO_INDEX_MAX_LATITUDE)).toBe(true);
      expect(fitsMainIndex(85.06)).toBe(false);
      expect(fitsMainIndex(-85.06)).toBe(false);
      expect(inPolarBand(POLAR_BAND_LATITUDE)).toBe(true);
      expect(inPolarBand(79.99)).toBe(false);
    });

    it('lets a polar-frame search start no lower than the polar band covers', () => {
      expect(polarSearchFromLatitude(MAX_SEARCH_RADIUS_METERS) - MAX_SEARCH_RADIUS_METERS / METERS_PER_DEGREE).toBeCloseTo(
        POLAR_BAND_LATITUDE,
        9,
      );
    });

    it('maps the polar band near the equator of the polar frame, away from the antimeridian', () => {
      const random = seededRandom(13);
      for (let i = 0; i < 5000; i++) {
        const point = { lat: (random() < 0.5 ? -1 : 1) * (80 + random() * 10), lng: random() * 360 - 180 };
        const rotated = toPolarFrame(point);
        expect(Math.abs(rotated.lat)).toBeLessThanOrEqual(10 + 1e-9);
        expect(Math.abs(rotated.lng)).toBeGreaterThanOrEqual(80 - 1e-9);
        expect(Math.abs(rotated.lng)).toBeLessThanOrEqual(100 + 1e-9);
      }
    });

    it('preserves distances and inverts exactly', () => {
      const random = seededRandom(17);
      for (let i = 0; i < 2000; i++) {
        const a = { lat: random() * 180 - 90, lng: random() * 360 - 180 };
        const b = destinationPoint(a, random() * 360, random() * 20000);
        expect(haversineMeters(toPolarFrame(a), toPolarFrame(b))).toBeCloseTo(haversineMeters(a, b), 4);
        const back = fromPolarFrame(toPolarFrame(a));
        expect(haversineMeters(back, a)).toBeLessThan(1e-6);
      }
      expect(toPolarFrame({ lat: 90, lng: 0 })).toMatchObject({ lat: 0, lng: 90 });
      const south = toPolarFrame({ lat: -90, lng: 0 });
      expect(south.lat).toBeCloseTo(0, 9);
      expect(south.lng).toBeCloseTo(-90, 9);
    });
  });
});
