"""The optimized job: same definitions (insights/definitions.py), same tables as pre_optimization.py, planned
differently (docs/join-strategy.md has the plans and the measurements):

1. one shuffle of the events, by (user_id, event_date): deduplication, validation, sessionization and the
   user-day facts all reuse that partitioning, and a hot user's year is spread over 365 tasks, not one;
2. aggregate to facts BEFORE the join: (user_id, date, app_version) facts and sessions; the join with metadata
   sees one row per active user, then segments flow to facts through a skew-aware join (hot keys found from the
   facts' own statistics; broadcast or salted);
3. rolling WAU/MAU in O(user-days): each active day opens a 7- and a 30-day interval, closed early by the
   user's next active day; a running sum over day boundaries gives the rolling counts. --approx unions daily HLL
   sketches per segment instead;
4. sessions per (user_id, day) with one sort, then a small second pass stitches sessions that cross midnight.

    spark-submit spark-jobs/post_optimization.py --interactions PATH --metadata PATH --out PATH
        [--start D] [--end D] [--session-gap 30m] [--session-max 24h]
        [--skew-mode broadcast|salt|none] [--hot-key-fraction 0.01] [--salt-buckets 16] [--approx]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from collections.abc import Callable

from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from insights import definitions as d
from insights import runner

JOB = "post_optimization"

# Chosen on purpose, applied only when the user did not pass the key with --conf (the harness sweeps them).
# Skew-join splitting applies to sort-merge joins only and only over factor x median AND over the threshold: the
# defaults (5x, 256 MB) never fire on partitions of a few hundred MB; 3x / 64 MB does, and 64 MB advisory size
# with parallelismFirst=false makes AQE coalesce small post-aggregation partitions into right-sized ones.
AQE_SETTINGS: dict[str, str] = {
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.adaptive.skewJoin.enabled": "true",
    "spark.sql.adaptive.skewJoin.skewedPartitionFactor": "3",
    "spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes": "64MB",
    "spark.sql.adaptive.advisoryPartitionSizeInBytes": "64MB",
    "spark.sql.adaptive.coalescePartitions.enabled": "true",
    "spark.sql.adaptive.coalescePartitions.parallelismFirst": "false",
}
# Dynamic partitioning of the one event shuffle: ~64 MB of compressed Parquet input per partition (~200-300 MB in
# memory once decoded), never fewer partitions than cores. The 200 default is wrong at both ends: 200 near-empty
# tasks per stage on small data (measured: docs/join-strategy.md), 5 GB per task at 1 TB.
EVENTS_PARTITION_BYTES = 64 << 20
HLL_LG_CONFIG_K = 12  # 4096 registers, ~1.6 % standard error


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a fraction between 0 and 1, got {text}")
    return value


def _buckets(text: str) -> int:
    value = int(text)
    if not 2 <= value <= 4096:
        raise argparse.ArgumentTypeError(f"expected 2..4096 salt buckets, got {text}")
    return value


def parser() -> argparse.ArgumentParser:
    p = runner.base_parser(JOB)
    p.add_argument(
        "--skew-mode",
        choices=["broadcast", "salt", "none"],
        default="broadcast",
        help="how hot users' facts join their segments (default broadcast)",
    )
    p.add_argument(
        "--hot-key-fraction",
        type=_fraction,
        default=0.01,
        help="a user with more than this share of accepted events is hot (default 0.01)",
    )
    p.add_argument("--salt-buckets", type=_buckets, default=16, help="salt buckets per hot user (default 16)")
    p.add_argument(
        "--approx",
        action="store_true",
        help="WAU/MAU from unioned daily HLL sketches per segment instead of exact counts",
    )
    return p


def apply_aqe_settings(spark: SparkSession) -> dict[str, str]:
    explicit = spark.sparkContext.getConf()
    chosen = {}
    for key, value in AQE_SETTINGS.items():
        if not explicit.contains(key):
            spark.conf.set(key, value)
        chosen[key] = str(spark.conf.get(key))
    return chosen


def event_partitions(spark: SparkSession, args: argparse.Namespace, window: runner.Window) -> int:
    """From the input size, unless the user fixed spark.sql.shuffle.partitions with --conf (the harness sweeps it)."""
    if spark.sparkContext.getConf().contains("spark.sql.shuffle.partitions"):
        return int(str(spark.conf.get("spark.sql.shuffle.partitions")))
    size = runner.input_bytes(spark, args.interactions, window.lookback_start, window.end)
    return max(spark.sparkContext.defaultParallelism, math.ceil(size / EVENTS_PARTITION_BYTES))


# --- silver: facts -------------------------------------------------------------------------------------------
def user_version_day_facts(events: DataFrame) -> DataFrame:
    """(user_id, date, app_version) -> events, qualifying events. Grouping keys include the clustering keys, so
    Spark aggregates in place: no shuffle."""
    return events.groupBy("user_id", "date", "app_version").agg(
        F.count(F.lit(1)).alias("events"), F.sum(d.is_qualifying().cast("long")).alias("qualifying_events")
    )


def sessions_per_user_day(gap_ms: int) -> Callable[[DataFrame], DataFrame]:
    """Partial sessions within each (user_id, date): one sort of a user-day, never of a user's year."""

    def _partials(events: DataFrame) -> DataFrame:
        by_user_day = Window.partitionBy("user_id", "date").orderBy("ts_ms")
        with_ms = events.select("user_id", "date", *d.event_millis())
        flagged = with_ms.select(
            "*",
            F.coalesce(F.col("ts_ms") - F.lag("ts_ms").over(by_user_day) > gap_ms, F.lit(True))
            .cast("int")
            .alias("new"),
        )
        numbered = flagged.select("*", F.sum("new").over(by_user_day).alias("local_no"))
        return numbered.groupBy("user_id", "date", "local_no").agg(
            F.min("ts_ms").alias("start_ms"),
            F.max("ts_ms").alias("last_ms"),
            F.max("end_ms").alias("end_ms"),
            F.max("end_raw_ms").alias("end_raw_ms"),
            F.count(F.lit(1)).alias("actions"),
        )

    return _partials


