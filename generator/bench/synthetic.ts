// Interactions- and metadata-like ColumnBatches for the writer's benchmark and tests: the same shape and value
// sizes the generator produces (short user ids, microsecond timestamps, skewed dictionaries), made by a tiny
// seeded xorshift so they are cheap, deterministic and independent of the generator's own model.

import type { ColumnBatch } from '../batch.ts';
import { actionTypes, deviceTypes, subscriptionTypes } from '../schema.ts';

export interface SyntheticOptions {
  readonly rows: number;
  /** Same seed and rows -> same batch. */
  readonly seed?: number;
  /** Share of null user_ids (interactions only). Default 0.001. */
  readonly nullShare?: number;
}

const pageIds = Array.from({ length: 500 }, (_, i) => `p${i}`);
const appVersions = Array.from({ length: 24 }, (_, i) => `5.${Math.floor(i / 4)}.${i % 4}`);
const digits = new TextEncoder().encode('0123456789');

function xorshift(seed: number): () => number {
  let s = (seed ^ 0x9e3779b9) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Writes "u<n>" at `at`, returns the new end. */
function writeUserId(bytes: Uint8Array, at: number, n: number): number {
  bytes[at++] = 0x75; // 'u'
  let len = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) len++;
  for (let k = len - 1, x = n; k >= 0; k--, x = Math.floor(x / 10)) bytes[at + k] = digits[x % 10]!;
  return at + len;
}

/** Skewed pick: cumulative weights, searched linearly (vocabularies are short). */
function picker(weights: readonly number[], rnd: () => number): () => number {
  const total = weights.reduce((a, b) => a + b, 0);
  const cum = weights.map(
    (
      (s) => (w: number) =>
        (s += w / total)
    )(0),
  );
  return () => {
    const u = rnd();
    for (let k = 0; k < cum.length; k++) if (u < cum[k]!) return k;
    return cum.length - 1;
  };
}

export function syntheticInteractions(opts: SyntheticOptions): ColumnBatch {
  const n = opts.rows;
  const rnd = xorshift(opts.seed ?? 1);
  const nullShare = opts.nullShare ?? 0.001;
  const offsets = new Int32Array(n + 1);
  const bytes = new Uint8Array(n * 9);
  const nulls = new Uint8Array(n);
  const timestamps = new BigInt64Array(n);
  const durations = new BigInt64Array(n);
  const action = new Int32Array(n);
  const page = new Int32Array(n);
  const version = new Int32Array(n);
  const pickAction = picker(actionTypes.weights, rnd);
  let at = 0;
  let t = 1_719_792_000_000_000; // 2024-07-01T00:00:00Z in µs, a safe integer
  for (let i = 0; i < n; i++) {
    if (rnd() < nullShare) nulls[i] = 1;
    else at = writeUserId(bytes, at, Math.floor(1e6 * rnd() ** 4)); // hot low ids, long tail
    offsets[i + 1] = at;
    t += Math.floor(rnd() * 2000);
    timestamps[i] = BigInt(t);
    durations[i] = BigInt(Math.floor(Math.exp(7 + 2 * rnd() * rnd() * 4)));
    action[i] = pickAction();
    page[i] = Math.floor(pageIds.length * rnd() ** 2);
    version[i] = Math.min(appVersions.length - 1, Math.floor((appVersions.length * i) / n + 3 * rnd()));
  }
  return {
    rows: n,
    columns: {
      user_id: { kind: 'utf8', offsets, bytes: bytes.subarray(0, at), nulls },
      timestamp: { kind: 'timestamp_us', values: timestamps },
      action_type: { kind: 'dict', dictionary: actionTypes.values, indices: action },
      page_id: { kind: 'dict', dictionary: pageIds, indices: page },
      duration_ms: { kind: 'int64', values: durations },
      app_version: { kind: 'dict', dictionary: appVersions, indices: version },
    },
  };
}

/** Metadata's file columns (country is the partition column, kept in folder names, not in files). */
export function syntheticMetadata(opts: SyntheticOptions): ColumnBatch {
  const n = opts.rows;
  const rnd = xorshift(opts.seed ?? 2);
  const offsets = new Int32Array(n + 1);
  const bytes = new Uint8Array(n * 9);
  const joinDate = new Int32Array(n);
  const device = new Int32Array(n);
  const subscription = new Int32Array(n);
  const pickDevice = picker(deviceTypes.weights, rnd);
  const pickSubscription = picker(subscriptionTypes.weights, rnd);
  let at = 0;
  for (let i = 0; i < n; i++) {
    at = writeUserId(bytes, at, i);
    offsets[i + 1] = at;
    joinDate[i] = 18_000 + Math.floor(rnd() * 2000) - (i % 3 === 0 ? 20_000 : 0); // some before 1970 too
    device[i] = pickDevice();
    subscription[i] = pickSubscription();
  }
  return {
    rows: n,
    columns: {
      user_id: { kind: 'utf8', offsets, bytes: bytes.subarray(0, at) },
      join_date: { kind: 'date32', values: joinDate },
      device_type: { kind: 'dict', dictionary: deviceTypes.values, indices: device },
      subscription_type: { kind: 'dict', dictionary: subscriptionTypes.values, indices: subscription },
    },
  };
}
