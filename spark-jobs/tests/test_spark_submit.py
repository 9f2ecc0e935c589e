"""The jobs as users run them: through spark-submit, in a fresh JVM. Exit codes (2 usage, 1 bad input; 0 for good
input in test_documented_commands.py), one line on stderr, and a failed run leaves the previous output intact."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pyspark
import pytest
from conftest import JOBS_DIR, utc, write_layout
from pyspark.sql import SparkSession

from insights import definitions as d

pytestmark = pytest.mark.spark  # every test here runs spark-submit (a JVM)

SPARK_SUBMIT = Path(os.environ.get("VIRTUAL_ENV", JOBS_DIR.parent / ".venv")) / "bin" / "spark-submit"
CONF = [
    "--master",
    "local[2]",
    "--driver-memory",
    "1g",
    "--conf",
    "spark.ui.enabled=false",
    "--conf",
    "spark.sql.shuffle.partitions=4",
    "--conf",
    "spark.ui.showConsoleProgress=false",
]


# spark-submit finds Spark through SPARK_HOME (else through whatever python3 is first on PATH).
ENV = {
    **os.environ,
    "SPARK_HOME": str(Path(pyspark.__file__).parent),
    "PYSPARK_PYTHON": sys.executable,
    "PYSPARK_DRIVER_PYTHON": sys.executable,
    "SPARK_LOCAL_IP": "127.0.0.1",
}


def submit(job: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SPARK_SUBMIT), *CONF, str(JOBS_DIR / job), *args], capture_output=True, text=True, timeout=300, env=ENV
    )


def last_line(result: subprocess.CompletedProcess) -> str:
    """The job's own message: exactly one line prefixed with the job name. spark-submit's PythonRunner merges the
    Python process's stderr into its stdout, and the JVM adds its own log lines: look at both."""
    text = result.stdout + result.stderr
    ours = [line for line in text.splitlines() if line.startswith(("pre_optimization:", "post_optimization:"))]
    assert len(ours) == 1, text[-3000:]
    return ours[0]


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_usage_error_exits_2_with_one_line() -> None:
    result = submit("pre_optimization.py", "--interactions", "x", "--metadata", "y")
    assert result.returncode == 2, result.stderr[-2000:]
    assert last_line(result).startswith("pre_optimization: usage error: the following arguments are required")


def test_run_then_failed_rerun_keeps_previous_output(spark: SparkSession, tmp_path: Path) -> None:
    rows = [
        ("u1", utc("2024-03-01 10:00:00"), "edit", "p1", 1000, "5.0.0"),
        ("u2", utc("2024-03-02 10:00:00"), "page_view", "p1", 1000, "5.0.0"),
    ]
    write_layout(spark, tmp_path, rows, [("u1", dt.date(2024, 3, 1), "US", "iPad", "free")])
    out = tmp_path / "out"
    args = [
        "--interactions",
        str(tmp_path / "interactions"),
        "--metadata",
        str(tmp_path / "metadata"),
        "--out",
        str(out),
    ]
    # The first run in-process (the same run() the command line calls; no JVM start): spark-submit exiting 0 on good
    # input is what test_documented_commands.py proves for every documented job command.
    from insights.jobs import post as post_job

    post_job.run(spark, args)
    assert listing(out) == sorted([*d.TABLES, "_run.json"])  # no staging left behind
    before = (out / "_run.json").read_text()
    assert json.loads(before)["reconciliation"]["accepted_rows"] == 2

    # corrupt input: a file that is not Parquet in a partition the window reads
    (tmp_path / "interactions" / "date=2024-03-02" / "part-00009.parquet").write_bytes(b"not parquet at all")
    failed = submit("post_optimization.py", *args)
    assert failed.returncode == 1, failed.stderr[-3000:]
    assert last_line(failed).startswith("post_optimization: error:")
    assert (out / "_run.json").read_text() == before
    assert listing(out) == sorted([*d.TABLES, "_run.json"])


def test_missing_input_is_one_line_naming_the_path(spark: SparkSession, tmp_path: Path) -> None:
    # in-process (no JVM start): the listing happens before any Spark job
    from insights import runner
    from insights.jobs import pre as pre_job

    with pytest.raises(runner.InputError, match=f"^input not found: {tmp_path / 'nope'}$"):
        pre_job.run(spark, ["--interactions", str(tmp_path / "nope"), "--metadata", "m", "--out", "o"])
