// bench whatif-check: pairing and error maths on synthetic runs, then the stated bound on a committed real run.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli.ts';
import { captureIo } from '../../fixtures/capture-io.ts';
import { REPO_ROOT } from '../../lib/paths.ts';
import type { AppSummary, TaskRecord } from '../../sparklog/eventlog/types.ts';
import type { RunConfig } from '../grid/schema.ts';
import type { JobName } from '../run/types.ts';
import { checkWhatIf, estimateSubmitWallMs, type RecordedRun, type WhatIfCheck } from './whatif-check.ts';

/** One job of one stage of `tasks` tasks of `taskMs` each, run on `slots` slots, inside an app that starts at 0. */
function app(slots: number, tasks: number, taskMs: number, driverBeforeMs: number, driverAfterMs: number): AppSummary {
  const waves = Math.ceil(tasks / slots);
  const jobEnd = driverBeforeMs + waves * taskMs;
  const taskList = Array.from({ length: tasks }, (_, i) => {
    const launch = driverBeforeMs + Math.floor(i / slots) * taskMs;
    return { stageId: 0, taskId: i, durationMs: taskMs, launchTimeMs: launch, finishTimeMs: launch + taskMs } as unknown as TaskRecord;
  });
  return {
    appId: `app-${slots}`,
    appName: 'synthetic',
    sparkVersion: '4.1.1',
    startTimeMs: 0,
    endTimeMs: jobEnd + driverAfterMs,
    sparkProperties: {},
    executors: [{ id: 'driver', host: 'localhost', cores: slots }],
    jobs: [{ jobId: 0, stageIds: [0], submissionTimeMs: driverBeforeMs, completionTimeMs: jobEnd, succeeded: true }],
    stages: [{ stageId: 0, attemptId: 0, parentIds: [] }],
    sql: [],
    tasks: taskList,
  } as unknown as AppSummary;
}

function config(executorCores: number | undefined, partitions = '8'): RunConfig {
  return {
    executors: 1,
    ...(executorCores !== undefined && { executorCores }),
    driverMemory: '2g',
    postJob: {},
    sparkConf: { 'spark.sql.shuffle.partitions': partitions, 'spark.sql.adaptive.enabled': 'true' },
  };
}

function run(key: string, job: JobName, configId: string, cfg: RunConfig, wallTimeMs: number, summary: AppSummary): RecordedRun {
  return { key, job, configId, configLabel: configId, config: cfg, wallTimeMs, summary };
}

describe('whatif-check: pairing and error maths', () => {
  // A = 1×1: 4 tasks × 1 s on 1 slot → 4 s of job; app 0..5 s; spark-submit 8 s → 4 s carried over.
  // B = 1×2: the same tasks on 2 slots → 2 s of job; app 0..3 s; spark-submit 6.6 s → 4.6 s carried over.
  const a = app(1, 4, 1000, 500, 500);
  const b = app(2, 4, 1000, 500, 500);

  it('carries the time outside the jobs over and replays the jobs on the target slots', () => {
    const r = run('c01-pre-r1', 'pre', 'c01', config(1), 8000, a);
    expect(estimateSubmitWallMs(r, { executors: 1, coresPerExecutor: 2 })).toEqual({ estimateMs: 4000 + 2000, carriedOverMs: 4000 });
    expect(estimateSubmitWallMs(r, { executors: 1, coresPerExecutor: 1 })).toEqual({ estimateMs: 8000, carriedOverMs: 4000 });
    // 2 executors × 1 core is the same 2 slots.
    expect(estimateSubmitWallMs(r, { executors: 2, coresPerExecutor: 1 }).estimateMs).toBe(6000);
  });

  it('pairs layouts of the same job and settings, both ways and onto themselves, with medians over repeats', () => {
    const check = checkWhatIf({
      runs: [
        run('c01-pre-r1', 'pre', 'c01', config(1), 8000, a),
        run('c01-pre-r2', 'pre', 'c01', config(1), 9000, a), // carried over 5 s → estimates 7 s onto B
        run('c01-pre-r3', 'pre', 'c01', config(1), 10000, a), // carried over 6 s → 8 s onto B
        run('c02-pre-r1', 'pre', 'c02', config(2), 6600, b),
      ],
    });
    const row = (from: number, to: number) => check.rows.find((r) => r.from.coresPerExecutor === from && r.to.coresPerExecutor === to);
    expect(check.rows).toHaveLength(4);
    // A → B: estimates 6, 7, 8 s; median 7 s vs measured 6.6 s.
    expect(row(1, 2)).toMatchObject({ self: false, fromConfigIds: ['c01'], toConfigIds: ['c02'], carriedOverMedianMs: 5000 });
    expect(row(1, 2)?.estimate).toMatchObject({ medianMs: 7000, minMs: 6000, maxMs: 8000 });
    expect(row(1, 2)?.measured).toMatchObject({ medianMs: 6600, minMs: 6600, maxMs: 6600 });
    expect(row(1, 2)?.error).toBeCloseTo(400 / 6600, 10);
    // B → A: 4.6 s carried over + 4 s replayed on 1 slot = 8.6 s vs the median of 8, 9, 10 s.
    expect(row(2, 1)?.estimate.medianMs).toBe(8600);
    expect(row(2, 1)?.error).toBeCloseTo(-400 / 9000, 10);
    // Self-replay: A → A gives back each run's own wall (the replay of one slot is exact): 9 s vs 9 s.
    expect(row(1, 1)).toMatchObject({ self: true, error: 0 });
    expect(row(2, 2)).toMatchObject({ self: true, error: 0 });
    expect(check.crossLayout.rows).toBe(2);
    expect(check.crossLayout.medianAbsError).toBeCloseTo((400 / 6600 + 400 / 9000) / 2, 10);
    expect(check.crossLayout.worst?.to.coresPerExecutor).toBe(2);
    expect(check.selfReplay).toMatchObject({ rows: 2, medianAbsError: 0 });
  });

  it('does not pair configurations that differ in anything else, nor jobs with each other', () => {
    const check = checkWhatIf({
      runs: [
        run('c01-pre-r1', 'pre', 'c01', config(1, '8'), 8000, a),
        run('c02-pre-r1', 'pre', 'c02', config(2, '200'), 6600, b), // other shuffle partitions
        run('c03-post-r1', 'post', 'c03', config(2, '8'), 6600, b), // other job
      ],
    });
    expect(check.rows).toEqual([]);
    expect(check.crossLayout).toMatchObject({ rows: 0 });
    expect(check.crossLayout.worst).toBeUndefined();
  });

  it('ignores key order in the Spark settings and skips runs whose layout is not set', () => {
    const reordered: RunConfig = { ...config(2), sparkConf: { 'spark.sql.adaptive.enabled': 'true', 'spark.sql.shuffle.partitions': '8' } };
    const check = checkWhatIf({
      runs: [
        run('c01-pre-r1', 'pre', 'c01', config(1), 8000, a),
        run('c02-pre-r1', 'pre', 'c02', reordered, 6600, b),
        run('c03-pre-r1', 'pre', 'c03', config(undefined), 6600, b),
      ],
    });
    expect(check.crossLayout.rows).toBe(2);
    expect(check.skipped).toEqual(['c03-pre-r1: executors or executorCores not set in its configuration']);
  });
});

