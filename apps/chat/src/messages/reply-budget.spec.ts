import { fitToBudget } from './reply-budget';

describe(fitToBudget.name, () => {
  const item = (n: number) => ({ text: 'x'.repeat(n) });
  const size = (n: number) => Buffer.byteLength(JSON.stringify(item(n))) + 1;

  it('keeps everything that fits', () => {
    expect(fitToBudget(10_000, [[item(1), item(2)], [item(3)]])).toEqual([[item(1), item(2)], [item(3)]]);
  });

  it('keeps a contiguous prefix of each list in priority order', () => {
    const budget = size(10) + size(10) + size(5);
    const [first, second] = fitToBudget(budget, [
      [item(10), item(10), item(10)],
      [item(5), item(1)],
    ]);
    expect(first).toEqual([item(10), item(10)]);
    // the third item of the first list did not fit; the second list still gets what remains
    expect(second).toEqual([item(5)]);
  });

  it('counts bytes, not characters', () => {
    const emoji = { text: '😀'.repeat(10) }; // 40 bytes of UTF-8
    expect(fitToBudget(30, [[emoji]])).toEqual([[]]);
  });
});
