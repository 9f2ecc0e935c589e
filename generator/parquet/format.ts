// The Parquet metadata this writer emits, as thrift structs (field ids from apache/parquet-format's
// parquet.thrift). Only what our column kinds need: flat schemas, data page v1, PLAIN and RLE_DICTIONARY.

import { byteBuffer, takeCopy } from './bytes.ts';
import { binary, bool, i32, i64, list, struct, writeStruct, type ThriftStruct, type ThriftValue } from './thrift.ts';

export const PhysicalType = { INT32: 1, INT64: 2, BYTE_ARRAY: 6 } as const;
export const Repetition = { REQUIRED: 0, OPTIONAL: 1 } as const;
export const ConvertedType = { UTF8: 0, DATE: 6, TIMESTAMP_MICROS: 10 } as const;
export const Encoding = { PLAIN: 0, RLE: 3, DELTA_BINARY_PACKED: 5, DELTA_BYTE_ARRAY: 7, RLE_DICTIONARY: 8 } as const;
export const Codec = { UNCOMPRESSED: 0, SNAPPY: 1 } as const;
const PageType = { DATA_PAGE: 0, DICTIONARY_PAGE: 2 } as const;

/** A leaf column of the flat schema, with the annotation Spark maps to the challenge's type. */
export interface LeafSchema {
  readonly name: string;
  readonly physical: (typeof PhysicalType)[keyof typeof PhysicalType];
  readonly optional: boolean;
  readonly logical: 'string' | 'date' | 'timestamp_utc_micros' | 'none';
}

/** Column chunk statistics: min/max as PLAIN-encoded bytes (little-endian ints, raw UTF-8), exact, never widened. */
export interface ChunkStatistics {
  readonly nullCount: number;
  readonly min?: Uint8Array;
  readonly max?: Uint8Array;
}

export interface ColumnChunkMeta {
  readonly leaf: LeafSchema;
  readonly encodings: readonly number[];
  readonly codec: number;
  readonly numValues: number;
  readonly uncompressedBytes: number; // page headers included, as the spec asks
  readonly compressedBytes: number;
  readonly dataPageOffset: number;
  readonly dictionaryPageOffset?: number;
  readonly statistics: ChunkStatistics;
}

export interface RowGroupMeta {
  readonly numRows: number;
  readonly fileOffset: number;
  readonly columns: readonly ColumnChunkMeta[];
}

/** Fixed so identical input gives identical bytes; parquet-mr's VersionParser reads this `name version x` form. */
export const createdBy = 'insights-bench version 0.1.0 (build insights-bench-parquet-1)';

function logicalTypeOf(leaf: LeafSchema): ThriftValue | undefined {
  const empty = struct([]);
  switch (leaf.logical) {
    case 'string':
      return struct([[1, empty]]); // LogicalType.STRING
    case 'date':
      return struct([[6, empty]]); // LogicalType.DATE
    case 'timestamp_utc_micros': // LogicalType.TIMESTAMP { isAdjustedToUTC: true, unit: MICROS } -> Spark TimestampType
      return struct([
        [
          8,
          struct([
            [1, bool(true)],
            [2, struct([[2, empty]])],
          ]),
        ],
      ]);
    case 'none':
      return undefined;
  }
}

function convertedTypeOf(leaf: LeafSchema): ThriftValue | undefined {
  switch (leaf.logical) {
    case 'string':
      return i32(ConvertedType.UTF8);
    case 'date':
      return i32(ConvertedType.DATE);
    case 'timestamp_utc_micros':
      return i32(ConvertedType.TIMESTAMP_MICROS);
    case 'none':
      return undefined;
  }
}

function schemaElements(leaves: readonly LeafSchema[]): ThriftValue[] {
  const root = struct([
    [4, binary('schema')],
    [5, i32(leaves.length)],
  ]);
  return [
    root,
    ...leaves.map((leaf) =>
      struct([
        [1, i32(leaf.physical)],
        [3, i32(leaf.optional ? Repetition.OPTIONAL : Repetition.REQUIRED)],
        [4, binary(leaf.name)],
        [6, convertedTypeOf(leaf)],
        [10, logicalTypeOf(leaf)],
      ]),
    ),
  ];
}

