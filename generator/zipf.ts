// Zipf(s) over ranks 1..n by rejection-inversion (W. Hörmann and G. Derflinger, "Rejection-inversion to generate
// variates from monotone discrete distributions", 1996), following Apache Commons RNG's
// RejectionInversionZipfSampler including its helper1/helper2 functions, which keep s = 1 and s near 1 free of
// division by zero. Expected iterations are close to 1 for every s and n, and n may be in the billions.
// Not dbldatagen's formula: that one is not a Zipf distribution (at s = 2 it is uniform).
// Counter-based: the caller supplies the uniforms, so a draw is a pure function of its counters.

import { uniform53 } from './rng.ts';

export interface ZipfSampler {
  readonly n: number;
  readonly exponent: number;
  /** Rank in [1, n]. `nextUniform(k)` returns the k-th uniform in [0, 1) of this draw (k = 0, 1, ...). */
  sample(nextUniform: (k: number) => number): number;
  /** The same draw with uniforms uniform53(seed, a, b, c + k): no closure per draw in hot loops. */
  sampleAt(seed: number, a: number, b: number, c: number): number;
}

function helper1(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}

function helper2(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + x * (1 / 3) * (1 + 0.25 * x));
}

export function createZipfSampler(n: number, exponent: number): ZipfSampler {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`zipf: n must be a positive integer, got ${n}`);
  if (!(exponent >= 0)) throw new RangeError(`zipf: exponent must be >= 0, got ${exponent}`);
  if (exponent === 0) {
    return {
      n,
      exponent,
      sample: (next) => Math.min(n, 1 + Math.floor(next(0) * n)),
      sampleAt: (seed, a, b, c) => Math.min(n, 1 + Math.floor(uniform53(seed, a, b, c) * n)),
    };
  }
  const h = (x: number): number => Math.exp(-exponent * Math.log(x));
  const hIntegral = (x: number): number => {
    const logX = Math.log(x);
    return helper2((1 - exponent) * logX) * logX;
  };
  const hIntegralInverse = (x: number): number => {
    let t = x * (1 - exponent);
    if (t < -1) t = -1; // numerical safety: t is >= -1 in exact arithmetic
    return Math.exp(helper1(t) * x);
  };
  const hIntegralX1 = hIntegral(1.5) - 1;
  const hIntegralN = hIntegral(n + 0.5);
  const s = 2 - hIntegralInverse(hIntegral(2.5) - h(2));
  const draw = (v: number): number => {
    const u = hIntegralN + v * (hIntegralX1 - hIntegralN);
    const x = hIntegralInverse(u);
    let rank = Math.floor(x + 0.5);
    if (rank < 1) rank = 1;
    else if (rank > n) rank = n;
    return rank - x <= s || u >= hIntegral(rank + 0.5) - h(rank) ? rank : 0; // 0 = rejected
  };
  return {
    n,
    exponent,
    sampleAt(seed, a, b, c) {
      for (let k = 0; ; k += 1) {
        const rank = draw(uniform53(seed, a, b, c + k));
        if (rank > 0) return rank;
      }
    },
    sample(next) {
      for (let k = 0; ; k += 1) {
        const u = hIntegralN + next(k) * (hIntegralX1 - hIntegralN);
        const x = hIntegralInverse(u);
        let rank = Math.floor(x + 0.5);
        if (rank < 1) rank = 1;
        else if (rank > n) rank = n;
        if (rank - x <= s || u >= hIntegral(rank + 0.5) - h(rank)) return rank;
      }
    },
  };
}
