// Turns validated options into a Plan: how many users, sessions per day, files per day and per country. Byte
// targets are met by calibration against the real Parquet writer: pilot files generated from the plan itself
// (deterministic, so every shard on every machine computes the identical plan), measured, and the plan re-solved
// (two rounds: bytes per row moves little with the counts).

import type { ColumnBatch } from './batch.ts';
import { PROFILES, type Profile } from './behaviour.ts';
import { behaviourMetrics, type BehaviourMetrics } from './behaviour-metrics.ts';
import { epochDayOf, releaseCalendar, weekdayOf } from './calendar.ts';
import { UsageError } from './errors.ts';
import { bodyUserEvents, generateInteractionFile, LAYER_BODY, LAYER_RANDOM, meanRandomSessionEvents, PAGE_CDF, PAGE_DICTIONARY } from './interactions.ts';
import { generateMetadataFile } from './metadata.ts';
import { countryBounds, countryUserCount, createModel, defaultBots, joinDay, type Plan } from './model.ts';
import type { GenOptions } from './options.ts';
import { createParquetWriter } from './parquet/index.ts';
import { countries, interactions, metadata, type Dataset } from './schema.ts';

const ROW_GROUP_BYTES = 128 * 1024 * 1024;
/** Pilot files: a whole file when files are at most this many rows, else a prefix (a fair sample, see model.ts). */
const PILOT_ROWS = 80_000;
const MIN_USERS = 1000;

/** Writes batches to memory through the real writer and returns the file's size. */
async function measure(
  dataset: Dataset,
  produce: (sink: (b: ColumnBatch) => Promise<void>) => Promise<unknown>,
): Promise<{ bytes: number; rows: number; pageDictBytes: number }> {
  let bytes = 0;
  const seen = new Uint8Array(PAGE_DICTIONARY.length);
  const writer = createParquetWriter({
    dataset,
    out: async (chunk) => {
      bytes += chunk.length;
    },
  });
  await produce((b) => {
    const col = b.columns.page_id;
    if (col?.kind === 'dict') for (let r = 0; r < b.rows; r += 1) seen[col.indices[r]!] = 1;
    return writer.writeBatch(b);
  });
  const closed = await writer.close();
  let pageDictBytes = 0;
  // The pages the file's rows use (the writer's chunk dictionary): PLAIN BYTE_ARRAY, length prefix + ASCII bytes.
  for (let p = 0; p < seen.length; p += 1) if (seen[p] === 1) pageDictBytes += 4 + PAGE_DICTIONARY[p]!.length;
  return { bytes, rows: closed.rows, pageDictBytes };
}

/**
 * Bytes of the page_id dictionary of a file of `rows` rows: the expected distinct pages under the pages' Zipf(1)
 * popularity, each 4 + its length. It grows with the file (up to ~140 KB), so it is modelled per file size instead
 * of being folded into bytes per row: a pilot of 80 k rows otherwise overstated bytes per row of 700 k-row files by
 * 11 % (gen --scale 256mb --days 30 landed at 85 % of its target).
 */
export function pageDictionaryBytes(rows: number): number {
  let sum = 0;
  let prev = 0;
  for (let i = 0; i < PAGE_CDF.length; i += 1) {
    const pi = PAGE_CDF[i]! - prev;
    prev = PAGE_CDF[i]!;
    sum += -Math.expm1(-rows * pi) * (4 + PAGE_DICTIONARY[i]!.length);
  }
  return sum;
}

/** Interaction rows that fill `bytes` in `files` files: per-file overhead + page dictionary + bytes per row. */
function rowsForBytes(bytes: number, files: number, cal: { interactionBytesPerRow: number; interactionFileOverhead: number }, dupFactor: number): number {
  let rows = bytes / cal.interactionBytesPerRow;
  for (let i = 0; i < 6; i += 1) {
    const perFile = cal.interactionFileOverhead + pageDictionaryBytes((rows * dupFactor) / files);
    rows = Math.max(0, (bytes - files * perFile) / cal.interactionBytesPerRow / dupFactor);
  }
  return rows;
}

/** Relative random-layer volume of each window day: the profile's weekday cycle times its growth. */
export function dayWeights(profile: Profile, startEpochDay: number, days: number): number[] {
  return Array.from({ length: days }, (_, d) => profile.weekday[weekdayOf(startEpochDay + d)]! * Math.exp(profile.growthPerDay * d));
}

