"""Crash safety (issue 2): `tracker log` and `tracker edit`, killed with SIGKILL at random moments
on a folder holding four years of data, never leave a data file that does not parse, never lose
an entry, and never lose a change whose command printed its id.

Two kinds of victims: single `tracker log` / `tracker edit` processes, killed somewhere between
start-up and exit; and a process running `tracker.cli.main` in a loop (many writes a second), so
that the kills land inside writes too. Last, an import killed half-way completes when run again.
bench/crash_bench.py runs the log/edit kills with many more of them.
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

from conftest import PYTHON, TRACKER, subprocess_env
from tinydb import TinyDB

from tracker.store import Store

ID = re.compile(r"[0-9a-f]{32}")
SINGLE_KILLS = 22
LOOP_KILLS = 12
FIRST_DAY = date(2022, 10, 18)  # 1,500 days before TODAY: the span of the demo data
LAST_DAY = date(2026, 11, 25)

Signature = tuple[int, int, int]


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
    temp_files_seen: int = 0

    def attempted(self, entry_id: str, state: dict[str, Any]) -> None:
        if entry_id not in self.allowed:  # never changed by a printed command: as it was
            before = self.initial[entry_id]
            self.allowed[entry_id] = [{k: before[k] for k in state}]
        self.allowed[entry_id].append(state)

    def confirmed(self, entry_id: str, state: dict[str, Any]) -> None:
        self.allowed[entry_id] = [state]

    def check(self, context: str) -> dict[str, dict[str, Any]]:
        """Every data file parses; no entry lost; every printed change is there."""
        for path in sorted(self.folder.glob("*.json")):
            st = path.stat()
            signature = (st.st_ino, st.st_mtime_ns, st.st_size)
            if self.checked.get(path.name) == signature:
                continue
            raw = path.read_bytes()
            json.loads(raw)  # raises on a torn file
            with TinyDB(path) as db:
                for table in db.tables():
                    db.table(table).all()
            self.checked[path.name] = signature
            self.files_checked += 1
        self.temp_files_seen += len(list(self.folder.glob(".*.tmp")))
        entries = {e["id"]: e for e in Store(self.folder).entries()}
        lost = set(self.initial) - set(entries)
        assert not lost, f"{context}: {len(lost)} entries lost"
        for entry_id, states in self.allowed.items():
            assert entry_id in entries, f"{context}: printed id {entry_id} missing"
            entry = entries[entry_id]
            assert any(all(entry[k] == v for k, v in s.items()) for s in states), (
                f"{context}: {entry_id} is {entry}, expected one of {states}"
            )
        self.entries_verified += len(set(self.allowed) | set(self.initial))
        for tag in self.unconfirmed_tags:
            assert sum(e["notes"] == tag for e in entries.values()) <= 1, context
        return entries


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
    deadline = time.monotonic() + 5
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


def random_day(rng: random.Random) -> str:
    return (FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))).isoformat()


def new_command(
    rng: random.Random, movable: list[str], tag: str
) -> tuple[list[str], str | None, dict[str, Any]]:
    """A random `log` or `edit` command: (args, id it edits or None, fields it sets)."""
    if rng.random() < 0.5:
        day = random_day(rng)
        args = ["log", "lunge", "--sets", "3", "--reps", "10", "--tempo", "4-1-4"]
        return [*args, "--date", day, "--notes", tag], None, {"notes": tag, "date": day}
    target = rng.choice(movable)
    changes: dict[str, Any] = {"notes": tag}
    args = ["edit", target, "--notes", tag]
    if rng.random() < 0.6:  # move it to another month (and often another year)
        changes["date"] = random_day(rng)
        args += ["--date", changes["date"]]
    return args, target, changes


def prepare(folder: Path) -> tuple[Checker, list[str]]:
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
    assert done.returncode == 0, done.stderr
    checker.confirmed(done.stdout.strip(), {"minutes": 5})
    checker.check("after a last write")
    assert not list(checker.folder.glob(".*.tmp"))


def test_killed_log_and_edit_commands_lose_nothing(copy_years: Path) -> None:
    rng = random.Random(20261125)
    checker, movable = prepare(copy_years)
    in_writes = 0
    for number in range(SINGLE_KILLS):
        tag = f"single-{number}"
        args, target, changes = new_command(rng, movable, tag)
        process = subprocess.Popen(
            [TRACKER, *args, "--data", str(copy_years)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=subprocess_env(),
        )
        if number % 2:
            # A log takes ~60 ms here and an edit ~120 ms: kill anywhere in that span.
            kill_at_random(process, rng, 0.14 if target else 0.08)
        else:
            in_writes += kill_in_a_write(process, copy_years, rng)
        out, err = process.communicate(timeout=30)
        checker.kills += 1
        printed = out.strip()
        assert "Traceback" not in err
        if target is None:
            if ID.fullmatch(printed):
                checker.confirmed(printed, changes)
            else:
                checker.unconfirmed_tags.add(tag)
        elif printed == target:
            checker.confirmed(target, changes)
        else:
            checker.attempted(target, changes)
        checker.check(f"kill {number}: {args}")
    assert checker.kills == SINGLE_KILLS
    assert in_writes >= SINGLE_KILLS // 4  # the kills aimed at writes did meet writes
    finish(checker)


# A process that runs commands in a loop, saying before each what it runs: "RUN <json>".
LOOP = """
import json, random, sys
from tracker.cli import main
rng = random.Random(int(sys.argv[1]))
folder, movable = sys.argv[2], json.loads(sys.argv[3])
for number in range(400):
    tag = f"loop-{sys.argv[1]}-{number}"
    day = "%04d-%02d-%02d" % (rng.randint(2023, 2025), rng.randint(1, 12), rng.randint(1, 28))
    if rng.random() < 0.5:
        args = ["log", "cycling", "--minutes", "20", "--date", day, "--notes", tag]
    else:
        args = ["edit", rng.choice(movable), "--notes", tag, "--date", day]
    print("RUN " + json.dumps(args), flush=True)
    main([*args, "--data", folder])
    sys.stdout.flush()
