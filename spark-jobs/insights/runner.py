"""What both jobs share around the computation: the command line, the window, reading with partition pruning
(Parquet folders, Delta tables or catalog names), the atomic commit of the output and `_run.json`.

Only DataFrame, SQL and catalog APIs (plus plain file calls on local paths), so the jobs run unchanged on classic
Spark and over Spark Connect (Databricks serverless, standard access mode, Databricks Connect): no `_jvm`, `_jsc`
or `sparkContext`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import sys
import time
import uuid
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from pyspark import StorageLevel
from pyspark.errors import AnalysisException
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
    p.add_argument(
        "--interactions",
        required=True,
        help="date-partitioned interactions: a folder (local, s3a://, ...) or a catalog name catalog.schema.table",
    )
    p.add_argument("--metadata", required=True, help="country-partitioned metadata: a folder or a catalog name")
    p.add_argument(
        "--input-format",
        choices=FORMATS,
        default="parquet",
        help="format of the two input folders (catalog names bring their own), default parquet",
    )
    p.add_argument(
        "--out",
        required=True,
        help="output folder, or catalog.schema for catalog tables; each table is committed atomically",
    )
    p.add_argument(
        "--output-format", choices=FORMATS, default="delta", help="format of the output tables, default delta"
    )
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


# --- where data lives: a path or a catalog table name --------------------------------------------------------
# `cat.schema.table` / `schema.table` (Unity Catalog, Hive metastore, the session catalog): no '/' nor ':', and
# two or three identifiers. Anything else is a path (local, file:, s3a://, abfss://, dbfs:, /Volumes/...). A
# relative path with a dot and no slash would read as a name: write ./out.v2 for that.
_TABLE_NAME = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*){1,2}$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
FORMATS = ("parquet", "delta")


def is_table_name(text: str) -> bool:
    return bool(_TABLE_NAME.match(text))


def _is_local_path(text: str) -> bool:
    return not is_table_name(text) and (not _SCHEME.match(text) or text.startswith("file:"))


def _local(text: str) -> str:
    """file:/x, file:///x and /x -> /x."""
    return re.sub(r"^file:(//)?", "", text)


def _driver_sees_files(spark: SparkSession) -> bool:
    """True when this Python process shares the file system of Spark's driver: a classic session, or a Spark
    Connect server on this host (`remote("local[N]")`, sc://localhost). A remote Connect server's local paths are
    its own, so then no path is touched from here."""
    if not is_connect(spark):
        return True
    client = getattr(spark, "client")  # noqa: B009 - a property that raises on classic sessions
    return getattr(client, "host", "") in ("localhost", "127.0.0.1", "[::1]", "::1")


def is_connect(spark: SparkSession) -> bool:
    return str(type(spark).__module__).startswith("pyspark.sql.connect")


def is_local(spark: SparkSession, location: str) -> bool:
    """A path this Python process can open, rename and delete itself (the driver's own disk)."""
    return _is_local_path(location) and _driver_sees_files(spark)


def local_path(location: str) -> str:
    return _local(location)


def path_exists(spark: SparkSession, location: str) -> bool:
    if is_local(spark, location):
        return os.path.exists(_local(location))
    try:  # binaryFile has a fixed schema: resolving it only checks that the path exists (nothing is read)
        spark.read.format("binaryFile").load(location).schema  # noqa: B018
    except AnalysisException as e:
        if _not_found(e):
            return False
        raise
    return True


def _condition(e: BaseException) -> str:
    get = getattr(e, "getCondition", None)
    return (get() if callable(get) else None) or ""


def _not_found(e: BaseException) -> bool:
    return any(c in (_condition(e) or str(e)) for c in ("PATH_NOT_FOUND", "DELTA_PATH_DOES_NOT_EXIST"))


def _table_missing(e: BaseException) -> bool:
    return "TABLE_OR_VIEW_NOT_FOUND" in (_condition(e) or str(e))


def _reader(spark: SparkSession, location: str, fmt: str) -> DataFrame:
    """The table or folder as a DataFrame: a catalog name through the catalog (any format), a Delta folder through
    its log (only the current version's files), a Parquet folder through partition discovery."""
    try:
        if is_table_name(location):
            return spark.read.table(location)
        if fmt == "delta":
            return spark.read.format("delta").load(location)
        return spark.read.option("basePath", location).parquet(location)
    except AnalysisException as e:
        if _not_found(e) or _table_missing(e):
            raise InputError(f"input not found: {location}") from None
        if fmt == "delta" and "DELTA_MISSING_DELTA_TABLE" in str(e):
            raise InputError(
                f"{location} is not a Delta table (use --input-format parquet for Parquet folders)"
            ) from None
        raise


