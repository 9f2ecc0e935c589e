"""One SparkSession for the whole run (local[2], 4 shuffle partitions, UI off), and helpers that write fixtures in
the generator's layout: <root>/interactions/date=YYYY-MM-DD/*.parquet and <root>/metadata/country=XX/*.parquet."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import DateType, LongType, StringType, StructField, StructType, TimestampType

JOBS_DIR = Path(__file__).resolve().parents[1]
# The suite's Spark defaults (C1 only and the serial collector for short JVMs: test/spark-conf/spark-defaults.conf)
# for the session below and every spark-submit a test starts, unless the caller chose a conf folder.
os.environ.setdefault("SPARK_CONF_DIR", str(JOBS_DIR.parent / "test" / "spark-conf"))

INTERACTIONS_SCHEMA = StructType(
    [
        StructField("user_id", StringType(), True),
        StructField("timestamp", TimestampType(), False),
        StructField("action_type", StringType(), False),
        StructField("page_id", StringType(), False),
        StructField("duration_ms", LongType(), False),
        StructField("app_version", StringType(), False),
    ]
)
METADATA_SCHEMA = StructType(
    [
        StructField("user_id", StringType(), False),
        StructField("join_date", DateType(), False),
        StructField("country", StringType(), False),
        StructField("device_type", StringType(), False),
        StructField("subscription_type", StringType(), False),
    ]
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "spark: starts or uses a Spark JVM (seconds to minutes); -m 'not spark' skips")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that uses the Spark session is marked `spark`, so `pytest -m "not spark"` is the fast tier. Tests
    that start their own JVM (spark-submit) carry the mark themselves."""
    for item in items:
        if "spark" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.spark)


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    session = (
        SparkSession.builder.master("local[2]")
        .appName("insights-tests")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        # Delta Lake (the jobs' default output; jars from scripts/delta.sh): its SQL extension and catalog, and a
        # small state-reconstruction shuffle (Delta's default is 50 partitions per table read).
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def utc(text: str) -> dt.datetime:
    """'2024-01-30 10:00:00.001' as an aware UTC datetime (what the generator writes: isAdjustedToUTC=true)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc)


def write_layout(
    spark: SparkSession,
    root: Path,
    interactions: list[tuple],
    metadata: list[tuple],
    partition_of: dict[int, str] | None = None,
) -> None:
    """Writes rows in the generator's layout. The date partition is the UTC day of the timestamp unless
    partition_of maps a row index to another day (a future timestamp is stored where it came from)."""
    partition_of = partition_of or {}
    rows = [
        (*r, dt.date.fromisoformat(partition_of[i]) if i in partition_of else r[1].astimezone(dt.timezone.utc).date())
        for i, r in enumerate(interactions)
    ]
    schema = StructType([*INTERACTIONS_SCHEMA.fields, StructField("date", DateType(), False)])
    df: DataFrame = spark.createDataFrame(rows, schema)
    df.coalesce(1).write.mode("overwrite").partitionBy("date").parquet(str(root / "interactions"))
    meta = spark.createDataFrame(metadata, METADATA_SCHEMA)
    meta.coalesce(1).write.mode("overwrite").partitionBy("country").parquet(str(root / "metadata"))


def read_table(spark: SparkSession, out: Path, name: str) -> DataFrame:
    return spark.read.parquet(str(out / name))


def first(df: DataFrame, **where: object) -> dict:
    cond = F.lit(True)
    for k, v in where.items():
        cond = cond & (F.col(k) == F.lit(v))
    rows = df.where(cond).collect()
    assert len(rows) == 1, f"expected one row for {where}, found {len(rows)}"
    return rows[0].asDict()
