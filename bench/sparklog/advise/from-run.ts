// --from RUN_ID: the numbers advise scales from, measured in a run's event logs instead of rules of thumb.

import { InputError } from '../../lib/errors.ts';
import type { AppSummary } from '../eventlog/types.ts';
import type { JobKind, MeasuredRun } from './types.ts';

const MIN_TASK_SHUFFLE_BYTES = 16 * 1024 ** 2;

export class NoMeasurementError extends InputError {
  constructor(message: string) {
    super(message, 'ADVISE_NO_MEASUREMENT');
    this.name = 'NoMeasurementError';
  }
}

/** The largest exchange and the largest input of the runs of one job (logs of the other job, by app name, are left
 * out when names tell them apart). Partitions are sized for the biggest shuffle, not the sum over stages; and the
 * largest stage input stands for the dataset, because stage input also counts cached blocks read back (a job that
 * caches its events reads them several times). Core-time is summed. */
export function measureRuns(source: string, summaries: readonly AppSummary[], job: JobKind): MeasuredRun {
  const named = summaries.filter((s) => s.appName.toLowerCase().includes(job));
  const chosen = named.length > 0 ? named : summaries;
  let inputBytes = 0;
  let shuffleWriteBytes = 0;
  let memorySpilledBytes = 0;
  let taskCoreMs = 0;
  let memoryPerShuffleByte: number | undefined;
  for (const summary of chosen) {
    for (const stage of summary.stages) {
      inputBytes = Math.max(inputBytes, stage.inputBytes);
      shuffleWriteBytes = Math.max(shuffleWriteBytes, stage.shuffleWriteBytes);
      memorySpilledBytes += stage.memorySpilledBytes;
      // Below ~16 MiB per task, fixed buffers (memory pages) dominate peak memory and the ratio says nothing.
      if (stage.taskShuffleReadBytes.max >= MIN_TASK_SHUFFLE_BYTES && stage.peakExecutionMemoryMaxBytes > 0) {
        const growth = stage.peakExecutionMemoryMaxBytes / stage.taskShuffleReadBytes.max;
        memoryPerShuffleByte = Math.max(memoryPerShuffleByte ?? 0, growth);
      }
    }
    taskCoreMs += summary.tasks.reduce((acc, t) => acc + t.durationMs, 0);
  }
  if (inputBytes <= 0) throw new NoMeasurementError(`${source}: the runs read no input bytes, nothing to scale from (use the rules of thumb: drop --from)`);
  return { source, inputBytes, shuffleWriteBytes, memorySpilledBytes, taskCoreMs, ...(memoryPerShuffleByte !== undefined ? { memoryPerShuffleByte } : {}) };
}