def _dates_from_files(files: list[str], location: str) -> list[dt.date]:
    dates = set()
    for f in files:
        for part in f.split("/"):
            if part.startswith("date="):
                try:
                    dates.add(dt.date.fromisoformat(part[5:]))
                except ValueError:
                    raise InputError(f"bad partition folder {part} in {location}") from None
    return sorted(dates)


def partition_dates(spark: SparkSession, interactions: str, fmt: str = "parquet") -> list[dt.date]:
    """The `date=` partitions with data. Parquet: from the files Spark lists for the folder (inputFiles(): a
    listing, no file opened); Delta or a catalog table: the first and last date from the table's metadata (Delta
    answers min/max of a partition column from its log) -- enough for the window."""
    df = _reader(spark, interactions, fmt)
    if "date" not in df.columns:
        raise InputError(f"{interactions}: expected a date partition column, found {df.columns}")
    if fmt == "parquet" and not is_table_name(interactions):
        dates = _dates_from_files(df.inputFiles(), interactions)
    else:
        row = df.agg(F.min("date").alias("first"), F.max("date").alias("last")).collect()[0]
        dates = sorted({row["first"], row["last"]} - {None})
    if not dates:
        raise InputError(f"no date=YYYY-MM-DD partitions in {interactions}")
    return dates


_SIZE = re.compile(r"sizeInBytes=([0-9.]+)\s*(B|KiB|MiB|GiB|TiB|PiB|EiB)")
_UNIT = {"B": 0, "KiB": 10, "MiB": 20, "GiB": 30, "TiB": 40, "PiB": 50, "EiB": 60}


def plan_bytes(spark: SparkSession, df: DataFrame) -> int:
    """The optimizer's size estimate of a scan (EXPLAIN COST): for a file scan, the bytes of the files it lists
    after partition pruning, which is what Spark itself plans splits and broadcasts with. No job runs. Spark prints
    it with 3-4 significant digits (e.g. 12.3 GiB): good to ~1 %, plenty for choosing a partition count."""
    view = f"_insights_size_{uuid.uuid4().hex[:8]}"
    df.createOrReplaceTempView(view)
    try:
        plan = spark.sql(f"EXPLAIN COST SELECT * FROM {view}").collect()[0][0]
    finally:
        spark.catalog.dropTempView(view)
    sizes = [float(n) * (1 << _UNIT[u]) for n, u in _SIZE.findall(plan)]
    if not sizes:
        raise RuntimeError(f"no size estimate in the plan: {plan[:300]}")
    return int(max(sizes))


def input_bytes(spark: SparkSession, interactions: str, first: dt.date, last: dt.date, fmt: str = "parquet") -> int:
    """Bytes of the interactions in [first, last] (no file opened): Parquet folders through a relation over just
    those date folders, Delta and catalog tables through their pruned scan (Delta's log knows every file's size)."""
    if fmt == "parquet" and not is_table_name(interactions):
        return folder_bytes(
            spark, interactions, [d for d in partition_dates(spark, interactions) if first <= d <= last]
        )
    df = _reader(spark, interactions, fmt)
    return plan_bytes(spark, df.where(F.col("date").between(F.lit(first), F.lit(last))))


def folder_bytes(spark: SparkSession, interactions: str, days: list[dt.date]) -> int:
    """Bytes of these `date=` folders of a Parquet interactions folder, through a relation over just them (no file
    opened); 0 for no days."""
    if not days:
        return 0
    root = interactions.rstrip("/")
    return plan_bytes(spark, spark.read.option("basePath", root).parquet(*[f"{root}/date={day}" for day in days]))


def resolve_window(spark: SparkSession, args: argparse.Namespace) -> Window:
    dates = partition_dates(spark, args.interactions, input_format(args))
    end = args.end or dates[-1]
    start = args.start or end - dt.timedelta(days=364)
    if start > end:
        raise UsageError(f"--start {start} is after --end {end}")
    # Clip to the data so tables hold no rows for days before the first partition.
    return Window(max(start, dates[0]), end)


def input_format(args: argparse.Namespace) -> str:
    return getattr(args, "input_format", "parquet")


