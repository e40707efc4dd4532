"""Whole-process `tracker chart pain --days 365` against the process floor (issue 4).

The floor is `tracker list --from <a future date>`: the same start-up, the same reading of a
10-year data folder, and no output. Both are timed interleaved in the same run (the machine is
shared and noisy) and the medians compared. Bar: the chart at most 1.5 times the floor.

Usage: python bench/bench_chart_cli.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TODAY = "2026-11-25"
BAR = 1.5


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=11)
    options = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    env = {**os.environ, "TRACKER_TODAY": TODAY, "TRACKER_DATA": str(root / "data")}
    tracker = [sys.executable, "-m", "tracker"]
    try:
        subprocess.run(
            [*tracker, "demo", "--days", "3650"], check=True, env=env, stdout=subprocess.DEVNULL
        )
        chart = [*tracker, "chart", "pain", "--days", "365", "--width", "120", "--height", "30"]
        floor = [*tracker, "list", "--from", "2100-01-01"]
        charts, floors = [], []
        for _ in range(options.runs):
            floors.append(timed(floor, env))
            charts.append(timed(chart, env))
        chart_ms, floor_ms = statistics.median(charts) * 1000, statistics.median(floors) * 1000
        ratio = chart_ms / floor_ms
        print(f"10 years of demo data, median of {options.runs} interleaved runs")
        print(f"tracker list --from (empty range, the floor): {floor_ms:.0f} ms")
        print(f"tracker chart pain --days 365 (120x30):        {chart_ms:.0f} ms")
        print(f"ratio: {ratio:.2f}x (bar: {BAR}x) {'ok' if ratio <= BAR else 'OVER'}")
        return 0 if ratio <= BAR else 1
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