"""


def test_a_process_killed_in_the_middle_of_many_writes_loses_nothing(copy_years: Path) -> None:
    rng = random.Random(7)
    checker, movable = prepare(copy_years)
    candidates = rng.sample(movable, 200)
    in_writes = 0
    for number in range(LOOP_KILLS):
        process = subprocess.Popen(
            [PYTHON, "-u", "-c", LOOP, str(number), str(copy_years), json.dumps(candidates)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=subprocess_env(),
        )
        if number % 2:
            # Start-up takes ~60 ms; then a command every few ms (an edit reads four years).
            kill_at_random(process, rng, 0.45)
        else:
            in_writes += kill_in_a_write(process, copy_years, rng, skip=rng.randrange(12))
        out, err = process.communicate(timeout=30)
        checker.kills += 1
        assert "Traceback" not in err
        lines = out.splitlines()
        runs = [i for i, line in enumerate(lines) if line.startswith("RUN ")]
        assert runs, f"kill {number}: the loop never started ({err})"
        for position in runs:
            args = json.loads(lines[position][4:])
            printed = lines[position + 1] if position + 1 < len(lines) else ""
            tag = args[args.index("--notes") + 1]
            changes = {"notes": tag, "date": args[args.index("--date") + 1]}
            if args[0] == "log":
                if ID.fullmatch(printed):
                    checker.confirmed(printed, changes)
                else:
                    checker.unconfirmed_tags.add(tag)
            elif printed == args[1]:
                checker.confirmed(args[1], changes)
            else:
                checker.attempted(args[1], changes)
        checker.check(f"loop kill {number} after {len(runs)} commands")
    assert checker.kills == LOOP_KILLS
    assert len(checker.allowed) > LOOP_KILLS  # many commands finished between the kills
    assert in_writes >= LOOP_KILLS // 4
    finish(checker)


def test_the_years_of_data_are_years(years_of_data: Path) -> None:
    # The folder the kills run on holds what issue 2 asks for: years of data, many files.
    files = list(years_of_data.glob("entries-*.json"))
    assert len(files) >= 48
    assert sum(os.path.getsize(p) for p in files) > 1_000_000


def test_an_import_killed_half_way_completes_when_run_again(
    years_of_data: Path, tmp_path: Path
) -> None:
    # cli.md: "if a crash interrupts an import, running the same import again completes it".
    export = tmp_path / "export.json"
    subprocess.run(
        [TRACKER, "export", "--out", str(export), "--data", str(years_of_data)],
        check=True,
        env=subprocess_env(),
    )
    entries = json.loads(export.read_text())
    export.write_text(json.dumps([e for e in entries if e["date"] >= "2025-09-01"]))

    def tracker(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [TRACKER, *args], capture_output=True, text=True, env=subprocess_env(), timeout=60
        )

    reference = tmp_path / "reference"
    assert tracker("import", str(export), "--data", str(reference)).returncode == 0
    expected = tracker("list", "--json", "--data", str(reference)).stdout
    rng = random.Random(3)
    partial = 0
    for number in range(4):
        folder = tmp_path / f"killed-{number}"
        process = subprocess.Popen(
            [TRACKER, "import", str(export), "--data", str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=subprocess_env(),
        )
        folder.mkdir(mode=0o700, exist_ok=True)
        kill_in_a_write(process, folder, rng, skip=rng.randrange(1, 12))
        process.communicate(timeout=30)
        Checker(folder, {}).check(f"import kill {number}")
        partial += len(Store(folder).entries()) < len(json.loads(expected))
        again = tracker("import", str(export), "--data", str(folder))
        assert again.returncode == 0, again.stderr
        assert tracker("list", "--json", "--data", str(folder)).stdout == expected
        assert not list(folder.glob(".*.tmp"))
    assert partial >= 2  # the kills did stop imports half-way
