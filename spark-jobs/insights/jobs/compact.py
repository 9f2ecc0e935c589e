"""Optional preprocessing (task 5d): rewrite interactions clustered by user and time into right-sized files.

    spark-submit spark-jobs/compact.py --interactions PATH --out PATH [--start D] [--end D] [--target-file-mb 128]

Same layout as the input (<out>/date=YYYY-MM-DD/part-*.parquet), same rows (bad ones and duplicates included: this
is a physical rewrite, never a cleaning step). Each day is range-partitioned by user_id and sorted by
(user_id, timestamp), so a file holds a contiguous range of users: Parquet min/max statistics on user_id then skip
row groups for user lookups, many tiny files become few right-sized ones, and the jobs' per-(user, day) sort finds
its input already ordered. <out> must not exist; on a local disk it appears only when the rewrite is complete (on an
object store, when its _SUCCESS file is there).
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import time
import uuid

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from insights import runner

JOB = "compact"


def parser() -> argparse.ArgumentParser:
    p = runner._Parser(prog=JOB, description="Rewrite interactions clustered by (user_id, timestamp).")
    p.add_argument("--interactions", required=True)
    p.add_argument("--out", required=True, help="new interactions folder (must not exist)")
    p.add_argument("--start", type=runner.parse_date)
    p.add_argument("--end", type=runner.parse_date)
    p.add_argument("--target-file-mb", type=int, default=128, help="target file size in MB (default 128)")
    return p


def run(spark: SparkSession, argv: list[str]) -> dict:
    started = time.time()
    args = parser().parse_args(argv)
    if args.target_file_mb <= 0:
        raise runner.UsageError(f"--target-file-mb must be positive, got {args.target_file_mb}")
    runner.configure(spark)
    if runner.path_exists(spark, args.out):
        raise runner.UsageError(f"--out {args.out} exists; compact never overwrites")
    dates = runner.partition_dates(spark, args.interactions)
    first, last = args.start or dates[0], args.end or dates[-1]
    days = [day for day in dates if first <= day <= last]
    size = runner.input_bytes(spark, args.interactions, first, last)
    # Parquet compresses sorted data better, so files come out at or under the target.
    files_per_day = max(1, math.ceil(size / len(days) / (args.target_file_mb << 20))) if days else 1
    df = runner.read_interactions(spark, args.interactions, first, last)
    rewritten = (
        df.repartitionByRange(len(days) * files_per_day, F.col("date"), F.col("user_id"))
        .sortWithinPartitions("date", "user_id", "timestamp")
        .write.partitionBy("date")
    )
    if runner.is_local(spark, args.out):
        out = runner.local_path(args.out)
        staging = f"{out.rstrip('/')}.staging-{uuid.uuid4().hex[:8]}"
        try:
            rewritten.parquet(staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        os.rename(staging, out)
    else:
        # No rename through Spark's APIs on object stores: the folder is complete when its _SUCCESS file exists.
        rewritten.parquet(args.out)
    wall = round(time.time() - started, 3)
    return {"days": len(days), "input_bytes": size, "files_per_day": files_per_day, "wall_seconds": wall}


def main(argv: list[str] | None = None) -> int:
    return runner.main(JOB, parser(), run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
