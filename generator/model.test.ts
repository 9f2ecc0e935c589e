import { describe, expect, it } from 'vitest';
import { countries } from './schema.ts';
import { COUNTRY_BLOCK, countryBounds, countryUserCount, countryUserId } from './model.ts';

const bounds = countryBounds();
const countryOfId = (id: number): number => {
  for (let c = 0; c < countries.length; c += 1) {
    const total = countryUserCount(bounds, c, id + 1);
    const before = countryUserCount(bounds, c, id);
    if (total > before) return c;
  }
  throw new Error(`no country owns id ${id}`);
};

describe('country layout', () => {
  it.each([5_000, COUNTRY_BLOCK * 3 + 1234])('enumerates every id below %i exactly once', (users) => {
    const seen = new Uint8Array(users);
    for (let c = 0; c < countries.length; c += 1) {
      const n = countryUserCount(bounds, c, users);
      for (let o = 0; o < n; o += 1) {
        const id = countryUserId(bounds, c, o, users);
        expect(id).toBeLessThan(users);
        seen[id]! += 1;
      }
    }
    expect(seen.every((v) => v === 1)).toBe(true);
  });

  it('keeps the country mix in a small last block', () => {
    const users = 5_000; // one full block and a partial one of 904 ids
    const us = countryUserCount(bounds, 0, users) / users;
    const weights = countries.map((c) => c.weight);
    const expected = weights[0]! / weights.reduce((a, b) => a + b, 0);
    expect(Math.abs(us - expected)).toBeLessThan(0.02);
  });

  it('mixes countries within a contiguous id range (a day of guaranteed first sessions)', () => {
    const inRange = new Set<number>();
    for (let id = 1_000; id < 1_450; id += 1) inRange.add(countryOfId(id));
    expect(inRange.size).toBeGreaterThanOrEqual(15);
  });
});
