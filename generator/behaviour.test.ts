// The behaviour a default run plants, recomputed from the Parquet files alone with DuckDB (behaviour-metrics.ts has
// the definitions), against the manifest's `behaviour.measured` (the planner's sample of users) and against the
// ranges a real product shows (issue 11's "real app" column; sources in README.md).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_APP_RANGES, type BehaviourMetrics } from './behaviour-metrics.ts';
import { gen, interactionsGlob, metadataGlob, query } from './testing.ts';

const root = mkdtempSync(join(tmpdir(), 'gen-behaviour-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const OUT = join(root, 'd');
// 60 days: two full 30-day blocks for month-over-month retention. 8 MB: ~0.9 M rows, ~9 k users.
const ARGS = ['--scale', '8mb', '--days', '60', '--end', '2026-03-31', '--workers', '1', '--out', OUT];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let manifest: any;
let files: Record<string, number>;

beforeAll(async () => {
  expect((await gen(ARGS)).code).toBe(0);
  manifest = JSON.parse(readFileSync(join(OUT, '_manifest.json'), 'utf8'));
  const bots = manifest.bots.map((b: { user_id: string }) => `'${b.user_id}'`).join(', ');
  const end = `DATE '${manifest.end}'`;
  // Metadata users who are not bots (bots and orphans are the generator's planted oddities, not product users).
  const events = `SELECT i.user_id, i.timestamp AS ts, i.date FROM ${interactionsGlob(OUT)} i
    WHERE i.user_id IS NOT NULL AND i.user_id NOT IN (${bots}) AND CAST(substr(i.user_id, 2) AS BIGINT) < ${manifest.users}`;
  const [r] = await query(`
    WITH e AS (${events}),
    days AS (SELECT DISTINCT user_id, date FROM e),
    dau AS (SELECT date, count(*) AS dau FROM days GROUP BY 1),
    mau AS (SELECT d.date, count(DISTINCT x.user_id) AS mau FROM dau d JOIN days x ON x.date BETWEEN d.date - 29 AND d.date
            WHERE d.date >= DATE '${manifest.start}' + 29 GROUP BY 1),
    last AS (SELECT user_id, count(*) AS n FROM days WHERE date > ${end} - 30 GROUP BY 1),
    gaps AS (SELECT user_id, ts, CASE WHEN lag(ts) OVER w IS NULL OR ts - lag(ts) OVER w > INTERVAL 30 MINUTE THEN 1 ELSE 0 END AS starts
             FROM e WINDOW w AS (PARTITION BY user_id ORDER BY ts)),
    sid AS (SELECT user_id, sum(starts) OVER (PARTITION BY user_id ORDER BY ts ROWS UNBOUNDED PRECEDING) AS s FROM gaps),
    sess AS (SELECT user_id, s, count(*) AS n FROM sid GROUP BY 1, 2),
    m1 AS (SELECT DISTINCT user_id FROM days WHERE date > ${end} - 60 AND date <= ${end} - 30),
    m2 AS (SELECT DISTINCT user_id FROM days WHERE date > ${end} - 30),
    joined AS (SELECT user_id, join_date FROM ${metadataGlob(OUT)} WHERE join_date >= DATE '${manifest.start}' AND join_date + 30 < ${end} + 1)
    SELECT
      (SELECT avg(dau.dau / mau.mau) FROM mau JOIN dau USING (date)) AS stickiness,
      (SELECT median(n) FROM last) AS medianActiveDays,
      (SELECT median(n) FROM sess) AS medianActionsPerSession,
      (SELECT count(*) FROM sess) / (SELECT count(*) FROM days) AS sessionsPerUserDay,
      (SELECT count(*) FROM m1 JOIN m2 USING (user_id)) / (SELECT count(*) FROM m1) AS monthRetention,
      (SELECT avg(dau) FILTER (WHERE isodow(date) >= 6) / avg(dau) FILTER (WHERE isodow(date) < 6) FROM dau) AS weekendOverWeekday,
      (SELECT count(*) FROM joined j WHERE EXISTS (SELECT 1 FROM days d WHERE d.user_id = j.user_id AND d.date = j.join_date + 1)) / (SELECT count(*) FROM joined) AS retentionD1,
      (SELECT count(*) FROM joined j WHERE EXISTS (SELECT 1 FROM days d WHERE d.user_id = j.user_id AND d.date = j.join_date + 7)) / (SELECT count(*) FROM joined) AS retentionD7,
      (SELECT count(*) FROM joined j WHERE EXISTS (SELECT 1 FROM days d WHERE d.user_id = j.user_id AND d.date = j.join_date + 30)) / (SELECT count(*) FROM joined) AS retentionD30
  `);
  files = Object.fromEntries(Object.entries(r!).map(([k, v]) => [k, Number(v)]));
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
      ['stickiness', 0.03], ['medianActiveDays', 1], ['medianActionsPerSession', 3], ['sessionsPerUserDay', 0.3],
      ['monthRetention', 0.06], ['weekendOverWeekday', 0.05], ['retentionD1', 0.06], ['retentionD7', 0.05], ['retentionD30', 0.05],
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
