import { circleOf, distanceMeters, formatDistance, isInside } from './geo';

const lagos = { lat: 6.5244, lng: 3.3792 };

describe('geo', () => {
  it('measures great-circle distances', () => {
    expect(distanceMeters(lagos, lagos)).toBe(0);
    // Lagos → Abuja is about 526 km as the crow flies.
    expect(distanceMeters(lagos, { lat: 9.0765, lng: 7.3986 }) / 1000).toBeCloseTo(526, -1);
    // 0.001° of latitude is about 111 m.
    expect(distanceMeters(lagos, { lat: 6.5254, lng: 3.3792 })).toBeCloseTo(111.2, 0);
  });

  it('counts the edge of a circle as inside', () => {
    const edge = { lat: 6.5254, lng: 3.3792 };
    const radius = distanceMeters(lagos, edge);

    expect(isInside(edge, { ...lagos, radiusMeters: radius })).toBe(true);
    expect(isInside(edge, { ...lagos, radiusMeters: radius - 0.5 })).toBe(false);
  });

  it('builds a circle only when every column is set', () => {
    expect(circleOf(1, 2, 3)).toEqual({ lat: 1, lng: 2, radiusMeters: 3 });
    expect(circleOf(null, 2, 3)).toBeNull();
    expect(circleOf(1, 2, null)).toBeNull();
  });

  it('formats distances for messages', () => {
    expect(formatDistance(849.6)).toBe('850 m');
    expect(formatDistance(1234)).toBe('1.2 km');
  });
});
