// Turns validated options into a Plan: how many users, sessions per day, files per day and per country. Byte
// targets are met by calibration against the real Parquet writer: pilot files generated from the plan itself
// (deterministic, so every shard on every machine computes the identical plan), measured, and the plan re-solved
// (three rounds converge: bytes per row moves little with the counts).

import type { ColumnBatch } from './batch.ts';
import { GROWTH_OVER_WINDOW, WEEKDAY_FACTOR, epochDayOf, releaseCalendar, weekdayOf } from './calendar.ts';
import { UsageError } from './errors.ts';
import { generateInteractionFile, meanRandomSessionEvents } from './interactions.ts';
import { generateMetadataFile } from './metadata.ts';
import { countryBounds, countryUserCount, createModel, defaultBots, type Plan } from './model.ts';
import type { GenOptions } from './options.ts';
import { createParquetWriter } from './parquet/index.ts';
import { countries, interactions, metadata, type Dataset } from './schema.ts';

const ROW_GROUP_BYTES = 128 * 1024 * 1024;
/** Pilot files: a whole file when files are at most this many rows, else a prefix (a fair sample, see model.ts). */
const PILOT_ROWS = 300_000;
const MIN_USERS = 2000;

/** Writes batches to memory through the real writer and returns the file's size. */
async function measure(
  dataset: Dataset,
  produce: (sink: (b: ColumnBatch) => Promise<void>) => Promise<unknown>,
): Promise<{ bytes: number; rows: number }> {
  let bytes = 0;
  const writer = createParquetWriter({ dataset, out: async (chunk) => void (bytes += chunk.length) });
  await produce((b) => writer.writeBatch(b));
  const closed = await writer.close();
  return { bytes, rows: closed.rows };
}

/** Relative session volume of each window day: weekday cycle times linear growth. */
export function dayWeights(startEpochDay: number, days: number): number[] {
  return Array.from({ length: days }, (_, d) => {
    const growth = 1 + ((GROWTH_OVER_WINDOW - 1) * d) / Math.max(1, days - 1);
    return WEEKDAY_FACTOR[weekdayOf(startEpochDay + d)]! * growth;
  });
}

export async function buildPlan(o: GenOptions): Promise<Plan> {
  const startEpochDay = epochDayOf(o.end) - (o.days - 1);
  const releases = releaseCalendar(o.days);
  const weights = dayWeights(startEpochDay, o.days);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const bounds = countryBounds();
  const filesPerDay = Math.max(1, Math.round(o.scaleBytes / o.days / o.fileSizeBytes));
  const totalFiles = filesPerDay * o.days;

  let cal = {
    interactionBytesPerRow: 18,
    interactionFileOverhead: 1500,
    metadataBytesPerRow: 12,
    metadataFileOverhead: 1000,
    eventsPerRandomSession: 7,
    expectedInteractionRows: 0,
  };
  let plan: Plan | undefined;
  for (let round = 0; round < 3; round += 1) {
    // Users from the metadata byte target.
    const metaFilesGuess = countries.length;
    const users = Math.floor((o.metadataBytes - metaFilesGuess * cal.metadataFileOverhead) / cal.metadataBytesPerRow);
    if (users < MIN_USERS + o.bots)
      throw new UsageError(
        'metadata_too_small',
        `--metadata-scale gives only ${Math.max(0, users)} users; need at least ${MIN_USERS + o.bots}: raise --metadata-scale`,
      );
    const countryFiles = countries.map((_, c) => {
      const rows = countryUserCount(bounds, c, users);
      return rows === 0 ? 0 : Math.max(1, Math.round((rows * cal.metadataBytesPerRow) / o.fileSizeBytes));
    });
    const bots = defaultBots(users, o.bots, o.seed);
    const dupFactor = 1 + o.badRows / 5;
    const targetRows = (o.scaleBytes - totalFiles * cal.interactionFileOverhead) / cal.interactionBytesPerRow / dupFactor;
    const guaranteedRows = users * (1 - o.silentUsers);
    const randomTotal = (targetRows - guaranteedRows) / cal.eventsPerRandomSession;
    if (randomTotal < users * 0.05)
      throw new UsageError(
        'scale_too_small',
        `--scale is too small for ${users} users (each gets a first event): raise --scale or lower --metadata-scale`,
      );
    const randomSessions = weights.map((w) => Math.round((randomTotal * w) / weightSum));
    plan = {
      options: o,
      startEpochDay,
      users,
      orphanUsers: Math.max(1, Math.round(users * o.orphanShare * 2)),
      botIds: bots.ids,
      botShares: bots.shares,
      randomSessions,
      filesPerDay,
      countryFiles,
      rowGroupRows: Math.max(1, Math.floor(ROW_GROUP_BYTES / cal.interactionBytesPerRow)),
      metadataRowGroupRows: Math.max(1, Math.floor(ROW_GROUP_BYTES / cal.metadataBytesPerRow)),
      releases,
      calibration: { ...cal, expectedInteractionRows: Math.round(targetRows * dupFactor) },
    };
    if (round === 2) break;
    cal = await calibrate(plan);
  }
  return plan!;
}

/** Measures the real writer on pilot files of this plan, and the mean events per random session. */
async function calibrate(plan: Plan): Promise<Plan['calibration']> {
  const m = createModel(plan);
  const mid = Math.floor(plan.options.days / 2);
  // Pilot interactions: the middle day's first file, at most PILOT_ROWS rows; a one-row file gives the overhead.
  let sessions = 0;
  const pilot = await measure(interactions, (sink) => generateInteractionFile(m, mid, 0, sink, PILOT_ROWS));
  const tiny = await measure(interactions, (sink) => generateInteractionFile(m, mid, 0, sink, 1));
  const iOverhead = Math.max(0, tiny.bytes - (pilot.bytes - tiny.bytes) / Math.max(1, pilot.rows - tiny.rows));
  const iBpr = (pilot.bytes - iOverhead) / Math.max(1, pilot.rows);
  // Events per random session, from a fixed sample of the same generator (a virtual day of random sessions).
  const probe = await eventsPerRandomSession(plan);
  sessions = probe;
  const mPilot = await measure(metadata, (sink) => generateMetadataFile(m, 0, 0, sink, PILOT_ROWS));
  const mTiny = await measure(metadata, (sink) => generateMetadataFile(m, 0, 0, sink, 1));
  const mOverhead = Math.max(0, mTiny.bytes - (mPilot.bytes - mTiny.bytes) / Math.max(1, mPilot.rows - mTiny.rows));
  const mBpr = (mPilot.bytes - mOverhead) / Math.max(1, mPilot.rows);
  return {
    interactionBytesPerRow: iBpr,
    interactionFileOverhead: iOverhead,
    metadataBytesPerRow: mBpr,
    metadataFileOverhead: mOverhead,
    eventsPerRandomSession: sessions,
    expectedInteractionRows: 0,
  };
}

/** Mean rows per random session: 20 000 random sessions of the real generator (bot and orphan mix included). */
async function eventsPerRandomSession(plan: Plan): Promise<number> {
  return meanRandomSessionEvents(createModel(plan), Math.floor(plan.options.days / 2), 20_000);
}