def read_interactions(spark: SparkSession, path: str, first: dt.date, last: dt.date, fmt: str = "parquet") -> DataFrame:
    """Partition pruning: only date partitions in [first, last] are listed (Parquet) or planned (Delta) and read."""
    df = _reader(spark, path, fmt)
    missing = [c for c in [*d.INTERACTION_COLUMNS, "date"] if c not in df.columns]
    if missing:
        raise InputError(f"{path}: expected columns {list(d.INTERACTION_COLUMNS)} + date, missing {missing}")
    return df.where(F.col("date").between(F.lit(first), F.lit(last))).select(*d.INTERACTION_COLUMNS, "date")


def read_metadata(spark: SparkSession, path: str, fmt: str = "parquet") -> DataFrame:
    df = _reader(spark, path, fmt)
    missing = [c for c in [*d.METADATA_COLUMNS, "country"] if c not in df.columns]
    if missing:
        raise InputError(f"{path}: expected columns {list(d.METADATA_COLUMNS)} + country, missing {missing}")
    return df.select("user_id", "join_date", *d.SEGMENT_COLUMNS)


# --- output: every table computed first, then committed --------------------------------------------------------
RUNS_TABLE = "_runs"


@dataclass(frozen=True)
class Target:
    """Where a run's tables go: `<out>/<table>` folders, or `<out>.<table>` catalog tables when --out is a
    `catalog.schema` name; in Delta (default) or Parquet."""

    out: str
    fmt: str

    @property
    def is_catalog(self) -> bool:
        return bool(re.match(r"^[A-Za-z_]\w*\.[A-Za-z_]\w*$", self.out))

    def table(self, name: str) -> str:
        return f"{self.out}.{name}" if self.is_catalog else f"{self.out.rstrip('/')}/{name}"

    def sql_ref(self, name: str) -> str:
        return self.table(name) if self.is_catalog else f"delta.`{self.table(name)}`"


def _write(df: DataFrame, target: Target, name: str, run_id: str, location: str | None = None) -> None:
    writer = df.write.mode("overwrite")
    if target.fmt == "delta":
        # overwriteSchema: a table's schema may change between releases; userMetadata ties the commit to the run.
        writer = writer.format("delta").option("overwriteSchema", "true").option("userMetadata", run_id)
    else:
        writer = writer.format("parquet")
    if location is None and target.is_catalog:
        writer.saveAsTable(target.table(name))
    else:
        writer.save(location or target.table(name))


def _delta_version(spark: SparkSession, target: Target, name: str, run_id: str) -> int:
    row = spark.sql(f"DESCRIBE HISTORY {target.sql_ref(name)} LIMIT 1").collect()[0]
    if (row["userMetadata"] or "") != run_id:
        raise RuntimeError(f"{target.table(name)}: its latest commit is not this run's (another writer?)")
    return int(row["version"])


def _write_json(path: str, info: dict) -> None:
    """A local file, atomically: readers see the previous file or the new one, never a part."""
    tmp = f"{path}.tmp-{uuid.uuid4().hex[:8]}"
    with open(tmp, "w") as f:
        json.dump(info, f, indent=2, default=str)
    os.replace(tmp, path)


def _record_run(spark: SparkSession, target: Target, run_id: str, info: dict) -> None:
    """Where no local file can be written (object stores, catalogs, a remote Connect server): one row per run
    appended to the `_runs` table beside the tables, with the same JSON as _run.json."""
    from pyspark.sql.types import LongType, MapType, StringType, StructField, StructType

    schema = StructType(
        [
            StructField("run_id", StringType()),
            StructField("job", StringType()),
            StructField("finished_at", StringType()),
            StructField("versions", MapType(StringType(), LongType())),
            StructField("run_json", StringType()),
        ]
    )
    row = (run_id, info["job"], info["finished_at"], info.get("versions") or {}, json.dumps(info, default=str))
    writer = spark.createDataFrame([row], schema).coalesce(1).write.mode("append").format(target.fmt)
    if target.is_catalog:
        writer.saveAsTable(target.table(RUNS_TABLE))
    else:
        writer.save(target.table(RUNS_TABLE))


