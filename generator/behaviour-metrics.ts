// The product metrics a real app is judged by, computed from users' event timestamps: the planner measures them on
// a sample of users (manifest `behaviour.measured`), and behaviour.test.ts recomputes the same definitions from the
// Parquet files with DuckDB. Definitions (docs/metrics.md has the jobs' own): a user is active on a UTC date with
// at least one event; MAU(d) = users active in the 30 days ending d; a session is a run of events with gaps of at
// most 30 minutes; months are the window's last two 30-day blocks.

import { US_PER_DAY, weekdayOf } from './calendar.ts';

export interface BehaviourMetrics {
  /** Users measured (a sample: every k-th activity rank). */
  readonly users: number;
  /** Mean DAU / MAU over the days with a full 30-day window (or DAU / window users if the window is shorter). */
  readonly stickiness: number;
  /** Median active days in the last 30-day block, over users active in it. */
  readonly medianActiveDays: number;
  /** Median events per 30-minute-gap session. */
  readonly medianActionsPerSession: number;
  /** Sessions per active user-day (session counted on the date of its first event). */
  readonly sessionsPerUserDay: number;
  /** Users active in the second-last 30-day block who are active in the last one (null under 60 days). */
  readonly monthRetention: number | null;
  /** Mean DAU on Saturdays and Sundays over mean DAU Monday to Friday (UTC dates). */
  readonly weekendOverWeekday: number;
  /** Share of users who joined in the window (31+ days before its end) active k days after joining. */
  readonly retentionD1: number | null;
  readonly retentionD7: number | null;
  readonly retentionD30: number | null;
}

const GAP_US = 30 * 60_000_000;

function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = xs.sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface MetricsInput {
  readonly startEpochDay: number;
  readonly days: number;
  /** Per user: event timestamps (µs, any order) and the join day (window day; negative = before the window). */
  readonly users: readonly { readonly ts: Float64Array; readonly join: number }[];
}

const round = (x: number): number => Math.round(x * 10000) / 10000;

export function behaviourMetrics(input: MetricsInput): BehaviourMetrics {
  const { days, startEpochDay } = input;
  const dau = new Float64Array(days);
  const mau = new Float64Array(days);
  const lastFrom = Math.max(0, days - 30);
  const activeDaysLast: number[] = [];
  const actions: number[] = [];
  let sessions = 0;
  let userDays = 0;
  let prevMonth = 0;
  let retained = 0;
  const ret = { d1: new Float64Array(2), d7: new Float64Array(2), d30: new Float64Array(2) };
  const startUs = startEpochDay * US_PER_DAY;
  const active = new Uint8Array(days);
  for (const u of input.users) {
    if (u.ts.length === 0) continue;
    const ts = Float64Array.from(u.ts).sort();
    active.fill(0);
    let run = 1;
    for (let e = 0; e < ts.length; e += 1) {
      const day = Math.floor((ts[e]! - startUs) / US_PER_DAY);
      if (day >= 0 && day < days) active[day] = 1;
      if (e > 0) {
        if (ts[e]! - ts[e - 1]! > GAP_US) {
          actions.push(run);
          sessions += 1;
          run = 1;
        } else run += 1;
      }
    }
    actions.push(run);
    sessions += 1;
    let last = 0;
    let inMau = -1; // last day index covered by this user's trailing-30 presence
    for (let d = 0; d < days; d += 1) {
      if (active[d]) {
        dau[d]! += 1;
        userDays += 1;
        inMau = d + 29;
        if (d >= lastFrom) last += 1;
      }
      if (d <= inMau) mau[d]! += 1;
    }
    if (last > 0) activeDaysLast.push(last);
    if (days >= 60) {
      let a = false;
      let b = false;
      for (let d = days - 60; d < days - 30; d += 1) a ||= active[d] === 1;
      for (let d = days - 30; d < days; d += 1) b ||= active[d] === 1;
      if (a) {
        prevMonth += 1;
        if (b) retained += 1;
      }
    }
    if (u.join >= 0 && u.join + 30 < days) {
      for (const [k, cell] of [
        [1, ret.d1],
        [7, ret.d7],
        [30, ret.d30],
      ] as const) {
        cell[0]! += 1;
        if (active[u.join + k]) cell[1]! += 1;
      }
    }
  }
  let stick = 0;
  let n = 0;
  if (days >= 30) {
    for (let d = 29; d < days; d += 1)
      if (mau[d]! > 0) {
        stick += dau[d]! / mau[d]!;
        n += 1;
      }
    stick /= Math.max(1, n);
  } else {
    const everyone = input.users.filter((u) => u.ts.length > 0).length;
    stick = dau.reduce((a, b) => a + b, 0) / days / Math.max(1, everyone);
  }
  let we = 0;
  let wen = 0;
  let wd = 0;
  let wdn = 0;
  for (let d = 0; d < days; d += 1) {
    if (weekdayOf(startEpochDay + d) >= 5) {
      we += dau[d]!;
      wen += 1;
    } else {
      wd += dau[d]!;
      wdn += 1;
    }
  }
  const rate = (c: Float64Array): number | null => (c[0]! > 0 ? round(c[1]! / c[0]!) : null);
  return {
    users: input.users.length,
    stickiness: round(stick),
    medianActiveDays: median(activeDaysLast),
    medianActionsPerSession: median(actions),
    sessionsPerUserDay: round(sessions / Math.max(1, userDays)),
    monthRetention: days >= 60 ? round(retained / Math.max(1, prevMonth)) : null,
    weekendOverWeekday: wen > 0 && wdn > 0 ? round(we / wen / (wd / wdn)) : 1,
    retentionD1: rate(ret.d1),
    retentionD7: rate(ret.d7),
    retentionD30: rate(ret.d30),
  };
}

/** The ranges of the "real app" column of issue 11 (sources: generator/README.md). */
export const REAL_APP_RANGES = {
  stickiness: [0.15, 0.3],
  medianActiveDays: [4, 9],
  medianActionsPerSession: [10, 99],
  sessionsPerUserDay: [1.5, 3],
  monthRetention: [0.3, 0.6],
} as const;
