"""The SIGKILL harness of tests/test_crash_safety.py and bench/crash_bench.py.

One copy, so that the bench's long run kills and checks exactly as the test does: a fix to a
check reaches both. A plain module (no ``test_`` prefix), so pytest does not collect it; the
bench puts this folder on ``sys.path`` to import it.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from conftest import TODAY, TRACKER, subprocess_env
from tinydb import TinyDB

from tracker.store import Store

ID = re.compile(r"[0-9a-f]{32}")
LAST_DAY = date.fromisoformat(TODAY)  # the demo data ends on the fixed "today"

Signature = tuple[int, int, int]


class Failure(AssertionError):
    """A broken promise. An AssertionError, so that a test reports it as a failed assert; the
    bench catches it to say what broke and keep the data folder."""


@dataclass
class Checker:
    """What must hold in the folder after each kill, and what has been seen so far."""

    folder: Path
    initial: dict[str, dict[str, Any]]
    # Per id, the states it may be in: the last printed change, and any attempted after it.
    allowed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Tags of log commands whose id was not printed: stored at most once.
    unconfirmed_tags: set[str] = field(default_factory=set)
    checked: dict[str, Signature] = field(default_factory=dict)
    kills: int = 0
    files_checked: int = 0
    entries_verified: int = 0
    # Checks that found a new temporary file: the kill before stopped a write half-way.
    writes_interrupted: int = 0
    temp_names: set[str] = field(default_factory=set)

    def attempted(self, entry_id: str, state: dict[str, Any]) -> None:
        if entry_id not in self.allowed:  # never changed by a printed command: as it was
            before = self.initial[entry_id]
            self.allowed[entry_id] = [{k: before[k] for k in state}]
        self.allowed[entry_id].append(state)

    def confirmed(self, entry_id: str, state: dict[str, Any]) -> None:
        self.allowed[entry_id] = [state]

    def ran(self, target: str | None, printed: str, changes: dict[str, Any]) -> None:
        """Note what a killed command may have done, going by what it printed before dying.

        A log (``target`` None) or an edit that printed its id finished: its change must be
        there. A log that did not may be stored at most once; an edit that did not may be there
        or not.
        """
        if target is None:
            if ID.fullmatch(printed):
                self.confirmed(printed, changes)
            else:
                self.unconfirmed_tags.add(changes["notes"])
        elif printed == target:
            self.confirmed(target, changes)
        else:
            self.attempted(target, changes)

    def check(self, context: str) -> None:
        """Every data file parses; no entry lost; every printed change is there."""
        for path in sorted(self.folder.glob("*.json")):
            st = path.stat()
            signature = (st.st_ino, st.st_mtime_ns, st.st_size)
            if self.checked.get(path.name) == signature:
                continue
            try:
                json.loads(path.read_bytes())  # a torn file does not parse
                with TinyDB(path) as db:
                    for table in db.tables():
                        db.table(table).all()
            except ValueError as error:
                raise Failure(f"{context}: {path.name} does not parse: {error}") from None
            self.checked[path.name] = signature
            self.files_checked += 1
        temps = {p.name for p in self.folder.glob(".*.tmp")}
        if temps - self.temp_names:
            self.writes_interrupted += 1
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
        for tag in self.unconfirmed_tags:
            if sum(e["notes"] == tag for e in entries.values()) > 1:
                raise Failure(f"{context}: the unconfirmed log {tag!r} is stored twice")


def folder_state(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's (mtime, size): a change shows a write under way or just done."""
    state: dict[str, tuple[int, int]] = {}
    with os.scandir(folder) as it:
        for item in it:
            try:
                st = item.stat()
            except FileNotFoundError:  # a temporary file renamed away meanwhile
                continue
            state[item.name] = (st.st_mtime_ns, st.st_size)
    return state


def kill_at_random(process: subprocess.Popen[str], rng: random.Random, span: float) -> None:
    time.sleep(rng.uniform(0.0, span))
    process.kill()


