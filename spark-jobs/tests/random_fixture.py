"""A seeded, skewed synthetic dataset built in Python (no Spark): a hot user with ~30 % of events, bursts whose gaps
include exactly 30 min and 30 min + 1 ms, sessions across midnight, outlier durations, orphans, and ~1 % of each
bad-row kind plus exact duplicates. Used where hand-computed numbers would be too many to work out: pre == post,
DuckDB == post, HLL error. Returns rows for conftest.write_layout plus the exact bad-row counts it wrote."""

from __future__ import annotations

import datetime as dt
import random

from insights import definitions as d

FIRST_DAY = dt.date(2023, 12, 20)  # crosses a year and two month boundaries
DAYS = 50
COUNTRIES = ("US", "GB", "DE", "JP")
DEVICES = ("iPad", "iPhone", "Mac", "Web")
SUBSCRIPTIONS = ("free", "premium", "education")
GAPS_MS = (1_000, 45_000, 5 * 60_000, 30 * 60_000, 30 * 60_000 + 1, 2 * 3_600_000)


def random_dataset(seed: int = 7, users: int = 40) -> tuple[list[tuple], list[tuple], dict[int, str], dict[str, int]]:
    rng = random.Random(seed)
    utc = dt.timezone.utc
    good: list[tuple] = []
    for u in range(users):
        user_id = f"u{u:03d}"
        hot = u == 0
        for day in range(DAYS):
            if not hot and rng.random() > 0.35:
                continue
            date = FIRST_DAY + dt.timedelta(days=day)
            # some bursts start just before midnight so their sessions cross it
            minute = rng.choice([23 * 60 + 50, rng.randrange(0, 24 * 60)])
            t = dt.datetime(date.year, date.month, date.day, tzinfo=utc) + dt.timedelta(minutes=minute)
            for _ in range(rng.randrange(20, 40) if hot else rng.randrange(1, 8)):
                action = rng.choices(d.ACTION_TYPES, weights=(40, 18, 14, 10, 5, 5, 5, 1.5, 1.2, 0.3))[0]
                duration = rng.choice([0, rng.randrange(0, 60_000), rng.randrange(0, 600_000)])
                if rng.random() < 0.02:
                    duration = rng.randrange(3_600_000, 5 * 3_600_000)  # outlier: app left in the background
                version = rng.choice(("5.0.0", "5.1.0")) if day > DAYS // 2 else "4.9.0"
                good.append((user_id, t, action, f"p{rng.randrange(30)}", duration, version))
                t = t + dt.timedelta(milliseconds=rng.choice(GAPS_MS))
    good = [r for r in good if r[1].date() < FIRST_DAY + dt.timedelta(days=DAYS)]
    bad: list[tuple] = []
    partition_of: dict[int, str] = {}
    counts = {r: 0 for r in d.QUARANTINE_REASONS}
    pick = rng.sample(range(len(good)), k=4 * max(1, len(good) // 100))
    for n, i in enumerate(pick):
        user_id, t, action, page, duration, version = good[i]
        reason = d.QUARANTINE_REASONS[n % 4]
        if reason == d.NULL_USER_ID:
            row = (None, t, action, page, duration, version)
        elif reason == d.NEGATIVE_DURATION:
            row = (user_id, t, action, page, -1 - duration, version)
        elif reason == d.FUTURE_TIMESTAMP:
            row = (user_id, t.replace(year=t.year + 7), action, page, duration, version)
            partition_of[len(good) + len(bad)] = t.date().isoformat()
        else:
            row = (user_id, t, "unknown_action", page, duration, version)
        counts[reason] += 1
        bad.append(row)
    duplicates = [good[i] for i in rng.sample(range(len(good)), k=max(1, len(good) // 100))]
    counts["duplicate"] = len(duplicates)
    metadata = [
        (f"u{u:03d}", FIRST_DAY + dt.timedelta(days=rng.randrange(-30, DAYS)), rng.choice(COUNTRIES),
         rng.choice(DEVICES), rng.choice(SUBSCRIPTIONS))
        for u in range(users) if u % 13 != 5  # u005, u018, u031 are orphans
    ]
    return [*good, *bad, *duplicates], metadata, partition_of, counts
