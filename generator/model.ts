// The data model: who the users are, when they joined, which country, and how a day's sessions are laid out.
// A Plan is plain JSON (it crosses to worker threads and into the manifest); a Model is the Plan plus the
// precomputed samplers each thread builds once. Every function here is a pure function of (plan, counters).

import { countries } from './schema.ts';
import { activeOn, fillLifetime, fillTraits, joinCurve, PROFILES, UserTable, type Behaviour, type ProfileName } from './behaviour.ts';
import type { BehaviourMetrics } from './behaviour-metrics.ts';
import { weekdayOf, type Release } from './calendar.ts';
import type { GenOptions } from './options.ts';
import { createPermutation, type Permutation } from './permutation.ts';
import { columnSeed, cumulative } from './rng.ts';
import { createZipfSampler, type ZipfSampler } from './zipf.ts';

/** Ids per country-layout block: within each block, country c owns a fixed offset range (see README). */
export const COUNTRY_BLOCK = 4096;
/** Zipf ranks below this (1 % of users, at least 50) and the bots joined before the window and never leave. */
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
  /** Share of all sessions per bot. */
  readonly botShares: readonly number[];
  /** Sessions of the random layer (Zipf head, bots, orphans) per day, on top of the users' own. */
  readonly randomSessions: readonly number[];
  readonly filesPerDay: number;
  /** Files per country, in schema.ts country order (0 for a country with no users). */
  readonly countryFiles: readonly number[];
  readonly rowGroupRows: number;
  readonly metadataRowGroupRows: number;
  readonly releases: readonly Release[];
  readonly behaviour: PlanBehaviour;
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

export interface PlanBehaviour {
  readonly profile: ProfileName;
  /** 1 when the user count follows from the profile; else how much more (> 1) or less active users must be. */
  readonly activityScale: number;
  /** Users the profile alone would need for --scale (what --users / --metadata-scale departs from). */
  readonly profileUsers: number;
  /** Share of all sessions in the random layer (Zipf head + bots + orphans). */
  readonly randomShare: number;
  /** Measured on a sample of users during planning (behaviour-metrics.ts); absent in hand-made plans. */
  readonly measured?: BehaviourMetrics;
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
  readonly behaviour: Behaviour;
  /** Traits of every user, by id, when the population is small enough to cache (else undefined). */
  readonly table: UserTable | undefined;
  /** 1 where `table` holds the user already. */
  readonly filled: Uint8Array | undefined;
  /** One-slot table for users computed on the fly. */
  readonly scratch: UserTable;
}

/** Populations up to this size keep every user's traits in memory per thread (21 bytes a user, filled on use). */
export const CACHED_USERS = 4_000_000;

const SEED_NAMES = [
  'perm',
  'silent',
  'joinOffset',
  'joinOffset2',
  'country',
  'device',
  'subscription',
  'kind',
  'zipf',
  'orphan',
  'tod',
  'actions',
  'gap',
  'gapKind',
  'action',
  'page',
  'duration',
  'durationOutlier',
  'lag',
  'bad',
  'badKind',
  'future',
  'tryer',
  'life',
  'trait1',
  'trait2',
  'active',
  'sessions',
  'start',
  'session',
  'rsession',
] as const;

