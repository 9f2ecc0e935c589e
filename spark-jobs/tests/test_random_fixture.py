"""A seeded skewed dataset (tests/random_fixture.py): pre == post exactly (every table, every skew mode), an
independent DuckDB implementation agrees with post, quarantine counts equal what was written, and --approx stays
within HLL's error of the exact counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import read_table, write_layout
from duckdb_reference import reference_tables
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.testing import assertDataFrameEqual
from random_fixture import random_dataset

import post_optimization
import pre_optimization
from insights import definitions as d


@pytest.fixture(scope="module")
def dataset(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    root = tmp_path_factory.mktemp("random")
    rows, metadata, partition_of, counts = random_dataset()
    write_layout(spark, root, rows, metadata, partition_of)
    return root, counts


def _run(spark: SparkSession, job: object, root: Path, name: str, *flags: str) -> Path:
    out = root / f"out-{name}"
    job.run(spark, ["--interactions", str(root / "interactions"), "--metadata", str(root / "metadata"),  # type: ignore[attr-defined]
                    "--out", str(out), *flags])
    return out


@pytest.fixture(scope="module")
def outputs(spark: SparkSession, dataset: tuple[Path, dict[str, int]]) -> dict[str, Path]:
    root, _ = dataset
    return {
        "pre": _run(spark, pre_optimization, root, "pre"),
        "post-salt": _run(spark, post_optimization, root, "post-salt", "--skew-mode", "salt", "--salt-buckets", "4",
                          "--hot-key-fraction", "0.2"),
        "post-approx": _run(spark, post_optimization, root, "post-approx", "--approx", "--skew-mode", "none"),
    }


def test_pre_equals_post_exactly(spark: SparkSession, outputs: dict[str, Path]) -> None:
    run = json.loads((outputs["post-salt"] / "_run.json").read_text())
    assert run["hot_users"] == ["u000"]  # the skewed user was found and salted
    for table in d.TABLES:
        assertDataFrameEqual(read_table(spark, outputs["post-salt"], table), read_table(spark, outputs["pre"], table),
                             checkRowOrder=False, rtol=0, atol=0)


def test_duckdb_reference_agrees_with_post(spark: SparkSession, dataset: tuple[Path, dict[str, int]],
                                          outputs: dict[str, Path]) -> None:
    root, _ = dataset
    reference = reference_tables(root)
    for table, arrow in reference.items():
        schema = d.OUTPUT_SCHEMAS[table]
        expected = spark.createDataFrame(arrow.select(schema.fieldNames()).to_pylist(), schema)
        actual = read_table(spark, outputs["post-salt"], table)
        assert expected.count() > 0, table
        assertDataFrameEqual(actual, expected, checkRowOrder=False, rtol=1e-9)


def test_quarantine_matches_what_was_written(spark: SparkSession, dataset: tuple[Path, dict[str, int]],
                                             outputs: dict[str, Path]) -> None:
    _, counts = dataset
    for out in outputs.values():
        rec = json.loads((out / "_run.json").read_text())["reconciliation"]
        assert rec["quarantined_rows"] == {r: counts[r] for r in d.QUARANTINE_REASONS}
        assert rec["duplicates_removed"] == counts["duplicate"]
        assert rec["input_rows"] == rec["accepted_rows"] + sum(rec["quarantined_rows"].values()) + counts["duplicate"]


def test_approx_mode_within_hll_error(spark: SparkSession, outputs: dict[str, Path]) -> None:
    exact = read_table(spark, outputs["pre"], "daily_by_segment")
    approx = read_table(spark, outputs["post-approx"], "daily_by_segment")
    keys = ["date", *d.SEGMENT_COLUMNS]
    joined = exact.alias("e").join(approx.alias("a"), keys)
    assert joined.count() == exact.count() == approx.count()
    worst = joined.select(
        F.max(F.abs(F.col("a.mau") - F.col("e.mau")) / F.col("e.mau")).alias("mau"),
        F.max(F.abs(F.col("a.wau") - F.col("e.wau")) / F.greatest(F.col("e.wau"), F.lit(1))).alias("wau"),
    ).first()
    assert worst["mau"] <= 0.05 and worst["wau"] <= 0.05, worst
    # dau and new_users stay exact in approx mode
    assertDataFrameEqual(approx.select(*keys, "dau", "new_users"), exact.select(*keys, "dau", "new_users"),
                         checkRowOrder=False)
