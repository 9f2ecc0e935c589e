"""What both jobs share around the computation: the command line, the window, reading with partition pruning,
the atomic rewrite of the output and `_run.json`. Paths go through the Hadoop FileSystem API (local or s3a://)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from insights import definitions as d


class UsageError(Exception):
    """Bad command line: one line on stderr, exit 2."""


class InputError(Exception):
    """Missing or unreadable input: one line naming the path, exit 1, previous output intact."""


_DURATION = re.compile(r"^(\d+)(ms|s|m|h|d)$")
_UNIT_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}


def parse_duration_ms(text: str) -> int:
    m = _DURATION.match(text.strip())
    if not m or int(m.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive duration like 30m, 90s, 24h or 1500ms, got {text!r}")
    return int(m.group(1)) * _UNIT_MS[m.group(2)]


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def parse_window_date(text: str) -> dt.date | None:
    """--start/--end: an empty value means the default, because a scheduler's parameter list (a Databricks job,
    databricks.yml) cannot leave a flag out."""
    return parse_date(text) if text.strip() else None


def parse_actions(text: str) -> tuple[str, ...]:
    """'page_view,click, edit' -> ('page_view', 'click', 'edit'); order kept, duplicates removed."""
    names = [n.strip() for n in text.split(",")]
    if any(not n for n in names) and text.strip():
        raise argparse.ArgumentTypeError(f"expected comma-separated action names without empty ones, got {text!r}")
    return tuple(dict.fromkeys(n for n in names if n))


def vocabulary(args: argparse.Namespace) -> d.Vocabulary:
    """The run's event vocabulary from --valid-actions / --lifecycle-actions (a UsageError when inconsistent)."""
    try:
        return d.Vocabulary(tuple(args.valid_actions), tuple(args.lifecycle_actions))
    except ValueError as e:
        raise UsageError(f"--valid-actions/--lifecycle-actions: {e}") from None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def base_parser(prog: str) -> argparse.ArgumentParser:
    p = _Parser(prog=prog, description="DAU/WAU/MAU, sessions and segments from interactions + metadata.")
    p.add_argument("--interactions", required=True, help="folder with date=YYYY-MM-DD/ partitions (local or s3a://)")
    p.add_argument("--metadata", required=True, help="folder with country=XX/ partitions")
    p.add_argument("--out", required=True, help="output folder; tables are replaced atomically")
    p.add_argument("--start", type=parse_window_date, help="first day (UTC), default (or empty): end - 364 days")
    p.add_argument(
        "--end", type=parse_window_date, help="last day (UTC), default (or empty): the newest date partition"
    )
    p.add_argument(
        "--session-gap",
        type=parse_duration_ms,
        default=d.DEFAULT_SESSION_GAP_MS,
        metavar="DURATION",
        help="inactivity that ends a session (gap <= this stays in the session), default 30m",
    )
    p.add_argument(
        "--valid-actions",
        type=parse_actions,
        default=d.ACTION_TYPES,
        metavar="A,B,...",
        help="action types that are valid (others are quarantined as unknown_action_type), default: "
        + ",".join(d.ACTION_TYPES),
    )
    p.add_argument(
        "--lifecycle-actions",
        type=parse_actions,
        default=d.LIFECYCLE_ACTION_TYPES,
        metavar="A,B,...",
        help="valid action types that are lifecycle pings (in sessions, never make a user active), default: "
        + ",".join(d.LIFECYCLE_ACTION_TYPES),
    )
    p.add_argument(
        "--session-max",
        type=parse_duration_ms,
        default=d.DEFAULT_SESSION_MAX_MS,
        metavar="DURATION",
        help="cap on one session's duration, default 24h",
    )
    return p


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date

    @property
    def lookback_start(self) -> dt.date:
        """Trailing MAU on the first day needs the 29 days before it."""
        return self.start - dt.timedelta(days=d.MAU_DAYS - 1)


@dataclass
class JobContext:
    spark: SparkSession
    args: argparse.Namespace
    window: Window
    run_info: dict = field(default_factory=dict)

    @property
    def vocabulary(self) -> d.Vocabulary:
        return vocabulary(self.args)


@dataclass(frozen=True)
class JobOutput:
    """What a job's compute returns: the tables to write, in order, and the reconciliation run after the writes."""

    tables: dict[str, DataFrame]
    reconcile: Callable[[], dict | None]