def write_tables(
    spark: SparkSession,
    out: str,
    tables: dict[str, DataFrame],
    run_info: Callable[[], dict],
    fmt: str = "delta",
    started: float | None = None,
) -> dict:
    """Write the tables and the run's record so that a failed run changes no table:

    - delta: every table is computed and cached before any is written (a failure while computing changes
      nothing), then each is one atomic Delta commit (overwrite) tagged with the run id (userMetadata); the
      versions go into the run's record, written last: `<out>/_run.json` on a local disk, else a row of the
      `_runs` table beside the tables. A reader that takes the versions from the newest record (`versionAsOf`)
      sees one consistent set, even while the next run commits.
    - parquet, local --out: tables and _run.json go to <out>/_staging-<id>/ and are renamed into place (the
      previous tables untouched until then). Elsewhere (no rename through Spark's APIs) every table is computed
      and cached first, then each is overwritten in place: a failure while writing can leave a mix; use Delta.
    Returns the run info as recorded."""
    target = Target(out, fmt)
    run_id = uuid.uuid4().hex[:12]
    t0 = time.time() if started is None else started
    local = is_local(spark, out)
    output = {"location": out, "format": fmt}
    if fmt == "parquet" and local:  # the staging folder keeps the previous tables intact: no need to keep first
        _swap_in_parquet(_local(out), tables, lambda: {**run_info(), "run_id": run_id, "output": output}, run_id, t0)
        return info_of(_local(out))
    kept = dict(zip(tables, concurrently(_keep, tables.values()), strict=True))
    info = {**run_info(), "run_id": run_id, "output": output}
    if local:
        os.makedirs(_local(out), exist_ok=True)

    def commit(name: str) -> int | None:
        _write(kept[name], target, name, run_id)
        return _delta_version(spark, target, name, run_id) if fmt == "delta" else None

    versions = {name: v for name, v in zip(kept, concurrently(commit, kept), strict=True) if v is not None}
    info["versions"] = versions or None
    _finish(info, t0)
    if local:
        _write_json(os.path.join(_local(out), "_run.json"), info)
    else:
        _record_run(spark, target, run_id, info)
    for df in kept.values():
        df.unpersist()
    return info


# Tables are computed and written from a few driver threads at once: Spark runs their jobs side by side, so a
# table whose last stage is one task (a per-segment window, a small percentile merge) no longer leaves the other
# cores idle, and per-table driver work (planning, a Delta commit: ~1 s each) overlaps. Shared cached inputs are
# computed once: a block being computed is locked, the other job waits for it and reads it.
TABLE_THREADS = 4
_T = TypeVar("_T")
_R = TypeVar("_R")


def concurrently(fn: Callable[[_T], _R], items: Iterable[_T]) -> list[_R]:
    """fn over items from TABLE_THREADS threads, results in order; every call finishes before the first error
    is raised, so nothing keeps running behind a failure."""
    work = list(items)
    with ThreadPoolExecutor(max_workers=max(1, min(TABLE_THREADS, len(work)))) as pool:
        futures = [pool.submit(fn, item) for item in work]
    for f in futures:
        error = f.exception()
        if error is not None:
            raise error
    return [f.result() for f in futures]


def _keep(df: DataFrame) -> DataFrame:
    """Computed and cached now (count() fills every partition), so the commits that follow only write. A cache,
    not a checkpoint: a block lost with an executor is recomputed from its lineage."""
    kept = df.persist(StorageLevel.MEMORY_AND_DISK)
    kept.count()
    return kept


