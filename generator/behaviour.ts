// The behaviour model: who is alive, active and how much on each day, as pure functions of (seed, user id, rank,
// day). A user's traits (join day, lifetime, daily activity probability, sessions per active day, actions per
// session) come from hashes of the id and from the user's Zipf rank (rank 1 = the most active user), so every
// value stays a function of (seed, table, column, counters) and any file is computable alone. README.md, "The
// behaviour model", gives each default with its source and the measured result.

import { cumulative, fmix32, hash32, hi32, inverseNormal, lo32, pickIndex, quantile, quantileTable } from './rng.ts';

export type ProfileName = 'note-taking' | 'social';
export const PROFILE_NAMES: readonly ProfileName[] = ['note-taking', 'social'];

export interface Profile {
  readonly name: ProfileName;
  /** Users joined up to this many days before the window (the app's age). */
  readonly historyDays: number;
  /** Growth of the sign-up rate per day (exponential): the user base grows while the window runs. */
  readonly growthPerDay: number;
  /** Share of sign-ups who try the app and leave within days. */
  readonly tryerShare: number;
  /** Mean extra days a tryer stays (geometric; 0 = gone the day after sign-up). */
  readonly tryerMeanDays: number;
  /** Everyone else: lifetime log-normal with this median (days) and log-sd. */
  readonly lifetimeMedianDays: number;
  readonly lifetimeSigma: number;
  /** Daily probability of being active while alive: log-normal over users (median, log-sd, cap). */
  readonly activeMedian: number;
  readonly activeSigma: number;
  readonly activeMax: number;
  /** New users are more active at first: p × (1 + noveltyBoost · e^(−age / noveltyDays)). */
  readonly noveltyBoost: number;
  readonly noveltyDays: number;
  /** Sessions per active day = 1 + geometric with a per-user mean (log-normal: median, log-sd). */
  readonly extraSessionsMedian: number;
  readonly extraSessionsSigma: number;
  /** Actions per session: log-normal; per-user median (median of medians, log-sd) and within-user log-sd. */
  readonly actionsMedian: number;
  readonly actionsUserSigma: number;
  readonly actionsSessionSigma: number;
  /** Correlation of the per-user traits with the user's activity rank (heavy users do everything more). */
  readonly traitCorrelation: number;
  /** Activity multiplier by UTC weekday, Monday first. */
  readonly weekday: readonly number[];
  /** Share of all sessions drawn Zipf(--skew) over user ranks, on top of the users' own: the hot keys. */
  readonly headShare: number;
}

/**
 * Defaults and their sources: README.md ("The behaviour model"). Tuned so that `gen --scale 64mb --days 60`
 * measures inside the ranges of published benchmarks (the manifest's `behaviour.measured`).
 */
export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  'note-taking': {
    name: 'note-taking',
    historyDays: 1460,
    growthPerDay: Math.log(2) / 240,
    tryerShare: 0.5,
    tryerMeanDays: 2,
    lifetimeMedianDays: 45,
    lifetimeSigma: 0.9,
    activeMedian: 0.36,
    activeSigma: 0.45,
    activeMax: 0.95,
    noveltyBoost: 0.5,
    noveltyDays: 5,
    extraSessionsMedian: 0.8,
    extraSessionsSigma: 0.6,
    actionsMedian: 16,
    actionsUserSigma: 0.5,
    actionsSessionSigma: 0.8,
    traitCorrelation: 0.5,
    weekday: [1.0, 1.03, 1.03, 1.0, 0.9, 0.55, 0.62],
    headShare: 0.12,
  },
  social: {
    name: 'social',
    historyDays: 1460,
    growthPerDay: Math.log(2) / 240,
    tryerShare: 0.45,
    tryerMeanDays: 3,
    lifetimeMedianDays: 75,
    lifetimeSigma: 0.9,
    activeMedian: 0.45,
    activeSigma: 0.5,
    activeMax: 0.98,
    noveltyBoost: 0.3,
    noveltyDays: 5,
    extraSessionsMedian: 3,
    extraSessionsSigma: 0.6,
    actionsMedian: 12,
    actionsUserSigma: 0.5,
    actionsSessionSigma: 0.9,
    traitCorrelation: 0.5,
    weekday: [0.97, 0.97, 0.98, 1.0, 1.02, 1.1, 1.08],
    headShare: 0.12,
  },
};

