// `<out>/_manifest.json`: the truths the Spark jobs and the harness check against. While a run is in progress it
// holds only {complete: false, args}; each shard keeps its finished files in `_manifest.shard-i-of-K.json`
// (rewritten after every file, which is what makes resumption exact); the shard that finds all K shard
// manifests complete assembles the final `_manifest.json` (deterministic content, so two shards racing to
// write it write the same bytes).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isoDateOf } from './calendar.ts';
import type { Plan } from './model.ts';
import type { GenOptions } from './options.ts';
import { badRowKinds, datasets, type BadRowKind } from './schema.ts';
import type { Sink } from './sink.ts';
import type { FileRecord } from './tasks.ts';

export const MANIFEST_KEY = '_manifest.json';

/** One of the complete manifest's `hotKeys`: a planted hot user and its exact event count (bench/insights reads them). */
export interface HotKey {
  readonly user_id: string;
  readonly events: number;
}
export const HOT_KEYS = 20;

export function shardManifestKey(shard: number, shards: number): string {
  return `_manifest.shard-${shard}-of-${shards}.json`;
}

export interface ShardManifest {
  readonly args: GenOptions;
  readonly shard: number;
  readonly shards: number;
  readonly expectedFiles: number;
  readonly files: FileRecord[];
}

export interface PartitionSummary {
  rows: number;
  bytes: number;
  files: { key: string; rows: number; bytes: number }[];
}

function toolVersions(): Record<string, string> {
  // The repository's package.json: the nearest one above this module (generator/, or gen's bundle in
  // .cache/gen-dist/<hash>/, bundle.mjs).
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
  return { [pkg.name]: pkg.version, node: process.version };
}

export function sameArgs(a: GenOptions, b: GenOptions): boolean {
  const keys = Object.keys(a).sort() as (keyof GenOptions)[];
  const bk = Object.keys(b).sort();
  return keys.length === bk.length && keys.every((k, i) => bk[i] === k && a[k] === b[k]);
}

export function inProgressManifest(args: GenOptions): string {
  return `${JSON.stringify({ complete: false, args }, null, 2)}\n`;
}

/** The complete manifest from every file's record (all shards). */
export function assembleManifest(plan: Plan, records: readonly FileRecord[]): Record<string, unknown> {
  const sorted = [...records].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const partitions: Record<'interactions' | 'metadata', Record<string, PartitionSummary>> = { interactions: {}, metadata: {} };
  const totals = { interactions: { rows: 0, bytes: 0, files: 0 }, metadata: { rows: 0, bytes: 0, files: 0 } };
  const badRows = Object.fromEntries(badRowKinds.map((k) => [k, 0])) as Record<BadRowKind, number>;
  const hot = new Map<string, number>();
  let orphanRows = 0;
  let silentUsers = 0;
  for (const r of sorted) {
    const p = partitions[r.dataset][r.partition] ?? { rows: 0, bytes: 0, files: [] };
    partitions[r.dataset][r.partition] = p;
    p.rows += r.rows;
    p.bytes += r.bytes;
    p.files.push({ key: r.key, rows: r.rows, bytes: r.bytes });
    const t = totals[r.dataset];
    t.rows += r.rows;
    t.bytes += r.bytes;
    t.files += 1;
    if (r.dataset === 'interactions') {
      for (const k of badRowKinds) badRows[k] += r.badRows[k];
      orphanRows += r.orphanRows;
      for (const [id, n] of Object.entries(r.hotCounts)) hot.set(id, (hot.get(id) ?? 0) + n);
    } else silentUsers += r.silentUsers;
  }
  const hotKeys: HotKey[] = [...hot.entries()]
    .map(([id, events]) => ({ user_id: `u${id}`, events }))
    .sort((a, b) => b.events - a.events || (a.user_id < b.user_id ? -1 : 1))
    .slice(0, HOT_KEYS);
  const o = plan.options;
  return {
    complete: true,
    args: o,
    seed: o.seed,
    end: o.end,
    start: isoDateOf(plan.startEpochDay),
    days: o.days,
    tools: toolVersions(),
    schema: datasets,
    users: plan.users,
    behaviour: plan.behaviour,
    silentUsers,
    orphanUsers: { idFrom: plan.users, idTo: plan.users + plan.orphanUsers, note: 'orphan ids are u<idFrom> .. u<idTo - 1>; not every one need appear' },
    orphanRows,
    bots: plan.botIds.map((id, b) => ({ user_id: `u${id}`, sessionShare: plan.botShares[b] })),
    hotKeys,
    badRows: { ...badRows, total: badRowKinds.reduce((s, k) => s + badRows[k], 0) },
    releases: plan.releases.map((r) => ({ version: r.version, date: isoDateOf(plan.startEpochDay + r.day) })),
    plan: {
      filesPerDay: plan.filesPerDay,
      countryFiles: plan.countryFiles,
      rowGroupRows: plan.rowGroupRows,
      calibration: plan.calibration,
    },
    interactions: { ...totals.interactions, partitions: partitions.interactions },
    metadata: { ...totals.metadata, partitions: partitions.metadata },
  };
}

/** Reads all K shard manifests; returns their records when every shard has written all its files. */
export async function completeShardRecords(sink: Sink, args: GenOptions, shards: number): Promise<FileRecord[] | undefined> {
  const records: FileRecord[] = [];
  for (let i = 0; i < shards; i += 1) {
    const text = await sink.readText(shardManifestKey(i, shards));
    if (text === undefined) return undefined;
    const m = JSON.parse(text) as ShardManifest;
    if (!sameArgs(m.args, args) || m.files.length !== m.expectedFiles) return undefined;
    records.push(...m.files);
  }
  return records;
}
