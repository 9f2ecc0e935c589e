"""Runs several job invocations in ONE Spark session (a JVM start costs 15-30 s on a loaded 2-core machine):

    spark-submit test/s3/run_jobs.py '[["pre_optimization", ["--interactions", "s3a://...", ...]], ...]'

Each entry goes through the job's own `run(spark, argv)`, the function its command line calls, so reading and
writing (local or s3a://) are exactly the job's. Prints one JSON line per run: {"job", "out", "ok", "error"}.
Exit 1 when any run failed."""

from __future__ import annotations

import importlib
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "spark-jobs"))

from pyspark.sql import SparkSession  # noqa: E402


def main() -> int:
    runs = json.loads(sys.argv[1])
    spark = SparkSession.builder.appName("s3-e2e").getOrCreate()
    failed = 0
    try:
        for job, argv in runs:
            module = importlib.import_module(job)
            started = time.time()
            try:
                module.run(spark, argv)
                out = argv[argv.index("--out") + 1]
                seconds = round(time.time() - started, 1)
                print(
                    json.dumps(
                        {"job": job, "out": out, "ok": True, "seconds": seconds}
                    ),
                    flush=True,
                )
            except Exception as e:  # noqa: BLE001 - reported as data, the test decides
                failed += 1
                print(
                    json.dumps(
                        {
                            "job": job,
                            "ok": False,
                            "error": f"{type(e).__name__}: {e}"[:500],
                        }
                    ),
                    flush=True,
                )
    finally:
        spark.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
