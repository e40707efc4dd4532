"""Concurrency (issue 2): processes writing one data folder at the same time lose nothing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import PYTHON, TRACKER, subprocess_env
from tinydb import TinyDB

from tracker.store import Store

# Each worker keeps one Store for all its adds (so its copy in memory goes stale as the others
# write), says "ready", waits for "go" on stdin, then adds its entries and prints their ids.
WORKER = """
import sys
from datetime import date
from pathlib import Path
from tracker.store import Store
worker, count, folder = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
store = Store(folder, today=lambda: date(2026, 11, 25))
store.entries()
print("ready", flush=True)
sys.stdin.readline()
for number in range(count):
    # Three months, so that the workers meet in every file.
    day = f"2026-{9 + number % 3:02d}-{1 + worker:02d}"
    values = {"minutes": number + 1, "date": day, "notes": f"w{worker}-{number}"}
    entry = store.add("cycling", values)
    print(entry["id"], flush=True)
"""


def check_files(folder: Path) -> None:
    for path in folder.glob("*.json"):
        json.loads(path.read_bytes())
        with TinyDB(path) as db:
            for table in db.tables():
                db.table(table).all()


def test_four_processes_adding_25_entries_each_end_with_all_100(data_dir: Path) -> None:
    workers = [
        subprocess.Popen(
            [PYTHON, "-c", WORKER, str(n), "25", str(data_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=subprocess_env(),
        )
        for n in range(4)
    ]
    for worker in workers:
        assert worker.stdout is not None
        assert worker.stdout.readline() == "ready\n"
    for worker in workers:  # all four start together
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    printed: list[str] = []
    for worker in workers:
        out, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err
        printed += out.split()
    assert len(printed) == len(set(printed)) == 100

    check_files(data_dir)
    entries = Store(data_dir).entries()
    assert sorted(e["id"] for e in entries) == sorted(printed)
    assert sorted(e["notes"] for e in entries) == sorted(
        f"w{w}-{n}" for w in range(4) for n in range(25)
    )
    assert {p.name for p in data_dir.glob("entries-*.json")} == {
        "entries-2026-09.home.json",
        "entries-2026-10.home.json",
        "entries-2026-11.home.json",
    }
    # The undo journal has every step it can keep, each a real one.
    assert Store(data_dir).undo_steps() == 50


def test_tracker_log_from_four_shells_at_once(data_dir: Path) -> None:
    loop = (
        'for i in 1 2 3 4 5 6; do "$0" log rotation --exercise clamshell --sets 2 --reps "$i"'
        ' --notes "$1-$i" --data "$2" || exit 1; done'
    )
    shells = [
        subprocess.Popen(
            ["sh", "-c", loop, TRACKER, f"shell{n}", str(data_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=subprocess_env(),
        )
        for n in range(4)
    ]
    printed: list[str] = []
    for shell in shells:
        out, err = shell.communicate(timeout=60)
        assert shell.returncode == 0, err
        printed += out.split()
    assert len(set(printed)) == 24
    check_files(data_dir)
    entries = Store(data_dir).entries()
    assert sorted(e["id"] for e in entries) == sorted(printed)
    assert {e["notes"] for e in entries} == {f"shell{n}-{i}" for n in range(4) for i in range(1, 7)}
