"""Timing helpers shared by the benchmark commands."""

import statistics
import time
from collections.abc import Callable


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    """Return how long each of `runs` calls to fn took, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def median_p95(times: list[float]) -> tuple[float, float]:
    """Return the median and the 95th percentile (nearest rank) of the timings."""
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]
