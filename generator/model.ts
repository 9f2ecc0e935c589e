// The data model: who the users are, when they joined, which country, and how a day's sessions are laid out.
// A Plan is plain JSON (it crosses to worker threads and into the manifest); a Model is the Plan plus the
// precomputed samplers each thread builds once. Every function here is a pure function of (plan, counters).

import { countries } from './schema.ts';
import { releaseCalendar, type Release } from './calendar.ts';
import type { GenOptions } from './options.ts';
import { createPermutation, type Permutation } from './permutation.ts';
import { columnSeed, cumulative, hash32, hi32, lo32, uniform32 } from './rng.ts';
import { createZipfSampler, type ZipfSampler } from './zipf.ts';

/** Ids per country-layout block: within each block, country c owns a fixed offset range (see README). */
export const COUNTRY_BLOCK = 4096;
/** Zipf ranks below this (and bots) have joined before the window and are never silent: active all window. */
export const ALWAYS_ACTIVE_RANKS = 1000;
/**
 * Ids whose rows every file counts exactly for the manifest's hot keys: the top ranks and the bots. 200 ranks keep
 * the per-file records small (they are rewritten after every file) and hold the true top 20 by a wide margin at
 * skews from about 0.8 up; at lower skews the top 20 are near-ties and the list is the top among these candidates.
 */
export const HOT_CANDIDATE_RANKS = 200;

export interface Plan {
  readonly options: GenOptions;
  readonly startEpochDay: number;
  /** Metadata users: ids u0 .. u(users-1). */
  readonly users: number;
  /** Orphan ids are u(users) .. u(users + orphanUsers - 1): in interactions, never in metadata. */
  readonly orphanUsers: number;
  readonly botIds: readonly number[];
  /** Share of random sessions per bot. */
  readonly botShares: readonly number[];
  /** Random (Zipf, bot, orphan) sessions per day; guaranteed first sessions come on top. */
  readonly randomSessions: readonly number[];
  readonly filesPerDay: number;
  /** Files per country, in schema.ts country order (0 for a country with no users). */
  readonly countryFiles: readonly number[];
  readonly rowGroupRows: number;
  readonly metadataRowGroupRows: number;
  readonly releases: readonly Release[];
  /** Calibration record: measured bytes per row of the real writer (pilot batches), recorded for the manifest. */
  readonly calibration: {
    readonly interactionBytesPerRow: number;
    readonly interactionFileOverhead: number;
    readonly metadataBytesPerRow: number;
    readonly metadataFileOverhead: number;
    readonly eventsPerRandomSession: number;
    readonly expectedInteractionRows: number;
  };
}

export interface Model {
  readonly plan: Plan;
  readonly perm: Permutation;
  readonly userZipf: ZipfSampler;
  readonly alwaysActiveRanks: number;
  /** Ids whose exact event counts are tracked for the hot-key list (top ranks and bots). */
  readonly hotCandidates: ReadonlySet<number>;
  /** Bots and the top ALWAYS_ACTIVE_RANKS ranks. */
  readonly alwaysActive: ReadonlySet<number>;
  readonly botIndexOf: ReadonlyMap<number, number>;
  readonly countryBounds: Int32Array;
  readonly seeds: Readonly<Record<string, number>>;
}

const SEED_NAMES = [
  'perm', 'silent', 'joinOffset', 'joinOffset2', 'country', 'device', 'subscription',
  'kind', 'zipf', 'orphan', 'tod', 'actions', 'gap', 'gapKind', 'action', 'page', 'duration', 'durationOutlier',
  'lag', 'bad', 'badKind', 'future',
] as const;

