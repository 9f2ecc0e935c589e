"""Runs job invocations over ONE local Spark Connect server (a server start costs 15-30 s on 2 shared cores):

    python tests/connect_run.py '[["pre", ["--interactions", ...]], ["post", [...]]]'

`SparkSession.builder.remote("local[2]")` starts a Spark Connect server in a JVM of its own and returns a Connect
client session: `_jvm`, `_jsc` and `sparkContext` raise there, exactly as on Databricks serverless or Databricks
Connect. Each entry goes through the job's own `run(spark, argv)`. Prints one JSON line per run
({"job", "ok", "connect", "info" | "error"}); exit 1 when any run failed."""

from __future__ import annotations

import importlib
import json
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pyspark.sql import SparkSession  # noqa: E402

from insights import runner  # noqa: E402

SERVER_CONF = {
    **runner.DELTA_SESSION,
    "spark.sql.shuffle.partitions": "4",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.memory": "1g",
    "spark.sql.session.timeZone": "UTC",
    "spark.databricks.delta.snapshotPartitions": "2",
}


def main() -> int:
    runs = json.loads(sys.argv[1])
    builder = SparkSession.builder.remote("local[2]")
    for key, value in SERVER_CONF.items():
        builder = builder.config(key, value)
    with warnings.catch_warnings():
        # The client re-sends every builder setting after the server started; static ones warn that they cannot
        # change (they were applied to the server already).
        warnings.simplefilter("ignore")
        spark = builder.getOrCreate()
    connect = type(spark).__module__.startswith("pyspark.sql.connect")
    failed = 0
    try:
        for job, argv in runs:
            module = importlib.import_module(f"insights.jobs.{job}")
            try:
                info = module.run(spark, argv)
                print(json.dumps({"job": job, "ok": True, "connect": connect, "info": info}, default=str), flush=True)
            except Exception as e:  # noqa: BLE001 - reported as data, the test decides
                failed += 1
                print(
                    json.dumps(
                        {"job": job, "ok": False, "connect": connect, "error": f"{type(e).__name__}: {e}"[:800]}
                    ),
                    flush=True,
                )
    finally:
        spark.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
