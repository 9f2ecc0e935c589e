// Counter-based randomness: every random number is a pure function of (column seed, counters), never a stream.
// A file, a shard or a retried task recomputes exactly the values it needs, so outputs do not depend on how the
// work was split. The mixer is MurmurHash3's 32-bit block step and finaliser (fmix32), on 32-bit words via
// Math.imul: cheap in V8 (no BigInt) and passes avalanche tests; two independent hashes make a 53-bit uniform.

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixWord(h: number, w: number): number {
  w = Math.imul(w, C1);
  w = (w << 15) | (w >>> 17);
  w = Math.imul(w, C2);
  h ^= w;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finaliser: a bijection on 32-bit words (also chained to draw several values from one hash). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Unsigned 32-bit hash of a seed and three 32-bit counters. */
export function hash32(seed: number, a: number, b: number, c: number): number {
  let h = seed | 0;
  h = mixWord(h, a | 0);
  h = mixWord(h, b | 0);
  h = mixWord(h, c | 0);
  return fmix32(h ^ 12);
}

const TWO32 = 4294967296;

/** Uniform in [0, 1) with 32 bits of resolution. */
export function uniform32(seed: number, a: number, b: number, c: number): number {
  return hash32(seed, a, b, c) / TWO32;
}

/** Uniform in [0, 1) with 53 bits of resolution (Zipf over billions of ranks needs more than 2^-32). */
export function uniform53(seed: number, a: number, b: number, c: number): number {
  const hi = hash32(seed, a, b, c) >>> 5; // 27 bits
  const lo = hash32(seed ^ 0x5bd1e995, a, b, c) >>> 6; // 26 bits
  return (hi * 67108864 + lo) / 9007199254740992;
}

/** Splits a non-negative safe integer counter into two 32-bit words for the hash. */
export function lo32(n: number): number {
  return (n % TWO32) | 0;
}
export function hi32(n: number): number {
  return Math.floor(n / TWO32) | 0;
}

/** Seed of one column: the global seed hashed with the table and column names. */
export function columnSeed(seed: number, table: string, column: string): number {
  let h = hash32(seed, 0x7461626c, lo32(Math.abs(seed)), hi32(Math.abs(seed)));
  const s = `${table}\u0000${column}`;
  for (let i = 0; i < s.length; i += 1) h = mixWord(h, s.charCodeAt(i));
  return fmix32(h ^ s.length) | 0;
}

/** Cumulative distribution of a weight vector, for inverse-CDF picks. */
export function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const cdf = new Float64Array(weights.length);
  let acc = 0;
  for (let i = 0; i < weights.length; i += 1) {
    acc += weights[i]! / total;
    cdf[i] = acc;
  }
  cdf[weights.length - 1] = 1;
  return cdf;
}

/** Index i with cdf[i-1] <= u < cdf[i] (binary search: vocabularies are small, but page ranks are not). */
export function pickIndex(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u < cdf[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function inverseNormal(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/**
 * A continuous distribution as a quantile table (inverse CDF at 4096 evenly spaced probabilities, linear
 * interpolation between them): one uniform and a lookup per value instead of Box–Muller's log, sqrt and cos
 * plus an exp. Rejected the exact per-value transform: it was about a third of the generator's time (cpu
 * profile of generateInteractionFile); the table's tails stop near the 1/8192 quantile, which no test or job
 * depends on (extreme durations come from a separate outlier branch).
 */
export interface QuantileTable {
  readonly values: Float64Array;
}

const QUANTILES = 4096;

export function quantileTable(ofNormal: (z: number) => number): QuantileTable {
  const values = new Float64Array(QUANTILES + 1);
  for (let i = 0; i <= QUANTILES; i += 1) {
    const p = Math.min(1 - 0.5 / QUANTILES, Math.max(0.5 / QUANTILES, i / QUANTILES));
    values[i] = ofNormal(inverseNormal(p));
  }
  return { values };
}

export function quantile(t: QuantileTable, u: number): number {
  const x = u * QUANTILES;
  const i = Math.floor(x);
  const v = t.values;
  return v[i]! + (v[i + 1]! - v[i]!) * (x - i);
}
