// --from RUN_ID: the numbers advise scales from, measured in a run's event logs instead of the committed runs' ratios.

import { InputError } from '../../lib/errors.ts';
import { parsePlan, walk } from '../analyze/plan-tree.ts';
import type { AppSummary } from '../eventlog/types.ts';
import type { JobKind, MeasuredRun } from './types.ts';

const MIN_TASK_SHUFFLE_BYTES = 16 * 1024 ** 2;

export class NoMeasurementError extends InputError {
  constructor(message: string) {
    super(message, 'ADVISE_NO_MEASUREMENT');
    this.name = 'NoMeasurementError';
  }
}

/** The in-memory sizes of an application's distinct cached relations, from the final plans' cache query stages. */
export function persistedBytesOf(summary: AppSummary): number {
  const sizes = new Map<string, number>();
  for (const sql of summary.sql) {
    walk(parsePlan(sql.finalPlan ?? sql.physicalPlan).current, (node) => {
      // The same relation appears in many queries under other node ids: its statistics identify it. Only a
      // materialized cache carries a rowCount: before that its Statistics are the planner's guess from the plan
      // above it (post at 2 GB, results/2026-12-02-jobs-2gb-124222: "sizeInBytes=80.3 PiB", no rowCount).
      if (/TableCacheQueryStage|InMemoryRelation/.test(node.name) && node.sizeInBytes !== undefined && /rowCount=/.test(node.line)) {
        sizes.set(node.line.replace(/^[^,]*,\s*/, ''), node.sizeInBytes);
      }
    });
  }
  return [...sizes.values()].reduce((a, b) => a + b, 0);
}

/**
 * Growth of a partition in memory, in the stage that reads the most shuffle (the exchange the partition count is
 * sized for): the highest in-memory size per byte of shuffle read among its tasks that read at least 16 MiB. A task
 * that did not spill held its partition within its peak execution memory. A task that spilled was capped by the
 * memory it had, so its peak alone understates the partition; its spill-free size is the peak plus what it spilled
 * (Spark's memoryBytesSpilled is the in-memory size of the spilled data): the memory it would have needed to keep
 * every spilled piece and the rest at once.
 */
function largestShuffleGrowth(summary: AppSummary): { ratio: number; fromSpill: boolean } | undefined {
  let best: { read: number; ratio: number; fromSpill: boolean } | undefined;
  for (const stage of summary.stages) {
    const tasks = summary.tasks.filter(
      (t) => t.stageId === stage.stageId && t.stageAttemptId === stage.attemptId && !t.failed && !t.killed && t.shuffleReadBytes >= MIN_TASK_SHUFFLE_BYTES,
    );
    if (tasks.length === 0 || (best !== undefined && stage.shuffleReadBytes <= best.read)) continue;
    const ratio = Math.max(...tasks.map((t) => (t.peakExecutionMemoryBytes + t.memorySpilledBytes) / t.shuffleReadBytes));
    if (ratio > 0) best = { read: stage.shuffleReadBytes, ratio, fromSpill: tasks.some((t) => t.memorySpilledBytes > 0) };
  }
  return best === undefined ? undefined : { ratio: best.ratio, fromSpill: best.fromSpill };
}

/** The largest exchange and the largest input of the runs of one job (logs of the other job, by app name, are left
 * out when names tell them apart). Partitions are sized for the biggest shuffle, not the sum over stages; and the
 * largest stage input stands for the dataset, because stage input also counts cached blocks read back (a job that
 * caches its events reads them several times). Core-time is the mean of the runs (they each read that input once:
 * summed, three repeats made the estimate three times too long); memory, disk and broadcast sizes are the largest any
 * run needed. */
export function measureRuns(source: string, summaries: readonly AppSummary[], job: JobKind): MeasuredRun {
  const named = summaries.filter((s) => s.appName.toLowerCase().includes(job));
  const chosen = named.length > 0 ? named : summaries;
  let inputBytes = 0;
  let shuffleWriteBytes = 0;
  let memorySpilledBytes = 0;
  let taskCoreMs = 0;
  let growth: { ratio: number; fromSpill: boolean } | undefined;
  let persistedBytes = 0;
  let peakStorageBytes: number | undefined;
  let localDiskBytes = 0;
  let largestBroadcastBytes: number | undefined;
  let fromFiles: { fileBytes: number; ratio: number } | undefined;
  for (const summary of chosen) {
    let disk = 0;
    for (const stage of summary.stages) {
      inputBytes = Math.max(inputBytes, stage.inputBytes);
      shuffleWriteBytes = Math.max(shuffleWriteBytes, stage.shuffleWriteBytes);
      memorySpilledBytes += stage.memorySpilledBytes;
      disk += stage.shuffleWriteBytes + stage.diskSpilledBytes;
    }
    localDiskBytes = Math.max(localDiskBytes, disk);
    const g = largestShuffleGrowth(summary);
    if (g !== undefined && (growth === undefined || g.ratio > growth.ratio)) growth = g;
    persistedBytes = Math.max(persistedBytes, persistedBytesOf(summary));
    if (summary.memoryPeaks !== undefined) peakStorageBytes = Math.max(peakStorageBytes ?? 0, summary.memoryPeaks.storageBytes);
    for (const b of summary.broadcasts) {
      largestBroadcastBytes = Math.max(largestBroadcastBytes ?? 0, b.relationBytes);
      // The largest table broadcast straight from files says most about bytes per file byte: small ones are
      // dominated by the hash map's first memory page (64 MiB for a handful of rows).
      if (b.scannedFileBytes !== undefined && (fromFiles === undefined || b.scannedFileBytes > fromFiles.fileBytes)) {
        fromFiles = { fileBytes: b.scannedFileBytes, ratio: b.relationBytes / b.scannedFileBytes };
      }
    }
    taskCoreMs += summary.tasks.reduce((acc, t) => acc + t.durationMs, 0);
  }
  taskCoreMs /= Math.max(1, chosen.length);
  if (inputBytes <= 0)
    throw new NoMeasurementError(`${source}: the runs read no input bytes, nothing to scale from (drop --from to use the committed runs' ratios)`);
  return {
    source,
    inputBytes,
    shuffleWriteBytes,
    memorySpilledBytes,
    taskCoreMs,
    localDiskBytes,
    ...(growth !== undefined ? { memoryPerShuffleByte: growth.ratio, memoryRatioFromSpill: growth.fromSpill } : {}),
    ...(persistedBytes > 0 ? { persistedBytes } : {}),
    ...(peakStorageBytes !== undefined ? { peakStorageBytes } : {}),
    ...(largestBroadcastBytes !== undefined ? { largestBroadcastBytes } : {}),
    ...(fromFiles !== undefined ? { broadcastBytesPerFileByte: fromFiles.ratio } : {}),
  };
}
