// The writers the benchmark compares, each as "write these rows, return what was written": the baseline
// (parquetjs-lite, row objects), the rejected alternative (parquet-wasm fed Arrow data made from the same typed
// arrays) and ours (generator/parquet). All write to a sink that only counts bytes, so disks don't add noise.

import { createRequire } from 'node:module';
import {
  DateDay,
  Dictionary,
  Int32,
  Int64,
  makeData,
  makeVector,
  Table,
  TimeUnit,
  Timestamp,
  tableToIPC,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';
import type { ColumnBatch, DictColumn, Utf8Column } from '../batch.ts';
import { createParquetWriter } from '../parquet/index.ts';
import type { CodecName } from '../parquet/codec.ts';
import { type Dataset, fileColumns } from '../schema.ts';

export interface WriteResult {
  readonly rows: number;
  readonly bytes: number;
  /** Wall clock. */
  readonly seconds: number;
  /** CPU time of the whole process (user + system) over the same span: steadier than wall on a busy machine. */
  readonly cpuSeconds: number;
}

/** Starts a wall and a CPU clock; the returned function reads both, in seconds. */
export function startClocks(): () => { seconds: number; cpuSeconds: number } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 };
  };
}

/** Ours: the batch written `repeat` times into one file. */
export async function writeOurs(opts: {
  dataset: Dataset;
  batch: ColumnBatch;
  repeat: number;
  codec?: CodecName;
  stringEncoding?: 'delta' | 'plain';
}): Promise<WriteResult> {
  let bytes = 0;
  const clocks = startClocks();
  const w = createParquetWriter({
    dataset: opts.dataset,
    out: async (c) => {
      bytes += c.length;
    },
    ...(opts.codec ? { codec: opts.codec } : {}),
    ...(opts.stringEncoding ? { stringEncoding: opts.stringEncoding } : {}),
  });
  for (let r = 0; r < opts.repeat; r++) await w.writeBatch(opts.batch);
  const { rows } = await w.close();
  return { rows, bytes, ...clocks() };
}

const decoder = new TextDecoder();

function stringAt(col: Utf8Column | DictColumn, i: number): string | null {
  if (col.kind === 'dict') return col.dictionary[col.indices[i]!]!;
  if (col.nulls?.[i] === 1) return null;
  return decoder.decode(col.bytes.subarray(col.offsets[i], col.offsets[i + 1]));
}

/** The baseline: parquetjs-lite with one JS object per row (row objects are made inside the timing, as a row
 * generator would make them). */
export async function writeParquetjs(opts: { dataset: Dataset; batch: ColumnBatch; rows: number }): Promise<WriteResult> {
  const require = createRequire(import.meta.url);
  const parquet = require('parquetjs-lite') as {
    ParquetSchema: new (def: object) => unknown;
    ParquetWriter: {
      openStream(schema: unknown, stream: NodeJS.WritableStream, opts?: object): Promise<{ appendRow(r: object): Promise<void>; close(): Promise<void> }>;
    };
  };
  const { Writable } = await import('node:stream');
  const cols = fileColumns(opts.dataset);
  const typeOf = { string: 'UTF8', timestamp: 'TIMESTAMP_MICROS', date: 'DATE', bigint: 'INT64' } as const;
  const schema = new parquet.ParquetSchema(
    Object.fromEntries(cols.map((c) => [c.name, { type: typeOf[c.type], optional: c.nullable, compression: 'SNAPPY' }])),
  );
  let bytes = 0;
  const sink = new Writable({
    write: (chunk: Buffer, _e, cb) => {
      bytes += chunk.length;
      cb();
    },
  });
  const clocks = startClocks();
  const writer = await parquet.ParquetWriter.openStream(schema, sink);
  const b = opts.batch;
  for (let i = 0; i < opts.rows; i++) {
    const k = i % b.rows;
    const row: Record<string, unknown> = {};
    for (const c of cols) {
      const col = b.columns[c.name]!;
      if (col.kind === 'utf8' || col.kind === 'dict') {
        const s = stringAt(col, k);
        if (s !== null) row[c.name] = s;
      } else if (col.kind === 'date32') row[c.name] = new Date(col.values[k]! * 86_400_000);
      else row[c.name] = col.kind === 'timestamp_us' ? Number(col.values[k]!) : col.values[k]!;
    }
    await writer.appendRow(row);
  }
  await writer.close();
  return { rows: opts.rows, bytes, ...clocks() };
}

/** Arrow vectors straight from the typed arrays: no JS strings except dictionary values. */
function arrowTable(dataset: Dataset, b: ColumnBatch): Table {
  const vectors: Record<string, Vector> = {};
  for (const c of fileColumns(dataset)) {
    const col = b.columns[c.name]!;
    switch (col.kind) {
      case 'utf8': {
        const nullBitmap = col.nulls ? packValidity(col.nulls, b.rows) : undefined;
        vectors[c.name] = makeVector(
          makeData({ type: new Utf8(), length: b.rows, valueOffsets: col.offsets, data: col.bytes, ...(nullBitmap ? { nullBitmap } : {}) }),
        );
        break;
      }
      case 'dict':
        vectors[c.name] = makeVector(
          makeData({
            type: new Dictionary(new Utf8(), new Int32()),
            length: b.rows,
            data: col.indices,
            dictionary: vectorFromArray(col.dictionary as string[], new Utf8()),
          }),
        );
        break;
      case 'timestamp_us':
        vectors[c.name] = makeVector(makeData({ type: new Timestamp(TimeUnit.MICROSECOND, 'UTC'), length: b.rows, data: col.values }));
        break;
      case 'int64':
        vectors[c.name] = makeVector(makeData({ type: new Int64(), length: b.rows, data: col.values }));
        break;
      case 'date32':
        vectors[c.name] = makeVector(makeData({ type: new DateDay(), length: b.rows, data: col.values }));
        break;
    }
  }
  return new Table(vectors);
}

function packValidity(nulls: Uint8Array, n: number): Uint8Array {
  const bits = new Uint8Array(Math.ceil(n / 8));
  for (let i = 0; i < n; i++) if (nulls[i] !== 1) bits[i >> 3]! |= 1 << (i & 7);
  return bits;
}

/** The rejected alternative: parquet-wasm (Rust parquet crate) writing one row group per batch. Arrow building,
 * the IPC hand-over into WebAssembly and the write are all timed. Not streaming: `writeParquet` makes whole files. */
export async function writeParquetWasm(opts: { dataset: Dataset; batch: ColumnBatch; repeat: number }): Promise<WriteResult> {
  const wasm = await import('parquet-wasm');
  const props = new wasm.WriterPropertiesBuilder().setCompression(wasm.Compression.SNAPPY).build();
  const clocks = startClocks();
  const table = arrowTable(opts.dataset, opts.batch);
  const ipc = tableToIPC(new Table(Array.from({ length: opts.repeat }, () => table.batches).flat()), 'stream');
  const bytes = wasm.writeParquet(wasm.Table.fromIPCStream(ipc), props).length;
  return { rows: opts.batch.rows * opts.repeat, bytes, ...clocks() };
}