/** Users the planner simulates (every k-th activity rank) to size the population; all of them when fewer. */
const SAMPLE_USERS = 15_000;
/** Users whose events the planner keeps to measure the behaviour metrics for the manifest. */
const METRIC_USERS = 8_000;

interface BodySample {
  rowsPerUser: number;
  sessionsPerUser: number;
}

/** Integer sums over one part of sampleBody's users: parts add up exactly, in any order, on any thread. */
export interface BodySums {
  readonly topRows: number;
  readonly topSessions: number;
  readonly restRows: number;
  readonly restSessions: number;
}

/**
 * Computes part `part` of `parts` of the planner's user sample on another thread (pool.ts: a worker that would
 * otherwise wait for the plan); sampleBody computes part 0 itself.
 */
export type BodySampler = (plan: Plan, part: number, parts: number) => Promise<BodySums>;

/** The ranks sampleBody simulates: the heaviest `top`, then `draws` stride ranks over the `rest`. */
function sampleRanks(n: number, k: number): { top: number; rest: number; draws: number } {
  const top = Math.min(n, Math.max(1000, Math.min(5000, Math.floor(n * 0.02))));
  const rest = n - top;
  return { top, rest, draws: Math.min(k, rest) };
}

/** Part `part` of `parts` of sampleBody's users (every parts-th of the top ranks and of the stride draws). */
export function sampleBodyPart(plan: Plan, part: number, parts: number, k = SAMPLE_USERS): BodySums {
  const m = createModel(plan);
  const { top, rest, draws } = sampleRanks(plan.users, k);
  let topRows = 0;
  let topSessions = 0;
  for (let rank = part; rank < top; rank += parts) {
    const r = bodyUserEvents(m, m.perm.forward(rank), rank);
    topRows += r.events;
    topSessions += r.sessions;
  }
  let restRows = 0;
  let restSessions = 0;
  for (let i = part; i < draws; i += parts) {
    const rank = top + Math.floor(((i + 0.5) * rest) / draws);
    const r = bodyUserEvents(m, m.perm.forward(rank), rank);
    restRows += r.events;
    restSessions += r.sessions;
  }
  return { topRows, topSessions, restRows, restSessions };
}

/**
 * Own rows and sessions per user: every one of the heaviest ranks (the top 2 %, 1000 to 5000 of them: the heavy tail
 * that a thin sample would over- or under-weight; a stride sample measured 3.6 % high at 64 MB), then a stride
 * sample over the other ranks, weighted. Ranks are the activity order, so both parts are stratified. The users are
 * split over this thread and the `helpers` (integer sums: the same result for any split); the plan is on the
 * critical path of a run (the workers wait for it), and this sample is most of its time.
 */
async function sampleBody(plan: Plan, helpers: readonly BodySampler[], k = SAMPLE_USERS): Promise<BodySample> {
  const parts = helpers.length + 1;
  const remote = helpers.map((h, i) => h(plan, i + 1, parts));
  const own = sampleBodyPart(plan, 0, parts, k);
  const sums = [own, ...(await Promise.all(remote))];
  const add = (f: (s: BodySums) => number): number => sums.reduce((a, s) => a + f(s), 0);
  const n = plan.users;
  const { rest, draws } = sampleRanks(n, k);
  let rows = add((s) => s.topRows);
  let sessions = add((s) => s.topSessions);
  if (draws > 0) {
    rows += (add((s) => s.restRows) * rest) / draws;
    sessions += (add((s) => s.restSessions) * rest) / draws;
  }
  return { rowsPerUser: rows / n, sessionsPerUser: sessions / n };
}

/** The plan with its manifest behaviour metrics. */
export function withMeasuredBehaviour(plan: Plan): Plan {
  return { ...plan, behaviour: { ...plan.behaviour, measured: measureBehaviour(plan) } };
}

/** The manifest's behaviour metrics, measured on a stride sample of users' own events. */
export function measureBehaviour(plan: Plan, k = METRIC_USERS): BehaviourMetrics {
  const m = createModel(plan);
  const n = Math.min(k, plan.users);
  const users: { ts: Float64Array; join: number }[] = [];
  const buf: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const rank = Math.floor(((i + 0.5) * plan.users) / n);
    const id = m.perm.forward(rank);
    if (m.botIndexOf.has(id)) continue;
    buf.length = 0;
    bodyUserEvents(m, id, rank, (ts) => buf.push(ts));
    users.push({ ts: Float64Array.from(buf), join: joinDay(m, id) });
  }
  return behaviourMetrics({ startEpochDay: plan.startEpochDay, days: plan.options.days, users });
}

