// Public types of the insights report: the tables it reads (one row shape per job output table), the findings it
// writes, and its named errors. Every other module in this folder imports its shapes from here.

/** Dates travel as ISO `YYYY-MM-DD` strings (UTC days): they sort, compare and print without a Date object. */

export type IsoDate = string;

export interface DailyRow {
  date: IsoDate;
  dau: number;
  wau: number;
  mau: number;
  stickiness: number;
  new_users: number;
}

export interface MonthlyRow {
  month: IsoDate;
  mau: number;
}

export type SegmentDimension = 'country' | 'device_type' | 'subscription_type';
export const segmentDimensions: readonly SegmentDimension[] = ['country', 'device_type', 'subscription_type'];

export interface DailyBySegmentRow {
  date: IsoDate;
  country: string;
  device_type: string;
  subscription_type: string;
  dau: number;
  wau: number;
  mau: number;
  new_users: number;
}

export interface SessionsDailyRow {
  date: IsoDate;
  sessions: number;
  avg_duration_ms: number;
  p50_duration_ms: number;
  p90_duration_ms: number;
  p99_duration_ms: number;
  avg_actions: number;
  avg_duration_uncapped_ms: number;
}

export interface SessionsBySegmentRow {
  date: IsoDate;
  country: string;
  device_type: string;
  subscription_type: string;
  sessions: number;
  avg_duration_ms: number;
  p50_duration_ms: number;
  p90_duration_ms: number;
  p99_duration_ms: number;
  avg_actions: number;
}

/** The quarantine table aggregated by reason: the report needs counts, never the rejected rows themselves. */
export interface QuarantineByReasonRow {
  reason: string;
  rows: number;
}

export interface TopUserRow {
  user_id: string;
  events: number;
  share: number;
}

export interface AppVersionDailyRow {
  date: IsoDate;
  app_version: string;
  events: number;
  users: number;
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
