// Interactions: user-days and sessions -> events -> typed-array batches for one file. File j of day d holds the
// events dated d of (a) the active user-days (u, d) of the users in id chunk j (behaviour.ts) and (b) chunk j of
// day d's random layer (Zipf head, bots, orphans), plus the events of the same two sources on day d-1 that ran
// past midnight (recomputed: only sessions starting within MAX_SESSION_US of midnight can). So each file is
// computable alone, and a row's (user, session, position) is a function of the row's place in this layout.

import type { ColumnBatch } from './batch.ts';
import {
  activeOn,
  bodySessionSeed,
  daySessionStarts,
  fmix,
  HOURLY_CDF,
  MAX_ACTIONS,
  MAX_SESSION_US,
  MAX_SESSIONS_PER_DAY,
  sessionActions,
  sessionTimes,
  spanCapOf,
} from './behaviour.ts';
import { US_PER_DAY } from './calendar.ts';
import { chunkRange, countryOf, tzSecondsOf, userRange, userSlot, userTable, type Model } from './model.ts';
import { cumulative, hash32, pickIndex, quantile, quantileTable, uniform32 } from './rng.ts';
import { actionTypes, badRowKinds, countries, unknownActionType, type BadRowKind } from './schema.ts';

export const PAGES = 20_000;
const BATCH_ROWS = 65_536;
const ACTION_CDF = cumulative(actionTypes.weights);
/** Dictionary of action_type: the vocabulary, then the unknown type written only into bad rows. */
export const ACTION_DICTIONARY = [...actionTypes.values, unknownActionType];
const UNKNOWN_ACTION = actionTypes.values.length;
const BOT_ACTIONS = ['page_view', 'click', 'scroll', 'search'].map((a) => actionTypes.values.indexOf(a));
/** Page popularity Zipf(1.0) over 20 000 pages as an inverse-CDF table. */
export const PAGE_CDF = (() => {
  const w = Array.from({ length: PAGES }, (_, i) => 1 / (i + 1));
  return cumulative(w);
})();
/**
 * Guide table over PAGE_CDF: GUIDE[k] = first page whose CDF exceeds k / 2^16, so a pick is a lookup and a short
 * scan. Rejected the plain binary search (15 steps per row): the largest single cost of a row after hashing.
 */
function guideTable(cdf: Float64Array, bits: number): Int32Array {
  const n = 1 << bits;
  const g = new Int32Array(n);
  let i = 0;
  for (let k = 0; k < n; k += 1) {
    while (cdf[i]! <= k / n) i += 1;
    g[k] = i;
  }
  return g;
}
const GUIDE_BITS = 16;
const PAGE_GUIDE = guideTable(PAGE_CDF, GUIDE_BITS);
/** The same guide over the action types (10 values: a lookup, rarely one step). */
const ACTION_GUIDE = guideTable(ACTION_CDF, 10);
function pickAction(u: number): number {
  let i = ACTION_GUIDE[Math.floor(u * 1024)]!;
  while (u >= ACTION_CDF[i]!) i += 1;
  return i;
}
function pickPage(u: number): number {
  let i = PAGE_GUIDE[Math.floor(u * (1 << GUIDE_BITS))]!;
  while (u >= PAGE_CDF[i]!) i += 1;
  return i;
}
export const PAGE_DICTIONARY = Array.from({ length: PAGES }, (_, i) => `p${i + 1}`);
const YEAR_US = 365.25 * US_PER_DAY;
/** duration_ms: log-normal, median 8 s. */
const DURATION = quantileTable((z) => 8000 * Math.exp(1.1 * z));
const OUTLIER = 1e-4;
const INV32 = 1 / 4294967296;

export interface InteractionFileStats {
  rows: number;
  badRows: Record<BadRowKind, number>;
  orphanRows: number;
  /** Exact row counts of the hot-key candidates that appear in this file. */
  hotCounts: Record<string, number>;
}

