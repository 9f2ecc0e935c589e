// The what-if replay checked against real runs of a grid: configurations that differ only in executors ×
// executorCores ran the same job on the same data, so the runs of one layout, replayed onto the other, can be
// compared with what that other layout measured. Pure: summaries and wall times in, plain rows out.
//
// What an estimate covers. bench run records spark-submit's wall time (JVM and Python start-up, session creation,
// the application, shutdown); the replay covers only the jobs. So one estimate from a run of A onto layout B is
//   A's spark-submit wall − A's job time (union of job intervals) + A's jobs replayed on B's slots,
// i.e. everything outside the jobs — start-up, driver-only time between jobs, shutdown — is carried over as A
// measured it, unchanged by the layout.

import type { AppSummary } from '../../sparklog/eventlog/types.ts';
import type { RunConfig } from '../grid/schema.ts';
import type { JobName } from '../run/types.ts';
import { jobRank } from '../run/jobs.ts';
import { median } from '../../lib/stats.ts';
import { whatIf, type WhatIfLayout } from '../../sparklog/analyze/whatif.ts';

/** One completed run of the grid, its event log already summarised. */
export interface RecordedRun {
  readonly key: string;
  readonly job: JobName;
  readonly configId: string;
  readonly configLabel: string;
  readonly config: RunConfig;
  /** spark-submit's wall time (runs.jsonl `wallTimeMs`). */
  readonly wallTimeMs: number;
  readonly summary: AppSummary;
}

export interface Spread {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly valuesMs: readonly number[];
}

export interface WhatIfCheckRow {
  readonly job: JobName;
  readonly from: WhatIfLayout;
  readonly fromConfigIds: readonly string[];
  readonly to: WhatIfLayout;
  readonly toConfigIds: readonly string[];
  /** Replay onto the layout the runs were recorded on (A → A). */
  readonly self: boolean;
  /** One estimate per recorded run of the from-layout. */
  readonly estimate: Spread;
  /** The to-layout's measured spark-submit wall times. */
  readonly measured: Spread;
  /** Median of the time carried over as measured: spark-submit wall − job time of the from-runs. */
  readonly carriedOverMedianMs: number;
  /** (estimate median − measured median) / measured median. */
  readonly error: number;
}

export interface ErrorSummary {
  readonly rows: number;
  readonly medianAbsError: number;
  /** The row with the largest |error|. */
  readonly worst?: WhatIfCheckRow;
}

export interface WhatIfCheck {
  readonly rows: readonly WhatIfCheckRow[];
  /** Rows replaying one layout onto another: the accuracy claim. */
  readonly crossLayout: ErrorSummary;
  /** Rows replaying a layout onto itself: repeat noise plus the model's own error. */
  readonly selfReplay: ErrorSummary;
  /** Runs left out, with why. */
  readonly skipped: readonly string[];
}

export interface WhatIfCheckOptions {
  readonly runs: readonly RecordedRun[];
}

export function layoutLabel(layout: WhatIfLayout): string {
  return `${layout.executors}×${layout.coresPerExecutor}`;
}

