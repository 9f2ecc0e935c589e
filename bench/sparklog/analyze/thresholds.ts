// Every threshold `bench analyze` uses, with its source. docs/spark-ui-analysis.md mirrors this table; change both.

import type { Severity } from './types.ts';

/** Ascending bands: a value at or above `low` is low, at or above `moderate` moderate, and so on. */
export interface Bands {
  readonly low: number;
  readonly moderate: number;
  readonly severe: number;
  readonly critical: number;
}

export function bandOf(value: number, bands: Bands): Severity | undefined {
  if (!Number.isFinite(value)) return undefined;
  if (value >= bands.critical) return 'critical';
  if (value >= bands.severe) return 'severe';
  if (value >= bands.moderate) return 'moderate';
  if (value >= bands.low) return 'low';
  return undefined;
}

/** Descending bands (lower is worse), for "too little GC". */
export function descendingBandOf(value: number, bands: Bands): Severity | undefined {
  if (!Number.isFinite(value)) return undefined;
  if (value <= bands.critical) return 'critical';
  if (value <= bands.severe) return 'severe';
  if (value <= bands.moderate) return 'moderate';
  if (value <= bands.low) return 'low';
  return undefined;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export const THRESHOLDS = {
  taskSkew: {
    // Dr. Elephant StagesAnalyzer: DEFAULT_TASK_SKEW_THRESHOLDS, ratio of max to median task run time.
    ratioBands: { low: 2, moderate: 4, severe: 8, critical: 16 } satisfies Bands,
    // Dr. Elephant flags skew only when the longest task is ≥ 0.75 of the stage and ≥ 150 s. We keep the idea but
    // relax both: at 2–8 cores a stage runs in waves, so its longest task is rarely 0.75 of it, and local runs
    // are seconds long. The minimum task time is an option (--min-skew-task-ms).
    slowestTaskShareOfStage: 0.5,
    minSlowestTaskMs: 1000,
    // Bytes ratio (shuffle read, else input) at or above which the time skew is called data skew.
    dataSkewBytesRatio: 2,
    // DataFlint's interactive alert: slowest task over 10× the median and over 5 s.
    dataflintRatio: 10,
    dataflintMinMs: 5000,
    source: 'Dr. Elephant StagesAnalyzer (bands 2/4/8/16, gate 0.75 of stage & 150 s, relaxed here); DataFlint (>10× and >5 s)',
  },
  spill: {
    // Dr. Elephant DEFAULT_EXECUTION_MEMORY_SPILL_THRESHOLDS: memory spilled / max(input, output, shuffle read, shuffle write).
    ratioBands: { low: 0.01, moderate: 0.1, severe: 0.25, critical: 0.5 } satisfies Bands,
    source: 'Dr. Elephant StagesAnalyzer DEFAULT_EXECUTION_MEMORY_SPILL_THRESHOLDS',
  },
  gc: {
    // Dr. Elephant DEFAULT_GC_SEVERITY_A_THRESHOLDS: JVM GC time / executor run time.
    highBands: { low: 0.08, moderate: 0.09, severe: 0.1, critical: 0.15 } satisfies Bands,
    // Dr. Elephant ExecutorGcHeuristic severity D (descending): too little GC, memory probably over-provisioned.
    lowBands: { low: 0.05, moderate: 0.04, severe: 0.03, critical: 0.01 } satisfies Bands,
    // Judging GC on a few seconds of run time says nothing; stages and apps below this are not judged.
    minRunTimeMs: 60_000,
    source: 'Dr. Elephant DEFAULT_GC_SEVERITY_A_THRESHOLDS (high) and ExecutorGcHeuristic severity D (low)',
  },
  idleCores: {
    // Sparklens reports the share of executor core-time no task used; the bands are ours.
    idleShareBands: { low: 0.25, moderate: 0.5, severe: 0.75, critical: 0.9 } satisfies Bands,
    // Shares of a few seconds are start-up noise, not a finding.
    minWallMs: 5000,
    source: "Sparklens (idle core-time = 1 − task time / (executor lifetime × cores)); bands are insights-bench's",
  },
  driverTime: {
    // Sparklens splits wall time into driver-only and executor time; the bands are ours.
    shareBands: { low: 0.25, moderate: 0.5, severe: 0.75, critical: 0.9 } satisfies Bands,
    minWallMs: 5000,
    source: "Sparklens driver vs. executor wall time; bands are insights-bench's",
  },
  smallTasks: {
    // Spark tuning guide: tasks as short as ~200 ms are fine; below that, scheduling overhead dominates.
    minTasks: 5000,
    maxMedianTaskMs: 500,
    source: 'insights-bench rule of thumb (>5000 tasks with median <500 ms); Spark tuning guide ("tasks as short as 200 ms")',
  },
  oversizedPartition: {
    maxTaskBytes: 5 * GiB,
    source: "insights-bench rule of thumb (>5 GB in one task); Spark's advisory partition size is 64 MB",
  },
  broadcast: {
    // Spark's default spark.sql.autoBroadcastJoinThreshold; a sort-merge join with a side below it should broadcast.
    broadcastableBytes: 10 * MiB,
    // Beyond ~1 GiB the driver collects and every executor holds a copy; Spark refuses 8 GiB outright.
    tooBigBytes: 1 * GiB,
    source: 'Spark defaults (autoBroadcastJoinThreshold 10 MB; broadcast hard limit 8 GB)',
  },
  smallFiles: {
    // Parquet/Delta guidance is 128 MB–1 GB files; we flag average output per writing task below 32 MiB
    // with more than this many writing tasks, and median input per task below 8 MiB in stages of many tasks.
    minWriteTasks: 10,
    maxAvgWrittenBytes: 32 * MiB,
    minReadTasks: 50,
    maxMedianReadBytes: 8 * MiB,
    source: 'insights-bench heuristic from per-task bytes (the event log has no file counts); file-size guidance 128 MB–1 GB',
  },
  overPartitioned: {
    // A shuffle stage of many tasks whose median task reads under 1 MiB: Spark's default 200 partitions on small data.
    // The count it should have: the stage's shuffle bytes over AQE's default advisory partition size (64 MiB).
    minTasks: 50,
    maxMedianShuffleReadBytes: 1 * MiB,
    targetPartitionBytes: 64 * MiB,
    source: 'spark.sql.adaptive.advisoryPartitionSizeInBytes default (64 MiB); Spark tuning guide ("tasks as short as 200 ms")',
  },
  executorLost: {
    // Removal reasons that are a release the driver or the resource manager was asked for (dynamic allocation,
    // decommissioning, the end of the application), not a loss.
    expectedReason: /explicit termination request|killed by driver|decommission|idle|application (has )?(finished|ended)|stopped/i,
    source: 'Spark SparkListenerExecutorRemoved reasons (ExecutorLossReason, YARN container exit status)',
  },
  taskFailures: {
    // Dr. Elephant StagesAnalyzer DEFAULT_TASK_FAILURE_RATE_SEVERITY_THRESHOLDS: failed tasks / tasks.
    rateBands: { low: 0.05, moderate: 0.1, severe: 0.15, critical: 0.2 } satisfies Bands,
    source: 'Dr. Elephant StagesAnalyzer DEFAULT_TASK_FAILURE_RATE_SEVERITY_THRESHOLDS',
  },
} as const;
