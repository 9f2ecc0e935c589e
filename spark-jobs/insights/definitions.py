"""THE definitions both jobs import: what is valid, who is active, what a session is, how outliers are capped,
what the output tables look like and how doubles are rounded. pre_optimization.py and post_optimization.py differ
only in *how* they compute these, never in *what* (docs/metrics.md explains each rule and why).

Medallion layers: raw -> validated + quarantine -> user-day facts / sessions -> metrics.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import (
    DateType,
    DoubleType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

Transform = Callable[[DataFrame], DataFrame]

# --- vocabularies (mirror generator/schema.ts; a test checks they match) ------------------------------------------
ACTION_TYPES: tuple[str, ...] = (
    "page_view",
    "scroll",
    "edit",
    "click",
    "search",
    "app_open",
    "app_close",
    "share",
    "export",
    "purchase",
)
# Lifecycle pings are sent by the OS/app shell, not by a person doing something: they do not make a user active
# (a background refresh would otherwise count as a daily active user). They still belong to sessions.
LIFECYCLE_ACTION_TYPES: tuple[str, ...] = ("app_open", "app_close")
QUALIFYING_ACTION_TYPES: tuple[str, ...] = tuple(a for a in ACTION_TYPES if a not in LIFECYCLE_ACTION_TYPES)


@dataclass(frozen=True)
class Vocabulary:
    """The event names a run accepts (`valid`: anything else is quarantined as unknown_action_type) and those of
    them that are lifecycle pings (`lifecycle`: they belong to sessions but never make a user active). Defaults:
    the generator's vocabulary; set with --valid-actions / --lifecycle-actions (docs/metrics.md)."""

    valid: tuple[str, ...] = ACTION_TYPES
    lifecycle: tuple[str, ...] = LIFECYCLE_ACTION_TYPES

    def __post_init__(self) -> None:
        if not self.valid:
            raise ValueError("the valid actions must name at least one action type")
        blank = [a for a in (*self.valid, *self.lifecycle) if not a.strip()]
        if blank:
            raise ValueError("an action type name is empty")
        unknown = sorted(set(self.lifecycle) - set(self.valid))
        if unknown:
            raise ValueError(f"lifecycle actions {unknown} are not among the valid actions {list(self.valid)}")
        if not set(self.valid) - set(self.lifecycle):
            raise ValueError("every valid action is a lifecycle action: nobody could ever be active")

    @property
    def qualifying(self) -> tuple[str, ...]:
        return tuple(a for a in self.valid if a not in self.lifecycle)

    def as_dict(self) -> dict[str, list[str]]:
        return {"valid_actions": list(self.valid), "lifecycle_actions": list(self.lifecycle)}


DEFAULT_VOCABULARY = Vocabulary()

# --- columns ------------------------------------------------------------------------------------------------------
INTERACTION_COLUMNS: tuple[str, ...] = ("user_id", "timestamp", "action_type", "page_id", "duration_ms", "app_version")
METADATA_COLUMNS: tuple[str, ...] = ("user_id", "join_date", "device_type", "subscription_type")
SEGMENT_COLUMNS: tuple[str, ...] = ("country", "device_type", "subscription_type")
UNKNOWN_SEGMENT = "unknown"  # orphans (user_id missing from metadata) get this in all three segment columns

# --- quarantine reasons, in priority order (a row gets the first that applies) -----------------------------------
NULL_USER_ID = "null_user_id"
NEGATIVE_DURATION = "negative_duration"
FUTURE_TIMESTAMP = "future_timestamp"
UNKNOWN_ACTION_TYPE = "unknown_action_type"
QUARANTINE_REASONS: tuple[str, ...] = (NULL_USER_ID, NEGATIVE_DURATION, FUTURE_TIMESTAMP, UNKNOWN_ACTION_TYPE)

# --- rules --------------------------------------------------------------------------------------------------------
WAU_DAYS = 7  # trailing window, inclusive of the day itself
MAU_DAYS = 30
# One event's duration is capped here before it extends a session: a page left open overnight says the app was in
# the background, not that someone read for 9 hours. The raw value is kept for avg_duration_uncapped_ms.
EVENT_DURATION_CAP_MS = 60 * 60 * 1000
DEFAULT_SESSION_GAP_MS = 30 * 60 * 1000
DEFAULT_SESSION_MAX_MS = 24 * 60 * 60 * 1000
DECIMALS = 6  # every average / ratio / percentile is rounded to this many decimals so pre and post agree bit for bit
PERCENTILES: tuple[float, ...] = (0.5, 0.9, 0.99)
TOP_USERS = 20


def rounded(col: Column) -> Column:
    return F.round(col.cast("double"), DECIMALS)


def ratio(numerator: Column, denominator: Column) -> Column:
    """numerator / denominator as a rounded double; both are exact integers, so the order of summation upstream
    cannot change the result (unlike avg() over doubles)."""
    return rounded(numerator.cast("double") / denominator.cast("double"))


