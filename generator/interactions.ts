// Interactions: sessions -> events -> typed-array batches for one file. File j of day d holds the events dated d
// from session chunk j of day d, plus the events of session chunk j of day d-1 that ran past midnight (that
// chunk is recomputed, timestamps only, for sessions late enough to cross). So each file is computable alone.

import type { ColumnBatch } from './batch.ts';
import { US_PER_DAY } from './calendar.ts';
import {
  chunkRange, countryOf, eligibleOn, firstGuaranteedId, guaranteedOrdinal, guaranteedSessions, isAlwaysActive, isSilent, type Model,
} from './model.ts';
import { pickIndex, quantile, quantileTable, uniform32, cumulative } from './rng.ts';
import { actionTypes, badRowKinds, countries, unknownActionType, type BadRowKind } from './schema.ts';

export const PAGES = 20_000;
const MAX_ACTIONS = 200;
/** Sessions are cut after this span, so a session crosses at most one midnight and only late starts can. */
const MAX_SESSION_US = 12 * 3_600_000_000;
const BATCH_ROWS = 65_536;
/** Local-hour intensity of session starts (00:00 .. 23:00): night trough, morning and evening peaks. */
const HOURLY = [1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 2.5, 4, 5, 5.5, 5.2, 4.5, 4.8, 5, 4.8, 4.5, 4.2, 4.5, 5.2, 5.8, 5.5, 4, 2];
const HOURLY_CDF = cumulative(HOURLY);
const ACTION_CDF = cumulative(actionTypes.weights);
/** Dictionary of action_type: the vocabulary, then the unknown type written only into bad rows. */
export const ACTION_DICTIONARY = [...actionTypes.values, unknownActionType];
const UNKNOWN_ACTION = actionTypes.values.length;
const BOT_ACTIONS = ['page_view', 'click', 'scroll', 'search'].map((a) => actionTypes.values.indexOf(a));
/** Page popularity Zipf(1.0) over 20 000 pages as an inverse-CDF table: one uniform and a binary search per row. */
const PAGE_CDF = (() => {
  const w = Array.from({ length: PAGES }, (_, i) => 1 / (i + 1));
  return cumulative(w);
})();
export const PAGE_DICTIONARY = Array.from({ length: PAGES }, (_, i) => `p${i + 1}`);
const YEAR_US = 365.25 * US_PER_DAY;
/** Actions per ordinary session: 1 + floor(lognormal(1.35, 0.9)), mean about 7.4 (capped at MAX_ACTIONS). */
const ACTIONS = quantileTable((z) => Math.min(MAX_ACTIONS, 1 + Math.floor(Math.exp(1.35 + 0.9 * z))));
/** Gaps in ms: seconds (median 12 s) or minutes (median 2 min, capped at 28 min). */
const GAP_SECONDS = quantileTable((z) => 12_000 * Math.exp(z));
const GAP_MINUTES = quantileTable((z) => Math.min(28 * 60_000, 120_000 * Math.exp(0.8 * z)));
/** duration_ms: log-normal, median 8 s. */
const DURATION = quantileTable((z) => 8000 * Math.exp(1.1 * z));

export interface InteractionFileStats {
  rows: number;
  badRows: Record<BadRowKind, number>;
  orphanRows: number;
  /** Exact row counts of the hot-key candidates that appear in this file. */
  hotCounts: Record<string, number>;
}

/** What kind of session: who and how it behaves. */
const enum Kind {
  Guaranteed,
  Zipf,
  Bot,
  Orphan,
}

interface Session {
  kind: Kind;
  userId: number;
  bot: number;
  startUs: number;
  /** Event timestamps (us since epoch) of this session, [0, events). */
  events: number;
}

/** Scratch for one session's timestamps (MAX_ACTIONS events at most). */
const times = new Float64Array(MAX_ACTIONS);

function sessionUser(m: Model, d: number, i: number, s: Session): void {
  const plan = m.plan;
  s.bot = -1;
  const g = guaranteedOrdinal(plan, d, i);
  if (g >= 0) {
    s.kind = Kind.Guaranteed;
    s.userId = firstGuaranteedId(plan, d) + g;
    return;
  }
  let u = uniform32(m.seeds.kind!, d, i, 0);
  if (u < plan.options.orphanShare) {
    s.kind = Kind.Orphan;
    s.userId = plan.users + Math.min(plan.orphanUsers - 1, Math.floor(uniform32(m.seeds.orphan!, d, i, 0) * plan.orphanUsers));
    return;
  }
  u -= plan.options.orphanShare;
  for (let b = 0; b < plan.botShares.length; b += 1) {
    if (u < plan.botShares[b]!) {
      s.kind = Kind.Bot;
      s.bot = b;
      s.userId = plan.botIds[b]!;
      return;
    }
    u -= plan.botShares[b]!;
  }
  s.kind = Kind.Zipf;
  // Rejection: a drawn user who is silent or has not joined yet is redrawn with the next counter.
  const seed = m.seeds.zipf!;
  for (let k = 0; k < 64; k += 1) {
    const rank = m.userZipf.sampleAt(seed, d, i, k * 64);
    const id = m.perm.forward(rank - 1);
    if (rank - 1 < m.alwaysActiveRanks || eligibleOn(m, id, d)) {
      s.userId = id;
      return;
    }
  }
  s.userId = m.perm.forward(0); // 64 rejections in a row: practically never; the top rank is always eligible
}

