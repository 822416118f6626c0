import { haversineMeters, snapToGrid, toPolarFrame } from '../geo/geo-math';
import { strangerPoint, toLocation, toStoredLocation } from './stored-location';

describe('stored locations', () => {
  const at = Date.parse('2026-04-17T12:00:00.000Z');

  it('keeps true coordinates and optional fields, and precomputes the stranger grid point', () => {
    const stored = toStoredLocation({ lat: 6.5244, lng: 3.3792, accuracyMeters: 6.2, heading: 120, speed: 1.7 }, at, 50);
    expect(stored).toMatchObject({ lat: 6.5244, lng: 3.3792, acc: 6.2, hdg: 120, spd: 1.7, at, p: 50, m: 1 });
    expect(stored).not.toHaveProperty('plat');
    expect({ lat: stored.slat, lng: stored.slng }).toEqual({ lat: snapToGrid(stored, 50).lat, lng: snapToGrid(stored, 50).lng });
    expect(toLocation(stored)).toEqual({
      lat: 6.5244,
      lng: 3.3792,
      accuracyMeters: 6.2,
      heading: 120,
      speed: 1.7,
      updatedAt: '2026-04-17T12:00:00.000Z',
    });
  });

  it('omits fields the device did not send (null counts as not sent)', () => {
    const stored = toStoredLocation({ lat: 1, lng: 2, accuracyMeters: null, heading: undefined }, at, 50);
    expect(toLocation(stored)).toEqual({ lat: 1, lng: 2, updatedAt: '2026-04-17T12:00:00.000Z' });
  });

  it('puts latitudes beyond the Redis GEO limit only in the polar index, and the band in both', () => {
    const pole = toStoredLocation({ lat: 89.9, lng: 10 }, at, 50);
    expect(pole.m).toBeUndefined();
    expect({ lat: pole.plat, lng: pole.plng }).toEqual(toPolarFrame({ lat: 89.9, lng: 10 }));
    const band = toStoredLocation({ lat: -82, lng: 10 }, at, 50);
    expect(band.m).toBe(1);
    expect({ lat: band.plat, lng: band.plng }).toEqual(toPolarFrame({ lat: -82, lng: 10 }));
    const limit = toStoredLocation({ lat: 85.05112878, lng: 0 }, at, 50);
    expect(limit.m).toBe(1);
  });

  it('re-snaps when the configured precision changed since the fix was stored', () => {
    const stored = toStoredLocation({ lat: 48.1, lng: 11.6 }, at, 50);
    expect(strangerPoint(stored, 50)).toEqual({ lat: stored.slat, lng: stored.slng });
    const coarse = strangerPoint(stored, 500);
    expect(haversineMeters(coarse, stored)).toBeLessThanOrEqual(500);
    expect(coarse).toMatchObject({ lat: snapToGrid(stored, 500).lat, lng: snapToGrid(stored, 500).lng });
  });
});
