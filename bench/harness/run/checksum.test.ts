// Checksums over real Parquet written by DuckDB: order, partitioning and float summation order must not matter;
// any changed value must.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksumTables, diffChecksums, formatDifferences } from './checksum.ts';

const root = mkdtempSync(join(tmpdir(), 'bench-checksum-'));
let instance: DuckDBInstance;

async function write(out: string, table: string, select: string, partitionBy?: string): Promise<void> {
  const conn = await instance.connect();
  const target = join(root, out, table);
  const opts = partitionBy ? `(FORMAT PARQUET, PARTITION_BY (${partitionBy}))` : '(FORMAT PARQUET)';
  mkdirSync(partitionBy ? join(root, out) : target, { recursive: true });
  await conn.run(`COPY (${select}) TO '${partitionBy ? target : join(target, 'part-0.parquet')}' ${opts}`);
  conn.closeSync();
}

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  const rows = `SELECT i AS id, 'u' || (i % 7) AS user_id, (i % 5)::VARCHAR AS seg, DATE '2024-01-01' + (i % 3)::INTEGER AS day`;
  // a: plain order; b: reversed, columns reordered, partitioned by day, a double computed in another order
  await write('a', 'daily', `${rows}, (i * 0.1::DOUBLE + 0.2::DOUBLE) + 0.3::DOUBLE AS avg FROM range(500) t(i) ORDER BY i`);
  await write(
    'b',
    'daily',
    `SELECT avg, seg, user_id, id, day FROM (${rows}, (0.2::DOUBLE + 0.3::DOUBLE) + i * 0.1::DOUBLE AS avg FROM range(500) t(i)) ORDER BY id DESC`,
    'day',
  );
  await write('a', 'monthly', `SELECT 1 AS m, NULL::VARCHAR AS note`);
  await write('b', 'monthly', `SELECT 1 AS m, NULL::VARCHAR AS note`);
  // c: one value changed
  await write('c', 'daily', `${rows}, CASE WHEN i = 42 THEN 1.0::DOUBLE ELSE (i * 0.1::DOUBLE + 0.2::DOUBLE) + 0.3::DOUBLE END AS avg FROM range(500) t(i)`);
});
afterAll(() => instance?.closeSync());

describe('output checksums', () => {
  it('ignore row order, column order, partitioning and float summation order', async () => {
    const a = await checksumTables(join(root, 'a'));
    const b = await checksumTables(join(root, 'b'));
    expect(Object.keys(a)).toEqual(['daily', 'monthly']);
    expect(a.daily!.rows).toBe(500);
    expect(b).toEqual(a);
    expect(
      diffChecksums(
        new Map([
          ['a', a],
          ['b', b],
        ]),
      ),
    ).toEqual([]);
  });

  it('catch a changed value and a missing table, and print them as a table', async () => {
    const a = await checksumTables(join(root, 'a'));
    const c = await checksumTables(join(root, 'c'));
    expect(c.daily!.rows).toBe(500);
    expect(c.daily!.hash).not.toBe(a.daily!.hash);
    const differences = diffChecksums(
      new Map([
        ['c01-pre-r1', a],
        ['c01-post-r1', c],
      ]),
    );
    expect(differences.map((d) => d.table)).toEqual(['daily', 'monthly']);
    expect(differences[1]!.variants.map((v) => v.checksum)).toContain('missing');
    const text = formatDifferences(differences);
    expect(text).toMatch(/daily\s+500 rows #\d+\s+c01-pre-r1/);
    expect(text).toMatch(/monthly\s+missing\s+c01-post-r1/);
  });
});