export function createModel(plan: Plan): Model {
  const o = plan.options;
  const seeds: Record<string, number> = {};
  for (const name of SEED_NAMES) seeds[name] = columnSeed(o.seed, 'model', name);
  const perm = createPermutation(plan.users, seeds.perm!);
  const alwaysActiveRanks = Math.min(ALWAYS_ACTIVE_RANKS, Math.max(50, Math.floor(plan.users / 100)), plan.users - plan.botIds.length);
  const hotCandidates = new Set<number>(plan.botIds);
  const alwaysActive = new Set<number>(plan.botIds);
  for (let r = 0; r < alwaysActiveRanks; r += 1) {
    const id = perm.forward(r);
    alwaysActive.add(id);
    if (r < HOT_CANDIDATE_RANKS) hotCandidates.add(id);
  }
  const botIndexOf = new Map(plan.botIds.map((id, b) => [id, b] as const));
  const profile = PROFILES[o.profile];
  const curve = joinCurve(profile, o.days);
  const dayFactor = new Float64Array(o.days + 1);
  for (let d = 0; d <= o.days; d += 1) dayFactor[d] = profile.weekday[weekdayOf(plan.startEpochDay + d)]!;
  const behaviour: Behaviour = {
    profile,
    users: plan.users,
    days: o.days,
    silentShare: o.silentUsers,
    activityScale: plan.behaviour.activityScale,
    seeds: {
      silent: seeds.silent!,
      join: seeds.joinOffset!,
      tryer: seeds.tryer!,
      life: seeds.life!,
      trait1: seeds.trait1!,
      trait2: seeds.trait2!,
      active: seeds.active!,
      sessions: seeds.sessions!,
      start: seeds.start!,
      session: seeds.session!,
    },
    dayFactor,
    joinQuantile: curve.quantile,
    joinedBefore: curve.before,
  };
  const m: Model = {
    plan,
    perm,
    userZipf: createZipfSampler(plan.users, o.skew),
    alwaysActiveRanks,
    hotCandidates,
    alwaysActive,
    botIndexOf,
    countryBounds: countryBounds(),
    seeds,
    behaviour,
    table: plan.users <= CACHED_USERS ? new UserTable(plan.users) : undefined,
    filled: plan.users <= CACHED_USERS ? new Uint8Array(plan.users) : undefined,
    scratch: new UserTable(1),
  };
  return m;
}

/**
 * Slot of user `id` in `userTable(m)`: the id itself when cached, else computed into the scratch slot. The
 * activity traits are filled only for users who can be active in the window (fillLifetime); for the others
 * activeOn is false on every window day and their traits are never read.
 */
export function userSlot(m: Model, id: number, rank = -1): number {
  const filled = m.filled;
  if (filled) {
    // Filled on first use: a sample touches only its users, a file only its id range.
    if (filled[id] === 0) {
      if (fillLifetime(m.behaviour, m.table!, id, id, m.alwaysActive.has(id))) fillTraits(m.behaviour, m.table!, id, id, rank >= 0 ? rank : m.perm.inverse(id));
      filled[id] = 1;
    }
    return id;
  }
  if (fillLifetime(m.behaviour, m.scratch, 0, id, m.alwaysActive.has(id))) fillTraits(m.behaviour, m.scratch, 0, id, rank >= 0 ? rank : m.perm.inverse(id));
  return 0;
}

export function userTable(m: Model): UserTable {
  return m.table ?? m.scratch;
}

/** Does user `id` have any event in the window? (Exact: a user's events all come from its active days.) */
export function hasEvents(m: Model, id: number): boolean {
  if (m.botIndexOf.has(id)) return true;
  const i = userSlot(m, id);
  const t = userTable(m);
  const from = Math.max(0, t.join[i]!);
  const to = Math.min(m.plan.options.days, t.churn[i]!);
  for (let d = from; d < to; d += 1) if (activeOn(m.behaviour, t, i, id, d)) return true;
  return false;
}

/** Window day the user joined (negative: before the window). */
export function joinDay(m: Model, id: number): number {
  return userTable(m).join[userSlot(m, id)]!;
}

/** UTC offset of the user's country in seconds (east positive). */
export function tzSecondsOf(m: Model, id: number): number {
  return countries[countryOf(m, id)]!.utcOffsetHours * 3600;
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

/** User-range [from, to) of file j of a day: chunk j of the id space feeds file j of every day. */
export function userRange(plan: Plan, j: number): [number, number] {
  const f = plan.filesPerDay;
  return [Math.floor((j * plan.users) / f), Math.floor(((j + 1) * plan.users) / f)];
}

/** Random-layer session index range [from, to) of chunk j of day d. */
export function chunkRange(plan: Plan, d: number, j: number): [number, number] {
  const total = plan.randomSessions[d]!;
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
