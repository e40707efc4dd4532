"""Crash safety, at length: the kill tests of tests/test_crash_safety.py with many more kills.

Builds a data folder of `tracker demo --days 1500` (four years, ~4,500 entries), then kills
`tracker` commands with SIGKILL again and again, in four phases (tests/crash_harness.py, which
the tests use too, says what each kills and checks):

- log/edit: `tracker log` or `tracker edit` (an edit often moves an entry to another month);
- delete/undo: `tracker delete ID`, `tracker undo` of a printed delete, logs and edits between;
- migration: the first writes to a copy of the folder turned into an older tracker's (one
  shared file per month, schema 1, undo.json), killed anywhere in the migration they start;
- conflict copies: writes to months that have sync-tool conflict copies holding changes found
  nowhere else, killed while they fold the copies in.

After every kill: each data file parses as JSON and opens with plain `tinydb.TinyDB`, no entry
is lost or shown twice, every change whose command said so is there (in the whole diary and by
`Store.get`, the index path), and a printed delete never comes back. Prints each phase's kills,
how many met a write, the checks made; exits 1 on the first failure, keeping the folder.

Usage: python bench/crash_bench.py [--kills N] [--seed S] [--days D]
(N kills in all, split evenly across the four phases; 300 by default.)
"""

from __future__ import annotations

import argparse
import os
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
from crash_harness import (
    DEVICE,
    LAST_DAY,
    Counts,
    Failure,
    finish,
    kill_a_command,
    kill_conflict_folds,
    kill_deletes_and_undos,
    kill_migrations,
    old_layout,
    plant_conflict_copies,
    prepare,
)

PHASES = ("log/edit", "delete/undo", "migration", "conflict copies")


def run(kills: int, seed: int, days: int, root: Path) -> dict[str, Counts]:
    demo = root / "demo"
    subprocess.run(
        [TRACKER, "demo", "--days", str(days), "--seed", "7", "--data", str(demo)],
        check=True,
        capture_output=True,
        env=subprocess_env(),
    )
    first = LAST_DAY - timedelta(days=days - 1)
    rng = random.Random(seed)
    share = [kills // len(PHASES)] * len(PHASES)
    share[0] += kills - sum(share)
    counts = {name: Counts() for name in PHASES}
    timings: dict[str, float] = {}

    started = time.monotonic()
    folder = root / "log-edit"
    shutil.copytree(demo, folder)
    checker, movable = prepare(folder, counts["log/edit"])
    for number in range(share[0]):
        kill_a_command(checker, rng, movable, number, first)
    finish(checker)
    checker.check_list("log/edit phase, at the end")
    timings["log/edit"] = time.monotonic() - started

    started = time.monotonic()
    folder = root / "delete-undo"
    shutil.copytree(demo, folder)
    checker, _ = prepare(folder, counts["delete/undo"])
    kill_deletes_and_undos(checker, rng, share[1], first)
    finish(checker)
    checker.check_list("delete/undo phase, at the end")
    timings["delete/undo"] = time.monotonic() - started

    started = time.monotonic()
    old = root / "old"
    shutil.copytree(demo, old)
    old_layout(old)
    kill_migrations(old, root / "migrating", rng, share[2], first, counts["migration"])
    timings["migration"] = time.monotonic() - started

    started = time.monotonic()
    planted_folder = root / "planted"
    shutil.copytree(demo, planted_folder)
    planted = plant_conflict_copies(planted_folder, rng)
    kill_conflict_folds(
        planted_folder, planted, root / "folding", rng, share[3], counts["conflict copies"]
    )
    timings["conflict copies"] = time.monotonic() - started

    for name in PHASES:
        print(f"{name}: {counts[name].summary()} ({timings[name]:.1f} s)")
    total = sum(c.kills for c in counts.values())
    met = sum(c.in_writes for c in counts.values())
    checks = sum(c.checks for c in counts.values())
    print(f"in all: {total} kills, {met} met a write, {checks} checks, nothing lost")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--kills", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--days", type=int, default=1500)
    options = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="crash-bench-"))
    # Files named for one device, and no settings or device name of the user's touched.
    os.environ["TRACKER_DEVICE"] = DEVICE
    os.environ["XDG_CONFIG_HOME"] = str(root / "config")
    os.environ["XDG_DATA_HOME"] = str(root / "share")
    try:
        run(options.kills, options.seed, options.days, root)
    except Failure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        print(f"data folders kept: {root}", file=sys.stderr)
        return 1
    shutil.rmtree(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
