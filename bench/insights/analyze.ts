// Computes the findings (the written analysis) and the derived series the charts need, from loaded tables only.
// Every claim is tested against a stated threshold first; when the data does not clear it, the finding says so
// instead of claiming. Pure functions: no I/O, so tests feed hand-built tables.
import { compareVersions, linearFit, mean, weekdayIndex, weekdayNames, weightedMean, welchT } from './stats.ts';
import { segmentDimensions, type DailyRow, type Insight, type InsightsTables, type IsoDate, type SegmentDimension } from './types.ts';

/** Weekend/weekday activity must differ by at least this fraction (and pass Welch's t at 5 %) to claim a weekly cycle. */
export const WEEKLY_EFFECT_THRESHOLD = 0.05;
/** A segment "differs" when its metric is at least this fraction away from the all-users value. */
export const SEGMENT_DIFFERENCE_THRESHOLD = 0.1;
/** Segments below this share of sessions are too small to compare (their averages are noise). */
export const SEGMENT_MIN_SHARE = 0.02;
/** Segments charted one by one per dimension; the rest are grouped as "other". */
export const TOP_SEGMENTS = 5;
/** App versions charted one by one (the newest ones); older ones are grouped. */
export const TOP_VERSIONS = 5;
/** Fewest days for the weekly-cycle test: three full weeks after the 7-day centred mean trims 3 days each side. */
export const MIN_DAYS_FOR_WEEKLY = 27;
/** Fewest full weeks for a trend fit. */
export const MIN_WEEKS_FOR_TREND = 4;

export interface WeekdayPattern {
  /** Mean of DAU / centred 7-day mean DAU per weekday (Mon..Sun); 1 = an average day. NaN when too few days. */
  index: number[];
  weekendOverWeekday: number;
  t: number;
  significant: boolean;
  claimed: boolean;
  days: number;
}

export interface SegmentSummary {
  segment: string;
  dauShare: number;
  stickiness: number;
  sessions: number;
  avgDurationMs: number;
  avgActions: number;
}

export interface SegmentBreakdown {
  dimension: SegmentDimension;
  /** Top segments by DAU then "other", each with its daily DAU series aligned to `dates`. */
  dauSeries: { name: string; values: number[] }[];
  dates: IsoDate[];
  summaries: SegmentSummary[];
}

export interface VersionRollout {
  dates: IsoDate[];
  /** Share of events per day for the newest versions (newest last) and "older". */
  shares: { name: string; values: number[] }[];
  newest: string;
}

export interface Analysis {
  findings: Insight[];
  weekday: WeekdayPattern;
  weekdaySessions: WeekdayPattern;
  segments: SegmentBreakdown[];
  rollout?: VersionRollout;
  cap: { cappedMs: number; uncappedMs: number };
}

const pct = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)} %`;
const signedPct = (x: number, digits = 1): string => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(digits)} %`;
const minutes = (ms: number): string => `${(ms / 60_000).toFixed(1)} min`;
const round = (x: number, digits = 4): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);
const fmtInt = (x: number): string => Math.round(x).toLocaleString('en-US');

/** DAU on each day divided by the centred 7-day mean around it: removes the trend, keeps the weekly shape. */
export function weekdayPattern(dates: readonly IsoDate[], values: readonly number[]): WeekdayPattern {
  const buckets: number[][] = weekdayNames.map(() => []);
  for (let i = 3; i < values.length - 3; i++) {
    const m = mean(values.slice(i - 3, i + 4));
    if (m > 0) buckets[weekdayIndex(dates[i]!)]!.push(values[i]! / m);
  }
  const index = buckets.map((b) => mean(b));
  const weekday = buckets.slice(0, 5).flat();
  const weekend = buckets.slice(5).flat();
  const ratio = mean(weekend) / mean(weekday);
  const test = welchT(weekend, weekday);
  const enough = values.length >= MIN_DAYS_FOR_WEEKLY;
  return {
    index,
    weekendOverWeekday: ratio,
    t: test.t,
    significant: test.significant,
    claimed: enough && test.significant && Math.abs(ratio - 1) >= WEEKLY_EFFECT_THRESHOLD,
    days: values.length,
  };
}