// The committed measurement (docs/spark-ui-analysis.md, "What-if accuracy"). The bound is the worst cross-layout
// error observed there, rounded up; the docs state the same number.
const MEASURED_RUN = join(REPO_ROOT, 'results', '2026-11-25-whatif-8mb');
const STATED_BOUND = 0.25; // worst observed +21.2 % (pre 1×2 → 1×1), rounded up to the next 5 %

describe('bench whatif-check (CLI)', () => {
  afterEach(() => vi.restoreAllMocks());

  it(`the committed local[1] vs local[2] run: every cross-layout estimate within the stated bound`, async () => {
    const io = captureIo();
    expect(await main(['whatif-check', MEASURED_RUN, '--json'])).toBe(0);
    const check = JSON.parse(io.out()) as WhatIfCheck;
    const cross = check.rows.filter((r) => !r.self);
    expect(cross.map((r) => r.job).sort()).toEqual(['post', 'post', 'pre', 'pre']);
    for (const r of cross) expect(Math.abs(r.error)).toBeLessThanOrEqual(STATED_BOUND);
  });

  // docs/spark-ui-analysis.md "What-if on the standalone cluster": the slots of 2 × 1 share two physical cores with
  // the driver, so Σ task time doubles and the replay, which counts slots, misses by the documented amounts.
  it('the committed cluster run (1 vs 2 executors on 2 cores): the documented errors, self-replay within 10 %', async () => {
    const io = captureIo();
    expect(await main(['whatif-check', join(REPO_ROOT, 'results', '2026-12-02-whatif-cluster-64mb'), '--json'])).toBe(0);
    const check = JSON.parse(io.out()) as WhatIfCheck;
    const error = (job: string, from: number, to: number) =>
      check.rows.find((r) => r.job === job && r.from.executors === from && r.to.executors === to)?.error ?? Number.NaN;
    expect(error('pre', 1, 2)).toBeCloseTo(-0.314, 3);
    expect(error('pre', 2, 1)).toBeCloseTo(0.681, 3);
    expect(error('post', 1, 2)).toBeCloseTo(-0.269, 3);
    expect(error('post', 2, 1)).toBeCloseTo(0.62, 3);
    const self = check.rows.filter((r) => r.self);
    expect(self).toHaveLength(4);
    for (const r of self) expect(Math.abs(r.error)).toBeLessThan(0.1);
  });

  it('a run with no layout pairs: one line, exit 0, nothing compared', async () => {
    const io = captureIo();
    expect(await main(['whatif-check', join(REPO_ROOT, 'results', '2026-11-25-study-16mb')])).toBe(0);
    expect(io.out().trim().split('\n')).toEqual([
      'whatif-check: 2026-11-25-study-16mb has no two configurations that differ only in executors × executorCores; nothing compared',
    ]);
  });

  it('not a run folder: one line, exit 2', async () => {
    const io = captureIo();
    expect(await main(['whatif-check', '/nonexistent/run'])).toBe(2);
    expect(io.err().trim().split('\n')).toHaveLength(1);
  });
});
