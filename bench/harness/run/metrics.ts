// Event-log summary → the per-stage metrics a run record keeps. The parsing itself is bench/sparklog/eventlog's job.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sumFields } from '../../lib/stats.ts';
import { summarizeEventLog } from '../../sparklog/eventlog/index.ts';
import { type AppSummary, SUMMED_VOLUMES } from '../../sparklog/eventlog/types.ts';
import type { RunTotals, StageMetrics } from './types.ts';

export function stageMetrics(summary: AppSummary): StageMetrics[] {
  return [...summary.stages]
    .sort((a, b) => a.stageId - b.stageId || a.attemptId - b.attemptId)
    .map((s) => ({
      stageId: s.stageId,
      attemptId: s.attemptId,
      name: s.name,
      tasks: s.numTasks,
      failedTasks: s.failedTasks,
      durationMs: Math.max(0, s.completionTimeMs - s.submissionTimeMs),
      inputBytes: s.inputBytes,
      shuffleReadBytes: s.shuffleReadBytes,
      shuffleWriteBytes: s.shuffleWriteBytes,
      memorySpilledBytes: s.memorySpilledBytes,
      diskSpilledBytes: s.diskSpilledBytes,
      gcTimeMs: s.gcTimeMs,
      executorRunTimeMs: s.executorRunTimeMs,
      peakExecutionMemoryMaxBytes: s.peakExecutionMemoryMaxBytes,
      taskTimeMs: s.taskTimeMs,
      operators: s.operators,
      taskShuffleReadBytes: s.taskShuffleReadBytes,
    }));
}

export function totalsOf(stages: readonly StageMetrics[]): RunTotals {
  return {
    stages: stages.length,
    ...sumFields(stages, ['tasks', ...SUMMED_VOLUMES]),
    peakExecutionMemoryMaxBytes: stages.reduce((m, s) => Math.max(m, s.peakExecutionMemoryMaxBytes), 0),
  };
}

/** The one event log Spark wrote into a run's own event-log folder: a file, or a rolling `eventlog_v2_*` folder. */
export async function findEventLog(eventLogDir: string): Promise<string | null> {
  // A run that crashed leaves `<app>.inprogress`: still worth summarizing (the stages before the crash), but a
  // finished log wins when both exist.
  const entries = (await readdir(eventLogDir).catch(() => [] as string[])).filter((n) => !n.startsWith('.')).sort();
  const chosen = entries.find((n) => !n.endsWith('.inprogress')) ?? entries[0];
  return chosen === undefined ? null : join(eventLogDir, chosen);
}

/** Summarizes an event log with bench/sparklog/eventlog (the parsing is its concern, not the harness's). */
export function summarize(path: string): Promise<AppSummary> {
  return summarizeEventLog(path);
}