function weeklyFinding(p: WeekdayPattern, metric: 'dau' | 'sessions'): Insight {
  const label = metric === 'dau' ? 'DAU' : 'sessions';
  const evidence = {
    metric,
    weekend_over_weekday: round(p.weekendOverWeekday),
    t: round(p.t, 2),
    significant_5pct: p.significant,
    threshold: WEEKLY_EFFECT_THRESHOLD,
    days: p.days,
    claimed: p.claimed,
  };
  if (p.days < MIN_DAYS_FOR_WEEKLY) {
    return { id: 'weekly-seasonality', evidence, text: `Too few days (${p.days} < ${MIN_DAYS_FOR_WEEKLY}) to test ${label} for a weekly cycle.` };
  }
  const peak = p.index.indexOf(Math.max(...p.index));
  const trough = p.index.indexOf(Math.min(...p.index));
  if (p.claimed) {
    const dir = p.weekendOverWeekday < 1 ? 'lower' : 'higher';
    return {
      id: 'weekly-seasonality',
      evidence: { ...evidence, peak_weekday: weekdayNames[peak]!, trough_weekday: weekdayNames[trough]! },
      text:
        `Weekly cycle: weekend ${label} run${metric === 'dau' ? 's' : ''} ${pct(Math.abs(1 - p.weekendOverWeekday))} ${dir} than on weekdays ` +
        `(ratio ${p.weekendOverWeekday.toFixed(3)}, Welch t = ${p.t.toFixed(1)}, threshold ±${pct(WEEKLY_EFFECT_THRESHOLD, 0)}); ` +
        `busiest day ${weekdayNames[peak]}, quietest ${weekdayNames[trough]}.`,
    };
  }
  return {
    id: 'weekly-seasonality',
    evidence,
    text:
      `No weekly cycle to report in ${label}: weekend/weekday ratio ${p.weekendOverWeekday.toFixed(3)} (t = ${p.t.toFixed(1)}) ` +
      (p.significant ? `is significant at 5 % but within the ±${pct(WEEKLY_EFFECT_THRESHOLD, 0)} threshold.` : `is not significant at 5 %.`),
  };
}

/** Trend over complete 7-day blocks, so the weekly cycle cannot pass for a trend or inflate its significance. */
function trendFinding(id: 'dau-trend' | 'sessions-trend', label: string, dates: IsoDate[], values: number[]): Insight {
  const weeks = Math.floor(values.length / 7);
  const weekly = Array.from({ length: weeks }, (_, w) => mean(values.slice(w * 7, w * 7 + 7)));
  const fit = linearFit(
    weekly.map((_, i) => i),
    weekly,
  );
  const level = mean(weekly);
  const perWeek = fit.slope / level;
  const evidence = {
    weeks,
    slope_per_week: round(fit.slope, 3),
    relative_slope_per_week: round(perWeek, 5),
    t: round(fit.t, 2),
    df: fit.df,
    significant_5pct: fit.significant,
    from: dates[0] ?? null,
    to: dates[weeks * 7 - 1] ?? null,
  };
  if (weeks < MIN_WEEKS_FOR_TREND) {
    return { id, evidence, text: `${label}: too few full weeks (${weeks} < ${MIN_WEEKS_FOR_TREND}) to fit a trend.` };
  }
  if (!fit.significant) {
    return {
      id,
      evidence,
      text: `${label} shows no significant trend over ${weeks} weeks (slope ${signedPct(perWeek, 2)} per week, t = ${fit.t.toFixed(2)}, not significant at 5 %).`,
    };
  }
  return {
    id,
    evidence,
    text:
      `${label} ${fit.slope > 0 ? 'rose' : 'fell'} by ${pct(Math.abs(perWeek), 2)} of its mean per week over ${weeks} weeks ` +
      `(weekly means, OLS t = ${fit.t.toFixed(1)}, df ${fit.df}, significant at 5 %).`,
  };
}