/** Fills `times` with the session's event timestamps; returns the count. */
function sessionTimes(m: Model, d: number, i: number, s: Session): number {
  const seeds = m.seeds;
  const offsetH = s.kind === Kind.Bot ? 0 : countries[countryOf(m, s.userId)]!.utcOffsetHours;
  const hour = pickIndex(HOURLY_CDF, uniform32(seeds.tod!, d, i, 0));
  const localSec = (hour + uniform32(seeds.tod!, d, i, 1)) * 3600;
  const utcSec = (((localSec - offsetH * 3600) % 86400) + 86400) % 86400;
  const dayStartUs = (m.plan.startEpochDay + d) * US_PER_DAY;
  const start = dayStartUs + Math.floor(utcSec * 1e6);
  let n: number;
  if (s.kind === Kind.Guaranteed) n = 1;
  else if (s.kind === Kind.Bot) n = 20 + Math.floor(uniform32(seeds.actions!, d, i, 0) * 41);
  else {
    n = Math.floor(quantile(ACTIONS, uniform32(seeds.actions!, d, i, 0)));
  }
  let t = start;
  times[0] = t;
  let e = 1;
  for (; e < n; e += 1) {
    let gapMs: number;
    if (s.kind === Kind.Bot) gapMs = 500 + uniform32(seeds.gap!, d, i, e) * 2000;
    else {
      const kind = uniform32(seeds.gapKind!, d, i, e);
      const g = uniform32(seeds.gap!, d, i, e);
      if (kind < 0.02) gapMs = (29 + 2 * g) * 60_000; // straddles the 30-minute rule on purpose
      else if (kind < 0.15) gapMs = quantile(GAP_MINUTES, g);
      else gapMs = quantile(GAP_SECONDS, g);
    }
    t += Math.floor(gapMs * 1000);
    if (t - start > MAX_SESSION_US) break;
    times[e] = t;
  }
  s.startUs = start;
  return e;
}

const TWO32 = 4294967296;

/**
 * Stores a safe integer into slot r of a BigInt64Array seen as little-endian int32 pairs. Rejected `BigInt(x)`
 * per row: it allocates a heap BigInt for every timestamp and duration (two per row).
 */
function setInt64(words: Int32Array, r: number, v: number): void {
  const hi = Math.floor(v / TWO32);
  words[2 * r] = v - hi * TWO32;
  words[2 * r + 1] = hi;
}

