// bench compare --stages: stages picked by SQL operator, medians over repeats, pairing by id or by position, and the
// fallback to the event logs of runs recorded before runs.jsonl kept operators (the committed 16 MB study).
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { distribution } from '../../sparklog/eventlog/summarize.ts';
import { loadRun, type LoadedRun } from '../run/load.ts';
import type { RunRecord, StageMetrics } from '../run/types.ts';
import { formatStages } from './format-stages.ts';
import { stageInput } from './stage-input.ts';
import { compareStages, matchesKind } from './stages.ts';
import { RESULTS_DIR } from '../../lib/paths.ts';
import { completedRun } from '../../fixtures/run-record.ts';

function stage(stageId: number, operators: string[], taskTimes: number[], reads: number[] = taskTimes.map(() => 0)): StageMetrics {
  return {
    stageId,
    attemptId: 0,
    name: 'parquet at NativeMethodAccessorImpl.java:0',
    tasks: taskTimes.length,
    failedTasks: 0,
    durationMs: 1,
    inputBytes: 0,
    shuffleReadBytes: reads.reduce((a, b) => a + b, 0),
    shuffleWriteBytes: 0,
    memorySpilledBytes: 0,
    diskSpilledBytes: 0,
    gcTimeMs: 0,
    executorRunTimeMs: 0,
    peakExecutionMemoryMaxBytes: 0,
    taskTimeMs: distribution(taskTimes),
    operators,
    taskShuffleReadBytes: distribution(reads),
  };
}

function record(configId: string, job: 'pre' | 'post', repeat: number, stages: StageMetrics[], eventLog: string | null = null): RunRecord {
  return completedRun(configId, job, repeat, { eventLog, stages });
}

const scan = ['ColumnarToRow', 'Exchange', 'Scan parquet'];
const smj = ['Exchange', 'Sort', 'SortMergeJoin'];
// pre: stage 1 joins with one slow task (skew 900/100 = 9 in repeat 1, 800/100 in 2, 1000/200 in 3).
const preRuns = [
  [100, 100, 100, 900],
  [100, 100, 100, 800],
  [200, 200, 200, 1000],
].map((times, i) =>
  record('c01', 'pre', i + 1, [
    stage(0, scan, [10, 10]),
    stage(1, smj, times, [1, 1, 1, 40 + i]),
    stage(2, ['Exchange', 'HashAggregate'], [5, 5]),
    stage(3, ['Sort', 'Window'], [7]),
  ]),
);
// post: AQE planned one more stage in repeat 2 (a sort-merge join, stage 3), so the broadcast join's id is 4, 5, 4.
const bhj = ['BroadcastHashJoin', 'Exchange', 'ObjectHashAggregate'];
const postRuns = [
  record('c01', 'post', 1, [stage(0, scan, [10, 10]), stage(4, bhj, [50, 60, 70])]),
  record('c01', 'post', 2, [stage(0, scan, [10, 10]), stage(3, smj, [5, 5]), stage(5, bhj, [50, 60, 70])]),
  record('c01', 'post', 3, [stage(0, scan, [10, 10]), stage(4, bhj, [50, 60, 70])]),
];
const synthetic: LoadedRun = { dir: '/nowhere', meta: { runId: 'r1' } as LoadedRun['meta'], records: [...preRuns, ...postRuns] };

describe('matchesKind', () => {
  it('join is any *Join node; aggregate the three aggregate nodes; window the Window node', () => {
    expect(matchesKind(['BroadcastNestedLoopJoin'], 'join')).toBe(true);
    expect(matchesKind(['Exchange', 'Sort'], 'join')).toBe(false);
    expect(matchesKind(['SortAggregate'], 'aggregate')).toBe(true);
    expect(matchesKind(['Window'], 'aggregate')).toBe(false);
    expect(matchesKind(['Window'], 'window')).toBe(true);
    expect(matchesKind([], 'all')).toBe(true);
  });
});

