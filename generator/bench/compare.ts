// gen end to end against two other generators, measured in the same run, interleaved per repeat (gen, DuckDB,
// tpchgen, gen, ...) so a load change during the run hits both sides of a ratio alike; the ratios are taken per
// repeat and their median reported, beside each tool's median. Not a test: compare the ratios.
//
// - gen: `gen --scale BENCH_GEN_SCALE --days 30` (the behaviour model on, --workers = cores), wall clock from
//   spawn to exit; rows from its manifest; CPU and peak RSS from /usr/bin/time when the machine has it.
// - DuckDB COPY: the same number of interactions-like rows (six columns, values from hash(row, k), one snappy
//   Parquet file), `SET threads = cores`, wall clock of the statement, CPU from process.cpuUsage.
// - tpchgen-cli (PyPI, the Rust TPC-H generator): `parquet -s 1 --tables lineitem --num-threads cores`,
//   6 001 215 rows x 16 columns, snappy; installed on first use into .cache/tpchgen (a venv), never in the test
//   path.
// Every tool gets the same number of threads (BENCH_THREADS, default: the machine's cores), and "column values"
// are the values stored in the files for all three: rows x stored columns (gen's partition columns are folder
// names, so not counted; lineitem has 16 stored columns, DuckDB's table 6).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
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

