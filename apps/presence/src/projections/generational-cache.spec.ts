import { GenerationalCache } from './generational-cache';

describe(GenerationalCache.name, () => {
  it('answers only for the generation the value was loaded at', () => {
    const sut = new GenerationalCache<string>(10, 60_000);
    sut.set('u1', '3', 'value', 0);
    expect(sut.get('u1', '3', 1)).toBe('value');
    expect(sut.get('u1', '4', 1)).toBeUndefined();
    expect(sut.get('u1', '3', 1)).toBeUndefined();
  });

  it('treats an empty generation (nothing changed yet) like any other', () => {
    const sut = new GenerationalCache<number>(10, 60_000);
    sut.set('u1', '', 1, 0);
    expect(sut.get('u1', '', 5)).toBe(1);
    expect(sut.get('u1', '1', 5)).toBeUndefined();
  });

  it('expires entries after the max age, at the exact boundary', () => {
    const sut = new GenerationalCache<number>(10, 1000);
    sut.set('u1', '', 1, 0);
    expect(sut.get('u1', '', 1000)).toBe(1);
    expect(sut.get('u1', '', 1001)).toBeUndefined();
  });

  it('evicts the least recently used entry beyond its size', () => {
    const sut = new GenerationalCache<number>(2, 60_000);
    sut.set('a', '', 1, 0);
    sut.set('b', '', 2, 0);
    sut.get('a', '', 1000);
    sut.set('c', '', 3, 1000);
    expect(sut.size).toBe(2);
    expect(sut.get('b', '', 0)).toBeUndefined();
    expect(sut.get('a', '', 1000)).toBe(1);
    expect(sut.get('c', '', 1000)).toBe(3);
  });

  it('peeks whatever the generation', () => {
    const sut = new GenerationalCache<number>(2, 60_000);
    sut.set('a', '1', 7, 0);
    expect(sut.peek('a')).toBe(7);
    expect(sut.peek('b')).toBeUndefined();
  });
});
