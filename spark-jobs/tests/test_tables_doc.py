"""docs/tables.md is generated from the output schemas (spark-jobs/tools/tables_doc.py) and must match them; the
committed samples (docs/samples/*.csv, from a real post run) must have each table's columns and parse as its types.
No Spark starts."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import JOBS_DIR
from pyspark.sql.types import LongType, StringType, StructField, StructType

from insights import definitions as d

_spec = importlib.util.spec_from_file_location("tables_doc", JOBS_DIR / "tools" / "tables_doc.py")
assert _spec is not None and _spec.loader is not None
tables_doc = importlib.util.module_from_spec(_spec)
sys.modules["tables_doc"] = tables_doc  # dataclasses look their module up there
_spec.loader.exec_module(tables_doc)


def test_committed_doc_is_what_the_schemas_produce() -> None:
    assert tables_doc.DOC.read_text() == tables_doc.render(), (
        "docs/tables.md is out of date: run .venv/bin/python spark-jobs/tools/tables_doc.py"
    )
    assert tables_doc.main(["--check"]) == 0


def test_check_fails_when_the_doc_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "tables.md"
    stale.write_text(tables_doc.render().replace("| `dau` | `bigint` |", "| `dau` | `int` |"))
    monkeypatch.setattr(tables_doc, "DOC", stale)
    assert tables_doc.main(["--check"]) == 1
    assert capsys.readouterr().err.strip().startswith("tables_doc: docs/tables.md is out of date")


def test_a_column_added_or_removed_in_the_code_without_docs_is_an_error() -> None:
    added = dict(d.OUTPUT_SCHEMAS)
    added["daily"] = StructType([*d.OUTPUT_SCHEMAS["daily"].fields, StructField("churned", LongType(), True)])
    with pytest.raises(tables_doc.DocError, match=r"undocumented \['churned'\]"):
        tables_doc.check_coverage(added)
    removed = dict(d.OUTPUT_SCHEMAS)
    removed["top_users"] = StructType([f for f in d.OUTPUT_SCHEMAS["top_users"].fields if f.name != "share"])
    with pytest.raises(tables_doc.DocError, match=r"documented but absent \['share'\]"):
        tables_doc.check_coverage(removed)
    renamed = {**d.OUTPUT_SCHEMAS, "weekly": StructType([StructField("week", StringType(), True)])}
    with pytest.raises(tables_doc.DocError, match="weekly"):
        tables_doc.check_coverage(renamed)


_PARSERS: dict[str, Callable[[str], Any]] = {
    "bigint": int,
    "double": float,
    "string": str,
    "date": dt.date.fromisoformat,
    "timestamp": lambda v: dt.datetime.strptime(v, "%Y-%m-%dT%H:%M:%S.%fZ"),
}


def _parse(type_name: str, value: str) -> Any:
    return None if value == "" else _PARSERS[type_name](value)


@pytest.mark.parametrize("table", d.TABLES)
def test_sample_has_the_tables_columns_and_types(table: str) -> None:
    path = tables_doc.SAMPLES / f"{table}.csv"
    with open(path, newline="") as f:
        header, *rows = list(csv.reader(f))
    schema = d.OUTPUT_SCHEMAS[table]
    assert header == schema.fieldNames(), path
    assert 1 <= len(rows) <= tables_doc.SAMPLE_ROWS, path
    for row in rows:
        assert len(row) == len(header), row
        parsed = {f.name: _parse(f.dataType.simpleString(), v) for f, v in zip(schema.fields, row, strict=True)}
        if table == "quarantine":
            assert parsed["reason"] in d.QUARANTINE_REASONS
        if table == "daily":
            assert 0 <= parsed["dau"] <= parsed["wau"] <= parsed["mau"], row
