"""Quick-add speed and write cost against the length of the history.

Builds data folders of 1 month, 10 years and 50 years of demo data (about 5 entries a day)
and prints medians over repeated runs of:
- the whole-process time of `tracker log checkin ...` (the quick-add a user types), beside
  the bare interpreter (`python -c pass`) measured interleaved in the same run, since the
  machine is shared and noisy;
- the in-process cost of one write (Store.add on a loaded store) at each size;
- the whole-process time of `tracker today` (a shell start-up line), which reads one month.
Bars (issue 2): quick-add with 10 years at most about 100 ms; write cost at 50 years no more
than 1.5 times the cost at 1 month. Issue 7: `tracker today` costs the same at 50 years as at
1 month (it was 0.52 s at 10 years when it read every month).

Usage: python bench/bench_store.py [--runs N] [--quick]
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
from datetime import date, timedelta
from pathlib import Path

from tracker.store import Store

SIZES = {"1 month": 30, "10 years": 3650, "50 years": 18250}
TODAY = date(2026, 11, 25)
CHECKIN = ["--knee-pain", "3", "--back-pain", "2", "--clicking-left", "1", "--clicking-right", "0"]


def build_folder(root: Path, days: int) -> Path:
    """Demo data ending yesterday, so that today has no check-in yet."""
    folder = root / f"data-{days}"
    env = {**os.environ, "TRACKER_TODAY": (TODAY - timedelta(days=1)).isoformat()}
    subprocess.run(
        [sys.executable, "-m", "tracker", "--data", str(folder), "demo", "--days", str(days)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return folder


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def quick_add_ms(folder: Path, runs: int) -> tuple[float, float]:
    """Median ms of `tracker log checkin` and of `python -c pass`, interleaved."""
    env = {**os.environ, "TRACKER_TODAY": TODAY.isoformat()}
    log = [sys.executable, "-m", "tracker", "--data", str(folder), "log", "checkin", *CHECKIN]
    undo = [sys.executable, "-m", "tracker", "--data", str(folder), "undo"]
    adds, floors = [], []
    for _ in range(runs):
        floors.append(timed([sys.executable, "-c", "pass"], env))
        adds.append(timed(log, env))
        subprocess.run(undo, check=True, env=env, stdout=subprocess.DEVNULL)  # not timed
    return statistics.median(adds) * 1000, statistics.median(floors) * 1000


def today_ms(folder: Path, runs: int) -> float:
    """Median ms of `tracker today`, the command a shell start-up file runs."""
    env = {**os.environ, "TRACKER_TODAY": TODAY.isoformat()}
    command = [sys.executable, "-m", "tracker", "--data", str(folder), "today"]
    return statistics.median(timed(command, env) for _ in range(runs)) * 1000


def write_ms(folder: Path, runs: int) -> float:
    """Median ms of one Store.add on a store that has read its files already."""
    store = Store(folder, today=lambda: TODAY)
    store.entries()
    costs = []
    for _ in range(runs):
        start = time.perf_counter()
        store.add("lunge", {"sets": 3, "reps": 10, "tempo": "4-1-4"})
        costs.append(time.perf_counter() - start)
        store.undo()  # not timed: keeps the file the same size run after run
    return statistics.median(costs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="skip the 50-year folder")
    options = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    try:
        rows = []
        for label, days in SIZES.items():
            if options.quick and days > 10000:
                continue
            folder = build_folder(root, days)
            entries = len(Store(folder).entries())
            add, floor = quick_add_ms(folder, options.runs)
            write = write_ms(folder, options.runs * 2)
            today = today_ms(folder, options.runs)
            rows.append((label, entries, add, floor, write, today))
        print(f"median of {options.runs} runs (writes: {options.runs * 2})")
        print(
            "| history | entries | `tracker log checkin` | `python -c pass` | one write "
            "| `tracker today` |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for label, entries, add, floor, write, today in rows:
            print(
                f"| {label} | {entries:,} | {add:.0f} ms | {floor:.0f} ms | {write:.1f} ms "
                f"| {today:.0f} ms |"
            )
        first, last = rows[0], rows[-1]
        print(f"write cost, {last[0]} / {first[0]}: {last[4] / first[4]:.2f}x (bar: 1.5x)")
        print(f"`tracker today`, {last[0]} / {first[0]}: {last[5] / first[5]:.2f}x")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
