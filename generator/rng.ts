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

function fmix32(h: number): number {
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
  return n % TWO32 | 0;
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

/** Standard normal from two uniforms (Box–Muller; u1 in (0,1]). */
export function normalFrom(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
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
