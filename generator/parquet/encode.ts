// Encoding kernels: the hot loops of the writer, on typed arrays only (no JS strings, no objects per value).

import { type ByteBuffer, ensure, pushByte, pushInt32LE, pushUVarint } from './bytes.ts';

/** Bits needed for values 0..maxValue (at least 1: some readers mishandle bit width 0). */
export function bitWidthFor(maxValue: number): number {
  let w = 1;
  while (w < 32 && maxValue >= 2 ** w) w++;
  return w;
}

/**
 * Parquet's RLE/bit-packed hybrid, bit-packed runs only: runs of at most 63 groups of 8 values, so every run header
 * is one byte (parquet-mr writes the same shape). Runs of equal values are left to the page codec to squeeze.
 * The last group is padded with zeros, which readers ignore (the page says how many values it holds).
 */
export function bitPackHybrid(out: ByteBuffer, values: Int32Array, n: number, bitWidth: number): void {
  if (bitWidth > 24) throw new RangeError(`bit width ${bitWidth} > 24: dictionary too large for this encoder`);
  const groups = Math.ceil(n / 8);
  const runs = Math.ceil(groups / 63);
  ensure(out, runs + groups * bitWidth);
  const buf = out.buf;
  let o = out.len;
  let i = 0;
  for (let g = 0; g < groups; ) {
    const runGroups = Math.min(63, groups - g);
    buf[o++] = (runGroups << 1) | 1;
    const runEnd = Math.min(n, i + runGroups * 8);
    let acc = 0;
    let bits = 0;
    for (; i < runEnd; i++) {
      acc |= values[i]! << bits;
      bits += bitWidth;
      while (bits >= 8) {
        buf[o++] = acc & 0xff;
        acc >>>= 8;
        bits -= 8;
      }
    }
    // pad the last group of the run to 8 values: (8 - count % 8) zero values
    const padded = runGroups * 8 - (runEnd - g * 8);
    for (let p = 0; p < padded; p++) {
      bits += bitWidth;
      while (bits >= 8) {
        buf[o++] = acc & 0xff;
        acc >>>= 8;
        bits -= 8;
      }
    }
    g += runGroups;
  }
  out.len = o;
}

/**
 * Definition levels (0 = null, 1 = present) of a data page v1: a 4-byte length, then RLE runs (bit width 1).
 * Nulls are rare (bad rows only), so RLE runs alone are compact: one 2-3 byte run for a page without nulls.
 */
export function encodeDefinitionLevels(out: ByteBuffer, levels: Uint8Array, n: number): void {
  const lengthAt = out.len;
  pushInt32LE(out, 0);
  let i = 0;
  while (i < n) {
    const v = levels[i]!;
    let j = i + 1;
    while (j < n && levels[j] === v) j++;
    pushUVarint(out, (j - i) * 2);
    pushByte(out, v);
    i = j;
  }
  const len = out.len - lengthAt - 4;
  const b = out.buf;
  b[lengthAt] = len & 0xff;
  b[lengthAt + 1] = (len >>> 8) & 0xff;
  b[lengthAt + 2] = (len >>> 16) & 0xff;
  b[lengthAt + 3] = (len >>> 24) & 0xff;
}

/**
 * PLAIN BYTE_ARRAY values (4-byte little-endian length, then the bytes) for rows [start, end) of an Arrow-style
 * offsets+bytes column, skipping nulls. Writes `levels[levelAt + k]` (1 present, 0 null) for each row.
 * Returns the number of non-null values written.
 */
export function appendPlainUtf8(
  out: ByteBuffer,
  offsets: Int32Array,
  bytes: Uint8Array,
  nulls: Uint8Array | undefined,
  start: number,
  end: number,
  levels: Uint8Array,
  levelAt: number,
): number {
  ensure(out, (end - start) * 4 + (offsets[end]! - offsets[start]!));
  const buf = out.buf;
  let o = out.len;
  let written = 0;
  for (let i = start; i < end; i++) {
    if (nulls !== undefined && nulls[i] === 1) {
      levels[levelAt + i - start] = 0;
      continue;
    }
    levels[levelAt + i - start] = 1;
    const from = offsets[i]!;
    const len = offsets[i + 1]! - from;
    buf[o] = len & 0xff;
    buf[o + 1] = (len >>> 8) & 0xff;
    buf[o + 2] = (len >>> 16) & 0xff;
    buf[o + 3] = (len >>> 24) & 0xff;
    o += 4;
    if (len <= 32) {
      for (let k = 0; k < len; k++) buf[o + k] = bytes[from + k]!;
    } else {
      buf.set(bytes.subarray(from, from + len), o);
    }
    o += len;
    written++;
  }
  out.len = o;
  return written;
}

const TWO_32 = 4294967296;

