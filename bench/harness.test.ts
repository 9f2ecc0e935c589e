// End to end on local mode: the smoke grid (plus one configuration that cannot start) through real spark-submit, real
// event logs and real Parquet; then compare, and the report opened in headless Chromium.
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from './cli.ts';
import { compareRuns } from './harness/compare/compare.ts';
import { captureIo } from './fixtures/capture-io.ts';
import { writeTinyDataset } from './fixtures/tiny-data.ts';
import { checkInBrowser } from './lib/browser.ts';
import { loadRun } from './harness/run/load.ts';
import type { RunRecord } from './harness/run/types.ts';
import { HARNESS_JOBS_DIR } from './fixtures/jobs-dir.ts';

const root = mkdtempSync(join(tmpdir(), 'bench-harness-'));
const runDir = join(root, 'run');
let exitCode: number;
let records: RunRecord[];
const stderr: string[] = [];
const standins = HARNESS_JOBS_DIR.endsWith('fixtures/jobs');

beforeAll(async () => {
  const data = await writeTinyDataset(join(root, 'data'));
  const smoke = JSON.parse(readFileSync('bench/grids/smoke.json', 'utf8')) as { base: object; configs: object[] };
  // A 1 MiB heap cannot start a JVM: a failed run that must be recorded while the grid goes on.
  const grid = join(root, 'grid.json');
  // The stand-in post job drops a row when told to: the one disagreement bench run must catch.
  const wrong = HARNESS_JOBS_DIR.endsWith('fixtures/jobs') ? { 'spark.bench.standinWrongPost': true } : {};
  // The grid names its jobs: the floor job beside pre and post (the stand-in's, or spark-jobs/floor_job.py).
  // The failing configuration names its one job ("jobs" in a configs entry): the others run every job of the grid.
  const configs = [{ executorMemory: '1m', jobs: ['pre'] }, smoke.configs[0], { ...smoke.configs[1], ...wrong }];
  writeFileSync(grid, JSON.stringify({ jobs: ['floor', 'pre', 'post'], base: smoke.base, configs }));
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => {
    stderr.push(String(chunk));
    return write(chunk);
  }) as typeof process.stderr.write;
  try {
    exitCode = await main(['run', '--configs', grid, '--data', data, '--jobs-dir', HARNESS_JOBS_DIR, '--out', runDir]);
  } finally {
    process.stderr.write = write;
  }
  records = readFileSync(join(runDir, 'runs.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as RunRecord);
}, 900_000); // a shared 2-core machine under load can take minutes per spark-submit

describe('bench run (local)', () => {
  it('records a failed configuration and goes on with the grid', () => {
    expect(records.map((r) => `${r.key}:${r.state}`)).toEqual([
      'c01-pre-r1:failed',
      'c02-floor-r1:completed',
      'c02-pre-r1:completed',
      'c02-post-r1:completed',
      'c03-floor-r1:completed',
      'c03-pre-r1:completed',
      'c03-post-r1:completed',
    ]);
    const failed = records[0]!;
    expect(failed.state === 'failed' && failed.error.message).toMatch(/heap|memory|VM/i);
    expect(stderr.join('')).toMatch(/run 3\/7 c02-pre-r1 \[.*\] · elapsed \d+s · ETA \d+/);
    expect(records.find((r) => r.key === 'c02-floor-r1')!.launch.sparkSubmitArgs.join(' ')).toMatch(
      /floor_job\.py --interactions \S+ --metadata \S+ --out \S+$/,
    );
  });

  it('fails loudly, exit 3 and a table of differences, when a run computes different tables', () => {
    if (!standins) return expect(exitCode).toBe(1); // the real jobs agree: only the failed runs make it non-zero
    expect(exitCode).toBe(3);
    const message = stderr.join('');
    expect(message).toMatch(/output tables differ between runs \(daily\)/);
    expect(message).toMatch(/daily\s+\d+ rows #\d+\s+c02-pre-r1, c02-post-r1, c03-pre-r1\n/);
    expect(message).toMatch(/daily\s+\d+ rows #\d+\s+c03-post-r1\n/);
    const { differences } = JSON.parse(readFileSync(join(runDir, 'checksums.json'), 'utf8')) as { differences: { table: string }[] };
    expect(differences.map((d) => d.table)).toEqual(['daily']);
  });

  it('records provenance, the launch mapping and per-stage metrics from the event log', () => {
    for (const r of records.filter((x) => x.state === 'completed')) {
      expect(r.sparkVersion).toBe('4.1.1');
      expect(r.gitCommit).toMatch(/^[0-9a-f]{40}/);
      expect(r.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(r.launch.master).toBe('local[2]');
      expect(r.wallTimeMs).toBeGreaterThan(1000);
      expect(existsSync(join(runDir, r.eventLog!))).toBe(true);
      expect(r.eventLogError).toBeUndefined();
      expect(r.stages.length).toBeGreaterThan(2);
      expect(r.totals!.tasks).toBeGreaterThan(2);
      expect(r.totals!.inputBytes).toBeGreaterThan(0);
      expect(r.totals!.shuffleWriteBytes).toBeGreaterThan(0);
      const s = r.stages.find((x) => x.tasks > 1)!;
      expect(s.taskTimeMs.max).toBeGreaterThanOrEqual(s.taskTimeMs.median);
    }
    // The AQE axis reached Spark: 8 shuffle partitions without AQE means 8-task stages.
    const noAqe = records.find((r) => r.key === 'c03-pre-r1')!;
    expect(noAqe.launch.sparkSubmitArgs).toContain('spark.sql.adaptive.enabled=false');
    expect(noAqe.stages.some((s) => s.tasks === 8)).toBe(true);
  });

  it('checksums every output table, identical across pre, post and configurations; the floor job agrees with itself', () => {
    const floors = records.filter((r) => r.state === 'completed' && r.job === 'floor');
    expect(floors).toHaveLength(2);
    expect(floors[0]!.state === 'completed' && Object.keys(floors[0]!.checksums).length).toBeGreaterThan(0);
    expect(floors[1]!.state === 'completed' && floors[1]!.checksums).toEqual(floors[0]!.state === 'completed' && floors[0]!.checksums);
    const done = records.filter((r) => r.state === 'completed' && r.job !== 'floor' && !(standins && r.key === 'c03-post-r1'));
    const first = done[0]!.state === 'completed' ? done[0]!.checksums : {};
    expect(Object.keys(first)).toEqual(expect.arrayContaining(['daily', 'daily_by_segment']));
    expect(Object.values(first).every((c) => c.rows > 0)).toBe(true);
    for (const r of done) expect(r.state === 'completed' && r.checksums).toEqual(first);
  });

  it('writes summary.csv with one row per run', () => {
    const lines = readFileSync(join(runDir, 'summary.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^key,job,config_id/);
    expect(lines).toHaveLength(8);
    expect(lines[1]).toMatch(/^c01-pre-r1,pre,c01,executorMemory=1m,1,failed,/);
    expect(lines[4]).toMatch(/^c02-post-r1,post,c02,aqe=true,1,completed,\d+,0,\d+,\d+,\d+,/);
  });
});

describe('bench compare and report', () => {
  it('compares: medians, x floor, speedup post/pre, the best configuration, single runs flagged', async () => {
    const c = compareRuns({ runs: [await loadRun(runDir)], maxSpread: 0.25 });
    expect(c.rows).toHaveLength(7);
    for (const r of c.rows.filter((x) => x.configId !== 'c01')) {
      const floor = c.rows.find((x) => x.configId === r.configId && x.job === 'floor')!;
      expect(r.xFloor).toBeCloseTo(r.wallMedianMs / floor.wallMedianMs, 10);
    }
    expect(c.rows.filter((r) => r.configId === 'c01').every((r) => Number.isNaN(r.xFloor))).toBe(true);
    expect(c.rows.find((r) => r.configId === 'c01')!.completed).toBe(0);
    expect(c.speedups.map((s) => s.configId)).toEqual(['c02', 'c03']);
    expect(c.speedups.every((s) => s.speedup > 0)).toBe(true);
    expect(['c02', 'c03']).toContain(c.best.post!.configId);
    expect(c.rows.filter((r) => r.completed === 1).every((r) => r.untrusted)).toBe(true);
    const io = captureIo();
    try {
      expect(await main(['compare', runDir])).toBe(0);
    } finally {
      vi.restoreAllMocks();
    }
    expect(io.out()).toMatch(/c02\s+floor\s+1\s+\S+ \(\S+\)\s+0%\s+1\.00×/);
    expect(io.out()).toMatch(/x floor: median wall time/);
  });

  it('renders a self-contained report whose charts draw in headless Chromium, offline', async () => {
    expect(await main(['report', runDir])).toBe(0);
    const html = join(runDir, 'report.html');
    const text = readFileSync(html, 'utf8');
    expect(text).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const check = await checkInBrowser(html, join(runDir, 'report.png'));
    expect(check.consoleErrors).toEqual([]);
    expect(check.requests).toEqual([]);
    const ids = check.charts.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['wall-time', 'stage-breakdown', 'shuffle', 'spill', 'task-time-c02-pre-r1', 'task-time-c03-post-r1']));
    for (const chart of check.charts) {
      expect(chart.width).toBeGreaterThan(100);
      expect(chart.height).toBeGreaterThan(40);
      if (!chart.allZero) expect(chart.drawn).toBeGreaterThan(0);
    }
    expect(check.charts.find((c) => c.id === 'wall-time')!.marks).toBe(6);
    expect(text).toMatch(/<th[^>]*>x floor<\/th>/);
    expect(text).toMatch(/<td>c02<\/td><td>floor<\/td>.*?<td>1\.00×<\/td>/);
    expect(statSync(join(runDir, 'report.png')).size).toBeGreaterThan(10_000);
  });
});
