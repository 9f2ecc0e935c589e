// One encoder per column kind. Each turns rows of a ColumnBatch column into finished (compressed, headed) pages of
// the current row group's column chunk, and hands the chunk over when the row group is flushed.

import type { ColumnData, DictColumn, Utf8Column } from '../batch.ts';
import { type ByteBuffer, byteBuffer, ensure, pushInt32LE, pushBytes, takeCopy } from './bytes.ts';
import { type PageCodec, pageCodec } from './codec.ts';
import {
  appendPlainUtf8,
  appendFrontCoded,
  bitPackHybrid,
  bitWidthFor,
  encodeDefinitionLevels,
  finishFrontCoded,
  frontCodedPage,
  encodeDeltaInt64,
  deltaRange,
} from './encode.ts';
import { type ChunkStatistics, Encoding, dataPageHeaderBytes, dictionaryPageHeaderBytes, type LeafSchema, PhysicalType } from './format.ts';
import { bytesRange, int32Range, int64Range } from './stats.ts';
import { ParquetInputError } from './errors.ts';

/** A column chunk ready to be written: pages in file order (dictionary page first when there is one). */
export interface EncodedChunk {
  readonly pages: readonly Uint8Array[];
  readonly hasDictionaryPage: boolean;
  readonly encodings: readonly number[];
  /** CompressionCodec id of every page in the chunk. */
  readonly codec: number;
  readonly numValues: number;
  readonly statistics: ChunkStatistics;
  readonly uncompressedBytes: number;
  readonly compressedBytes: number;
}

export interface ColumnEncoder {
  readonly leaf: LeafSchema;
  /** Appends rows [start, end) of `col`. */
  append(col: ColumnData, start: number, end: number): void;
  /** Bytes held by finished pages of the current chunk (the row group's memory). */
  bufferedBytes(): number;
  /** Finishes the open page and returns the chunk; the encoder starts a new, empty chunk. */
  finishChunk(): EncodedChunk;
}

export interface EncoderOptions {
  readonly leaf: LeafSchema;
  readonly codec: PageCodec;
  /** Rows per data page. */
  readonly pageRows: number;
  /** Strings given as offsets+bytes: front-coded (default) or PLAIN under `codec`. */
  readonly stringEncoding: 'delta' | 'plain';
}

const utf8 = new TextEncoder();

/** Finished pages of one chunk, with the sizes the footer needs. */
function chunkPages() {
  let pages: Uint8Array[] = [];
  let uncompressed = 0;
  let compressed = 0;
  let bytes = 0;
  return {
    add(header: Uint8Array, body: Uint8Array, uncompressedBody: number): void {
      const page = new Uint8Array(header.length + body.length);
      page.set(header, 0);
      page.set(body, header.length);
      pages.push(page);
      uncompressed += header.length + uncompressedBody;
      compressed += page.length;
      bytes += page.length;
    },
    bytes: () => bytes,
    take() {
      const result = { pages, uncompressedBytes: uncompressed, compressedBytes: compressed };
      pages = [];
      uncompressed = compressed = bytes = 0;
      return result;
    },
  };
}

function addDataPage(target: ReturnType<typeof chunkPages>, codec: PageCodec, body: ByteBuffer, numValues: number, encoding: number): void {
  const raw = body.buf.subarray(0, body.len);
  const packed = codec.compress(raw);
  const header = dataPageHeaderBytes({
    uncompressedBytes: raw.length,
    compressedBytes: packed.length,
    numValues,
    encoding,
  });
  target.add(header, packed, raw.length);
}

function kindMismatch(leaf: LeafSchema, expected: string, col: ColumnData): ParquetInputError {
  return new ParquetInputError(`column ${leaf.name}: expected a ${expected} column, got kind ${col.kind}`);
}

/**
 * INT64 columns (timestamps, durations): DELTA_BINARY_PACKED pages, uncompressed. Measured per million synthetic
 * rows: timestamp PLAIN 8.0 MB -> snappy 4.9 MB, DELTA ~1.4 MB; duration_ms PLAIN 8.0 -> snappy 4.1, DELTA ~2.8,
 * and no compressor time (snappy was 40 % of the writer's profile). A page whose values pass |2^51| (no real
 * timestamp or duration) falls back to PLAIN, still uncompressed: the codec is per chunk, not per page.
 * INT32 (dates, metadata only) stays PLAIN under the file's codec.
 */