/** Scratch for one session's timestamps, its rows' hash chains, and one user-day's session starts. */
const times = new Float64Array(MAX_ACTIONS);
const CHAIN = new Uint32Array(MAX_ACTIONS);
const starts = new Float64Array(MAX_SESSIONS_PER_DAY);

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
  constructor(private readonly versions: readonly string[]) {
    this.allocate();
  }
  /**
   * One set of arrays per file, reused batch after batch: a batch is handed to the sink and awaited before the
   * next row is pushed, and the writer copies what it keeps (front-coding state, pages). Rejected: fresh arrays
   * per batch (3 MB each): allocation and the GC it drove were 14 % of generation time (--cpu-prof).
   */
  private allocate(): void {
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
  private reset(): void {
    this.rows = 0;
    this.hasNull = false;
  }
  get room(): number {
    return BATCH_ROWS - this.rows;
  }
  /**
   * Sets the user of the rows pushed next: its "u<digits>" bytes are built once per session, not per row, from
   * the integer's digits (rejected: String(userId) per session, a heap string each: 2-3 % of a worker's profile).
   */
  setUser(userId: number): void {
    const bytes = this.idBytes;
    bytes[0] = 0x75; // 'u'
    let digits = 1;
    for (let x = userId; x >= 10; x = Math.floor(x / 10)) digits += 1;
    let x = userId;
    for (let p = digits; p >= 1; p -= 1) {
      const q = Math.floor(x / 10);
      bytes[p] = 0x30 + (x - q * 10);
      x = q;
    }
    this.idLength = digits + 1;
  }
  push(nullUser: boolean, tsUs: number, action: number, page: number, durationMs: number, version: number): void {
    const r = this.rows;
    let off = this.userOffsets[r]!;
    this.userNulls[r] = nullUser ? 1 : 0;
    if (nullUser) this.hasNull = true;
    else {
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
  /**
   * Rows [e0, e1) of one session, column by column (no bad rows): the user's id bytes, `times`, and per row the
   * chained hashes of the session seed for action, page and duration. Same values as push() row by row would
   * write; one tight loop per column instead of one branchy call per row (about 2x faster, --cpu-prof).
   */
  pushSession(sh: number, e0: number, e1: number, botAction: number, version: number): void {
    const r0 = this.rows;
    const m = e1 - e0;
    const len = this.idLength;
    const nulls = this.userNulls;
    const offsets = this.userOffsets;
    const bytes = this.userBytes;
    const id = this.idBytes;
    let off = offsets[r0]!;
    // A byte loop per row (ids are 2-8 bytes). Rejected: set(subarray) + doubling copyWithin per session, a
    // fresh typed-array view and several builtin calls for ~20 rows (--cpu-prof: most of pushSession's self time
    // outside the hashing).
    for (let k = 0; k < m; k += 1) {
      for (let p = 0; p < len; p += 1) bytes[off + p] = id[p]!;
      off += len;
      offsets[r0 + k + 1] = off;
      nulls[r0 + k] = 0;
    }
    const tsw = this.tsWords;
    const dw = this.durationWords;
    const action = this.action;
    const page = this.page;
    const ver = this.version;
    const chain = CHAIN;
    for (let k = 0; k < m; k += 1) {
      const e = e0 + k;
      const v = times[e]!;
      const hi = (v / TWO32) | 0; // floor: v is positive and below 2^51
      tsw[2 * (r0 + k)] = v - hi * TWO32;
      tsw[2 * (r0 + k) + 1] = hi;
      const h2 = fmix(fmix((sh ^ Math.imul(e, 0x9e3779b9)) | 0) ^ 0x7f4a7c15);
      chain[k] = h2;
      if (botAction < 0) {
        // The guide index straight from the hash's top bits: floor(u * 1024) without the float round trip.
        const u = h2 * INV32;
        let i = ACTION_GUIDE[h2 >>> 22]!;
        while (u >= ACTION_CDF[i]!) i += 1;
        action[r0 + k] = i;
      } else {
        const ua = h2 * INV32;
        action[r0 + k] = ua < 0.9 ? botAction : pickAction((ua - 0.9) * 10);
      }
      ver[r0 + k] = version;
    }
    for (let k = 0; k < m; k += 1) {
      const h3 = fmix(chain[k]! ^ 0x5bd1e995);
      chain[k] = h3;
      const u = h3 * INV32;
      let g = PAGE_GUIDE[h3 >>> 16]!;
      while (u >= PAGE_CDF[g]!) g += 1;
      page[r0 + k] = g;
    }
    for (let k = 0; k < m; k += 1) {
      const ud = fmix(chain[k]! ^ 0x27d4eb2f) * INV32;
      const duration =
        ud < OUTLIER
          ? Math.floor(3_600_000 * Math.exp((ud / OUTLIER) * Math.log(72)))
          : Math.max(1, Math.floor(quantile(DURATION, (ud - OUTLIER) / (1 - OUTLIER))));
      dw[2 * (r0 + k)] = duration; // < 2^31 ms (3 days at most)
      dw[2 * (r0 + k) + 1] = 0;
    }
    this.rows = r0 + m;
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
    // page_id indexes all 20 000 pages; the writer's chunk dictionary keeps only the pages a file's rows use.
    const page = this.page.subarray(0, n);
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
        page_id: { kind: 'dict', dictionary: PAGE_DICTIONARY, indices: page },
        duration_ms: { kind: 'int64', values: this.duration.subarray(0, n) },
        app_version: { kind: 'dict', dictionary: this.versions, indices: this.version.subarray(0, n) },
      },
    };
    this.reset();
    return batch;
  }
}