export function createModel(plan: Plan): Model {
  const o = plan.options;
  const seeds: Record<string, number> = {};
  for (const name of SEED_NAMES) seeds[name] = columnSeed(o.seed, 'model', name);
  const perm = createPermutation(plan.users, seeds.perm!);
  const alwaysActiveRanks = Math.min(ALWAYS_ACTIVE_RANKS, plan.users - plan.botIds.length);
  const hotCandidates = new Set<number>(plan.botIds);
  const alwaysActive = new Set<number>(plan.botIds);
  for (let r = 0; r < alwaysActiveRanks; r += 1) {
    const id = perm.forward(r);
    alwaysActive.add(id);
    if (r < HOT_CANDIDATE_RANKS) hotCandidates.add(id);
  }
  const botIndexOf = new Map(plan.botIds.map((id, b) => [id, b] as const));
  return {
    plan,
    perm,
    userZipf: createZipfSampler(plan.users, o.skew),
    alwaysActiveRanks,
    hotCandidates,
    alwaysActive,
    botIndexOf,
    countryBounds: countryBounds(),
    seeds,
  };
}

/**
 * Country layout. Within each block of COUNTRY_BLOCK ids, offset `off` sits at position `(off * SCATTER) mod
 * COUNTRY_BLOCK` and country c owns positions [bounds[c], bounds[c+1]). The odd multiplier is a bijection on the
 * block, so country c's ids are still enumerable without a scan, but consecutive ids belong to different countries:
 * a day's guaranteed first sessions (a contiguous id range) and a small last block both get the whole country mix
 * instead of one country's stripe.
 */
const SCATTER = 2617; // odd, so invertible mod 2^12; far from 0 and 2^12 so neighbours land far apart
const SCATTER_INVERSE = modInverse(SCATTER, COUNTRY_BLOCK);

function modInverse(a: number, m: number): number {
  for (let x = 1; x < m; x += 1) if ((a * x) % m === 1) return x;
  throw new Error(`${a} has no inverse mod ${m}`);
}

function positionOf(off: number): number {
  return (off * SCATTER) % COUNTRY_BLOCK;
}

function offsetAt(position: number): number {
  return (position * SCATTER_INVERSE) % COUNTRY_BLOCK;
}

/** Positions within a block: country c owns [bounds[c], bounds[c+1]). */
export function countryBounds(): Int32Array {
  const cdf = cumulative(countries.map((c) => c.weight));
  const bounds = new Int32Array(countries.length + 1);
  for (let c = 0; c < countries.length; c += 1) bounds[c + 1] = Math.round(cdf[c]! * COUNTRY_BLOCK);
  return bounds;
}

export function countryOf(m: Model, id: number): number {
  const pos = positionOf(id % COUNTRY_BLOCK);
  const b = m.countryBounds;
  let c = 0;
  while (pos >= b[c + 1]!) c += 1;
  return c;
}

/** Offsets below `rest` owned by country c in the last, partial block, ascending by position. */
const partialOffsetsCache = new Map<string, Int32Array>();
function partialBlockOffsets(bounds: Int32Array, c: number, rest: number): Int32Array {
  const key = `${bounds.join(',')}|${c}|${rest}`;
  let offsets = partialOffsetsCache.get(key);
  if (!offsets) {
    const found: number[] = [];
    for (let pos = bounds[c]!; pos < bounds[c + 1]!; pos += 1) {
      const off = offsetAt(pos);
      if (off < rest) found.push(off);
    }
    offsets = Int32Array.from(found);
    partialOffsetsCache.set(key, offsets);
  }
  return offsets;
}

/** Users of country c: how many ids below `users` it owns. */
export function countryUserCount(bounds: Int32Array, c: number, users: number): number {
  const width = bounds[c + 1]! - bounds[c]!;
  const full = Math.floor(users / COUNTRY_BLOCK);
  const rest = users - full * COUNTRY_BLOCK;
  return full * width + (rest > 0 ? partialBlockOffsets(bounds, c, rest).length : 0);
}

/** The id of country c's `ordinal`-th user (ordinal < countryUserCount(bounds, c, users)). */
export function countryUserId(bounds: Int32Array, c: number, ordinal: number, users: number): number {
  const lo = bounds[c]!;
  const width = bounds[c + 1]! - lo;
  const block = Math.floor(ordinal / width);
  const within = ordinal - block * width;
  const full = Math.floor(users / COUNTRY_BLOCK);
  if (block < full) return block * COUNTRY_BLOCK + offsetAt(lo + within);
  return full * COUNTRY_BLOCK + partialBlockOffsets(bounds, c, users - full * COUNTRY_BLOCK)[within]!;
}