function fixedWidthEncoder(opts: EncoderOptions, kind: 'timestamp_us' | 'int64' | 'date32'): ColumnEncoder {
  const width = kind === 'date32' ? 4 : 8;
  const delta = width === 8;
  const codec = delta ? pageCodec('uncompressed') : opts.codec;
  const page = byteBuffer(opts.pageRows * width);
  const body = byteBuffer(delta ? opts.pageRows * 9 : 16);
  let pageRows = 0;
  let chunkValues = 0;
  const usedEncodings = new Set<number>([Encoding.RLE]);
  const range64 = int64Range();
  const range32 = int32Range();
  const pages = chunkPages();
  const flushPage = (): void => {
    if (pageRows === 0) return;
    body.len = 0;
    if (delta && encodeDeltaInt64(body, new Int32Array(page.buf.buffer, page.buf.byteOffset, pageRows * 2), pageRows)) {
      range64.addRange(deltaRange.min, deltaRange.max);
      addDataPage(pages, codec, body, pageRows, Encoding.DELTA_BINARY_PACKED);
      usedEncodings.add(Encoding.DELTA_BINARY_PACKED);
    } else {
      if (width === 8) range64.add(new Int32Array(page.buf.buffer, page.buf.byteOffset, pageRows * 2), pageRows);
      else range32.add(new Int32Array(page.buf.buffer, page.buf.byteOffset, pageRows), pageRows);
      addDataPage(pages, codec, page, pageRows, Encoding.PLAIN);
      usedEncodings.add(Encoding.PLAIN);
    }
    chunkValues += pageRows;
    page.len = 0;
    pageRows = 0;
  };
  return {
    leaf: opts.leaf,
    append(col, start, end) {
      if (col.kind !== kind) throw kindMismatch(opts.leaf, kind, col);
      const v = col.values;
      for (let at = start; at < end; ) {
        const take = Math.min(end - at, opts.pageRows - pageRows);
        page.buf.set(new Uint8Array(v.buffer, v.byteOffset + at * width, take * width), page.len);
        page.len += take * width;
        pageRows += take;
        at += take;
        if (pageRows === opts.pageRows) flushPage();
      }
    },
    bufferedBytes: () => pages.bytes() + page.len,
    finishChunk() {
      flushPage();
      const taken = pages.take();
      const numValues = chunkValues;
      chunkValues = 0;
      const encodings = [...usedEncodings].sort((a, b) => a - b);
      usedEncodings.clear();
      usedEncodings.add(Encoding.RLE);
      const statistics = { nullCount: 0, ...(width === 8 ? range64.take() : range32.take()) };
      return { ...taken, hasDictionaryPage: false, encodings, codec: codec.id, numValues, statistics };
    },
  };
}

/** PLAIN BYTE_ARRAY pages under the file's codec (stringEncoding 'plain'): kept to measure against. */
function plainUtf8Encoder(opts: EncoderOptions): ColumnEncoder {
  const values = byteBuffer(1 << 20);
  const body = byteBuffer(1 << 20);
  const levels = new Uint8Array(opts.pageRows);
  const pageBytesLimit = 1 << 20; // cut pages at ~1 MiB of values too, whatever the string lengths
  let pageRows = 0;
  let chunkValues = 0;
  let chunkNulls = 0;
  const pages = chunkPages();
  const flushPage = (): void => {
    if (pageRows === 0) return;
    body.len = 0;
    if (opts.leaf.optional) encodeDefinitionLevels(body, levels, pageRows);
    pushBytes(body, values.buf.subarray(0, values.len));
    addDataPage(pages, opts.codec, body, pageRows, Encoding.PLAIN);
    chunkValues += pageRows;
    values.len = 0;
    pageRows = 0;
  };
  return {
    leaf: opts.leaf,
    append(col, start, end) {
      if (col.kind !== 'utf8') throw kindMismatch(opts.leaf, 'utf8 or dict', col);
      checkNulls(opts.leaf, col, start, end);
      for (let at = start; at < end; ) {
        const take = Math.min(end - at, opts.pageRows - pageRows, 8192);
        chunkNulls += take - appendPlainUtf8(values, col.offsets, col.bytes, col.nulls, at, at + take, levels, pageRows);
        pageRows += take;
        at += take;
        if (pageRows === opts.pageRows || values.len >= pageBytesLimit) flushPage();
      }
    },
    bufferedBytes: () => pages.bytes() + values.len,
    finishChunk() {
      flushPage();
      const taken = pages.take();
      const numValues = chunkValues;
      chunkValues = 0;
      const statistics = { nullCount: chunkNulls };
      chunkNulls = 0;
      return { ...taken, hasDictionaryPage: false, encodings: [Encoding.PLAIN, Encoding.RLE], codec: opts.codec.id, numValues, statistics };
    },
  };
}

