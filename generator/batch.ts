// The hand-off between the generating engine and the Parquet writer: columns as typed arrays, never row objects.
// The engine fills these; the writer (generator/parquet/) encodes them; neither knows the other's internals.

/** UTF-8 strings as Arrow lays them out: value i is bytes[offsets[i] .. offsets[i+1]). */
export interface Utf8Column {
  readonly kind: 'utf8';
  readonly offsets: Int32Array; // length = rows + 1
  readonly bytes: Uint8Array;
  /** 1 where the value is null (its offsets span is empty). Absent: no nulls. */
  readonly nulls?: Uint8Array;
}

/** A low-cardinality string column: value i is dictionary[indices[i]]. */
export interface DictColumn {
  readonly kind: 'dict';
  readonly dictionary: readonly string[];
  readonly indices: Int32Array;
}

/** Microseconds since the Unix epoch, UTC (Parquet TIMESTAMP(isAdjustedToUTC=true, MICROS) -> Spark TimestampType). */
export interface TimestampColumn {
  readonly kind: 'timestamp_us';
  readonly values: BigInt64Array;
}

/** Days since the Unix epoch (Parquet DATE -> Spark DateType). */
export interface DateColumn {
  readonly kind: 'date32';
  readonly values: Int32Array;
}

export interface Int64Column {
  readonly kind: 'int64';
  readonly values: BigInt64Array;
}

export type ColumnData = Utf8Column | DictColumn | TimestampColumn | DateColumn | Int64Column;

/** A run of rows for one file, column by column, in `fileColumns(dataset)` order and naming. */
export interface ColumnBatch {
  readonly rows: number;
  readonly columns: Readonly<Record<string, ColumnData>>;
}
