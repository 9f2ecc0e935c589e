"""An independent implementation of the definitions (docs/metrics.md) in DuckDB SQL, for tests only. It shares no
code with the Spark jobs except the constants, and computes rolling actives a third way: a calendar range-joined
to active user-days (pre explodes, post runs interval sums)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from insights import definitions as d


def _list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def reference_tables(
    root: Path, gap_ms: int = d.DEFAULT_SESSION_GAP_MS, max_ms: int = d.DEFAULT_SESSION_MAX_MS
) -> dict[str, pa.Table]:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"""
        CREATE TABLE raw AS SELECT user_id, "timestamp" AS ts, action_type, page_id, duration_ms, app_version,
               CAST(date AS DATE) AS date
        FROM read_parquet('{root}/interactions/*/*.parquet', hive_partitioning = true)""")
    con.execute(f"""
        CREATE TABLE meta AS SELECT user_id, join_date, country, device_type, subscription_type
        FROM read_parquet('{root}/metadata/*/*.parquet', hive_partitioning = true)""")
    con.execute("""
        CREATE TABLE win AS SELECT greatest(max(date) - 364, min(date)) AS start_day, max(date) AS end_day,
               greatest(max(date) - 364, min(date)) - 29 AS lookback FROM raw""")
    con.execute(f"""
        CREATE TABLE tagged AS SELECT *, CASE
            WHEN user_id IS NULL THEN 'null_user_id'
            WHEN duration_ms < 0 THEN 'negative_duration'
            WHEN CAST(ts AS DATE) > date THEN 'future_timestamp'
            WHEN action_type NOT IN ({_list(d.ACTION_TYPES)}) THEN 'unknown_action_type' END AS reason
        FROM (SELECT user_id, ts, action_type, page_id, duration_ms, app_version, date, count(*) AS copies
              FROM raw GROUP BY ALL)""")
    con.execute("""
        CREATE TABLE ev AS SELECT t.user_id, t.ts, t.action_type, t.duration_ms, t.app_version,
               CAST(t.ts AS DATE) AS day, m.join_date,
               coalesce(m.country, 'unknown') AS country, coalesce(m.device_type, 'unknown') AS device_type,
               coalesce(m.subscription_type, 'unknown') AS subscription_type
        FROM tagged t LEFT JOIN meta m USING (user_id), win
        WHERE t.reason IS NULL AND t.date BETWEEN win.lookback AND win.end_day""")
    con.execute(f"""
        CREATE TABLE active AS SELECT DISTINCT user_id, day, join_date, country, device_type, subscription_type
        FROM ev, win WHERE action_type IN ({_list(d.QUALIFYING_ACTION_TYPES)})
          AND day BETWEEN win.lookback AND win.end_day""")
    con.execute("""
        CREATE TABLE cal AS SELECT CAST(g AS DATE) AS date
        FROM win, generate_series(win.start_day, win.end_day, INTERVAL 1 DAY) AS s(g)""")
    seg = "country, device_type, subscription_type"

    def rolling(keys: str) -> str:
        sel = f", {keys}" if keys else ""
        return f"""
            SELECT c.date{sel.replace(", ", ", a.") if keys else ""},
                   count(DISTINCT CASE WHEN a.day = c.date THEN a.user_id END) AS dau,
                   count(DISTINCT CASE WHEN a.day > c.date - 7 THEN a.user_id END) AS wau,
                   count(DISTINCT a.user_id) AS mau,
                   count(DISTINCT CASE WHEN a.day = c.date AND a.join_date = c.date THEN a.user_id END) AS new_users
            FROM cal c JOIN active a ON a.day BETWEEN c.date - 29 AND c.date
            GROUP BY ALL"""

    out: dict[str, pa.Table] = {}
    out["daily"] = con.execute(f"""
        SELECT date, dau, wau, mau, round(dau / mau, {d.DECIMALS}) AS stickiness, new_users
        FROM ({rolling("")})""").fetch_arrow_table()
    out["daily_by_segment"] = con.execute(rolling(seg)).fetch_arrow_table()
    out["monthly"] = con.execute("""
        SELECT CAST(date_trunc('month', day) AS DATE) AS month, count(DISTINCT user_id) AS mau
        FROM active, win WHERE day BETWEEN win.start_day AND win.end_day GROUP BY ALL""").fetch_arrow_table()
    con.execute(f"""
        CREATE TABLE sess AS
        WITH e AS (SELECT *, epoch_ms(ts) AS t,
                          lag(epoch_ms(ts)) OVER (PARTITION BY user_id ORDER BY ts) AS prev
                   FROM ev, win WHERE day BETWEEN win.start_day AND win.end_day),
             n AS (SELECT *, sum(CASE WHEN prev IS NULL OR t - prev > {gap_ms} THEN 1 ELSE 0 END)
                          OVER (PARTITION BY user_id ORDER BY ts) AS sno FROM e)
        SELECT user_id, sno, {seg}, CAST(make_timestamp(min(t) * 1000) AS DATE) AS date,
               least(max(t + least(duration_ms, {d.EVENT_DURATION_CAP_MS})) - min(t), {max_ms}) AS dur,
               max(t + duration_ms) - min(t) AS dur_raw, count(*) AS actions
        FROM n GROUP BY user_id, sno, {seg}""")

    def session_measures(keys: str) -> str:
        k = f"{keys}, " if keys else ""
        return f"""
            SELECT date, {k}count(*) AS sessions,
                   round(sum(dur) / count(*), {d.DECIMALS}) AS avg_duration_ms,
                   round(quantile_cont(dur, 0.5), {d.DECIMALS}) AS p50_duration_ms,
                   round(quantile_cont(dur, 0.9), {d.DECIMALS}) AS p90_duration_ms,
                   round(quantile_cont(dur, 0.99), {d.DECIMALS}) AS p99_duration_ms,
                   round(sum(actions) / count(*), {d.DECIMALS}) AS avg_actions,
                   round(sum(dur_raw) / count(*), {d.DECIMALS}) AS avg_duration_uncapped_ms
            FROM sess GROUP BY ALL"""

    out["sessions_daily"] = con.execute(session_measures("")).fetch_arrow_table()
    out["sessions_by_segment"] = con.execute(session_measures(seg)).fetch_arrow_table()
    con.execute("""
        CREATE TABLE win_events AS SELECT * FROM ev, win WHERE day BETWEEN win.start_day AND win.end_day""")
    out["top_users"] = con.execute(f"""
        SELECT user_id, count(*) AS events,
               round(count(*) / (SELECT count(*) FROM win_events), {d.DECIMALS}) AS share
        FROM win_events GROUP BY user_id ORDER BY events DESC, user_id LIMIT {d.TOP_USERS}""").fetch_arrow_table()
    out["app_versions_daily"] = con.execute("""
        SELECT day AS date, app_version, count(*) AS events, count(DISTINCT user_id) AS users
        FROM win_events GROUP BY ALL""").fetch_arrow_table()
    out["quarantine"] = con.execute("""
        SELECT user_id, ts AS "timestamp", action_type, page_id, duration_ms, app_version, date, reason
        FROM tagged, win WHERE reason IS NOT NULL AND date BETWEEN win.start_day AND win.end_day""").fetch_arrow_table()
    return out