# --- raw -> validated + quarantine ---------------------------------------------------------------------------------
def quarantine_reason(vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> Column:
    """The reason a deduplicated row is rejected, or null when it is accepted. Needs spark.sql.session.timeZone=UTC:
    `date` is the UTC day of `timestamp`, so a timestamp whose UTC day is after its partition's date is from the
    future (clock bug), and is kept in the partition it came from."""
    return (
        F.when(F.col("user_id").isNull(), F.lit(NULL_USER_ID))
        .when(F.col("duration_ms") < 0, F.lit(NEGATIVE_DURATION))
        .when(F.to_date(F.col("timestamp")) > F.col("date"), F.lit(FUTURE_TIMESTAMP))
        .when(~F.col("action_type").isin(*vocabulary.valid), F.lit(UNKNOWN_ACTION_TYPE))
    )


def with_event_date(df: DataFrame) -> DataFrame:
    """The event's own UTC day. It is the `date` partition for on-time rows, but a late upload may sit in a later
    partition: metrics and sessions use the event's day, quarantine and reconciliation the partition's."""
    return df.select(*df.columns, F.to_date(F.col("timestamp")).alias("event_date"))


def dedupe_and_tag(vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> Transform:
    """Exact duplicate rows (every column equal, `date` included) collapse into one, with `copies` counting them,
    then each distinct row gets its quarantine `reason` (null = accepted). Duplicates are removed *before*
    validation, so a duplicated bad row is quarantined once and its copies count as duplicates_removed.
    Expects `event_date` (with_event_date): grouping by it too changes nothing (it is a function of timestamp) but
    lets a job pre-partitioned by (user_id, event_date) deduplicate without another shuffle."""
    cols = [*INTERACTION_COLUMNS, "date", "event_date"]

    def _tag(df: DataFrame) -> DataFrame:
        return (
            df.groupBy(*cols)
            .agg(F.count(F.lit(1)).alias("copies"))
            .select(*cols, "copies", quarantine_reason(vocabulary).alias("reason"))
        )

    return _tag


def accepted(df: DataFrame) -> DataFrame:
    """Accepted events with `date` = the event's UTC day."""
    return df.where(F.col("reason").isNull()).select(*INTERACTION_COLUMNS, F.col("event_date").alias("date"))


def quarantined(df: DataFrame) -> DataFrame:
    return df.where(F.col("reason").isNotNull()).select(*INTERACTION_COLUMNS, "date", "reason")


def reconciliation_counts(tagged: DataFrame) -> DataFrame:
    """One row per reason (null = accepted): distinct rows and the extra copies removed."""
    return tagged.groupBy("reason").agg(
        F.count(F.lit(1)).alias("rows"), F.sum(F.col("copies") - 1).alias("duplicates_removed")
    )


def reconciliation(input_rows: int, counts: list) -> dict:
    by_reason = {r: 0 for r in QUARANTINE_REASONS}
    accepted_rows = duplicates = 0
    for row in counts:
        duplicates += int(row["duplicates_removed"] or 0)
        if row["reason"] is None:
            accepted_rows = int(row["rows"])
        else:
            by_reason[row["reason"]] = int(row["rows"])
    result = {
        "input_rows": int(input_rows),
        "accepted_rows": accepted_rows,
        "quarantined_rows": by_reason,
        "duplicates_removed": duplicates,
    }
    total = accepted_rows + sum(by_reason.values()) + duplicates
    if total != input_rows:  # a bug, never bad data: refuse to publish numbers that do not add up
        raise RuntimeError(f"reconciliation failed: input {input_rows} != accepted+quarantined+duplicates {total}")
    return result


# --- active users ----------------------------------------------------------------------------------------------------
def is_qualifying(vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> Column:
    """An event makes its user active on its UTC day when it is a deliberate action (not a lifecycle ping). Any
    duration >= 0 qualifies: a click or an edit legitimately lasts 0 ms."""
    return F.col("action_type").isin(*vocabulary.qualifying)


def segment_columns() -> list[Column]:
    """Segment columns after a left join with metadata; orphans get 'unknown' in all three."""
    return [F.coalesce(F.col(c), F.lit(UNKNOWN_SEGMENT)).alias(c) for c in SEGMENT_COLUMNS]


# --- sessions ------------------------------------------------------------------------------------------------------
def event_millis() -> list[Column]:
    """Per event: start ms, end ms with the duration capped (outliers) and raw end ms."""
    ts = F.unix_millis(F.col("timestamp"))
    return [
        ts.alias("ts_ms"),
        (ts + F.least(F.col("duration_ms"), F.lit(EVENT_DURATION_CAP_MS))).alias("end_ms"),
        (ts + F.col("duration_ms")).alias("end_raw_ms"),
    ]


def session_facts(session_max_ms: int) -> list[Column]:
    """Aggregates over the events (or partial sessions) of one session: needs start_ms, end_ms, end_raw_ms, actions
    columns where for events actions = 1. Duration = first event's start to last event's (capped) end, capped at
    session_max_ms; the uncapped duration uses raw durations and no maximum."""
    start = F.min("start_ms")
    return [
        F.to_date(F.timestamp_millis(start)).alias("date"),
        F.least(F.max("end_ms") - start, F.lit(session_max_ms)).alias("duration_ms"),
        (F.max("end_raw_ms") - start).alias("duration_uncapped_ms"),
        F.sum("actions").alias("actions"),
    ]


def session_metrics(with_uncapped: bool) -> list[Column]:
    pct = F.percentile(F.col("duration_ms").cast("double"), list(PERCENTILES))
    cols = [
        F.count(F.lit(1)).alias("sessions"),
        ratio(F.sum("duration_ms"), F.count(F.lit(1))).alias("avg_duration_ms"),
        pct.alias("_pct"),
        ratio(F.sum("actions"), F.count(F.lit(1))).alias("avg_actions"),
    ]
    if with_uncapped:
        cols.append(ratio(F.sum("duration_uncapped_ms"), F.count(F.lit(1))).alias("avg_duration_uncapped_ms"))
    return cols


def explode_percentiles(df: DataFrame) -> DataFrame:
    names = [f"p{int(p * 100)}_duration_ms" for p in PERCENTILES]
    others = [c for c in df.columns if c != "_pct"]
    return df.select(*others, *[rounded(F.col("_pct")[i]).alias(n) for i, n in enumerate(names)])


# --- output schemas ------------------------------------------------------------------------------------------------
def _schema(*fields: tuple[str, object]) -> StructType:
    return StructType([StructField(n, t, True) for n, t in fields])  # type: ignore[arg-type]


_SEG = [(c, StringType()) for c in SEGMENT_COLUMNS]
_SESSION_MEASURES = [
    ("sessions", LongType()),
    ("avg_duration_ms", DoubleType()),
    ("p50_duration_ms", DoubleType()),
    ("p90_duration_ms", DoubleType()),
    ("p99_duration_ms", DoubleType()),
    ("avg_actions", DoubleType()),
]
OUTPUT_SCHEMAS: dict[str, StructType] = {
    "daily": _schema(
        ("date", DateType()),
        ("dau", LongType()),
        ("wau", LongType()),
        ("mau", LongType()),
        ("stickiness", DoubleType()),
        ("new_users", LongType()),
    ),
    "monthly": _schema(("month", DateType()), ("mau", LongType())),
    "daily_by_segment": _schema(
        ("date", DateType()),
        *_SEG,
        ("dau", LongType()),
        ("wau", LongType()),
        ("mau", LongType()),
        ("new_users", LongType()),
    ),
    "sessions_daily": _schema(("date", DateType()), *_SESSION_MEASURES, ("avg_duration_uncapped_ms", DoubleType())),
    "sessions_by_segment": _schema(("date", DateType()), *_SEG, *_SESSION_MEASURES),
    "quarantine": _schema(
        ("user_id", StringType()),
        ("timestamp", TimestampType()),
        ("action_type", StringType()),
        ("page_id", StringType()),
        ("duration_ms", LongType()),
        ("app_version", StringType()),
        ("date", DateType()),
        ("reason", StringType()),
    ),
    "top_users": _schema(("user_id", StringType()), ("events", LongType()), ("share", DoubleType())),
    "app_versions_daily": _schema(
        ("date", DateType()), ("app_version", StringType()), ("events", LongType()), ("users", LongType())
    ),
}
TABLES: tuple[str, ...] = tuple(OUTPUT_SCHEMAS)


def conform(table: str) -> Transform:
    """Select exactly the table's columns, in order, with its types: the contract the harness checksums."""
    schema = OUTPUT_SCHEMAS[table]

    def _conform(df: DataFrame) -> DataFrame:
        missing = [f.name for f in schema.fields if f.name not in df.columns]
        if missing:
            raise ValueError(f"table {table}: expected columns {schema.fieldNames()}, missing {missing}")
        return df.select(*[F.col(f.name).cast(f.dataType).alias(f.name) for f in schema.fields])

    return _conform


# --- tables both jobs compute the same way (they read only accepted events) ---------------------------------------
def top_users(per_user: DataFrame) -> DataFrame:
    """Top users by accepted events (per_user: user_id, events) and their share of all accepted events: the hot
    keys, as the report shows them. Ties are broken by user_id so the table is deterministic."""
    total = per_user.agg(F.sum("events").alias("total"))
    return (
        per_user.orderBy(F.col("events").desc(), F.col("user_id"))
        .limit(TOP_USERS)
        .crossJoin(total)
        .select("user_id", "events", ratio(F.col("events"), F.col("total")).alias("share"))
    )


def in_window(start: object, end: object, col: str = "date") -> Column:
    return F.col(col).between(F.lit(start), F.lit(end))