def kill_in_a_write(
    process: subprocess.Popen[str], folder: Path, rng: random.Random, skip: int = 0
) -> bool:
    """Kill ``process`` a random few microseconds after it starts its ``skip``-th write.

    True when a write was seen; the process is killed either way.
    """
    # Only a guard against a process that never writes; a write normally comes within ms.
    deadline = time.monotonic() + 60
    before = folder_state(folder)
    seen = 0
    while time.monotonic() < deadline and process.poll() is None:
        now = folder_state(folder)
        if now != before:
            seen += 1
            if seen > skip:
                time.sleep(rng.choice([0, 0, rng.uniform(0, 0.002)]))
                process.kill()
                return True
            before = now
    process.kill()
    return False


def random_day(rng: random.Random, first: date) -> str:
    return (first + timedelta(days=rng.randrange((LAST_DAY - first).days + 1))).isoformat()


def new_command(
    rng: random.Random, movable: list[str], tag: str, first: date
) -> tuple[list[str], str | None, dict[str, Any]]:
    """A random `log` or `edit` command: (args, id it edits or None, fields it sets)."""
    if rng.random() < 0.5:
        day = random_day(rng, first)
        args = ["log", "lunge", "--sets", "3", "--reps", "10", "--tempo", "4-1-4"]
        return [*args, "--date", day, "--notes", tag], None, {"notes": tag, "date": day}
    target = rng.choice(movable)
    changes: dict[str, Any] = {"notes": tag}
    args = ["edit", target, "--notes", tag]
    if rng.random() < 0.6:  # move it to another month (and often another year)
        changes["date"] = random_day(rng, first)
        args += ["--date", changes["date"]]
    return args, target, changes


def kill_a_command(
    checker: Checker, rng: random.Random, movable: list[str], number: int, first: date
) -> bool:
    """Start kill ``number``'s random `tracker log` or `tracker edit`, SIGKILL it, check.

    Odd numbers die at a random moment of the command's life, even ones a few microseconds into
    its write: True when such a kill did meet a write. Data dates run from ``first`` to today.
    """
    args, target, changes = new_command(rng, movable, f"kill-{number}", first)
    process = subprocess.Popen(
        [TRACKER, *args, "--data", str(checker.folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
    )
    in_a_write = False
    if number % 2:
        # A log takes ~60 ms here and an edit ~120 ms: kill anywhere in that span.
        kill_at_random(process, rng, 0.14 if target else 0.08)
    else:
        in_a_write = kill_in_a_write(process, checker.folder, rng)
    out, err = process.communicate(timeout=30)
    checker.kills += 1
    if "Traceback" in err:
        raise Failure(f"kill {number}: {args}: traceback\n{err}")
    checker.ran(target, out.strip(), changes)
    checker.check(f"kill {number}: {args}")
    return in_a_write


def prepare(folder: Path) -> tuple[Checker, list[str]]:
    """A checker of ``folder`` as it is now, and the ids an edit may move to any date."""
    entries = Store(folder).entries()
    checker = Checker(folder, {e["id"]: e for e in entries})
    checker.check("before any kill")
    # Exercise entries can move to any date; a check-in might meet another one (exit 2).
    movable = [e["id"] for e in entries if e["kind"] != "checkin"]
    return checker, movable


def finish(checker: Checker) -> None:
    """One more write, not killed, removes what the killed writers left behind."""
    done = subprocess.run(
        [TRACKER, "log", "cycling", "--minutes", "5", "--data", str(checker.folder)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=30,
    )
    if done.returncode != 0:
        raise Failure(f"the write after the kills failed: {done.stderr}")
    checker.confirmed(done.stdout.strip(), {"minutes": 5})
    checker.check("after a last write")
    if list(checker.folder.glob(".*.tmp")):
        raise Failure("the write after the kills left temporary files")
