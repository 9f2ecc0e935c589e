// gen end to end against two other generators, measured in the same run, interleaved (gen, DuckDB, tpchgen, gen,
// ...) so a busy machine slows all three alike; medians of BENCH_COMPARE_RUNS. Not a test: compare the ratios.
//
// - gen: `gen --scale BENCH_GEN_SCALE --days 30` (the behaviour model on, 2 workers), wall clock from spawn to
//   exit; rows and bytes from its manifest; peak RSS from /usr/bin/time when the machine has it.
// - DuckDB COPY: the same number of interactions-like rows (six columns, values from hash(row, k), one snappy
//   Parquet file), `SET threads = 2`, wall clock of the statement.
// - tpchgen-cli (PyPI, the Rust TPC-H generator): `parquet -s 1 --tables lineitem`, 6 001 215 rows x 16 columns,
//   snappy; installed on first use into .cache/tpchgen (a venv), never in the test path.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { actionTypes } from '../schema.ts';

const repo = new URL('../../', import.meta.url).pathname;
const TPCHGEN_VERSION = '4.0.0';
const LINEITEM_SF1_ROWS = 6_001_215;
const LINEITEM_COLUMNS = 16;
/** Columns stored in gen's files (the partition columns are folder names). */
const GEN_INTERACTION_COLUMNS = 6;
const GEN_METADATA_COLUMNS = 4;

export interface CompareLine {
  readonly name: string;
  readonly rows: number;
  readonly values: number;
  readonly seconds: number;
  readonly peakRssBytes?: number | undefined;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function runGen(scale: string, dir: string): CompareLine | undefined {
  const out = join(dir, 'gen');
  const args = [
    join(repo, 'bin/gen.js'),
    '--scale',
    scale,
    '--days',
    '30',
    '--end',
    '2026-03-31',
    '--workers',
    '2',
    '--progress',
    'none',
    '--overwrite',
    '--out',
    out,
  ];
  const hasTime = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, ...args], { encoding: 'utf8' })
    : spawnSync(process.execPath, args, { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    process.stderr.write(`  gen failed (exit ${r.status}): ${String(r.stderr).slice(0, 400)}\n`);
    return undefined;
  }
  const m = JSON.parse(readFileSync(join(out, '_manifest.json'), 'utf8')) as Record<'interactions' | 'metadata', { rows: number }>;
  rmSync(out, { recursive: true, force: true });
  const rss = /maxrss_kb=(\d+)/.exec(String(r.stderr));
  return {
    name: `gen --scale ${scale} --days 30 (2 workers)`,
    rows: m.interactions.rows + m.metadata.rows,
    values: m.interactions.rows * GEN_INTERACTION_COLUMNS + m.metadata.rows * GEN_METADATA_COLUMNS,
    seconds,
    peakRssBytes: rss ? Number(rss[1]) * 1024 : undefined,
  };
}

async function runDuckdb(rows: number, dir: string): Promise<CompareLine> {
  const file = join(dir, 'duckdb.parquet');
  const actions = `[${actionTypes.values.map((a) => `'${a}'`).join(', ')}]`;
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    await con.run('SET threads = 2');
    const t0 = performance.now();
    await con.run(`COPY (
      SELECT 'u' || (hash(i, 0) % 300000)::VARCHAR AS user_id,
             TIMESTAMPTZ '2026-03-02 00:00:00+00' + to_microseconds((hash(i, 1) % 2592000000000)::BIGINT) AS "timestamp",
             ${actions}[1 + (hash(i, 2) % ${actionTypes.values.length})::INTEGER] AS action_type,
             'p' || (1 + hash(i, 3) % 20000)::VARCHAR AS page_id,
             (hash(i, 4) % 60000)::BIGINT AS duration_ms,
             ['5.0.0', '5.0.1', '5.0.2', '5.1.0', '5.1.1', '5.2.0'][1 + (hash(i, 5) % 6)::INTEGER] AS app_version
      FROM range(${rows}) t(i)
    ) TO '${file}' (FORMAT PARQUET, COMPRESSION snappy)`);
    const seconds = (performance.now() - t0) / 1000;
    return { name: 'DuckDB COPY, interactions-like, 2 threads', rows, values: rows * GEN_INTERACTION_COLUMNS, seconds };
  } finally {
    con.closeSync();
    db.closeSync();
    rmSync(file, { force: true });
  }
}