/** Everything of a configuration but executors and executorCores, as a canonical string. */
function settingsKey(job: JobName, config: RunConfig): string {
  const { executors: _e, executorCores: _c, ...rest } = config;
  return JSON.stringify({ job, ...rest }, (_k, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
}

function spread(values: readonly number[]): Spread {
  return { medianMs: median(values), minMs: Math.min(...values), maxMs: Math.max(...values), valuesMs: values };
}

/** One run of A as the estimate for layout B: carried-over time + A's jobs replayed on B's slots. */
export function estimateSubmitWallMs(run: RecordedRun, target: WhatIfLayout): { estimateMs: number; carriedOverMs: number } {
  const replay = whatIf(run.summary, target);
  const jobTimeMs = replay.actualWallMs - replay.driverOnlyMs;
  const carriedOverMs = Math.max(0, run.wallTimeMs - jobTimeMs);
  const replayedJobsMs = replay.estimatedWallMs - replay.driverOnlyMs;
  return { estimateMs: carriedOverMs + replayedJobsMs, carriedOverMs };
}

function summarize(rows: readonly WhatIfCheckRow[]): ErrorSummary {
  if (rows.length === 0) return { rows: 0, medianAbsError: Number.NaN };
  const worst = rows.reduce((acc, r) => (Math.abs(r.error) > Math.abs(acc.error) ? r : acc));
  return { rows: rows.length, medianAbsError: median(rows.map((r) => Math.abs(r.error))), worst };
}

interface LayoutGroup<R> {
  readonly layout: WhatIfLayout;
  readonly configIds: string[];
  readonly runs: R[];
}

type Pairable = Pick<RecordedRun, 'key' | 'job' | 'configId' | 'config'>;

/** Runs by job + settings other than the layout, then by layout; runs with no layout set are skipped. */
function groupByLayout<R extends Pairable>(runs: readonly R[]): { groups: { job: JobName; layouts: Map<string, LayoutGroup<R>> }[]; skipped: string[] } {
  const skipped: string[] = [];
  const groups = new Map<string, { job: JobName; layouts: Map<string, LayoutGroup<R>> }>();
  for (const run of runs) {
    const { executors, executorCores } = run.config;
    if (executors === undefined || executorCores === undefined) {
      skipped.push(`${run.key}: executors or executorCores not set in its configuration`);
      continue;
    }
    const layout: WhatIfLayout = { executors, coresPerExecutor: executorCores };
    const key = settingsKey(run.job, run.config);
    const group = groups.get(key) ?? { job: run.job, layouts: new Map<string, LayoutGroup<R>>() };
    groups.set(key, group);
    const label = layoutLabel(layout);
    const byLayout = group.layouts.get(label) ?? { layout, configIds: [], runs: [] };
    group.layouts.set(label, byLayout);
    if (!byLayout.configIds.includes(run.configId)) byLayout.configIds.push(run.configId);
    byLayout.runs.push(run);
  }
  return { groups: [...groups.values()].filter((g) => g.layouts.size >= 2), skipped };
}

/** Keys of the runs that have a partner layout (the only event logs worth reading), and the runs left out. */
export function pairableKeys(runs: readonly Pairable[]): { keys: Set<string>; skipped: string[] } {
  const { groups, skipped } = groupByLayout(runs);
  return { keys: new Set(groups.flatMap((g) => [...g.layouts.values()].flatMap((l) => l.runs.map((r) => r.key)))), skipped };
}

export function checkWhatIf({ runs }: WhatIfCheckOptions): WhatIfCheck {
  const { groups, skipped } = groupByLayout(runs);
  const rows: WhatIfCheckRow[] = [];
  for (const { job, layouts } of groups) {
    const ordered = [...layouts.values()].sort(
      (a, b) => a.layout.executors * a.layout.coresPerExecutor - b.layout.executors * b.layout.coresPerExecutor || a.layout.executors - b.layout.executors,
    );
    for (const from of ordered) {
      for (const to of ordered) {
        const estimates = from.runs.map((r) => estimateSubmitWallMs(r, to.layout));
        const estimate = spread(estimates.map((e) => e.estimateMs));
        const measured = spread(to.runs.map((r) => r.wallTimeMs));
        rows.push({
          job,
          from: from.layout,
          fromConfigIds: from.configIds,
          to: to.layout,
          toConfigIds: to.configIds,
          self: from === to,
          estimate,
          measured,
          carriedOverMedianMs: median(estimates.map((e) => e.carriedOverMs)),
          error: measured.medianMs > 0 ? (estimate.medianMs - measured.medianMs) / measured.medianMs : Number.NaN,
        });
      }
    }
  }
  rows.sort((a, b) => jobRank(a.job) - jobRank(b.job));
  return {
    rows,
    crossLayout: summarize(rows.filter((r) => !r.self)),
    selfReplay: summarize(rows.filter((r) => r.self)),
    skipped,
  };
}
