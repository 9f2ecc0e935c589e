// Findings about one stage attempt: skew, spill, GC, task counts and sizes, files, failures.

import type { StageSummary, TaskRecord } from '../../eventlog/types.ts';
import { THRESHOLDS, bandOf } from '../thresholds.ts';
import type { AnalyzeOptions, Finding, FindingScope } from '../types.ts';
import { bytes, ms, pct, round } from '../../../lib/format.ts';
import { sparkQuantile } from '../../../lib/stats.ts';

export function scopeOf(stage: StageSummary): FindingScope {
  return {
    level: 'stage',
    stageId: stage.stageId,
    stageAttemptId: stage.attemptId,
    jobIds: stage.jobIds,
    ...(stage.sqlExecutionId !== undefined ? { sqlExecutionId: stage.sqlExecutionId } : {}),
  };
}

function label(stage: StageSummary): string {
  return `stage ${stage.stageId}${stage.attemptId > 0 ? ` (attempt ${stage.attemptId})` : ''}`;
}

/** Spark's median (the Spark UI's rule), 0 for no values. */
function median(values: readonly number[]): number {
  return values.length === 0 ? 0 : sparkQuantile(values, 0.5);
}

/** The lower of the two middle values: with 2 tasks it is the smaller one, so a 2-task stage can show skew. */
function lowerMedian(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

export function skewFinding(stage: StageSummary, tasks: readonly TaskRecord[], options: AnalyzeOptions): Finding | undefined {
  const t = THRESHOLDS.taskSkew;
  if (tasks.length < 2) return undefined;
  // Spark UI's median of 2 tasks is the larger one (sorted[floor(0.5·n)]): AQE often coalesces a hot partition with
  // one other, and max/median would then be 1. The lower median keeps such skew visible.
  const time = { max: Math.max(...tasks.map((x) => x.durationMs)), median: lowerMedian(tasks.map((x) => x.durationMs)) };
  if (time.median <= 0) return undefined;
  const timeRatio = time.max / time.median;
  const stageMs = Math.max(1, stage.completionTimeMs - stage.submissionTimeMs);
  const shareOfStage = time.max / stageMs;
  const minTaskMs = options.minSkewTaskMs ?? t.minSlowestTaskMs;
  const dataflint = timeRatio > t.dataflintRatio && time.max > t.dataflintMinMs;
  const gated = (shareOfStage >= t.slowestTaskShareOfStage && time.max >= minTaskMs) || dataflint;
  const severity = bandOf(timeRatio, t.ratioBands);
  if (severity === undefined || !gated) return undefined;

  // Which bytes this stage's tasks consumed: shuffle read if any, else input.
  const useShuffle = stage.shuffleReadBytes > 0;
  const taskBytes = tasks.map((x) => (useShuffle ? x.shuffleReadBytes : x.inputBytes));
  const bytesDist = { max: Math.max(...taskBytes), median: lowerMedian(taskBytes) };
  const bytesRatio = bytesDist.median > 0 ? bytesDist.max / bytesDist.median : bytesDist.max > 0 ? Number.POSITIVE_INFINITY : 1;
  const slowest = tasks.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
  const dataSkew = bytesRatio >= t.dataSkewBytesRatio;
  const evidence = {
    stageId: stage.stageId,
    tasks: tasks.length,
    maxTaskMs: time.max,
    medianTaskMs: time.median,
    sparkUiMedianTaskMs: stage.taskTimeMs.median,
    timeRatio: round(timeRatio),
    slowestTaskShareOfStage: round(shareOfStage),
    bytesMetric: bytesDist.max === 0 ? 'none recorded' : useShuffle ? 'shuffle read' : 'input',
    maxTaskBytes: bytesDist.max,
    medianTaskBytes: bytesDist.median,
    bytesRatio: Number.isFinite(bytesRatio) ? round(bytesRatio) : 'inf',
    slowestTaskId: slowest.taskId,
    slowestTaskExecutor: slowest.executorId,
    slowestTaskHost: slowest.host,
    slowestTaskGcMs: slowest.gcTimeMs,
    dataflintAlert: dataflint,
  };
  if (dataSkew) {
    return {
      rule: 'task-skew',
      severity,
      scope: scopeOf(stage),
      title: `${label(stage)}: data skew — slowest task ${ms(time.max)} vs median ${ms(time.median)} (${round(timeRatio, 1)}×), reading ${bytes(bytesDist.max)} vs median ${bytes(bytesDist.median)} (${Number.isFinite(bytesRatio) ? round(bytesRatio, 1) : '∞'}×)`,
      evidence,
      hypothesis: `One ${useShuffle ? 'shuffle partition' : 'input split'} holds far more data than the others: a hot key (or a few) in the ${useShuffle ? 'join/group-by key' : 'input layout'}; the stage waits for that one task.`,
      fix: useShuffle
        ? 'Split the hot keys: salt them (key + random bucket on the big side, explode the small side over the buckets), or handle the top keys separately (broadcast join for them, normal join for the rest). For sort-merge joins make sure AQE skew join can act (spark.sql.adaptive.skewJoin.enabled, skewedPartitionThresholdInBytes below the hot partition). For aggregations pre-aggregate per (key, salt) first.'
        : 'Even out the input splits: repartition the input or lower spark.sql.files.maxPartitionBytes; check for a non-splittable file (gzip CSV/JSON).',
      validate: `Re-run and compare ${label(stage)}'s max/median task time and ${useShuffle ? 'shuffle-read' : 'input'} bytes: both ratios should fall below ${t.ratioBands.low}× and the stage time toward median × waves.`,
      source: t.source,
    };
  }
  return {
    rule: 'straggler',
    severity: severity === 'critical' || severity === 'severe' ? 'moderate' : 'low',
    scope: scopeOf(stage),
    title: `${label(stage)}: straggler — slowest task ${ms(time.max)} vs median ${ms(time.median)} (${round(timeRatio, 1)}×) ${bytesDist.max > 0 ? `with even bytes (${round(bytesRatio, 1)}×)` : '(no bytes recorded: generated data)'}`,
    evidence,
    hypothesis: `The slow task did not get more data: a slow or busy node (${slowest.host}, executor ${slowest.executorId}), GC (${ms(slowest.gcTimeMs)} in that task), JVM warm-up in the first wave, or rows that are costlier to process (processing skew).`,
    fix: 'If it repeats on one host, exclude the node (spark.excludeOnFailure.*) or enable speculation (spark.speculation=true); if it is GC, see the GC finding; if it is warm-up at small scale, ignore it.',
    validate: 'Re-run: a straggler that moves between hosts or disappears is noise; one that stays on the same host is the node.',
    source: t.source,
  };
}

export function spillFinding(stage: StageSummary): Finding | undefined {
  const handled = Math.max(stage.inputBytes, stage.outputBytes, stage.shuffleReadBytes, stage.shuffleWriteBytes);
  if (stage.memorySpilledBytes <= 0 || handled <= 0) return undefined;
  const ratio = stage.memorySpilledBytes / handled;
  const severity = bandOf(ratio, THRESHOLDS.spill.ratioBands);
  if (severity === undefined) return undefined;
  return {
    rule: 'spill',
    severity,
    scope: scopeOf(stage),
    title: `${label(stage)}: spilled ${bytes(stage.memorySpilledBytes)} (memory) / ${bytes(stage.diskSpilledBytes)} (disk) against ${bytes(handled)} handled — ratio ${round(ratio, 3)}`,
    evidence: {
      stageId: stage.stageId,
      memorySpilledBytes: stage.memorySpilledBytes,
      diskSpilledBytes: stage.diskSpilledBytes,
      bytesHandled: handled,
      spillRatio: round(ratio, 4),
      peakExecutionMemoryMaxBytes: stage.peakExecutionMemoryMaxBytes,
    },
    hypothesis:
      'Sort, aggregation or join buffers of some tasks do not fit the execution memory a task gets ((heap − 300 MiB) × spark.memory.fraction / cores): partitions too large or skewed.',
    fix: 'More, smaller partitions (raise spark.sql.shuffle.partitions or lower spark.sql.adaptive.advisoryPartitionSizeInBytes), fix skew if the spill sits in one task, or give each task more memory (fewer cores per executor, more executor memory).',
    validate: `Re-run: ${label(stage)}'s Spill (Memory)/(Disk) in the Spark UI should drop to 0 or the ratio below ${THRESHOLDS.spill.ratioBands.low}.`,
    source: THRESHOLDS.spill.source,
  };
}

export function stageGcFinding(stage: StageSummary): Finding | undefined {
  const g = THRESHOLDS.gc;
  if (stage.executorRunTimeMs < g.minRunTimeMs) return undefined;
  const share = stage.gcTimeMs / stage.executorRunTimeMs;
  const severity = bandOf(share, g.highBands);
  if (severity === undefined) return undefined;
  return {
    rule: 'gc-pressure',
    severity,
    scope: scopeOf(stage),
    title: `${label(stage)}: ${pct(share)} of task run time in JVM GC`,
    evidence: { stageId: stage.stageId, gcTimeMs: stage.gcTimeMs, executorRunTimeMs: stage.executorRunTimeMs, gcShare: round(share, 4) },
    hypothesis:
      'Tasks create many objects or hold large ones (wide rows, collect_list/explode, Python UDF batches, big broadcast tables) relative to the heap each task gets.',
    fix: 'Smaller partitions; fewer cores per executor (more heap per task); prefer built-in functions over UDFs; check broadcast sizes; G1GC with a larger region size for big heaps.',
    validate: `Re-run: the GC share of ${label(stage)} should fall below ${pct(g.highBands.low)}.`,
    source: g.source,
  };
}

export function smallTasksFinding(stage: StageSummary): Finding | undefined {
  const s = THRESHOLDS.smallTasks;
  if (stage.numTasks <= s.minTasks || stage.taskTimeMs.median >= s.maxMedianTaskMs) return undefined;
  return {
    rule: 'small-tasks',
    severity: 'moderate',
    scope: scopeOf(stage),
    title: `${label(stage)}: ${stage.numTasks} tasks with median ${ms(stage.taskTimeMs.median)} — scheduling overhead dominates`,
    evidence: { stageId: stage.stageId, tasks: stage.numTasks, medianTaskMs: stage.taskTimeMs.median },
    hypothesis: 'Too many partitions for the data: a high spark.sql.shuffle.partitions without AQE coalescing, or many small input files.',
    fix: 'Let AQE coalesce (spark.sql.adaptive.coalescePartitions.enabled=true) or lower spark.sql.shuffle.partitions; compact small input files; raise spark.sql.files.maxPartitionBytes.',
    validate: `Re-run: ${label(stage)} should have far fewer tasks with a median above ${ms(s.maxMedianTaskMs)} and a shorter stage time.`,
    source: s.source,
  };
}

export function oversizedPartitionFinding(stage: StageSummary, tasks: readonly TaskRecord[]): Finding | undefined {
  const limit = THRESHOLDS.oversizedPartition.maxTaskBytes;
  const biggest = tasks.reduce((acc, t) => Math.max(acc, t.shuffleReadBytes, t.inputBytes), 0);
  if (biggest <= limit) return undefined;
  return {
    rule: 'oversized-partition',
    severity: 'severe',
    scope: scopeOf(stage),
    title: `${label(stage)}: one task processed ${bytes(biggest)} (> ${bytes(limit)})`,
    evidence: { stageId: stage.stageId, maxTaskBytes: biggest, limitBytes: limit },
    hypothesis: 'Too few partitions for the data, or skew: such a task spills, runs long and risks executor OOM.',
    fix: 'Raise spark.sql.shuffle.partitions (target 128–256 MB per partition), let AQE split skewed partitions, or repartition before the wide operation.',
    validate: `Re-run: the max task bytes of ${label(stage)} should be near the advisory partition size.`,
    source: THRESHOLDS.oversizedPartition.source,
  };
}

export function smallFilesFindings(stage: StageSummary, tasks: readonly TaskRecord[]): Finding[] {
  const f = THRESHOLDS.smallFiles;
  const out: Finding[] = [];
  const writers = tasks.filter((t) => t.outputBytes > 0);
  if (writers.length > f.minWriteTasks) {
    const avg = stage.outputBytes / writers.length;
    if (avg < f.maxAvgWrittenBytes) {
      out.push({
        rule: 'small-files-written',
        severity: 'moderate',
        scope: scopeOf(stage),
        title: `${label(stage)}: ${writers.length} tasks wrote ${bytes(stage.outputBytes)} — at most ${bytes(avg)} per file on average`,
        evidence: { stageId: stage.stageId, writingTasks: writers.length, outputBytes: stage.outputBytes, avgBytesPerWritingTask: round(avg, 0) },
        hypothesis:
          'Each writing task writes at least one file per output partition value: many tasks × partition values give many small files, which slow every later read.',
        fix: 'Coalesce/repartition by the output partition columns before writing (df.repartition("date")), or set spark.sql.files.maxRecordsPerFile sensibly; compact afterwards (OPTIMIZE on Delta).',
        validate: 'Count the files written and their median size: aim for 128 MB–1 GB per file.',
        source: f.source,
      });
    }
  }
  const readers = tasks.filter((t) => t.inputBytes > 0);
  if (readers.length > f.minReadTasks && median(readers.map((t) => t.inputBytes)) < f.maxMedianReadBytes) {
    const med = median(readers.map((t) => t.inputBytes));
    out.push({
      rule: 'small-files-read',
      severity: 'low',
      scope: scopeOf(stage),
      title: `${label(stage)}: ${readers.length} read tasks with median input ${bytes(med)}`,
      evidence: { stageId: stage.stageId, readingTasks: readers.length, medianTaskInputBytes: med, inputBytes: stage.inputBytes },
      hypothesis:
        'Spark packs files into splits up to spark.sql.files.maxPartitionBytes (plus openCostInBytes per file): many tiny splits mean many small files, or a table partitioned too finely.',
      fix: 'Compact the input (fewer, larger files); raise spark.sql.files.openCostInBytes so more small files share a task.',
      validate: 'Re-run: fewer read tasks with a median input near 128 MB.',
      source: f.source,
    });
  }
  return out;
}

export function failureFindings(stage: StageSummary, tasks: readonly TaskRecord[]): Finding[] {
  const out: Finding[] = [];
  const failed = tasks.filter((t) => t.failed).length;
  if (failed > 0) {
    const rate = failed / tasks.length;
    const severity = bandOf(rate, THRESHOLDS.taskFailures.rateBands) ?? 'info';
    out.push({
      rule: 'task-failures',
      severity,
      scope: scopeOf(stage),
      title: `${label(stage)}: ${failed} of ${tasks.length} task attempts failed (${pct(rate)})`,
      evidence: {
        stageId: stage.stageId,
        failedTasks: failed,
        taskAttempts: tasks.length,
        failureRate: round(rate, 4),
        failureReason: (stage.failureReason ?? '').split('\n', 1)[0] ?? '',
      },
      hypothesis:
        'Executor loss (OOM kill by the resource manager, preemption), fetch failures after a lost shuffle file, or a data error retried up to spark.task.maxFailures.',
      fix: 'Read the failure reasons in the Spark UI; for OOM raise spark.executor.memoryOverhead or shrink partitions; for fetch failures check lost executors and the external shuffle service.',
      validate: 'Re-run: zero failed task attempts in this stage.',
      source: THRESHOLDS.taskFailures.source,
    });
  }
  if (stage.speculativeTasks > 0) {
    out.push({
      rule: 'speculative-tasks',
      severity: 'info',
      scope: scopeOf(stage),
      title: `${label(stage)}: ${stage.speculativeTasks} speculative task attempts (${stage.killedTasks} killed)`,
      evidence: { stageId: stage.stageId, speculativeTasks: stage.speculativeTasks, killedTasks: stage.killedTasks },
      hypothesis: 'Spark saw tasks slower than spark.speculation.multiplier × median and launched copies: stragglers or skew.',
      fix: 'If the copies won, the slowness was the node; if they lost, it was the data (see the skew finding): speculation only burns slots then.',
      validate: "Compare the speculative copies' outcome in the Spark UI task table.",
      source: 'Spark speculation settings',
    });
  }
  return out;
}
