// Test fixtures: writes a job-output folder (the Parquet tables and _run.json) with DuckDB `COPY … (FORMAT PARQUET)`,
// with known truths planted — a weekly cycle, a trend, a segment with longer sessions, a version rollout, a hot user —
// so tests can check the analysis finds exactly what was put in. Values come from hash(day, k): deterministic.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export interface FixtureOptions {
  dir: string;
  /** Days of data from `start`. Default 63 (nine weeks). */
  days?: number;
  /** First day, a Monday by default. */
  start?: string;
  /** Weekend DAU as a fraction of weekday DAU; 1 = no weekly cycle. Default 0.7. */
  weekendFactor?: number;
  /** Linear DAU growth as a fraction of the base per day. Default 0. */
  trendPerDay?: number;
  /** Multiplicative noise amplitude on DAU (uniform ±). Default 0.03. */
  noise?: number;
  /** Session duration multiplier for country JP (the planted segment difference). Default 1.5. */
  jpDurationFactor?: number;
  /** Uncapped / capped average session duration. Default 1.25. */
  uncappedFactor?: number;
}

export const fixtureTruths = {
  baseDau: 10_000,
  newestVersion: '5.10.0',
  rolloutStartDay: 14,
  hotUser: 'u_hot_0001',
  hotUserShare: 0.05,
  quarantine: { null_user_id: 30, negative_duration: 12, future_timestamp: 5, unknown_action_type: 3 } as Record<string, number>,
};

