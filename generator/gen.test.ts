// End to end: the bin's engine writes real Parquet; DuckDB (and pyspark, below) read it back independently.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countries, interactions as interactionsSchema } from './schema.ts';
import { gen, interactionsGlob, metadataGlob, query, readTree } from './testing.ts';

const root = mkdtempSync(join(tmpdir(), 'gen-e2e-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Small but complete: 20 days, every bad-row kind, orphans, bots, silent users.
const ARGS = ['--scale', '2mb', '--days', '20', '--end', '2026-03-31', '--metadata-scale', '96kb', '--bad-rows', '0.02', '--file-size', '1mb'];
const A = join(root, 'a');
// biome-ignore lint/suspicious/noExplicitAny: the test reads _manifest.json as gen wrote it, field by field
let manifest: any;

beforeAll(async () => {
  const r = await gen([...ARGS, '--workers', '2', '--out', A]);
  expect(r.stderr).toMatch(/files written/);
  expect(r.code).toBe(0);
  manifest = JSON.parse(readFileSync(join(A, '_manifest.json'), 'utf8'));
});

describe('determinism', () => {
  it('the same arguments give byte-identical files, whatever the worker count', async () => {
    const B = join(root, 'b');
    expect((await gen([...ARGS, '--workers', '1', '--out', B])).code).toBe(0);
    const a = readTree(A);
    const b = readTree(B);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [k, v] of a) expect(b.get(k)!.equals(v), k).toBe(true);
    rmSync(B, { recursive: true });
  });

  it('the union of --shards 3 runs equals the unsharded run, byte for byte, and the last shard assembles the manifest', async () => {
    const C = join(root, 'c');
    for (let i = 0; i < 3; i += 1) {
      const r = await gen([...ARGS, '--workers', '1', '--shards', '3', '--shard', String(i), '--out', C]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(i < 2 ? /waits for the other shards/ : /manifest/);
    }
    const a = readTree(A);
    const c = readTree(C);
    const data = (m: Map<string, Buffer>) => [...m.keys()].filter((k) => k.endsWith('.parquet'));
    expect(data(c)).toEqual(data(a));
    for (const k of data(a)) expect(c.get(k)!.equals(a.get(k)!), k).toBe(true);
    expect(c.get('_manifest.json')!.equals(a.get('_manifest.json')!)).toBe(true);
    rmSync(C, { recursive: true });
  });
});

describe('layout and types (DuckDB)', () => {
  it('writes Hive-style partitions: one folder per day and per country with users, part-NNNNN files', () => {
    const days = readdirSync(join(A, 'interactions')).sort();
    expect(days).toHaveLength(20);
    expect(days[0]).toBe('date=2026-03-12');
    expect(days[19]).toBe('date=2026-03-31');
    for (const d of days) expect(readdirSync(join(A, 'interactions', d))).toEqual(['part-00000.parquet']);
    const cs = readdirSync(join(A, 'metadata')).sort();
    expect(cs).toEqual(countries.map((c) => `country=${c.code}`).sort());
  });

  it('reads back with the challenge schema, the partition column usable', async () => {
    const it = await query(`DESCRIBE SELECT * FROM ${interactionsGlob(A)}`);
    expect(Object.fromEntries(it.map((r) => [r.column_name, r.column_type]))).toEqual({
      user_id: 'VARCHAR',
      timestamp: 'TIMESTAMP WITH TIME ZONE',
      action_type: 'VARCHAR',
      page_id: 'VARCHAR',
      duration_ms: 'BIGINT',
      app_version: 'VARCHAR',
      date: 'DATE',
    });
    expect(it.map((r) => r.column_name).slice(0, 6)).toEqual(interactionsSchema.columns.map((c) => c.name));
    const md = await query(`DESCRIBE SELECT * FROM ${metadataGlob(A)}`);
    expect(Object.fromEntries(md.map((r) => [r.column_name, r.column_type]))).toEqual({
      user_id: 'VARCHAR',
      join_date: 'DATE',
      device_type: 'VARCHAR',
      subscription_type: 'VARCHAR',
      country: 'VARCHAR',
    });
    // partition date = UTC date of the timestamp for every good row (future-timestamp rows stay where they came from)
    const [wrong] = await query(
      `SELECT count(*) AS n FROM ${interactionsGlob(A)} WHERE CAST(timestamp AS DATE) <> date AND timestamp < TIMESTAMPTZ '2027-01-01'`,
    );
    expect(wrong!.n).toBe(0);
    const [us] = await query(`SELECT count(*) AS n FROM ${metadataGlob(A)} WHERE country = 'US'`);
    expect(us!.n).toBe(manifest.metadata.partitions.US.rows);
  });
});

describe('manifest truths equal counts recomputed from the files', () => {
  it('rows per partition and in total', async () => {
    const rows = await query(`SELECT CAST(date AS VARCHAR) AS d, count(*) AS n FROM ${interactionsGlob(A)} GROUP BY 1`);
    const fromFiles = Object.fromEntries(rows.map((r) => [r.d, r.n]));
    const fromManifest = Object.fromEntries(Object.entries(manifest.interactions.partitions).map(([d, p]) => [d, (p as { rows: number }).rows]));
    expect(fromFiles).toEqual(fromManifest);
    const [md] = await query(`SELECT count(*) AS n, count(DISTINCT user_id) AS u FROM ${metadataGlob(A)}`);
    expect(md).toEqual({ n: manifest.users, u: manifest.users });
  });

  it('bad rows by kind', async () => {
    const g = interactionsGlob(A);
    const [r] = await query(`SELECT
        count(*) FILTER (WHERE user_id IS NULL) AS null_user_id,
        count(*) FILTER (WHERE duration_ms < 0) AS negative_duration,
        count(*) FILTER (WHERE timestamp >= TIMESTAMPTZ '2027-01-01') AS future_timestamp,
        count(*) FILTER (WHERE action_type = 'unknown_action') AS unknown_action_type,
        count(*) - (SELECT count(*) FROM (SELECT DISTINCT * FROM ${g})) AS duplicate
      FROM ${g}`);
    const { total, ...kinds } = manifest.badRows;
    expect(r).toEqual(kinds);
    for (const v of Object.values(kinds)) expect(v as number).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(0.015 * manifest.interactions.rows);
  });

  it('hot keys: the top 20 users with exact event counts, bots among them', async () => {
    const top = await query(`SELECT user_id, count(*) AS events FROM ${interactionsGlob(A)} WHERE user_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20`);
    expect(manifest.hotKeys).toEqual(top);
    const bots = new Set(manifest.bots.map((b: { user_id: string }) => b.user_id));
    expect(top.filter((t) => bots.has(t.user_id)).length).toBeGreaterThanOrEqual(2);
  });

  it("orphans, silent users, and join_date on or before every user's first event", async () => {
    const g = interactionsGlob(A);
    const [o] = await query(
      `SELECT count(*) AS rows, count(DISTINCT user_id) AS users FROM ${g} WHERE CAST(substr(user_id, 2) AS BIGINT) >= ${manifest.users}`,
    );
    expect(o!.rows).toBe(manifest.orphanRows);
    expect(o!.rows).toBeGreaterThan(0);
    expect(o!.users).toBeLessThanOrEqual(manifest.orphanUsers.idTo - manifest.orphanUsers.idFrom);
    const [s] = await query(`SELECT count(*) AS n FROM ${metadataGlob(A)} m WHERE NOT EXISTS (SELECT 1 FROM ${g} i WHERE i.user_id = m.user_id)`);
    // A silent user has no events; a user whose only event became a null-user_id bad row looks silent too.
    expect(s!.n).toBeGreaterThanOrEqual(manifest.silentUsers);
    expect(s!.n).toBeLessThanOrEqual(manifest.silentUsers + manifest.badRows.null_user_id);
    expect(manifest.silentUsers).toBeGreaterThan(0.01 * manifest.users);
    const [late] = await query(
      `SELECT count(*) AS n FROM (SELECT user_id, min(timestamp) AS first FROM ${g} GROUP BY 1) f
       JOIN ${metadataGlob(A)} m USING (user_id) WHERE m.join_date > CAST(f.first AS DATE)`,
    );
    expect(late!.n).toBe(0);
  });

  it('sessions: gaps just under and just over 30 minutes, and sessions across midnight', async () => {
    const [r] = await query(`WITH e AS (
        SELECT user_id, date, timestamp, lag(timestamp) OVER (PARTITION BY user_id ORDER BY timestamp) AS prev
        FROM ${interactionsGlob(A)} WHERE user_id IS NOT NULL AND timestamp < TIMESTAMPTZ '2027-01-01')
      SELECT
        count(*) FILTER (WHERE timestamp - prev BETWEEN INTERVAL 29 MINUTE AND INTERVAL 30 MINUTE) AS under,
        count(*) FILTER (WHERE timestamp - prev BETWEEN INTERVAL 30 MINUTE AND INTERVAL 31 MINUTE) AS over,
        count(*) FILTER (WHERE CAST(prev AS DATE) < date AND timestamp - prev < INTERVAL 10 MINUTE) AS midnight
      FROM e`);
    expect(r!.under).toBeGreaterThan(0);
    expect(r!.over).toBeGreaterThan(0);
    expect(r!.midnight).toBeGreaterThan(0);
  });
});

describe('pyspark reads the same types', () => {
  it('timestamp is TimestampType (not timestamp_ntz), dates are dates, partition columns typed', () => {
    const script = `
import json, sys
from pyspark.sql import SparkSession
spark = (SparkSession.builder.master('local[1]').config('spark.ui.enabled', 'false')
         .config('spark.sql.shuffle.partitions', '2').getOrCreate())
i = spark.read.parquet(sys.argv[1] + '/interactions')
m = spark.read.parquet(sys.argv[1] + '/metadata')
print(json.dumps({'interactions': dict(i.dtypes), 'metadata': dict(m.dtypes), 'rows': i.count()}))
spark.stop()
`;
    const r = spawnSync(join(process.cwd(), '.venv/bin/python'), ['-c', script, A], { encoding: 'utf8', timeout: 240_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.interactions).toEqual({
      user_id: 'string',
      timestamp: 'timestamp',
      action_type: 'string',
      page_id: 'string',
      duration_ms: 'bigint',
      app_version: 'string',
      date: 'date',
    });
    expect(out.metadata).toEqual({ user_id: 'string', join_date: 'date', device_type: 'string', subscription_type: 'string', country: 'string' });
    expect(out.rows).toBe(manifest.interactions.rows);
  });
});
