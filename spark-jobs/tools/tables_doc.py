"""docs/tables.md from the code: every output table's columns and types come from OUTPUT_SCHEMAS in
insights/definitions.py; what each table and column means is written here, once, and this script refuses to render
if a column of the schema has no meaning or a meaning names a column the schema lacks. spark-jobs/tests/
test_tables_doc.py fails when the committed doc differs from what this prints.

    .venv/bin/python spark-jobs/tools/tables_doc.py            # rewrite docs/tables.md
    .venv/bin/python spark-jobs/tools/tables_doc.py --check    # exit 1 if docs/tables.md is out of date
    .venv/bin/python spark-jobs/tools/tables_doc.py --samples OUT   # docs/samples/*.csv from a real run's output

--samples reads the tables of a finished run (Parquet folders, or Delta tables through the `deltalake` package) with
pyarrow, never Spark, and keeps a few rows per table (SAMPLE_ROWS, chosen deterministically).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib
import io
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from insights import definitions as d  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "tables.md"
SAMPLES = ROOT / "docs" / "samples"
SAMPLE_ROWS = 5
SHOWN_ROWS = 3  # of each sample, in the doc itself

# How docs/samples/ was made: a real post run on a tiny generated dataset.
SAMPLE_COMMANDS = """\
npx gen --scale 2mb --metadata-scale 64kb --days 60 --end 2026-11-30 --bad-rows 0.01 --seed 42 \\
  --out /tmp/tables-sample/data
PATH=$PWD/.venv/bin:$PATH spark-submit spark-jobs/post_optimization.py \\
  --interactions /tmp/tables-sample/data/interactions --metadata /tmp/tables-sample/data/metadata \\
  --out /tmp/tables-sample/out
