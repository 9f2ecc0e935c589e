// bench advise: inputs, the calculation steps it shows, and the settings it proposes.

export type JobKind = 'pre' | 'post';

export interface MeasuredRun {
  readonly source: string; // the run or event log it came from
  /** The largest stage input: the dataset as the job read it. */
  readonly inputBytes: number;
  /** The largest stage's shuffle write: the exchange the partition count must be sized for. */
  readonly shuffleWriteBytes: number;
  readonly memorySpilledBytes: number;
  /** Peak execution memory of a task per byte of shuffle it read (max over stages): how much rows grow in memory. */
  readonly memoryPerShuffleByte?: number;
  readonly taskCoreMs: number;
}

export interface AdviseInput {
  readonly dataBytes: number;
  readonly nodes: number;
  readonly coresPerNode: number;
  readonly memoryPerNodeBytes: number;
  readonly job: JobKind;
  readonly measured?: MeasuredRun;
  /** One machine in Spark local mode: driver and tasks share one JVM (`local[cores]`), no containers, no cluster daemons. */
  readonly local?: boolean;
}

/** One line of the calculation: what, how (formula with the numbers put in), the result. */
export interface Step {
  readonly name: string;
  readonly formula: string;
  readonly value: number;
  readonly display: string;
  readonly why: string;
}

export interface Advice {
  readonly input: AdviseInput;
  readonly steps: readonly Step[];
  /** spark-submit settings, ready for --conf. */
  readonly settings: Readonly<Record<string, string>>;
  readonly safeguards: readonly string[];
  /** The same advice as a `bench run` grid configuration (bench/harness/grid/schema.ts keys), so it can be run and measured. */
  readonly grid: Readonly<Record<string, string | number | boolean>>;
  /** Core-hours and wall-time estimate, only when scaled from a measured run. */
  readonly estimate?: { readonly coreHours: number; readonly wallMinutes: number; readonly basis: string };
}
