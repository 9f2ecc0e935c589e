"""Summarise a Spark event log (uncompressed JSON lines: run with --conf spark.eventLog.compress=false) per stage:
tasks, shuffle read/write bytes, spill, and max/median task run time. The numbers in docs/join-strategy.md come from
here; `bench run` (bench/) reads the same fields for the benchmark harness.

    .venv/bin/python spark-jobs/tools/eventlog_summary.py EVENT_LOG_FILE_OR_ROLLING_FOLDER [--top 8]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path


def _lines(path: Path) -> Iterator[str]:
    """A single log file, or a rolling log folder (eventlog_v2_*, Spark 4's default) read as events_1, events_2..."""
    if path.is_dir():
        parts = sorted(path.glob("events_*"), key=lambda p: int(p.name.split("_")[1]))
    else:
        parts = [path]
    for part in parts:
        with part.open() as lines:
            yield from lines


def summarise(path: Path) -> dict:
    tasks: dict[int, list[dict]] = defaultdict(list)
    names: dict[int, str] = {}
    app_start = app_end = None
    for line in _lines(path):
        try:
            event = json.loads(line)
        except json.JSONDecodeError:  # the last line of a log still being written
            continue
        kind = event["Event"]
        if kind == "SparkListenerTaskEnd" and event.get("Task Metrics"):
            m, info = event["Task Metrics"], event["Task Info"]
            read = m.get("Shuffle Read Metrics", {})
            tasks[event["Stage ID"]].append({
                "run_ms": m.get("Executor Run Time", 0),
                "wall_ms": info["Finish Time"] - info["Launch Time"],
                "shuffle_read": read.get("Remote Bytes Read", 0) + read.get("Local Bytes Read", 0),
                "shuffle_write": m.get("Shuffle Write Metrics", {}).get("Shuffle Bytes Written", 0),
                "spill_memory": m.get("Memory Bytes Spilled", 0),
                "spill_disk": m.get("Disk Bytes Spilled", 0),
            })
        elif kind == "SparkListenerStageCompleted":
            names[event["Stage Info"]["Stage ID"]] = event["Stage Info"]["Stage Name"]
        elif kind == "SparkListenerApplicationStart":
            app_start = event["Timestamp"]
        elif kind == "SparkListenerApplicationEnd":
            app_end = event["Timestamp"]
    stages = []
    for stage_id, ts in sorted(tasks.items()):
        runs = [t["run_ms"] for t in ts]
        stages.append({
            "stage": stage_id, "name": names.get(stage_id, "?"), "tasks": len(ts),
            "max_task_ms": max(runs), "median_task_ms": statistics.median(runs),
            **{k: sum(t[k] for t in ts) for k in ("shuffle_read", "shuffle_write", "spill_memory", "spill_disk")},
        })
    total = {k: sum(s[k] for s in stages) for k in ("shuffle_read", "shuffle_write", "spill_memory", "spill_disk")}
    return {
        "app_wall_s": (app_end - app_start) / 1000 if app_start and app_end else None,
        "stages": len(stages), "tasks": sum(s["tasks"] for s in stages),
        "task_time_s": sum(t["run_ms"] for ts in tasks.values() for t in ts) / 1000,
        **total, "by_stage": stages,
    }


def _mb(n: float) -> str:
    return f"{n / 2**20:.1f}"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("event_log", type=Path)
    p.add_argument("--top", type=int, default=8, help="stages to list, by max task time (default 8)")
    p.add_argument("--json", action="store_true", help="print the whole summary as JSON")
    args = p.parse_args()
    if not args.event_log.exists():
        print(f"eventlog_summary: not found: {args.event_log}", file=sys.stderr)
        sys.exit(2)
    s = summarise(args.event_log)
    if args.json:
        print(json.dumps(s, indent=2))
        return
    print(f"app wall {s['app_wall_s']} s, {s['stages']} stages, {s['tasks']} tasks, "
          f"task time {s['task_time_s']:.1f} s, "
          f"shuffle read {_mb(s['shuffle_read'])} MB, write {_mb(s['shuffle_write'])} MB, "
          f"spill mem {_mb(s['spill_memory'])} MB, disk {_mb(s['spill_disk'])} MB")
    print("| stage | name | tasks | max task ms | median task ms | shuffle read MB | shuffle write MB | spill MB |")
    print("|---|---|---|---|---|---|---|---|")
    for st in sorted(s["by_stage"], key=lambda x: -x["max_task_ms"])[: args.top]:
        spill = _mb(st["spill_memory"] + st["spill_disk"])
        print(f"| {st['stage']} | {st['name'][:40]} | {st['tasks']} | {st['max_task_ms']} | "
              f"{st['median_task_ms']:.0f} | {_mb(st['shuffle_read'])} | {_mb(st['shuffle_write'])} | {spill} |")


if __name__ == "__main__":
    main()