/**
 * DELTA_BYTE_ARRAY pages, uncompressed, with definition levels when the column is OPTIONAL. Measured on `gen`'s
 * interactions (sessions repeat a user_id for several rows): PLAIN 10.6 B/row, PLAIN+snappy 1.7 B/row but snappy
 * (snappyjs, ~40-90 MB/s on this machine) was most of the writer's time; front coding gets the repeats for a few
 * bits each without a compressor pass. A page of nulls only is written PLAIN (no values at all).
 */
function deltaUtf8Encoder(opts: EncoderOptions): ColumnEncoder {
  const page = frontCodedPage(opts.pageRows);
  const body = byteBuffer(1 << 20);
  const levels = new Uint8Array(opts.pageRows);
  const pageBytesLimit = 1 << 20; // cut pages at ~1 MiB of suffixes too, whatever the string lengths
  const codec = pageCodec('uncompressed');
  const usedEncodings = new Set<number>([Encoding.RLE]);
  let pageRows = 0;
  let chunkValues = 0;
  let chunkNulls = 0;
  const pages = chunkPages();
  const flushPage = (): void => {
    if (pageRows === 0) return;
    body.len = 0;
    if (opts.leaf.optional) encodeDefinitionLevels(body, levels, pageRows);
    // A page of nulls only has no values: PLAIN, with nothing after the levels.
    const encoding = page.count > 0 ? Encoding.DELTA_BYTE_ARRAY : Encoding.PLAIN;
    if (page.count > 0) finishFrontCoded(body, page);
    addDataPage(pages, codec, body, pageRows, encoding);
    usedEncodings.add(encoding);
    chunkValues += pageRows;
    pageRows = 0;
  };
  return {
    leaf: opts.leaf,
    append(col, start, end) {
      if (col.kind !== 'utf8') throw kindMismatch(opts.leaf, 'utf8 or dict', col);
      checkNulls(opts.leaf, col, start, end);
      for (let at = start; at < end; ) {
        const take = Math.min(end - at, opts.pageRows - pageRows, 8192);
        const stored = appendFrontCoded(page, col.offsets, col.bytes, col.nulls, at, at + take, levels, pageRows);
        chunkNulls += take - stored;
        pageRows += take;
        at += take;
        if (pageRows === opts.pageRows || page.suffixBytes.len >= pageBytesLimit) flushPage();
      }
    },
    bufferedBytes: () => pages.bytes() + page.suffixBytes.len,
    finishChunk() {
      flushPage();
      const taken = pages.take();
      const numValues = chunkValues;
      chunkValues = 0;
      const encodings = [...usedEncodings].sort((a, b) => a - b);
      usedEncodings.clear();
      usedEncodings.add(Encoding.RLE);
      const statistics = { nullCount: chunkNulls };
      chunkNulls = 0;
      return { ...taken, hasDictionaryPage: false, encodings, codec: codec.id, numValues, statistics };
    },
  };
}

function checkNulls(leaf: LeafSchema, col: Utf8Column, start: number, end: number): void {
  if (col.nulls === undefined || leaf.optional) return;
  for (let i = start; i < end; i++) if (col.nulls[i] === 1) throw new ParquetInputError(`column ${leaf.name}: null in a non-nullable column (row ${i})`);
}

/**
 * RLE_DICTIONARY pages over a per-chunk dictionary. Batches bring their own dictionaries (usually the same array
 * every time); a small one (at most EAGER_DICTIONARY values: vocabularies) is mapped whole onto the chunk's
 * dictionary, in its own order, the first time it is seen; a large one (page_id's 20 000 pages) lazily, value by
 * value as rows first use it, so the chunk's dictionary holds only the values its rows use, in order of first
 * use. Rejected: the generator renumbering pages per batch so that every batch dictionary is small (a JS array of
 * the batch's pages, then a Map lookup per page and batch here): 7 % of a worker's profile.
 */
const EAGER_DICTIONARY = 256;

/** Large batch dictionaries known to hold distinct values (checked once per array, not per chunk). */
const distinctDictionaries = new WeakSet<readonly string[]>();