def assemble(
    *,
    window: Window,
    raw: DataFrame,
    counts: DataFrame,
    release: tuple[DataFrame, ...] = (),
    **tables: DataFrame,
) -> JobOutput:
    """The eight output tables of pre and post, each conformed to its schema (d.OUTPUT_SCHEMAS), and the
    reconciliation both jobs publish: `raw` is the input as read (counted over the window's partitions), `counts`
    the per-reason rows and duplicates (d.reconciliation_counts shape) over the same partitions. `release` are the
    job's cached frames, unpersisted once the counts are in."""
    if sorted(tables) != sorted(d.TABLES):
        raise ValueError(f"tables: expected {sorted(d.TABLES)}, got {sorted(tables)}")

    def reconcile() -> dict:
        result = d.reconciliation(raw.where(d.in_window(window.start, window.end)).count(), counts.collect())
        for cached in release:
            cached.unpersist()
        return result

    return JobOutput({name: tables[name].transform(d.conform(name)) for name in d.TABLES}, reconcile)


# --- file system through the JVM -------------------------------------------------------------------------------
def _fs(spark: SparkSession, path: str):  # noqa: ANN202 - a py4j proxy
    jvm = spark._jvm
    assert jvm is not None, "classic Spark only"
    jpath = jvm.org.apache.hadoop.fs.Path(path)
    return jpath.getFileSystem(spark._jsc.hadoopConfiguration()), jpath


def _path(spark: SparkSession, *parts: str):  # noqa: ANN202
    jvm = spark._jvm
    assert jvm is not None, "classic Spark only"
    return jvm.org.apache.hadoop.fs.Path("/".join(p.rstrip("/") for p in parts))


def partition_dates(spark: SparkSession, interactions: str) -> list[dt.date]:
    """The `date=` partition values, from a directory listing: no file is opened."""
    fs, root = _fs(spark, interactions)
    if not fs.exists(root):
        raise InputError(f"input not found: {interactions}")
    dates = []
    for status in fs.listStatus(root):
        name = status.getPath().getName()
        if status.isDirectory() and name.startswith("date="):
            try:
                dates.append(dt.date.fromisoformat(name[5:]))
            except ValueError:
                raise InputError(f"bad partition folder {name} in {interactions}") from None
    if not dates:
        raise InputError(f"no date=YYYY-MM-DD partitions in {interactions}")
    return sorted(dates)


def input_bytes(spark: SparkSession, interactions: str, first: dt.date, last: dt.date) -> int:
    """Bytes of the date folders in [first, last], from the file system's own summary (no file opened)."""
    fs, _ = _fs(spark, interactions)
    days = [day for day in partition_dates(spark, interactions) if first <= day <= last]
    return sum(fs.getContentSummary(_path(spark, interactions, f"date={day}")).getLength() for day in days)


def resolve_window(spark: SparkSession, args: argparse.Namespace) -> Window:
    dates = partition_dates(spark, args.interactions)
    end = args.end or dates[-1]
    start = args.start or end - dt.timedelta(days=364)
    if start > end:
        raise UsageError(f"--start {start} is after --end {end}")
    # Clip to the data so tables hold no rows for days before the first partition.
    return Window(max(start, dates[0]), end)


def read_interactions(spark: SparkSession, path: str, first: dt.date, last: dt.date) -> DataFrame:
    """Partition pruning: only date folders in [first, last] are listed and read."""
    df = spark.read.option("basePath", path).parquet(path)
    missing = [c for c in [*d.INTERACTION_COLUMNS, "date"] if c not in df.columns]
    if missing:
        raise InputError(f"{path}: expected columns {list(d.INTERACTION_COLUMNS)} + date, missing {missing}")
    return df.where(F.col("date").between(F.lit(first), F.lit(last))).select(*d.INTERACTION_COLUMNS, "date")


def read_metadata(spark: SparkSession, path: str) -> DataFrame:
    fs, root = _fs(spark, path)
    if not fs.exists(root):
        raise InputError(f"input not found: {path}")
    df = spark.read.option("basePath", path).parquet(path)
    missing = [c for c in [*d.METADATA_COLUMNS, "country"] if c not in df.columns]
    if missing:
        raise InputError(f"{path}: expected columns {list(d.METADATA_COLUMNS)} + country, missing {missing}")
    return df.select("user_id", "join_date", *d.SEGMENT_COLUMNS)


# --- atomic output ---------------------------------------------------------------------------------------------
def write_tables(spark: SparkSession, out: str, tables: dict[str, DataFrame], run_info: Callable[[], dict]) -> None:
    """Write every table (as given: assemble() has conformed them) and _run.json under <out>/_staging-<id>, then
    swap them in. Until the swap, the previous tables are untouched; a failure while writing deletes the staging
    folder and re-raises."""
    run_id = uuid.uuid4().hex[:12]
    fs, out_root = _fs(spark, out)
    staging = _path(spark, out, f"_staging-{run_id}")
    try:
        for name, df in tables.items():
            df.write.mode("overwrite").parquet(str(_path(spark, str(staging), name)))
        info = run_info()
        fs.setWriteChecksum(False)  # no ._run.json.crc next to it on local disks
        stream = fs.create(_path(spark, str(staging), "_run.json"), True)
        stream.write(bytearray(json.dumps(info, indent=2, default=str).encode()))
        stream.close()
    except BaseException:
        fs.delete(staging, True)
        raise
    trash = _path(spark, out, f"_previous-{run_id}")
    fs.mkdirs(trash)
    for name in [*tables, "_run.json"]:
        target = _path(spark, out, name)
        if fs.exists(target):
            fs.rename(target, _path(spark, str(trash), name))
        if not fs.rename(_path(spark, str(staging), name), target):
            raise RuntimeError(f"could not move {name} into {out}")
    fs.delete(staging, True)
    fs.delete(trash, True)