def stitch_sessions(gap_ms: int, max_ms: int) -> Callable[[DataFrame], DataFrame]:
    """Partials of one user are time-disjoint (keyed by the event's own day); one that starts within gap_ms of the
    previous partial's last event continues it (a session across midnight). Runs over partials, not events."""

    def _stitch(partials: DataFrame) -> DataFrame:
        by_user = Window.partitionBy("user_id").orderBy("start_ms")
        flagged = partials.select(
            "*",
            F.coalesce(F.col("start_ms") - F.lag("last_ms").over(by_user) > gap_ms, F.lit(True))
            .cast("int")
            .alias("new"),
        )
        numbered = flagged.select("*", F.sum("new").over(by_user).alias("session_no"))
        return numbered.groupBy("user_id", "session_no").agg(*d.session_facts(max_ms))

    return _stitch


# --- the join --------------------------------------------------------------------------------------------------
def hot_users(per_user: DataFrame, fraction: float) -> list[str]:
    """Users above `fraction` of all accepted events, from the per-user statistics (exact, small: at most
    1/fraction users can qualify)."""
    total = per_user.agg(F.sum("events").alias("total"))
    hot = per_user.crossJoin(total).where(F.col("events") > F.col("total") * fraction).select("user_id")
    return sorted(r["user_id"] for r in hot.collect())


def skew_aware_join(
    segments: DataFrame, hot: list[str], mode: str, salt_buckets: int, salt_col: str
) -> Callable[[DataFrame], DataFrame]:
    """facts LEFT JOIN segments on user_id (segments: one row per user).
    broadcast: hot users' facts join a broadcast copy of their few segment rows; the rest take a sort-merge join
    without them, so no join task holds a hot user. salt: hot users' facts spread over salt_buckets by
    hash(salt_col), their segment rows are replicated per bucket (a custom partitioning for skewed keys).
    none: a plain join, leaving skew to AQE."""

    def _join(facts: DataFrame) -> DataFrame:
        if mode == "none" or not hot:
            return facts.join(segments, "user_id", "left")
        is_hot = F.col("user_id").isin(*hot)
        if mode == "broadcast":
            hot_part = facts.where(is_hot).join(F.broadcast(segments.where(is_hot)), "user_id", "left")
            cold_part = facts.where(~is_hot).join(segments.where(~is_hot), "user_id", "left")
            return hot_part.unionByName(cold_part)
        salted_facts = facts.select(
            "*", F.when(is_hot, F.pmod(F.hash(F.col(salt_col)), F.lit(salt_buckets))).otherwise(0).alias("salt")
        )
        salted_segments = segments.select(
            "*",
            F.explode(F.when(is_hot, F.sequence(F.lit(0), F.lit(salt_buckets - 1))).otherwise(F.array(F.lit(0)))).alias(
                "salt"
            ),
        )
        return salted_facts.join(salted_segments, ["user_id", "salt"], "left").drop("salt")

    return _join


