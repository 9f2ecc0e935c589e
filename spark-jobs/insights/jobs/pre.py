"""The first version, as an experienced engineer writes it before profiling: validate, join every accepted event
with metadata, then aggregate. MAU by exploding each active user-day into the 30 days it counts for and counting
distinct users; sessions with one window over user_id; default partitions; no skew handling.

    spark-submit spark-jobs/pre_optimization.py --interactions PATH --metadata PATH --out PATH
        [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--session-gap 30m] [--session-max 24h]
    python -m insights.jobs.pre ...    (or the wheel's entry point insights.jobs.pre:main)
"""

from __future__ import annotations

import argparse

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from insights import definitions as d
from insights import runner

JOB = "pre_optimization"


def parser() -> argparse.ArgumentParser:
    return runner.base_parser(JOB)


def rolling_active(spread: DataFrame, keys: list[str]) -> DataFrame:
    """dau/wau/mau/new_users per day (and keys) from user-days exploded over the days they count for."""
    user = F.col("user_id")
    return spread.groupBy(F.col("day").alias("date"), *keys).agg(
        F.countDistinct(F.when(F.col("offset") == 0, user)).alias("dau"),
        F.countDistinct(F.when(F.col("offset") < d.WAU_DAYS, user)).alias("wau"),
        F.countDistinct(user).alias("mau"),
        F.countDistinct(F.when((F.col("offset") == 0) & (F.col("join_date") == F.col("date")), user)).alias(
            "new_users"
        ),
    )


def sessions_of(events: DataFrame, gap_ms: int, max_ms: int) -> DataFrame:
    """One window over user_id ordered by time: a new session starts when the gap to the previous event is over
    gap_ms. Segment columns ride along (the join happened first)."""
    by_user = Window.partitionBy("user_id").orderBy("ts_ms")
    with_ms = events.select("user_id", *d.SEGMENT_COLUMNS, *d.event_millis())
    flagged = with_ms.select(
        "*",
        F.coalesce(F.col("ts_ms") - F.lag("ts_ms").over(by_user) > gap_ms, F.lit(True)).cast("int").alias("new"),
    )
    numbered = flagged.select(
        "user_id",
        *d.SEGMENT_COLUMNS,
        F.col("ts_ms").alias("start_ms"),
        "end_ms",
        "end_raw_ms",
        F.lit(1).alias("actions"),
        F.sum("new").over(by_user).alias("session_no"),
    )
    return numbered.groupBy("user_id", "session_no", *d.SEGMENT_COLUMNS).agg(*d.session_facts(max_ms))


def compute(ctx: runner.JobContext) -> runner.JobOutput:
    spark, args, w = ctx.spark, ctx.args, ctx.window
    raw = runner.read_interactions(spark, args.interactions, w.lookback_start, w.end, args.input_format)
    metadata = runner.read_metadata(spark, args.metadata, args.input_format)

    vocabulary = ctx.vocabulary
    tagged = (
        raw.transform(d.with_event_date).transform(d.dedupe_and_tag(vocabulary)).persist(StorageLevel.MEMORY_AND_DISK)
    )
    joined = (
        tagged.transform(d.accepted)
        .join(metadata, "user_id", "left")
        .select(*d.INTERACTION_COLUMNS, "date", "join_date", *d.segment_columns())
    )
    events = joined.where(d.in_window(w.start, w.end))

    user_days = (
        joined.where(d.is_qualifying(vocabulary) & d.in_window(w.lookback_start, w.end))
        .select("user_id", "date", "join_date", *d.SEGMENT_COLUMNS)
        .distinct()
    )
    spread = (
        user_days.select("*", F.explode(F.sequence(F.lit(0), F.lit(d.MAU_DAYS - 1))).alias("offset"))
        .select("*", F.date_add(F.col("date"), F.col("offset")).alias("day"))
        .where(d.in_window(w.start, w.end, "day"))
    )
    daily = rolling_active(spread, []).select(
        "date", "dau", "wau", "mau", d.ratio(F.col("dau"), F.col("mau")).alias("stickiness"), "new_users"
    )
    daily_by_segment = rolling_active(spread, list(d.SEGMENT_COLUMNS))
    monthly = (
        events.where(d.is_qualifying(vocabulary))
        .groupBy(F.trunc("date", "month").alias("month"))
        .agg(F.countDistinct("user_id").alias("mau"))
    )

    sessions = sessions_of(events, args.session_gap, args.session_max)
    sessions_daily = sessions.groupBy("date").agg(*d.session_metrics(True)).transform(d.explode_percentiles)
    sessions_by_segment = (
        sessions.groupBy("date", *d.SEGMENT_COLUMNS).agg(*d.session_metrics(False)).transform(d.explode_percentiles)
    )

    top_users = d.top_users(events.groupBy("user_id").agg(F.count(F.lit(1)).alias("events")))
    app_versions_daily = events.groupBy("date", "app_version").agg(
        F.count(F.lit(1)).alias("events"), F.countDistinct("user_id").alias("users")
    )
    in_window_partitions = d.in_window(w.start, w.end)
    return runner.assemble(
        window=w,
        raw=raw,
        counts=d.reconciliation_counts(tagged.where(in_window_partitions)),
        release=(tagged,),
        daily=daily,
        monthly=monthly,
        daily_by_segment=daily_by_segment,
        sessions_daily=sessions_daily,
        sessions_by_segment=sessions_by_segment,
        quarantine=tagged.where(in_window_partitions).transform(d.quarantined),
        top_users=top_users,
        app_versions_daily=app_versions_daily,
    )


def run(spark: SparkSession, argv: list[str]) -> dict:
    return runner.run_job(JOB, spark, parser().parse_args(argv), compute)


# Without this, pre fails with "Java heap space" on a 512 MB heap (bench/grids/smoke.json, 16 MB of data): its
# distinct aggregates spill GBs (5.2 GiB measured), and merging a sort-based aggregate's spill files opens one
# reader per file, each with a 1 MB read-ahead buffer pair; hundreds of them exhaust the heap. Without read-ahead
# the same run completes (docs/join-strategy.md "pre on a 512 MB heap"). The plan itself stays naive.
SESSION_DEFAULTS = {"spark.unsafe.sorter.spill.read.ahead.enabled": "false"}


def main(argv: list[str] | None = None) -> int:
    return runner.main(JOB, parser(), run, argv, SESSION_DEFAULTS)


if __name__ == "__main__":
    raise SystemExit(main())