/** The user's local day is cut into sessions at least this far apart (start to start), so they stay distinct. */
export const MIN_SESSION_SEPARATION_US = 40 * 60_000_000;
/** A session ends 31 minutes before the next one starts at the latest: a 30-minute rule always splits them. */
export const SESSION_TAIL_GAP_US = 31 * 60_000_000;
/** Longest session; a session starting earlier than this before midnight cannot reach the next day's file. */
export const MAX_SESSION_US = 3 * 3_600_000_000;
export const MAX_SESSIONS_PER_DAY = 12;
export const MAX_ACTIONS = 500;
/** Alive "forever": churn day of users who never leave within any window. */
export const NEVER = 1 << 30;

/** Local-hour intensity of session starts (00:00 .. 23:00): night trough, morning and evening peaks. */
export const HOURLY = [1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 2.5, 4, 5, 5.5, 5.2, 4.5, 4.8, 5, 4.8, 4.5, 4.2, 4.5, 5.2, 5.8, 5.5, 4, 2];
export const HOURLY_CDF = cumulative(HOURLY);
/** Standard normal by table lookup (one uniform in, no log or exp). */
export const NORMAL = quantileTable((z) => z);
/** In-session gaps in ms: seconds (median 10 s) or minutes (median 1.5 min, at most 28 min). */
export const GAP_SECONDS = quantileTable((z) => 10_000 * Math.exp(0.9 * z));
export const GAP_MINUTES = quantileTable((z) => Math.min(28 * 60_000, 90_000 * Math.exp(0.8 * z)));
/** Share of gaps that are minutes long, and of those that straddle the 30-minute rule (29–31 min). */
export const MINUTE_GAP_SHARE = 0.12;
export const STRADDLE_GAP_SHARE = 0.0015;

/**
 * Per-user traits, struct of arrays (no object per user). Index = user id when the whole population is cached,
 * else a scratch slot. p < 0 marks a silent user (signed up, never active).
 */
export class UserTable {
  readonly join: Int32Array;
  readonly churn: Int32Array;
  readonly p: Float32Array;
  readonly extra: Float32Array;
  readonly actMu: Float32Array;
  constructor(readonly size: number) {
    this.join = new Int32Array(size);
    this.churn = new Int32Array(size);
    this.p = new Float32Array(size);
    this.extra = new Float32Array(size);
    this.actMu = new Float32Array(size);
  }
}

export interface BehaviourSeeds {
  readonly silent: number;
  readonly join: number;
  readonly tryer: number;
  readonly life: number;
  readonly trait1: number;
  readonly trait2: number;
  readonly active: number;
  readonly sessions: number;
  readonly start: number;
  readonly session: number;
}

/** Everything the per-user functions need; built once per thread (model.ts). */
export interface Behaviour {
  readonly profile: Profile;
  readonly users: number;
  readonly days: number;
  readonly silentShare: number;
  /** Scales the daily activity probability (≤ 1) or sessions per day (> 1) when --users/--metadata-scale fix N. */
  readonly activityScale: number;
  readonly seeds: BehaviourSeeds;
  /** Activity multiplier of each window day (weekday), index d. */
  readonly dayFactor: Float64Array;
  /** Join day from a uniform: the exponential sign-up curve over [−historyDays, days). */
  readonly joinQuantile: (v: number) => number;
  /** Share of sign-ups before the window (always-active users join from this part of the curve). */
  readonly joinedBefore: number;
}

export function joinCurve(profile: Profile, days: number): { quantile: (v: number) => number; before: number } {
  const g = profile.growthPerDay;
  const h = profile.historyDays;
  if (g === 0) return { quantile: (v) => Math.floor(-h + v * (h + days)), before: h / (h + days) };
  const lo = Math.exp(-g * h);
  const hi = Math.exp(g * days);
  return {
    quantile: (v) => Math.min(days - 1, Math.max(-h, Math.floor(Math.log(lo + v * (hi - lo)) / g))),
    before: (1 - lo) / (hi - lo),
  };
}

