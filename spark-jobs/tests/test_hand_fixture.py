"""Hand-built data with every expected number worked out by hand (the comments show the arithmetic). Both jobs run
once on it through their Python entry functions; every table of pre must equal post's."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from conftest import first, read_table, utc, write_layout
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.testing import assertDataFrameEqual

from insights import definitions as d
from insights.jobs import post as post_job
from insights.jobs import pre as pre_job

MIN = 60_000
HOUR = 60 * MIN


def _bot_events() -> list[tuple]:
    # u4: an event every 20 minutes from 2024-01-10 00:00 to 2024-01-11 02:00 inclusive: 26 h -> 79 events, one
    # gap-session of 26 h, capped at 24 h.
    start = utc("2024-01-10 00:00:00")
    return [("u4", start + dt.timedelta(minutes=20 * i), "scroll", "p9", 0, "5.1.0") for i in range(79)]


GOOD = [
    # u1 (US iPad free, joined 2024-01-30): S1 = 10:00 and 10:30 (gap exactly 30 min: same session) -> 1_800_000 ms,
    # 2 actions; S2 = 11:00:00.001 (gap 30 min + 1 ms: new session) -> 500 ms; S3 crosses midnight and a month
    # boundary: 23:50 (+60 s) and 00:10 (+1 s) -> 20 min 1 s = 1_201_000 ms, dated 2024-01-31.
    ("u1", utc("2024-01-30 10:00:00"), "page_view", "p1", 1000, "5.0.0"),
    ("u1", utc("2024-01-30 10:30:00"), "edit", "p1", 0, "5.0.0"),
    ("u1", utc("2024-01-30 11:00:00.001"), "click", "p2", 500, "5.0.0"),
    ("u1", utc("2024-01-31 23:50:00"), "page_view", "p3", 60_000, "5.1.0"),
    ("u1", utc("2024-02-01 00:10:00"), "scroll", "p3", 1000, "5.1.0"),
    # u2 (DE Mac premium): one 2-hour page view on New Year's Eve: capped to 1 h (event cap); uncapped 7_200_000.
    ("u2", utc("2023-12-31 23:59:00"), "page_view", "p1", 2 * HOUR, "4.9.0"),
    # u3 (orphan, not in metadata): active on a single day.
    ("u3", utc("2024-01-15 12:00:00"), "page_view", "p4", 5000, "5.0.0"),
    # u5 (JP iPhone education): only a lifecycle ping: a session, but never an active user.
    ("u5", utc("2024-01-20 08:00:00"), "app_open", "p0", 0, "5.0.0"),
    *_bot_events(),
]
DUPLICATE = GOOD[0]
BAD = [
    (None, utc("2024-01-15 09:00:00"), "page_view", "p1", 100, "5.0.0"),
    ("u1", utc("2024-01-30 12:00:00"), "click", "p1", -5, "5.0.0"),
    ("u3", utc("2031-01-15 12:00:00"), "page_view", "p4", 10, "5.0.0"),  # stored in date=2024-01-15
    ("u2", utc("2024-01-10 12:00:00"), "unknown_action", "p1", 10, "5.0.0"),
]
METADATA = [
    ("u1", dt.date(2024, 1, 30), "US", "iPad", "free"),
    ("u2", dt.date(2023, 1, 1), "DE", "Mac", "premium"),
    ("u4", dt.date(2023, 6, 1), "GB", "Web", "free"),
    ("u5", dt.date(2023, 6, 1), "JP", "iPhone", "education"),
    ("u9", dt.date(2023, 6, 1), "FR", "iPad", "free"),  # never active
]


@pytest.fixture(scope="module")
def outputs(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hand")
    rows = [*GOOD, DUPLICATE, *BAD]
    write_layout(spark, root, rows, METADATA, partition_of={len(GOOD) + 1 + 2: "2024-01-15"})
    outs = {}
    for name, job in (("pre", pre_job), ("post", post_job)):
        out = root / f"out-{name}"
        job.run(
            spark,
            ["--interactions", str(root / "interactions"), "--metadata", str(root / "metadata"), "--out", str(out)],
        )
        outs[name] = out
    return outs


@pytest.fixture(scope="module")
def post(outputs: dict[str, Path]) -> Path:
    return outputs["post"]


def test_pre_and_post_write_identical_tables(spark: SparkSession, outputs: dict[str, Path]) -> None:
    for table in d.TABLES:
        pre_df = read_table(spark, outputs["pre"], table)
        post_df = read_table(spark, outputs["post"], table)
        assert pre_df.schema == post_df.schema, table
        assertDataFrameEqual(post_df, pre_df, checkRowOrder=False, rtol=0, atol=0)


def test_sessions_daily_by_hand(spark: SparkSession, post: Path) -> None:
    s = read_table(spark, post, "sessions_daily")
    day30 = first(s, date=dt.date(2024, 1, 30))
    assert day30["sessions"] == 2  # gap of exactly 30 min stays, 30 min + 1 ms splits
    assert day30["avg_duration_ms"] == 900_250.0  # (1_800_000 + 500) / 2
    assert day30["p50_duration_ms"] == 900_250.0
    assert day30["p90_duration_ms"] == 1_620_050.0  # 500 + 0.9 * 1_799_500
    assert day30["p99_duration_ms"] == 1_782_005.0
    assert day30["avg_actions"] == 1.5  # the duplicate of 10:00 was removed
    midnight = first(s, date=dt.date(2024, 1, 31))
    assert (midnight["sessions"], midnight["avg_duration_ms"], midnight["avg_actions"]) == (1, 1_201_000.0, 2.0)
    assert s.where("date = '2024-02-01'").count() == 0  # the 00:10 event continues the 23:50 session
    bot = first(s, date=dt.date(2024, 1, 10))
    assert (bot["avg_duration_ms"], bot["avg_duration_uncapped_ms"], bot["avg_actions"]) == (
        86_400_000.0,
        93_600_000.0,
        79.0,
    )
    nye = first(s, date=dt.date(2023, 12, 31))
    assert (nye["avg_duration_ms"], nye["avg_duration_uncapped_ms"]) == (3_600_000.0, 7_200_000.0)
    assert first(s, date=dt.date(2024, 1, 20))["sessions"] == 1  # lifecycle-only user still has a session
    assert s.count() == 6


def test_daily_by_hand(spark: SparkSession, post: Path) -> None:
    daily = read_table(spark, post, "daily")
    assert daily.count() == 33  # 2023-12-31 .. 2024-02-01: every day has someone in its trailing 30 days
    assert first(daily, date=dt.date(2023, 12, 31)) == {
        "date": dt.date(2023, 12, 31),
        "dau": 1,
        "wau": 1,
        "mau": 1,
        "stickiness": 1.0,
        "new_users": 0,
    }
    # u2 (12-31) is still in the trailing 30 days of 01-10 and 01-15 (12-31 + 29 = 01-29), u4 active 01-10/11.
    assert first(daily, date=dt.date(2024, 1, 10))["mau"] == 2
    jan15 = first(daily, date=dt.date(2024, 1, 15))
    assert (jan15["dau"], jan15["wau"], jan15["mau"]) == (1, 2, 3)
    jan29 = first(daily, date=dt.date(2024, 1, 29))
    assert (jan29["dau"], jan29["wau"], jan29["mau"]) == (0, 0, 3)
    jan30 = first(daily, date=dt.date(2024, 1, 30))  # u2 dropped out; u1 is new (joined that day)
    assert (jan30["dau"], jan30["wau"], jan30["mau"], jan30["new_users"]) == (1, 1, 3, 1)
    assert jan30["stickiness"] == 0.333333
    assert first(daily, date=dt.date(2024, 1, 20))["dau"] == 0  # app_open does not make u5 active


def test_monthly_and_year_boundary(spark: SparkSession, post: Path) -> None:
    monthly = {r["month"]: r["mau"] for r in read_table(spark, post, "monthly").collect()}
    assert monthly == {dt.date(2023, 12, 1): 1, dt.date(2024, 1, 1): 3, dt.date(2024, 2, 1): 1}


def test_orphans_count_as_unknown_segment(spark: SparkSession, post: Path) -> None:
    seg = read_table(spark, post, "daily_by_segment")
    row = first(seg, date=dt.date(2024, 1, 15), country="unknown")
    assert (row["device_type"], row["subscription_type"], row["dau"], row["new_users"]) == ("unknown", "unknown", 1, 0)
    # segments add up to the totals (a user has exactly one segment)
    daily = read_table(spark, post, "daily")
    summed = seg.groupBy("date").sum("dau", "wau", "mau", "new_users").toDF("date", "dau", "wau", "mau", "new_users")
    assertDataFrameEqual(summed, daily.select("date", "dau", "wau", "mau", "new_users"), checkRowOrder=False)
    sessions = read_table(spark, post, "sessions_by_segment")
    assert first(sessions, date=dt.date(2024, 1, 15))["country"] == "unknown"


def test_quarantine_and_reconciliation(spark: SparkSession, post: Path, outputs: dict[str, Path]) -> None:
    quarantine = read_table(spark, post, "quarantine")
    reasons = {r["reason"]: r["count"] for r in quarantine.groupBy("reason").count().collect()}
    assert reasons == {r: 1 for r in d.QUARANTINE_REASONS}
    future = first(read_table(spark, post, "quarantine"), reason="future_timestamp")
    assert future["date"] == dt.date(2024, 1, 15)  # kept in the partition it came from
    for out in outputs.values():
        rec = json.loads((out / "_run.json").read_text())["reconciliation"]
        assert rec == {
            "input_rows": len(GOOD) + 1 + len(BAD),
            "accepted_rows": len(GOOD),
            "quarantined_rows": {r: 1 for r in d.QUARANTINE_REASONS},
            "duplicates_removed": 1,
        }


def test_top_users_and_app_versions(spark: SparkSession, post: Path) -> None:
    top = read_table(spark, post, "top_users").orderBy("events", ascending=False).collect()
    assert [(r["user_id"], r["events"], r["share"]) for r in top[:2]] == [("u4", 79, 0.908046), ("u1", 5, 0.057471)]
    versions = read_table(spark, post, "app_versions_daily")
    assert first(versions, date=dt.date(2024, 1, 30), app_version="5.0.0")["events"] == 3
    assert first(versions, date=dt.date(2024, 1, 10), app_version="5.1.0")["users"] == 1


def test_compact_keeps_every_row_clustered_by_user_and_time(spark: SparkSession, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from insights import runner
    from insights.jobs import compact

    write_layout(spark, tmp_path, [*GOOD, DUPLICATE, *BAD], METADATA, partition_of={len(GOOD) + 1 + 2: "2024-01-15"})
    info = compact.run(spark, ["--interactions", str(tmp_path / "interactions"), "--out", str(tmp_path / "compacted")])
    assert info["files_per_day"] == 1
    first_day, last_day = dt.date(2023, 12, 1), dt.date(2024, 12, 31)
    before = runner.read_interactions(spark, str(tmp_path / "interactions"), first_day, last_day)
    after = runner.read_interactions(spark, str(tmp_path / "compacted"), first_day, last_day)
    assert after.count() == before.count() == len(GOOD) + 1 + len(BAD)  # duplicates and bad rows kept
    assert after.exceptAll(before).count() == 0 and before.exceptAll(after).count() == 0
    bot_day = list((tmp_path / "compacted" / "date=2024-01-10").glob("*.parquet"))
    assert len(bot_day) == 1
    rows = pq.read_table(bot_day[0]).select(["user_id", "timestamp"]).to_pylist()
    keys = [(r["user_id"] is not None, r["user_id"] or "", r["timestamp"]) for r in rows]
    assert [k[1:] for k in keys if k[0]] == sorted(k[1:] for k in keys if k[0])


def test_floor_reads_every_row_once_into_user_days(spark: SparkSession, tmp_path: Path) -> None:
    from insights.jobs import floor

    rows = [*GOOD, DUPLICATE, *BAD]
    write_layout(spark, tmp_path, rows, METADATA, partition_of={len(GOOD) + 1 + 2: "2024-01-15"})
    out = tmp_path / "out-floor"
    floor.run(
        spark,
        ["--interactions", str(tmp_path / "interactions"), "--metadata", str(tmp_path / "metadata"), "--out", str(out)],
    )
    user_days = read_table(spark, out, "user_days")
    expected = {(r[0], r[1].astimezone(dt.timezone.utc).date()) for r in rows}
    assert {(r["user_id"], r["day"]) for r in user_days.collect()} == expected
    assert user_days.agg({"events": "sum"}).collect()[0][0] == len(rows)  # every row, bad ones and duplicates included
    assert json.loads((out / "_run.json").read_text())["job"] == "floor"


def test_floor_hash_aggregates_and_never_sorts_events(spark: SparkSession, tmp_path: Path) -> None:
    # A floor that sorted its events (max() over a string plans a SortAggregate) would flatter every job's ratio.
    from insights.jobs import floor

    write_layout(spark, tmp_path, GOOD, METADATA)
    raw = spark.read.parquet(str(tmp_path / "interactions"))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        floor.user_days(raw).explain()
    plan = printed.getvalue()
    assert "HashAggregate" in plan
    assert "SortAggregate" not in plan and "Sort [" not in plan


def test_own_vocabulary_changes_what_is_valid_and_who_is_active(spark: SparkSession, tmp_path: Path) -> None:
    # "scroll" is no longer a valid action (u4's 79 bot events are quarantined), "page_view" becomes a lifecycle
    # ping (u2 and u3, who only viewed pages, are never active); the vocabulary is recorded in _run.json.
    rows = [*GOOD, DUPLICATE, *BAD]
    write_layout(spark, tmp_path, rows, METADATA, partition_of={len(GOOD) + 1 + 2: "2024-01-15"})
    valid = [a for a in d.ACTION_TYPES if a != "scroll"] + ["unknown_action"]
    out = tmp_path / "out"
    flags = ["--valid-actions", ",".join(valid), "--lifecycle-actions", "app_open,app_close,page_view"]
    post_job.run(
        spark,
        ["--interactions", str(tmp_path / "interactions"), "--metadata", str(tmp_path / "metadata"), "--out", str(out)]
        + flags,
    )
    run = json.loads((out / "_run.json").read_text())
    assert run["vocabulary"] == {"valid_actions": valid, "lifecycle_actions": ["app_open", "app_close", "page_view"]}
    assert run["reconciliation"]["quarantined_rows"]["unknown_action_type"] == 79 + 1  # u4's scrolls + u1's scroll
    daily = read_table(spark, out, "daily")
    # u2's page view on New Year's Eve no longer makes u2 active: nobody is active in that day's trailing 30 days
    assert daily.where(F.col("date") == dt.date(2023, 12, 31)).count() == 0
    assert first(daily, date=dt.date(2024, 1, 30))["dau"] == 1  # u1's edit and click still do
