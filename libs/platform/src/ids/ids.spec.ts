import { newId } from './ids';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

describe('newId', () => {
  it('is the prefix, an underscore and a 26-symbol ULID', () => {
    expect(newId('msg')).toMatch(/^msg_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('sorts by creation time, and within one millisecond by creation order', () => {
    const at = Date.UTC(2026, 11, 3, 12);
    const sameMillisecond = Array.from({ length: 1000 }, () => newId('x', at));
    expect([...sameMillisecond].sort()).toEqual(sameMillisecond);
    expect(newId('x', at + 1) > sameMillisecond[sameMillisecond.length - 1]!).toBe(true);
  });

  it('draws every random symbol, never repeating an id across many pool refills', () => {
    const ids = new Set<string>();
    const symbolsSeen = new Set<string>();
    // A new millisecond each time, so every id takes 16 fresh random symbols (10 000 × 16 bytes ≫ one pool).
    for (let i = 0; i < 10_000; i++) {
      const id = newId('x', Date.UTC(2027, 0, 1) + i * 7);
      ids.add(id);
      for (const symbol of id.slice(12)) symbolsSeen.add(symbol);
    }
    expect(ids.size).toBe(10_000);
    expect([...symbolsSeen].sort().join('')).toBe(CROCKFORD);
  });
});