const TWO32 = 4294967296;

/** fmix32 of MurmurHash3 (rng.ts): chained to draw several values from one hash. */
export const fmix = fmix32;

function u32(seed: number, id: number, c: number): number {
  return hash32(seed, lo32(id), hi32(id), c) / TWO32;
}

/**
 * Fills slot `i` of the table with user `id`'s lifetime: join day, churn day, and p = -1 when the user is silent or
 * alive on no day of the window (so activeOn is false on every window day). Needs no rank, so it is cheap; returns
 * whether the user can be active in the window, i.e. whether fillTraits must follow. Rejected: every trait for
 * every user a file's id range holds (the rank is a Feistel inverse, then an inverse normal, three log-normals):
 * about 3 in 4 users of a window are gone or not yet there, and their traits were 5-9 % of a worker's profile.
 * `always` marks the top ranks and bots: joined before the window, never leaving, never silent.
 */
export function fillLifetime(b: Behaviour, t: UserTable, i: number, id: number, always: boolean): boolean {
  const pr = b.profile;
  const s = b.seeds;
  const vJoin = u32(s.join, id, 0);
  const join = b.joinQuantile(always ? vJoin * b.joinedBefore : vJoin);
  t.join[i] = always ? Math.min(-1, join) : join;
  if (always) t.churn[i] = NEVER;
  else if (u32(s.tryer, id, 0) < pr.tryerShare) {
    t.churn[i] = join + 1 + Math.floor(-pr.tryerMeanDays * Math.log(1 - u32(s.life, id, 0)));
  } else {
    const life = Math.exp(Math.log(pr.lifetimeMedianDays) + pr.lifetimeSigma * quantile(NORMAL, u32(s.life, id, 0)));
    t.churn[i] = join + Math.max(2, Math.round(Math.min(life, NEVER / 4)));
  }
  const silent = !always && u32(s.silent, id, 0) < b.silentShare;
  const alive = !silent && t.join[i]! < b.days && t.churn[i]! > 0;
  if (!alive) t.p[i] = -1;
  return alive;
}

/**
 * Fills the activity traits of slot `i` (after fillLifetime said the user can be active). `rank` is the user's
 * Zipf rank − 1 (0 = most active).
 */
export function fillTraits(b: Behaviour, t: UserTable, i: number, id: number, rank: number): void {
  const pr = b.profile;
  const s = b.seeds;
  // Activity rank quantile -> z: the rank order is the activity order, so the top ranks are the heaviest users
  // (their exact event counts are what the manifest's hot keys track).
  const z = inverseNormal(1 - (rank + 0.5) / b.users);
  const rho = pr.traitCorrelation;
  const rest = Math.sqrt(1 - rho * rho);
  const k = b.activityScale;
  const p = Math.min(pr.activeMax, pr.activeMedian * Math.exp(pr.activeSigma * z));
  t.p[i] = p * Math.min(1, k);
  const e1 = rho * z + rest * quantile(NORMAL, u32(s.trait1, id, 0));
  const e2 = rho * z + rest * quantile(NORMAL, u32(s.trait2, id, 0));
  const extra = pr.extraSessionsMedian * Math.exp(pr.extraSessionsSigma * e1);
  t.extra[i] = k > 1 ? (1 + extra) * k - 1 : extra;
  t.actMu[i] = Math.log(pr.actionsMedian) + pr.actionsUserSigma * e2;
}

/** Is user slot i (id) active on window day d? Alive, not silent, and the day's draw (sign-up day always). */
export function activeOn(b: Behaviour, t: UserTable, i: number, id: number, d: number): boolean {
  const join = t.join[i]!;
  if (d < join || d >= t.churn[i]!) return false;
  const p = t.p[i]!;
  if (p < 0) return false;
  if (d === join) return true;
  const age = d - join;
  const pr = b.profile;
  const boost = age < 8 * pr.noveltyDays ? 1 + pr.noveltyBoost * Math.exp(-age / pr.noveltyDays) : 1;
  return hash32(b.seeds.active, lo32(id), hi32(id), d) < p * boost * b.dayFactor[d]! * TWO32;
}

