"""A small generated dataset shared by test_generated, test_connect and test_delta, and the classic run they all
compare with: `gen --scale 1mb --days 35 --skew 1.2 --bad-rows 0.01 --end 2026-11-30` (about 1 000 users, 205 k
events, 35 date folders, 3 MB; 4-5 s; the window is pinned: gen's default ends today), and post with the salted join
on it in the test session, Parquet in and out. One gen run and one post run per test session instead of one per
module (each job run is ~15-30 s of Spark planning and tiny stages on 2 cores, whatever the data size)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from insights.jobs import post as post_job

REPO = Path(__file__).resolve().parents[2]
GEN_ARGS = ["--scale", "1mb", "--days", "35", "--skew", "1.2", "--bad-rows", "0.01", "--end", "2026-11-30"]


@dataclass(frozen=True)
class Baseline:
    data: Path  # gen's output: data/interactions, data/metadata
    out: Path  # post's tables (--skew-mode salt), Parquet in and out, classic session
    info: dict  # its _run.json

    @property
    def inputs(self) -> list[str]:
        return ["--interactions", str(self.data / "interactions"), "--metadata", str(self.data / "metadata")]


def generate(out: Path) -> Path:
    subprocess.run(
        ["node", str(REPO / "bin" / "gen.js"), *GEN_ARGS, "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


BASELINE_FLAGS = ["--skew-mode", "salt"]
_CACHE: dict[str, object] = {}


def small_data(factory: pytest.TempPathFactory) -> Path:
    """Generated once per test run (a module-level cache: fixtures imported into two test modules would run twice)."""
    if "data" not in _CACHE:
        _CACHE["data"] = generate(factory.mktemp("small") / "data")
    return _CACHE["data"]  # type: ignore[return-value]


def baseline(spark: SparkSession, factory: pytest.TempPathFactory) -> Baseline:
    """post (--skew-mode salt: the hot users' facts join their segments through salted keys, sort-merge joins only)
    on small_data in the classic test session, Parquet in and out; once per test run."""
    if "baseline" not in _CACHE:
        data = small_data(factory)
        out = data.parent / "classic-post-parquet"
        inputs = ["--interactions", str(data / "interactions"), "--metadata", str(data / "metadata")]
        # Broadcast joins off, as at 1 TB where metadata cannot be broadcast: the salted join is then a sort-merge
        # join by (user_id, salt), the path the cluster study measures, and pre == post is proven on it.
        before = spark.conf.get("spark.sql.autoBroadcastJoinThreshold") or "10MB"
        spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "-1")
        try:
            info = post_job.run(spark, [*inputs, "--out", str(out), "--output-format", "parquet", *BASELINE_FLAGS])
        finally:
            spark.conf.set("spark.sql.autoBroadcastJoinThreshold", before)
        _CACHE["baseline"] = Baseline(data, out, info)
    return _CACHE["baseline"]  # type: ignore[return-value]
