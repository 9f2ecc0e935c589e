// compareRuns over hand-built records with repeats: medians, spread flag, speedup, best among trusted rows.
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../cli.ts';
import { captureIo } from '../../fixtures/capture-io.ts';
import { REPO_ROOT } from '../../lib/paths.ts';
import type { LoadedRun } from '../run/load.ts';
import type { JobName, RunRecord } from '../run/types.ts';
import { compareRuns } from './compare.ts';
import { formatComparison } from './format.ts';
import { completedRun } from '../../fixtures/run-record.ts';

function record(configId: string, job: JobName, repeat: number, wallTimeMs: number, shuffle: number): RunRecord {
  const totals = {
    stages: 3,
    tasks: 10,
    inputBytes: 1,
    shuffleReadBytes: shuffle,
    shuffleWriteBytes: shuffle,
    memorySpilledBytes: 0,
    diskSpilledBytes: shuffle / 10,
    gcTimeMs: 1,
    executorRunTimeMs: 1,
    peakExecutionMemoryMaxBytes: 1,
  };
  return completedRun(configId, job, repeat, { wallTimeMs, totals });
}

const run: LoadedRun = {
  dir: '/r',
  meta: { runId: 'r1' } as LoadedRun['meta'],
  records: [
    // c01: steady; pre 100 s, post 50 s
    ...[100, 102, 98].map((w, i) => record('c01', 'pre', i + 1, w * 1000, 1000)),
    ...[50, 51, 49].map((w, i) => record('c01', 'post', i + 1, w * 1000, 400)),
    // c02: post median faster (40 s) but spread 100 %: not to be trusted, so not "best"
    ...[90, 91, 92].map((w, i) => record('c02', 'pre', i + 1, w * 1000, 1000)),
    ...[20, 40, 60].map((w, i) => record('c02', 'post', i + 1, w * 1000, 400)),
  ],
};

// The same grid with the floor job beside pre and post: c01's floor 25 s, c02's floor 10 s.
const withFloor: LoadedRun = {
  ...run,
  records: [
    ...[25, 24, 26].map((w, i) => record('c01', 'floor', i + 1, w * 1000, 100)),
    ...run.records,
    ...[10, 11, 9].map((w, i) => record('c02', 'floor', i + 1, w * 1000, 100)),
  ],
};

describe('compareRuns with a baseline configuration (--baseline)', () => {
  it("each row against the same job's median at the baseline, and the baseline against the best", () => {
    const c = compareRuns({ runs: [run], maxSpread: 0.25, baseline: 'c02' });
    const x = (configId: string, job: JobName) => c.rows.find((r) => r.configId === configId && r.job === job)?.xBaseline;
    expect(x('c01', 'pre')).toBeCloseTo(100 / 91, 9);
    expect(x('c01', 'post')).toBeCloseTo(50 / 40, 9);
    expect(x('c02', 'post')).toBe(1);
    const text = formatComparison(c);
    expect(text).toContain('x c02');
    // best pre is c02 itself (1.00×); best post is c01 (c02's spread is too wide), c02 / c01 = 40 / 50.
    expect(text).toMatch(/best post: c01 .*\n {2}c02 against it: 0\.80× /);
    expect(compareRuns({ runs: [run], maxSpread: 0.25 }).rows.every((r) => Number.isNaN(r.xBaseline))).toBe(true);
  });

  it('the CLI on a committed run: the baseline against the best; an unknown id is one line, exit 2', async () => {
    const io = captureIo();
    try {
      const dir = join(REPO_ROOT, 'results', '2026-12-02-whatif-cluster-64mb');
      expect(await main(['compare', dir, '--baseline', 'c02'])).toBe(0);
      // post: 1 executor 69.2 s, 2 executors 76.7 s (docs/spark-ui-analysis.md, the what-if on the cluster).
      expect(io.out()).toMatch(/best post: c01 69\.2s median .*\n {2}c02 against it: 1\.11×/);
      expect(await main(['compare', dir, '--baseline', 'c09'])).toBe(2);
      expect(io.err().trim().split('\n')).toEqual([`bench: compare: --baseline c09: no such configuration in ${dir}`]);
    } finally {
      vi.restoreAllMocks();
    }
  });
});

describe('compareRuns', () => {
  it('medians, min–max, spread flag and speedup', () => {
    const c = compareRuns({ runs: [run], maxSpread: 0.25 });
    const c01post = c.rows.find((r) => r.configId === 'c01' && r.job === 'post')!;
    expect([c01post.wallMedianMs, c01post.wallMinMs, c01post.wallMaxMs]).toEqual([50_000, 49_000, 51_000]);
    expect(c01post.untrusted).toBe(false);
    const c02post = c.rows.find((r) => r.configId === 'c02' && r.job === 'post')!;
    expect(c02post.spread).toBeCloseTo(1.0);
    expect(c02post.untrusted).toBe(true);
    expect(c.speedups.find((s) => s.configId === 'c01')).toMatchObject({ speedup: 2, shuffleRatio: 0.4, spillRatio: 0.4 });
    expect(c.best.post!.configId).toBe('c01');
    expect(c.best.pre!.configId).toBe('c02');
    const text = formatComparison(c);
    expect(text).toMatch(/c02\s+post\s+3\s+40\.0s \(20\.0s–60\.0s\)\s+100%.*⚠ too wide/);
    expect(text).toMatch(/best post: c01 50\.0s median/);
    expect(c.rows.every((r) => Number.isNaN(r.xFloor))).toBe(true); // no floor job in this run
    expect(text).not.toMatch(/x floor:/);
  });

  it('each job as a multiple of the floor job measured at the same configuration in the same run', () => {
    const c = compareRuns({ runs: [withFloor], maxSpread: 0.25 });
    expect(c.rows.map((r) => `${r.configId} ${r.job}`)).toEqual(['c01 floor', 'c01 pre', 'c01 post', 'c02 floor', 'c02 pre', 'c02 post']);
    const x = (configId: string, job: JobName) => c.rows.find((r) => r.configId === configId && r.job === job)!.xFloor;
    expect([x('c01', 'floor'), x('c01', 'pre'), x('c01', 'post')]).toEqual([1, 4, 2]);
    expect([x('c02', 'pre'), x('c02', 'post')]).toEqual([9.1, 4]);
    expect(c.speedups.map((s) => s.speedup)).toEqual([2, 2.275]); // pre/post as before
    expect(c.best.post!.configId).toBe('c01');
    const text = formatComparison(c);
    expect(text).toMatch(/c01\s+floor\s+3\s+25\.0s \(24\.0s–26\.0s\)\s+8%\s+1\.00×/);
    expect(text).toMatch(/c02\s+post\s+3\s+40\.0s \(20\.0s–60\.0s\)\s+100%\s+4\.00×/);
    expect(text).toMatch(/x floor: median wall time \/ the floor job's median/);
  });

  it('older runs (no floor job, records without it) still compare', () => {
    const old: LoadedRun = {
      dir: '/r0',
      meta: { runId: 'r0' } as LoadedRun['meta'],
      records: run.records.map((r) => JSON.parse(JSON.stringify(r)) as RunRecord),
    };
    const c = compareRuns({ runs: [old, withFloor], maxSpread: 0.25 });
    expect(c.rows).toHaveLength(10);
    expect(c.rows.filter((r) => Number.isFinite(r.xFloor))).toHaveLength(6);
  });
});
