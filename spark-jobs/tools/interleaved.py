"""Timing for the measurement tools: variants run alternately, `repeat` times, each time on stderr as it ends, then
a medians table against one baseline variant (the medians hold up against a machine that drifts during the run)."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable


def interleaved(runs: dict[str, Callable[[], None]], repeat: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
            print(f"{name}: {times[name][-1]:.1f} s", file=sys.stderr, flush=True)
    return times


def print_medians(times: dict[str, list[float]], baseline: str) -> None:
    """One line per variant: its median, that median as a multiple of the baseline's, and every run."""
    base = statistics.median(times[baseline])
    width = max(map(len, times)) + 1
    for name, values in times.items():
        med = statistics.median(values)
        runs = ", ".join(f"{v:.1f}" for v in values)
        print(f"{name:{width}s} median {med:7.1f} s  {med / base:5.2f}x {baseline}  [{runs}]")