.venv/bin/python spark-jobs/tools/tables_doc.py --samples /tmp/tables-sample/out
.venv/bin/python spark-jobs/tools/tables_doc.py"""

_SEGMENT = {
    "country": "the user's country from metadata; `unknown` for users missing from metadata",
    "device_type": "the user's device type from metadata; `unknown` for users missing from metadata",
    "subscription_type": "the user's subscription from metadata; `unknown` for users missing from metadata",
}
_SESSIONS = {
    "sessions": "sessions that started on `date` (a session crossing midnight counts once, on its start day)",
    "avg_duration_ms": "mean session duration: first event to the latest capped event end, at most `--session-max`",
    "p50_duration_ms": "median session duration (exact `percentile`, linear interpolation)",
    "p90_duration_ms": "90th percentile of session duration",
    "p99_duration_ms": "99th percentile of session duration",
    "avg_actions": "mean number of events per session (lifecycle pings included)",
}


@dataclass(frozen=True)
class TableDoc:
    grain: str
    meaning: str
    columns: dict[str, str]


TABLES: dict[str, TableDoc] = {
    "daily": TableDoc(
        grain="one row per UTC day of the window with MAU > 0",
        meaning="Active users per day and their trailing 7- and 30-day counts.",
        columns={
            "date": "UTC day",
            "dau": "distinct users with at least one qualifying event (not `app_open` / `app_close`) on `date`",
            "wau": "distinct users active on any day of [date − 6, date]",
            "mau": "distinct users active on any day of [date − 29, date]",
            "stickiness": "dau / mau, rounded to 6 decimals",
            "new_users": "users active on `date` whose `join_date` is `date`",
        },
    ),
    "monthly": TableDoc(
        grain="one row per calendar month touched by the window",
        meaning="Distinct active users per calendar month, over the window's days only (first and last months may "
        "be partial).",
        columns={"month": "first day of the month", "mau": "distinct users active on any day of the month"},
    ),
    "daily_by_segment": TableDoc(
        grain="one row per (date, country, device_type, subscription_type) with MAU > 0",
        meaning="`daily` split by segment. Every user has exactly one segment, so segment rows add up to `daily`.",
        columns={
            "date": "UTC day",
            **_SEGMENT,
            "dau": "as in `daily`, within the segment",
            "wau": "as in `daily`, within the segment",
            "mau": "as in `daily`, within the segment",
            "new_users": "as in `daily`, within the segment",
        },
    ),
    "sessions_daily": TableDoc(
        grain="one row per UTC day on which a session started",
        meaning="Session metrics per day. A session is one user's accepted events, each at most `--session-gap` "
        "(30 min) after the previous one; an event's duration is capped at 1 h.",
        columns={
            "date": "UTC day the sessions started",
            **_SESSIONS,
            "avg_duration_uncapped_ms": "mean duration with raw event durations and no session cap: the caps' effect",
        },
    ),
    "sessions_by_segment": TableDoc(
        grain="one row per (date, country, device_type, subscription_type) with a session",
        meaning="`sessions_daily` split by segment (without the uncapped average).",
        columns={"date": "UTC day the sessions started", **_SEGMENT, **_SESSIONS},
    ),
    "quarantine": TableDoc(
        grain="one row per distinct rejected input row (duplicates collapsed) in the window's partitions",
        meaning="Every rejected row with all its input columns and the first rule it broke, so nothing is dropped "
        "silently; `_run.json` reconciles input = accepted + quarantined + duplicates.",
        columns={
            "user_id": "as in the input (null for `null_user_id`)",
            "timestamp": "as in the input",
            "action_type": "as in the input",
            "page_id": "as in the input",
            "duration_ms": "as in the input",
            "app_version": "as in the input",
            "date": "the input row's `date` partition (when it arrived)",
            "reason": "first rule broken: " + ", ".join(f"`{r}`" for r in d.QUARANTINE_REASONS),
        },
    ),
    "top_users": TableDoc(
        grain=f"the {d.TOP_USERS} users with the most accepted events in the window (ties by user_id)",
        meaning="The hot keys: bots, kiosks, test accounts and power users, with their share of all events.",
        columns={
            "user_id": "user",
            "events": "accepted events of the user in the window",
            "share": "events / all accepted events in the window, rounded to 6 decimals",
        },
    ),
    "app_versions_daily": TableDoc(
        grain="one row per (date, app_version) with an accepted event",
        meaning="Adoption of app versions: events and users per version and day.",
        columns={
            "date": "UTC day of the events",
            "app_version": "app version that sent the events",
            "events": "accepted events (lifecycle pings included)",
            "users": "distinct users who sent them",
        },
    ),
}


class DocError(Exception):
    """The documentation does not match the schemas: one line, exit 1."""


def _type_name(data_type: object) -> str:
    return data_type.simpleString()  # type: ignore[attr-defined]


def check_coverage(schemas: dict = d.OUTPUT_SCHEMAS, docs: dict[str, TableDoc] = TABLES) -> None:
    if list(schemas) != list(docs):
        raise DocError(f"tables: schemas have {list(schemas)}, tables_doc.py documents {list(docs)}")
    for name, schema in schemas.items():
        fields, described = schema.fieldNames(), list(docs[name].columns)
        if fields != described:
            missing = [c for c in fields if c not in described]
            extra = [c for c in described if c not in fields]
            raise DocError(
                f"table {name}: columns {fields}; undocumented {missing}, documented but absent {extra}"
                + ("" if missing or extra else " (order differs)")
            )


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def read_sample(name: str, samples: Path = SAMPLES) -> list[list[str]] | None:
    path = samples / f"{name}.csv"
    if not path.is_file():
        return None
    with open(path, newline="") as f:
        return list(csv.reader(f))


def render(samples: Path = SAMPLES) -> str:
    check_coverage()
    out = io.StringIO()
    w = out.write
    w("# Output tables\n\n")
    w(
        "<!-- Generated by spark-jobs/tools/tables_doc.py from OUTPUT_SCHEMAS in spark-jobs/insights/definitions.py; "
        "do not edit by hand: run `.venv/bin/python spark-jobs/tools/tables_doc.py`. -->\n\n"
    )
    w(
        "Both jobs (pre and post) write the same eight tables under `--out`, with exactly these columns and types "
        "(Spark SQL types: `bigint` is a 64-bit integer; every column nullable), plus `_run.json` (the job's "
        "arguments, window, Spark version, reconciliation and what it wrote). Rules behind each number: "
        "[metrics.md](metrics.md). Days are UTC days; averages and ratios are rounded to "
        f"{d.DECIMALS} decimals so that pre and post agree bit for bit.\n\n"
    )
    w("| table | grain |\n|---|---|\n")
    for name, doc in TABLES.items():
        w(_md_row([f"[`{name}`](#{name})", doc.grain]) + "\n")
    w("\n")
    for name, schema in d.OUTPUT_SCHEMAS.items():
        doc = TABLES[name]
        w(f"## {name}\n\n{doc.meaning}\n\nGrain: {doc.grain}.\n\n")
        w("| column | type | meaning |\n|---|---|---|\n")
        for field in schema.fields:
            w(_md_row([f"`{field.name}`", f"`{_type_name(field.dataType)}`", doc.columns[field.name]]) + "\n")
        rows = read_sample(name, samples)
        if rows:
            header, body = rows[0], rows[1:]
            if header != schema.fieldNames():
                raise DocError(f"docs/samples/{name}.csv: header {header}, schema {schema.fieldNames()}")
            w(
                f"\nSample ({min(SHOWN_ROWS, len(body))} of the {len(body)} rows in "
                f"[samples/{name}.csv](samples/{name}.csv)):\n\n"
            )
            w(_md_row(header) + "\n" + _md_row(["---"] * len(header)) + "\n")
            for row in body[:SHOWN_ROWS]:
                w(_md_row([v if v != "" else "∅" for v in row]) + "\n")
        w("\n")
    w("## Samples\n\n")
    w(
        f"`docs/samples/*.csv` hold up to {SAMPLE_ROWS} rows per table (∅ = null) from a real run of the post job on "
        "a tiny generated dataset, made with:\n\n"
    )
    w("```sh\n" + SAMPLE_COMMANDS + "\n```\n")
    return out.getvalue()


# --- samples from a real run ----------------------------------------------------------------------------------------
def _read_table(path: Path):  # noqa: ANN202 - a pyarrow.Table
    if (path / "_delta_log").is_dir():
        # The table's current version, never stale files; `deltalake` (delta-rs) reads it without Spark.
        return importlib.import_module("deltalake").DeltaTable(str(path)).to_pyarrow_table()
    import pyarrow.dataset as ds

    return ds.dataset(str(path), format="parquet").to_table()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value) if isinstance(value, float) else str(value)


def _pick(name: str, rows: list[dict]) -> list[dict]:
    """Deterministic and informative: the top of top_users, one row per reason of quarantine, else the last rows in
    key order (the columns in schema order): the window's last day, whose trailing 7 and 30 days are complete."""
    fields = d.OUTPUT_SCHEMAS[name].fieldNames()

    def key(r: dict) -> tuple:
        return tuple((r[c] is None, r[c]) for c in fields)

    if name == "top_users":
        return sorted(rows, key=lambda r: (-r["events"], r["user_id"]))[:SAMPLE_ROWS]
    if name == "quarantine":
        firsts: dict[str, dict] = {}
        for r in sorted(rows, key=key):
            firsts.setdefault(r["reason"], r)
        return sorted(firsts.values(), key=lambda r: d.QUARANTINE_REASONS.index(r["reason"]))[:SAMPLE_ROWS]
    return sorted(rows, key=key)[-SAMPLE_ROWS:]


