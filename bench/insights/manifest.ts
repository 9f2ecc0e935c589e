// Reads the generator's `_manifest.json` only for what the report sets beside its findings: the hot keys (the users
// gen made busiest, with exact event counts), typed by gen's own `HotKey` (generator/manifest.ts). A manifest without
// `hotKeys` (an older or partial one) means "no comparison"; a file that is not JSON, or whose hotKeys are not
// {user_id, events} pairs, is bad input.
import { readFileSync } from 'node:fs';
import type { HotKey } from '../../generator/manifest.ts';
import { InputError } from '../lib/errors.ts';
import type { Insight, TopUserRow } from './types.ts';

export interface ManifestHotKey {
  userId: string;
  events: number;
}

function isHotKey(value: unknown): value is HotKey {
  const o = value as Partial<HotKey> | null;
  return typeof o === 'object' && o !== null && typeof o.user_id === 'string' && typeof o.events === 'number';
}

/** The manifest's hot keys, busiest first; empty when the manifest has none. */
export function readManifestHotKeys(path: string): ManifestHotKey[] {
  let json: { hotKeys?: unknown };
  try {
    json = (JSON.parse(readFileSync(path, 'utf8')) ?? {}) as { hotKeys?: unknown };
  } catch (err) {
    throw new InputError(`--manifest ${path}: ${(err as Error).message}`, 'INSIGHTS_BAD_MANIFEST');
  }
  const hot = json.hotKeys ?? [];
  if (!Array.isArray(hot) || !hot.every(isHotKey)) {
    throw new InputError(`--manifest ${path}: hotKeys is not a list of {user_id, events} (gen's HotKey)`, 'INSIGHTS_BAD_MANIFEST');
  }
  return hot.map((h) => ({ userId: h.user_id, events: h.events })).sort((a, b) => b.events - a.events);
}

/** How many of the job's top users are the generator's hot keys, and how their event counts compare. */
export function compareWithManifest(top: readonly TopUserRow[], hot: readonly ManifestHotKey[]): Insight {
  const n = Math.min(10, top.length, hot.length);
  const hotIds = new Set(hot.map((h) => h.userId));
  const overlap = top.slice(0, n).filter((u) => hotIds.has(u.user_id)).length;
  const first = hot[0];
  const topFirst = top[0];
  const ratio = first && topFirst && first.userId === topFirst.user_id ? topFirst.events / first.events : Number.NaN;
  return {
    id: 'manifest-hot-keys',
    evidence: {
      compared: n,
      overlap,
      manifest_top_user: first?.userId ?? null,
      manifest_top_events: first?.events ?? null,
      job_top_user: topFirst?.user_id ?? null,
      job_top_events: topFirst?.events ?? null,
      job_over_manifest_events: Number.isFinite(ratio) ? Number(ratio.toFixed(4)) : null,
    },
    text:
      n === 0
        ? 'The generator manifest lists no hot keys to compare with.'
        : `Against the generator's manifest: ${overlap} of the job's top ${n} users are among its ${hot.length} planted hot keys` +
          (Number.isFinite(ratio)
            ? `; the busiest user is the same (${first!.userId}), with ${(ratio * 100).toFixed(1)} % of the manifest's ${first!.events.toLocaleString('en-US')} events kept after quarantine and de-duplication.`
            : '.'),
  };
}
