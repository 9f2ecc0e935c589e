// stageMetrics: what a runs.jsonl stage record keeps of the event-log summary, operators included.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeEventLog } from '../../sparklog/eventlog/index.ts';
import { stageMetrics } from './metrics.ts';

describe('stageMetrics', () => {
  it('keeps each stage’s SQL operators and per-task shuffle reads (the skewed fixture’s join is stage 4)', async () => {
    const summary = await summarizeEventLog(join(import.meta.dirname, '..', '..', 'sparklog', 'eventlog', 'fixtures', 'skewed'));
    const stages = JSON.parse(JSON.stringify(stageMetrics(summary))) as ReturnType<typeof stageMetrics>;
    expect(stages.map((s) => [s.stageId, s.operators?.includes('SortMergeJoin')])).toEqual([
      [0, false],
      [1, false],
      [4, true],
      [8, false],
    ]);
    expect(stages.find((s) => s.stageId === 4)?.taskShuffleReadBytes).toMatchObject({ max: 38841324 });
  });
});
