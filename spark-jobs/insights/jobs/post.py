"""The optimized job: same definitions (insights/definitions.py), same tables as pre_optimization.py, planned
differently (docs/join-strategy.md has the plans and the measurements):

1. one shuffle of the events, by (user_id, event_date): inside its partitions the exact dedupe is one sort
   aggregate over every column (SESSION_SETTINGS), validation and the per-day sessionization are hash aggregates
   (events fold into gap-wide time buckets, and only a user-day's buckets are ordered), down to "grains" (one row
   per session piece and app version, plus one per distinct bad row); a hot user's month is spread over 30 tasks;
2. the grains (about 1/5 of the events here) are shuffled once more, by user_id, and kept: the session stitch
   across midnight, the next-active-day window and the join with metadata are then co-partitioned, and every
   table, the quarantine and the reconciliation are read from them (no event is read twice, no table
   re-derives another's inputs: sessions, segments, active user-days and the rolling counts are kept);
3. the join with metadata sees one row per user; active user-days (at most one per user and day: no key is hot)
   join it directly, whole sessions (stitched first; a bot has thousands) through the skew-aware join (broadcast
   or salted);
4. rolling WAU/MAU in O(user-days): each active day opens a 7- and a 30-day interval, closed early by the
   user's next active day; a running sum over day boundaries gives the rolling counts. --approx unions daily HLL
   sketches per segment instead;
5. hot users and top_users from one small action (the top max(20, 1/fraction) users and the total).

    spark-submit spark-jobs/post_optimization.py --interactions PATH --metadata PATH --out PATH
        [--start D] [--end D] [--session-gap 30m] [--session-max 24h]
        [--skew-mode broadcast|salt|none] [--hot-key-fraction 0.01] [--salt-buckets 16] [--approx]
        [--silver PATH [--recompute-since D]]

With --silver, step 1 stops at the session pieces of each date partition, kept in PATH (insights/silver.py): a run
deduplicates only the dates whose files or rules changed (a daily run: its new day) and reads the others' pieces.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
from collections.abc import Callable
from dataclasses import dataclass

from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, Row, SparkSession, Window
from pyspark.sql import functions as F

from insights import definitions as d
from insights import runner, silver

JOB = "post_optimization"

# Chosen on purpose, applied only when the user did not pass the key with --conf (the harness sweeps them).
# Skew-join splitting applies to sort-merge joins only and only over factor x median AND over the threshold: the
# defaults (5x, 256 MB) never fire on partitions of a few hundred MB; 3x / 64 MB does, and 64 MB advisory size
# with parallelismFirst=false makes AQE coalesce small post-aggregation partitions into right-sized ones.
SESSION_SETTINGS: dict[str, str] = {
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.adaptive.skewJoin.enabled": "true",
    "spark.sql.adaptive.skewJoin.skewedPartitionFactor": "3",
    "spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes": "64MB",
    "spark.sql.adaptive.advisoryPartitionSizeInBytes": "64MB",
    "spark.sql.adaptive.coalescePartitions.enabled": "true",
    "spark.sql.adaptive.coalescePartitions.parallelismFirst": "false",
    # The event pass's dedupe (exact_copies) as one sort aggregate over sorted events instead of a partial and a
    # final hash aggregate (docs/join-strategy.md "One sort aggregate"). EliminateSorts would drop the sort under
    # the dedupe (its count ignores row order); post has no other sort it could drop (tools/plans.py: the same 16
    # Sort nodes either way).
    "spark.sql.execution.replaceHashWithSortAgg": "true",
    "spark.sql.optimizer.excludedRules": "org.apache.spark.sql.catalyst.optimizer.EliminateSorts",
}
# The two of them that make exact_copies one sort aggregate (tests and tools/dedupe_cost.py set these alone).
SORT_DEDUPE_SETTINGS = ("spark.sql.execution.replaceHashWithSortAgg", "spark.sql.optimizer.excludedRules")
# Dynamic partitioning of the one event shuffle: ~64 MB of compressed Parquet input per partition (~200-300 MB in
# memory once decoded), never fewer partitions than cores. The 200 default is wrong at both ends: 200 near-empty
# tasks per stage on small data (measured: docs/join-strategy.md), 5 GB per task at 1 TB.
EVENTS_PARTITION_BYTES = 64 << 20
# ...and fewer bytes per partition when a task's share of the execution pool would not hold it: the event pass (scan,
# exchange, the dedupe/sessionize aggregate) needs about this much execution memory per byte of its input partition.
# Bracketed by spill or none in results/2026-12-06-cluster-sweep-256mb (260.5 MiB of input): 6 partitions (43.4 MiB
# each) spilled with 524, 832 and 1049 MiB per task and did not with 1663; 8 (32.6 MiB) did not with 832 and 1049.
# So 1049 / 43.4 = 24.2 < ratio <= 832 / 32.6 = 25.5.
EVENTS_MEMORY_PER_INPUT_BYTE = 25
_RESERVED_HEAP = 300 << 20  # Spark's reserved system memory
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
        "--silver",
        metavar="PATH",
        help="keep the session pieces per date partition here (Parquet) and recompute only new or changed dates",
    )
    p.add_argument(
        "--recompute-since",
        type=runner.parse_window_date,
        metavar="YYYY-MM-DD",
        help="with --silver: recompute these dates and later ones even when their files did not change",
    )
    p.add_argument(
        "--approx",
        action="store_true",
        help="WAU/MAU from unioned daily HLL sketches per segment instead of exact counts",
    )
    return p


def explicit_settings(spark: SparkSession) -> dict[str, str]:
    """The settings given to this session (spark-submit --conf, spark-defaults, builder, an earlier conf.set), as
    opposed to defaults: the RuntimeConfig lists only those. Spark Connect serves it too (no sparkContext)."""
    return dict(spark.conf.getAll)


def apply_session_settings(spark: SparkSession) -> dict[str, str]:
    explicit = explicit_settings(spark)
    chosen = {}
    for key, value in SESSION_SETTINGS.items():
        if key not in explicit:
            spark.conf.set(key, value)
        chosen[key] = str(spark.conf.get(key))
    return chosen


def _local_threads(master: str) -> int | None:
    """N of local[N] (the machine's cores, at least 2, for local and local[*]); None outside local mode."""
    if master.startswith("local[") and master[6:-1].isdigit():
        return int(master[6:-1])
    if master in ("local[*]", "local"):
        return max(2, os.cpu_count() or 2)
    return None


def _cores(spark: SparkSession) -> int:
    """Task slots without sparkContext (Spark Connect has none): spark.default.parallelism if set, else N of a
    local[N] master, else executor instances x cores when both are set, else 2."""
    settings = explicit_settings(spark)
    if "spark.default.parallelism" in settings:
        return int(settings["spark.default.parallelism"])
    threads = _local_threads(settings.get("spark.master", ""))
    if threads is not None:
        return threads
    instances, cores = settings.get("spark.executor.instances"), settings.get("spark.executor.cores")
    if instances and cores and instances.isdigit() and cores.isdigit():
        return max(2, int(instances) * int(cores))
    return 2


def _bytes(value: str) -> int:
    """A JVM memory setting as Spark reads it: 3g, 512m, 2048 (MiB when it has no unit)."""
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
    text = value.strip().lower().removesuffix("b")
    return int(float(text[:-1]) * units[text[-1]]) if text[-1:] in units else int(text) << 20


def task_memory(settings: dict[str, str]) -> int:
    """The execution memory one task gets when the tasks of a full wave share the pool: (heap − 300 MiB) ×
    spark.memory.fraction / cores per JVM. The heap is the driver's in local mode, the executor's otherwise (1g, Spark's
    default, when not set); cores per JVM are N of local[N], else spark.executor.cores (1 when not set)."""
    threads = _local_threads(settings.get("spark.master", ""))
    heap = _bytes(settings.get("spark.driver.memory" if threads is not None else "spark.executor.memory", "1g"))
    cores = threads if threads is not None else int(settings.get("spark.executor.cores", "1"))
    fraction = float(settings.get("spark.memory.fraction", "0.6"))
    return int(max(0, heap - _RESERVED_HEAP) * fraction / max(1, cores))


def event_partition_bytes(settings: dict[str, str]) -> int:
    """Input bytes per event partition: 64 MiB, or what a task's memory holds at EVENTS_MEMORY_PER_INPUT_BYTE (at
    least 1 MiB). At 1 TB on 16 GiB × 5-core executors a task gets 1.9 GiB: 64 MiB, the size rule binds."""
    return max(1 << 20, min(EVENTS_PARTITION_BYTES, task_memory(settings) // EVENTS_MEMORY_PER_INPUT_BYTE))


def event_partitions(spark: SparkSession, args: argparse.Namespace, window: runner.Window) -> int:
    """From the input size and the memory a task gets, rounded up to whole waves of task slots, unless the user
    fixed spark.sql.shuffle.partitions with --conf (the harness sweeps it)."""
    if "spark.sql.shuffle.partitions" in explicit_settings(spark):
        return partitions_for_bytes(spark, 0)
    return partitions_for_bytes(
        spark, runner.input_bytes(spark, args.interactions, window.lookback_start, window.end, args.input_format)
    )


def partitions_for_bytes(spark: SparkSession, size: int) -> int:
    """Event partitions for `size` bytes of input (event_partitions' rule), or spark.sql.shuffle.partitions when set."""
    explicit = explicit_settings(spark)
    if "spark.sql.shuffle.partitions" in explicit:
        return int(explicit["spark.sql.shuffle.partitions"])
    # Whole waves: 5 tasks on 2 slots take 3 waves, the last on one core; 6 take the same 3 waves, all full.
    slots = _cores(spark)
    return slots * max(1, math.ceil(size / event_partition_bytes(explicit) / slots))


# --- silver: events to grains without sorting them -----------------------------------------------------------
# The rest of a quarantined row (with user_id, app_version, date and reason, which are grain keys anyway).
_BAD_ROW_DETAIL = ("timestamp", "action_type", "page_id", "duration_ms")
# Every column of an event besides user_id: two rows equal on these, user_id and `date` are exact copies.
_EVENT_ORDER = ("timestamp", "action_type", "page_id", "duration_ms", "app_version", "date")
PIECE_KEYS = ("user_id", "event_date", "date", "reason", "app_version", "bucket", *_BAD_ROW_DETAIL)


def _grain_measures() -> list[Column]:
    return [
        F.sum("rows").alias("rows"),
        F.sum("duplicates").alias("duplicates"),
        F.sum("qualifying").alias("qualifying"),
        F.min("start_ms").alias("start_ms"),
        F.max("last_ms").alias("last_ms"),
        F.max("end_ms").alias("end_ms"),
        F.max("end_raw_ms").alias("end_raw_ms"),
    ]


def exact_copies(vocabulary: d.Vocabulary = d.DEFAULT_VOCABULARY) -> Callable[[DataFrame], DataFrame]:
    """The events (clustered by user_id, event_date) with exact copies collapsed: one row per distinct row, its
    quarantine `reason` and `copies`. Sorted, then grouped: under SESSION_SETTINGS this is ONE streaming sort
    aggregate (Spark's ReplaceHashWithSortAgg merges the partial and final aggregate over a sorted child into one
    Complete aggregate) instead of two hash maps of every event one after the other in the same task (partial, then
    final: the events are already clustered, so the final merges nothing). Without those settings the sort is
    dropped (EliminateSorts) and it is the two hash maps again: same rows (tests/test_transforms.py)."""
    keys = ["user_id", "event_date", "reason", *_EVENT_ORDER]

    def _copies(events: DataFrame) -> DataFrame:
        tagged = events.select("*", d.quarantine_reason(vocabulary).alias("reason"))
        return tagged.sortWithinPartitions(*keys).groupBy(*keys).agg(F.count(F.lit(1)).alias("copies"))

    return _copies


def event_pieces(gap_ms: int, vocabulary: d.Vocabulary = d.DEFAULT_VOCABULARY) -> Callable[[DataFrame], DataFrame]:
    """Steps 1 and 2 of event_grains: the events (clustered by user_id, event_date) deduplicated, validated and folded
    into gap-wide buckets (exact_copies, then one hash aggregate). One row per (user_id, event_date, partition date,
    app_version, bucket) of accepted events (`rows`, `duplicates`, `qualifying`, start/last/end times) and one per
    distinct bad row. Every row of it comes from one `date` partition (exact copies share their `date`), so the pieces
    of a date are a function of that partition's events alone: the silver layer (insights/silver.py) keeps them per
    date."""
    width = max(gap_ms, 1)
    copies = exact_copies(vocabulary)

    def _pieces(events: DataFrame) -> DataFrame:
        distinct = events.transform(copies)
        # One branch for accepted and bad rows alike (two would each scan and shuffle the events: a filter on
        # `reason` is pushed below the aggregate and the exchange): an accepted row's key is its bucket, a bad
        # row's is the row itself.
        ok = F.col("reason").isNull()
        keyed = distinct.select(
            "user_id",
            "event_date",
            "date",
            "reason",
            "app_version",
            F.when(ok, F.floor(F.unix_millis(F.col("timestamp")) / width)).alias("bucket"),
            *[F.when(~ok, F.col(c)).alias(c) for c in _BAD_ROW_DETAIL],
            "copies",
            d.is_qualifying(vocabulary).cast("long").alias("qualifying"),
            *d.event_millis(),
        )
        return keyed.groupBy(*PIECE_KEYS).agg(
            F.count(F.lit(1)).alias("rows"),
            F.sum(F.col("copies") - 1).alias("duplicates"),
            F.sum("qualifying").alias("qualifying"),
            F.min("ts_ms").alias("start_ms"),
            F.max("ts_ms").alias("last_ms"),
            F.max("end_ms").alias("end_ms"),
            F.max("end_raw_ms").alias("end_raw_ms"),
        )

    return _pieces


def grains_from_pieces(gap_ms: int) -> Callable[[DataFrame], DataFrame]:
    """Step 3 of event_grains: the pieces of a user-day (clustered by user_id, event_date; at most 24h / gap per app
    version and partition date) ordered by start; a piece starts a session when it starts more than a gap after
    every earlier piece's last event; the pieces of a session (per app version and partition date) sum to a grain."""

    def _grains(pieces: DataFrame) -> DataFrame:
        ok = F.col("reason").isNull()
        by_start = Window.partitionBy("user_id", "event_date", "reason").orderBy("start_ms")
        earlier = by_start.rowsBetween(Window.unboundedPreceding, -1)
        flagged = pieces.select(
            "*",
            F.coalesce(F.col("start_ms") - F.max("last_ms").over(earlier) > gap_ms, F.lit(True))
            .cast("int")
            .alias("new"),
        )
        numbered = flagged.select(
            "*",
            F.when(ok, F.sum("new").over(by_start.rowsBetween(Window.unboundedPreceding, Window.currentRow)))
            .cast("long")
            .alias("local_no"),
        )
        return numbered.groupBy(
            "user_id", "event_date", "date", "reason", "app_version", "local_no", *_BAD_ROW_DETAIL
        ).agg(*_grain_measures())

    return _grains


def event_grains(gap_ms: int, vocabulary: d.Vocabulary = d.DEFAULT_VOCABULARY) -> Callable[[DataFrame], DataFrame]:
    """Deduplicate, validate and sessionize the shuffled events (clustered by user_id, event_date) into the grain
    every table is built from, without another exchange:
    - accepted events: one row per (user_id, event_date, partition date, session within the day, app_version)
      with `rows` (distinct events), `duplicates` (extra copies), `qualifying` (distinct qualifying events) and
      the session piece's start/last/end times;
    - quarantined rows: one row per distinct bad row (every column and its `reason`), `rows` 1 and `duplicates`
      its extra copies.
    Same rules as d.dedupe_and_tag (exact copies, `date` included, collapse before validation: the reason is a
    function of the row) and as the per-day sessionization. How, in three steps that each keep the partitioning:
    1. exact copies collapse in one aggregate over every column (`copies`; exact_copies);
    2. distinct accepted events fold into buckets of `gap` ms of their timestamp (per partition date and app
       version): two events of one bucket are less than a gap apart, so they are in the same session, whatever
       lies between them (1 and 2: event_pieces);
    3. the buckets of a user-day (at most 24h / gap per version and date, instead of every event) are ordered
       by start, and a bucket starts a session when it starts more than a gap after every earlier bucket's last
       event; the buckets of a session sum to its grain (grains_from_pieces).
    Measured against the sort-and-window formulation it replaced: docs/join-strategy.md."""

    def _grains(events: DataFrame) -> DataFrame:
        return events.transform(event_pieces(gap_ms, vocabulary)).transform(grains_from_pieces(gap_ms))

    return _grains


def session_pieces(grains: DataFrame) -> DataFrame:
    """Partial sessions within each (user_id, event day), from the accepted grains (a piece may span app versions
    and partition dates)."""
    return grains.groupBy("user_id", F.col("event_date").alias("date"), "local_no").agg(
        F.min("start_ms").alias("start_ms"),
        F.max("last_ms").alias("last_ms"),
        F.max("end_ms").alias("end_ms"),
        F.max("end_raw_ms").alias("end_raw_ms"),
        F.sum("rows").alias("actions"),
    )


DAY_MS = 86_400_000


def stitch_sessions(gap_ms: int, max_ms: int) -> Callable[[DataFrame], DataFrame]:
    """Whole sessions from the per-day pieces (user_id, d.session_facts' columns and `session_start_ms`; run before
    the skew-aware join, so the pieces are still partitioned by user_id). Pieces of one user are time-disjoint
    (keyed by the event's own day); one that starts within gap_ms of the previous piece's last event continues it: a
    session across midnight. Only a piece within gap_ms of a midnight can continue or be continued (its events are
    on its day, the previous day's are before that midnight), so the window over user_id runs on those few alone;
    every other piece is a whole session as it is."""

    def _stitch(pieces: DataFrame) -> DataFrame:
        day_start = F.col("start_ms") - F.pmod(F.col("start_ms"), F.lit(DAY_MS))
        near = (F.col("start_ms") - day_start <= gap_ms) | (day_start + DAY_MS - F.col("last_ms") <= gap_ms)
        by_user = Window.partitionBy("user_id").orderBy("start_ms")
        edge = pieces.where(near)
        flagged = edge.select(
            "*",
            F.coalesce(F.col("start_ms") - F.lag("last_ms").over(by_user) > gap_ms, F.lit(True))
            .cast("int")
            .alias("new"),
        )
        numbered = flagged.select("*", F.sum("new").over(by_user).alias("session_no"))
        stitched = numbered.groupBy("user_id", "session_no").agg(
            F.min("start_ms").alias("session_start_ms"), *d.session_facts(max_ms)
        )
        # A piece on its own: the same expressions as d.session_facts over one row.
        whole = pieces.where(~near).select(
            "user_id",
            F.col("start_ms").alias("session_start_ms"),
            F.to_date(F.timestamp_millis(F.col("start_ms"))).alias("date"),
            F.least(F.col("end_ms") - F.col("start_ms"), F.lit(max_ms)).alias("duration_ms"),
            (F.col("end_raw_ms") - F.col("start_ms")).alias("duration_uncapped_ms"),
            F.col("actions"),
        )
        return stitched.drop("session_no").unionByName(whole)

    return _stitch


# --- the join --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HeavyUsers:
    hot: list[str]  # users above the fraction of all accepted events, sorted
    top: list[Row]  # the top_users rows (user_id, events) in table order
    total: int  # accepted events in the window


def heavy_users(per_user: DataFrame, total: DataFrame, fraction: float) -> HeavyUsers:
    """Hot users and the top users in ONE small action: the users with the most events, as many as could be hot
    (each hot user has over fraction x total, so fewer than 1/fraction can be) or as top_users shows, with the
    total (`total`: one row, summed without the per-user aggregation). Same order and tie-break (user_id) as
    d.top_users; exact."""
    candidates = max(d.TOP_USERS, math.ceil(1 / fraction))
    rows = (
        per_user.orderBy(F.col("events").desc(), F.col("user_id"))
        .limit(candidates)
        .crossJoin(total)
        .orderBy(F.col("events").desc(), F.col("user_id"))
        .collect()
    )
    grand = int(rows[0]["total"]) if rows else 0
    hot = sorted(r["user_id"] for r in rows if r["events"] > grand * fraction)
    return HeavyUsers(hot, [Row(user_id=r["user_id"], events=r["events"]) for r in rows[: d.TOP_USERS]], grand)


def top_users_table(spark: SparkSession, heavy: HeavyUsers) -> DataFrame:
    """d.top_users' table from the rows heavy_users already collected: share = the same rounded ratio. The rows
    enter as literals (createDataFrame of local rows would start Python workers to unpickle them)."""
    rows = [
        F.struct(F.lit(r["user_id"]).cast("string").alias("user_id"), F.lit(r["events"]).cast("long").alias("events"))
        for r in heavy.top
    ]
    empty = F.array().cast("array<struct<user_id:string,events:bigint>>")
    top = spark.range(1).select(F.inline(F.array(*rows) if rows else empty))
    return top.select("user_id", "events", d.ratio(F.col("events"), F.lit(heavy.total)).alias("share"))


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
def with_next_day(user_days: DataFrame) -> DataFrame:
    """Each active (user_id, date) with the user's next active day (null for the last): a window over user_id,
    run where the user-days are already partitioned by user_id (before the join, which may not keep it)."""
    return user_days.select("*", F.lead("date").over(Window.partitionBy("user_id").orderBy("date")).alias("next_day"))


def rolling_from_user_days(window: runner.Window) -> Callable[[DataFrame], DataFrame]:
    """Per (date, segment) from active user-days with next_day (with_next_day), join_date and segment columns:
    dau, new_users, wau, mau. Each active user-day emits +1 on its day and -1 where its
    7-/30-day interval closes: 7/30 days later, or earlier at the user's next active day (which opens its own).
    Intervals of one user never overlap, so a running sum of the deltas per segment counts distinct users."""

    def _rolling(bounded: DataFrame) -> DataFrame:
        seg = list(d.SEGMENT_COLUMNS)

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
    if args.recompute_since and not args.silver:
        raise runner.UsageError("--recompute-since needs --silver")
    ctx.run_info["session_settings"] = apply_session_settings(spark)
    seg = list(d.SEGMENT_COLUMNS)
    keep = StorageLevel.MEMORY_AND_DISK

    # Pruning: only the window's date folders (+29 days of lookback) and only the columns the job uses.
    raw = runner.read_interactions(spark, args.interactions, w.lookback_start, w.end, args.input_format)
    metadata = runner.read_metadata(spark, args.metadata, args.input_format)

    # The one shuffle of events, by (user_id, event_date), and no sort of it: every event is looked at once and
    # a hot user's month is spread over 30 tasks. Its output, the grains (about one row per session piece), is
    # then shuffled by user_id alone and kept: everything after is co-partitioned by user_id (the session stitch,
    # the next-active-day window, the join with metadata) and needs no other shuffle of user-level rows.
    partitions = event_partitions(spark, args, w)
    ctx.run_info["event_partitions"] = partitions
    if args.silver:
        pieces = silver_pieces(ctx)
        grains = pieces.repartition(partitions, "user_id", "event_date").transform(grains_from_pieces(args.session_gap))
    else:
        grains = (
            raw.transform(d.with_event_date)
            .repartition(partitions, "user_id", "event_date")
            .transform(event_grains(args.session_gap, ctx.vocabulary))
        )
    grains = grains.repartition(partitions, "user_id").persist(keep)
    accepted = grains.where(F.col("reason").isNull())
    in_window_partitions = d.in_window(w.start, w.end)
    window_accepted = accepted.where(d.in_window(w.start, w.end, "event_date"))

    per_user = window_accepted.groupBy("user_id").agg(F.sum("rows").alias("events"))
    total = window_accepted.agg(F.sum("rows").alias("total"))
    heavy = heavy_users(per_user, total, args.hot_key_fraction)  # the first action: materialises the grains
    ctx.run_info["hot_users"] = heavy.hot
    ctx.run_info["skew_mode"] = args.skew_mode

    # The join sees one row per user with an accepted event, only the metadata columns it needs.
    segments = (
        accepted.select("user_id")
        .distinct()
        .join(metadata, "user_id", "left")
        .select("user_id", "join_date", *d.segment_columns())
        .persist(keep)
    )
    # Active user-days, each with the user's next active day (the rolling counts' interval ends), then their
    # segment. At most one row per user and day: no user is hot here, so a plain co-partitioned join suffices.
    active = (
        accepted.where(d.in_window(w.lookback_start, w.end, "event_date"))
        .groupBy("user_id", F.col("event_date").alias("date"))
        .agg(F.sum("qualifying").alias("qualifying"))
        .where(F.col("qualifying") > 0)
        .select("user_id", "date")
        .transform(with_next_day)
        .join(segments, "user_id", "left")
        .persist(keep)
    )
    by_segment = active.transform(rolling_from_user_days(w))
    if args.approx:
        approx_daily, approx_segment = approx_rolling(w)(active)
        by_segment = by_segment.drop("wau", "mau").join(approx_segment, ["date", *seg], "left")
    by_segment = by_segment.persist(keep)
    daily = by_segment.groupBy("date").agg(*[F.sum(c).alias(c) for c in ("dau", "wau", "mau", "new_users")])
    if args.approx:
        daily = daily.drop("wau", "mau").join(approx_daily, "date", "left")
    daily = daily.select(
        "date", "dau", "wau", "mau", d.ratio(F.col("dau"), F.col("mau")).alias("stickiness"), "new_users"
    )
    monthly = (
        active.where(d.in_window(w.start, w.end))
        .groupBy(F.trunc("date", "month").alias("month"))
        .agg(F.countDistinct("user_id").alias("mau"))
    )

    # Sessions: the few pieces near a midnight are stitched first, where the pieces are still partitioned by
    # user_id (the stitch's window needs no shuffle); then whole sessions take their segment through the
    # skew-aware join (a bot has thousands). Stitching after a salted join re-shuffled its output by user_id and
    # put each hot user's pieces back into one task (join stage max/median 39.8x at 1 GB on the cluster).
    # The per-day pieces are kept: the stitch reads them twice (pieces near a midnight, the rest) under each of the
    # skew-aware join's two branches (hot, cold), and a groupBy co-partitioned with the grains has no exchange to
    # reuse, so unkept they were aggregated from the grains four times (1363 MiB read from a 339 MiB cache at 2 GB).
    day_pieces = window_accepted.transform(session_pieces).persist(keep)
    sessions = (
        day_pieces.transform(stitch_sessions(args.session_gap, args.session_max))
        .transform(
            skew_aware_join(
                segments.drop("join_date"), heavy.hot, args.skew_mode, args.salt_buckets, "session_start_ms"
            )
        )
        .persist(keep)
    )
    sessions_daily = sessions.groupBy("date").agg(*d.session_metrics(True)).transform(d.explode_percentiles)
    sessions_by_segment = sessions.groupBy("date", *seg).agg(*d.session_metrics(False)).transform(d.explode_percentiles)

    app_versions_daily = window_accepted.groupBy(F.col("event_date").alias("date"), "app_version").agg(
        F.sum("rows").alias("events"), F.countDistinct("user_id").alias("users")
    )
    in_partitions = grains.where(in_window_partitions)
    fill_shared(segments, [[active, by_segment], [day_pieces, sessions]])
    return runner.assemble(
        window=w,
        raw=raw,
        counts=in_partitions.groupBy("reason").agg(
            F.sum("rows").alias("rows"), F.sum("duplicates").alias("duplicates_removed")
        ),
        release=(sessions, day_pieces, by_segment, active, segments, grains),
        daily=daily,
        monthly=monthly,
        daily_by_segment=by_segment,
        sessions_daily=sessions_daily,
        sessions_by_segment=sessions_by_segment,
        quarantine=in_partitions.where(F.col("reason").isNotNull()),
        top_users=top_users_table(spark, heavy),
        app_versions_daily=app_versions_daily,
    )


def silver_pieces(ctx: runner.JobContext) -> DataFrame:
    """The window's session pieces from the silver folder (--silver), recomputing only the dates whose files or
    rules changed (insights/silver.py): a daily run deduplicates its new day, not the whole lookback."""
    spark, args, w = ctx.spark, ctx.args, ctx.window
    silver.checked_location(spark, args.interactions, args.input_format)
    days = [day for day in runner.partition_dates(spark, args.interactions) if w.lookback_start <= day <= w.end]
    definition = silver.definition_tag({"session_gap_ms": args.session_gap, **ctx.vocabulary.as_dict()})

    def derive(events: DataFrame, partitions: int) -> DataFrame:
        return (
            events.transform(d.with_event_date)
            .repartition(partitions, "user_id", "event_date")
            .transform(event_pieces(args.session_gap, ctx.vocabulary))
        )

    result = silver.refresh(
        spark,
        interactions=args.interactions,
        silver=args.silver,
        days=days,
        definition=definition,
        derive=derive,
        partitions_for=lambda size: partitions_for_bytes(spark, size),
        recompute_since=args.recompute_since,
    )
    ctx.run_info["silver"] = result.info(args.silver)
    return result.rows


def fill_shared(first: DataFrame, chains: list[list[DataFrame]]) -> None:
    """Fill the persisted frames that several tables read before the tables start: `first`, then each chain in
    order, the chains side by side (they share nothing uncached). The runner computes the tables from several driver
    threads; a cached block being computed is locked only inside one executor, so on a cluster two tables' jobs
    computed the same partition of `sessions` on two executors (8.1 s twice at 2 GB: docs/benchmarks.md)."""
    first.count()
    runner.concurrently(lambda chain: [df.count() for df in chain], chains)


def run(spark: SparkSession, argv: list[str]) -> dict:
    return runner.run_job(JOB, spark, parser().parse_args(argv), compute)


def main(argv: list[str] | None = None) -> int:
    return runner.main(JOB, parser(), run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
