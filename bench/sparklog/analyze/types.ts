// What `bench analyze` produces: plain objects, so `--json` and the HTML report can embed them as they are.

export type Severity = 'info' | 'low' | 'moderate' | 'severe' | 'critical';

export type RuleId =
  | 'task-skew' // max/median task time high and the bytes skewed too: data skew
  | 'straggler' // max/median task time high, bytes even: slow node, GC, warm-up or processing skew
  | 'spill'
  | 'gc-pressure'
  | 'gc-low'
  | 'idle-cores'
  | 'driver-time'
  | 'small-tasks'
  | 'oversized-partition'
  | 'smj-broadcastable'
  | 'broadcast-too-big'
  | 'aqe-skew-split'
  | 'aqe-join-converted'
  | 'aqe-coalesced'
  | 'small-files-read'
  | 'small-files-written'
  | 'task-failures'
  | 'executor-lost' // executors that went away other than by a release the driver asked for
  | 'fetch-failures' // shuffle blocks that could not be fetched, and the map output Spark had to recompute
  | 'over-partitioned' // a shuffle split into many tasks that each read almost nothing
  | 'job-settings-overridden' // a run passed a setting the job chooses itself, with another value
  | 'stage-retried'
  | 'speculative-tasks'
  | 'job-failed';

export interface FindingScope {
  readonly level: 'app' | 'sql' | 'job' | 'stage';
  readonly stageId?: number;
  readonly stageAttemptId?: number;
  readonly jobIds?: readonly number[];
  readonly sqlExecutionId?: number;
}

export interface Finding {
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly scope: FindingScope;
  readonly title: string;
  /** The numbers behind the finding; units are in the keys (…Ms, …Bytes, …Ratio). */
  readonly evidence: Readonly<Record<string, number | string | boolean>>;
  readonly hypothesis: string;
  readonly fix: string;
  readonly validate: string;
  /** Where the threshold comes from (see thresholds.ts and docs/spark-ui-analysis.md). */
  readonly source: string;
}

export interface AnalyzeOptions {
  /** Skew and straggler findings need the slowest task to take at least this long. Default 1000 ms. */
  readonly minSkewTaskMs?: number;
}
