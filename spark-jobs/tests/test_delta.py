"""Delta Lake in and out, on gen's data converted to Delta (interactions partitioned by date, metadata by country):

- post and pre over the Delta input with the default Delta output give the tables of the Parquet path (Parquet in,
  --output-format parquet out: small_data.baseline), read back by an independent reader, the `deltalake` package
  (delta-rs, no Spark); _run.json names each table's version, and delta-rs finds exactly those versions;
- a run that fails midway (an input file gone: the scan fails after the window, the plan and part of the work)
  changes no table: every version and _run.json stay as they were;
- catalog names where paths go: `spark_catalog.<schema>.<table>` and `<schema>.<table>` inputs and a
  `spark_catalog.<schema>` output (Spark's session catalog with Delta's catalog: a real Unity Catalog cannot run
  here; the names have the same three-part form) give the same tables, the run recorded in the `_runs` table."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable
from pyspark.sql import SparkSession
from pyspark.testing import assertDataFrameEqual
from small_data import Baseline
from small_data import baseline as classic_baseline

from insights import definitions as d
from insights import runner
from insights.jobs import post as post_job
from insights.jobs import pre as pre_job

pytestmark = pytest.mark.spark


def rows(table: pa.Table) -> list[tuple]:
    """Order-free comparison: every row as a tuple of its columns in name order, sorted. Timestamps as UTC
    microseconds: Spark's Parquet writer stores them as INT96 (read back as naive nanoseconds), Delta as
    microseconds adjusted to UTC — the same instants."""
    names = sorted(table.column_names)
    utc = pa.timestamp("us", tz="UTC")
    columns = [
        (c.cast(utc) if pa.types.is_timestamp(c.type) else c).to_pylist() for c in (table.column(n) for n in names)
    ]
    return sorted(zip(*columns, strict=True), key=repr)


@pytest.fixture
def baseline(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    return classic_baseline(spark, tmp_path_factory)


def test_delta_in_and_out_and_a_failed_run(spark: SparkSession, baseline: Baseline, tmp_path: Path) -> None:
    delta_in = tmp_path / "delta-in"
    interactions = spark.read.parquet(str(baseline.data / "interactions"))
    interactions.write.format("delta").partitionBy("date").save(str(delta_in / "interactions"))
    metadata = spark.read.parquet(str(baseline.data / "metadata"))
    metadata.write.format("delta").partitionBy("country").save(str(delta_in / "metadata"))

    out = tmp_path / "delta-out"
    delta_args = [
        *("--interactions", str(delta_in / "interactions"), "--metadata", str(delta_in / "metadata")),
        *("--input-format", "delta", "--out", str(out)),
    ]
    info = post_job.run(spark, delta_args)
    before = (out / "_run.json").read_text()
    run = json.loads(before)
    assert run["versions"] == info["versions"] == {t: 0 for t in d.TABLES}
    assert run["output"] == {"location": str(out), "format": "delta"}
    assert run["window"] == baseline.info["window"]
    assert run["reconciliation"] == baseline.info["reconciliation"]
    for table in d.TABLES:
        delta = DeltaTable(str(out / table))
        assert delta.version() == run["versions"][table]
        got, want = delta.to_pyarrow_table(), pq.read_table(str(baseline.out / table))
        assert got.num_rows == want.num_rows > 0, table
        assert rows(got) == rows(want), table

    # pre reads the same Delta input through the same runner and must give the same tables (pre == post exactly).
    pre_out = tmp_path / "delta-out-pre"
    pre_info = pre_job.run(spark, [*delta_args[:-1], str(pre_out)])
    assert pre_info["versions"] == {t: 0 for t in d.TABLES}
    for table in d.TABLES:
        assert rows(DeltaTable(str(pre_out / table)).to_pyarrow_table()) == rows(
            pq.read_table(str(baseline.out / table))
        ), table

    victim = sorted((delta_in / "interactions").glob("date=*/*.parquet"))[-1]
    victim.unlink()
    with pytest.raises(Exception, match="(?i)not exist|FileNotFound|FAILED_READ_FILE"):
        post_job.run(spark, delta_args)
    assert (out / "_run.json").read_text() == before
    assert {t: DeltaTable(str(out / t)).version() for t in d.TABLES} == {t: 0 for t in d.TABLES}
    assert sorted(p.name for p in out.iterdir()) == sorted([*d.TABLES, "_run.json"])  # nothing half-written


def test_catalog_names_in_and_out(spark: SparkSession, baseline: Baseline, tmp_path: Path) -> None:
    schema = "insights_delta_test"
    spark.sql(f"CREATE DATABASE IF NOT EXISTS {schema} LOCATION '{tmp_path / 'warehouse'}'")
    try:
        interactions = spark.read.parquet(str(baseline.data / "interactions"))
        interactions.write.format("delta").partitionBy("date").saveAsTable(f"spark_catalog.{schema}.interactions")
        metadata = spark.read.parquet(str(baseline.data / "metadata"))
        metadata.write.format("delta").partitionBy("country").saveAsTable(f"{schema}.metadata")  # current catalog
        assert runner.is_table_name(f"{schema}.metadata") and not runner.is_table_name(str(tmp_path))
        info = post_job.run(
            spark,
            [
                *("--interactions", f"spark_catalog.{schema}.interactions", "--metadata", f"{schema}.metadata"),
                *("--out", f"spark_catalog.{schema}"),
            ],
        )
        assert info["window"] == baseline.info["window"]
        for table in d.TABLES:
            assertDataFrameEqual(
                spark.table(f"spark_catalog.{schema}.{table}"),
                spark.read.parquet(str(baseline.out / table)),
                checkRowOrder=False,
                rtol=0,
                atol=0,
            )
        runs = spark.table(f"spark_catalog.{schema}._runs").collect()
        assert len(runs) == 1 and runs[0]["run_id"] == info["run_id"]
        assert dict(runs[0]["versions"]) == {t: 0 for t in d.TABLES}
        assert json.loads(runs[0]["run_json"])["reconciliation"] == baseline.info["reconciliation"]
    finally:
        spark.sql(f"DROP DATABASE IF EXISTS {schema} CASCADE")