/** The day of the user's guaranteed first session: contiguous id blocks, so day d's users are an id range. */
export function guaranteedDay(plan: Plan, id: number): number {
  return Math.floor((id * plan.options.days) / plan.users);
}

/** First id whose guaranteed day is d. */
export function firstGuaranteedId(plan: Plan, d: number): number {
  return Math.ceil((d * plan.users) / plan.options.days);
}

/** Bots and the top Zipf ranks (a set lookup, not an inverse permutation). */
export function isAlwaysActive(m: Model, id: number): boolean {
  return m.alwaysActive.has(id);
}

export function isSilent(m: Model, id: number, alwaysActive: boolean): boolean {
  return !alwaysActive && uniform32(m.seeds.silent!, lo32(id), hi32(id), 0) < m.plan.options.silentUsers;
}

/**
 * Window day the user joined (may be years before the window). Heavy-tailed before the guaranteed first session:
 * 40 % within a month, the rest Pareto(1.1) from 30 days, capped at 2000 days. Always-active users joined before
 * the window starts.
 */
export function joinDay(m: Model, id: number, alwaysActive: boolean): number {
  const u = uniform32(m.seeds.joinOffset!, lo32(id), hi32(id), 0);
  const v = uniform32(m.seeds.joinOffset2!, lo32(id), hi32(id), 0);
  const offset = u < 0.4 ? Math.floor(v * 30) : Math.min(2000, Math.floor(30 * (1 - v) ** (-1 / 1.1)));
  if (alwaysActive) return -1 - offset;
  return guaranteedDay(m.plan, id) - offset;
}

/** Can a Zipf-drawn session on day d go to this user? (Rejection sampling redraws when not.) */
export function eligibleOn(m: Model, id: number, d: number): boolean {
  const always = isAlwaysActive(m, id);
  return !isSilent(m, id, always) && joinDay(m, id, always) <= d;
}

/**
 * Guaranteed first sessions are spread evenly among the random ones: session i of day d is the k-th guaranteed
 * one when floor((i+1)·G/T) steps up to k+1. Any prefix of a file is then a fair sample of it, which is what the
 * calibration pilot measures (with guaranteed sessions first, a pilot prefix misjudged bytes per row by 10 %).
 * Returns the guaranteed ordinal, or -1 for a random session.
 */
export function guaranteedOrdinal(plan: Plan, d: number, i: number): number {
  const g = guaranteedSessions(plan, d);
  const t = g + plan.randomSessions[d]!;
  const upTo = Math.floor(((i + 1) * g) / t);
  return upTo > Math.floor((i * g) / t) ? upTo - 1 : -1;
}

/** Guaranteed first sessions of day d (ids from firstGuaranteedId(d)). */
export function guaranteedSessions(plan: Plan, d: number): number {
  return firstGuaranteedId(plan, d + 1) - firstGuaranteedId(plan, d);
}

export function sessionsOfDay(plan: Plan, d: number): number {
  return guaranteedSessions(plan, d) + plan.randomSessions[d]!;
}

/** Session index range [from, to) of chunk j of day d: chunk j of every day feeds file j. */
export function chunkRange(plan: Plan, d: number, j: number): [number, number] {
  const total = sessionsOfDay(plan, d);
  const f = plan.filesPerDay;
  return [Math.floor((j * total) / f), Math.floor(((j + 1) * total) / f)];
}

export function defaultBots(users: number, bots: number, seed: number): { ids: number[]; shares: number[] } {
  // Bots take the coldest Zipf ranks (users - 1 - b), so their hotness comes only from bot sessions.
  const perm = createPermutation(users, columnSeed(seed, 'model', 'perm'));
  const ids: number[] = [];
  const shares: number[] = [];
  for (let b = 0; b < bots; b += 1) {
    ids.push(perm.forward(users - 1 - b));
    shares.push(Math.max(0.002, 0.02 * 0.6 ** b));
  }
  return { ids, shares };
}

export { releaseCalendar, hash32 };