def write_samples(out_dir: Path, samples: Path = SAMPLES) -> None:
    tables = {}
    for name, schema in d.OUTPUT_SCHEMAS.items():
        path = out_dir / name
        if not path.is_dir():
            raise DocError(f"{path}: not a table folder (expected the --out of a finished run)")
        table = _read_table(path)
        if table.column_names != schema.fieldNames():
            raise DocError(f"{path}: columns {table.column_names}, schema {schema.fieldNames()}")
        if table.num_rows == 0:
            raise DocError(f"{path}: no rows; a sample needs a run with data")
        tables[name] = _pick(name, table.to_pylist())
    samples.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(d.OUTPUT_SCHEMAS[name].fieldNames())
        for r in rows:
            writer.writerow([_cell(r[c]) for c in d.OUTPUT_SCHEMAS[name].fieldNames()])
        tmp = samples / f".{name}.csv.tmp"
        tmp.write_text(buf.getvalue())
        tmp.replace(samples / f"{name}.csv")  # never a half-written sample


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="tables_doc.py", description="docs/tables.md from the output schemas")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--check", action="store_true", help="exit 1 if docs/tables.md differs from the schemas")
    g.add_argument("--samples", metavar="OUT", type=Path, help="write docs/samples/*.csv from a finished run's --out")
    args = p.parse_args(argv)
    try:
        if args.samples:
            write_samples(args.samples)
            print(f"tables_doc: wrote {len(d.OUTPUT_SCHEMAS)} samples to {SAMPLES.relative_to(ROOT)}/")
            return 0
        text = render()
        if args.check:
            if not DOC.is_file() or DOC.read_text() != text:
                print(
                    "tables_doc: docs/tables.md is out of date: run .venv/bin/python spark-jobs/tools/tables_doc.py",
                    file=sys.stderr,
                )
                return 1
            return 0
        tmp = DOC.with_name(".tables.md.tmp")
        tmp.write_text(text)
        tmp.replace(DOC)
        print(f"tables_doc: wrote {DOC.relative_to(ROOT)}")
        return 0
    except DocError as e:
        print(f"tables_doc: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