# --- gold: rolling actives in O(user-days) ---------------------------------------------------------------------
def rolling_from_user_days(window: runner.Window) -> Callable[[DataFrame], DataFrame]:
    """Per (date, segment): dau, new_users, wau, mau. Each active user-day emits +1 on its day and -1 where its
    7-/30-day interval closes: 7/30 days later, or earlier at the user's next active day (which opens its own).
    Intervals of one user never overlap, so a running sum of the deltas per segment counts distinct users."""

    def _rolling(user_days: DataFrame) -> DataFrame:
        seg = list(d.SEGMENT_COLUMNS)
        next_day = F.lead("date").over(Window.partitionBy("user_id").orderBy("date"))
        bounded = user_days.select("*", next_day.alias("next_day"))

        def close(days: int) -> Column:
            return F.least(F.date_add(F.col("date"), days), F.coalesce(F.col("next_day"), F.lit(dt.date.max)))

        new = (F.col("join_date") == F.col("date")).cast("long")
        deltas = bounded.select(
            *seg,
            F.explode(
                F.array(
                    F.struct(
                        F.col("date").alias("day"),
                        F.lit(1).cast("long").alias("dau"),
                        new.alias("new_users"),
                        F.lit(1).cast("long").alias("wau"),
                        F.lit(1).cast("long").alias("mau"),
                    ),
                    F.struct(
                        close(d.WAU_DAYS).alias("day"),
                        F.lit(0).cast("long").alias("dau"),
                        F.lit(0).cast("long").alias("new_users"),
                        F.lit(-1).cast("long").alias("wau"),
                        F.lit(0).cast("long").alias("mau"),
                    ),
                    F.struct(
                        close(d.MAU_DAYS).alias("day"),
                        F.lit(0).cast("long").alias("dau"),
                        F.lit(0).cast("long").alias("new_users"),
                        F.lit(0).cast("long").alias("wau"),
                        F.lit(-1).cast("long").alias("mau"),
                    ),
                )
            ).alias("delta"),
        ).select(*seg, "delta.*")
        per_day = (
            deltas.where(F.col("day") <= F.lit(window.end))
            .groupBy("day", *seg)
            .agg(*[F.sum(c).alias(c) for c in ("dau", "new_users", "wau", "mau")])
        )
        running = Window.partitionBy(*seg).orderBy("day").rowsBetween(Window.unboundedPreceding, Window.currentRow)
        # Days without a delta still have a value: fill the calendar per segment (days x segments, small).
        calendar = F.sequence(F.lit(window.lookback_start), F.lit(window.end))
        grid = per_day.select(*seg).distinct().select(*seg, F.explode(calendar).alias("day"))
        filled = grid.join(per_day, ["day", *seg], "left").na.fill(0, ["dau", "new_users", "wau", "mau"])
        return filled.select(
            F.col("day").alias("date"),
            *seg,
            "dau",
            "new_users",
            F.sum("wau").over(running).alias("wau"),
            F.sum("mau").over(running).alias("mau"),
        ).where(d.in_window(window.start, window.end) & (F.col("mau") > 0))

    return _rolling


def approx_rolling(window: runner.Window) -> Callable[[DataFrame], tuple[DataFrame, DataFrame]]:
    """WAU/MAU from daily HLL sketches per segment, unioned over each trailing window (mergeable: a new day adds
    one sketch per segment; no user ids are kept)."""

    def _approx(user_days: DataFrame) -> tuple[DataFrame, DataFrame]:
        seg = list(d.SEGMENT_COLUMNS)
        sketches = user_days.groupBy("date", *seg).agg(F.hll_sketch_agg("user_id", HLL_LG_CONFIG_K).alias("sk"))
        spread = (
            sketches.select("*", F.explode(F.sequence(F.lit(0), F.lit(d.MAU_DAYS - 1))).alias("offset"))
            .select(*seg, "sk", "offset", F.date_add(F.col("date"), F.col("offset")).alias("day"))
            .where(d.in_window(window.start, window.end, "day"))
        )

        def estimates(keys: list[str]) -> DataFrame:
            return spread.groupBy(F.col("day").alias("date"), *keys).agg(
                F.hll_sketch_estimate(F.hll_union_agg(F.when(F.col("offset") < d.WAU_DAYS, F.col("sk")))).alias("wau"),
                F.hll_sketch_estimate(F.hll_union_agg("sk")).alias("mau"),
            )

        return estimates([]), estimates(seg)

    return _approx