# --- entry -----------------------------------------------------------------------------------------------------
def configure(spark: SparkSession) -> None:
    # Days are UTC days: to_date(timestamp) must not depend on the machine's zone.
    spark.conf.set("spark.sql.session.timeZone", "UTC")


def run_job(
    job_name: str,
    spark: SparkSession,
    args: argparse.Namespace,
    compute: Callable[[JobContext], JobOutput],
) -> dict:
    started = time.time()
    configure(spark)
    window = resolve_window(spark, args)
    ctx = JobContext(spark, args, window)
    ctx.run_info["vocabulary"] = ctx.vocabulary.as_dict()
    output = compute(ctx)
    info: dict = {}

    def run_info() -> dict:
        info.update(
            job=job_name,
            arguments={k: (str(v) if v is not None else None) for k, v in vars(args).items()},
            window={"start": str(window.start), "end": str(window.end), "lookback_start": str(window.lookback_start)},
            spark_version=spark.version,
            reconciliation=output.reconcile(),
            **ctx.run_info,
        )
        info["wall_seconds"] = round(time.time() - started, 3)
        return info

    write_tables(spark, args.out, output.tables, run_info)
    return info


def _java_summary(e: BaseException) -> str | None:
    """A Py4JJavaError's first line is "An error occurred while calling o557.collectToPython": useless. The Java
    exception chain holds what the user needs, e.g. "[FAILED_READ_FILE.NO_HINT] Encountered error while reading file
    s3a://b/x.parquet" caused by "... is not a Parquet file": one line of the outermost and one of the root cause."""
    je = getattr(e, "java_exception", None)
    if je is None:
        return None
    try:
        messages: list[str] = []
        while je is not None and len(messages) < 20:
            msg = (je.getMessage() or "").strip()
            if msg:
                messages.append(msg.splitlines()[0])
            je = je.getCause()
    except Exception:  # noqa: BLE001 - the JVM may be gone; fall back to the Python message
        return None
    if not messages:
        return None
    if len(messages) == 1 or messages[-1] == messages[0]:
        return messages[0]
    return f"{messages[0]} (cause: {messages[-1]})"


def _builder(job_name: str, defaults: dict[str, str]) -> SparkSession.Builder:
    """The session builder, with `defaults` for settings that must be fixed before the session starts, each only
    where spark-submit (--conf, spark-defaults.conf) did not set it. Over Spark Connect the server owns them."""
    builder = SparkSession.builder.appName(job_name)
    if defaults and not os.environ.get("SPARK_REMOTE"):
        from pyspark import SparkConf

        present = SparkConf()  # what spark-submit passed
        for key, value in defaults.items():
            if not present.contains(key):
                builder = builder.config(key, value)
    return builder


def main(
    job_name: str,
    parser: argparse.ArgumentParser,
    run: Callable[[SparkSession, list[str]], dict],
    argv: list[str] | None = None,
    session_defaults: dict[str, str] | None = None,
) -> int:
    """The whole command: parse (usage errors before a JVM starts), run, one line on success or failure. Returns the
    exit code (0 ok, 2 usage, 1 input or failure); the entry points pass it to sys.exit."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = parser.parse_args(argv)
        if hasattr(args, "valid_actions"):
            vocabulary(args)  # an inconsistent vocabulary is a usage error, before a JVM starts
    except UsageError as e:
        print(f"{job_name}: usage error: {e}", file=sys.stderr)
        return 2
    spark = _builder(job_name, session_defaults or {}).getOrCreate()
    code = 0
    try:
        info = run(spark, argv)
        print(f"{job_name}: wrote {args.out} in {info['wall_seconds']} s")
    except UsageError as e:
        print(f"{job_name}: usage error: {e}", file=sys.stderr)
        code = 2
    except InputError as e:
        print(f"{job_name}: error: {e}", file=sys.stderr)
        code = 1
    except Exception as e:  # noqa: BLE001 - one line for the user; Spark already logged the trace
        first = _java_summary(e) or (str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__)
        print(f"{job_name}: error: {type(e).__name__}: {first[:400]}", file=sys.stderr)
        code = 1
    finally:
        spark.stop()
    return code
