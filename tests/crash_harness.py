"""The SIGKILL harness of tests/test_crash_safety.py and bench/crash_bench.py.

One copy, so that the bench's long run kills and checks exactly as the test does: a fix to a
check reaches both. A plain module (no ``test_`` prefix), so pytest does not collect it; the
bench puts this folder on ``sys.path`` to import it.

Four phases, each a function both use (issue 2 for the first, issue 10 for the others):

- ``kill_a_command``: `tracker log` and `tracker edit` (an edit often moves an entry to another
  month, so two files change).
- ``kill_deletes_and_undos``: `tracker delete ID`, and `tracker undo` of a delete just made.
  A delete that printed its id is a promise: the entry never comes back, whatever runs later
  (until an undo of it prints "Undid").
- ``kill_migrations``: the first writes to a folder an older tracker wrote (one shared file per
  month, schema 1, an ``undo.json``), killed at random points of the migration they start.
- ``kill_conflict_folds``: writes to months that have conflict copies holding changes found
  nowhere else (new entries, an edit, a delete), killed while they fold the copies in.

After every kill ``Checker.check``: each data file (index files too) parses as JSON and opens
with plain ``tinydb.TinyDB``; no entry is lost and none is shown twice; every printed change is
there, both in a fresh ``Store(folder).entries()`` and by ``Store.get(id)`` (the index path),
and every printed delete stays gone; a log that printed no id is stored at most once.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from conftest import TODAY, TRACKER, subprocess_env
from tinydb import TinyDB

from tracker import records
from tracker.store import Store
from tracker.store.layout import ARCHIVE_FOLDER, INDEX_FOLDER, LEGACY_UNDO_FILE, classify
from tracker.store.store import EntryNotFound

ID = re.compile(r"[0-9a-f]{32}")
LAST_DAY = date.fromisoformat(TODAY)  # the demo data ends on the fixed "today"
# The device the harness's processes write as (TRACKER_DEVICE; tests/conftest.py sets it too).
DEVICE = "home"

Signature = tuple[int, int, int]
State = dict[str, Any] | None  # what an entry must look like (some of its fields); None: gone


class Failure(AssertionError):
    """A broken promise. An AssertionError, so that a test reports it as a failed assert; the
    bench catches it to say what broke and keep the data folder."""


@dataclass
class Counts:
    """One phase's figures, summed over the folders it killed writers in."""

    kills: int = 0
    # Kills aimed at a write that met one: the watcher saw the folder change, then killed.
    in_writes: int = 0
    # Checks that found a new temporary file: the kill before stopped a write half-way.
    temps_left: int = 0
    checks: int = 0
    files_checked: int = 0
    entries_verified: int = 0
    lookups: int = 0  # Store.get by id, through the index
    # Kills that left a migration or a fold half done, and the distinct points they left it at.
    halfway: int = 0
    places: set[tuple[int, ...]] = field(default_factory=set)
    # Per verb (log, edit, delete, undo): commands killed, and those that said they were done.
    tried: Counter[str] = field(default_factory=Counter)
    done: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        text = (
            f"{self.kills} kills, {self.in_writes} met a write ({self.temps_left} left a "
            f"temporary file), {self.checks} checks: {self.files_checked} file versions parsed, "
            f"{self.entries_verified} entry checks, {self.lookups} lookups by id"
        )
        if self.places:
            text += f"; {self.halfway} left it half done, at {len(self.places)} different points"
        verbs = ", ".join(f"{v} {self.done[v]}/{n}" for v, n in sorted(self.tried.items()))
        return f"{text}; printed before the kill: {verbs}"


@dataclass(frozen=True)
class Command:
    """One `tracker` command to kill, and what it does when it finishes."""

    args: list[str]
    verb: str  # log, edit, delete or undo
    target: str | None  # the id it edits, deletes or brings back; None for a log
    state: State  # the fields it sets; None when it removes the entry


