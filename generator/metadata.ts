// Metadata: one row per user id in [0, users). Country c's users are fixed offset ranges of every id block
// (model.ts), so file k of country c is a computable ordinal range: no scan over all users per country.

import type { ColumnBatch } from './batch.ts';
import { countryUserCount, countryUserId, hasEvents, joinDay, type Model } from './model.ts';
import { cumulative, hi32, lo32, pickIndex, uniform32 } from './rng.ts';
import { deviceTypes, subscriptionTypes } from './schema.ts';

const BATCH_ROWS = 65_536;
const DEVICE_CDF = cumulative(deviceTypes.weights);
const SUBSCRIPTION_CDF = cumulative(subscriptionTypes.weights);

export interface MetadataFileStats {
  rows: number;
  silentUsers: number;
}

/** Ordinal range [from, to) of country c's users held by file k. */
export function metadataFileRange(m: Model, c: number, k: number): [number, number] {
  const total = countryUserCount(m.countryBounds, c, m.plan.users);
  const f = m.plan.countryFiles[c]!;
  return [Math.floor((k * total) / f), Math.floor(((k + 1) * total) / f)];
}

export async function generateMetadataFile(
  m: Model,
  c: number,
  k: number,
  sink: (batch: ColumnBatch) => Promise<void>,
  limitRows = Infinity,
): Promise<MetadataFileStats> {
  const [from, toAll] = metadataFileRange(m, c, k);
  const to = Math.min(toAll, from + limitRows);
  const stats: MetadataFileStats = { rows: 0, silentUsers: 0 };
  const start = m.plan.startEpochDay;
  for (let o = from; o < to; o += BATCH_ROWS) {
    const n = Math.min(BATCH_ROWS, to - o);
    const offsets = new Int32Array(n + 1);
    const bytes = new Uint8Array(n * 16);
    const join = new Int32Array(n);
    const device = new Int32Array(n);
    const subscription = new Int32Array(n);
    let off = 0;
    for (let r = 0; r < n; r += 1) {
      const id = countryUserId(m.countryBounds, c, o + r, m.plan.users);
      const s = String(id);
      bytes[off++] = 0x75; // 'u'
      for (let p = 0; p < s.length; p += 1) bytes[off++] = s.charCodeAt(p);
      offsets[r + 1] = off;
      // "Silent" = no event in the window: never active, left before it, or joined and never came back in it.
      if (!hasEvents(m, id)) stats.silentUsers += 1;
      join[r] = start + joinDay(m, id);
      device[r] = pickIndex(DEVICE_CDF, uniform32(m.seeds.device!, lo32(id), hi32(id), 0));
      subscription[r] = pickIndex(SUBSCRIPTION_CDF, uniform32(m.seeds.subscription!, lo32(id), hi32(id), 0));
    }
    stats.rows += n;
    await sink({
      rows: n,
      columns: {
        user_id: { kind: 'utf8', offsets, bytes: bytes.subarray(0, off) },
        join_date: { kind: 'date32', values: join },
        device_type: { kind: 'dict', dictionary: deviceTypes.values, indices: device },
        subscription_type: { kind: 'dict', dictionary: subscriptionTypes.values, indices: subscription },
      },
    });
  }
  return stats;
}
