"""Crash safety, at length: the kill test of tests/test_crash_safety.py with many more kills.

Builds a data folder of `tracker demo --days 1500` (four years, ~6,800 entries), then, again
and again, starts `tracker log` or `tracker edit` (an edit often moves an entry to another
month, so two files change) and kills it with SIGKILL: half the kills at a random moment of the
command's life, half a few microseconds after it starts writing. After every kill: each data
file parses as JSON and opens with plain `tinydb.TinyDB`, no entry is lost, and every change
whose command printed its id is there. Prints how many kills, how many landed inside a write
(a temporary file was left), files checked and entries verified; exits 1 on the first failure.

Usage: python bench/crash_bench.py [--kills N] [--seed S] [--days D]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from tracker.store import Store

TODAY = date(2026, 11, 25)
ID = re.compile(r"[0-9a-f]{32}")
TRACKER = str(Path(sys.executable).with_name("tracker"))


class Failure(Exception):
    pass


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_DATA"}
    env["TRACKER_TODAY"] = TODAY.isoformat()
    return env


def folder_state(folder: Path) -> dict[str, tuple[int, int]]:
    state: dict[str, tuple[int, int]] = {}
    with os.scandir(folder) as it:
        for item in it:
            try:
                st = item.stat()
            except FileNotFoundError:
                continue
            state[item.name] = (st.st_mtime_ns, st.st_size)
    return state


def kill_in_a_write(process: subprocess.Popen[str], folder: Path, rng: random.Random) -> None:
    deadline = time.monotonic() + 5
    before = folder_state(folder)
    while time.monotonic() < deadline and process.poll() is None:
        if folder_state(folder) != before:
            time.sleep(rng.choice([0.0, 0.0, rng.uniform(0, 0.002)]))
            break
    process.kill()


class Checker:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.initial = {e["id"]: e for e in Store(folder).entries()}
        self.allowed: dict[str, list[dict[str, Any]]] = {}
        self.checked: dict[str, tuple[int, int, int]] = {}
        self.files_checked = 0
        self.entries_verified = 0
        self.in_writes = 0
        self.temp_names: set[str] = set()

    def attempted(self, entry_id: str, state: dict[str, Any]) -> None:
        if entry_id not in self.allowed:
            before = self.initial[entry_id]
            self.allowed[entry_id] = [{k: before[k] for k in state}]
        self.allowed[entry_id].append(state)

    def confirmed(self, entry_id: str, state: dict[str, Any]) -> None:
        self.allowed[entry_id] = [state]

    def check(self, context: str) -> None:
        for path in sorted(self.folder.glob("*.json")):
            st = path.stat()
            signature = (st.st_ino, st.st_mtime_ns, st.st_size)
            if self.checked.get(path.name) == signature:
                continue
            try:
                json.loads(path.read_bytes())
                with TinyDB(path) as db:
                    for table in db.tables():
                        db.table(table).all()
            except ValueError as error:
                raise Failure(f"{context}: {path.name} does not parse: {error}") from None
            self.checked[path.name] = signature
            self.files_checked += 1
        temps = {p.name for p in self.folder.glob(".*.tmp")}
        if temps - self.temp_names:  # a new one: this kill stopped a write half-way
            self.in_writes += 1
        self.temp_names |= temps
        entries = {e["id"]: e for e in Store(self.folder).entries()}
        lost = set(self.initial) - set(entries)
        if lost:
            raise Failure(f"{context}: {len(lost)} entries lost, e.g. {sorted(lost)[0]}")
        for entry_id, states in self.allowed.items():
            entry = entries.get(entry_id)
            if entry is None:
                raise Failure(f"{context}: printed id {entry_id} is missing")
            if not any(all(entry[k] == v for k, v in s.items()) for s in states):
                raise Failure(f"{context}: {entry_id} is {entry}, expected one of {states}")
        self.entries_verified += len(set(self.allowed) | set(self.initial))


def random_day(rng: random.Random, first: date) -> str:
    return (first + timedelta(days=rng.randrange((TODAY - first).days + 1))).isoformat()


def run(kills: int, seed: int, days: int, root: Path) -> Checker:
    folder = root / "data"
    subprocess.run(
        [TRACKER, "demo", "--days", str(days), "--seed", "7", "--data", str(folder)],
        check=True,
        capture_output=True,
        env=environment(),
    )
    first = TODAY - timedelta(days=days - 1)
    rng = random.Random(seed)
    checker = Checker(folder)
    checker.check("before any kill")
    movable = [i for i, e in checker.initial.items() if e["kind"] != "checkin"]
    started = time.monotonic()
    for number in range(kills):
        tag = f"bench-{number}"
        day = random_day(rng, first)
        target: str | None = None
        if rng.random() < 0.5:
            args = ["log", "lunge", "--sets", "3", "--reps", "10", "--tempo", "4-1-4"]
            args += ["--date", day, "--notes", tag]
            changes = {"notes": tag, "date": day}
        else:
            target = rng.choice(movable)
            args = ["edit", target, "--notes", tag]
            changes = {"notes": tag}
            if rng.random() < 0.6:
                args += ["--date", day]
                changes["date"] = day
        process = subprocess.Popen(
            [TRACKER, *args, "--data", str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(),
        )
        if number % 2:
            time.sleep(rng.uniform(0.0, 0.14 if target else 0.08))
            process.kill()
        else:
            kill_in_a_write(process, folder, rng)
        out, err = process.communicate(timeout=30)
        if "Traceback" in err:
            raise Failure(f"kill {number}: {args}: traceback\n{err}")
        printed = out.strip()
        if target is None:
            if ID.fullmatch(printed):
                checker.confirmed(printed, changes)
        elif printed == target:
            checker.confirmed(target, changes)
        else:
            checker.attempted(target, changes)
        checker.check(f"kill {number} ({' '.join(args)})")
    elapsed = time.monotonic() - started
    done = subprocess.run(
        [TRACKER, "log", "cycling", "--minutes", "5", "--data", str(folder)],
        capture_output=True,
        text=True,
        env=environment(),
    )
    if done.returncode != 0 or list(folder.glob(".*.tmp")):
        raise Failure(f"the write after the kills failed or left temporary files: {done.stderr}")
    print(
        f"{kills} kills in {elapsed:.1f} s; {checker.in_writes} landed inside a write "
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
