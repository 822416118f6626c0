import { randomWalker, seededRandom, step, toPoint, type City } from './city';

describe('bench city', () => {
  const city: City = { center: { lat: 6.5244, lng: 3.3792 }, sideMeters: 10_000 };

  it('keeps walkers inside the city however long they walk', () => {
    const random = seededRandom(42);
    let walker = randomWalker(city, random);
    for (let i = 0; i < 100_000; i++) {
      walker = step(city, walker, 50, random);
      expect(Math.abs(walker.east)).toBeLessThanOrEqual(5000);
      expect(Math.abs(walker.north)).toBeLessThanOrEqual(5000);
    }
  });

  it('moves a walker exactly the step length away (away from the edges)', () => {
    const random = seededRandom(1);
    const start = { east: 0, north: 0, heading: 0 };
    const next = step(city, start, 5.6, random);
    expect(Math.hypot(next.east - start.east, next.north - start.north)).toBeCloseTo(5.6, 9);
  });

  it('maps offsets to coordinates around the centre', () => {
    const corner = toPoint(city, 5000, 5000);
    expect(corner.lat - city.center.lat).toBeCloseTo(5000 / 111_195.08, 6);
    expect(corner.lng).toBeGreaterThan(city.center.lng);
    expect(toPoint(city, 0, 0)).toEqual(city.center);
  });
});
