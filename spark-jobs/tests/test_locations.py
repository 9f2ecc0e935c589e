"""Where the jobs read and write, without Spark: catalog names vs paths, the output target's table names, the
`date=` partitions found in a file listing, the optimizer's size estimate parsed from EXPLAIN COST, and the
entry points failing with SystemExit (Databricks' wheel task ignores a returned exit code)."""

from __future__ import annotations

import datetime as dt

import pytest

from insights import runner
from insights.jobs import compact as compact_job
from insights.jobs import post as post_job


@pytest.mark.parametrize(
    "text,is_name",
    [
        ("main.insights.interactions", True),
        ("insights.metadata", True),
        ("spark_catalog.s.t", True),
        ("/data/interactions", False),
        ("s3a://bucket/data/interactions", False),
        ("file:/tmp/x", False),
        ("out", False),  # a relative folder
        ("./out.v2", False),
        ("a.b.c.d", False),
        ("/Volumes/main/raw/files/interactions", False),
    ],
)
def test_catalog_names_and_paths(text: str, is_name: bool) -> None:
    assert runner.is_table_name(text) is is_name


def test_output_target_names_tables_by_path_or_catalog() -> None:
    assert runner.Target("s3a://b/out/", "delta").table("daily") == "s3a://b/out/daily"
    assert runner.Target("s3a://b/out", "delta").sql_ref("daily") == "delta.`s3a://b/out/daily`"
    catalog = runner.Target("main.insights", "delta")
    assert catalog.is_catalog and catalog.table("daily") == catalog.sql_ref("daily") == "main.insights.daily"
    assert not runner.Target("/tmp/out", "parquet").is_catalog


def test_dates_from_a_file_listing() -> None:
    files = [
        "s3a://b/i/date=2026-01-02/part-1.parquet",
        "s3a://b/i/date=2026-01-01/part-0.parquet",
        "s3a://b/i/date=2026-01-02/part-2.parquet",
    ]
    assert runner._dates_from_files(files, "s3a://b/i") == [dt.date(2026, 1, 1), dt.date(2026, 1, 2)]
    with pytest.raises(runner.InputError, match="bad partition folder date=yesterday in s3a://b/i"):
        runner._dates_from_files(["s3a://b/i/date=yesterday/x.parquet"], "s3a://b/i")


@pytest.mark.parametrize(
    "plan,size",
    [
        ("Relation [a#1] parquet, Statistics(sizeInBytes=968.0 B)", 968),
        ("Filter ..., Statistics(sizeInBytes=2.5 KiB)\n+- Relation ..., Statistics(sizeInBytes=12.3 MiB)", 12897484),
        ("Relation ..., Statistics(sizeInBytes=1.2 TiB)", int(1.2 * 2**40)),
    ],
)
def test_size_estimate_from_explain_cost(plan: str, size: int) -> None:
    found = [float(n) * (1 << runner._UNIT[u]) for n, u in runner._SIZE.findall(plan)]
    assert int(max(found)) == size


def test_entry_point_raises_system_exit_on_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        post_job.main(["--interactions", "x", "--metadata", "y", "--out", "z", "--output-format", "csv"])
    assert exited.value.code == 2
    assert "post_optimization: usage error: argument --output-format: invalid choice" in capsys.readouterr().err


def test_delta_settings_only_when_a_run_uses_delta_or_catalog_names() -> None:
    parse = post_job.parser().parse_args
    assert runner.needs_delta(parse(["--interactions", "/i", "--metadata", "/m", "--out", "/o"]))  # delta output
    plain = ["--interactions", "/i", "--metadata", "/m", "--out", "/o", "--output-format", "parquet"]
    assert not runner.needs_delta(parse(plain))
    assert runner.needs_delta(parse(["--interactions", "main.raw.interactions", *plain[2:]]))
    assert not runner.needs_delta(compact_job.parser().parse_args(["--interactions", "/i", "--out", "/o"]))