function columnChunk(c: ColumnChunkMeta): ThriftValue {
  const meta: ThriftStruct = [
    [1, i32(c.leaf.physical)],
    [2, list('i32', c.encodings.map(i32))],
    [3, list('binary', [binary(c.leaf.name)])],
    [4, i32(c.codec)],
    [5, i64(c.numValues)],
    [6, i64(c.uncompressedBytes)],
    [7, i64(c.compressedBytes)],
    [9, i64(c.dataPageOffset)],
    [11, c.dictionaryPageOffset === undefined ? undefined : i64(c.dictionaryPageOffset)],
    [12, statisticsOf(c.statistics)],
  ];
  return struct([
    [2, i64(c.dictionaryPageOffset ?? c.dataPageOffset)], // file_offset: where the chunk starts
    [3, struct(meta)],
  ]);
}

/** Only the min_value/max_value fields (5, 6), whose order the footer's column_orders declares (type-defined:
 * signed for ints, unsigned bytes for strings); the deprecated min/max (1, 2) had an undefined string order. */
function statisticsOf(st: ChunkStatistics): ThriftValue {
  return struct([
    [3, i64(st.nullCount)],
    [5, st.max === undefined ? undefined : binary(st.max)],
    [6, st.min === undefined ? undefined : binary(st.min)],
  ]);
}

function rowGroup(rg: RowGroupMeta, ordinal: number): ThriftValue {
  let uncompressed = 0;
  let compressed = 0;
  for (const c of rg.columns) {
    uncompressed += c.uncompressedBytes;
    compressed += c.compressedBytes;
  }
  return struct([
    [1, list('struct', rg.columns.map(columnChunk))],
    [2, i64(uncompressed)],
    [3, i64(rg.numRows)],
    [5, i64(rg.fileOffset)],
    [6, i64(compressed)],
    [7, i32(ordinal)], // i16 on the wire is the same zigzag varint as i32, only the field type differs
  ]);
}

/** The footer's FileMetaData, serialised. */
export function fileMetaDataBytes(leaves: readonly LeafSchema[], rowGroups: readonly RowGroupMeta[]): Uint8Array {
  let numRows = 0;
  for (const rg of rowGroups) numRows += rg.numRows;
  const b = byteBuffer(1024);
  writeStruct(b, [
    [1, i32(1)],
    [2, list('struct', schemaElements(leaves))],
    [3, i64(numRows)],
    [4, list('struct', rowGroups.map(rowGroup))],
    [6, binary(createdBy)],
    [
      7,
      list(
        'struct',
        leaves.map(() => struct([[1, struct([])]])),
      ),
    ], // ColumnOrder.TYPE_ORDER for every column
  ]);
  return takeCopy(b);
}

export function dataPageHeaderBytes(p: { uncompressedBytes: number; compressedBytes: number; numValues: number; encoding: number }): Uint8Array {
  const b = byteBuffer(64);
  writeStruct(b, [
    [1, i32(PageType.DATA_PAGE)],
    [2, i32(p.uncompressedBytes)],
    [3, i32(p.compressedBytes)],
    [
      5,
      struct([
        [1, i32(p.numValues)],
        [2, i32(p.encoding)],
        [3, i32(Encoding.RLE)],
        [4, i32(Encoding.RLE)],
      ]),
    ],
  ]);
  return takeCopy(b);
}

export function dictionaryPageHeaderBytes(p: { uncompressedBytes: number; compressedBytes: number; numValues: number }): Uint8Array {
  const b = byteBuffer(64);
  writeStruct(b, [
    [1, i32(PageType.DICTIONARY_PAGE)],
    [2, i32(p.uncompressedBytes)],
    [3, i32(p.compressedBytes)],
    [
      7,
      struct([
        [1, i32(p.numValues)],
        [2, i32(Encoding.PLAIN)],
      ]),
    ],
  ]);
  return takeCopy(b);
}
