// What one run of one job under one configuration leaves behind: a line of results/RUN_ID/runs.jsonl.
// compare/ and report/ read only these records (and the event logs they point to).
import type { Dist, StageSummary, SUMMED_VOLUMES } from '../../sparklog/eventlog/types.ts';
import type { Engine, RunConfig } from '../grid/schema.ts';
import type { TableChecksum } from './checksum.ts';
import type { JobName } from './jobs.ts';

export type { JobName } from './jobs.ts';

/** The byte and time totals a run record keeps per stage and per run: StageSummary's own fields (sparklog/eventlog). */
type Volumes = Pick<StageSummary, (typeof SUMMED_VOLUMES)[number] | 'peakExecutionMemoryMaxBytes'>;

/** Per-stage metrics taken from the event-log summary (bench/sparklog/eventlog). Bytes and milliseconds. */
export interface StageMetrics extends Volumes, Pick<StageSummary, 'stageId' | 'attemptId' | 'name' | 'failedTasks' | 'taskTimeMs'> {
  readonly tasks: number; // StageSummary.numTasks
  readonly durationMs: number; // completion − submission
  /**
   * SQL operators the stage ran (StageSummary.operators). Absent in records bench run wrote before it recorded them:
   * read them from the record's event log then (bench/harness/compare/stage-input.ts).
   */
  readonly operators?: readonly string[];
  /** Shuffle bytes read per task (successful tasks). Absent in the same older records. */
  readonly taskShuffleReadBytes?: Dist;
}

/** A run's totals: the stages' volumes summed (peak memory: the largest), and how many stages and tasks. */
export interface RunTotals extends Volumes {
  readonly stages: number;
  readonly tasks: number;
}

/** How a configuration was mapped onto the master it ran on (local mode cannot set executors). */
export interface EffectiveLaunch {
  readonly master: string;
  readonly sparkSubmitArgs: readonly string[];
  readonly notes: readonly string[];
}

interface RunRecordBase {
  readonly key: string; // `${configId}-${job}-r${repeat}`
  readonly index: number; // 1-based position in the run order
  readonly job: JobName;
  readonly configId: string;
  readonly configLabel: string;
  readonly gridValues: Readonly<Record<string, unknown>>;
  readonly config: RunConfig;
  /** engineOf(config), written out so runs.jsonl says it; absent in records from before engines existed (spark). */
  readonly engine?: Engine;
  readonly repeat: number; // 1-based
  readonly launch: EffectiveLaunch;
  readonly sparkVersion: string;
  readonly gitCommit: string;
  readonly manifestSha256: string | null;
  readonly dataDir: string;
  readonly startedAt: string; // ISO time
  /** spark-submit's wall time alone: process start to exit, no checksumming or parsing. */
  readonly wallTimeMs: number;
  readonly exitCode: number | null;
  /** Event log path relative to the run folder, if Spark wrote one. */
  readonly eventLog: string | null;
  /** spark-submit's stdout+stderr, relative to the run folder. */
  readonly log: string;
  /** Executors the application had (driver excluded in cluster mode), with their hosts, from the event log. */
  readonly executors: readonly { readonly id: string; readonly host: string; readonly cores: number }[];
  readonly stages: readonly StageMetrics[];
  readonly totals: RunTotals | null;
  /** Why stages are empty although the run completed (e.g. the event log could not be read). */
  readonly eventLogError?: string;
}

export interface CompletedRun extends RunRecordBase {
  readonly state: 'completed';
  readonly checksums: Readonly<Record<string, TableChecksum>>;
}

export interface FailedRun extends RunRecordBase {
  readonly state: 'failed';
  readonly error: { readonly kind: 'oom' | 'exception' | 'killed' | 'checksum'; readonly message: string };
}

export type RunRecord = CompletedRun | FailedRun;

/** results/RUN_ID/run.json: what the whole run was. */
export interface RunMeta {
  readonly runId: string;
  readonly createdAt: string;
  readonly gridFile: string;
  readonly grid: unknown;
  readonly jobs: readonly JobName[];
  readonly repeat: number;
  readonly master: string;
  readonly dataDir: string;
  readonly manifestSha256: string | null;
  readonly gitCommit: string;
  readonly sparkVersion: string;
  readonly host: { readonly cpus: number; readonly memoryBytes: number; readonly platform: string };
}
