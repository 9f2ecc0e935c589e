// Exact min/max trackers for column chunk statistics (Spark and DuckDB skip row groups with them). Values are
// compared as the Parquet type orders them: signed for INT32/INT64, unsigned bytes for strings.

const TWO_32 = 4294967296;

/** Min/max of INT64 values given as little-endian (lo, hi) int32 pairs; compares hi signed, then lo unsigned. */
export function int64Range() {
  const pair = new Int32Array(4);
  let has = false;
  let minHi = 0;
  let minLo = 0;
  let maxHi = 0;
  let maxLo = 0;
  return {
    add(words: Int32Array, n: number): void {
      let i = 0;
      if (!has && n > 0) {
        minHi = maxHi = words[1]!;
        minLo = maxLo = words[0]! >>> 0;
        has = true;
        i = 1;
      }
      for (; i < n; i++) {
        const hi = words[2 * i + 1]!;
        const lo = words[2 * i]! >>> 0;
        if (hi < minHi || (hi === minHi && lo < minLo)) {
          minHi = hi;
          minLo = lo;
        }
        if (hi > maxHi || (hi === maxHi && lo > maxLo)) {
          maxHi = hi;
          maxLo = lo;
        }
      }
    },
    /** Adds a range given as exact integer doubles (|v| < 2^53), as the two (lo, hi) pairs add() takes. */
    addRange(min: number, max: number): void {
      const minHi32 = Math.floor(min / TWO_32);
      const maxHi32 = Math.floor(max / TWO_32);
      pair[0] = min - minHi32 * TWO_32;
      pair[1] = minHi32;
      pair[2] = max - maxHi32 * TWO_32;
      pair[3] = maxHi32;
      this.add(pair, 2);
    },
    /** PLAIN bytes of min and max, and a reset for the next chunk. */
    take(): { min?: Uint8Array; max?: Uint8Array } {
      if (!has) return {};
      const b = new Uint8Array(16);
      const v = new DataView(b.buffer);
      v.setUint32(0, minLo, true);
      v.setInt32(4, minHi, true);
      v.setUint32(8, maxLo, true);
      v.setInt32(12, maxHi, true);
      has = false;
      return { min: b.subarray(0, 8), max: b.subarray(8, 16) };
    },
  };
}

export function int32Range() {
  let has = false;
  let min = 0;
  let max = 0;
  return {
    add(values: Int32Array, n: number): void {
      let i = 0;
      if (!has && n > 0) {
        min = max = values[0]!;
        has = true;
        i = 1;
      }
      for (; i < n; i++) {
        const x = values[i]!;
        if (x < min) min = x;
        if (x > max) max = x;
      }
    },
    take(): { min?: Uint8Array; max?: Uint8Array } {
      if (!has) return {};
      const b = new Uint8Array(8);
      const v = new DataView(b.buffer);
      v.setInt32(0, min, true);
      v.setInt32(4, max, true);
      has = false;
      return { min: b.subarray(0, 4), max: b.subarray(4, 8) };
    },
  };
}

/** Byte-wise (unsigned) min and max of the UTF-8 values whose `used` flag is set. */
export function bytesRange(values: readonly Uint8Array[], used: Uint8Array): { min?: Uint8Array; max?: Uint8Array } {
  let min: Uint8Array | undefined;
  let max: Uint8Array | undefined;
  for (let k = 0; k < values.length; k++) {
    if (used[k] !== 1) continue;
    const v = values[k]!;
    if (min === undefined || Buffer.compare(v, min) < 0) min = v;
    if (max === undefined || Buffer.compare(v, max) > 0) max = v;
  }
  return min === undefined || max === undefined ? {} : { min, max };
}
