// bench advise: inputs, the calculation steps it shows, and the settings it proposes.

export type JobKind = 'pre' | 'post';

export interface MeasuredRun {
  readonly source: string; // the run or event log it came from
  /** The largest stage input: the dataset as the job read it. */
  readonly inputBytes: number;
  /** The largest stage's shuffle write: the exchange the partition count must be sized for. */
  readonly shuffleWriteBytes: number;
  readonly memorySpilledBytes: number;
  /**
   * Peak execution memory of a task per byte of shuffle it read, in the stage that reads the largest shuffle (the one
   * the partition count is sized for; the highest ratio among its tasks): how much a partition grows in memory.
   */
  readonly memoryPerShuffleByte?: number;
  /** True when tasks of that stage spilled: their ratio is (peak + memory spilled) / shuffle read, the in-memory size
   * they would have needed without spilling, since a spilling task's peak is capped by the memory it had. */
  readonly memoryRatioFromSpill?: boolean;
  readonly taskCoreMs: number;
  /** What the job persists: the in-memory sizes of its distinct cached relations (the plans' TableCacheQueryStage statistics). */
  readonly persistedBytes?: number;
  /** The highest storage memory an executor reported (cached blocks and broadcast copies that stayed in memory). */
  readonly peakStorageBytes?: number;
  /** Local disk the run wrote: every stage's shuffle write plus disk spill. */
  readonly localDiskBytes: number;
  /** The largest broadcast relation as built in memory (BroadcastExchange "data size"). */
  readonly largestBroadcastBytes?: number;
  /** In-memory relation bytes per byte of the files it was built from, for the largest broadcast read straight from files. */
  readonly broadcastBytesPerFileByte?: number;
}

/** How task core-time grows with input across runs of one job at several sizes (series.ts). */
export interface CostFit {
  readonly points: readonly { readonly source: string; readonly inputBytes: number; readonly taskCoreMs: number }[];
  readonly fixedCoreMs: number;
  readonly coreMsPerByte: number;
  /** (measured − fitted) / measured, per point. */
  readonly residuals: readonly number[];
}

export interface AdviseInput {
  readonly dataBytes: number;
  readonly nodes: number;
  readonly coresPerNode: number;
  readonly memoryPerNodeBytes: number;
  readonly job: JobKind;
  readonly measured?: MeasuredRun;
  /** The user metadata the job joins (files); default: the challenge's 100 GB per 1 TB of dataBytes. */
  readonly metadataBytes?: number;
  /** One machine in Spark local mode: driver and tasks share one JVM (`local[cores]`), no containers, no cluster daemons. */
  readonly local?: boolean;
  /**
   * The node's cores and memory are what a worker offers to executors (standalone --cores/--memory, YARN's
   * nodemanager.resource.*): nothing is reserved for the OS, and the driver runs outside the workers (client mode).
   */
  readonly offer?: boolean;
  /** Runs at several sizes: the estimate uses their fitted growth instead of the measured run's average cost per byte. */
  readonly series?: CostFit;
  /** A wall-time target: the estimate adds how many nodes of this kind finish within it. */
  readonly deadlineMs?: number;
}

/** One line of the calculation: what, how (formula with the numbers put in), the result. */
export interface Step {
  readonly name: string;
  readonly formula: string;
  readonly value: number;
  readonly display: string;
  readonly why: string;
}

/** A setting the job chooses itself unless it is passed with --conf: advise does not emit it, and says so. */
export interface JobOwnedSetting {
  readonly key: string;
  /** What the job sets when the key is not passed. */
  readonly jobValue: string;
  /** What advise would have passed for a job that does not choose it itself. */
  readonly adviseValue: string;
}

export interface Advice {
  readonly input: AdviseInput;
  readonly steps: readonly Step[];
  /** spark-submit settings, ready for --conf. Never a key the job sets itself (see leftToJob). */
  readonly settings: Readonly<Record<string, string>>;
  /** Keys the job sets itself; passing any of them with --conf switches the job's own choice off. */
  readonly leftToJob: readonly JobOwnedSetting[];
  /** Things to act on: the job's own choice does not fit the memory, the persisted data does not fit the storage pool… */
  readonly warnings: readonly string[];
  readonly safeguards: readonly string[];
  /** Every ratio or size advise did not take from the --from run (or from the input), with what it used instead and why. */
  readonly defaults: readonly string[];
  /** The shuffle partition count's parts (steps show them as text): ~128 MiB each, fitting a task's memory, and the
   * larger of the two rounded up to whole waves of task slots. */
  readonly partitionCounts: { readonly bySize: number; readonly byMemory: number; readonly wholeWaves: number };
  /** The same advice as a `bench run` grid configuration (bench/harness/grid/schema.ts keys), so it can be run and measured. */
  readonly grid: Readonly<Record<string, string | number | boolean>>;
  /** Core-hours and wall-time estimate, only when scaled from a measured run. */
  readonly estimate?: {
    readonly coreHours: number;
    readonly wallMinutes: number;
    readonly basis: string;
    /** With a deadline: the fewest nodes of this kind whose task slots finish the core-time within it. */
    readonly nodesForDeadline?: number;
  };
}
