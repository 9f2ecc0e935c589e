import { describe, expect, it } from 'vitest';
import { median, relativeSpread, sparkQuantile, sumFields } from './stats.ts';

describe('stats', () => {
  it('median: the middle value, the mean of the two middle ones for an even count, NaN for none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("sparkQuantile follows the Spark UI's rule sorted[min(floor(q n), n - 1)]", () => {
    expect(sparkQuantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(sparkQuantile([1, 2, 3, 4], 0.5)).toBe(3); // not 2.5: Spark takes an element
    expect(sparkQuantile([1, 2, 3, 4], 1)).toBe(4);
  });

  it('relativeSpread: (max - min) / median, 0 for one run', () => {
    expect(relativeSpread([90, 100, 110])).toBeCloseTo(0.2);
    expect(relativeSpread([100])).toBe(0);
  });

  it('sumFields sums each named field and only those, 0 over no records', () => {
    const rows = [
      { a: 1, b: 10, c: 100 },
      { a: 2, b: 20, c: 200 },
    ];
    expect(sumFields(rows, ['a', 'b'])).toEqual({ a: 3, b: 30 });
    expect(sumFields([] as typeof rows, ['c'])).toEqual({ c: 0 });
  });
});