/**
 * The plan for these options. `measure: false` leaves out `behaviour.measured` (run.ts measures it on the main
 * thread while the workers start and generate, where it costs no wall time); the rest is identical. `helpers` share
 * the planner's user sample (sampleBody): the same plan with or without them.
 */
export async function buildPlan(o: GenOptions, opts: { measure?: boolean; helpers?: readonly BodySampler[] } = {}): Promise<Plan> {
  const helpers = opts.helpers ?? [];
  const startEpochDay = epochDayOf(o.end) - (o.days - 1);
  const releases = releaseCalendar(o.days);
  const profile = PROFILES[o.profile];
  const weights = dayWeights(profile, startEpochDay, o.days);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const bounds = countryBounds();
  const filesPerDay = Math.max(1, Math.round(o.scaleBytes / o.days / o.fileSizeBytes));
  const totalFiles = filesPerDay * o.days;
  const botShares = Array.from({ length: o.bots }, (_, b) => Math.max(0.002, 0.02 * 0.6 ** b));
  const randomShare = profile.headShare + o.orphanShare + botShares.reduce((a, b) => a + b, 0);
  const randomPerBody = randomShare / (1 - randomShare);

  let cal = {
    interactionBytesPerRow: 10,
    interactionFileOverhead: 1500,
    metadataBytesPerRow: 12,
    metadataFileOverhead: 1000,
    eventsPerRandomSession: 20,
    expectedInteractionRows: 0,
  };
  let profileUsers = 0;
  let activityScale = 1;
  let plan: Plan | undefined;
  let profileSample: BodySample | undefined;
  const make = (users: number, scale: number, sample: BodySample | undefined): Plan => {
    const countryFiles = countries.map((_, c) => {
      const rows = countryUserCount(bounds, c, users);
      return rows === 0 ? 0 : Math.max(1, Math.round((rows * cal.metadataBytesPerRow) / o.fileSizeBytes));
    });
    const bots = defaultBots(users, o.bots, o.seed);
    const randomTotal = sample ? randomPerBody * users * sample.sessionsPerUser : 0;
    const dupFactor = 1 + o.badRows / 5;
    const targetRows = rowsForBytes(o.scaleBytes, totalFiles, cal, dupFactor);
    return {
      options: o,
      startEpochDay,
      users,
      orphanUsers: Math.max(1, Math.round(users * o.orphanShare * 2)),
      botIds: bots.ids,
      botShares: bots.shares,
      randomSessions: weights.map((w) => Math.round((randomTotal * w) / weightSum)),
      filesPerDay,
      countryFiles,
      rowGroupRows: Math.max(1, Math.floor(ROW_GROUP_BYTES / cal.interactionBytesPerRow)),
      metadataRowGroupRows: Math.max(1, Math.floor(ROW_GROUP_BYTES / cal.metadataBytesPerRow)),
      releases,
      behaviour: { profile: o.profile, activityScale: scale, profileUsers, randomShare },
      calibration: { ...cal, expectedInteractionRows: Math.round(targetRows * dupFactor) },
    };
  };
  const minUsers = MIN_USERS + o.bots;
  const fixedUsers = (c: typeof cal): number =>
    o.users > 0 ? o.users : o.metadataBytes > 0 ? Math.floor((o.metadataBytes - countries.length * c.metadataFileOverhead) / c.metadataBytesPerRow) : 0;
  let sample: BodySample | undefined;
  let users = 0;
  // Two rounds: bytes per row barely move with N, so one calibration against the real writer suffices (a third
  // round moved N by 0.6 % at 64 MB and cost a second set of pilot files).
  for (let round = 0; round < 2; round += 1) {
    const dupFactor = 1 + o.badRows / 5;
    const targetRows = rowsForBytes(o.scaleBytes, totalFiles, cal, dupFactor);
    const rowsOf = (s: BodySample): number => s.rowsPerUser + randomPerBody * s.sessionsPerUser * cal.eventsPerRandomSession;
    // The population the profile needs for this many rows.
    if (round === 0) {
      const guess = Math.max(minUsers, Math.round(targetRows / 150));
      profileSample = await sampleBody(make(guess, 1, undefined), helpers);
      // Rows per user depend on N only through the always-active ranks (1 % of N, capped at 1000): resample at
      // the solved N when it moved (at 256 MB the sample at the first guess overstated rows per user by 8 %).
      const solved = Math.max(minUsers, Math.round(targetRows / rowsOf(profileSample)));
      if (Math.abs(solved - guess) > 0.02 * solved) profileSample = await sampleBody(make(solved, 1, undefined), helpers);
    }
    profileUsers = Math.max(minUsers, Math.round(targetRows / rowsOf(profileSample!)));
    const fixed = fixedUsers(cal);
    if (o.users === 0 && o.metadataBytes > 0 && fixed < minUsers)
      throw new UsageError('metadata_too_small', `--metadata-scale gives only ${Math.max(0, fixed)} users; need at least ${minUsers}: raise --metadata-scale`);
    if (fixed > 0) {
      // The population is given: users must be this much more (or less) active than the profile to fill --scale.
      users = fixed;
      if (round === 0) activityScale = profileUsers / users;
      for (let step = 0; step < (round === 0 ? 3 : 1); step += 1) {
        sample = await sampleBody(make(users, activityScale, undefined), helpers);
        activityScale *= targetRows / (users * rowsOf(sample));
      }
      if (!(activityScale > 1e-4 && activityScale < 1e4))
        throw new UsageError(
          'scale_too_small',
          `--scale and the user count do not fit: users would need ${activityScale.toPrecision(2)}x the profile's activity`,
        );
      sample = await sampleBody(make(users, activityScale, undefined), helpers);
    } else {
      users = profileUsers;
      sample = profileSample;
    }
    plan = make(users, activityScale, sample);
    if (round === 1) break;
    cal = await calibrate(plan);
  }
  if (opts.measure === false) return plan!;
  return withMeasuredBehaviour(plan!);
}

