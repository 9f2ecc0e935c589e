"""What the two session tables' exact percentiles cost, planned three ways, on post's own sessions (issue 12's lever
"percentiles computed where they are cheap"), measured in one Spark session.

.venv/bin/python spark-jobs/tools/session_tables_cost.py DATA [--repeat 3] [--memory 8g]

DATA is a `gen` dataset (DATA/interactions, DATA/metadata). post_optimization.py's compute runs once (the event pass
and the shared frames it keeps); then sessions_daily and sessions_by_segment are computed side by side, as the runner
computes tables, each ending in a `noop` write; variants alternate, `--repeat` times, and the medians are printed:

- percentile: post's plan, `groupBy(keys).agg(*d.session_metrics)`: Spark's `percentile` keeps a hash map of every
  distinct duration per group, partial maps per task, merged in a final aggregate (object hash aggregate, which sorts
  its input once a task holds more than 128 groups: sessions_by_segment's ~17 k);
- percentile_no_sort_fallback: the same under spark.sql.objectHashAggregate.sortBased.fallbackThreshold = 1000000
  (the maps of every group a task holds stay in one hash map);
- counts_running: the same doubles from counts: sessions counted per (keys, duration) in a fixed-width hash
  aggregate, a running count over each group's durations, and Spark's interpolation between the durations at the
  ranks around each percentile's position (`counts_running_metrics` below).

Before timing, counts_running is checked against percentile on both tables (every column, unrounded, exceptAll both
ways); the tool exits 1 if they differ.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from interleaved import interleaved, print_medians  # noqa: E402

from insights import definitions as d  # noqa: E402
from insights import runner  # noqa: E402
from insights.jobs import post  # noqa: E402

FALLBACK = "spark.sql.objectHashAggregate.sortBased.fallbackThreshold"


def counts_running_metrics(keys: list[str], with_uncapped: bool) -> Callable[[DataFrame], DataFrame]:
    """`groupBy(*keys).agg(*d.session_metrics(with_uncapped))` from counts of each distinct duration: Spark's
    percentile takes position = (n - 1) x p over the n non-null durations in order, the durations at ranks
    floor(position) and ceil(position), and returns the lower one when the position is whole or both are equal, else
    (ceil - position) x lower + (position - floor) x higher."""

    def _metrics(sessions: DataFrame) -> DataFrame:
        sums = ["duration_ms", "actions", *(["duration_uncapped_ms"] if with_uncapped else [])]
        counted = sessions.groupBy(*keys, F.col("duration_ms").cast("double").alias("value")).agg(
            F.count(F.lit(1)).alias("n"), *[F.sum(c).alias(c) for c in sums]
        )
        by_value = Window.partitionBy(*keys).orderBy("value")
        present = F.when(F.col("value").isNotNull(), F.col("n"))  # percentile ignores nulls, count(1) does not
        ranked = counted.select(
            "*",
            F.sum(present).over(by_value.rowsBetween(Window.unboundedPreceding, Window.currentRow)).alias("upto"),
            F.sum(present).over(by_value.rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)).alias("m"),
        )
        positions = [(F.col("m") - 1) * F.lit(p) for p in d.PERCENTILES]

        def at_rank(rank: Column) -> Column:
            return F.min(F.when(F.col("upto") >= rank + 1, F.col("value")))

        bounds = []
        for i, pos in enumerate(positions):
            bounds += [at_rank(F.floor(pos)).alias(f"_lo{i}"), at_rank(F.ceil(pos)).alias(f"_hi{i}")]
        grouped = ranked.groupBy(*keys).agg(
            F.sum("n").alias("sessions"), *[F.sum(c).alias(c) for c in sums], F.max("m").alias("m"), *bounds
        )

        def interpolated(i: int, pos: Column) -> Column:
            lower, higher = F.floor(pos), F.ceil(pos)
            lo, hi = F.col(f"_lo{i}"), F.col(f"_hi{i}")
            mixed = (higher.cast("double") - pos) * lo + (pos - lower.cast("double")) * hi
            return F.when(higher == lower, lo).when(hi == lo, lo).otherwise(mixed)

        count = F.col("sessions")
        cols = [
            count.alias("sessions"),
            d.ratio(F.col("duration_ms"), count).alias("avg_duration_ms"),
            F.when(F.col("m") > 0, F.array(*[interpolated(i, p) for i, p in enumerate(positions)])).alias("_pct"),
            d.ratio(F.col("actions"), count).alias("avg_actions"),
        ]
        if with_uncapped:
            cols.append(d.ratio(F.col("duration_uncapped_ms"), count).alias("avg_duration_uncapped_ms"))
        return grouped.select(*keys, *cols)

    return _metrics


def post_sessions(spark: SparkSession, data: str) -> DataFrame:
    """post's persisted `sessions` (stitched, with segments) after its compute: the runner's assemble is wrapped to
    catch the frames post releases after the writes (sessions first)."""
    caught: dict[str, Any] = {}
    assemble = runner.assemble

    def catching(**parts: Any) -> runner.JobOutput:
        caught.update(parts)
        return assemble(**parts)

    argv = ["--interactions", f"{data}/interactions", "--metadata", f"{data}/metadata", "--out", "/dev/null"]
    args = post.parser().parse_args(argv)
    runner.configure(spark)
    runner.assemble = catching
    try:
        post.compute(runner.JobContext(spark, args, runner.resolve_window(spark, args)))
    finally:
        runner.assemble = assemble
    return caught["release"][0]


def main() -> None:
    p = argparse.ArgumentParser(prog="session_tables_cost.py")
    p.add_argument("data")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--memory", default="8g", help="the local JVM's heap (default 8g)")
    args = p.parse_args()
    if not (Path(args.data) / "interactions").is_dir():
        print(f"session_tables_cost: {args.data}/interactions is not a directory", file=sys.stderr)
        sys.exit(2)
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.memory", args.memory)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    started = time.perf_counter()
    sessions = post_sessions(spark, args.data)
    print(f"post's compute (event pass, kept frames): {time.perf_counter() - started:.1f} s", file=sys.stderr)
    seg = list(d.SEGMENT_COLUMNS)
    tables = [(["date"], True), (["date", *seg], False)]

    def percentile(keys: list[str], with_uncapped: bool) -> DataFrame:
        return sessions.groupBy(*keys).agg(*d.session_metrics(with_uncapped))

    def counts_running(keys: list[str], with_uncapped: bool) -> DataFrame:
        return sessions.transform(counts_running_metrics(keys, with_uncapped))

    for keys, with_uncapped in tables:
        a, b = percentile(keys, with_uncapped), counts_running(keys, with_uncapped)
        extra, missing = b.exceptAll(a).count(), a.exceptAll(b).count()
        print(f"by {keys}: {extra} rows only in counts_running, {missing} only in percentile")
        if extra or missing:
            sys.exit(1)

    def both_tables(build: Callable[[list[str], bool], DataFrame], fallback: str | None = None) -> Callable[[], None]:
        def run() -> None:
            if fallback:
                spark.conf.set(FALLBACK, fallback)
            try:
                runner.concurrently(lambda t: build(*t).write.format("noop").mode("overwrite").save(), tables)
            finally:
                spark.conf.unset(FALLBACK)

        return run

    runs = {
        "percentile": both_tables(percentile),
        "percentile_no_sort_fallback": both_tables(percentile, "1000000"),
        "counts_running": both_tables(counts_running),
    }
    times = interleaved(runs, args.repeat)
    print(f"data {args.data}, local[2], {args.memory} heap, repeat {args.repeat}: both session tables, side by side")
    print_medians(times, "percentile")


if __name__ == "__main__":
    main()
