// Reads the generator's `_manifest.json` only for what the report sets beside its findings: the hot keys (the users
// gen made busiest, with exact event counts). Field names are matched loosely, so a renamed key degrades to "no
// comparison" instead of a crash; a file that is not JSON is bad input.
import { readFileSync } from 'node:fs';
import type { Insight, TopUserRow } from './types.ts';
import { InputError } from '../lib/errors.ts';

export interface ManifestHotKey {
  userId: string;
  events: number;
}

function findArray(node: unknown, names: readonly string[], depth = 0): unknown[] | undefined {
  if (depth > 3 || node === null || typeof node !== 'object') return undefined;
  for (const [k, v] of Object.entries(node)) {
    if (names.includes(k.toLowerCase()) && Array.isArray(v)) return v;
  }
  for (const v of Object.values(node)) {
    const found = findArray(v, names, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The manifest's hot keys, busiest first; empty when the manifest has none we recognise. */
export function readManifestHotKeys(path: string): ManifestHotKey[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InputError(`--manifest ${path}: ${(err as Error).message}`, 'INSIGHTS_BAD_MANIFEST');
  }
  const arr = findArray(json, ['hotkeys', 'hot_keys', 'hotusers', 'hot_users', 'topusers', 'top_users']) ?? [];
  const keys: ManifestHotKey[] = [];
  for (const item of arr) {
    if (item === null || typeof item !== 'object') continue;
    const o = item as Record<string, unknown>;
    const userId = o.user_id ?? o.userId ?? o.id ?? o.key;
    const events = o.events ?? o.count ?? o.rows ?? o.eventCount;
    if (typeof userId === 'string' && typeof events === 'number') keys.push({ userId, events });
  }
  return keys.sort((a, b) => b.events - a.events);
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
