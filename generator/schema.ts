// The one definition of both datasets (docs/challenge.md). The generator writes exactly these columns and
// types; the harness and the tests import them to check what Spark and DuckDB read back. Nothing else in the
// repository may spell a column name or a vocabulary on its own.

/** Logical column types, named as Spark reports them (`DataFrame.dtypes`). */
export type ColumnType = 'string' | 'timestamp' | 'date' | 'bigint';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  /** True only where bad rows may carry a null (interactions.user_id under --bad-rows). */
  readonly nullable: boolean;
}

export interface Dataset {
  readonly name: 'interactions' | 'metadata';
  /** The logical schema exactly as the challenge gives it, in its order. */
  readonly columns: readonly Column[];
  /**
   * Hive-style partition column: `<out>/<name>/<partitionBy>=<value>/part-NNNNN.parquet`. Like Spark's own
   * `partitionBy`, it is never stored inside the files: readers take it from the folder name. For interactions it is
   * an extra column (`date`, the UTC date of `timestamp`); for metadata it is the schema's own `country`.
   */
  readonly partitionBy: { readonly name: string; readonly type: 'date' | 'string' };
}

/** Columns stored inside the Parquet files, in file order: the logical schema less the partition column. */
export function fileColumns(dataset: Dataset): readonly Column[] {
  return dataset.columns.filter((c) => c.name !== dataset.partitionBy.name);
}

export const interactions: Dataset = {
  name: 'interactions',
  columns: [
    { name: 'user_id', type: 'string', nullable: true },
    { name: 'timestamp', type: 'timestamp', nullable: false },
    { name: 'action_type', type: 'string', nullable: false },
    { name: 'page_id', type: 'string', nullable: false },
    { name: 'duration_ms', type: 'bigint', nullable: false },
    { name: 'app_version', type: 'string', nullable: false },
  ],
  partitionBy: { name: 'date', type: 'date' },
};

export const metadata: Dataset = {
  name: 'metadata',
  columns: [
    { name: 'user_id', type: 'string', nullable: false },
    { name: 'join_date', type: 'date', nullable: false },
    { name: 'country', type: 'string', nullable: false },
    { name: 'device_type', type: 'string', nullable: false },
    { name: 'subscription_type', type: 'string', nullable: false },
  ],
  partitionBy: { name: 'country', type: 'string' },
};

export const datasets = { interactions, metadata } as const;

/** A categorical vocabulary with relative weights (they need not sum to 1). */
export interface Vocabulary {
  readonly values: readonly string[];
  readonly weights: readonly number[];
}

/**
 * Action types, skewed like a note-taking app's event stream. The Spark jobs' definition of a *qualifying* action
 * lives in spark-jobs/insights/definitions.py; app_open/app_close are lifecycle pings and do not make a user active.
 */
export const actionTypes: Vocabulary = {
  values: ['page_view', 'scroll', 'edit', 'click', 'search', 'app_open', 'app_close', 'share', 'export', 'purchase'],
  weights: [40, 18, 14, 10, 5, 5, 5, 1.5, 1.2, 0.3],
};

/** Written only into bad rows (`--bad-rows`): an action type no client sends. */
export const unknownActionType = 'unknown_action';

/** Countries with their share of users and a fixed UTC offset in hours (no DST: a generator, not a calendar). */
export const countries: { readonly code: string; readonly weight: number; readonly utcOffsetHours: number }[] = [
  { code: 'US', weight: 28, utcOffsetHours: -5 },
  { code: 'GB', weight: 8, utcOffsetHours: 0 },
  { code: 'DE', weight: 7, utcOffsetHours: 1 },
  { code: 'JP', weight: 7, utcOffsetHours: 9 },
  { code: 'IN', weight: 6, utcOffsetHours: 5.5 },
  { code: 'FR', weight: 5, utcOffsetHours: 1 },
  { code: 'CA', weight: 4, utcOffsetHours: -5 },
  { code: 'BR', weight: 4, utcOffsetHours: -3 },
  { code: 'AU', weight: 4, utcOffsetHours: 10 },
  { code: 'KR', weight: 3.5, utcOffsetHours: 9 },
  { code: 'CN', weight: 3, utcOffsetHours: 8 },
  { code: 'MX', weight: 2.5, utcOffsetHours: -6 },
  { code: 'ES', weight: 2.5, utcOffsetHours: 1 },
  { code: 'IT', weight: 2.5, utcOffsetHours: 1 },
  { code: 'NL', weight: 2, utcOffsetHours: 1 },
  { code: 'SE', weight: 1.5, utcOffsetHours: 1 },
  { code: 'SG', weight: 1.5, utcOffsetHours: 8 },
  { code: 'TW', weight: 1.5, utcOffsetHours: 8 },
  { code: 'HK', weight: 1.2, utcOffsetHours: 8 },
  { code: 'ID', weight: 1.2, utcOffsetHours: 7 },
  { code: 'PL', weight: 1, utcOffsetHours: 1 },
  { code: 'CH', weight: 1, utcOffsetHours: 1 },
  { code: 'NZ', weight: 0.8, utcOffsetHours: 12 },
  { code: 'ZA', weight: 0.6, utcOffsetHours: 2 },
  { code: 'AE', weight: 0.6, utcOffsetHours: 4 },
];

export const deviceTypes: Vocabulary = {
  values: ['iPad', 'iPhone', 'Mac', 'Android tablet', 'Android phone', 'Windows', 'Web'],
  weights: [45, 20, 12, 8, 6, 5, 4],
};

export const subscriptionTypes: Vocabulary = {
  values: ['free', 'premium', 'education', 'enterprise'],
  weights: [62, 28, 7, 3],
};

/** Bad-row kinds written under `--bad-rows`, counted exactly in the manifest; the jobs' quarantine reasons match. */
export const badRowKinds = ['null_user_id', 'negative_duration', 'future_timestamp', 'unknown_action_type', 'duplicate'] as const;
export type BadRowKind = (typeof badRowKinds)[number];

/** Folder of one partition, relative to `<out>/<dataset>`. */
export function partitionDir(dataset: Dataset, value: string): string {
  return `${dataset.partitionBy.name}=${value}`;
}

/** File name of the n-th part in a partition folder. */
export function partFileName(n: number): string {
  return `part-${String(n).padStart(5, '0')}.parquet`;
}
