"""The silver layer of post (`--silver PATH`): rows derived from ONE `date` partition of the interactions at a time
(post keeps its session pieces: deduplicated, validated events folded into gap-wide buckets), stored as Parquet
partitioned by `date`, each date tagged with

- `source`: a fingerprint of the raw files it was computed from (every file's name, size and modification time), and
- `definition`: a fingerprint of the rules it was computed under (the session gap, the vocabulary, the layout).

A run recomputes only the dates whose tags differ from today's raw files and rules (new days, late files, a
rewritten partition, a changed --session-gap), plus those at or after --recompute-since, and reads the rest. Why
per date: exact copies share their `date` (d.dedupe_and_tag), so deduplication never needs two partitions; and a
daily run over a 30-day window then deduplicates one new day instead of thirty (docs/join-strategy.md, "Silver").

The tags live in the data itself (two constant columns), so a date's rows and its tags are replaced together by one
dynamic partition overwrite: a failed write leaves a date with its old rows and old tags, or none (recomputed next
time), never new rows under old tags. On object stores whose renames are copies (S3), a writer killed during the
commit can leave a partly copied date: delete that date's folder, or pass --recompute-since. One writer at a time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass

from pyspark.errors import AnalysisException
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from insights import runner

SILVER_FORMAT = 1  # bump when what a date's rows mean changes: every stored date is then recomputed
TAGS = ("source", "definition")
# Raw bytes per written file (the pieces are ~1/7 of the raw Parquet's size: 36 of 262 MiB at 256 MB): a file of a
# few tens of MiB per 256 MiB of a date's input instead of one file per task and date.
RAW_BYTES_PER_FILE = 256 << 20


def definition_tag(parts: dict[str, object]) -> str:
    """A fingerprint of the rules a date's rows were computed under (SILVER_FORMAT included)."""
    text = json.dumps({"format": SILVER_FORMAT, **parts}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def source_tags(spark: SparkSession, interactions: str, days: list[dt.date]) -> dict[dt.date, str]:
    """Per date, a fingerprint of its files: name, size, modification time (a listing: the binaryFile source reads
    no content unless asked for it). Works on local folders, object stores and over Spark Connect alike."""
    if not days:
        return {}
    root = interactions.rstrip("/")
    listing = (
        spark.read.format("binaryFile")
        .option("basePath", root)
        .load([f"{root}/date={day}" for day in days])
        .select(F.col("date").cast("date").alias("date"), "path", "length", "modificationTime")
        .collect()
    )
    files: dict[dt.date, list[str]] = {}
    for row in listing:
        name = row["path"].rsplit("/", 1)[-1]
        files.setdefault(row["date"], []).append(f"{name}|{row['length']}|{row['modificationTime'].isoformat()}")
    return {day: hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()[:16] for day, entries in files.items()}


def stored_tags(spark: SparkSession, silver: str) -> dict[dt.date, tuple[str, str]]:
    """The (source, definition) tags of every date the silver folder holds; {} when it does not exist yet."""
    if not runner.path_exists(spark, silver):
        return {}
    try:
        rows = spark.read.parquet(silver).select(F.col("date").cast("date").alias("date"), *TAGS).distinct().collect()
    except AnalysisException as e:
        if "UNABLE_TO_INFER_SCHEMA" in str(e):  # an empty folder
            return {}
        raise
    tags: dict[dt.date, tuple[str, str]] = {}
    for row in rows:
        # Two tags for one date would mean a mixed folder (a foreign write): treat the date as stale.
        tags[row["date"]] = ("", "") if row["date"] in tags else (row["source"], row["definition"])
    return tags


@dataclass(frozen=True)
class Refresh:
    rows: DataFrame  # the silver rows of the requested dates, without the tags
    recomputed: list[dt.date]
    reused: list[dt.date]

    def info(self, silver: str) -> dict:
        return {
            "path": silver,
            "dates_recomputed": [str(day) for day in self.recomputed],
            "dates_reused": len(self.reused),
        }


def stale_dates(
    days: list[dt.date],
    sources: dict[dt.date, str],
    stored: dict[dt.date, tuple[str, str]],
    definition: str,
    recompute_since: dt.date | None = None,
) -> list[dt.date]:
    """The dates to recompute: tags that differ from today's files and rules, or at/after recompute_since."""
    return [
        day
        for day in days
        if stored.get(day) != (sources.get(day, ""), definition)
        or (recompute_since is not None and day >= recompute_since)
    ]


def refresh(
    spark: SparkSession,
    *,
    interactions: str,
    silver: str,
    days: list[dt.date],
    definition: str,
    derive: Callable[[DataFrame, int], DataFrame],
    partitions_for: Callable[[int], int],
    recompute_since: dt.date | None = None,
) -> Refresh:
    """Bring `days` of the silver folder up to date and return their rows. `derive(events, partitions)` turns the raw
    events of some dates (the jobs' columns and `date`) into their silver rows (each row keeps its `date`);
    `partitions_for(input_bytes)` sizes its exchange."""
    sources = source_tags(spark, interactions, days)
    stale = stale_dates(days, sources, stored_tags(spark, silver), definition, recompute_since)
    if stale:
        size = runner.folder_bytes(spark, interactions, stale)
        events = runner.read_interactions(spark, interactions, min(stale), max(stale)).where(F.col("date").isin(*stale))
        source_of = F.create_map(*[c for day in stale for c in (F.lit(str(day)), F.lit(sources.get(day, "")))])
        per_date = max(1, math.ceil(size / len(stale) / RAW_BYTES_PER_FILE))
        (
            derive(events, partitions_for(size))
            .select(
                "*",
                F.element_at(source_of, F.col("date").cast("string")).alias("source"),
                F.lit(definition).alias("definition"),
            )
            .repartition(len(stale) * per_date, "date", F.pmod(F.xxhash64("user_id"), F.lit(per_date)))
            .write.mode("overwrite")
            .option("partitionOverwriteMode", "dynamic")
            .partitionBy("date")
            .parquet(silver)
        )
    rows = (
        spark.read.parquet(silver)
        .where(F.col("date").isin(*days))
        .drop(*TAGS)
        .withColumn("date", F.col("date").cast("date"))
    )
    return Refresh(rows, stale, [day for day in days if day not in stale])


def checked_location(spark: SparkSession, interactions: str, input_format: str) -> None:
    """--silver fingerprints date folders: it needs a Parquet folder, not a catalog table or a Delta log."""
    if runner.is_table_name(interactions) or input_format != "parquet":
        raise runner.UsageError("--silver needs the interactions as a Parquet folder (--input-format parquet)")
