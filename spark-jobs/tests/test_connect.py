"""Both jobs over Spark Connect (what Databricks serverless, standard access mode and Databricks Connect speak):
pre and post run in one local Connect server (tests/connect_run.py, a separate process: `_jvm`, `_jsc` and
`sparkContext` raise there) on small generated data, with the default Delta output. Every table must equal, row
for row, the classic session's post run on the same data (the `run(spark, argv)` that spark-submit calls; Parquet
in and out); pre == post exactly is proven on generated data by test_generated.py. The Connect runs' _run.json
must record a Delta version per table."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import JOBS_DIR
from pyspark.sql import SparkSession
from pyspark.testing import assertDataFrameEqual
from small_data import baseline, small_data

from insights import definitions as d

pytestmark = pytest.mark.spark


def test_pre_and_post_over_spark_connect_equal_classic(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data = small_data(tmp_path_factory)
    root = data.parent / "connect"
    inputs = ["--interactions", str(data / "interactions"), "--metadata", str(data / "metadata")]
    runs = [
        ["pre", [*inputs, "--out", str(root / "pre")]],
        ["post", [*inputs, "--out", str(root / "post"), "--skew-mode", "salt"]],
    ]
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1"}
    env.pop("SPARK_REMOTE", None)
    result = subprocess.run(
        [sys.executable, str(JOBS_DIR / "tests" / "connect_run.py"), json.dumps(runs)],
        capture_output=True,
        text=True,
        timeout=1800,
        env=env,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [(r["job"], r["ok"]) for r in lines] == [("pre", True), ("post", True)], (
        result.stdout[-2000:] + result.stderr[-3000:]
    )
    assert all(r["connect"] for r in lines), "connect_run.py did not get a Spark Connect session"

    # The classic session only now: the Connect server's JVM has exited (one Spark JVM at a time on 2 cores).
    spark: SparkSession = request.getfixturevalue("spark")
    classic = baseline(spark, tmp_path_factory)
    for job in ("pre", "post"):
        run = json.loads((root / job / "_run.json").read_text())
        assert run["output"] == {"location": str(root / job), "format": "delta"}
        assert sorted(run["versions"]) == sorted(d.TABLES) and set(run["versions"].values()) == {0}
        assert run["reconciliation"] == classic.info["reconciliation"]
        for table in d.TABLES:
            over_connect = spark.read.format("delta").load(str(root / job / table))
            want = spark.read.parquet(str(classic.out / table))
            if table == "daily":
                assert want.count() == 35, "the window: 35 days of data"
            assertDataFrameEqual(over_connect, want, checkRowOrder=False, rtol=0, atol=0)