function versionIndexOn(m: Model, d: number, sh: number): number {
  // Adoption lag: exponential, mean 12 days; the session uses the latest release shipped by (day - lag).
  const lag = Math.floor(-12 * Math.log(1 - fmix(sh ^ 0x2545f491) * INV32));
  const releases = m.plan.releases;
  let v = 0;
  while (v + 1 < releases.length && releases[v + 1]!.day <= d - lag) v += 1;
  return v;
}

function emptyStats(): InteractionFileStats {
  const badRows = Object.fromEntries(badRowKinds.map((k) => [k, 0])) as Record<BadRowKind, number>;
  return { rows: 0, badRows, orphanRows: 0, hotCounts: {} };
}

/** Which sources generateInteractionFile emits (all, in files; one at a time in the planner's pilots). */
export const LAYER_BODY = 1;
export const LAYER_RANDOM = 2;

/** Random-layer session kinds. */
enum Kind {
  Zipf,
  Bot,
  Orphan,
}

/** Who a random-layer session belongs to; written into `pick`. Pure function of (plan, d, i). */
interface Pick {
  kind: Kind;
  userId: number;
  bot: number;
  /** User-table slot (Zipf users), or -1. */
  slot: number;
}

function randomSessionUser(m: Model, d: number, i: number, pick: Pick): void {
  const plan = m.plan;
  const o = plan.options;
  pick.bot = -1;
  pick.slot = -1;
  let u = uniform32(m.seeds.kind!, d, i, 0) * plan.behaviour.randomShare;
  if (u < o.orphanShare) {
    pick.kind = Kind.Orphan;
    pick.userId = plan.users + Math.min(plan.orphanUsers - 1, Math.floor(uniform32(m.seeds.orphan!, d, i, 0) * plan.orphanUsers));
    return;
  }
  u -= o.orphanShare;
  for (let b = 0; b < plan.botShares.length; b += 1) {
    if (u < plan.botShares[b]!) {
      pick.kind = Kind.Bot;
      pick.bot = b;
      pick.userId = plan.botIds[b]!;
      return;
    }
    u -= plan.botShares[b]!;
  }
  pick.kind = Kind.Zipf;
  // Rejection: the head's sessions go to users on days they are active anyway, so the layer adds load to hot
  // keys without adding active user-days (and "has no events" stays a function of a user's own days); redrawn
  // with the next counter otherwise. The top ranks all sit at the activity cap, so rejection scales them alike.
  const seed = m.seeds.zipf!;
  const t = userTable(m);
  for (let k = 0; k < 64; k += 1) {
    const rank = m.userZipf.sampleAt(seed, d, i, k * 64) - 1;
    const id = m.perm.forward(rank);
    const slot = userSlot(m, id, rank);
    if (activeOn(m.behaviour, t, slot, id, d)) {
      pick.userId = id;
      pick.slot = slot;
      return;
    }
  }
  // 64 rejections in a row (only when hardly anyone is active, e.g. a tiny --scale for --users): no session.
  pick.userId = -1;
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
  layers = LAYER_BODY | LAYER_RANDOM,
): Promise<InteractionFileStats> {
  const stats = emptyStats();
  const plan = m.plan;
  const o = plan.options;
  const b = m.behaviour;
  const t = userTable(m);
  const builder = new BatchBuilder(plan.releases.map((r) => r.version));
  const dayStart = (plan.startEpochDay + d) * US_PER_DAY;
  const dayEnd = dayStart + US_PER_DAY;
  const badCounts = stats.badRows;
  const badShare = o.badRows;
  const hotCandidates = m.hotCandidates;

  // One session's events in [from, to). Synchronous on purpose (no promise per session); callers flush a full
  // batch first. Every value of event e derives from the session seed `sh` by chained fmix32: one hash per value,
  // not a full counter hash each (rejected: seven 4-word hashes per row were most of a row's cost).
  const emit = (sh: number, n: number, userId: number, sd: number, botAction: number, from: number, to: number): void => {
    const hot = hotCandidates.has(userId);
    const orphan = userId >= plan.users;
    const version = versionIndexOn(m, sd, sh);
    builder.setUser(userId);
    if (badShare === 0) {
      // Times ascend within a session: the rows in [from, to) are one run.
      let e0 = 0;
      while (e0 < n && times[e0]! < from) e0 += 1;
      let e1 = e0;
      while (e1 < n && times[e1]! < to) e1 += 1;
      const rows = e1 - e0;
      if (rows === 0) return;
      builder.pushSession(sh, e0, e1, botAction, version);
      stats.rows += rows;
      if (orphan) stats.orphanRows += rows;
      if (hot) stats.hotCounts[userId] = (stats.hotCounts[userId] ?? 0) + rows;
      return;
    }
    let emitted = 0;
    for (let e = 0; e < n; e += 1) {
      let ts = times[e]!;
      if (ts < from || ts >= to) continue;
      const h1 = fmix((sh ^ Math.imul(e, 0x9e3779b9)) | 0);
      const h2 = fmix(h1 ^ 0x7f4a7c15);
      const h3 = fmix(h2 ^ 0x5bd1e995);
      const h4 = fmix(h3 ^ 0x27d4eb2f);
      const ua = h2 * INV32;
      let action: number;
      if (botAction >= 0 && ua < 0.9) action = botAction;
      else action = pickAction(botAction >= 0 ? (ua - 0.9) * 10 : ua);
      const page = pickPage(h3 * INV32);
      const ud = h4 * INV32;
      let duration: number;
      if (ud < OUTLIER) {
        // Rare extreme outliers: 1 hour to 3 days, log-uniform (an app left open, a clock gone wrong).
        duration = Math.floor(3_600_000 * Math.exp((ud / OUTLIER) * Math.log(72)));
      } else {
        duration = Math.max(1, Math.floor(quantile(DURATION, (ud - OUTLIER) / (1 - OUTLIER))));
      }
      let nullUser = false;
      let duplicate = false;
      if (badShare > 0) {
        const ub = fmix(h4 ^ 0x165667b1) * INV32;
        if (ub < badShare) {
          const x = (ub / badShare) * 5;
          const k = Math.min(4, Math.floor(x));
          const kind = badRowKinds[k]!;
          badCounts[kind] += 1;
          if (k === 0) nullUser = true;
          else if (k === 1) duration = -duration;
          else if (k === 2) ts += Math.floor((1 + 2 * (x - k)) * YEAR_US);
          else if (k === 3) action = UNKNOWN_ACTION;
          else duplicate = true;
        }
      }
      builder.push(nullUser, ts, action, page, duration, version);
      let copies = 1;
      if (duplicate) {
        builder.repeatLast();
        copies = 2;
      }
      emitted += copies;
      if (!nullUser) {
        if (orphan) stats.orphanRows += copies;
        if (hot) stats.hotCounts[userId] = (stats.hotCounts[userId] ?? 0) + copies;
      }
    }
    stats.rows += emitted;
  };

  const [uFrom, uTo] = userRange(plan, j);
  // The users' own sessions. sd = the user-day's day; events outside [from, to) belong to another file.
  const bodyPass = async (sd: number, from: number, to: number, lateOnly: boolean): Promise<void> => {
    const sdStart = (plan.startEpochDay + sd) * US_PER_DAY;
    for (let id = uFrom; id < uTo && stats.rows < limitRows; id += 1) {
      const slot = userSlot(m, id);
      if (!activeOn(b, t, slot, id, sd)) continue;
      const k = daySessionStarts(b, t, slot, id, sd, sdStart, tzSecondsOf(m, id), starts);
      if (lateOnly && starts[k - 1]! + MAX_SESSION_US < from) continue;
      const actMu = t.actMu[slot]!;
      for (let s = 0; s < k; s += 1) {
        const cap = spanCapOf(starts, s, k);
        const start = starts[s]!;
        if (start + cap < from || start >= to) continue;
        const sh = bodySessionSeed(b, id, sd, s);
        const n = sessionTimes(sh, start, sessionActions(b, actMu, sh), cap, times);
        if (builder.room < 2 * n) await sink(builder.take());
        emit(sh, n, id, sd, -1, from, to);
      }
    }
  };
  const pick: Pick = { kind: Kind.Zipf, userId: 0, bot: -1, slot: -1 };
  const medianActMu = Math.log(b.profile.actionsMedian);
  const randomPass = async (sd: number, from: number, to: number): Promise<void> => {
    const [rFrom, rTo] = chunkRange(plan, sd, j);
    const sdStart = (plan.startEpochDay + sd) * US_PER_DAY;
    for (let i = rFrom; i < rTo && stats.rows < limitRows; i += 1) {
      randomSessionUser(m, sd, i, pick);
      if (pick.userId < 0) continue;
      const sh = hash32(m.seeds.rsession!, sd, i, 0);
      const h = fmix(sh ^ 0x3c6ef372);
      const tzSec = pick.kind === Kind.Bot ? 0 : countries[countryOf(m, pick.userId)]!.utcOffsetHours * 3600;
      const local = (pickIndex(HOURLY_CDF, h * INV32) + fmix(h ^ 0x61c88647) * INV32) * 3600;
      let utc = (local - tzSec) % 86400;
      if (utc < 0) utc += 86400;
      const start = sdStart + Math.floor(utc * 1e6);
      if (start + MAX_SESSION_US < from) continue;
      let n: number;
      let botAction = -1;
      if (pick.kind === Kind.Bot) {
        n = 20 + Math.floor(fmix(sh ^ 0x1b873593) * INV32 * 41);
        botAction = BOT_ACTIONS[pick.bot % BOT_ACTIONS.length]!;
        let ts = start;
        times[0] = ts;
        for (let e = 1; e < n; e += 1) {
          ts += Math.floor((500 + fmix((sh ^ Math.imul(e, 0x9e3779b9)) | 0) * INV32 * 2000) * 1000);
          times[e] = ts;
        }
      } else {
        // Head and orphan sessions are average sessions: a head user's load grows with its rank as r^-skew exactly.
        n = sessionTimes(sh, start, sessionActions(b, medianActMu, sh), MAX_SESSION_US, times);
      }
      if (builder.room < 2 * n) await sink(builder.take());
      emit(sh, n, pick.userId, sd, botAction, from, to);
    }
  };

  // Overflow of day d-1 first (only sessions that can reach past midnight), then day d itself.
  if (layers & LAYER_BODY) {
    if (d > 0) await bodyPass(d - 1, dayStart, dayEnd, true);
    await bodyPass(d, dayStart, dayEnd, false);
  }
  if (layers & LAYER_RANDOM) {
    if (d > 0) await randomPass(d - 1, dayStart, dayEnd);
    await randomPass(d, dayStart, dayEnd);
  }
  if (builder.rows > 0) await sink(builder.take());
  return stats;
}

