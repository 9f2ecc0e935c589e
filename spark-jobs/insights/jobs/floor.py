"""The hardware floor every job time is measured against: read every event the jobs read (the window plus its 29
days of lookback, every column), one shuffle by (user_id, day), aggregate, write one small table. No product
job can do less work than this and still look at every event once, so `job time / floor time` measured in the
same run says how far a job is from what the machine can do.

    spark-submit spark-jobs/floor_job.py --interactions PATH --metadata PATH --out PATH [--start D] [--end D]
        [--session-gap 30m] [--session-max 24h]      (the jobs' common command line; metadata is only checked)
"""

from __future__ import annotations

import argparse

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from insights import runner

JOB = "floor"


def parser() -> argparse.ArgumentParser:
    return runner.base_parser(JOB)


def user_days(raw: DataFrame) -> DataFrame:
    # Every column takes part, so the scan decodes what the jobs decode; partial aggregation before the shuffle
    # keeps it to one row per (user, day) per task, as any well-planned job's first aggregate would. The string
    # columns enter through one 64-bit hash: max() over a string has no fixed-width buffer, so Spark would plan a
    # SortAggregate and sort every event before the shuffle (35 vs 25 s at 256 MB on 2 cores, 2026-12-02): work no
    # job has to do, and a floor must not do.
    return raw.groupBy("user_id", F.to_date("timestamp").alias("day")).agg(
        F.count(F.lit(1)).alias("events"),
        F.sum("duration_ms").alias("duration_ms"),
        F.min("timestamp").alias("first_at"),
        F.max("timestamp").alias("last_at"),
        F.max(F.xxhash64("action_type", "page_id", "app_version")).alias("max_row_hash"),
        F.max("date").alias("max_partition"),
    )


def compute(ctx: runner.JobContext) -> runner.JobOutput:
    spark, args, w = ctx.spark, ctx.args, ctx.window
    raw = runner.read_interactions(spark, args.interactions, w.lookback_start, w.end, args.input_format)
    runner.read_metadata(
        spark, args.metadata, args.input_format
    )  # the same input checks as the jobs; nothing of it is read
    return runner.JobOutput({"user_days": user_days(raw)}, lambda: None)


def run(spark: SparkSession, argv: list[str]) -> dict:
    return runner.run_job(JOB, spark, parser().parse_args(argv), compute)


def main(argv: list[str] | None = None) -> int:
    return runner.main(JOB, parser(), run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
