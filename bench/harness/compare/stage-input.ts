// Run records → the per-repeat stage samples compareStages needs. Records written before bench run kept each stage's
// operators (and per-task shuffle reads) get them from their own event log, resolved against the run folder.
import { isAbsolute, join } from 'node:path';
import type { AppSummary } from '../../sparklog/eventlog/types.ts';
import { stageMetrics, summarize } from '../run/metrics.ts';
import type { LoadedRun } from '../run/load.ts';
import type { CompletedRun, StageMetrics } from '../run/types.ts';
import type { RepeatSample, StageSample } from './stages.ts';

export interface StageInputOptions {
  readonly runs: readonly LoadedRun[];
  /** Event log → summary; bench/sparklog/eventlog's by default (a seam for tests). */
  readonly summarizeLog?: (path: string) => Promise<AppSummary>;
}

export interface StageInput {
  readonly samples: readonly RepeatSample[];
  /** One line per record that had to be read from its event log, or could not be. */
  readonly notes: readonly string[];
}

function recorded(stages: readonly StageMetrics[]): boolean {
  return stages.length > 0 && stages.every((s) => s.operators !== undefined && s.taskShuffleReadBytes !== undefined);
}

function sampleOf(stage: StageMetrics): StageSample {
  return {
    stageId: stage.stageId,
    operators: stage.operators ?? [],
    tasks: stage.tasks,
    taskTimeMs: stage.taskTimeMs,
    ...(stage.taskShuffleReadBytes !== undefined ? { taskShuffleReadBytes: stage.taskShuffleReadBytes } : {}),
  };
}

export async function stageInput({ runs, summarizeLog = summarize }: StageInputOptions): Promise<StageInput> {
  const samples: RepeatSample[] = [];
  const notes: string[] = [];
  let fromLogs = 0;
  for (const run of runs) {
    for (const record of run.records.filter((r): r is CompletedRun => r.state === 'completed')) {
      let stages = record.stages;
      if (!recorded(stages)) {
        if (record.eventLog === null) {
          notes.push(`${run.meta.runId}/${record.key}: no operators recorded and no event log; left out`);
          continue;
        }
        const path = isAbsolute(record.eventLog) ? record.eventLog : join(run.dir, record.eventLog);
        try {
          // Sequential on purpose: one summary in memory at a time.
          stages = stageMetrics(await summarizeLog(path));
          fromLogs++;
        } catch (error) {
          notes.push(`${run.meta.runId}/${record.key}: event log ${record.eventLog} unreadable (${(error as Error).message}); left out`);
          continue;
        }
      }
      samples.push({
        runId: run.meta.runId,
        configId: record.configId,
        configLabel: record.configLabel,
        job: record.job,
        repeat: record.repeat,
        stages: stages.map(sampleOf),
      });
    }
  }
  if (fromLogs > 0) notes.unshift(`operators of ${fromLogs} run(s) read from their event logs (recorded before runs.jsonl kept them)`);
  return { samples, notes };
}
