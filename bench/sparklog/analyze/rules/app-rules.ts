// Findings about the whole application: idle executor cores and driver-only wall time (Sparklens), GC share.

import type { AppSummary } from '../../eventlog/types.ts';
import { THRESHOLDS, bandOf, descendingBandOf } from '../thresholds.ts';
import type { Finding } from '../types.ts';
import { ms, pct, round } from '../../../lib/format.ts';
import { parseSize } from '../../../lib/sizes.ts';
import { ownSettingsOf } from '../../job-settings.ts';

/** The same setting value: equal text, or equal sizes ("64MB" and "64m"). */
function sameValue(a: string, b: string): boolean {
  if (a.trim().toLowerCase() === b.trim().toLowerCase()) return true;
  const [x, y] = [parseSize(a), parseSize(b)];
  return x !== undefined && x === y;
}

/**
 * Settings the job chooses itself (bench/sparklog/job-settings.ts) that the run passed with another value: the job
 * then kept the passed value and its own choice never ran. The partition count is computed by the job, so any value
 * passed for it overrides it.
 */
export function overriddenSettingsFinding(summary: AppSummary): Finding | undefined {
  const own = ownSettingsOf(summary.appName);
  const overridden = Object.entries(own).filter(([key, value]) => {
    const passed = summary.sparkProperties[key];
    return passed !== undefined && (key === 'spark.sql.shuffle.partitions' || !sameValue(passed, value));
  });
  if (overridden.length === 0) return undefined;
  const partitions = overridden.some(([key]) => key === 'spark.sql.shuffle.partitions');
  const list = overridden.map(([key, value]) => `${key}=${summary.sparkProperties[key]} (the job's own: ${value})`);
  return {
    rule: 'job-settings-overridden',
    severity: partitions ? 'moderate' : 'low',
    scope: { level: 'app' },
    title: `${summary.appName} ran with ${overridden.length} of its own setting${overridden.length === 1 ? '' : 's'} overridden: ${list.join('; ')}`,
    evidence: {
      overriddenSettings: overridden.length,
      keys: overridden.map(([key]) => key).join(','),
      passedValues: overridden.map(([key]) => summary.sparkProperties[key] ?? '').join(','),
      jobValues: overridden.map(([, value]) => value).join(','),
    },
    hypothesis: partitions
      ? "A spark.sql.shuffle.partitions passed for all jobs (a grid base, spark-defaults.conf) replaces the job's own partitioning, which sizes its event shuffle from the input: too few partitions spill, too many waste tasks."
      : 'A setting passed for all jobs replaced the value the job chooses for itself (its AQE skew-join and coalescing settings).',
    fix: 'Leave these keys out for this job (bench advise does), or pass them only when measuring the job against its own choice.',
    validate: 'Re-run without them: the job records its own choice (post: event_partitions in its run record) and this finding is gone.',
    source: 'spark-jobs/insights/jobs/post.py (SESSION_SETTINGS, event_partitions): applied only when the key is not passed',
  };
}

