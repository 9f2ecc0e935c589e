// compareRuns over hand-built records with repeats: medians, spread flag, speedup, best among trusted rows.
import { describe, expect, it } from 'vitest';
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