/** Builds ColumnBatches of at most BATCH_ROWS rows, fresh arrays each time (the writer may keep them). */
class BatchBuilder {
  rows = 0;
  userOffsets!: Int32Array;
  userBytes!: Uint8Array;
  userNulls!: Uint8Array;
  hasNull = false;
  ts!: BigInt64Array;
  action!: Int32Array;
  page!: Int32Array;
  duration!: BigInt64Array;
  version!: Int32Array;
  private tsWords!: Int32Array;
  private durationWords!: Int32Array;
  private readonly idBytes = new Uint8Array(24);
  private idLength = 0;
  private readonly pageLocal = new Int32Array(PAGES).fill(-1);
  constructor(private readonly versions: readonly string[]) {
    this.reset();
  }
  reset(): void {
    this.rows = 0;
    this.hasNull = false;
    this.userOffsets = new Int32Array(BATCH_ROWS + 1);
    this.userBytes = new Uint8Array(BATCH_ROWS * 16);
    this.userNulls = new Uint8Array(BATCH_ROWS);
    this.ts = new BigInt64Array(BATCH_ROWS);
    this.action = new Int32Array(BATCH_ROWS);
    this.page = new Int32Array(BATCH_ROWS);
    this.duration = new BigInt64Array(BATCH_ROWS);
    this.version = new Int32Array(BATCH_ROWS);
    this.tsWords = new Int32Array(this.ts.buffer);
    this.durationWords = new Int32Array(this.duration.buffer);
  }
  get room(): number {
    return BATCH_ROWS - this.rows;
  }
  /** Sets the user of the rows pushed next: its "u<digits>" bytes are built once per session, not per row. */
  setUser(userId: number): void {
    const bytes = this.idBytes;
    let n = 0;
    bytes[n++] = 0x75; // 'u'
    const s = String(userId);
    for (let p = 0; p < s.length; p += 1) bytes[n++] = s.charCodeAt(p);
    this.idLength = n;
  }
  push(nullUser: boolean, tsUs: number, action: number, page: number, durationMs: number, version: number): void {
    const r = this.rows;
    let off = this.userOffsets[r]!;
    if (nullUser) {
      this.userNulls[r] = 1;
      this.hasNull = true;
    } else {
      const bytes = this.userBytes;
      const id = this.idBytes;
      for (let p = 0; p < this.idLength; p += 1) bytes[off++] = id[p]!;
    }
    this.userOffsets[r + 1] = off;
    setInt64(this.tsWords, r, tsUs);
    this.action[r] = action;
    this.page[r] = page;
    setInt64(this.durationWords, r, durationMs);
    this.version[r] = version;
    this.rows = r + 1;
  }
  /** Repeats the last row (exact duplicate). */
  repeatLast(): void {
    const r = this.rows;
    const a = this.userOffsets[r - 1]!;
    const b = this.userOffsets[r]!;
    this.userBytes.copyWithin(b, a, b);
    this.userOffsets[r + 1] = b + (b - a);
    this.userNulls[r] = this.userNulls[r - 1]!;
    this.ts[r] = this.ts[r - 1]!;
    this.action[r] = this.action[r - 1]!;
    this.page[r] = this.page[r - 1]!;
    this.duration[r] = this.duration[r - 1]!;
    this.version[r] = this.version[r - 1]!;
    this.rows = r + 1;
  }
  take(): ColumnBatch {
    const n = this.rows;
    // page_id carries only the pages this batch uses: the writer's chunk dictionary then holds the pages a file
    // really has, instead of all 20 000 in every small file (a fixed ~90 KB per file, measured).
    const local = this.pageLocal;
    const pages: string[] = [];
    const page = this.page.subarray(0, n);
    for (let r = 0; r < n; r += 1) {
      const p = page[r]!;
      let id = local[p]!;
      if (id < 0) {
        id = pages.length;
        local[p] = id;
        pages.push(PAGE_DICTIONARY[p]!);
      }
      page[r] = id;
    }
    local.fill(-1);
    const batch: ColumnBatch = {
      rows: n,
      columns: {
        user_id: {
          kind: 'utf8',
          offsets: this.userOffsets.subarray(0, n + 1),
          bytes: this.userBytes.subarray(0, this.userOffsets[n]),
          ...(this.hasNull ? { nulls: this.userNulls.subarray(0, n) } : {}),
        },
        timestamp: { kind: 'timestamp_us', values: this.ts.subarray(0, n) },
        action_type: { kind: 'dict', dictionary: ACTION_DICTIONARY, indices: this.action.subarray(0, n) },
        page_id: { kind: 'dict', dictionary: pages, indices: page },
        duration_ms: { kind: 'int64', values: this.duration.subarray(0, n) },
        app_version: { kind: 'dict', dictionary: this.versions, indices: this.version.subarray(0, n) },
      },
    };
    this.reset();
    return batch;
  }
}

function versionIndexOn(m: Model, d: number, i: number): number {
  // Adoption lag: exponential, mean 12 days; the session uses the latest release shipped by (day - lag).
  const lag = Math.floor(-12 * Math.log(1 - uniform32(m.seeds.lag!, d, i, 0)));
  const releases = m.plan.releases;
  let v = 0;
  while (v + 1 < releases.length && releases[v + 1]!.day <= d - lag) v += 1;
  return v;
}

function emptyStats(): InteractionFileStats {
  const badRows = Object.fromEntries(badRowKinds.map((k) => [k, 0])) as Record<BadRowKind, number>;
  return { rows: 0, badRows, orphanRows: 0, hotCounts: {} };
}

/**
 * Generates file j of window day d, handing bounded batches to `sink` in order. Deterministic: the same
 * (plan, d, j) always yields the same rows in the same order.
 */