interface Measured {
  readonly rows: number;
  readonly values: number;
  readonly seconds: number;
  /** user + system CPU seconds of the tool, all its threads; undefined where not measurable. */
  readonly cpuSeconds?: number | undefined;
  readonly peakRssBytes?: number | undefined;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs a child under /usr/bin/time (when present) for its CPU time and peak RSS. */
function timedSpawn(
  cmd: string,
  args: readonly string[],
): { status: number | null; stderr: string; seconds: number; cpuSeconds?: number; peakRssBytes?: number } {
  const hasTime = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', 'bench_time user=%U sys=%S maxrss_kb=%M', cmd, ...args], { encoding: 'utf8' })
    : spawnSync(cmd, [...args], { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  const stderr = String(r.stderr);
  const t = /bench_time user=([\d.]+) sys=([\d.]+) maxrss_kb=(\d+)/.exec(stderr);
  return {
    status: r.status,
    stderr,
    seconds,
    ...(t ? { cpuSeconds: Number(t[1]) + Number(t[2]), peakRssBytes: Number(t[3]) * 1024 } : {}),
  };
}

function runGen(scale: string, threads: number, dir: string): Measured | undefined {
  const out = join(dir, 'gen');
  const args = ['--scale', scale, '--days', '30', '--end', '2026-03-31', '--workers', String(threads), '--progress', 'none', '--overwrite', '--out', out];
  const r = timedSpawn(process.execPath, [join(repo, 'bin/gen.js'), ...args]);
  if (r.status !== 0) {
    process.stderr.write(`  gen failed (exit ${r.status}): ${r.stderr.slice(0, 400)}\n`);
    return undefined;
  }
  const m = JSON.parse(readFileSync(join(out, '_manifest.json'), 'utf8')) as Record<'interactions' | 'metadata', { rows: number }>;
  rmSync(out, { recursive: true, force: true });
  return {
    rows: m.interactions.rows + m.metadata.rows,
    values: m.interactions.rows * GEN_INTERACTION_COLUMNS + m.metadata.rows * GEN_METADATA_COLUMNS,
    seconds: r.seconds,
    cpuSeconds: r.cpuSeconds,
    peakRssBytes: r.peakRssBytes,
  };
}

async function runDuckdb(rows: number, threads: number, dir: string): Promise<Measured> {
  const file = join(dir, 'duckdb.parquet');
  const actions = `[${actionTypes.values.map((a) => `'${a}'`).join(', ')}]`;
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    await con.run(`SET threads = ${threads}`);
    const c0 = process.cpuUsage();
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
    const c = process.cpuUsage(c0);
    return { rows, values: rows * GEN_INTERACTION_COLUMNS, seconds, cpuSeconds: (c.user + c.system) / 1e6 };
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

function runTpchgen(bin: string, threads: number, dir: string): Measured | undefined {
  const out = join(dir, 'tpch');
  const r = timedSpawn(bin, ['parquet', '-s', '1', '--tables', 'lineitem', '--num-threads', String(threads), '--overwrite', '--output-dir', out]);
  rmSync(out, { recursive: true, force: true });
  if (r.status !== 0) {
    process.stderr.write(`  tpchgen-cli failed: ${r.stderr.slice(0, 300)}\n`);
    return undefined;
  }
  return { rows: LINEITEM_SF1_ROWS, values: LINEITEM_SF1_ROWS * LINEITEM_COLUMNS, seconds: r.seconds, cpuSeconds: r.cpuSeconds };
}

const rowsPerSecond = (m: Measured): number => m.rows / m.seconds;
const valuesPerSecond = (m: Measured): number => m.values / m.seconds;

function printTool(name: string, runs: readonly Measured[]): void {
  const pad = (s: string, n: number) => s.padEnd(n);
  const first = runs[0]!;
  const cpu = runs.map((r) => r.cpuSeconds).filter((x): x is number => x !== undefined);
  const cores = runs.filter((r) => r.cpuSeconds !== undefined).map((r) => r.cpuSeconds! / r.seconds);
  const rss = runs.map((r) => r.peakRssBytes).filter((x): x is number => x !== undefined);
  console.log(
    `${pad(name, 50)} ${pad(String(first.rows), 11)} ${pad(median(runs.map((r) => r.seconds)).toFixed(2), 7)} ${pad(cpu.length ? median(cpu).toFixed(1) : '-', 6)} ${pad(cores.length ? median(cores).toFixed(2) : '-', 6)} ${pad((median(runs.map(rowsPerSecond)) / 1e6).toFixed(2), 9)} ${pad((median(runs.map(valuesPerSecond)) / 1e6).toFixed(1), 11)} ${pad(cpu.length ? (median(runs.map((r) => r.values / r.cpuSeconds!)) / 1e6).toFixed(1) : '-', 13)} ${rss.length ? `${(Math.max(...rss) / 2 ** 20).toFixed(0)} MiB` : '-'}`,
  );
}

export async function compareGenerators(opts: { scale: string; runs: number }): Promise<void> {
  const threads = Number(process.env.BENCH_THREADS ?? availableParallelism());
  const dir = mkdtempSync(join(tmpdir(), 'bench-compare-'));
  const loads: number[] = [loadavg()[0]!];
  try {
    const tpch = tpchgenBinary();
    const gens: Measured[] = [];
    const ducks: Measured[] = [];
    const tpchs: Measured[] = [];
    const vsDuck: number[] = [];
    const vsTpch: number[] = [];
    for (let r = 0; r < opts.runs; r += 1) {
      const g = runGen(opts.scale, threads, dir);
      if (!g) return;
      gens.push(g);
      process.stderr.write(`  repeat ${r + 1}/${opts.runs}: gen ${g.seconds.toFixed(1)} s`);
      const d = await runDuckdb(gens[0]!.rows, threads, dir);
      ducks.push(d);
      vsDuck.push(rowsPerSecond(g) / rowsPerSecond(d));
      process.stderr.write(`, DuckDB ${d.seconds.toFixed(1)} s`);
      const t = tpch ? runTpchgen(tpch, threads, dir) : undefined;
      if (t) {
        tpchs.push(t);
        vsTpch.push(valuesPerSecond(g) / valuesPerSecond(t));
        process.stderr.write(`, tpchgen-cli ${t.seconds.toFixed(1)} s`);
      }
      loads.push(loadavg()[0]!);
      process.stderr.write(` (load ${loads[loads.length - 1]!.toFixed(1)})\n`);
    }
    const pad = (s: string, n: number) => s.padEnd(n);
    console.log(
      `\n${pad(`generator (medians of ${opts.runs}, interleaved, ${threads} threads each)`, 50)} ${pad('rows', 11)} ${pad('s', 7)} ${pad('CPU-s', 6)} ${pad('cores', 6)} ${pad('M rows/s', 9)} ${pad('M values/s', 11)} ${pad('M values/CPU-s', 13)} peak RSS`,
    );
    printTool(`gen --scale ${opts.scale} --days 30 --workers ${threads}`, gens);
    printTool(`DuckDB COPY, interactions-like, threads = ${threads}`, ducks);
    if (tpchs.length > 0) printTool(`tpchgen-cli parquet -s 1 lineitem --num-threads ${threads}`, tpchs);
    const list = (xs: readonly number[]) => xs.map((x) => x.toFixed(2)).join(', ');
    console.log(`gen / DuckDB COPY, rows per second: ${median(vsDuck).toFixed(2)}x median of per-repeat ratios [${list(vsDuck)}] (target >= 1.5)`);
    if (vsTpch.length > 0)
      console.log(`gen / tpchgen-cli, column values per second: ${median(vsTpch).toFixed(2)}x median of per-repeat ratios [${list(vsTpch)}] (target >= 1.0)`);
    const rss = gens.map((g) => g.peakRssBytes).filter((x): x is number => x !== undefined);
    if (rss.length > 0) console.log(`gen peak RSS: ${(Math.max(...rss) / 2 ** 20).toFixed(0)} MiB, max of ${rss.length} (target < 1024 MiB)`);
    console.log(`load average (1 min) before and after each repeat: ${list(loads)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
