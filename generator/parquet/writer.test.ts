// Round trips through three independent readers (DuckDB, pyarrow, pyspark), plus determinism and edge cases.
// Runtime budget: ~20 s, most of it the one Spark start.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnBatch, Utf8Column, DictColumn } from '../batch.ts';
import { syntheticInteractions, syntheticMetadata } from '../bench/synthetic.ts';
import { type Dataset, interactions, metadata } from '../schema.ts';
import { createParquetWriter, ParquetInputError, type ParquetWriterOptions } from './index.ts';

const python = new URL('../../.venv/bin/python', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'parquet-writer-test-'));
let duck: DuckDBConnection;

beforeAll(async () => {
  duck = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function writeFile(
  name: string,
  dataset: Dataset,
  batches: readonly ColumnBatch[],
  extra: Partial<ParquetWriterOptions> = {},
): Promise<{ path: string; bytes: Uint8Array; result: { bytes: number; rows: number } }> {
  const chunks: Uint8Array[] = [];
  const w = createParquetWriter({ dataset, out: async (c) => void chunks.push(c.slice()), ...extra });
  for (const b of batches) await w.writeBatch(b);
  const result = await w.close();
  const bytes = new Uint8Array(Buffer.concat(chunks));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, bytes, result };
}

/** Rows [from, to) of a batch, sharing the arrays (so a test can split one batch into several). */
function slice(b: ColumnBatch, from: number, to: number): ColumnBatch {
  const columns: Record<string, ColumnBatch['columns'][string]> = {};
  for (const [name, col] of Object.entries(b.columns)) {
    switch (col.kind) {
      case 'utf8': {
        const base = col.offsets[from]!;
        columns[name] = {
          kind: 'utf8',
          offsets: col.offsets.slice(from, to + 1).map((o) => o - base),
          bytes: col.bytes.subarray(base, col.offsets[to]),
          ...(col.nulls ? { nulls: col.nulls.subarray(from, to) } : {}),
        };
        break;
      }
      case 'dict':
        columns[name] = { kind: 'dict', dictionary: col.dictionary, indices: col.indices.subarray(from, to) };
        break;
      default:
        columns[name] = { kind: col.kind, values: col.values.subarray(from, to) } as typeof col;
    }
  }
  return { rows: to - from, columns };
}

const decoder = new TextDecoder();
function stringAt(col: Utf8Column | DictColumn, i: number): string | null {
  if (col.kind === 'dict') return col.dictionary[col.indices[i]!]!;
  if (col.nulls?.[i] === 1) return null;
  return decoder.decode(col.bytes.subarray(col.offsets[i], col.offsets[i + 1]));
}

function strings(b: ColumnBatch, name: string): Utf8Column | DictColumn {
  const col = b.columns[name];
  if (col?.kind !== 'utf8' && col?.kind !== 'dict') throw new Error(`${name} is not a string column`);
  return col;
}
function int64s(b: ColumnBatch, name: string): BigInt64Array {
  const col = b.columns[name];
  if (col?.kind !== 'int64' && col?.kind !== 'timestamp_us') throw new Error(`${name} is not an int64 column`);
  return col.values;
}

async function duckRows(sql: string): Promise<unknown[][]> {
  return (await duck.runAndReadAll(sql)).getRowsJS() as unknown[][];
}

const N = 30_000;
const interactionsBatch = syntheticInteractions({ rows: N, seed: 7, nullShare: 0.01 });
const metadataBatch = syntheticMetadata({ rows: 5_000, seed: 3 });
/** 3000 rows in 6 pages of 500: sorted, unsorted, negative, constant, one value past 2^51, the full int64 range. */
function int64Edges(): { batch: ColumnBatch; expected: string[][] } {
  const n = 3000;
  const base = syntheticInteractions({ rows: n, seed: 5 });
  const ts = new BigInt64Array(n);
  const dur = new BigInt64Array(n);
  let x = 0x2545f4914f6cdd1dn;
  const next = (): bigint => {
    x ^= (x << 13n) & 0xffffffffffffffffn;
    x ^= x >> 7n;
    x ^= (x << 17n) & 0xffffffffffffffffn;
    return BigInt.asIntN(64, x);
  };
  for (let i = 0; i < n; i++) {
    const page = Math.floor(i / 500);
    const r = next();
    ts[i] = [
      1_700_000_000_000_000n + BigInt(i),
      1_700_000_000_000_000n + (r % 86_400_000_000n),
      -(r < 0n ? -r : r) % 2_000_000_000_000_000n,
      1_700_000_000_000_000n,
      i === 2321 ? 32_503_680_000_000_000n : 1_700_000_000_000_000n - BigInt(i), // year 3000: past 2^51
      r % 9_000_000_000_000_000n, // ±285 000 years: DuckDB's TIMESTAMPTZ range
    ][page]!;
    dur[i] = [BigInt(i % 7), r % 1_000_000n, -(r < 0n ? -r : r) % 4_000_000_000n, 42n, i === 2200 ? 2n ** 62n : 5n, r][page]!;
  }
  const batch: ColumnBatch = {
    rows: n,
    columns: { ...base.columns, timestamp: { kind: 'timestamp_us', values: ts }, duration_ms: { kind: 'int64', values: dur } },
  };
  return { batch, expected: Array.from({ length: n }, (_, i) => [String(ts[i]), String(dur[i])]) };
}
const { batch: edgeBatch, expected: edgeExpected } = int64Edges();
let edgesPath = '';
let interactionsPath = '';
let metadataPath = '';

describe('parquet writer', () => {
  it('round-trips every value through DuckDB, across several row groups and batches', async () => {
    const batches = [slice(interactionsBatch, 0, 10_000), slice(interactionsBatch, 10_000, 10_000), slice(interactionsBatch, 10_000, N)];
    const { path, result } = await writeFile('interactions.parquet', interactions, batches, { rowGroupRows: 12_000, pageRows: 5_000 });
    interactionsPath = path;
    expect(result.rows).toBe(N);

    const types = await duckRows(`DESCRIBE SELECT * FROM read_parquet('${path}')`);
    expect(types.map((r) => [r[0], r[1]])).toEqual([
      ['user_id', 'VARCHAR'],
      ['timestamp', 'TIMESTAMP WITH TIME ZONE'],
      ['action_type', 'VARCHAR'],
      ['page_id', 'VARCHAR'],
      ['duration_ms', 'BIGINT'],
      ['app_version', 'VARCHAR'],
    ]);
    const groups = await duckRows(`SELECT count(DISTINCT row_group_id), max(row_group_num_rows) FROM parquet_metadata('${path}')`);
    expect(groups[0]).toEqual([3n, 12_000n]);

    const rows = await duckRows(
      `SELECT user_id, epoch_us(timestamp), action_type, page_id, duration_ms, app_version
       FROM read_parquet('${path}', file_row_number = true) ORDER BY file_row_number`,
    );
    expect(rows.length).toBe(N);
    const b = interactionsBatch;
    let nulls = 0;
    for (let i = 0; i < N; i++) {
      const expected = [
        stringAt(strings(b, 'user_id'), i),
        int64s(b, 'timestamp')[i],
        stringAt(strings(b, 'action_type'), i),
        stringAt(strings(b, 'page_id'), i),
        int64s(b, 'duration_ms')[i],
        stringAt(strings(b, 'app_version'), i),
      ];
      if (expected[0] === null) nulls++;
      if (
        JSON.stringify(rows[i], (_, v) => (typeof v === 'bigint' ? v.toString() : v)) !==
        JSON.stringify(expected, (_, v) => (typeof v === 'bigint' ? v.toString() : v))
      ) {
        expect({ row: i, got: rows[i] }).toEqual({ row: i, got: expected });
      }
    }
    expect(nulls).toBeGreaterThan(100); // the null path was really exercised
  });

  it('round-trips int64 edge cases (DELTA pages, PLAIN fallback pages, zero-width blocks) through DuckDB', async () => {
    const { path } = await writeFile('edges.parquet', interactions, [edgeBatch], { pageRows: 500 });
    edgesPath = path;
    const rows = await duckRows(
      `SELECT epoch_us(timestamp)::VARCHAR, duration_ms::VARCHAR FROM read_parquet('${path}', file_row_number = true) ORDER BY file_row_number`,
    );
    expect(rows).toEqual(edgeExpected);
    const encodings = await duckRows(`SELECT DISTINCT encodings FROM parquet_metadata('${path}') WHERE path_in_schema = 'duration_ms'`);
    expect(String(encodings[0])).toMatch(/PLAIN/); // the fallback really happened
    expect(String(encodings[0])).toMatch(/DELTA_BINARY_PACKED/);
  });

  it('round-trips metadata (DATE, plain and dictionary strings) through DuckDB', async () => {
    // several full pages: every page-flush path of INT32 and plain/dictionary strings runs
    const { path } = await writeFile('metadata.parquet', metadata, [metadataBatch], { pageRows: 1024 });
    metadataPath = path;
    const rows = await duckRows(
      `SELECT user_id, date_diff('day', DATE '1970-01-01', join_date), device_type, subscription_type, typeof(join_date)
       FROM read_parquet('${path}', file_row_number = true) ORDER BY file_row_number`,
    );
    const m = metadataBatch;
    const joinDate = m.columns.join_date;
    if (joinDate?.kind !== 'date32') throw new Error('join_date is not a date32 column');
    const dates = joinDate.values;
    for (let i = 0; i < metadataBatch.rows; i += 1) {
      const expected = [
        stringAt(strings(m, 'user_id'), i),
        BigInt(dates[i]!),
        stringAt(strings(m, 'device_type'), i),
        stringAt(strings(m, 'subscription_type'), i),
        'DATE',
      ];
      const got = rows[i]!.map((v) => (typeof v === 'number' ? BigInt(v) : v));
      if (
        JSON.stringify(got, (_, v) => (typeof v === 'bigint' ? v.toString() : v)) !==
        JSON.stringify(expected, (_, v) => (typeof v === 'bigint' ? v.toString() : v))
      ) {
        expect({ row: i, got }).toEqual({ row: i, got: expected });
      }
    }
  });

  it('is byte-identical for identical input, however the input is split into batches', async () => {
    const a = await writeFile('a.parquet', interactions, [interactionsBatch], { rowGroupRows: 12_000, pageRows: 5_000 });
    const b = await writeFile('b.parquet', interactions, [slice(interactionsBatch, 0, 7), slice(interactionsBatch, 7, N)], {
      rowGroupRows: 12_000,
      pageRows: 5_000,
    });
    expect(Buffer.compare(a.bytes, b.bytes)).toBe(0);
    const c = await writeFile('c.parquet', interactions, [syntheticInteractions({ rows: N, seed: 8, nullShare: 0.01 })], {
      rowGroupRows: 12_000,
      pageRows: 5_000,
    });
    expect(Buffer.compare(a.bytes, c.bytes)).not.toBe(0);
  });

  it('merges batches whose dictionaries differ into one chunk dictionary', async () => {
    const base = slice(metadataBatch, 0, 6);
    const withDevices = (dictionary: string[], indices: number[]): ColumnBatch => ({
      rows: 3,
      columns: { ...slice(base, 0, 3).columns, device_type: { kind: 'dict', dictionary, indices: Int32Array.from(indices) } },
    });
    const { path } = await writeFile('dict-merge.parquet', metadata, [withDevices(['x', 'y'], [1, 0, 1]), withDevices(['y', 'z', 'x', 'unused'], [2, 1, 0])]);
    const rows = await duckRows(`SELECT device_type FROM read_parquet('${path}', file_row_number = true) ORDER BY file_row_number`);
    expect(rows.map((r) => r[0])).toEqual(['y', 'x', 'y', 'x', 'z', 'y']);
    const stats = await duckRows(`SELECT stats_min_value, stats_max_value FROM parquet_metadata('${path}') WHERE path_in_schema = 'device_type'`);
    expect(stats).toEqual([['x', 'z']]); // 'unused' is in a batch dictionary but in no row
  });

  it('merges large batch dictionaries (lazily mapped) that differ, and one with repeated values', async () => {
    const base = slice(metadataBatch, 0, 3);
    const withDevices = (dictionary: string[], indices: number[]): ColumnBatch => ({
      rows: 3,
      columns: { ...base.columns, device_type: { kind: 'dict', dictionary, indices: Int32Array.from(indices) } },
    });
    const big = (prefix: string) => Array.from({ length: 300 }, (_, i) => `${prefix}${i}`);
    const a = big('d'); // 300 > EAGER_DICTIONARY: mapped value by value, no string index while it is the only one
    const b = [...big('e'), 'd7', 'd299']; // a second large dictionary sharing two values with the first
    const repeated = [...big('d'), 'd5']; // a value twice in one dictionary
    const { path } = await writeFile('dict-large.parquet', metadata, [
      withDevices(a, [7, 299, 7]),
      withDevices(b, [300, 0, 301]),
      withDevices(repeated, [300, 5, 8]),
    ]);
    const rows = await duckRows(`SELECT device_type FROM read_parquet('${path}', file_row_number = true) ORDER BY file_row_number`);
    expect(rows.map((r) => r[0])).toEqual(['d7', 'd299', 'd7', 'd7', 'e0', 'd299', 'd5', 'd5', 'd8']);
    // The chunk dictionary holds each used value once (pyarrow reads it as is), also when the repeated value comes
    // in the chunk's first dictionary.
    const first = await writeFile('dict-repeated.parquet', metadata, [withDevices(repeated, [300, 5, 8])]);
    const sizes = execFileSync(
      python,
      [
        '-c',
        `import sys, pyarrow.parquet as pq
print(",".join(str(len(pq.ParquetFile(p, read_dictionary=["device_type"]).read_row_group(0, columns=["device_type"]).column(0).chunk(0).dictionary)) for p in sys.argv[1:]))`,
        path,
        first.path,
      ],
      { encoding: 'utf8' },
    ).trim();
    expect(sizes).toBe('5,2');
  });

  it('writes a readable file from no rows, from empty batches, and from one row', async () => {
    const empty = await writeFile('empty.parquet', interactions, [slice(interactionsBatch, 0, 0)]);
    expect(empty.result).toEqual({ bytes: empty.bytes.length, rows: 0 });
    expect(await duckRows(`SELECT count(*) FROM read_parquet('${empty.path}')`)).toEqual([[0n]]);
    // a page of nulls only (PLAIN, no values) between front-coded pages
    const nullRows = slice(interactionsBatch, 0, 10);
    const allNull: ColumnBatch = {
      rows: 10,
      columns: { ...nullRows.columns, user_id: { kind: 'utf8', offsets: new Int32Array(11), bytes: new Uint8Array(0), nulls: new Uint8Array(10).fill(1) } },
    };
    const mixed = await writeFile('null-page.parquet', interactions, [slice(interactionsBatch, 0, 10), allNull, slice(interactionsBatch, 10, 20)], {
      pageRows: 10,
    });
    const ids = await duckRows(`SELECT user_id FROM read_parquet('${mixed.path}', file_row_number = true) ORDER BY file_row_number`);
    const userIds = strings(interactionsBatch, 'user_id');
    expect(ids.map((r) => r[0])).toEqual([
      ...Array.from({ length: 10 }, (_, i) => stringAt(userIds, i)),
      ...Array.from({ length: 10 }, () => null),
      ...Array.from({ length: 10 }, (_, i) => stringAt(userIds, 10 + i)),
    ]);

    const one = await writeFile('one.parquet', interactions, [slice(interactionsBatch, 0, 0), slice(interactionsBatch, 5, 6)]);
    expect(one.result.rows).toBe(1);
    const rows = await duckRows(`SELECT action_type, epoch_us(timestamp) FROM read_parquet('${one.path}')`);
    expect(rows).toEqual([
      [stringAt(interactionsBatch.columns.action_type as DictColumn, 5), (interactionsBatch.columns.timestamp as { values: BigInt64Array }).values[5]],
    ]);
  });

  it('flushes row groups by bytes too, and rejects bad batches before writing them', async () => {
    const { path, bytes } = await writeFile('small-groups.parquet', interactions, [interactionsBatch], { rowGroupBytes: 64 * 1024, pageRows: 1024 });
    const [[groups]] = (await duckRows(`SELECT count(DISTINCT row_group_id) FROM parquet_metadata('${path}')`)) as [[bigint]];
    expect(groups).toBeGreaterThan(3n);

    // Streaming: bytes leave through `out` as row groups fill, not at close (memory stays about one row group).
    let emitted = 0;
    let emittedBeforeClose = 0;
    const streaming = createParquetWriter({
      dataset: interactions,
      out: async (c) => {
        emitted += c.length;
      },
      rowGroupBytes: 64 * 1024,
      pageRows: 1024,
    });
    await streaming.writeBatch(interactionsBatch);
    emittedBeforeClose = emitted;
    await streaming.close();
    expect(emitted).toBe(bytes.length);
    expect(emittedBeforeClose).toBeGreaterThan(0.8 * emitted);

    const w = createParquetWriter({ dataset: metadata, out: async () => {} });
    const { join_date: _dropped, ...rest } = metadataBatch.columns;
    await expect(w.writeBatch({ rows: 10, columns: rest })).rejects.toThrow(ParquetInputError);
    await expect(w.writeBatch({ rows: 10, columns: { ...metadataBatch.columns, bogus: rest.user_id! } })).rejects.toThrow(/bogus/);
    await w.writeBatch(slice(metadataBatch, 0, 10)); // still usable after rejected input
    expect((await w.close()).rows).toBe(10);
  });

  it('reads back in pyarrow with timestamp[us, tz=UTC] and date32', () => {
    const out = execFileSync(python, [
      '-c',
      `import sys, json, pyarrow.parquet as pq
a = pq.read_table(sys.argv[1]); m = pq.read_table(sys.argv[2])
print(json.dumps({"a": [str(f.type) for f in a.schema], "m": [str(f.type) for f in m.schema],
  "nulls": a.column("user_id").null_count, "rows": a.num_rows, "first": a.column("timestamp").cast("int64")[0].as_py()}))`,
      interactionsPath,
      metadataPath,
    ]).toString();
    const got = JSON.parse(out) as { a: string[]; m: string[]; nulls: number; rows: number; first: number };
    expect(got.a).toEqual(['string', 'timestamp[us, tz=UTC]', 'string', 'string', 'int64', 'string']);
    expect(got.m).toEqual(['string', 'date32[day]', 'string', 'string']);
    expect(got.rows).toBe(N);
    const c = interactionsBatch.columns.user_id as Utf8Column;
    expect(got.nulls).toBe(c.nulls!.reduce((s, v) => s + v, 0));
    expect(BigInt(got.first)).toBe((interactionsBatch.columns.timestamp as { values: BigInt64Array }).values[0]);
  });

  it('writes exact per-row-group statistics (pyarrow reads them), which DuckDB then uses to skip row groups', async () => {
    const out = execFileSync(python, [
      '-c',
      `import sys, json, pyarrow.parquet as pq
m = pq.ParquetFile(sys.argv[1]).metadata
def raw(v): return v.decode() if isinstance(v, bytes) else str(v)
print(json.dumps([{m.row_group(g).column(j).path_in_schema: [s.null_count] + ([raw(s.min_raw), raw(s.max_raw)] if s.has_min_max else [])
  for j in range(m.num_columns) for s in [m.row_group(g).column(j).statistics]} for g in range(m.num_row_groups)]))`,
      interactionsPath,
    ]).toString();
    const got = JSON.parse(out) as Record<string, (string | number)[]>[];
    const b = interactionsBatch;
    const expected = [0, 12_000, 24_000].map((from) => {
      const to = Math.min(N, from + 12_000);
      const range = (xs: (bigint | string)[]): string[] => {
        const sorted = [...xs].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)); // JS string order = byte order for ASCII
        return [String(sorted[0]), String(sorted[sorted.length - 1])];
      };
      const rows = Array.from({ length: to - from }, (_, k) => from + k);
      const nulls = rows.filter((i) => stringAt(strings(b, 'user_id'), i) === null).length;
      return {
        user_id: [nulls],
        timestamp: [0, ...range(rows.map((i) => int64s(b, 'timestamp')[i]!))],
        action_type: [0, ...range(rows.map((i) => stringAt(strings(b, 'action_type'), i)!))],
        page_id: [0, ...range(rows.map((i) => stringAt(strings(b, 'page_id'), i)!))],
        duration_ms: [0, ...range(rows.map((i) => int64s(b, 'duration_ms')[i]!))],
        app_version: [0, ...range(rows.map((i) => stringAt(strings(b, 'app_version'), i)!))],
      };
    });
    expect(got).toEqual(expected);

    // A filter only the last row group can satisfy: DuckDB prunes by the statistics and must still count right.
    const ts = int64s(b, 'timestamp');
    const cut = ts[N - 100]!;
    const want = ts.filter((t) => t >= cut).length;
    const [[count]] = (await duckRows(
      `SELECT count(*) FROM read_parquet('${interactionsPath}') WHERE epoch_us(timestamp) >= ${cut} AND timestamp >= make_timestamptz(${cut})`,
    )) as [[bigint]];
    expect(Number(count)).toBe(want);
  });

  it('reads back in pyspark as string / timestamp / bigint / date', () => {
    const script = `import sys, json
from pyspark.sql import SparkSession
spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
  .config("spark.sql.session.timeZone", "UTC").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
a = spark.read.parquet(sys.argv[1]); m = spark.read.parquet(sys.argv[2])
edges = sorted(r[0] for r in spark.read.parquet(sys.argv[3])
  .selectExpr("concat(cast(unix_micros(timestamp) as string), '|', cast(duration_ms as string))").collect())
first = a.selectExpr("unix_micros(min(timestamp)) AS us").first()
print("RESULT " + json.dumps({"a": a.dtypes, "m": m.dtypes, "count": a.count(), "nulls": a.filter("user_id is null").count(),
  "first_us": first["us"], "dur_sum": a.selectExpr("sum(duration_ms)").first()[0],
  "min_date": str(m.selectExpr("min(join_date)").first()[0]), "premium": m.filter("subscription_type = 'premium'").count(), "edges": edges,
  "late": a.filter(a["timestamp"] >= spark.sql(f"SELECT timestamp_micros({sys.argv[4]}) AS t").first()["t"]).count(),
  "page0": a.filter("page_id = 'p0'").count(), "long": a.filter("duration_ms > 100000").count()}))
spark.stop()`;
    const out = execFileSync(python, ['-c', script, interactionsPath, metadataPath, edgesPath, String(int64s(interactionsBatch, 'timestamp')[N - 100])], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();
    const line = out.split('\n').find((l) => l.startsWith('RESULT '))!;
    const got = JSON.parse(line.slice(7)) as Record<string, unknown>;
    expect(got.a).toEqual([
      ['user_id', 'string'],
      ['timestamp', 'timestamp'],
      ['action_type', 'string'],
      ['page_id', 'string'],
      ['duration_ms', 'bigint'],
      ['app_version', 'string'],
    ]);
    expect(got.m).toEqual([
      ['user_id', 'string'],
      ['join_date', 'date'],
      ['device_type', 'string'],
      ['subscription_type', 'string'],
    ]);
    expect(got.count).toBe(N);
    const ic = interactionsBatch.columns;
    expect(got.nulls).toBe((ic.user_id as Utf8Column).nulls!.reduce((s, v) => s + v, 0));
    const durations = (ic.duration_ms as { values: BigInt64Array }).values;
    expect(BigInt(got.dur_sum as number)).toBe(durations.reduce((s, v) => s + v, 0n));
    expect(BigInt(got.first_us as number)).toBe((ic.timestamp as { values: BigInt64Array }).values[0]); // the smallest
    const dates = (metadataBatch.columns.join_date as { values: Int32Array }).values;
    const minDay = dates.reduce((m, v) => Math.min(m, v), Infinity);
    expect(got.min_date).toBe(new Date(minDay * 86_400_000).toISOString().slice(0, 10));
    const sub = metadataBatch.columns.subscription_type as DictColumn;
    expect(got.premium).toBe(sub.indices.filter((k) => sub.dictionary[k] === 'premium').length);
    // Python's sorted() orders by code point, as JS's default sort does for these ASCII strings
    expect(got.edges).toEqual(edgeExpected.map(([t, d]) => `${t}|${d}`).sort());
    // filters Spark pushes down to the row-group statistics
    const cut = int64s(interactionsBatch, 'timestamp')[N - 100]!;
    expect(got.late).toBe(int64s(interactionsBatch, 'timestamp').filter((t) => t >= cut).length);
    const pages = strings(interactionsBatch, 'page_id');
    expect(got.page0).toBe(Array.from({ length: N }, (_, i) => stringAt(pages, i)).filter((p) => p === 'p0').length);
    expect(got.long).toBe(int64s(interactionsBatch, 'duration_ms').filter((d) => d > 100_000n).length);
  }, 180_000);
});
