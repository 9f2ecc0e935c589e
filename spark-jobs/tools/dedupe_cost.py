"""What exact deduplication costs against the floor, measured in one Spark session (issue 12's 3x question).

.venv/bin/python spark-jobs/tools/dedupe_cost.py DATA [--repeat 2] [--partitions N]

DATA is a `gen` dataset (DATA/interactions). Each variant reads every event of the dataset and ends in a `noop`
write; variants alternate, `--repeat` times, and the medians are printed with each one's multiple of the floor:

- floor: the floor job's `user_days` (one partial aggregate per task before the shuffle: nothing per row crosses it);
- fingerprint_count: the cheapest prerequisite of any exact dedupe that lets the rest fold before the exchange:
  one 64-bit hash per event crosses one exchange and is counted (a count of 1 proves an event has no copy);
- fingerprint_window: the same count as a window over a sort by the 64-bit hash (a radix-sortable prefix);
- full_row_exchange: every column of every event crosses the one exchange by (user_id, event_date), nothing after;
- dedupe_two_hash_maps: that exchange, then a groupBy over every column as Spark plans it by default (a partial and a
  final hash aggregate, one after the other in the same task);
- dedupe_one_sort_aggregate: that exchange, then post's exact_copies (one sort aggregate over sorted events);
- post_grains: post's whole event pass (insights.jobs.post.event_grains after that exchange).

The session has post's two plan settings (SESSION_SETTINGS: replaceHashWithSortAgg, EliminateSorts excluded), as
post_optimization.py has them.

Why it matters: an event's exact copy may sit in any task that reads its `date` partition, so an exact dedupe must
move something per event across an exchange; the floor moves nothing per event. If fingerprint_count alone is near
or above 3x the floor, no exact formulation of post built from Spark's operators fits in 3x on the same machine.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from interleaved import interleaved, print_medians  # noqa: E402

from insights import definitions as d  # noqa: E402
from insights.jobs import floor, post  # noqa: E402

EVERY_COLUMN = (*d.INTERACTION_COLUMNS, "date")
EVENT_ORDER = post._EVENT_ORDER  # every column besides user_id, in post's key order
GAP_MS = d.DEFAULT_SESSION_GAP_MS


def variants(raw: DataFrame, partitions: int) -> dict[str, Callable[[], DataFrame]]:
    def fingerprint() -> DataFrame:
        return raw.select(F.xxhash64(*EVERY_COLUMN).alias("fp"))

    def by_user_day() -> DataFrame:
        return raw.transform(d.with_event_date).repartition(partitions, "user_id", "event_date")

    return {
        "floor": lambda: floor.user_days(raw),
        # repartition first, so the count is one aggregate after the exchange (no map-side pass on unique keys)
        "fingerprint_count": lambda: fingerprint()
        .repartition(partitions, "fp")
        .groupBy("fp")
        .count()
        .where("count > 1"),
        "fingerprint_window": lambda: fingerprint()
        .select("fp", F.count(F.lit(1)).over(Window.partitionBy("fp")).alias("copies"))
        .where("copies > 1"),
        "full_row_exchange": by_user_day,
        "dedupe_two_hash_maps": lambda: by_user_day()
        .groupBy("user_id", "event_date", d.quarantine_reason(d.DEFAULT_VOCABULARY).alias("reason"), *EVENT_ORDER)
        .agg(F.count(F.lit(1)).alias("copies")),
        "dedupe_one_sort_aggregate": lambda: by_user_day().transform(post.exact_copies()),
        "post_grains": lambda: by_user_day().transform(post.event_grains(GAP_MS)),
    }


def _noop_write(build: Callable[[], DataFrame]) -> Callable[[], None]:
    return lambda: build().write.format("noop").mode("overwrite").save()


def main() -> None:
    p = argparse.ArgumentParser(prog="dedupe_cost.py")
    p.add_argument("data")
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--partitions", type=int, default=0, help="exchange partitions (default: post's event_partitions)")
    args = p.parse_args()
    if not (Path(args.data) / "interactions").is_dir():
        print(f"dedupe_cost: {args.data}/interactions is not a directory", file=sys.stderr)
        sys.exit(2)
    builder = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.memory", "8g")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.adaptive.enabled", "true")
    )
    for key in post.SORT_DEDUPE_SETTINGS:
        builder = builder.config(key, post.SESSION_SETTINGS[key])
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    raw = spark.read.parquet(f"{args.data}/interactions")
    size = sum(f.stat().st_size for f in Path(args.data, "interactions").rglob("*.parquet"))
    partitions = args.partitions or 2 * max(1, -(-size // post.EVENTS_PARTITION_BYTES // 2))
    runs = variants(raw, partitions)
    times = interleaved({name: _noop_write(build) for name, build in runs.items()}, args.repeat)
    print(
        f"data {args.data} ({size / 2**20:.0f} MiB), {partitions} exchange partitions, local[2], repeat {args.repeat}"
    )
    print_medians(times, "floor")


if __name__ == "__main__":
    main()
