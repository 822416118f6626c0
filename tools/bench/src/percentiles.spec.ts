import { percentiles, round } from './percentiles';

describe('percentiles', () => {
  it('takes the nearest rank of the sorted samples, whatever their order', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1
    expect(percentiles(samples)).toEqual({ p50: 50, p90: 90, p99: 99, max: 100 });
  });

  it('answers one sample with that sample and no samples with NaN', () => {
    expect(percentiles([3.14159])).toEqual({ p50: 3.14, p90: 3.14, p99: 3.14, max: 3.14 });
    expect(Object.values(percentiles([])).every(Number.isNaN)).toBe(true);
  });

  it('rounds to hundredths', () => {
    expect(round(1.005 + 1e-9)).toBe(1.01);
    expect(round(2.344)).toBe(2.34);
  });
});
