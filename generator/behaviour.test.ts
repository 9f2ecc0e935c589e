// The behaviour a default run plants, recomputed from the Parquet files alone with DuckDB (behaviour-metrics.ts has
// the definitions), against the manifest's `behaviour.measured` (the planner's sample of users) and against the
// ranges a real product shows (issue 11's "real app" column; sources in README.md).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_APP_RANGES, type BehaviourMetrics } from './behaviour-metrics.ts';
import { behaviourFromFiles } from './bench/behaviour-report.ts';
import { gen, interactionsGlob, query } from './testing.ts';

const root = mkdtempSync(join(tmpdir(), 'gen-behaviour-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const OUT = join(root, 'd');
// 60 days: two full 30-day blocks for month-over-month retention. 8 MB: ~0.9 M rows, ~9 k users.
const ARGS = ['--scale', '8mb', '--days', '60', '--end', '2026-03-31', '--workers', '1', '--out', OUT];
// biome-ignore lint/suspicious/noExplicitAny: the test reads _manifest.json as gen wrote it, field by field
let manifest: any;
let files: Record<string, number>;

beforeAll(async () => {
  expect((await gen(ARGS)).code).toBe(0);
  manifest = JSON.parse(readFileSync(join(OUT, '_manifest.json'), 'utf8'));
  files = await behaviourFromFiles(OUT);
}, 180_000);

describe('behaviour of a default run, from the files (DuckDB)', () => {
  it('lands in the "real app" ranges', () => {
    for (const [k, [lo, hi]] of Object.entries(REAL_APP_RANGES)) {
      expect(files[k], `${k} = ${files[k]}`).toBeGreaterThanOrEqual(lo);
      expect(files[k], `${k} = ${files[k]}`).toBeLessThanOrEqual(hi);
    }
    // A note-taking app is quieter at weekends, visibly so in DAU.
    expect(files.weekendOverWeekday).toBeLessThan(0.85);
    // New users: most do not come back the next day, fewer still a week or a month later.
    expect(files.retentionD1).toBeGreaterThan(files.retentionD7!);
    expect(files.retentionD7).toBeGreaterThan(files.retentionD30!);
    expect(files.retentionD30).toBeGreaterThan(0);
    expect(files.retentionD1).toBeLessThan(0.6);
  });

  it('matches what the manifest recorded', () => {
    const m = manifest.behaviour.measured as BehaviourMetrics;
    expect(m.users).toBeGreaterThan(1000);
    const close: [keyof BehaviourMetrics, number][] = [
      ['stickiness', 0.03],
      ['medianActiveDays', 1],
      ['medianActionsPerSession', 3],
      ['sessionsPerUserDay', 0.3],
      ['monthRetention', 0.06],
      ['weekendOverWeekday', 0.05],
      ['retentionD1', 0.06],
      ['retentionD7', 0.05],
      ['retentionD30', 0.05],
    ];
    for (const [k, tol] of close) expect(Math.abs(files[k]! - (m[k] as number)), `${k}: files ${files[k]}, manifest ${m[k]}`).toBeLessThanOrEqual(tol);
  });

  it('heavy-tailed users: the busiest 1 % hold 8x their share of events, the median user far fewer than the mean', async () => {
    const [r] = await query(`WITH c AS (SELECT user_id, count(*) AS n FROM ${interactionsGlob(OUT)} WHERE user_id IS NOT NULL GROUP BY 1)
      SELECT median(n) AS med, avg(n) AS mean,
        (SELECT sum(n) FROM (SELECT n FROM c ORDER BY n DESC LIMIT (SELECT count(*) // 100 FROM c))) / sum(n) AS top1 FROM c`);
    expect(Number(r!.med)).toBeGreaterThanOrEqual(20); // the old data: the median user had one event
    expect(Number(r!.mean) / Number(r!.med)).toBeGreaterThan(2);
    expect(Number(r!.top1)).toBeGreaterThan(0.08); // 8x their share of users
  });
});