export async function writeFixture(o: FixtureOptions): Promise<string> {
  const days = o.days ?? 63;
  const start = o.start ?? '2026-01-05';
  const weekend = o.weekendFactor ?? 0.7;
  const trend = o.trendPerDay ?? 0;
  const noise = o.noise ?? 0.03;
  const jp = o.jpDurationFactor ?? 1.5;
  const uncapped = o.uncappedFactor ?? 1.25;
  const t = fixtureTruths;
  for (const table of ['daily', 'monthly', 'daily_by_segment', 'sessions_daily', 'sessions_by_segment', 'quarantine', 'top_users', 'app_versions_daily']) {
    mkdirSync(join(o.dir, table), { recursive: true });
  }
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const u = (k: number): string => `((hash(i, ${k}) % 1000000)::DOUBLE / 1000000.0)`; // uniform [0,1) per day
  const sql = [
    `CREATE TABLE days AS SELECT i, (DATE '${start}' + i::INTEGER) AS date,
       ${t.baseDau} * (1 + ${trend} * i) * (CASE WHEN isodow(DATE '${start}' + i::INTEGER) >= 6 THEN ${weekend} ELSE 1 END)
         * (1 + ${noise} * (2 * ${u(1)} - 1)) AS dau_f
     FROM range(${days}) r(i)`,
    `CREATE TABLE daily AS SELECT date, round(dau_f)::BIGINT AS dau, round(dau_f * 2.6)::BIGINT AS wau,
       round(dau_f * 4.8)::BIGINT AS mau, dau_f / (dau_f * 4.8) AS stickiness, round(dau_f * 0.02)::BIGINT AS new_users FROM days`,
    `CREATE TABLE monthly AS SELECT date_trunc('month', date)::DATE AS month, round(max(dau_f) * 6)::BIGINT AS mau FROM days GROUP BY 1`,
    `CREATE TABLE seg AS SELECT * FROM (VALUES ('US', 0.35), ('GB', 0.12), ('DE', 0.1), ('JP', 0.12), ('IN', 0.09), ('FR', 0.08),
       ('CA', 0.06), ('BR', 0.05), ('unknown', 0.03)) c(country, cw),
       (VALUES ('iPad', 0.6), ('iPhone', 0.25), ('Mac', 0.15)) d(device_type, dw),
       (VALUES ('free', 0.65), ('premium', 0.35)) s(subscription_type, sw)`,
    `CREATE TABLE daily_by_segment AS SELECT date, country, device_type, subscription_type,
       round(dau_f * cw * dw * sw)::BIGINT AS dau, round(dau_f * 2.6 * cw * dw * sw)::BIGINT AS wau,
       round(dau_f * 4.8 * cw * dw * sw)::BIGINT AS mau, round(dau_f * 0.02 * cw * dw * sw)::BIGINT AS new_users
     FROM days, seg`,
    `CREATE TABLE sessions_by_segment AS SELECT date, country, device_type, subscription_type,
       round(dau_f * 1.8 * cw * dw * sw)::BIGINT AS sessions,
       600000.0 * (CASE WHEN country = 'JP' THEN ${jp} ELSE 1 END) * (1 + 0.02 * (2 * ${u(2)} - 1)) AS avg_duration_ms,
       300000.0 AS p50_duration_ms, 1200000.0 AS p90_duration_ms, 3000000.0 AS p99_duration_ms,
       8.0 + 0.2 * (2 * ${u(3)} - 1) AS avg_actions
     FROM days, seg`,
    `CREATE TABLE sessions_daily AS SELECT date, sum(sessions)::BIGINT AS sessions,
       sum(avg_duration_ms * sessions) / sum(sessions) AS avg_duration_ms,
       300000.0 AS p50_duration_ms, 1200000.0 AS p90_duration_ms, 3000000.0 AS p99_duration_ms,
       sum(avg_actions * sessions) / sum(sessions) AS avg_actions,
       ${uncapped} * sum(avg_duration_ms * sessions) / sum(sessions) AS avg_duration_uncapped_ms
     FROM sessions_by_segment GROUP BY date ORDER BY date`,
    `CREATE TABLE quarantine AS SELECT * FROM (${Object.entries(t.quarantine)
      .map(
        ([reason, n]) => `SELECT CASE WHEN '${reason}' = 'null_user_id' THEN NULL ELSE 'u' || i END AS user_id,
          TIMESTAMPTZ '${start} 12:00:00+00' AS timestamp, 'page_view' AS action_type, 'p1' AS page_id,
          CASE WHEN '${reason}' = 'negative_duration' THEN -5 ELSE 1000 END::BIGINT AS duration_ms, '5.9.1' AS app_version,
          DATE '${start}' AS date, '${reason}' AS reason FROM range(${n}) r(i)`,
      )
      .join(' UNION ALL ')})`,
    `CREATE TABLE top_users AS SELECT printf('u_hot_%04d', i + 1) AS user_id,
       round(1000000 * ${t.hotUserShare} / (i + 1))::BIGINT AS events, ${t.hotUserShare} / (i + 1) AS share FROM range(20) r(i)`,
    // Old versions fade as the newest rolls out along a logistic curve from day rolloutStartDay.
    `CREATE TABLE rollout AS SELECT i, date, dau_f,
       CASE WHEN i < ${t.rolloutStartDay} THEN 0 ELSE 1 / (1 + exp(-(i - ${t.rolloutStartDay} - 14) / 4.0)) END AS newest FROM days`,
    `CREATE TABLE app_versions_daily AS
       SELECT date, '${t.newestVersion}' AS app_version, round(dau_f * 30 * newest)::BIGINT AS events, round(dau_f * newest)::BIGINT AS users FROM rollout WHERE newest > 0
       UNION ALL SELECT date, '5.9.1', round(dau_f * 30 * (1 - newest) * 0.8)::BIGINT, round(dau_f * (1 - newest) * 0.8)::BIGINT FROM rollout
       UNION ALL SELECT date, '5.8.4', round(dau_f * 30 * (1 - newest) * 0.2)::BIGINT, round(dau_f * (1 - newest) * 0.2)::BIGINT FROM rollout`,
  ];
  try {
    for (const s of sql) await conn.run(s);
    for (const table of ['daily', 'monthly', 'daily_by_segment', 'sessions_daily', 'sessions_by_segment', 'quarantine', 'top_users', 'app_versions_daily']) {
      await conn.run(`COPY ${table} TO '${join(o.dir, table, 'part-00000.parquet')}' (FORMAT PARQUET)`);
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  const quarantined = Object.values(t.quarantine).reduce((a, b) => a + b, 0);
  writeFileSync(
    join(o.dir, '_run.json'),
    JSON.stringify({
      job: 'fixture',
      args: {},
      window: { start, days },
      reconciliation: { input_rows: 100_000, accepted_rows: 100_000 - quarantined - 20, quarantined_rows: t.quarantine, duplicates_removed: 20 },
    }),
  );
  return o.dir;
}
