"""Print the physical plan (`explain("formatted")`) of every output table of a job, and count its shuffles
(Exchange nodes), without writing anything. The plans in docs/join-strategy.md come from here.

    .venv/bin/spark-submit spark-jobs/tools/plans.py {pre|post} --interactions PATH --metadata PATH --out UNUSED [...]
"""

from __future__ import annotations

import contextlib
import io
import sys

from pyspark.sql import SparkSession

from insights import runner
from insights.jobs import post, pre


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("pre", "post"):
        print("plans: usage: plans.py {pre|post} JOB_ARGS...", file=sys.stderr)
        sys.exit(2)
    job = pre if sys.argv[1] == "pre" else post
    args = job.parser().parse_args(sys.argv[2:])
    spark = SparkSession.builder.appName(f"plans-{sys.argv[1]}").getOrCreate()
    runner.configure(spark)
    ctx = runner.JobContext(spark, args, runner.resolve_window(spark, args))
    tables = job.compute(ctx).tables
    total = 0
    for name, df in tables.items():
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            df.explain("formatted")
        plan = buffer.getvalue()
        exchanges = sum(1 for line in plan.splitlines() if line.startswith("(") and " Exchange" in line)
        total += exchanges
        print(f"===== {name}: {exchanges} Exchange nodes =====")
        print(plan)
    print(f"===== total Exchange nodes over all tables: {total} =====")
    spark.stop()


if __name__ == "__main__":
    main()