def compute(ctx: runner.JobContext) -> runner.JobOutput:
    spark, args, w = ctx.spark, ctx.args, ctx.window
    ctx.run_info["aqe"] = apply_aqe_settings(spark)
    seg = list(d.SEGMENT_COLUMNS)

    # Pruning: only the window's date folders (+29 days of lookback) and only the columns the job uses.
    raw = runner.read_interactions(spark, args.interactions, w.lookback_start, w.end)
    metadata = runner.read_metadata(spark, args.metadata)

    # The one shuffle of events. Every later step groups or windows by keys that contain (user_id, event_date).
    partitions = event_partitions(spark, args, w)
    ctx.run_info["event_partitions"] = partitions
    tagged = (
        raw.transform(d.with_event_date)
        .repartition(partitions, "user_id", "event_date")
        .transform(d.dedupe_and_tag)
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    accepted = tagged.transform(d.accepted)
    facts = user_version_day_facts(accepted).persist(StorageLevel.MEMORY_AND_DISK)
    partials = accepted.where(d.in_window(w.start, w.end)).transform(sessions_per_user_day(args.session_gap))
    sessions = partials.transform(stitch_sessions(args.session_gap, args.session_max))

    window_facts = facts.where(d.in_window(w.start, w.end))
    per_user = window_facts.groupBy("user_id").agg(F.sum("events").alias("events"))
    hot = hot_users(per_user, args.hot_key_fraction)
    ctx.run_info["hot_users"] = hot
    ctx.run_info["skew_mode"] = args.skew_mode

    user_days = facts.groupBy("user_id", "date").agg(
        F.sum("events").alias("events"), F.sum("qualifying_events").alias("qualifying_events")
    )
    # The big join sees one row per active user (never a hot key twice), only the metadata columns it needs.
    users = user_days.select("user_id").distinct()
    segments = (
        users.join(metadata, "user_id", "left")
        .select("user_id", "join_date", *d.segment_columns())
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    join_segments = skew_aware_join(segments, hot, args.skew_mode, args.salt_buckets, "date")
    active_days = (
        user_days.where((F.col("qualifying_events") > 0) & d.in_window(w.lookback_start, w.end))
        .select("user_id", "date")
        .transform(join_segments)
    )

    by_segment = active_days.transform(rolling_from_user_days(w))
    daily = by_segment.groupBy("date").agg(*[F.sum(c).alias(c) for c in ("dau", "wau", "mau", "new_users")])
    if args.approx:
        approx_daily, approx_segment = approx_rolling(w)(active_days)
        daily = daily.drop("wau", "mau").join(approx_daily, "date", "left")
        by_segment = by_segment.drop("wau", "mau").join(approx_segment, ["date", *seg], "left")
    daily = daily.select(
        "date", "dau", "wau", "mau", d.ratio(F.col("dau"), F.col("mau")).alias("stickiness"), "new_users"
    )
    monthly = (
        active_days.where(d.in_window(w.start, w.end))
        .groupBy(F.trunc("date", "month").alias("month"))
        .agg(F.countDistinct("user_id").alias("mau"))
    )

    sessions_seg = sessions.transform(
        skew_aware_join(segments.drop("join_date"), hot, args.skew_mode, args.salt_buckets, "session_no")
    )
    sessions_daily = sessions.groupBy("date").agg(*d.session_metrics(True)).transform(d.explode_percentiles)
    sessions_by_segment = (
        sessions_seg.groupBy("date", *seg).agg(*d.session_metrics(False)).transform(d.explode_percentiles)
    )

    top_users = d.top_users(per_user)
    app_versions_daily = window_facts.groupBy("date", "app_version").agg(
        F.sum("events").alias("events"), F.count(F.lit(1)).alias("users")
    )
    in_window_partitions = d.in_window(w.start, w.end)
    return runner.assemble(
        window=w,
        raw=raw,
        counts=d.reconciliation_counts(tagged.where(in_window_partitions)),
        release=(segments, facts, tagged),
        daily=daily,
        monthly=monthly,
        daily_by_segment=by_segment,
        sessions_daily=sessions_daily,
        sessions_by_segment=sessions_by_segment,
        quarantine=tagged.where(in_window_partitions).transform(d.quarantined),
        top_users=top_users,
        app_versions_daily=app_versions_daily,
    )


def run(spark: SparkSession, argv: list[str]) -> dict:
    return runner.run_job(JOB, spark, parser().parse_args(argv), compute)


def main(argv: list[str] | None = None) -> int:
    return runner.main(JOB, parser(), run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
