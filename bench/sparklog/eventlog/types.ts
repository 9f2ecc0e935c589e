// What the harness (bench run/compare/report) and the analyser (bench analyze/advise) read out of a Spark event
// log. bench/sparklog/eventlog/ parses; everything else consumes these plain objects. Units are in the names.

/** Distribution of one per-task metric over a stage's successful task attempts. */
export interface Dist {
  readonly min: number;
  readonly p25: number;
  readonly median: number;
  readonly p75: number;
  readonly max: number;
  readonly sum: number;
}

export interface TaskRecord {
  readonly stageId: number;
  readonly stageAttemptId: number;
  readonly taskId: number;
  readonly attempt: number;
  readonly executorId: string;
  readonly host: string;
  readonly launchTimeMs: number;
  readonly finishTimeMs: number;
  readonly durationMs: number; // finish - launch
  readonly executorRunTimeMs: number;
  readonly executorCpuTimeNs: number;
  readonly gcTimeMs: number;
  readonly inputBytes: number;
  readonly inputRecords: number;
  readonly outputBytes: number;
  readonly shuffleReadBytes: number; // remote + local
  readonly shuffleReadRecords: number;
  readonly shuffleFetchWaitMs: number;
  readonly shuffleWriteBytes: number;
  readonly shuffleWriteRecords: number;
  readonly shuffleWriteTimeNs: number;
  readonly memorySpilledBytes: number;
  readonly diskSpilledBytes: number;
  readonly peakExecutionMemoryBytes: number;
  readonly failed: boolean;
  readonly killed: boolean;
  readonly speculative: boolean;
  /** Spark's Task End Reason: Success, FetchFailed, ExecutorLostFailure, Resubmitted, TaskKilled, ExceptionFailure… */
  readonly endReason: string;
  /** FetchFailed: the executor whose shuffle output could not be fetched; ExecutorLostFailure: the executor lost. */
  readonly endReasonExecutorId?: string;
  /** FetchFailed: the shuffle the missing block belonged to. */
  readonly endReasonShuffleId?: number;
}

export interface StageSummary {
  readonly stageId: number;
  readonly attemptId: number;
  readonly name: string;
  readonly numTasks: number;
  readonly parentIds: readonly number[];
  readonly submissionTimeMs: number;
  readonly completionTimeMs: number;
  readonly failureReason?: string;
  readonly jobIds: readonly number[];
  readonly sqlExecutionId?: number;
  /**
   * SQL operators this stage ran: distinct plan-node names ("SortMergeJoin", "HashAggregate", "Exchange",
   * "Scan parquet", …), sorted, from the plan metrics its tasks updated (see operators.ts). [] for non-SQL stages.
   */
  readonly operators: readonly string[];
  // Totals over successful tasks.
  readonly inputBytes: number;
  readonly outputBytes: number;
  readonly shuffleReadBytes: number;
  readonly shuffleWriteBytes: number;
  readonly memorySpilledBytes: number;
  readonly diskSpilledBytes: number;
  readonly gcTimeMs: number;
  readonly executorRunTimeMs: number;
  readonly peakExecutionMemoryMaxBytes: number;
  readonly failedTasks: number;
  readonly killedTasks: number;
  readonly speculativeTasks: number;
  // Per-task distributions (successful attempts).
  readonly taskTimeMs: Dist;
  readonly taskShuffleReadBytes: Dist;
  readonly taskInputBytes: Dist;
}

export interface SqlExecution {
  readonly executionId: number;
  readonly description: string;
  readonly physicalPlan: string; // the initial plan description
  readonly finalPlan?: string; // after the last SparkListenerSQLAdaptiveExecutionUpdate
  readonly startTimeMs: number;
  readonly endTimeMs?: number;
}

export interface ExecutorInfo {
  readonly executorId: string;
  readonly host: string;
  readonly cores: number;
  readonly addedTimeMs: number;
  readonly removedTimeMs?: number;
  readonly removedReason?: string;
}

/** A broadcast as Spark built it (BroadcastExchange's driver-side metrics, from the last plan of its SQL execution). */
export interface BroadcastRelation {
  readonly sqlExecutionId: number;
  /** "data size": the relation in memory (a hash table for joins) — what the driver and every executor hold. */
  readonly relationBytes: number;
  readonly rows: number;
  /** "size of files read" of the scans it was built from, when built straight from them: no shuffle, cache, aggregate, join or row-dropping filter in between. */
  readonly scannedFileBytes?: number;
}

/** Highest memory an executor (or the local driver) reported in any stage (SparkListenerStageExecutorMetrics). */
export interface MemoryPeaks {
  readonly executionBytes: number; // OnHeapExecutionMemory + OffHeapExecutionMemory
  readonly storageBytes: number; // OnHeapStorageMemory + OffHeapStorageMemory: cached blocks and broadcast copies
  readonly jvmHeapBytes: number;
}

/**
 * The byte and time volumes a stage sums over its successful tasks (TaskRecord and StageSummary spell them alike),
 * and a run record sums again over its stages (bench/harness/run).
 */
export const SUMMED_VOLUMES = [
  'inputBytes',
  'shuffleReadBytes',
  'shuffleWriteBytes',
  'memorySpilledBytes',
  'diskSpilledBytes',
  'gcTimeMs',
  'executorRunTimeMs',
] as const;

/** One Spark job as the summary keeps it: its stages, its span, and the SQL execution that submitted it. */
export interface JobRecord {
  jobId: number;
  stageIds: number[];
  submissionTimeMs: number;
  completionTimeMs: number;
  succeeded: boolean;
  sqlExecutionId?: number;
}

export interface AppSummary {
  readonly appId: string;
  readonly appName: string;
  readonly sparkVersion: string;
  readonly startTimeMs: number;
  readonly endTimeMs: number;
  readonly sparkProperties: Readonly<Record<string, string>>;
  readonly executors: readonly ExecutorInfo[];
  readonly jobs: readonly JobRecord[];
  readonly stages: readonly StageSummary[];
  readonly sql: readonly SqlExecution[];
  /** Kept for the analyser's what-if replay and the report's task-time distributions. */
  readonly tasks: readonly TaskRecord[];
  /** Every distinct broadcast the application built (by its data-size metric), [] when none or no SQL. */
  readonly broadcasts: readonly BroadcastRelation[];
  /** Absent unless the log was written with spark.eventLog.logStageExecutorMetrics=true (bench run sets it). */
  readonly memoryPeaks?: MemoryPeaks;
}
