"""One small hand-built DataFrame per transform of post (quinn/chispa style): what goes in, what must come out,
compared ignoring row order."""

from __future__ import annotations

import datetime as dt

from conftest import INTERACTIONS_SCHEMA, utc
from pyspark.sql import DataFrame, Row, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import DateType, StructField, StructType
from pyspark.testing import assertDataFrameEqual

from insights import definitions as d
from insights.jobs import post as post_job

MIN = 60_000
GAP = 30 * MIN


def _events(spark: SparkSession, rows: list[tuple]) -> DataFrame:
    schema = StructType([*INTERACTIONS_SCHEMA.fields, StructField("date", DateType(), False)])
    with_date = [(*r, r[1].astimezone(dt.timezone.utc).date()) for r in rows]
    return spark.createDataFrame(with_date, schema).transform(d.with_event_date)


def test_event_grains_dedupe_validate_and_cut_pieces(spark: SparkSession) -> None:
    click = ("u1", utc("2024-03-01 10:00:00"), "click", "p1", 100, "5.0.0")
    rows = [
        click,
        click,  # an exact copy: counted as a duplicate, opens nothing
        ("u1", utc("2024-03-01 10:20:00"), "app_open", "p1", 0, "5.0.0"),  # 20 min later: same piece, not qualifying
        ("u1", utc("2024-03-01 11:00:00"), "edit", "p2", 0, "5.0.0"),  # 40 min later: a new piece
        ("u1", utc("2024-03-01 10:05:00"), "click", "p1", -1, "5.0.0"),  # bad, twice
        ("u1", utc("2024-03-01 10:05:00"), "click", "p1", -1, "5.0.0"),
    ]
    grains = _events(spark, rows).transform(post_job.event_grains(GAP))
    got = grains.select("reason", "local_no", "rows", "duplicates", "qualifying", "start_ms", "last_ms", "duration_ms")
    t0 = int(utc("2024-03-01 10:00:00").timestamp() * 1000)
    expected = spark.createDataFrame(
        [
            (None, 1, 2, 1, 1, t0, t0 + 20 * MIN, None),
            (None, 2, 1, 0, 1, t0 + 60 * MIN, t0 + 60 * MIN, None),
            ("negative_duration", None, 1, 1, 1, t0 + 5 * MIN, t0 + 5 * MIN, -1),
        ],
        "reason string, local_no bigint, rows bigint, duplicates bigint, qualifying bigint, start_ms bigint, "
        "last_ms bigint, duration_ms bigint",
    )
    assertDataFrameEqual(got, expected, checkRowOrder=False)


def _plan_lines(df: DataFrame) -> list[str]:
    return [line.strip(" +-:") for line in df._jdf.queryExecution().executedPlan().toString().splitlines()]


def test_event_pieces_dedupe_is_one_sort_aggregate_under_posts_settings(spark: SparkSession) -> None:
    # The dedupe keeps its sort and runs as ONE Complete sort aggregate (count(1), no partial_count over the events)
    # only under post's SESSION_SETTINGS; without them Spark drops the sort and plans two hash aggregates. Same rows.
    click = ("u1", utc("2024-03-01 10:00:00"), "click", "p1", 100, "5.0.0")
    rows = [click, click, ("u1", utc("2024-03-01 10:05:00"), "click", "p1", -1, "5.0.0"), ("u2", *click[1:])]
    events = _events(spark, rows).repartition(2, "user_id", "event_date")
    keys = post_job.SORT_DEDUPE_SETTINGS
    before = {k: spark.conf.get(k, None) for k in keys}
    try:
        for k in keys:
            spark.conf.set(k, post_job.SESSION_SETTINGS[k])
        sorted_pieces = events.transform(post_job.event_pieces(GAP))
        sorted_plan = _plan_lines(sorted_pieces)
        sorted_rows = sorted_pieces.collect()
        for k in keys:
            spark.conf.unset(k)
        hashed = events.transform(post_job.event_pieces(GAP))
        hashed_plan = _plan_lines(hashed)
        assertDataFrameEqual(spark.createDataFrame(sorted_rows, hashed.schema), hashed, checkRowOrder=False)
    finally:
        for k, v in before.items():
            spark.conf.unset(k) if v is None else spark.conf.set(k, v)
    dedupe = [i for i, line in enumerate(sorted_plan) if line.startswith("SortAggregate(key=[user_id")]
    assert len(dedupe) == 1 and "functions=[count(1)]" in sorted_plan[dedupe[0]], sorted_plan
    assert sorted_plan[dedupe[0] + 1].startswith("Sort [user_id"), sorted_plan
    assert not any("partial_count(1)" in line for line in sorted_plan[dedupe[0] :]), sorted_plan
    assert any("functions=[partial_count(1)]" in line for line in hashed_plan), hashed_plan
    assert not any(line.startswith(("Sort", "SortAggregate")) for line in hashed_plan), hashed_plan


