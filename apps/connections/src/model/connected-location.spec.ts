import { connectionPoint } from './connected-location';

const at = '2026-04-17T12:00:00.000Z';

describe('connectionPoint', () => {
  it('is the midpoint of both positions', () => {
    expect(connectionPoint({ lat: 6.5244, lng: 3.3792, updatedAt: at }, { lat: 6.5246, lng: 3.3796, updatedAt: at })).toEqual({
      lat: 6.5245,
      lng: 3.3794,
    });
  });

  it('averages across the antimeridian', () => {
    const sut = connectionPoint({ lat: -17, lng: 179.9999, updatedAt: at }, { lat: -17, lng: -179.9997, updatedAt: at });
    expect(sut?.lng).toBeCloseTo(-179.9999, 6);
  });

  it('is null unless both positions are known', () => {
    expect(connectionPoint({ lat: 1, lng: 2, updatedAt: at }, null)).toBeNull();
    expect(connectionPoint(undefined, { lat: 1, lng: 2, updatedAt: at })).toBeNull();
  });
});