@dataclass
class Checker:
    """What must hold in the folder after each kill, and what has been seen so far."""

    folder: Path
    initial: dict[str, dict[str, Any]]
    counts: Counts = field(default_factory=Counts)
    # Per id, the states it may be in: the last printed change, and any attempted after it.
    allowed: dict[str, list[State]] = field(default_factory=dict)
    # Tags of log commands whose id was not printed: stored at most once.
    unconfirmed_tags: set[str] = field(default_factory=set)
    checked: dict[str, Signature] = field(default_factory=dict)
    temp_names: set[str] = field(default_factory=set)
    # How long each verb's command runs here when not killed (``measure_lives``), seconds.
    lives: dict[str, float] = field(default_factory=dict)

    def attempted(self, entry_id: str, state: State) -> None:
        if entry_id not in self.allowed:  # never changed by a printed command: as it was
            self.allowed[entry_id] = [dict(self.initial[entry_id])]
        self.allowed[entry_id].append(state)

    def confirmed(self, entry_id: str, state: State) -> None:
        self.allowed[entry_id] = [state]

    def ran(self, target: str | None, printed: str, changes: dict[str, Any]) -> None:
        """Note what a killed log or edit may have done, going by what it printed before dying.

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

    def record(self, command: Command, printed: str) -> bool:
        """Note what ``command`` may have done; True when it said it was done."""
        if command.verb in ("log", "edit"):
            assert command.state is not None
            self.ran(command.target, printed, command.state)
            return (
                bool(ID.fullmatch(printed)) if command.target is None else printed == command.target
            )
        assert command.target is not None
        done = (
            printed == command.target if command.verb == "delete" else printed.startswith("Undid:")
        )
        if done:
            self.confirmed(command.target, command.state)
        else:
            self.attempted(command.target, command.state)
        return done

    def check(self, context: str) -> None:
        """Every data file parses; nothing lost or doubled; every printed change is there,
        through the merged view and through the index alike."""
        self.counts.checks += 1
        self._parse_files(context)
        temps = {
            str(p.relative_to(self.folder))
            for folder in (self.folder, self.folder / INDEX_FOLDER)
            for p in folder.glob(".*.tmp")
        }
        if temps - self.temp_names:
            self.counts.temps_left += 1
        self.temp_names |= temps
        listed = Store(self.folder).entries()
        entries = {e["id"]: e for e in listed}
        if len(entries) != len(listed):
            raise Failure(f"{context}: {len(listed) - len(entries)} entries are shown twice")
        may_be_gone = {i for i, states in self.allowed.items() if None in states}
        lost = set(self.initial) - set(entries) - may_be_gone
        if lost:
            raise Failure(f"{context}: {len(lost)} entries lost, e.g. {sorted(lost)[0]}")
        lookup = Store(self.folder)
        for entry_id, states in self.allowed.items():
            entry = entries.get(entry_id)
            if not any(_matches(entry, state) for state in states):
                shown = "missing" if entry is None else f"{entry}"
                raise Failure(f"{context}: {entry_id} is {shown}, expected one of {states}")
            try:
                found: dict[str, Any] | None = lookup.get(entry_id)
            except EntryNotFound:
                found = None
            self.counts.lookups += 1
            if found != entry:
                raise Failure(
                    f"{context}: Store.get({entry_id}) gives {found}, the whole diary {entry}"
                )
        self.counts.entries_verified += len(set(self.allowed) | set(self.initial))
        for tag in self.unconfirmed_tags:
            if sum(e["notes"] == tag for e in entries.values()) > 1:
                raise Failure(f"{context}: the unconfirmed log {tag!r} is stored twice")

    def _parse_files(self, context: str) -> None:
        paths = [*self.folder.glob("*.json"), *(self.folder / INDEX_FOLDER).glob("*.json")]
        for path in sorted(paths):
            name = str(path.relative_to(self.folder))
            st = path.stat()
            signature = (st.st_ino, st.st_mtime_ns, st.st_size)
            if self.checked.get(name) == signature:
                continue
            try:
                json.loads(path.read_bytes())  # a torn file does not parse
                if path.parent == self.folder:  # index files are keyed by id, not TinyDB's
                    with TinyDB(path) as db:
                        for table in db.tables():
                            db.table(table).all()
            except ValueError as error:
                raise Failure(f"{context}: {name} does not parse: {error}") from None
            self.checked[name] = signature
            self.counts.files_checked += 1

    def check_list(self, context: str) -> None:
        """`tracker list --json` shows what a fresh Store reads, entry for entry."""
        shown = subprocess.run(
            [TRACKER, "list", "--json", "--data", str(self.folder)],
            capture_output=True,
            text=True,
            env=subprocess_env(TRACKER_DEVICE=DEVICE),
            timeout=60,
        )
        if shown.returncode != 0:
            raise Failure(f"{context}: tracker list --json failed: {shown.stderr}")
        if json.loads(shown.stdout) != Store(self.folder).entries():
            raise Failure(f"{context}: tracker list --json differs from the stored entries")


def _matches(entry: dict[str, Any] | None, state: State) -> bool:
    if state is None or entry is None:
        return state is None and entry is None
    return all(entry.get(k) == v for k, v in state.items())


def folder_state(folder: Path, ignore: Collection[str] = ()) -> dict[str, tuple[int, int]]:
    """Each file's (mtime, size), but those named in ``ignore``: a change shows a write under
    way or just done."""
    state: dict[str, tuple[int, int]] = {}
    with os.scandir(folder) as it:
        for item in it:
            if item.name in ignore:
                continue
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
    process: subprocess.Popen[str],
    folder: Path,
    rng: random.Random,
    skip: int = 0,
    ignore: Collection[str] = (),
) -> bool:
    """Kill ``process`` a random few microseconds after it starts its ``skip``-th write (of
    files not named in ``ignore``: ``index`` skips the index's writes).

    True when a write was seen; the process is killed either way.
    """
    # Only a guard against a process that never writes; a write normally comes within ms.
    deadline = time.monotonic() + 60
    before = folder_state(folder, ignore)
    seen = 0
    while time.monotonic() < deadline and process.poll() is None:
        now = folder_state(folder, ignore)
        if now != before:
            seen += 1
            if seen > skip:
                time.sleep(rng.choice([0, 0, rng.uniform(0, 0.002)]))
                process.kill()
                return True
            before = now
    process.kill()
    return False


def start(args: list[str], folder: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [TRACKER, *args, "--data", str(folder)],
        stdin=subprocess.DEVNULL,  # `undo` never asks: no terminal
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(TRACKER_DEVICE=DEVICE),
    )


def kill_and_check(
    checker: Checker,
    command: Command,
    rng: random.Random,
    context: str,
    *,
    skip: int | None = None,
    span: float | None = None,
    ignore: Collection[str] = (),
) -> tuple[bool, bool]:
    """Start ``command``, SIGKILL it, check the folder: (did the kill meet a write, did the
    command say it was done).

    With ``skip`` it dies a few microseconds after its ``skip``-th write starts (or finishes,
    when it has fewer; writes to ``ignore`` not counted); else at a random moment of its first
    ``span`` seconds: by default its whole life and a little more, so that some finish.
    """
    process = start(command.args, checker.folder)
    in_a_write = False
    if skip is None:
        if span is None:
            span = 1.25 * checker.lives.get(command.verb, 0.15)
        kill_at_random(process, rng, span)
    else:
        in_a_write = kill_in_a_write(process, checker.folder, rng, skip, ignore)
    out, err = process.communicate(timeout=60)
    checker.counts.kills += 1
    checker.counts.in_writes += in_a_write
    if "Traceback" in err:
        raise Failure(f"{context}: {command.args}: traceback\n{err}")
    done = checker.record(command, out.strip())
    checker.counts.tried[command.verb] += 1
    checker.counts.done[command.verb] += done
    checker.check(f"{context}: {command.args}")
    return in_a_write, done


def random_day(rng: random.Random, first: date, last: date = LAST_DAY) -> str:
    return (first + timedelta(days=rng.randrange((last - first).days + 1))).isoformat()


def new_command(
    rng: random.Random, movable: list[str], tag: str, first: date, last: date = LAST_DAY
) -> tuple[list[str], str | None, dict[str, Any]]:
    """A random `log` or `edit` command: (args, id it edits or None, fields it sets).

    Logs are dated from ``first`` to ``last``; edits move entries to any day up to today.
    """
    if rng.random() < 0.5:
        day = random_day(rng, first, last)
        args = ["log", "lunge", "--sets", "3", "--reps", "10", "--tempo", "4-1-4"]
        return [*args, "--date", day, "--notes", tag], None, {"notes": tag, "date": day}
    target = rng.choice(movable)
    changes: dict[str, Any] = {"notes": tag}
    args = ["edit", target, "--notes", tag]
    if rng.random() < 0.6:  # move it to another month (and often another year)
        changes["date"] = random_day(rng, first)
        args += ["--date", changes["date"]]
    return args, target, changes


def log_or_edit(
    rng: random.Random, movable: list[str], tag: str, first: date, last: date = LAST_DAY
) -> Command:
    args, target, changes = new_command(rng, movable, tag, first, last)
    return Command(args, "log" if target is None else "edit", target, changes)


def kill_a_command(
    checker: Checker, rng: random.Random, movable: list[str], number: int, first: date
) -> bool:
    """Start kill ``number``'s random `tracker log` or `tracker edit`, SIGKILL it, check.

    Odd numbers die at a random moment of the command's life, even ones a few microseconds into
    its write: True when such a kill did meet a write. Data dates run from ``first`` to today.
    """
    command = log_or_edit(rng, movable, f"kill-{number}", first)
    if number % 2:  # anywhere in the command's life (``Checker.lives``)
        return kill_and_check(checker, command, rng, f"kill {number}")[0]
    return kill_and_check(checker, command, rng, f"kill {number}", skip=0)[0]


def measure_lives(folder: Path) -> dict[str, float]:
    """How long a log, an edit, a delete and an undo run, not killed, on a copy of
    ``folder``: what kills "at a random moment of a command's life" spread over."""
    work = folder.with_name(folder.name + "-timing")
    fresh_copy(folder, work)
    target = next(e["id"] for e in Store(work).entries() if e["kind"] != "checkin")
    commands = {
        "log": ["log", "lunge", "--sets", "3", "--reps", "10", "--tempo", "4-1-4"],
        "edit": ["edit", target, "--notes", "timing", "--date", TODAY],
        "delete": ["delete", target],
        "undo": ["undo", "--yes"],
    }
    lives: dict[str, float] = {}
    for verb, args in commands.items():
        started = time.monotonic()
        process = start(args, work)
        process.communicate(timeout=60)
        lives[verb] = time.monotonic() - started
        if process.returncode != 0:
            raise Failure(f"{args} failed on a copy of {folder}")
    shutil.rmtree(work)
    return lives


def prepare(folder: Path, counts: Counts | None = None) -> tuple[Checker, list[str]]:
    """A checker of ``folder`` as it is now, and the ids an edit may move to any date."""
    entries = Store(folder).entries()
    checker = Checker(folder, {e["id"]: e for e in entries}, counts or Counts())
    checker.lives = measure_lives(folder)
    checker.check("before any kill")
    # Exercise entries can move to any date; a check-in might meet another one (exit 2).
    movable = [e["id"] for e in entries if e["kind"] != "checkin"]
    return checker, movable


def finish(checker: Checker, day: str = TODAY) -> str:
    """One more write, not killed, removes what the killed writers left behind (and finishes
    a migration, and folds the copies of ``day``'s month). The new entry's id."""
    done = subprocess.run(
        [TRACKER, "log", "cycling", "--minutes", "5", "--date", day, "--data", str(checker.folder)],
        capture_output=True,
        text=True,
        env=subprocess_env(TRACKER_DEVICE=DEVICE),
        timeout=60,
    )
    if done.returncode != 0:
        raise Failure(f"the write after the kills failed: {done.stderr}")
    entry_id = done.stdout.strip()
    checker.confirmed(entry_id, {"minutes": 5, "date": day})
    checker.check(f"after a last write on {day}")
    if list(checker.folder.glob(".*.tmp")) or list((checker.folder / INDEX_FOLDER).glob(".*.tmp")):
        raise Failure("the write after the kills left temporary files")
    return entry_id


def check_archived(folder: Path, originals: dict[str, bytes], context: str) -> None:
    """Each of ``originals`` (name: bytes) is out of the folder and in archive/, unchanged."""
    for name, data in originals.items():
        if (folder / name).exists():
            raise Failure(f"{context}: {name} is still in the data folder")
        kept = folder / ARCHIVE_FOLDER / name
        if not kept.exists():
            raise Failure(f"{context}: {name} is not in {ARCHIVE_FOLDER}/")
        if kept.read_bytes() != data:
            raise Failure(f"{context}: {ARCHIVE_FOLDER}/{name} is not the file as it was")


def count_writes(template: Path, work: Path, args: list[str], ignore: Collection[str] = ()) -> int:
    """How many folder changes the watcher of ``kill_in_a_write`` sees while ``args`` runs,
    not killed, on a copy of ``template`` (changes of ``ignore`` not counted)."""
    fresh_copy(template, work)
    process = start(args, work)
    before = folder_state(work, ignore)
    seen = 0
    while process.poll() is None:
        now = folder_state(work, ignore)
        if now != before:
            seen += 1
            before = now
    if process.wait() != 0:
        raise Failure(f"{args} failed on {template}")
    return seen


def fresh_copy(template: Path, work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(template, work)


# ------------------------------------------------------------------ deletes and undo


def kill_deletes_and_undos(
    checker: Checker,
    rng: random.Random,
    kills: int,
    first: date,
    min_in_writes: int = 0,
    min_undos: int = 0,
) -> None:
    """Kill `tracker delete ID`, `tracker undo` of the delete just printed, and a few logs and
    edits between them, ``kills`` times (more, up to four times as many, until ``min_in_writes``
    of the kills aimed at writes met one and ``min_undos`` undos were killed). Checked after
    each kill."""
    counts = checker.counts
    pool = sorted(checker.initial)  # the ids a delete or an edit may pick: known states only
    checkins = {i for i, e in checker.initial.items() if e["kind"] == "checkin"}
    restorable: dict[str, Any] | None = None  # a printed delete, the last change: undo it
    number = 0
    while number < kills or (
        (counts.in_writes < min_in_writes or counts.tried["undo"] < min_undos)
        and number < 4 * kills
    ):
        before: dict[str, Any] | None = None
        if restorable is not None and rng.random() < 0.6:
            command = Command(["undo", "--yes"], "undo", restorable["id"], restorable)
        elif rng.random() < 0.7:
            target = pool.pop(rng.randrange(len(pool)))
            before = Store(checker.folder).get(target)  # what an undo must bring back
            command = Command(["delete", target], "delete", target, None)
        else:
            movable = [i for i in pool if i not in checkins]
            command = log_or_edit(rng, movable, f"delete-phase-{number}", first)
        context = f"delete phase, kill {number}"
        if number % 2:
            _, done = kill_and_check(checker, command, rng, context)
        else:
            # After any of its writes (index, month file, journal: about 6 changes) or none.
            _, done = kill_and_check(checker, command, rng, context, skip=rng.randrange(7))
        restorable = before if command.verb == "delete" and done else None
        if command.verb == "undo" and done:
            pool.append(command.target or "")  # back as it was: may be deleted again
        number += 1


# ------------------------------------------------------------------ migration


def old_layout(folder: Path) -> dict[str, bytes]:
    """Turn ``folder`` (this device's files) into a folder as an older tracker wrote it.

    One shared file per month (``entries-YYYY-MM.json``, schema 1, no tombstones), no index, an
    ``undo.json``; and one entry in two months, the copies a crash left when an old tracker
    moved it (the later one is the entry). Returns every old file's name and bytes.
    """
    meta = {"_meta": {"1": {"app": "tracker", "schema": 1}}}
    months: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(folder.glob(f"entries-*.{DEVICE}.json")):
        source = classify(path.name)
        assert source is not None and not source.conflict_copy
        tables = json.loads(path.read_bytes())
        months[source.month] = sorted(tables["entries"].values(), key=records.sort_key)
        path.unlink()
    shutil.rmtree(folder / INDEX_FOLDER, ignore_errors=True)
    (folder / f"undo.{DEVICE}.json").unlink(missing_ok=True)
    names = sorted(months)
    # The crash copy: a lunge moved from one month to a later one; the move's copy is newer.
    origin, arrival = names[len(names) // 3], names[2 * len(names) // 3]
    lunge = next(e for e in months[origin] if e["kind"] == "lunge")
    moved = {**lunge, "date": f"{arrival}-15", "notes": "moved by an older tracker"}
    moved["updated_at"] = f"{TODAY}T08:00:00+00:00"
    months[arrival] = sorted([*months[arrival], moved], key=records.sort_key)
    written: dict[str, bytes] = {}
    for month, held in months.items():
        table = {str(n): e for n, e in enumerate(held, start=1)}
        name = f"entries-{month}.json"
        written[name] = json.dumps({**meta, "entries": table}).encode()
    last = months[names[-1]][-3:]
    steps = {
        str(n): {
            "description": f"added an entry of {entry['date']}",
            "changes": [{"before": None, "after": entry}],
            **({"made_at": f"{TODAY}T07:00:00+00:00"} if n > 1 else {}),  # the first: older
        }
        for n, entry in enumerate(last, start=1)
    }
    written[LEGACY_UNDO_FILE] = json.dumps({**meta, "undo": steps}).encode()
    for name, data in written.items():
        (folder / name).write_bytes(data)
    return written


def migration_point(folder: Path) -> tuple[int, int, int, int]:
    """How far a migration got: (index files written, this device's month files, old month
    files left, whether undo.json is left)."""
    names = os.listdir(folder)
    sources = [source for source in map(classify, names) if source is not None]
    left = sum(1 for s in sources if s.device is None and not s.conflict_copy)
    own = sum(1 for s in sources if s.device == DEVICE and not s.conflict_copy)
    index = folder / INDEX_FOLDER
    shards = len(os.listdir(index)) if index.exists() else 0
    return shards, own, left, int(LEGACY_UNDO_FILE in names)


def kill_migrations(
    template: Path,
    work: Path,
    rng: random.Random,
    kills: int,
    first: date,
    counts: Counts,
    min_places: int = 0,
) -> None:
    """Kill the first writes to a copy of ``template`` (an old folder, ``old_layout``) at
    random points of the migration they start, ``kills`` times in all; after the kills on each
    copy, one write that finishes, then every old file must be in archive/ unchanged. Goes on
    (up to four times as many kills) until kills stopped a migration half-way at
    ``min_places`` different points."""
    originals = {
        name: (template / name).read_bytes()
        for name in os.listdir(template)
        if name == LEGACY_UNDO_FILE or _is_old(name)
    }
    old_months = len(originals) - 1
    old_steps = json.loads(originals[LEGACY_UNDO_FILE])["undo"]
    initial = {e["id"]: e for e in Store(template).entries()}
    lives = measure_lives(template)  # its log migrates: a migration's life
    # A kill after any of the folder changes a whole migration makes (as the watcher sees
    # them), or just past the end. Most are the index's (256 shards, written first): half the
    # kills count only the changes of the rest (month files, archive moves, undo.json).
    first_write = ["log", "cycling", "--minutes", "5"]
    spans = {
        (): count_writes(template, work, first_write) + 4,
        (INDEX_FOLDER,): count_writes(template, work, first_write, (INDEX_FOLDER,)) + 4,
    }
    number = 0
    while counts.kills < kills or (len(counts.places) < min_places and counts.kills < 4 * kills):
        fresh_copy(template, work)
        checker = Checker(work, initial, counts, lives=lives)
        pool = sorted(initial)
        for kill in range(rng.randint(1, 3)):
            command = _any_change(rng, pool, initial, f"migration-{number}", first)
            context = f"migration phase, kill {number}"
            if number % 4 == 3:  # anywhere in its life: all of a migration for the first
                span = 1.25 * lives["log"] if kill == 0 else None
                kill_and_check(checker, command, rng, context, span=span)
            else:
                ignore, span = rng.choice(sorted(spans.items()))
                skip = rng.randrange(span)
                kill_and_check(checker, command, rng, context, skip=skip, ignore=ignore)
            shards, own, left, undo_left = point = migration_point(work)
            started = shards > 0 or own > 0 or left < old_months
            if started and (left or undo_left):  # begun, not finished: stopped half-way
                counts.halfway += 1
                counts.places.add(point)
            number += 1
        finish(checker)
        context = f"migration phase, after kill {number - 1}"
        check_archived(work, {n: d for n, d in originals.items() if n != LEGACY_UNDO_FILE}, context)
        if sorted(os.listdir(work / ARCHIVE_FOLDER)) != sorted(set(originals) - {LEGACY_UNDO_FILE}):
            raise Failure(f"{context}: archive/ holds {sorted(os.listdir(work / ARCHIVE_FOLDER))}")
        if (work / LEGACY_UNDO_FILE).exists():
            raise Failure(f"{context}: {LEGACY_UNDO_FILE} was not migrated")
        journal = json.loads((work / f"undo.{DEVICE}.json").read_bytes())["undo"]
        kept = [journal[k] for k in sorted(journal, key=int)][: len(old_steps)]
        if [(s["description"], s["changes"]) for s in kept] != [
            (s["description"], s["changes"]) for s in old_steps.values()
        ]:
            raise Failure(f"{context}: the old undo history did not come along")
        checker.check_list(context)


def _is_old(name: str) -> bool:
    """True for an older tracker's shared month file (no device in its name)."""
    source = classify(name)
    return source is not None and source.device is None and not source.conflict_copy


def _any_change(
    rng: random.Random,
    pool: list[str],
    initial: dict[str, dict[str, Any]],
    tag: str,
    first: date,
    last: date = LAST_DAY,
) -> Command:
    """A log, an edit or a delete of an id from ``pool`` (a deleted one leaves the pool)."""
    if rng.random() < 0.3:
        target = pool.pop(rng.randrange(len(pool)))
        return Command(["delete", target], "delete", target, None)
    movable = [i for i in pool if initial.get(i, {}).get("kind") != "checkin"]
    return log_or_edit(rng, movable, tag, first, last)


# ------------------------------------------------------------------ conflict copies

# How each sync tool names its copy of a month file (layout.py recognises all of them).
COPY_NAMES = (
    "{stem}.sync-conflict-20261125-101010-ABCDEF7.json",  # Syncthing
    "{stem} (conflicted copy 2026-11-25 101010).json",  # Nextcloud
    "{stem} (laptop's conflicted copy 2026-11-25).json",  # Dropbox
    "{stem}_conflict-20261125-101010.json",  # Nextcloud's other form
)


@dataclass
class Planted:
    """Conflict copies planted in a folder: their bytes, what they say that nothing else does,
    and the months they are of."""

    copies: dict[str, bytes]
    states: dict[str, State]
    months: list[str]
    # Per copy, an entry it adds: in this device's file once the copy is folded in.
    added: dict[str, str] = field(default_factory=dict)

    def fold_point(self, folder: Path) -> tuple[int, ...]:
        """Where each copy is: 0 as planted, 1 folded in but not yet archived, 2 archived."""
        point = []
        for name, entry_id in sorted(self.added.items()):
            if not (folder / name).exists():
                point.append(2)
                continue
            own = folder / f"{name.split('.' + DEVICE)[0]}.{DEVICE}.json"
            held = json.loads(own.read_bytes())["entries"].values()
            point.append(int(any(e["id"] == entry_id for e in held)))
        return tuple(point)


def plant_conflict_copies(folder: Path, rng: random.Random, count: int = 3) -> Planted:
    """Conflict copies of ``count`` months of this device's files, each holding two entries
    and one edit found nowhere else; the first also deletes an entry (a tombstone)."""
    sources = [classify(p.name) for p in folder.glob(f"entries-*.{DEVICE}.json")]
    months = sorted(s.month for s in sources if s is not None and s.month < TODAY[:7])
    chosen = sorted(rng.sample(months[1:], count))
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
    planted = Planted({}, {}, chosen)
    for number, month in enumerate(chosen):
        stem = f"entries-{month}.{DEVICE}"
        tables = json.loads((folder / f"{stem}.json").read_bytes())
        entries = {e["id"]: e for e in tables["entries"].values()}
        tombstones = {t["id"]: t for t in tables["deleted"].values()}
        later = max(stamp, *(e["updated_at"] for e in entries.values()))
        for n in range(2):
            day = f"{month}-{rng.randint(1, 28):02d}"
            values = {"sets": 3, "reps": 12, "tempo": "3-1-3", "date": day}
            entry = records.new_entry(
                "lunge", {**values, "notes": f"copy {month} new {n}"}, today=LAST_DAY, now=later
            )
            entries[entry["id"]] = entry
            planted.states[entry["id"]] = dict(entry)
        ids = sorted(i for i in entries if i not in planted.states)
        edited = entries[rng.choice(ids)]
        entries[edited["id"]] = {**edited, "notes": f"copy {month} edit", "updated_at": later}
        planted.states[edited["id"]] = dict(entries[edited["id"]])
        if number == 0:
            gone = rng.choice([i for i in ids if i != edited["id"]])
            del entries[gone]
            tombstones[gone] = {"id": gone, "deleted_at": later, "moved": False}
            planted.states[gone] = None
        copy = {
            "_meta": tables["_meta"],
            "entries": {str(n): entries[i] for n, i in enumerate(sorted(entries), start=1)},
            "deleted": {str(n): tombstones[i] for n, i in enumerate(sorted(tombstones), 1)},
        }
        name = COPY_NAMES[number % len(COPY_NAMES)].format(stem=stem)
        source = classify(name)
        assert source is not None and source.conflict_copy and source.month == month, name
        planted.added[name] = entry["id"]
        planted.copies[name] = json.dumps(copy).encode()
        (folder / name).write_bytes(planted.copies[name])
    return planted


def kill_conflict_folds(
    template: Path,
    planted: Planted,
    work: Path,
    rng: random.Random,
    kills: int,
    counts: Counts,
    min_places: int = 0,
) -> None:
    """Kill logs, edits and deletes of the months of ``planted``'s copies in a copy of
    ``template`` while they fold the copies in, ``kills`` times in all. After the kills on each
    copy, one write per month, not killed: then each copy must be in archive/ unchanged. Goes
    on (up to four times as many kills) until kills left some copies folded or archived and
    others not in ``min_places`` different ways."""
    initial = {e["id"]: e for e in Store(template).entries()}
    in_months = sorted(
        i for i, e in initial.items() if e["date"][:7] in planted.months and i not in planted.states
    )
    lives = measure_lives(template)
    number = 0
    while counts.kills < kills or (len(counts.places) < min_places and counts.kills < 4 * kills):
        fresh_copy(template, work)
        checker = Checker(work, initial, counts, lives=lives)
        for entry_id, state in planted.states.items():
            checker.confirmed(entry_id, state)
        checker.check("conflict copies planted")  # read before any fold: from the copies
        pool = list(in_months)
        for _ in range(rng.randint(1, 3)):
            month = rng.choice(planted.months)
            first = date.fromisoformat(f"{month}-01")
            last = first + timedelta(days=27)
            command = _any_change(rng, pool, initial, f"fold-{number}", first, last)
            context = f"conflict-copy phase, kill {number}"
            if number % 4 == 3:
                kill_and_check(checker, command, rng, context)
            else:
                kill_and_check(checker, command, rng, context, skip=rng.randrange(8))
            point = planted.fold_point(work)
            if 1 in point or (0 in point and 2 in point):  # some folded, some not
                counts.halfway += 1
                counts.places.add(point)
            number += 1
        for month in planted.months:
            finish(checker, f"{month}-28")
        context = f"conflict-copy phase, after kill {number - 1}"
        check_archived(work, planted.copies, context)
        checker.check_list(context)