function hasDistinctValues(dict: readonly string[]): boolean {
  if (distinctDictionaries.has(dict)) return true;
  if (new Set(dict).size !== dict.length) return false;
  distinctDictionaries.add(dict);
  return true;
}

function dictionaryEncoder(opts: EncoderOptions): ColumnEncoder {
  const indices = new Int32Array(opts.pageRows);
  const body = byteBuffer(1 << 16);
  let dictIndex = new Map<string, number>();
  let dictValues: string[] = [];
  let lastBatchDict: readonly string[] | undefined;
  /** Batch index -> chunk index; -1 = not yet in the chunk. */
  let lastMapping = new Int32Array(0);
  let pageRows = 0;
  let chunkValues = 0;
  /** 1 where a chunk dictionary value is used by a row (eagerly mapped vocabularies may hold unused ones). */
  let used = new Uint8Array(EAGER_DICTIONARY);
  const pages = chunkPages();

  /**
   * The chunk's only batch dictionary so far, when it is a large one with distinct values (page_id's 20 000
   * pages, the same array in every batch): its mapping alone then keeps chunk values distinct, and dictIndex is
   * built only if a second dictionary arrives. Rejected: a Map get and set per distinct value and chunk (20 000
   * string keys a file, the Map rehashing as it grows): 3-4 % of a worker's profile. Same chunk ids either way.
   */
  let soleDict: readonly string[] | undefined;

  const chunkIdOf = (s: string): number => {
    let id = soleDict === undefined ? dictIndex.get(s) : undefined;
    if (id === undefined) {
      id = dictValues.length;
      dictValues.push(s);
      if (soleDict === undefined) dictIndex.set(s, id);
      if (id >= used.length) {
        const grown = new Uint8Array(used.length * 2);
        grown.set(used);
        used = grown;
      }
    }
    return id;
  };

  const mappingFor = (dict: readonly string[]): Int32Array => {
    if (dict === lastBatchDict) return lastMapping;
    if (soleDict !== undefined) {
      // A second dictionary in this chunk: from here on, values are matched by string.
      for (let k = 0; k < dictValues.length; k++) dictIndex.set(dictValues[k]!, k);
      soleDict = undefined;
    } else if (lastBatchDict === undefined && dict.length > EAGER_DICTIONARY && hasDistinctValues(dict)) soleDict = dict;
    const mapping = new Int32Array(dict.length).fill(-1);
    if (dict.length <= EAGER_DICTIONARY) for (let k = 0; k < dict.length; k++) mapping[k] = chunkIdOf(dict[k]!);
    lastBatchDict = dict;
    lastMapping = mapping;
    return mapping;
  };

  const flushPage = (): void => {
    if (pageRows === 0) return;
    body.len = 0;
    if (opts.leaf.optional) encodeDefinitionLevels(body, new Uint8Array(pageRows).fill(1), pageRows);
    const width = bitWidthFor(Math.max(0, dictValues.length - 1));
    body.buf[body.len++] = width; // capacity: byteBuffer starts at 64 KiB
    bitPackHybrid(body, indices, pageRows, width);
    addDataPage(pages, opts.codec, body, pageRows, Encoding.RLE_DICTIONARY);
    chunkValues += pageRows;
    pageRows = 0;
  };

  return {
    leaf: opts.leaf,
    append(col, start, end) {
      if (col.kind !== 'dict') throw kindMismatch(opts.leaf, 'utf8 or dict', col);
      appendDictRows(col, start, end);
    },
    bufferedBytes: () => pages.bytes() + pageRows * 4,
    finishChunk() {
      flushPage();
      // The dictionary page goes first in the chunk: PLAIN BYTE_ARRAY values.
      const dict = byteBuffer(1024);
      const range = appendDictionaryValues(dict, dictValues, used);
      const statistics = { nullCount: 0, ...range };
      used.fill(0);
      const raw = takeCopy(dict);
      const packed = opts.codec.compress(raw);
      const header = dictionaryPageHeaderBytes({
        uncompressedBytes: raw.length,
        compressedBytes: packed.length,
        numValues: dictValues.length,
      });
      const dictPage = new Uint8Array(header.length + packed.length);
      dictPage.set(header, 0);
      dictPage.set(packed, header.length);
      const taken = pages.take();
      const numValues = chunkValues;
      chunkValues = 0;
      dictIndex = new Map();
      dictValues = [];
      lastBatchDict = undefined;
      soleDict = undefined;
      return {
        pages: [dictPage, ...taken.pages],
        uncompressedBytes: taken.uncompressedBytes + header.length + raw.length,
        compressedBytes: taken.compressedBytes + dictPage.length,
        hasDictionaryPage: true,
        encodings: [Encoding.PLAIN, Encoding.RLE, Encoding.RLE_DICTIONARY],
        codec: opts.codec.id,
        numValues,
        statistics,
      };
    },
  };

  function appendDictRows(col: DictColumn, start: number, end: number): void {
    const mapping = mappingFor(col.dictionary);
    const dictionary = col.dictionary;
    const src = col.indices;
    const n = mapping.length;
    for (let at = start; at < end; ) {
      const take = Math.min(end - at, opts.pageRows - pageRows);
      let marks = used; // a local, refreshed only when chunkIdOf may have grown it
      const base = pageRows - at;
      for (let r = at; r < at + take; r++) {
        const k = src[r]!;
        if (k >>> 0 >= n) throw new ParquetInputError(`column ${opts.leaf.name}: index ${k} outside its dictionary (row ${r})`);
        let id = mapping[k]!;
        if (id < 0) {
          id = chunkIdOf(dictionary[k]!);
          mapping[k] = id;
          marks = used;
        }
        marks[id] = 1;
        indices[base + r] = id;
      }
      pageRows += take;
      at += take;
      if (pageRows === opts.pageRows) flushPage();
    }
  }
}