/** Before day 30 the trailing MAU window is not full and stickiness is inflated: use full windows when there are any. */
function fullWindowDays(daily: readonly DailyRow[]): readonly DailyRow[] {
  return daily.length > 30 ? daily.slice(29) : daily;
}

function stickinessFinding(daily: readonly DailyRow[]): Insight {
  const full = fullWindowDays(daily);
  const s = mean(full.map((d) => d.stickiness));
  return {
    id: 'stickiness',
    evidence: { mean_stickiness: round(s), days: full.length, full_windows_only: daily.length > 30 },
    text:
      `Stickiness (DAU/MAU) averages ${pct(s)} over ${full.length} days` +
      `${daily.length > 30 ? ' with a full 30-day MAU window' : ' (MAU window not yet full: inflated)'}; ` +
      `mean DAU ${fmtInt(mean(full.map((d) => d.dau)))}, mean MAU ${fmtInt(mean(full.map((d) => d.mau)))}.`,
  };
}

function segmentBreakdowns(t: InsightsTables): SegmentBreakdown[] {
  if (!t.dailyBySegment || t.dailyBySegment.length === 0) return [];
  const dates = t.daily.map((d) => d.date);
  const dateIndex = new Map(dates.map((d, i) => [d, i]));
  const fullWindow = new Set(fullWindowDays(t.daily).map((d) => d.date));
  return segmentDimensions.map((dimension) => {
    const dau = new Map<string, number>();
    const fullDau = new Map<string, number>();
    const fullMau = new Map<string, number>();
    for (const r of t.dailyBySegment!) {
      dau.set(r[dimension], (dau.get(r[dimension]) ?? 0) + r.dau);
      if (!fullWindow.has(r.date)) continue;
      fullDau.set(r[dimension], (fullDau.get(r[dimension]) ?? 0) + r.dau);
      fullMau.set(r[dimension], (fullMau.get(r[dimension]) ?? 0) + r.mau);
    }
    const totalDau = [...dau.values()].reduce((a, b) => a + b, 0);
    const ranked = [...dau.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
    const top = ranked.slice(0, TOP_SEGMENTS);
    const groupOf = (seg: string): string => (top.includes(seg) ? seg : 'other');
    const names = ranked.length > TOP_SEGMENTS ? [...top, 'other'] : top;
    const series = new Map(names.map((n) => [n, new Array<number>(dates.length).fill(0)]));
    for (const r of t.dailyBySegment!) {
      const i = dateIndex.get(r.date);
      if (i !== undefined) series.get(groupOf(r[dimension]))![i]! += r.dau;
    }
    const sess = new Map<string, { s: number[]; d: number[]; a: number[] }>();
    for (const r of t.sessionsBySegment ?? []) {
      const e = sess.get(r[dimension]) ?? { s: [], d: [], a: [] };
      e.s.push(r.sessions);
      e.d.push(r.avg_duration_ms);
      e.a.push(r.avg_actions);
      sess.set(r[dimension], e);
    }
    const summaries = ranked.map((segment): SegmentSummary => {
      const e = sess.get(segment);
      return {
        segment,
        dauShare: (dau.get(segment) ?? 0) / totalDau,
        stickiness: (fullDau.get(segment) ?? 0) / (fullMau.get(segment) || Number.NaN),
        sessions: e ? e.s.reduce((a, b) => a + b, 0) : 0,
        avgDurationMs: e ? weightedMean(e.d, e.s) : Number.NaN,
        avgActions: e ? weightedMean(e.a, e.s) : Number.NaN,
      };
    });
    return { dimension, dates, dauSeries: names.map((name) => ({ name, values: series.get(name)! })), summaries };
  });
}

function segmentFindings(t: InsightsTables, breakdowns: SegmentBreakdown[]): Insight[] {
  const overall = {
    avgDurationMs: weightedMean(
      t.sessionsDaily.map((r) => r.avg_duration_ms),
      t.sessionsDaily.map((r) => r.sessions),
    ),
    avgActions: weightedMean(
      t.sessionsDaily.map((r) => r.avg_actions),
      t.sessionsDaily.map((r) => r.sessions),
    ),
    stickiness: fullWindowDays(t.daily).reduce((a, d) => a + d.dau, 0) / fullWindowDays(t.daily).reduce((a, d) => a + d.mau, 0),
  };
  const metrics = [
    { key: 'avgDurationMs', label: 'average session duration', fmt: minutes },
    { key: 'avgActions', label: 'actions per session', fmt: (x: number) => x.toFixed(2) },
    { key: 'stickiness', label: 'stickiness', fmt: (x: number) => pct(x) },
  ] as const;
  // Averages over aggregated tables cannot say whether one busy user drives a segment's number: say so when the
  // top user alone is a visible share of all events.
  const topShare = t.topUsers?.[0]
    ? shareFraction(
        t.topUsers[0].share,
        t.topUsers.map((u) => u.share),
      )
    : 0;
  const caveat = topShare >= 0.01 ? ` With the busiest user alone at ${pct(topShare)} of events, one user can move a segment's average.` : '';
  return breakdowns.map((b) => {
    const totalSessions = b.summaries.reduce((a, s) => a + s.sessions, 0);
    let best: { seg: SegmentSummary; metric: (typeof metrics)[number]; rel: number } | undefined;
    for (const seg of b.summaries) {
      if (seg.segment === 'unknown') continue; // orphans: no metadata, not a segment anyone can act on
      const share = totalSessions > 0 ? seg.sessions / totalSessions : seg.dauShare;
      if (share < SEGMENT_MIN_SHARE) continue;
      for (const metric of metrics) {
        const rel = seg[metric.key] / overall[metric.key] - 1;
        if (Number.isFinite(rel) && (!best || Math.abs(rel) > Math.abs(best.rel))) best = { seg, metric, rel };
      }
    }
    const dim = b.dimension.replace('_', ' ');
    if (!best) {
      return { id: 'segment-difference', evidence: { dimension: b.dimension, claimed: false }, text: `By ${dim}: no segment is large enough to compare.` };
    }
    const evidence = {
      dimension: b.dimension,
      segment: best.seg.segment,
      metric: best.metric.key,
      segment_value: round(best.seg[best.metric.key], 4),
      overall_value: round(overall[best.metric.key], 4),
      relative_difference: round(best.rel),
      threshold: SEGMENT_DIFFERENCE_THRESHOLD,
      claimed: Math.abs(best.rel) >= SEGMENT_DIFFERENCE_THRESHOLD,
    };
    if (!evidence.claimed) {
      return {
        id: 'segment-difference',
        evidence,
        text:
          `By ${dim}: segments are alike — the largest gap is ${best.seg.segment}'s ${best.metric.label} ` +
          `(${signedPct(best.rel)} vs all users), under the ${pct(SEGMENT_DIFFERENCE_THRESHOLD, 0)} threshold.`,
      };
    }
    return {
      id: 'segment-difference',
      evidence,
      text:
        `By ${dim}: ${best.seg.segment} differs most — ${best.metric.label} ${best.metric.fmt(best.seg[best.metric.key])} ` +
        `vs ${best.metric.fmt(overall[best.metric.key])} for all users (${signedPct(best.rel)}).${caveat}`,
    };
  });
}

function capFinding(t: InsightsTables): { finding: Insight; cappedMs: number; uncappedMs: number } {
  const w = t.sessionsDaily.map((r) => r.sessions);
  const cappedMs = weightedMean(
    t.sessionsDaily.map((r) => r.avg_duration_ms),
    w,
  );
  const uncappedMs = weightedMean(
    t.sessionsDaily.map((r) => r.avg_duration_uncapped_ms),
    w,
  );
  const p50 = weightedMean(
    t.sessionsDaily.map((r) => r.p50_duration_ms),
    w,
  );
  const rel = uncappedMs / cappedMs - 1;
  const evidence = { avg_capped_ms: round(cappedMs, 1), avg_uncapped_ms: round(uncappedMs, 1), relative_inflation: round(rel), p50_ms: round(p50, 1) };
  const text =
    Math.abs(rel) < 0.01
      ? `The outlier cap changed the average session duration by less than 1 % (${minutes(cappedMs)} capped, ${minutes(uncappedMs)} uncapped).`
      : `Without the outlier cap the average session would read ${minutes(uncappedMs)} instead of ${minutes(cappedMs)} ` +
        `(${signedPct(rel)}); the typical (p50) session lasts ${minutes(p50)}. The gap is what durations above the cap add to the mean.`;
  return { finding: { id: 'outlier-cap', evidence, text }, cappedMs, uncappedMs };
}

function quarantineFinding(t: InsightsTables): Insight | undefined {
  const byReason = t.quarantineByReason;
  const rec = t.run?.reconciliation;
  if (!byReason && !rec) return undefined;
  const counts = byReason ? Object.fromEntries(byReason.map((r) => [r.reason, r.rows])) : (rec?.quarantined_rows ?? {});
  const quarantined = Object.values(counts).reduce((a, b) => a + b, 0);
  const evidence: Insight['evidence'] = { quarantined_rows: quarantined, ...Object.fromEntries(Object.entries(counts).map(([k, v]) => [`reason_${k}`, v])) };
  let tail = '';
  if (rec?.input_rows !== undefined) {
    const dups = rec.duplicates_removed ?? 0;
    const reconciles = rec.accepted_rows !== undefined && rec.input_rows === rec.accepted_rows + quarantined + dups;
    Object.assign(evidence, { input_rows: rec.input_rows, accepted_rows: rec.accepted_rows ?? null, duplicates_removed: dups, reconciles });
    tail =
      ` — ${pct(quarantined / rec.input_rows, 2)} of ${fmtInt(rec.input_rows)} input rows; ${fmtInt(dups)} exact duplicates removed; ` +
      (reconciles ? 'input = accepted + quarantined + duplicates holds exactly.' : 'the counts in _run.json do NOT reconcile.');
  }
  const parts = Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${fmtInt(v)}`);
  return {
    id: 'quarantine',
    evidence,
    text: quarantined === 0 ? `No rows were quarantined${tail}` : `${fmtInt(quarantined)} rows quarantined (${parts.join(', ')})${tail}`,
  };
}

function versionRollout(t: InsightsTables): { rollout: VersionRollout; finding: Insight } | undefined {
  const rows = t.appVersionsDaily;
  if (!rows || rows.length === 0) return undefined;
  const versions = [...new Set(rows.map((r) => r.app_version))].sort(compareVersions);
  const newest = versions[versions.length - 1]!;
  const shown = versions.slice(-TOP_VERSIONS);
  const dates = [...new Set(rows.map((r) => r.date))].sort();
  const di = new Map(dates.map((d, i) => [d, i]));
  const totals = new Array<number>(dates.length).fill(0);
  const names = versions.length > TOP_VERSIONS ? ['older', ...shown] : shown;
  const ev = new Map(names.map((n) => [n, new Array<number>(dates.length).fill(0)]));
  for (const r of rows) {
    const i = di.get(r.date)!;
    totals[i]! += r.events;
    ev.get(shown.includes(r.app_version) ? r.app_version : 'older')![i]! += r.events;
  }
  const shares = names.map((name) => ({ name, values: ev.get(name)!.map((e, i) => (totals[i]! > 0 ? e / totals[i]! : 0)) }));
  const newestShare = shares[shares.length - 1]!.values;
  const first = newestShare.findIndex((s) => s > 0);
  const half = newestShare.findIndex((s) => s >= 0.5);
  const since = newestShare.slice(first);
  const fit = linearFit(
    since.map((_, i) => i),
    since,
  );
  const last = newestShare[newestShare.length - 1]!;
  const rising = fit.significant && fit.slope > 0;
  const evidence = {
    newest_version: newest,
    versions: versions.length,
    first_seen: dates[first] ?? null,
    share_first_day: round(newestShare[first] ?? 0),
    share_last_day: round(last),
    reached_half_on: half >= 0 ? dates[half]! : null,
    share_slope_per_day: round(fit.slope, 5),
    t: round(fit.t, 2),
    rising_significant: rising,
  };
  const text =
    `Newest app version ${newest} (of ${versions.length}) first appears on ${dates[first]} with ${pct(newestShare[first] ?? 0)} of events ` +
    `and ends at ${pct(last)}` +
    (half >= 0 ? `, passing half of all events on ${dates[half]}` : '') +
    (rising
      ? `; its share rises significantly (t = ${fit.t.toFixed(1)})${last >= 0.95 ? ': the rollout is essentially complete.' : ': a rollout in progress.'}`
      : since.length >= 3
        ? `; its share shows no significant rise (t = ${fit.t.toFixed(1)}).`
        : '.');
  return { rollout: { dates, shares, newest }, finding: { id: 'app-version-rollout', evidence, text } };
}

/** `share` is a fraction in the job's contract; accept a percentage too rather than print 3000 %. */
export function shareFraction(share: number, all: readonly number[]): number {
  return Math.max(...all) > 1 ? share / 100 : share;
}

function topUsersFinding(t: InsightsTables): Insight | undefined {
  const top = t.topUsers;
  if (!top || top.length === 0) return undefined;
  const shares = top.map((u) => u.share);
  const s = top.map((u) => shareFraction(u.share, shares));
  const top1 = s[0]!;
  const top10 = s.slice(0, 10).reduce((a, b) => a + b, 0);
  const all = s.reduce((a, b) => a + b, 0);
  return {
    id: 'top-users-share',
    evidence: {
      top_user: top[0]!.user_id,
      top_user_events: top[0]!.events,
      top1_share: round(top1, 5),
      top10_share: round(top10, 5),
      listed: top.length,
      listed_share: round(all, 5),
    },
    text:
      `Hot users: the busiest user (${top[0]!.user_id}, ${fmtInt(top[0]!.events)} events) sends ${pct(top1, 2)} of all events; ` +
      `the top ${Math.min(10, top.length)} send ${pct(top10, 2)}` +
      (top.length > 10 ? `, the ${top.length} listed ${pct(all, 2)}` : '') +
      ' — the keys a join or a per-user window must survive.',
  };
}

export function analyze(t: InsightsTables): Analysis {
  const weekday = weekdayPattern(
    t.daily.map((d) => d.date),
    t.daily.map((d) => d.dau),
  );
  const weekdaySessions = weekdayPattern(
    t.sessionsDaily.map((d) => d.date),
    t.sessionsDaily.map((d) => d.sessions),
  );
  const segments = segmentBreakdowns(t);
  const cap = capFinding(t);
  const rollout = versionRollout(t);
  const findings: Insight[] = [
    trendFinding(
      'dau-trend',
      'DAU',
      t.daily.map((d) => d.date),
      t.daily.map((d) => d.dau),
    ),
    trendFinding(
      'sessions-trend',
      'Sessions per day',
      t.sessionsDaily.map((d) => d.date),
      t.sessionsDaily.map((d) => d.sessions),
    ),
    weeklyFinding(weekday, 'dau'),
    weeklyFinding(weekdaySessions, 'sessions'),
    stickinessFinding(t.daily),
    ...segmentFindings(t, segments),
    cap.finding,
  ];
  const q = quarantineFinding(t);
  if (q) findings.push(q);
  if (rollout) findings.push(rollout.finding);
  const hot = topUsersFinding(t);
  if (hot) findings.push(hot);
  return { findings, weekday, weekdaySessions, segments, rollout: rollout?.rollout, cap: { cappedMs: cap.cappedMs, uncappedMs: cap.uncappedMs } };
}
