// Public types of the insights report: the tables it reads (one row shape per job output table), the findings it
// writes, and its named errors. Every other module in this folder imports its shapes from here.

/** Dates travel as ISO `YYYY-MM-DD` strings (UTC days): they sort, compare and print without a Date object. */

export type IsoDate = string;

type ColumnKind = 'date' | 'num' | 'str';
/** A row of a table in OUTPUT_COLUMNS: numbers, ISO dates and strings, as load.ts reads them. */
type RowOf<T extends Readonly<Record<string, ColumnKind>>> = { -readonly [K in keyof T]: T[K] extends 'num' ? number : T[K] extends 'date' ? IsoDate : string };

/** The session statistics sessions_daily and sessions_by_segment share (one per day, one per day and segment). */
const SESSION_STATS = {
  sessions: 'num',
  avg_duration_ms: 'num',
  p50_duration_ms: 'num',
  p90_duration_ms: 'num',
  p99_duration_ms: 'num',
  avg_actions: 'num',
} as const;

/**
 * The job output tables as the report reads them (spark-jobs OUTPUT_SCHEMAS, docs/tables.md): the columns of each and
 * the type load.ts casts them to (extra columns are ignored). The row types below are derived from it: one definition.
 */
export const OUTPUT_COLUMNS = {
  daily: { date: 'date', dau: 'num', wau: 'num', mau: 'num', stickiness: 'num', new_users: 'num' },
  monthly: { month: 'date', mau: 'num' },
  daily_by_segment: {
    date: 'date',
    country: 'str',
    device_type: 'str',
    subscription_type: 'str',
    dau: 'num',
    wau: 'num',
    mau: 'num',
    new_users: 'num',
  },
  sessions_daily: { date: 'date', ...SESSION_STATS, avg_duration_uncapped_ms: 'num' },
  sessions_by_segment: { date: 'date', country: 'str', device_type: 'str', subscription_type: 'str', ...SESSION_STATS },
  top_users: { user_id: 'str', events: 'num', share: 'num' },
  app_versions_daily: { date: 'date', app_version: 'str', events: 'num', users: 'num' },
} as const satisfies Record<string, Record<string, ColumnKind>>;

export type DailyRow = RowOf<typeof OUTPUT_COLUMNS.daily>;
export type MonthlyRow = RowOf<typeof OUTPUT_COLUMNS.monthly>;
export type DailyBySegmentRow = RowOf<typeof OUTPUT_COLUMNS.daily_by_segment>;
export type SessionsDailyRow = RowOf<typeof OUTPUT_COLUMNS.sessions_daily>;
export type SessionsBySegmentRow = RowOf<typeof OUTPUT_COLUMNS.sessions_by_segment>;
export type TopUserRow = RowOf<typeof OUTPUT_COLUMNS.top_users>;
export type AppVersionDailyRow = RowOf<typeof OUTPUT_COLUMNS.app_versions_daily>;

export type SegmentDimension = 'country' | 'device_type' | 'subscription_type';
export const segmentDimensions: readonly SegmentDimension[] = ['country', 'device_type', 'subscription_type'];

/** The quarantine table aggregated by reason: the report needs counts, never the rejected rows themselves. */
export interface QuarantineByReasonRow {
  reason: string;
  rows: number;
}

/** `_run.json`, as far as the report uses it; unknown keys are kept but ignored. */
export interface RunInfo {
  job?: string;
  args?: unknown;
  window?: unknown;
  reconciliation?: {
    input_rows?: number;
    accepted_rows?: number;
    quarantined_rows?: Record<string, number>;
    duplicates_removed?: number;
  };
}

/** Everything read from one OUT_DIR. Optional tables are `undefined` when their folder is absent. */
export interface InsightsTables {
  outDir: string;
  daily: DailyRow[];
  monthly?: MonthlyRow[];
  dailyBySegment?: DailyBySegmentRow[];
  sessionsDaily: SessionsDailyRow[];
  sessionsBySegment?: SessionsBySegmentRow[];
  quarantineByReason?: QuarantineByReasonRow[];
  topUsers?: TopUserRow[];
  appVersionsDaily?: AppVersionDailyRow[];
  run?: RunInfo;
}

/** Stable ids, so tests and readers can look a finding up without parsing its text. */
export type InsightId =
  | 'dau-trend'
  | 'sessions-trend'
  | 'weekly-seasonality'
  | 'stickiness'
  | 'segment-difference'
  | 'outlier-cap'
  | 'quarantine'
  | 'app-version-rollout'
  | 'top-users-share'
  | 'manifest-hot-keys';

/**
 * One sentence of the written analysis. `text` is what the page shows; `evidence` holds the numbers it was derived
 * from (and the thresholds it was tested against), so a test or a sceptical reader can recheck the claim.
 */
export interface Insight {
  id: InsightId;
  text: string;
  evidence: Record<string, number | string | boolean | null>;
}

export interface WriteInsightsOptions {
  /** A job's `--out` folder holding the Parquet table folders and `_run.json`. */
  outDir: string;
  /** Where to write the HTML page. Default: `<outDir>/insights.html`. */
  reportPath?: string;
  /** Optional generator `_manifest.json`, shown beside the findings for comparison. Default: none. */
  manifestPath?: string;
}

export interface WriteInsightsResult {
  reportPath: string;
  findings: Insight[];
}