/**
 * Session starts of an active user-day, in µs since the epoch, ascending and at least MIN_SESSION_SEPARATION_US
 * apart, into `starts`; returns the count. Start hours follow the local-time curve in the user's time zone
 * (`tzSec` east of UTC), wrapped into the UTC day (a generator needs a stable day, not a faithful calendar).
 */
export function daySessionStarts(
  b: Behaviour,
  t: UserTable,
  i: number,
  id: number,
  d: number,
  dayStartUs: number,
  tzSec: number,
  starts: Float64Array,
): number {
  const extra = t.extra[i]!;
  const s = b.seeds;
  const v = u32(s.sessions, id, d);
  let k = 1;
  if (extra > 0) k += Math.floor(Math.log(1 - v) / Math.log(extra / (1 + extra)));
  if (!(k <= MAX_SESSIONS_PER_DAY)) k = MAX_SESSIONS_PER_DAY;
  for (let j = 0; j < k; j += 1) {
    const h = hash32(s.start, lo32(id), d, j);
    const h2 = fmix(h ^ 0x3c6ef372);
    const hour = pickIndex(HOURLY_CDF, h / TWO32);
    const local = (hour + h2 / TWO32) * 3600;
    let utc = (local - tzSec) % 86400;
    if (utc < 0) utc += 86400;
    // insertion sort: k is small
    let p = j;
    while (p > 0 && starts[p - 1]! > utc) {
      starts[p] = starts[p - 1]!;
      p -= 1;
    }
    starts[p] = utc;
  }
  let prev = -Infinity;
  for (let j = 0; j < k; j += 1) {
    let us = dayStartUs + Math.floor(starts[j]! * 1e6);
    if (us < prev + MIN_SESSION_SEPARATION_US) us = prev + MIN_SESSION_SEPARATION_US;
    starts[j] = us;
    prev = us;
  }
  return k;
}

/** Seed of a body session (user, day, index): every value of its events derives from this one hash. */
export function bodySessionSeed(b: Behaviour, id: number, d: number, j: number): number {
  return hash32(b.seeds.session, lo32(id), d * 16 + j, hi32(id));
}

/** Actions of a session from its seed and the user's log-median. */
export function sessionActions(b: Behaviour, actMu: number, sh: number): number {
  const z = quantile(NORMAL, fmix(sh ^ 0x1b873593) / TWO32);
  const n = 1 + Math.floor(Math.exp(actMu + b.profile.actionsSessionSigma * z));
  return Math.min(n, MAX_ACTIONS);
}

/**
 * Event timestamps of one session into `times`: starts at `start`, gaps seconds to minutes (some 29–31 min),
 * cut when the span would pass `spanCap` µs. Returns the count (at least 1).
 */
export function sessionTimes(sh: number, start: number, n: number, spanCap: number, times: Float64Array): number {
  let t = start;
  times[0] = t;
  let e = 1;
  for (; e < n; e += 1) {
    const u = fmix((sh ^ Math.imul(e, 0x9e3779b9)) | 0) / TWO32;
    let gapMs: number;
    if (u < STRADDLE_GAP_SHARE) gapMs = (29 + (2 * u) / STRADDLE_GAP_SHARE) * 60_000;
    else if (u < MINUTE_GAP_SHARE) gapMs = quantile(GAP_MINUTES, (u - STRADDLE_GAP_SHARE) / (MINUTE_GAP_SHARE - STRADDLE_GAP_SHARE));
    else gapMs = quantile(GAP_SECONDS, (u - MINUTE_GAP_SHARE) / (1 - MINUTE_GAP_SHARE));
    t += Math.floor(gapMs * 1000);
    if (t - start > spanCap) break;
    times[e] = t;
  }
  return e;
}

/** The span cap of session j of a user-day: MAX_SESSION_US, or up to 31 minutes before the next one starts. */
export function spanCapOf(starts: Float64Array, j: number, k: number): number {
  if (j + 1 >= k) return MAX_SESSION_US;
  const room = starts[j + 1]! - starts[j]! - SESSION_TAIL_GAP_US;
  return Math.min(room, MAX_SESSION_US);
}