describe('compareStages on records that carry operators', () => {
  it('join stages with medians over repeats, paired by id, or by position when ids differ; no event log read', async () => {
    const summarizeLog = vi.fn();
    const { samples, notes } = await stageInput({ runs: [synthetic], summarizeLog });
    expect(summarizeLog).not.toHaveBeenCalled();
    expect(notes).toEqual([]);
    const c = compareStages({ samples, kind: 'join', notes });
    const [pre, post] = c.groups;
    expect(pre).toMatchObject({ job: 'pre', repeats: 3, matchedBy: 'stageId' });
    expect(pre?.stages).toHaveLength(1);
    // medians of (100, 100, 200), (900, 800, 1000), the ratios (9, 8, 5) and the per-task reads (1, 1, 1) / (40, 41, 42)
    expect(pre?.stages[0]).toMatchObject({
      stageIds: [1, 1, 1],
      operators: smj,
      tasks: 4,
      taskTimeMedianMs: 100,
      taskTimeMaxMs: 900,
      taskTimeSkew: 8,
      shuffleReadMedianBytes: 1,
      shuffleReadMaxBytes: 41,
    });
    expect(pre?.worst?.stageIds).toEqual([1, 1, 1]);
    expect(post).toMatchObject({ job: 'post', matchedBy: 'position' });
    // Paired among stages running the same operators: the extra stage 3 does not shift the broadcast join's pair.
    expect(post?.stages.map((r) => [r.stageIds, r.repeats])).toEqual([
      [[3], 1],
      [[4, 5, 4], 3],
    ]);
    const text = formatStages(c);
    expect(text).toMatch(/c01\s+pre\s+1\s+3\s+4\s+100ms\s+900ms\s+8\.0×\s+1 B\s+41 B\s+Exchange, Sort, SortMergeJoin/);
    expect(text).toMatch(/c01\s+post\s+3\s+1\/3\s+2\s+5ms/);
    expect(text).toMatch(/c01\s+post\s+4\|5\|4\s+3\s+3\s+60ms/);
    expect(text).toContain('r1/c01 post: stage ids differ between repeats: join stages paired by position among those running the same operators');
    expect(text).toMatch(/c01\s+pre\s+stage 1: 8\.0× \(max 900ms, median 100ms\)/);
  });

  it('aggregate and window pick their own stages', async () => {
    const { samples } = await stageInput({ runs: [synthetic] });
    const ids = (kind: 'aggregate' | 'window') => compareStages({ samples, kind }).groups.map((g) => [g.job, g.stages.map((r) => r.stageIds[0])]);
    expect(ids('aggregate')).toEqual([
      ['pre', [2]],
      ['post', [4]],
    ]);
    expect(compareStages({ samples, kind: 'all' }).groups[0]?.stages).toHaveLength(4);
    expect(ids('window')).toEqual([
      ['pre', [3]],
      ['post', []],
    ]);
    expect(formatStages(compareStages({ samples, kind: 'window' }))).toMatch(/c01\s+post\s+no window stages/);
  });

  it('an old record without operators and without an event log is left out, and says so', async () => {
    const old = record('c09', 'pre', 1, [{ ...stage(1, [], [1]), operators: undefined }]);
    const { samples, notes } = await stageInput({ runs: [{ ...synthetic, records: [old] }] });
    expect(samples).toEqual([]);
    expect(notes).toEqual(['r1/c09-pre-r1: no operators recorded and no event log; left out']);
  });
});

describe('the committed 16 MB study (runs recorded before operators were kept: read from its event logs)', () => {
  const dir = join(RESULTS_DIR, '2026-11-25-study-16mb');
  it("pre's join stages show up, with the task times runs.jsonl recorded", async () => {
    const run = await loadRun(dir);
    const c02 = { ...run, records: run.records.filter((r) => r.configId === 'c02') }; // 6 of the 12 logs: fast
    const { samples, notes } = await stageInput({ runs: [c02] });
    expect(notes).toEqual(['operators of 6 run(s) read from their event logs (recorded before runs.jsonl kept them)']);
    const c = compareStages({ samples, kind: 'join', notes });
    const pre = c.groups.find((g) => g.job === 'pre');
    expect(pre?.repeats).toBe(3);
    // Broadcast joins at this size; stage 8 is the first, in all three repeats.
    expect(pre?.stages.slice(0, 6).map((r) => r.stageIds[0])).toEqual([8, 32, 47, 57, 69, 70]);
    expect(pre?.stages.every((r) => r.operators.some((op) => op.endsWith('Join')))).toBe(true);
    expect(pre?.stages[0]?.operators).toContain('BroadcastHashJoin');
    // The same stage's task times as bench run recorded them, median over the three repeats.
    const recorded = run.records.filter((r) => r.configId === 'c02' && r.job === 'pre').map((r) => r.stages.find((s) => s.stageId === 8)?.taskTimeMs);
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
    expect(pre?.stages[0]?.taskTimeMedianMs).toBe(mid(recorded.map((d) => d!.median)));
    expect(pre?.stages[0]?.taskTimeMaxMs).toBe(mid(recorded.map((d) => d!.max)));
    expect(pre?.worst).toBeDefined();
    expect(c.groups.find((g) => g.job === 'post')?.stages.length).toBeGreaterThan(0);
  });
});
