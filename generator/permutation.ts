// A seeded bijection on [0, n): a balanced Feistel network on the smallest even-bit power of two >= n, with cycle
// walking (re-apply until the value lands below n). Used to scatter Zipf ranks over user ids, so the hottest users
// are not u0..u9 and fall into every country and join-date block; the inverse gives rank(id) for tests and the
// hot-key counters. Domain <= 4n, so cycle walking takes under 4 rounds on average.

import { hash32 } from './rng.ts';

export interface Permutation {
  readonly n: number;
  forward(x: number): number;
  inverse(y: number): number;
}

const ROUNDS = 6;

export function createPermutation(n: number, seed: number): Permutation {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`permutation: n must be a positive integer, got ${n}`);
  let halfBits = 1;
  while (2 ** (2 * halfBits) < n) halfBits += 1;
  if (halfBits > 26) throw new RangeError(`permutation: n too large (${n})`);
  const half = 2 ** halfBits;
  const mask = half - 1;
  const keys = Array.from({ length: ROUNDS }, (_, r) => hash32(seed, 0x46656973, r, halfBits) | 0);
  const round = (x: number, r: number): number => hash32(keys[r]!, x, r, 0) & mask;
  const encrypt = (x: number): number => {
    let left = Math.floor(x / half);
    let right = x % half;
    for (let r = 0; r < ROUNDS; r += 1) {
      const next = left ^ round(right, r);
      left = right;
      right = next;
    }
    return left * half + right;
  };
  const decrypt = (y: number): number => {
    let left = Math.floor(y / half);
    let right = y % half;
    for (let r = ROUNDS - 1; r >= 0; r -= 1) {
      const prev = right ^ round(left, r);
      right = left;
      left = prev;
    }
    return left * half + right;
  };
  return {
    n,
    forward(x) {
      let y = encrypt(x);
      while (y >= n) y = encrypt(y);
      return y;
    },
    inverse(y) {
      let x = decrypt(y);
      while (x >= n) x = decrypt(x);
      return x;
    },
  };
}