/** Zigzag varint of a safe integer (|v| < 2^52), as DELTA_BINARY_PACKED headers need. */
function pushZigzagVarint(out: ByteBuffer, v: number): void {
  pushUVarint(out, v >= 0 ? v * 2 : -v * 2 - 1);
}

let scratch = new Float64Array(64 * 1024);

/** Bits needed for 0..max, max < 2^53 (0 for 0). */
function bitsFor(max: number): number {
  if (max < TWO_32) return 32 - Math.clz32(max);
  return 64 - Math.clz32(Math.floor(max / TWO_32));
}

/**
 * DELTA_BINARY_PACKED for INT64 values stored as little-endian (lo, hi) int32 pairs in `words`, values
 * [0, n). Blocks of 128 deltas in 4 miniblocks of 32, as parquet-mr and arrow write them.
 * Arithmetic is done in doubles, exact while |value| < 2^51 (µs timestamps until 2041, any sane duration); returns
 * false without writing anything when a value is outside that range, so the caller falls back to PLAIN.
 */
export function encodeDeltaInt64(out: ByteBuffer, words: Int32Array, n: number): boolean {
  if (scratch.length < n) scratch = new Float64Array(n);
  const values = scratch;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1]!;
    if (hi >= 0x80000 || hi < -0x80000) return false; // |value| >= 2^51
    const v = hi * TWO_32 + (words[2 * i]! >>> 0);
    values[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  deltaRange.min = min;
  deltaRange.max = max;
  encodeDeltaValues(out, values, n);
  return true;
}

/**
 * Min and max of the values of the last successful encodeDeltaInt64 (exact doubles): the chunk statistics come
 * from the same pass that converts the values (rejected: a separate min/max pass over the int32 pairs, 2-4 % of
 * a worker's profile).
 */
export const deltaRange = { min: 0, max: 0 };

/** DELTA_BINARY_PACKED of int32 values (string lengths). */
export function encodeDeltaInt32(out: ByteBuffer, ints: Int32Array, n: number): void {
  if (scratch.length < n) scratch = new Float64Array(n);
  for (let i = 0; i < n; i++) scratch[i] = ints[i]!;
  encodeDeltaValues(out, scratch, n);
}

const blockScratch = new Float64Array(128);
const widthScratch = new Uint8Array(4);

/** DELTA_BINARY_PACKED of integer-valued doubles, |value| < 2^51. */
function encodeDeltaValues(out: ByteBuffer, values: Float64Array, n: number): void {
  pushUVarint(out, 128);
  pushUVarint(out, 4);
  pushUVarint(out, n);
  pushZigzagVarint(out, n > 0 ? values[0]! : 0);
  const adjusted = blockScratch;
  const widths = widthScratch;
  for (let blockStart = 1; blockStart < n; blockStart += 128) {
    const count = Math.min(128, n - blockStart);
    let minDelta = Infinity;
    for (let k = 0; k < count; k++) {
      const d = values[blockStart + k]! - values[blockStart + k - 1]!;
      adjusted[k] = d;
      if (d < minDelta) minDelta = d;
    }
    pushZigzagVarint(out, minDelta);
    for (let m = 0; m < 4; m++) {
      let max = 0;
      const end = Math.min(count, m * 32 + 32);
      for (let k = m * 32; k < end; k++) {
        const a = adjusted[k]! - minDelta;
        adjusted[k] = a;
        if (a > max) max = a;
      }
      widths[m] = bitsFor(max);
    }
    ensure(out, 4 + 4 * 53 * 4);
    for (let m = 0; m < 4; m++) out.buf[out.len++] = widths[m]!;
    // Miniblocks holding no value are not written (their width byte is there, their body is not).
    for (let m = 0; m < 4 && m * 32 < count; m++) {
      const w = widths[m]!;
      if (w <= 24) packMiniblockNarrow(out, adjusted, m * 32, Math.min(count, m * 32 + 32), w);
      else packMiniblockWide(out, adjusted, m * 32, Math.min(count, m * 32 + 32), w);
    }
  }
}