/** Measures the real writer on pilot files of this plan, and the mean events per random session. */
async function calibrate(plan: Plan): Promise<Plan['calibration']> {
  const m = createModel(plan);
  const mid = Math.floor(plan.options.days / 2);
  // Events per random-layer session, from a fixed sample of the same generator.
  const eventsPerRandom = await eventsPerRandomSession(plan);
  // Pilot interactions: the middle day's first file, the users' own rows and the random layer measured apart (a
  // file holds the users' rows first, so a prefix alone would miss the layer's costlier scattered ids), each at
  // most PILOT_ROWS rows; a one-row file gives the per-file overhead.
  const body = await measure(interactions, (sink) => generateInteractionFile(m, mid, 0, sink, PILOT_ROWS, LAYER_BODY));
  const random = await measure(interactions, (sink) => generateInteractionFile(m, mid, 0, sink, PILOT_ROWS / 2, LAYER_RANDOM));
  const tiny = await measure(interactions, (sink) => generateInteractionFile(m, mid, 0, sink, 1, LAYER_BODY));
  // Bytes per row without the page dictionary (modelled per file size, pageDictionaryBytes); the one-row file
  // gives the fixed per-file overhead.
  const iOverhead = Math.max(0, tiny.bytes - tiny.pageDictBytes - (body.bytes - body.pageDictBytes - tiny.bytes) / Math.max(1, body.rows - tiny.rows));
  const bodyBpr = (body.bytes - body.pageDictBytes - iOverhead) / Math.max(1, body.rows);
  const randomBpr = random.rows > 10 ? (random.bytes - random.pageDictBytes - iOverhead) / random.rows : bodyBpr;
  const randomRows = plan.randomSessions.reduce((a, b) => a + b, 0) * eventsPerRandom;
  const share = Math.min(1, randomRows / Math.max(1, plan.calibration.expectedInteractionRows));
  const iBpr = bodyBpr * (1 - share) + randomBpr * share;
  const mPilot = await measure(metadata, (sink) => generateMetadataFile(m, 0, 0, sink, PILOT_ROWS));
  const mTiny = await measure(metadata, (sink) => generateMetadataFile(m, 0, 0, sink, 1));
  const mOverhead = Math.max(0, mTiny.bytes - (mPilot.bytes - mTiny.bytes) / Math.max(1, mPilot.rows - mTiny.rows));
  const mBpr = (mPilot.bytes - mOverhead) / Math.max(1, mPilot.rows);
  return {
    interactionBytesPerRow: iBpr,
    interactionFileOverhead: iOverhead,
    metadataBytesPerRow: mBpr,
    metadataFileOverhead: mOverhead,
    eventsPerRandomSession: eventsPerRandom,
    expectedInteractionRows: 0,
  };
}

/** Mean rows per random-layer session: 20 000 sessions of the real generator (Zipf head, bots, orphans). */
async function eventsPerRandomSession(plan: Plan): Promise<number> {
  return meanRandomSessionEvents(createModel(plan), Math.floor(plan.options.days / 2), 20_000);
}