/**
 * Appends the PLAIN BYTE_ARRAY values of a chunk dictionary and returns the byte-wise min and max of the used
 * ones. ASCII values (every vocabulary and page id here) are written by char code, and compared as JS strings
 * (UTF-16 order = byte order for ASCII); anything else goes through TextEncoder and a byte compare. Rejected:
 * TextEncoder for every value of every chunk (20 000 page ids a file): 1.5 % of a worker's profile.
 */
function appendDictionaryValues(out: ByteBuffer, values: readonly string[], used: Uint8Array): { min?: Uint8Array; max?: Uint8Array } {
  let ascii = true;
  for (let k = 0; k < values.length && ascii; k++) {
    const s = values[k]!;
    for (let c = 0; c < s.length; c++) {
      if (s.charCodeAt(c) > 0x7f) {
        ascii = false;
        break;
      }
    }
  }
  if (!ascii) {
    const encoded = values.map((s) => utf8.encode(s));
    for (const b of encoded) {
      pushInt32LE(out, b.length);
      pushBytes(out, b);
    }
    return bytesRange(encoded, used);
  }
  let min: string | undefined;
  let max: string | undefined;
  for (let k = 0; k < values.length; k++) {
    const s = values[k]!;
    pushInt32LE(out, s.length);
    ensure(out, s.length);
    const buf = out.buf;
    let o = out.len;
    for (let c = 0; c < s.length; c++) buf[o++] = s.charCodeAt(c);
    out.len = o;
    if (used[k] !== 1) continue;
    if (min === undefined || s < min) min = s;
    if (max === undefined || s > max) max = s;
  }
  return min === undefined || max === undefined ? {} : { min: asciiBytes(min), max: asciiBytes(max) };
}

function asciiBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let c = 0; c < s.length; c++) b[c] = s.charCodeAt(c);
  return b;
}

/** The encoder for a string column depends on the first batch's kind; the others on the schema alone. */
export function createColumnEncoder(opts: EncoderOptions, firstKind: ColumnData['kind']): ColumnEncoder {
  switch (opts.leaf.physical) {
    case PhysicalType.BYTE_ARRAY:
      // Bit-packed dictionary indices barely compress (snappy: page_id 1.13 -> 1.13 MB, action_type 0.50 -> 0.50,
      // app_version 0.63 -> 0.52 per million rows) but cost compressor time: leave them uncompressed.
      if (firstKind === 'dict') return dictionaryEncoder({ ...opts, codec: pageCodec('uncompressed') });
      return opts.stringEncoding === 'plain' ? plainUtf8Encoder(opts) : deltaUtf8Encoder(opts);
    case PhysicalType.INT64:
      return fixedWidthEncoder(opts, opts.leaf.logical === 'timestamp_utc_micros' ? 'timestamp_us' : 'int64');
    case PhysicalType.INT32:
      return fixedWidthEncoder(opts, 'date32');
  }
}
