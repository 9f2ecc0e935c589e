// The behaviour metrics of a gen folder, from its Parquet files alone (DuckDB), with the definitions of
// ../behaviour-metrics.ts. Used by behaviour.test.ts, and on its own to measure any run:
//   node --import tsx generator/bench/behaviour-report.ts DIR
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const glob = (dir: string, dataset: string): string => `read_parquet('${dir}/${dataset}/*/*.parquet', hive_partitioning = true)`;

/** stickiness, medianActiveDays, medianActionsPerSession, sessionsPerUserDay, monthRetention, weekendOverWeekday, retentionD1/D7/D30. */
export async function behaviourFromFiles(dir: string): Promise<Record<string, number>> {
  const manifest = JSON.parse(readFileSync(join(dir, '_manifest.json'), 'utf8')) as {
    bots: { user_id: string }[];
    users: number;
    start: string;
    end: string;
  };
  const bots = manifest.bots.map((b: { user_id: string }) => `'${b.user_id}'`).join(', ');
  const end = `DATE '${manifest.end}'`;
  // Metadata users who are not bots (bots and orphans are the generator's planted oddities, not product users).
  const events = `SELECT i.user_id, i.timestamp AS ts, i.date FROM ${glob(dir, 'interactions')} i
    WHERE i.user_id IS NOT NULL AND i.user_id NOT IN (${bots}) AND CAST(substr(i.user_id, 2) AS BIGINT) < ${manifest.users}`;
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    await con.run("SET TimeZone = 'UTC'");
    const reader = await con.runAndReadAll(`
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
    joined AS (SELECT user_id, join_date FROM ${glob(dir, 'metadata')} WHERE join_date >= DATE '${manifest.start}' AND join_date + 30 < ${end} + 1)
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
    const [r] = reader.getRowObjects();
    return Object.fromEntries(Object.entries(r!).map(([k, v]) => [k, Number(v)]));
  } finally {
    con.closeSync();
    db.closeSync();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node --import tsx generator/bench/behaviour-report.ts DIR\n');
    process.exitCode = 2;
  } else console.log(JSON.stringify(await behaviourFromFiles(dir), null, 2));
}
