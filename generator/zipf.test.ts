import { describe, expect, it } from 'vitest';
import { createPermutation } from './permutation.ts';
import { uniform53 } from './rng.ts';
import { createZipfSampler } from './zipf.ts';

function draws(n: number, s: number, count: number): Float64Array {
  const z = createZipfSampler(n, s);
  const freq = new Float64Array(n + 1);
  for (let i = 0; i < count; i += 1) freq[z.sample((k) => uniform53(7, i, k, 0))]! += 1;
  return freq;
}

function pmf(n: number, s: number): Float64Array {
  const p = new Float64Array(n + 1);
  let total = 0;
  for (let r = 1; r <= n; r += 1) total += p[r] = r ** -s;
  for (let r = 1; r <= n; r += 1) p[r]! /= total;
  return p;
}

describe('Zipf rejection-inversion sampler', () => {
  // Chi-square goodness of fit over ranks 1..30 plus one bin for the rest: the statistic has 30 degrees of
  // freedom, whose 99.9th percentile is 59.7. A wrong formula (e.g. dbldatagen's) fails by orders of magnitude.
  for (const s of [0.8, 1, 1 + 1e-12, 1.2, 2]) {
    it(`matches the Zipf(${s}) probabilities over 1000 ranks`, () => {
      const n = 1000;
      const count = 200_000;
      const f = draws(n, s, count);
      const p = pmf(n, s);
      let chi = 0;
      let restObs = count;
      let restP = 1;
      for (let r = 1; r <= 30; r += 1) {
        const e = p[r]! * count;
        chi += (f[r]! - e) ** 2 / e;
        restObs -= f[r]!;
        restP -= p[r]!;
      }
      chi += (restObs - restP * count) ** 2 / (restP * count);
      expect(chi).toBeLessThan(59.7);
      expect(f[0]).toBe(0);
    });
  }

  it('is uniform at s = 0 and stays in range for billions of ranks', () => {
    const f = draws(10, 0, 50_000);
    for (let r = 1; r <= 10; r += 1) expect(Math.abs(f[r]! - 5000)).toBeLessThan(5000 * 0.06);
    const big = createZipfSampler(8_000_000_000, 1.2);
    for (let i = 0; i < 10_000; i += 1) {
      const r = big.sample((k) => uniform53(3, i, k, 0));
      expect(Number.isInteger(r) && r >= 1 && r <= 8_000_000_000).toBe(true);
    }
  });

  it('sampleAt (the closure-free hot-loop form) draws exactly what sample draws', () => {
    for (const s of [0, 0.8, 1.2]) {
      const z = createZipfSampler(100_000, s);
      for (let i = 0; i < 2000; i += 1) expect(z.sampleAt(9, i, 1, 64)).toBe(z.sample((k) => uniform53(9, i, 1, 64 + k)));
    }
  });

  it('rejects impossible parameters', () => {
    expect(() => createZipfSampler(0, 1)).toThrow(RangeError);
    expect(() => createZipfSampler(10, -0.1)).toThrow(RangeError);
  });
});

describe('Feistel permutation', () => {
  it('is a bijection on [0, n) whose inverse undoes it, and scatters the first ranks', () => {
    for (const n of [1, 2, 7, 1000, 4097]) {
      const p = createPermutation(n, 11);
      const seen = new Uint8Array(n);
      for (let x = 0; x < n; x += 1) {
        const y = p.forward(x);
        expect(y >= 0 && y < n).toBe(true);
        seen[y] = 1;
        expect(p.inverse(y)).toBe(x);
      }
      expect(seen.every((v) => v === 1)).toBe(true);
    }
    const p = createPermutation(1_000_000, 11);
    const first = Array.from({ length: 10 }, (_, r) => p.forward(r));
    expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(100_000);
  });
});