/** tpchgen-cli from .cache/tpchgen, installed there on first use; undefined (with the reason) if it cannot be. */
function tpchgenBinary(): string | undefined {
  const venv = join(repo, '.cache/tpchgen');
  const bin = join(venv, 'bin/tpchgen-cli');
  if (existsSync(bin)) return bin;
  process.stderr.write(`  installing tpchgen-cli ${TPCHGEN_VERSION} into .cache/tpchgen (once)\n`);
  const mk = spawnSync('python3', ['-m', 'venv', venv], { encoding: 'utf8' });
  const pip = mk.status === 0 ? spawnSync(join(venv, 'bin/pip'), ['install', '-q', `tpchgen-cli==${TPCHGEN_VERSION}`], { encoding: 'utf8' }) : mk;
  if (pip.status !== 0 || !existsSync(bin)) {
    process.stderr.write(`  tpchgen-cli unavailable: ${String(pip.stderr).trim().split('\n').pop()}\n`);
    return undefined;
  }
  return bin;
}

function runTpchgen(bin: string, dir: string): CompareLine | undefined {
  const out = join(dir, 'tpch');
  const t0 = performance.now();
  const r = spawnSync(bin, ['parquet', '-s', '1', '--tables', 'lineitem', '--overwrite', '--output-dir', out], { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  rmSync(out, { recursive: true, force: true });
  if (r.status !== 0) {
    process.stderr.write(`  tpchgen-cli failed: ${String(r.stderr).slice(0, 300)}\n`);
    return undefined;
  }
  return { name: 'tpchgen-cli parquet -s 1 --tables lineitem', rows: LINEITEM_SF1_ROWS, values: LINEITEM_SF1_ROWS * LINEITEM_COLUMNS, seconds };
}

function medianLine(lines: CompareLine[]): CompareLine {
  const first = lines[0]!;
  const rss = lines.map((l) => l.peakRssBytes).filter((x): x is number => x !== undefined);
  return {
    name: first.name,
    rows: first.rows,
    values: first.values,
    seconds: median(lines.map((l) => l.seconds)),
    peakRssBytes: rss.length > 0 ? Math.max(...rss) : undefined,
  };
}

export async function compareGenerators(opts: { scale: string; runs: number }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-compare-'));
  try {
    const tpch = tpchgenBinary();
    const gens: CompareLine[] = [];
    const ducks: CompareLine[] = [];
    const tpchs: CompareLine[] = [];
    for (let r = 0; r < opts.runs; r += 1) {
      const g = runGen(opts.scale, dir);
      if (!g) return;
      gens.push(g);
      process.stderr.write(`  run ${r + 1}/${opts.runs}: gen ${g.seconds.toFixed(1)} s`);
      const d = await runDuckdb(gens[0]!.rows, dir);
      ducks.push(d);
      process.stderr.write(`, DuckDB ${d.seconds.toFixed(1)} s`);
      if (tpch) {
        const t = runTpchgen(tpch, dir);
        if (t) tpchs.push(t);
        if (t) process.stderr.write(`, tpchgen-cli ${t.seconds.toFixed(1)} s`);
      }
      process.stderr.write('\n');
    }
    const lines = [medianLine(gens), medianLine(ducks), ...(tpchs.length > 0 ? [medianLine(tpchs)] : [])];
    const gen = lines[0]!;
    const pad = (s: string, n: number) => s.padEnd(n);
    console.log(
      `\n${pad(`generator (medians of ${opts.runs}, interleaved)`, 46)} ${pad('rows', 11)} ${pad('s', 7)} ${pad('M rows/s', 9)} ${pad('M values/s', 11)} peak RSS`,
    );
    for (const l of lines) {
      console.log(
        `${pad(l.name, 46)} ${pad(String(l.rows), 11)} ${pad(l.seconds.toFixed(2), 7)} ${pad((l.rows / l.seconds / 1e6).toFixed(2), 9)} ${pad((l.values / l.seconds / 1e6).toFixed(1), 11)} ${l.peakRssBytes === undefined ? '-' : `${(l.peakRssBytes / 2 ** 20).toFixed(0)} MiB`}`,
      );
    }
    const duck = lines[1]!;
    console.log(`gen / DuckDB COPY, rows per second: ${(gen.rows / gen.seconds / (duck.rows / duck.seconds)).toFixed(2)}x (target >= 1.5)`);
    if (tpchs.length > 0) {
      const t = lines[2]!;
      console.log(`gen / tpchgen-cli, column values per second: ${(gen.values / gen.seconds / (t.values / t.seconds)).toFixed(2)}x (target >= 1.0)`);
    }
    if (gen.peakRssBytes !== undefined) console.log(`gen peak RSS: ${(gen.peakRssBytes / 2 ** 20).toFixed(0)} MiB (target < 1024 MiB)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