def _finish(info: dict, started: float) -> None:
    info["finished_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    info["wall_seconds"] = round(time.time() - started, 3)


def info_of(out: str) -> dict:
    with open(os.path.join(out, "_run.json")) as f:
        return json.load(f)


def _swap_in_parquet(
    out: str, kept: dict[str, DataFrame], run_info: Callable[[], dict], run_id: str, started: float
) -> None:
    staging = os.path.join(out, f"_staging-{run_id}")
    try:
        concurrently(lambda name: kept[name].write.mode("overwrite").parquet(os.path.join(staging, name)), kept)
        info = run_info()
        _finish(info, started)
        _write_json(os.path.join(staging, "_run.json"), info)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    trash = os.path.join(out, f"_previous-{run_id}")
    os.makedirs(trash)
    for name in [*kept, "_run.json"]:
        target = os.path.join(out, name)
        if os.path.exists(target):
            os.rename(target, os.path.join(trash, name))
        os.rename(os.path.join(staging, name), target)
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(trash, ignore_errors=True)


def output_format(args: argparse.Namespace) -> str:
    return getattr(args, "output_format", "delta")


# --- entry -----------------------------------------------------------------------------------------------------
CACHED_PLAN_COALESCE = "spark.sql.optimizer.canChangeCachedPlanOutputPartitioning"


def configure(spark: SparkSession) -> None:
    # Days are UTC days: to_date(timestamp) must not depend on the machine's zone.
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    # Every job's tables are cached before they are committed (write_tables), and jobs keep shared frames: without
    # this AQE leaves the shuffles inside a cached plan at spark.sql.shuffle.partitions, so each of them ran (and
    # wrote) 200 tasks of a few KB (post at 256 MB: 146 s -> 85 s wall; the floor's one table 200 files).
    if CACHED_PLAN_COALESCE not in dict(spark.conf.getAll):
        spark.conf.set(CACHED_PLAN_COALESCE, "true")


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

    def run_info() -> dict:
        info: dict = {}
        info.update(
            job=job_name,
            arguments={k: (str(v) if v is not None else None) for k, v in vars(args).items()},
            window={"start": str(window.start), "end": str(window.end), "lookback_start": str(window.lookback_start)},
            spark_version=spark.version,
            reconciliation=output.reconcile(),
            **ctx.run_info,
        )
        return info

    return write_tables(spark, args.out, output.tables, run_info, output_format(args), started)


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


# Delta Lake's SQL extension (DESCRIBE HISTORY, metadata-only min/max) and catalog (Delta tables in the session
# catalog), set only when a run reads or writes Delta or catalog names and spark-submit did not set them. The jars
# must be on Spark's class path (scripts/delta.sh puts them into the venv's Spark; Databricks has them built in).
DELTA_SESSION = {
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
    # Rebuilding a table's state from its log is a shuffle of 50 partitions by default: 50 tasks per small output
    # table per commit. The logs here are small (one commit a run, checkpoints every 10).
    "spark.databricks.delta.snapshotPartitions": "8",
}


def needs_delta(args: argparse.Namespace) -> bool:
    names = [getattr(args, k, None) or "" for k in ("interactions", "metadata", "out")]
    formats = (getattr(args, "input_format", None), getattr(args, "output_format", None))  # compact has neither
    return "delta" in formats or any(map(is_table_name, names))


def _builder(job_name: str, defaults: dict[str, str]) -> SparkSession.Builder:
    """The session builder, with `defaults` for settings that must be fixed before the session starts, each only
    where spark-submit (--conf, spark-defaults.conf) did not set it. A remote Spark Connect server owns them."""
    builder = SparkSession.builder.appName(job_name)
    remote = os.environ.get("SPARK_REMOTE", "")
    if remote.startswith("local"):
        # SPARK_REMOTE=local[N]: this process starts the Connect server, with these settings.
        for key, value in defaults.items():
            builder = builder.config(key, value)
    elif defaults and not remote:
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
    """The whole command: parse (usage errors before a JVM starts), run, one line on success or failure. Returns 0;
    raises SystemExit(2) on usage errors, SystemExit(1) on bad input or failure."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = parser.parse_args(argv)
        if hasattr(args, "valid_actions"):
            vocabulary(args)  # an inconsistent vocabulary is a usage error, before a JVM starts
    except UsageError as e:
        print(f"{job_name}: usage error: {e}", file=sys.stderr)
        raise SystemExit(2) from None
    defaults = {**(DELTA_SESSION if needs_delta(args) else {}), **(session_defaults or {})}
    with warnings.catch_warnings():
        # SPARK_REMOTE=local[N]: the client re-sends the server's start-up settings and warns that static ones
        # cannot change (they were applied when the server started).
        warnings.filterwarnings("ignore", message="Failed to set")
        spark = _builder(job_name, defaults).getOrCreate()
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
        if "DATA_SOURCE_NOT_FOUND" in str(e) and "delta" in str(e):
            e = RuntimeError(
                "Delta Lake is not on this Spark's class path: run bash scripts/delta.sh (or spark-submit --packages "
                "io.delta:delta-spark_4.1_2.13:4.1.0), or pass --output-format parquet"
            )
        first = _java_summary(e) or (str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__)
        print(f"{job_name}: error: {type(e).__name__}: {first[:400]}", file=sys.stderr)
        code = 1
    finally:
        spark.stop()
    if code:
        # Databricks' python_wheel_task calls the entry point and ignores what it returns: only an exception (or
        # SystemExit) fails the task. spark-submit and console scripts see the same exit code.
        raise SystemExit(code)
    return code