/** Mean events of `sample` random-layer sessions of day d (indexes past the day's count are fine: pure functions). */
export function meanRandomSessionEvents(m: Model, d: number, sample: number): number {
  const pick: Pick = { kind: Kind.Zipf, userId: 0, bot: -1, slot: -1 };
  const b = m.behaviour;
  let events = 0;
  for (let i = 0; i < sample; i += 1) {
    randomSessionUser(m, d, i, pick);
    if (pick.userId < 0) continue;
    const sh = hash32(m.seeds.rsession!, d, i, 0);
    if (pick.kind === Kind.Bot) events += 20 + Math.floor(fmix(sh ^ 0x1b873593) * INV32 * 41);
    else {
      events += sessionTimes(sh, 0, sessionActions(b, Math.log(b.profile.actionsMedian), sh), MAX_SESSION_US, times);
    }
  }
  return events / sample;
}

/**
 * One user's own (body) events in the window, as the files hold them: calls `onEvent(ts)` per event and returns
 * { events, sessions }. The planner measures behaviour with it; tests subtract it to see the Zipf head alone.
 */
export function bodyUserEvents(m: Model, id: number, rank: number, onEvent?: (ts: number) => void): { events: number; sessions: number } {
  const plan = m.plan;
  const b = m.behaviour;
  const slot = userSlot(m, id, rank);
  const t = userTable(m);
  const days = plan.options.days;
  const windowEnd = (plan.startEpochDay + days) * US_PER_DAY;
  let events = 0;
  let sessions = 0;
  const from = Math.max(0, t.join[slot]!);
  const to = Math.min(days, t.churn[slot]!);
  const tz = tzSecondsOf(m, id);
  for (let d = from; d < to; d += 1) {
    if (!activeOn(b, t, slot, id, d)) continue;
    const sdStart = (plan.startEpochDay + d) * US_PER_DAY;
    const k = daySessionStarts(b, t, slot, id, d, sdStart, tz, starts);
    for (let s = 0; s < k; s += 1) {
      const cap = spanCapOf(starts, s, k);
      const start = starts[s]!;
      if (start >= windowEnd) continue;
      const sh = bodySessionSeed(b, id, d, s);
      const n = sessionTimes(sh, start, sessionActions(b, t.actMu[slot]!, sh), cap, times);
      sessions += 1;
      for (let e = 0; e < n; e += 1) {
        const ts = times[e]!;
        if (ts >= windowEnd) break;
        events += 1;
        onEvent?.(ts);
      }
    }
  }
  return { events, sessions };
}
