"""post --silver: the session pieces kept per date partition give the tables of the classic run bit for bit, and a
second run recomputes only the date whose files changed.

On a copy of small_data's interactions (35 dates): run 1 fills the silver folder (every date recomputed) and must
equal small_data.baseline's tables (post on the same data without --silver); then one file of one date is copied
under a new name (every row of that file now has an exact copy), and run 2 must recompute that date alone, keep the
tables identical (copies never change a metric) and count the copied rows as duplicates removed."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import read_table
from pyspark.sql import SparkSession
from pyspark.testing import assertDataFrameEqual
from small_data import BASELINE_FLAGS, baseline

from insights import definitions as d
from insights import runner, silver
from insights.jobs import post as post_job


def test_stale_dates_are_new_changed_redefined_or_forced() -> None:
    a, b, c, e = (dt.date(2026, 11, day) for day in (1, 2, 3, 4))
    stored = {a: ("fa", "def"), b: ("fb", "def"), c: ("fc", "old")}
    sources = {a: "fa", b: "fb-rewritten", c: "fc", e: "fe"}
    assert silver.stale_dates([a, b, c, e], sources, stored, "def") == [b, c, e]
    assert silver.stale_dates([a], sources, stored, "def", recompute_since=a) == [a]
    assert silver.stale_dates([a], sources, stored, "def", recompute_since=b) == []


def test_definition_tag_changes_with_the_rules() -> None:
    base = {"session_gap_ms": 1_800_000, **d.DEFAULT_VOCABULARY.as_dict()}
    assert silver.definition_tag(base) == silver.definition_tag(dict(base))
    assert silver.definition_tag(base) != silver.definition_tag({**base, "session_gap_ms": 60_000})


def _run(spark: SparkSession, argv: list[str]) -> dict:
    # As small_data.baseline ran: broadcast joins off, so the salted join is a sort-merge join.
    before = spark.conf.get("spark.sql.autoBroadcastJoinThreshold") or "10MB"
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "-1")
    try:
        return post_job.run(spark, argv)
    finally:
        spark.conf.set("spark.sql.autoBroadcastJoinThreshold", before)


def _assert_tables_equal(spark: SparkSession, out: Path, expected: Path) -> None:
    for table in d.TABLES:
        assertDataFrameEqual(
            read_table(spark, out, table), read_table(spark, expected, table), checkRowOrder=False, rtol=0, atol=0
        )


@pytest.mark.spark
def test_silver_equals_classic_and_recomputes_only_changed_dates(
    spark: SparkSession, tmp_path_factory: pytest.TempPathFactory
) -> None:
    shared = baseline(spark, tmp_path_factory)
    work = tmp_path_factory.mktemp("silver")
    interactions = work / "interactions"
    shutil.copytree(shared.data / "interactions", interactions)
    store = work / "silver"
    argv = [
        "--interactions",
        str(interactions),
        "--metadata",
        str(shared.data / "metadata"),
        "--output-format",
        "parquet",
        "--silver",
        str(store),
        *BASELINE_FLAGS,
    ]

    first = _run(spark, [*argv, "--out", str(work / "out1")])
    dates = sorted(p.name[5:] for p in interactions.iterdir() if p.name.startswith("date="))
    assert first["silver"]["dates_recomputed"] == dates
    assert first["silver"]["dates_reused"] == 0
    assert first["reconciliation"] == shared.info["reconciliation"]
    _assert_tables_equal(spark, work / "out1", shared.out)

    changed = interactions / f"date={dates[10]}"
    source = sorted(changed.glob("*.parquet"))[0]
    copied = pq.read_metadata(source).num_rows
    shutil.copy(source, changed / f"copy-{source.name}")

    second = _run(spark, [*argv, "--out", str(work / "out2")])
    assert second["silver"]["dates_recomputed"] == [dates[10]]
    assert second["silver"]["dates_reused"] == len(dates) - 1
    expected = json.loads(json.dumps(shared.info["reconciliation"]))
    expected["input_rows"] += copied
    expected["duplicates_removed"] += copied
    assert second["reconciliation"] == expected
    _assert_tables_equal(spark, work / "out2", shared.out)


@pytest.mark.spark
def test_recompute_since_needs_silver(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> None:
    shared = baseline(spark, tmp_path_factory)
    with pytest.raises(runner.UsageError, match="--recompute-since needs --silver"):
        post_job.run(
            spark, [*shared.inputs, "--out", str(tmp_path_factory.mktemp("x")), "--recompute-since", "2026-11-01"]
        )
