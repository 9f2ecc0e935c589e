"""On the generator's data (small_data.py: `gen --scale 1mb --days 35 --skew 1.2 --bad-rows 0.01 --end
2026-11-30`): pre == post (salted join) exactly, an independent DuckDB implementation agrees with post, the manifest's
hot keys are found, quarantine counts equal the manifest's exact bad-row counts, and --approx stays within HLL's error
of the exact counts. Three job runs in all (post's shared with test_connect and test_delta): each costs ~15-30 s of
Spark overhead on 2 cores, whatever the data size."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from conftest import read_table
from duckdb_reference import reference_tables
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.testing import assertDataFrameEqual
from small_data import baseline

from insights import definitions as d
from insights.jobs import post as post_job
from insights.jobs import pre as pre_job


@pytest.fixture(scope="module")
def generated(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict[str, Path]]:
    """small_data's dataset and the session's shared post run (salted join, Parquet out: small_data.baseline), plus
    pre and post --approx on the same data here: three job runs, one of them shared with test_connect and
    test_delta."""
    shared = baseline(spark, tmp_path_factory)
    data = shared.data
    manifest = json.loads((data / "_manifest.json").read_text())
    outs = {"post": shared.out}
    runs: tuple[tuple[str, ModuleType, list[str]], ...] = (
        ("pre", pre_job, []),
        ("post-approx", post_job, ["--approx"]),
    )
    for name, job, flags in runs:
        outs[name] = data.parent / f"generated-{name}"
        job.run(spark, [*shared.inputs, "--out", str(outs[name]), *flags])
    return data, manifest, outs


def test_pre_equals_post_on_generated_data(spark: SparkSession, generated: tuple[Path, dict, dict[str, Path]]) -> None:
    _, _, outs = generated
    for table in d.TABLES:
        post = read_table(spark, outs["post"], table)
        assert post.count() > 0, table
        assertDataFrameEqual(post, read_table(spark, outs["pre"], table), checkRowOrder=False, rtol=0, atol=0)


def test_quarantine_equals_manifest(spark: SparkSession, generated: tuple[Path, dict, dict[str, Path]]) -> None:
    _, manifest, outs = generated
    bad = manifest["badRows"]
    for out in outs.values():
        rec = json.loads((out / "_run.json").read_text())["reconciliation"]
        assert rec["quarantined_rows"] == {r: bad[r] for r in d.QUARANTINE_REASONS}
        assert rec["duplicates_removed"] == bad["duplicate"]
        assert rec["input_rows"] == manifest["interactions"]["rows"]
    by_reason = {
        r["reason"]: r["count"]
        for r in read_table(spark, outs["post"], "quarantine").groupBy("reason").count().collect()
    }
    assert by_reason == {r: bad[r] for r in d.QUARANTINE_REASONS}


def test_hot_keys_found(spark: SparkSession, generated: tuple[Path, dict, dict[str, Path]]) -> None:
    _, manifest, outs = generated
    top = [
        r["user_id"]
        for r in read_table(spark, outs["post"], "top_users").orderBy("events", ascending=False).limit(3).collect()
    ]
    assert top == [k["user_id"] for k in manifest["hotKeys"][:3]]
    run = json.loads((outs["post"] / "_run.json").read_text())
    assert manifest["hotKeys"][0]["user_id"] in run["hot_users"]


def test_duckdb_reference_agrees_with_post(spark: SparkSession, generated: tuple[Path, dict, dict[str, Path]]) -> None:
    data, _, outs = generated
    for table, arrow in reference_tables(data).items():
        schema = d.OUTPUT_SCHEMAS[table]
        # Spark 4 takes an Arrow table directly (much faster than Python rows); then cast to the contract's types
        expected = spark.createDataFrame(arrow.select(schema.fieldNames())).transform(d.conform(table))
        assert expected.count() > 0, table
        assertDataFrameEqual(read_table(spark, outs["post"], table), expected, checkRowOrder=False, rtol=1e-9)


def test_approx_mode_within_hll_error(spark: SparkSession, generated: tuple[Path, dict, dict[str, Path]]) -> None:
    _, _, outs = generated
    for table, keys in (("daily", ["date"]), ("daily_by_segment", ["date", *d.SEGMENT_COLUMNS])):
        exact = read_table(spark, outs["pre"], table)
        approx = read_table(spark, outs["post-approx"], table)
        joined = exact.alias("e").join(approx.alias("a"), keys)
        assert joined.count() == exact.count() == approx.count()
        err = joined.select(
            *[
                F.max(F.abs(F.col(f"a.{m}") - F.col(f"e.{m}")) / F.greatest(F.col(f"e.{m}"), F.lit(1))).alias(m)
                for m in ("wau", "mau")
            ]
        ).first()
        assert err is not None
        # lgConfigK 12: ~1.6 % standard error; 5 % is beyond 3 sigma. Small segments are exact (linear counting).
        assert err["wau"] <= 0.05 and err["mau"] <= 0.05, (table, err)
        assertDataFrameEqual(
            approx.select(*keys, "dau", "new_users"),
            exact.select(*keys, "dau", "new_users"),
            checkRowOrder=False,
            rtol=0,
            atol=0,
        )