/** 32 values (zeros past `end`) of `width` <= 24 bits each, LSB first, in 32-bit integer arithmetic. */
function packMiniblockNarrow(out: ByteBuffer, values: Float64Array, start: number, end: number, width: number): void {
  if (width === 0) return;
  const buf = out.buf;
  let o = out.len;
  let acc = 0;
  let bits = 0;
  for (let k = start; k < start + 32; k++) {
    acc |= (k < end ? values[k]! : 0) << bits;
    bits += width;
    while (bits >= 8) {
      buf[o++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  out.len = o;
}

/** As packMiniblockNarrow for 25..53 bits: each value goes out as 16 + (width-16 <= 16) [+ width-32] bit parts. */
function packMiniblockWide(out: ByteBuffer, values: Float64Array, start: number, end: number, width: number): void {
  const buf = out.buf;
  let o = out.len;
  let acc = 0;
  let bits = 0;
  const midWidth = Math.min(16, width - 16);
  const hiWidth = width - 32;
  for (let k = start; k < start + 32; k++) {
    const v = k < end ? values[k]! : 0;
    const lo = v >>> 0; // v mod 2^32, exact for v < 2^53
    acc |= (lo & 0xffff) << bits;
    bits += 16;
    while (bits >= 8) {
      buf[o++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
    acc |= (lo >>> 16) << bits;
    bits += midWidth;
    while (bits >= 8) {
      buf[o++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
    if (hiWidth > 0) {
      acc |= ((v - lo) / TWO_32) << bits;
      bits += hiWidth;
      while (bits >= 8) {
        buf[o++] = acc & 0xff;
        acc >>>= 8;
        bits -= 8;
      }
    }
  }
  out.len = o;
}

/** A page of front-coded strings being built: prefix and suffix lengths, suffix bytes, and the last value. */
export interface FrontCodedPage {
  prefix: Int32Array;
  suffix: Int32Array;
  /** Values stored (nulls are not values). */
  count: number;
  readonly suffixBytes: ByteBuffer;
  /** The previous value, for the first row of the next append (empty at a page start: pages decode alone). */
  prev: Uint8Array;
  prevLen: number;
}

export function frontCodedPage(pageRows: number): FrontCodedPage {
  return {
    prefix: new Int32Array(pageRows),
    suffix: new Int32Array(pageRows),
    count: 0,
    suffixBytes: byteBufferOf(1 << 20),
    prev: new Uint8Array(64),
    prevLen: 0,
  };
}

function byteBufferOf(capacity: number): ByteBuffer {
  return { buf: new Uint8Array(capacity), len: 0 };
}

/**
 * Front-codes rows [start, end) of an offsets+bytes column straight from the batch (one pass, no copy of whole
 * values), skipping nulls, and writes `levels[levelAt + k]`. Returns the number of values stored.
 */
export function appendFrontCoded(
  page: FrontCodedPage,
  offsets: Int32Array,
  bytes: Uint8Array,
  nulls: Uint8Array | undefined,
  start: number,
  end: number,
  levels: Uint8Array,
  levelAt: number,
): number {
  ensure(page.suffixBytes, offsets[end]! - offsets[start]!);
  const sb = page.suffixBytes.buf;
  const prefix = page.prefix;
  const suffix = page.suffix;
  let o = page.suffixBytes.len;
  let v = page.count;
  let prevSrc = -1; // source row of the previous value when it is in this batch
  for (let i = start; i < end; i++) {
    if (nulls !== undefined && nulls[i] === 1) {
      levels[levelAt + i - start] = 0;
      continue;
    }
    levels[levelAt + i - start] = 1;
    const from = offsets[i]!;
    const len = offsets[i + 1]! - from;
    let p = 0;
    if (prevSrc >= 0) {
      const pFrom = offsets[prevSrc]!;
      const pLen = offsets[prevSrc + 1]! - pFrom;
      const max = Math.min(len, pLen);
      while (p < max && bytes[from + p] === bytes[pFrom + p]) p++;
    } else {
      const prev = page.prev;
      const max = Math.min(len, page.prevLen);
      while (p < max && bytes[from + p] === prev[p]) p++;
    }
    prefix[v] = p;
    suffix[v] = len - p;
    v++;
    for (let k = from + p, e = from + len; k < e; k++) sb[o++] = bytes[k]!;
    prevSrc = i;
  }
  if (prevSrc >= 0) {
    const pFrom = offsets[prevSrc]!;
    const pLen = offsets[prevSrc + 1]! - pFrom;
    if (page.prev.length < pLen) page.prev = new Uint8Array(pLen * 2);
    page.prev.set(bytes.subarray(pFrom, pFrom + pLen));
    page.prevLen = pLen;
  }
  page.suffixBytes.len = o;
  const stored = v - page.count;
  page.count = v;
  return stored;
}

/** Writes the page's DELTA_BYTE_ARRAY values (prefix lengths, suffix lengths, suffix bytes) and empties it. */
export function finishFrontCoded(out: ByteBuffer, page: FrontCodedPage): void {
  encodeDeltaInt32(out, page.prefix, page.count);
  encodeDeltaInt32(out, page.suffix, page.count);
  const bytes = page.suffixBytes;
  ensure(out, bytes.len);
  out.buf.set(bytes.buf.subarray(0, bytes.len), out.len);
  out.len += bytes.len;
  page.count = 0;
  bytes.len = 0;
  page.prevLen = 0;
}
