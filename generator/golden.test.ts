// Golden outputs of the engine, before any Parquet: a fixed hand-written plan (no calibration, so the writer's
// changes cannot move it) must keep producing exactly these columns. A change here changes every dataset anyone
// generated with the same arguments: make it on purpose, update the hashes, and say so in the commit.
// Last changed on purpose: issue 11's behaviour model (users' own active days and sessions, the Zipf head).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ColumnBatch } from './batch.ts';
import { releaseCalendar } from './calendar.ts';
import { generateInteractionFile } from './interactions.ts';
import { generateMetadataFile } from './metadata.ts';
import { createModel, defaultBots, type Plan } from './model.ts';
import { countries } from './schema.ts';

function tinyPlan(badRows = 0.05): Plan {
  const users = 5000;
  const options = {
    scaleBytes: 1,
    metadataBytes: 1,
    days: 3,
    end: '2026-01-03',
    seed: 42,
    fileSizeBytes: 1,
    skew: 1.2,
    bots: 2,
    badRows,
    orphanShare: 0.01,
    silentUsers: 0.02,
    users: 5000,
    profile: 'note-taking' as const,
  };
  const bots = defaultBots(users, options.bots, options.seed);
  return {
    options,
    startEpochDay: 20454, // 2026-01-01
    users,
    orphanUsers: 100,
    botIds: bots.ids,
    botShares: bots.shares,
    randomSessions: [400, 420, 380],
    filesPerDay: 2,
    countryFiles: countries.map(() => 1),
    rowGroupRows: 1 << 20,
    metadataRowGroupRows: 1 << 20,
    releases: releaseCalendar(3),
    behaviour: { profile: 'note-taking', activityScale: 1, profileUsers: users, randomShare: 0.12 + 0.01 + 0.02 + 0.012 },
    calibration: {
      interactionBytesPerRow: 0,
      interactionFileOverhead: 0,
      metadataBytesPerRow: 0,
      metadataFileOverhead: 0,
      eventsPerRandomSession: 0,
      expectedInteractionRows: 0,
    },
  };
}

async function digest(produce: (sink: (b: ColumnBatch) => Promise<void>) => Promise<unknown>): Promise<{ rows: number; sha: string }> {
  const h = createHash('sha256');
  let rows = 0;
  await produce(async (b) => {
    rows += b.rows;
    for (const [name, c] of Object.entries(b.columns)) {
      h.update(name);
      if (c.kind === 'utf8') {
        h.update(new Uint8Array(c.offsets.buffer, c.offsets.byteOffset, c.offsets.byteLength)).update(c.bytes);
        if (c.nulls) h.update(c.nulls);
      } else if (c.kind === 'dict') {
        for (let r = 0; r < c.indices.length; r += 1) h.update(c.dictionary[c.indices[r]!]!).update('\u0000');
      } else h.update(new Uint8Array(c.values.buffer, c.values.byteOffset, c.values.byteLength));
    }
  });
  return { rows, sha: h.digest('hex').slice(0, 16) };
}

describe('golden engine output', () => {
  it('interactions file 1 of day 1 (with previous-day overflow and every bad-row kind) and a metadata file', async () => {
    const m = createModel(tinyPlan());
    const interactions = await digest((sink) => generateInteractionFile(m, 1, 1, sink));
    const metadata = await digest((sink) => generateMetadataFile(m, 0, 0, sink));
    expect({ interactions, metadata }).toEqual({
      interactions: { rows: 11796, sha: '1015507ea7bf8382' },
      metadata: { rows: 1402, sha: 'ba7a456d3cc1d5b4' },
    });
  });

  it('without bad rows (the column-wise fast path of interactions.ts)', async () => {
    const m = createModel(tinyPlan(0));
    expect(await digest((sink) => generateInteractionFile(m, 1, 1, sink))).toEqual({ rows: 11673, sha: '6c78b1a856e6b17c' });
  });
});