/** Total length of the union of [start, end] intervals. */
export function unionMs(intervals: readonly (readonly [number, number])[]): number {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let curStart = Number.NEGATIVE_INFINITY;
  let curEnd = Number.NEGATIVE_INFINITY;
  for (const [a, b] of sorted) {
    if (a > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = a;
      curEnd = b;
    } else curEnd = Math.max(curEnd, b);
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

export interface Utilisation {
  readonly wallMs: number;
  readonly jobWallMs: number; // union of job intervals
  readonly driverOnlyMs: number; // wall time with no job running
  readonly coreMsAvailable: number;
  readonly coreMsUsed: number;
  readonly idleShare: number;
  readonly totalCores: number;
}

export function utilisation(summary: AppSummary): Utilisation {
  const wallMs = Math.max(0, summary.endTimeMs - summary.startTimeMs);
  const jobWallMs = unionMs(summary.jobs.map((j) => [j.submissionTimeMs, j.completionTimeMs || summary.endTimeMs] as const));
  const coreMsAvailable = summary.executors.reduce((acc, e) => {
    const end = e.removedTimeMs ?? summary.endTimeMs;
    const start = Math.max(e.addedTimeMs, summary.startTimeMs);
    return acc + Math.max(0, end - start) * e.cores;
  }, 0);
  const coreMsUsed = summary.tasks.reduce((acc, t) => acc + t.durationMs, 0);
  return {
    wallMs,
    jobWallMs,
    driverOnlyMs: Math.max(0, wallMs - jobWallMs),
    coreMsAvailable,
    coreMsUsed,
    idleShare: coreMsAvailable > 0 ? Math.max(0, 1 - coreMsUsed / coreMsAvailable) : 0,
    totalCores: summary.executors.reduce((acc, e) => acc + e.cores, 0),
  };
}

export function appFindings(summary: AppSummary): Finding[] {
  const out: Finding[] = [];
  const overridden = overriddenSettingsFinding(summary);
  if (overridden !== undefined) out.push(overridden);
  const u = utilisation(summary);
  const app = { level: 'app' as const };
  if (u.coreMsAvailable > 0 && u.wallMs >= THRESHOLDS.idleCores.minWallMs) {
    const severity = bandOf(u.idleShare, THRESHOLDS.idleCores.idleShareBands);
    if (severity !== undefined) {
      out.push({
        rule: 'idle-cores',
        severity,
        scope: app,
        title: `${pct(u.idleShare)} of executor core-time ran no task (${u.totalCores} cores over ${ms(u.wallMs)})`,
        evidence: {
          coreMsAvailable: u.coreMsAvailable,
          coreMsUsedByTasks: u.coreMsUsed,
          idleShare: round(u.idleShare, 4),
          totalCores: u.totalCores,
          wallMs: u.wallMs,
        },
        hypothesis:
          'Cores wait: on the driver (planning, Python, collect), on a straggling or skewed task at the end of each stage, or too few tasks per stage to fill every core.',
        fix: 'Fix skew and stragglers first; give stages at least 2–3 tasks per core; with dynamic allocation, release idle executors sooner (spark.dynamicAllocation.executorIdleTimeout); use fewer executors if the what-if shows the same wall time with them.',
        validate: 'Re-run and recompute: idle share should fall; `bench analyze --what-if` with fewer cores should show how many the job really needs.',
        source: THRESHOLDS.idleCores.source,
      });
    }
  }
  if (u.wallMs >= THRESHOLDS.driverTime.minWallMs) {
    const share = u.driverOnlyMs / u.wallMs;
    const severity = bandOf(share, THRESHOLDS.driverTime.shareBands);
    if (severity !== undefined) {
      out.push({
        rule: 'driver-time',
        severity,
        scope: app,
        title: `${ms(u.driverOnlyMs)} of ${ms(u.wallMs)} wall time (${pct(share)}) ran no Spark job — driver only`,
        evidence: { driverOnlyMs: u.driverOnlyMs, wallMs: u.wallMs, jobWallMs: u.jobWallMs, driverOnlyShare: round(share, 4) },
        hypothesis:
          'Session start-up, query planning, schema inference, listing many files, Python-side work or collect() on the driver: executors sit idle meanwhile, and more executors cannot help.',
        fix: 'Give schemas instead of inferring them; avoid listing huge directory trees (partition pruning, a table format with a manifest); keep work off the driver; at small scale this is mostly JVM and session start-up.',
        validate: 'Re-run: the gaps between jobs in the Spark UI event timeline should shrink.',
        source: THRESHOLDS.driverTime.source,
      });
    }
  }
  const runMs = summary.stages.reduce((acc, s) => acc + s.executorRunTimeMs, 0);
  const gcMs = summary.stages.reduce((acc, s) => acc + s.gcTimeMs, 0);
  if (runMs >= THRESHOLDS.gc.minRunTimeMs) {
    const share = gcMs / runMs;
    const high = bandOf(share, THRESHOLDS.gc.highBands);
    const low = descendingBandOf(share, THRESHOLDS.gc.lowBands);
    if (high !== undefined) {
      out.push({
        rule: 'gc-pressure',
        severity: high,
        scope: app,
        title: `${pct(share)} of all task run time in JVM GC`,
        evidence: { gcTimeMs: gcMs, executorRunTimeMs: runMs, gcShare: round(share, 4) },
        hypothesis: 'The heap per task is small for what tasks hold: large partitions, wide rows, big broadcasts or UDF objects.',
        fix: 'More heap per task (fewer cores per executor or more executor memory), smaller partitions, built-in functions instead of UDFs.',
        validate: `Re-run: GC share below ${pct(THRESHOLDS.gc.highBands.low)}.`,
        source: THRESHOLDS.gc.source,
      });
    } else if (low !== undefined) {
      out.push({
        rule: 'gc-low',
        severity: 'low',
        scope: app,
        title: `only ${pct(share)} of task run time in GC — executor memory is probably more than the job needs`,
        evidence: { gcTimeMs: gcMs, executorRunTimeMs: runMs, gcShare: round(share, 4) },
        hypothesis: 'The heap is larger than the working set: memory that other executors (or a smaller, cheaper node type) could use.',
        fix: 'Try less executor memory or more cores per executor, watching spill and GC (see `bench advise`).',
        validate: 'Re-run with less memory: same wall time, no new spill, GC share still below 8 %.',
        source: THRESHOLDS.gc.source,
      });
    }
  }
  return out;
}
