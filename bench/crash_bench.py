"""Crash safety, at length: the kill test of tests/test_crash_safety.py with many more kills.

Builds a data folder of `tracker demo --days 1500` (four years, ~6,800 entries), then, again
and again, starts `tracker log` or `tracker edit` (an edit often moves an entry to another
month, so two files change) and kills it with SIGKILL: half the kills at a random moment of the
command's life, half a few microseconds after it starts writing. After every kill: each data
file parses as JSON and opens with plain `tinydb.TinyDB`, no entry is lost, every change
whose command printed its id is there, and a log that printed none is stored at most once (the
checks of tests/crash_harness.py, which the test uses too). Prints how many kills, how many
landed inside a write (a temporary file was left), files checked and entries verified; exits 1
on the first failure.

Usage: python bench/crash_bench.py [--kills N] [--seed S] [--days D]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

# The kill harness is the test's own (tests/crash_harness.py): one copy, the same checks.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conftest import TRACKER, subprocess_env
from crash_harness import LAST_DAY, Checker, Failure, finish, kill_a_command, prepare


def run(kills: int, seed: int, days: int, root: Path) -> Checker:
    folder = root / "data"
    subprocess.run(
        [TRACKER, "demo", "--days", str(days), "--seed", "7", "--data", str(folder)],
        check=True,
        capture_output=True,
        env=subprocess_env(),
    )
    first = LAST_DAY - timedelta(days=days - 1)
    rng = random.Random(seed)
    checker, movable = prepare(folder)
    started = time.monotonic()
    for number in range(kills):
        kill_a_command(checker, rng, movable, number, first)
    elapsed = time.monotonic() - started
    finish(checker)
    print(
        f"{kills} kills in {elapsed:.1f} s; {checker.writes_interrupted} landed inside a write "
        f"(temporary file left); {checker.files_checked} file versions checked; "
        f"{checker.entries_verified} entry checks; "
        f"{len(checker.allowed)} printed changes verified"
    )
    return checker


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--kills", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--days", type=int, default=1500)
    options = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="crash-bench-"))
    try:
        run(options.kills, options.seed, options.days, root)
    except Failure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        print(f"data folder kept: {root / 'data'}", file=sys.stderr)
        return 1
    shutil.rmtree(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