def test_stitch_joins_pieces_across_midnight_only(spark: SparkSession) -> None:
    def ms(text: str) -> int:
        return int(utc(text).timestamp() * 1000)

    pieces = spark.createDataFrame(
        [
            ("u1", dt.date(2024, 3, 1), 1, ms("2024-03-01 23:40:00"), ms("2024-03-01 23:50:00"), 2),
            ("u1", dt.date(2024, 3, 2), 1, ms("2024-03-02 00:10:00"), ms("2024-03-02 00:15:00"), 1),  # continues it
            ("u1", dt.date(2024, 3, 2), 2, ms("2024-03-02 12:00:00"), ms("2024-03-02 12:01:00"), 3),  # mid-day
            ("u2", dt.date(2024, 3, 2), 1, ms("2024-03-02 00:40:00"), ms("2024-03-02 00:41:00"), 1),  # 40 min in
        ],
        "user_id string, date date, local_no bigint, start_ms bigint, last_ms bigint, actions bigint",
    ).select("*", F.col("last_ms").alias("end_ms"), F.col("last_ms").alias("end_raw_ms"))
    sessions = pieces.transform(post_job.stitch_sessions(GAP, 24 * 60 * MIN))
    got = sessions.select("user_id", "date", "duration_ms", "actions")
    expected = spark.createDataFrame(
        [
            ("u1", dt.date(2024, 3, 1), 35 * MIN, 3),
            ("u1", dt.date(2024, 3, 2), 1 * MIN, 3),
            ("u2", dt.date(2024, 3, 2), 1 * MIN, 1),
        ],
        "user_id string, date date, duration_ms bigint, actions bigint",
    )
    assertDataFrameEqual(got, expected, checkRowOrder=False)


def test_with_next_day(spark: SparkSession) -> None:
    days = spark.createDataFrame(
        [("u1", dt.date(2024, 3, 1)), ("u1", dt.date(2024, 3, 9)), ("u2", dt.date(2024, 3, 5))],
        "user_id string, date date",
    )
    expected = spark.createDataFrame(
        [
            ("u1", dt.date(2024, 3, 1), dt.date(2024, 3, 9)),
            ("u1", dt.date(2024, 3, 9), None),
            ("u2", dt.date(2024, 3, 5), None),
        ],
        "user_id string, date date, next_day date",
    )
    assertDataFrameEqual(days.transform(post_job.with_next_day), expected, checkRowOrder=False)


def test_heavy_users_hot_and_top_from_one_action(spark: SparkSession) -> None:
    per_user = spark.createDataFrame(
        [("u1", 50), ("u2", 30), ("u3", 10), ("u4", 10)] + [(f"x{i}", 0) for i in range(30)],
        "user_id string, events bigint",
    )
    total = per_user.agg(F.sum("events").alias("total"))
    heavy = post_job.heavy_users(per_user, total, 0.25)  # over 25 of 100 events
    assert heavy.hot == ["u1", "u2"]
    assert heavy.total == 100
    assert [(r["user_id"], r["events"]) for r in heavy.top[:4]] == [("u1", 50), ("u2", 30), ("u3", 10), ("u4", 10)]
    assert len(heavy.top) == d.TOP_USERS
    table = post_job.top_users_table(spark, heavy).where("user_id = 'u1'").collect()
    assert table == [Row(user_id="u1", events=50, share=0.5)]