export async function generateInteractionFile(
  m: Model,
  d: number,
  j: number,
  sink: (batch: ColumnBatch) => Promise<void>,
  limitRows = Infinity,
): Promise<InteractionFileStats> {
  const stats = emptyStats();
  const plan = m.plan;
  const o = plan.options;
  const seeds = m.seeds;
  const builder = new BatchBuilder(plan.releases.map((r) => r.version));
  const s: Session = { kind: Kind.Zipf, userId: 0, bot: -1, startUs: 0, events: 0 };
  const dayStart = (plan.startEpochDay + d) * US_PER_DAY;
  const dayEnd = dayStart + US_PER_DAY;
  const badCounts = stats.badRows;

  // Synchronous on purpose: an async call per session allocated a promise per session (15 % of the time was GC).
  // Callers flush a full batch before calling.
  const emitSession = (sd: number, i: number, from: number, to: number): void => {
    const n = s.events;
    const hot = m.hotCandidates.has(s.userId);
    const orphan = s.userId >= plan.users;
    const version = versionIndexOn(m, sd, i);
    const botAction = s.kind === Kind.Bot ? BOT_ACTIONS[s.bot % BOT_ACTIONS.length]! : -1;
    builder.setUser(s.userId);
    let emitted = 0;
    for (let e = 0; e < n; e += 1) {
      let t = times[e]!;
      if (t < from || t >= to) continue;
      let action: number;
      const ua = uniform32(seeds.action!, sd, i, e);
      if (botAction >= 0 && ua < 0.9) action = botAction;
      else action = pickIndex(ACTION_CDF, botAction >= 0 ? (ua - 0.9) * 10 : ua);
      const page = pickIndex(PAGE_CDF, uniform32(seeds.page!, sd, i, e));
      let duration: number;
      if (uniform32(seeds.durationOutlier!, sd, i, e) < 1e-4) {
        // Rare extreme outliers: 1 hour to 3 days, log-uniform (an app left open, a clock gone wrong).
        duration = Math.floor(3_600_000 * Math.exp(uniform32(seeds.durationOutlier!, sd, i, e + 1_000_000) * Math.log(72)));
      } else {
        duration = Math.max(1, Math.floor(quantile(DURATION, uniform32(seeds.duration!, sd, i, e))));
      }
      let nullUser = false;
      let duplicate = false;
      if (o.badRows > 0 && uniform32(seeds.bad!, sd, i, e) < o.badRows) {
        const kind = badRowKinds[Math.min(4, Math.floor(uniform32(seeds.badKind!, sd, i, e) * 5))]!;
        badCounts[kind] += 1;
        if (kind === 'null_user_id') nullUser = true;
        else if (kind === 'negative_duration') duration = -duration;
        else if (kind === 'future_timestamp') t += Math.floor((1 + 2 * uniform32(seeds.future!, sd, i, e)) * YEAR_US);
        else if (kind === 'unknown_action_type') action = UNKNOWN_ACTION;
        else duplicate = true;
      }
      builder.push(nullUser, t, action, page, duration, version);
      let copies = 1;
      if (duplicate) {
        builder.repeatLast();
        copies = 2;
      }
      emitted += copies;
      if (!nullUser) {
        if (orphan) stats.orphanRows += copies;
        if (hot) stats.hotCounts[s.userId] = (stats.hotCounts[s.userId] ?? 0) + copies;
      }
    }
    stats.rows += emitted;
  };

  const skipUser = (): boolean => {
    if (s.kind !== Kind.Guaranteed) return false;
    const always = isAlwaysActive(m, s.userId);
    return isSilent(m, s.userId, always);
  };

  // Overflow of the previous day's chunk j: only sessions starting in the last MAX_SESSION_US of that day can cross.
  if (d > 0) {
    const [from, to] = chunkRange(plan, d - 1, j);
    const lateFrom = dayStart - MAX_SESSION_US;
    for (let i = from; i < to && stats.rows < limitRows; i += 1) {
      // Cheap pre-check on the start time of day before generating the whole session.
      sessionUser(m, d - 1, i, s);
      if (skipUser()) continue;
      s.events = sessionTimes(m, d - 1, i, s);
      if (s.startUs < lateFrom || times[s.events - 1]! < dayStart) continue;
      if (builder.room < 2 * s.events) await sink(builder.take());
      emitSession(d - 1, i, dayStart, dayEnd);
    }
  }
  const [from, to] = chunkRange(plan, d, j);
  for (let i = from; i < to && stats.rows < limitRows; i += 1) {
    sessionUser(m, d, i, s);
    if (skipUser()) continue;
    s.events = sessionTimes(m, d, i, s);
    if (builder.room < 2 * s.events) await sink(builder.take());
    emitSession(d, i, dayStart, dayEnd);
  }
  if (builder.rows > 0) await sink(builder.take());
  return stats;
}

/** Mean events of `sample` random sessions of day d (indexes past the day's real count are fine: pure functions). */
export function meanRandomSessionEvents(m: Model, d: number, sample: number): number {
  const s: Session = { kind: Kind.Zipf, userId: 0, bot: -1, startUs: 0, events: 0 };
  let events = 0;
  let counted = 0;
  for (let i = 0; counted < sample; i += 1) {
    sessionUser(m, d, i, s);
    if (s.kind === Kind.Guaranteed) continue;
    events += sessionTimes(m, d, i, s);
    counted += 1;
  }
  return events / sample;
}
