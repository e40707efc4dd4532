"""The store on its own: reading and writing the data folder, the lock, temporary files, undo."""

from __future__ import annotations

import fcntl
import json
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, folder_locked, snapshot
from factories import cli_args, values

from tracker import records
from tracker.store import (
    BusyError,
    ChangedElsewhere,
    CheckinExists,
    DataFileError,
    EntryNotFound,
    HistoryConflict,
    Store,
)
from tracker.store import files as files_module
from tracker.store import lock as lock_module
from tracker.store.store import UNDO_LIMIT

TODAY = date(2026, 11, 25)
LUNGE: dict[str, object] = values("lunge")
CHECKIN: dict[str, object] = values("checkin")


@pytest.fixture
def store(data_dir: Path) -> Store:
    return Store(data_dir, today=lambda: TODAY)


def test_reading_an_absent_folder_creates_nothing(data_dir: Path, store: Store) -> None:
    assert store.entries() == []
    assert store.entries_between(date(2026, 1, 1), TODAY) == []
    assert store.refresh() is False
    assert not data_dir.exists()


def test_entries_are_sorted_by_date_then_creation(store: Store) -> None:
    third = store.add("lunge", {**LUNGE, "date": "2026-11-10"})
    first = store.add("cycling", {"minutes": 20, "date": "2025-12-31"})
    second = store.add(
        "rotation", {"exercise": "clamshell", "sets": 2, "reps": 9, "date": "2026-01-01"}
    )
    fourth = store.add("checkin", {**CHECKIN, "date": "2026-11-10"})
    assert [e["id"] for e in store.entries()] == [e["id"] for e in (first, second, third, fourth)]
    assert store.last_of_kind("lunge") == third
    assert store.last_of_kind("checkin") == fourth
    assert store.checkin_on(date(2026, 11, 10)) == fourth
    assert store.checkin_on(date(2026, 11, 11)) is None
    assert [
        e["id"] for e in store.entries_between(date(2026, 1, 1), date(2026, 11, 10), "lunge")
    ] == [third["id"]]


def test_entries_of_a_kind_follow_every_change(data_dir: Path, store: Store) -> None:
    other = Store(data_dir, today=lambda: TODAY)
    assert other.entries_of_kind("lunge") == []
    first = store.add("lunge", {**LUNGE, "date": "2026-11-10"})
    store.add("cycling", {"minutes": 20, "date": "2026-11-09"})
    assert store.entries_of_kind("lunge") == [first]
    second = store.add("lunge", {**LUNGE, "date": "2026-11-01"})
    assert store.entries_of_kind("lunge") == [second, first]  # oldest first, as entries()
    assert other.refresh() is True  # another process's view changes with what it reads
    assert [e["id"] for e in other.entries_of_kind("lunge")] == [second["id"], first["id"]]
    store.delete(first["id"])
    assert store.entries_of_kind("lunge") == [second]


def test_a_second_store_sees_what_the_first_wrote(data_dir: Path, store: Store) -> None:
    other = Store(data_dir, today=lambda: TODAY)
    assert other.entries() == []
    assert other.refresh() is False
    version = other.version
    added = store.add("lunge", LUNGE)
    assert other.refresh() is True
    assert other.version > version
    assert other.entries() == [added]
    assert other.refresh() is False
    store.edit(added["id"], {"notes": "changed"})
    assert other.refresh() is True
    assert other.get(added["id"])["notes"] == "changed"
    store.delete(added["id"])
    assert other.refresh() is True
    assert other.entries() == []


def test_writes_of_two_stores_on_one_folder_both_stay(data_dir: Path, store: Store) -> None:
    other = Store(data_dir, today=lambda: TODAY)
    other.entries()  # loaded before the first store writes
    first = store.add("lunge", LUNGE)
    second = other.add("lunge", LUNGE)
    third = store.add("cycling", {"minutes": 5})
    assert {e["id"] for e in Store(data_dir).entries()} == {first["id"], second["id"], third["id"]}


def test_a_write_never_trusts_a_stat_signature_that_repeats(
    data_dir: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rename can reuse a freed inode within one tick of a coarse file clock, at the same size:
    stat then says "unchanged" although another process wrote. Writes must read afresh."""
    store.add("lunge", LUNGE)
    other = Store(data_dir, today=lambda: TODAY)
    other.entries()
    other.undo_steps()
    with monkeypatch.context() as patch:
        patch.setattr(files_module, "signature", lambda path: (1, 1, 1) if path.exists() else None)
        store.entries()
        store.undo_steps()  # both stores now hold copies that stat can no longer tell apart
        theirs = other.add("cycling", {"minutes": 20})
        ours = store.add("rotation", {"exercise": "clamshell", "sets": 2, "reps": 10})
        edited = other.edit(theirs["id"], {"minutes": "25"})
    fresh = Store(data_dir)
    assert {e["kind"] for e in fresh.entries()} == {"lunge", "cycling", "rotation"}
    assert fresh.get(edited["id"])["minutes"] == 25
    assert fresh.get(ours["id"])["exercise"] == "clamshell"
    assert fresh.undo_steps() == 4  # every store's step journaled, none overwritten


def test_get_by_prefix(store: Store) -> None:
    ids = ["abcdef01" + "0" * 24, "abcdef02" + "0" * 24]
    stamp = "2026-11-01T08:00:00+00:00"
    store.import_entries(
        [
            records.validate_entry(
                {
                    "id": i,
                    "kind": "cycling",
                    "date": "2026-11-01",
                    "minutes": 10,
                    "created_at": stamp,
                    "updated_at": stamp,
                },
                complete=False,
            )
            for i in ids
        ]
    )
    assert store.get("abcdef01")["id"] == ids[0]
    assert store.get("ABCDEF02")["id"] == ids[1]
    with pytest.raises(EntryNotFound, match="2 entries"):
        store.get("abcdef")
    with pytest.raises(EntryNotFound):
        store.get("abcde")
    with pytest.raises(EntryNotFound):
        store.get("ffffffff")


def test_checkin_exists_unless_replace(store: Store) -> None:
    first = store.add("checkin", CHECKIN)
    with pytest.raises(CheckinExists) as caught:
        store.add("checkin", {**CHECKIN, "knee_pain": 9})
    assert caught.value.field == "date"
    replaced = store.add("checkin", {**CHECKIN, "knee_pain": 9}, replace=True)
    assert (replaced["id"], replaced["created_at"]) == (first["id"], first["created_at"])
    assert [e["knee_pain"] for e in store.entries()] == [9]
    result = store.undo()
    assert result is not None and result.description.startswith("Undid: ")
    assert store.entries() == [first]


def test_undo_describes_what_it_undid(store: Store) -> None:
    entry = store.add("lunge", {**LUNGE, "date": "2026-11-20"})
    store.delete(entry["id"])
    undone = store.undo()
    assert undone is not None
    # Issue 7 item 30: dates in words, as the rest of the app names them.
    assert "Fri 20 Nov 2026" in undone.description and "lunge" in undone.description.lower()
    assert undone.entry == entry
    assert store.entries() == [entry]


def test_the_same_id_in_two_files_reads_as_the_later_copy(
    cli: Cli, data_dir: Path, store: Store
) -> None:
    # A crash while an edit moved an entry between months leaves a copy in each file.
    entry = store.add("lunge", {**LUNGE, "date": "2026-10-05"})
    old_file = data_dir / "entries-2026-10.home.json"
    before_the_move = old_file.read_bytes()
    moved = store.edit(entry["id"], {"date": "2026-11-05", "notes": "moved"})
    assert not old_file.exists()  # its only entry left: no empty month file stays
    old_file.write_bytes(before_the_move)  # as a kill before the old month was written
    assert Store(data_dir).entries() == [moved]
    assert [e["notes"] for e in json.loads(cli("list", "--json").out)] == ["moved"]


# ---------------------------------------------------------------- temporary files, lock


@pytest.mark.parametrize(
    "name",
    [
        ".entries-2026-11.json.123.abcd.tmp",
        ".entries-2026-11.json.4242.0badf00d.tmp",
        ".undo.json.7.ab.tmp",
    ],
)
def test_stale_temporary_files_are_removed_by_the_next_write(
    data_dir: Path, store: Store, name: str
) -> None:
    store.add("lunge", LUNGE)
    stale = data_dir / name
    stale.write_text('{"half": ')
    keep = data_dir / ".stfolder"
    keep.write_text("")
    assert Store(data_dir).entries() == store.entries()  # reading leaves it
    assert stale.exists()
    Store(data_dir, today=lambda: TODAY).add("cycling", {"minutes": 10})
    assert not stale.exists()
    assert keep.exists()
    assert not list(data_dir.glob("*.tmp")) and not list(data_dir.glob(".*.tmp"))


def test_a_write_waits_for_another_writer(data_dir: Path, store: Store) -> None:
    store.add("lunge", LUNGE)
    with folder_locked(data_dir) as fd:
        release = threading.Timer(0.3, lambda: fcntl.flock(fd, fcntl.LOCK_UN))
        release.start()
        started = time.monotonic()
        added = Store(data_dir, today=lambda: TODAY).add("cycling", {"minutes": 10})
        waited = time.monotonic() - started
        release.join()
    assert waited >= 0.25
    assert added in Store(data_dir).entries()


def test_a_write_gives_up_when_the_folder_stays_busy(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock_module, "WAIT_SECONDS", 0.3)
    store = Store(data_dir, today=lambda: TODAY)
    store.add("lunge", LUNGE)
    before = snapshot(data_dir)
    with folder_locked(data_dir):
        started = time.monotonic()
        with pytest.raises(BusyError, match="busy"):
            Store(data_dir, today=lambda: TODAY).add("lunge", LUNGE)
        assert 0.25 <= time.monotonic() - started < 3
    assert snapshot(data_dir) == before


def test_the_command_line_exits_1_when_the_folder_stays_busy(
    cli: Cli, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock_module, "WAIT_SECONDS", 0.3)
    cli("log", "cycling", "--minutes", "10")
    before = snapshot(data_dir)
    with folder_locked(data_dir):
        started = time.monotonic()
        result = cli("log", "cycling", "--minutes", "10")
        assert time.monotonic() - started < 3
        assert (result.code, result.out) == (1, "")
        assert "busy" in result.err and str(data_dir) in result.err
        assert "Traceback" not in result.err
        # Reading does not wait for the lock.
        assert cli("list").code == 0
    assert snapshot(data_dir) == before


# ---------------------------------------------------------------- data files


def test_data_file_error_names_the_file(data_dir: Path, store: Store) -> None:
    store.add("lunge", LUNGE)
    (path,) = data_dir.glob("entries-*.json")
    path.write_text('{"_meta": {"1": {"app": "tracker", "schema": 3}}, "entries": {}}')
    with pytest.raises(DataFileError) as caught:
        Store(data_dir).entries()
    assert caught.value.path == path
    assert "newer" in str(caught.value)


@pytest.mark.parametrize(
    "document",
    [
        {"kind": ["lunge"]},
        {"kind": {"a": 1}},
        [1, 2],
        "text",
        None,
    ],
    ids=["list-kind", "dict-kind", "list", "string", "null"],
)
def test_a_foreign_document_in_a_data_file_is_a_data_file_error(
    data_dir: Path, store: Store, document: Any
) -> None:
    store.add("lunge", LUNGE)
    (path,) = data_dir.glob("entries-*.json")
    tables = json.loads(path.read_bytes())
    tables["entries"]["2"] = document
    path.write_text(json.dumps(tables))
    before = path.read_bytes()
    with pytest.raises(DataFileError):
        Store(data_dir).entries()
    with pytest.raises(DataFileError):
        Store(data_dir, today=lambda: TODAY).add("lunge", LUNGE)
    assert path.read_bytes() == before


def test_an_edited_entry_keeps_its_identity(store: Store) -> None:
    entry = store.add("cycling", {"minutes": 30, "distance_km": "10.5", "effort": 6})
    edited = store.edit(entry["id"][:6], {"distance_km": "", "minutes": "45"})
    assert edited["id"] == entry["id"]
    assert edited["created_at"] == entry["created_at"]
    assert (edited["distance_km"], edited["minutes"], edited["effort"]) == (None, 45, 6)
    assert records.session_load(edited) == 270


def test_a_stale_copy_left_by_a_crash_does_not_count_as_a_checkin(cli: Cli, data_dir: Path) -> None:
    # An edit moved a check-in from 2026-10-31 to 2026-11-01 and was killed after writing the
    # November file: the October file still holds the old copy (cli.md: read as the later one).
    flags = cli_args("checkin")
    moved = cli("log", "checkin", *flags, "--date", "2026-10-31").out.strip()
    october = data_dir / "entries-2026-10.home.json"
    old_copy = october.read_bytes()
    assert cli("edit", moved, "--date", "2026-11-01").code == 0
    october.write_bytes(old_copy)
    listed = json.loads(cli("list", "--json").out)
    assert [(e["id"], e["date"]) for e in listed] == [(moved, "2026-11-01")]

    # 2026-10-31 shows no check-in, so one can be logged there, and the moved one stays.
    result = cli("log", "checkin", *flags, "--knee-pain", "7", "--date", "2026-10-31")
    assert result.code == 0, result.err
    listed = json.loads(cli("list", "--json").out)
    assert [(e["date"], e["knee_pain"]) for e in listed] == [("2026-10-31", 7), ("2026-11-01", 3)]
    assert listed[1]["id"] == moved


def test_an_edit_based_on_an_old_copy_keeps_changes_made_elsewhere(data_dir: Path) -> None:
    # Issue 7 item 3: a form opened before another terminal changed the entry.
    mine = Store(data_dir, today=lambda: TODAY)
    entry = mine.add("cycling", {"minutes": 30, "effort": 6, "notes": "first"})
    Store(data_dir, today=lambda: TODAY).edit(entry["id"], {"notes": "changed elsewhere"})

    # The user changed only the minutes: the note written meanwhile stays.
    saved = mine.edit(entry["id"], {"minutes": "45"}, based_on=entry)
    assert (saved["minutes"], saved["notes"]) == (45, "changed elsewhere")

    # The user changed the note too, which another process changed since: nothing is written.
    before = snapshot(data_dir)
    with pytest.raises(ChangedElsewhere) as refused:
        mine.edit(entry["id"], {"notes": "mine"}, based_on=entry)
    assert refused.value.fields == ["notes"]
    assert snapshot(data_dir) == before


# ---------------------------------------------------------------- issue 7: undo journal


@pytest.fixture
def undo_journal_disk_full(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it to make every later write of undo.json fail as a full disk does."""
    real_save = files_module.DataFile.save

    def save(self: files_module.DataFile, tables: dict[str, Any], **how: Any) -> None:
        if self.path.name == "undo.home.json":
            raise OSError(28, "No space left on device", str(self.path))
        real_save(self, tables, **how)

    return lambda: monkeypatch.setattr(files_module.DataFile, "save", save)


def test_a_full_disk_after_the_entry_is_written_reports_it_saved(
    cli: Cli, undo_journal_disk_full: Callable[[], None]
) -> None:
    # The month file is written, then the disk fills before the undo step is.
    undo_journal_disk_full()
    result = cli("log", "cycling", "--minutes", "30")
    assert result.code == 0
    entry_id = result.out.strip()
    assert len(entry_id) == 32
    assert "cannot be undone" in result.err and "No space left" in result.err
    stored = json.loads(cli("list", "--json").out)
    assert [e["id"] for e in stored] == [entry_id]  # stored once: no retry needed


def journal_with(data_dir: Path, changes: object) -> None:
    """Replace the last undo step's changes in undo.json with ``changes``."""
    path = data_dir / "undo.home.json"
    journal = json.loads(path.read_text())
    last = max(journal["undo"], key=int)
    journal["undo"][last]["changes"] = changes
    path.write_text(json.dumps(journal))


@pytest.mark.parametrize(
    "changes",
    [
        [{"before": {"kind": "cycling", "minutes": 9999}, "after": None}],  # an invalid entry
        [{"before": 5, "after": None}],
        [{}],
        ["not a change"],
        [{"before": None, "after": None}],
        [],
    ],
    ids=["invalid-entry", "number", "empty-change", "string", "neither", "no-changes"],
)
def test_a_damaged_undo_step_is_exit_3_and_writes_nothing(
    cli: Cli, data_dir: Path, changes: object
) -> None:
    entry_id = cli("log", "cycling", "--minutes", "30").out.strip()
    cli("edit", entry_id, "--minutes", "40")
    journal_with(data_dir, changes)
    before = snapshot(data_dir)
    result = cli("undo")
    assert result.code == 3, result
    assert "undo.home.json" in result.err and "Traceback" not in result.err
    assert snapshot(data_dir) == before
    # The entries stay usable: nothing invalid reached a month file.
    assert cli("list").code == 0
    assert cli("log", "cycling", "--minutes", "20").code == 0


def test_an_undo_step_whose_before_is_valid_is_undone(cli: Cli, data_dir: Path) -> None:
    entry_id = cli("log", "cycling", "--minutes", "30").out.strip()
    cli("edit", entry_id, "--minutes", "40")
    assert cli("undo").code == 0
    assert json.loads(cli("list", "--json").out)[0]["minutes"] == 30


def test_a_full_disk_after_an_undo_or_import_wrote_its_entries_reports_success(
    cli: Cli, undo_journal_disk_full: Callable[[], None], tmp_path: Path
) -> None:
    entry_id = cli("log", "cycling", "--minutes", "30").out.strip()
    export = tmp_path / "export.json"
    assert cli("export", "--out", str(export)).code == 0
    undo_journal_disk_full()
    undone = cli("undo")
    assert undone.code == 0 and "Undid" in undone.out and "No space left" in undone.err
    assert json.loads(cli("list", "--json").out) == []
    imported = cli("import", str(export))
    assert imported.code == 0 and "1 new" in imported.out and "No space left" in imported.err
    assert [e["id"] for e in json.loads(cli("list", "--json").out)] == [entry_id]


# ---------------------------------------------------------------- safe undo, and redo


def local_noon(day: date) -> datetime:
    """Noon of ``day`` on this machine's clock, as an aware UTC moment (any time zone)."""
    return datetime(day.year, day.month, day.day, 12).astimezone().astimezone(UTC)


def clocked(data_dir: Path, day: date) -> Store:
    """A store whose changes are made at noon of ``day`` (today is still TODAY)."""
    return Store(data_dir, today=lambda: TODAY, now=lambda: local_noon(day))


def journal_documents(data_dir: Path) -> dict[str, dict[str, Any]]:
    steps: dict[str, dict[str, Any]] = json.loads((data_dir / "undo.home.json").read_bytes())[
        "undo"
    ]
    return steps


def rewrite_journal(data_dir: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``change`` to every step of undo.json, as an older tracker or a hand might."""
    path = data_dir / "undo.home.json"
    tables = json.loads(path.read_bytes())
    for document in tables["undo"].values():
        change(document)
    path.write_text(json.dumps(tables))


def rewrite_entry(data_dir: Path, entry_id: str, change: Callable[[dict[str, Any]], Any]) -> None:
    """Change one stored entry in its month file behind the store's back (an older tracker);
    ``change`` returning False removes it."""
    for path in data_dir.glob("entries-*.json"):
        tables = json.loads(path.read_bytes())
        for key, document in list(tables["entries"].items()):
            if document["id"] == entry_id and change(document) is False:
                del tables["entries"][key]
        path.write_text(json.dumps(tables))


def test_each_step_records_when_it_was_made(data_dir: Path) -> None:
    store = clocked(data_dir, TODAY)
    assert store.last_undo() is None and store.last_redo() is None
    assert not data_dir.exists()  # asking wrote nothing
    store.add("lunge", {**LUNGE, "date": "2026-11-20"})
    (step,) = journal_documents(data_dir).values()
    assert step["made_at"] == local_noon(TODAY).isoformat()
    assert step["made_at"].endswith("+00:00")
    before = snapshot(data_dir)
    last = Store(data_dir).last_undo()
    assert last is not None
    assert last.description == "added tempo lunges on Fri 20 Nov 2026"
    assert last.made_at == local_noon(TODAY) and last.made_on == TODAY
    assert not last.made_before(TODAY) and last.when(TODAY) == "today"
    assert snapshot(data_dir) == before  # last_undo only reads
    result = store.undo()
    assert result is not None
    assert result.description == "Undid: added tempo lunges on Fri 20 Nov 2026"


def test_a_change_made_yesterday_is_recognised_as_older(data_dir: Path) -> None:
    clocked(data_dir, date(2026, 11, 24)).add("lunge", {**LUNGE, "date": "2026-11-20"})
    clocked(data_dir, date(2026, 11, 23)).add("cycling", {"minutes": 30, "date": "2026-11-23"})
    store = clocked(data_dir, TODAY)
    last = store.last_undo()
    assert last is not None and last.made_on == date(2026, 11, 23)
    assert last.made_before(TODAY) and last.when(TODAY) == "on Mon 23 Nov 2026"
    result = store.undo()
    assert result is not None
    assert result.description == (
        "Undid: added cycling on Mon 23 Nov 2026 (a change made on Mon 23 Nov 2026)"
    )
    last = store.last_undo()
    assert last is not None and last.made_before(TODAY)
    assert last.when(TODAY) == "yesterday, Tue 24 Nov 2026"
    result = store.undo()
    assert result is not None and result.description.endswith(
        "(a change made yesterday, Tue 24 Nov 2026)"
    )


def test_a_step_without_made_at_counts_as_made_at_an_unknown_earlier_time(
    data_dir: Path, store: Store
) -> None:
    entry = store.add("lunge", LUNGE)
    rewrite_journal(data_dir, lambda step: step.pop("made_at"))  # a journal of an older tracker
    last = store.last_undo()
    assert last is not None and last.made_at is None and last.made_on is None
    assert last.made_before(TODAY) and last.when(TODAY) == "at an unknown time"
    result = store.undo()
    assert result is not None and result.entry is None
    assert result.description.endswith("(a change made at an unknown time)")
    assert store.entries() == []
    assert store.redo() is not None
    assert store.entries() == [entry]


@pytest.mark.parametrize(
    ("field", "value"),
    [("made_at", "yesterday"), ("made_at", 5), ("made_at", "2026-11-24T10:00:00"), ("undone", 1)],
    ids=["made-at-words", "made-at-number", "made-at-no-zone", "undone-number"],
)
def test_a_damaged_made_at_or_undone_stops_every_write(
    data_dir: Path, store: Store, field: str, value: object
) -> None:
    store.add("lunge", LUNGE)
    rewrite_journal(data_dir, lambda step: step.update({field: value}))
    before = snapshot(data_dir)
    for attempt in (store.undo, store.redo, lambda: store.add("lunge", LUNGE), store.last_undo):
        with pytest.raises(DataFileError) as caught:
            attempt()
        assert caught.value.path == data_dir / "undo.home.json" and field in str(caught.value)
    assert snapshot(data_dir) == before


def test_undo_then_redo_restores_every_kind_of_change(store: Store) -> None:
    lunge = store.add("lunge", {**LUNGE, "date": "2026-11-20"})
    checkin = store.add("checkin", {**CHECKIN, "date": "2026-10-30"})
    store.add("checkin", {**CHECKIN, "date": "2026-11-02", "knee_pain": 6})
    store.edit(lunge["id"], {"sets": "5", "date": "2026-09-01"})  # moves it between months
    store.edit(checkin["id"], {"date": "2026-11-02"}, replace=True)  # replaces that day's
    store.delete(lunge["id"])
    states = [list(store.entries())]
    for _ in range(5):
        assert store.undo() is not None
        states.append(list(store.entries()))
    descriptions = []
    for expected in reversed(states[:-1]):
        step = store.last_redo()
        assert step is not None
        redone = store.redo()
        assert redone is not None and redone.description == f"Redid: {step.description}"
        descriptions.append(step.description)
        assert store.entries() == expected
        assert Store(store.folder).entries() == expected  # on disk, not only in memory
    assert descriptions == [
        "added check-in on Fri 30 Oct 2026",
        "added check-in on Mon 2 Nov 2026",
        "edited tempo lunges on Tue 1 Sep 2026",
        "edited check-in on Mon 2 Nov 2026",
        "deleted tempo lunges on Tue 1 Sep 2026",
    ]
    assert store.redo() is None and store.last_redo() is None
    # A redone step is an undo step again.
    assert store.undo() is not None
    assert store.entries() == states[1]


def test_redo_gives_back_the_entry_and_stamps_the_step_now(data_dir: Path) -> None:
    entry = clocked(data_dir, date(2026, 11, 20)).add("cycling", {"minutes": 30})
    store = clocked(data_dir, TODAY)
    undone = store.undo()
    assert undone is not None and undone.entry is None
    assert "(a change made on Fri 20 Nov 2026)" in undone.description
    step = store.last_redo()
    assert step is not None and step.made_on == date(2026, 11, 20)
    redone = store.redo()
    assert redone is not None and redone.entry == entry
    assert redone.description == "Redid: added cycling on Wed 25 Nov 2026"
    # Made again today: undoing it now needs no question.
    last = store.last_undo()
    assert last is not None and not last.made_before(TODAY)


def test_a_new_change_clears_the_redo_list(data_dir: Path, store: Store) -> None:
    first = store.add("lunge", LUNGE)
    second = store.add("cycling", {"minutes": 30})
    assert store.undo() is not None and store.undo() is not None
    assert store.undo_steps() == 0
    assert store.last_redo() is not None
    third = store.add("rotation", values("rotation"))
    assert store.last_redo() is None and store.redo() is None
    assert [e["id"] for e in store.entries()] == [third["id"]]
    assert len(journal_documents(data_dir)) == 1  # the undone steps are gone from the file
    assert store.undo_steps() == 1
    assert first["id"] not in json.dumps(journal_documents(data_dir))
    assert second["id"] not in json.dumps(journal_documents(data_dir))


def test_undo_and_redo_keep_the_journal_at_its_limit(data_dir: Path, store: Store) -> None:
    for minutes in range(1, 53):
        store.add("cycling", {"minutes": minutes})
    for _ in range(3):
        store.undo()
    assert store.undo_steps() == UNDO_LIMIT - 3
    store.redo()
    store.add("cycling", {"minutes": 99})  # drops the two steps still undone
    assert store.undo_steps() == UNDO_LIMIT - 1 == len(journal_documents(data_dir))
    assert store.last_redo() is None
    store.add("cycling", {"minutes": 98})
    store.add("cycling", {"minutes": 97})
    assert store.undo_steps() == UNDO_LIMIT == len(journal_documents(data_dir))


@pytest.mark.parametrize("how", ["changed", "deleted"])
def test_redo_is_refused_when_the_entry_changed_since_the_undo(
    data_dir: Path, store: Store, how: str
) -> None:
    entry = store.add("lunge", LUNGE)
    store.edit(entry["id"], {"sets": "5"})
    store.undo()
    # An older tracker (which knows no redo) changes the entry without clearing the redo list.
    if how == "changed":
        rewrite_entry(data_dir, entry["id"], lambda e: e.update(notes="sore"))
    else:
        rewrite_entry(data_dir, entry["id"], lambda e: False)
    before = snapshot(data_dir)
    with pytest.raises(HistoryConflict) as caught:
        Store(data_dir, today=lambda: TODAY).redo()
    message = str(caught.value)
    assert f"the tempo lunges entry of Wed 25 Nov 2026 was {how}" in message
    assert "edited tempo lunges" in message and "nothing was changed" in message
    assert caught.value.exit_code == 2
    assert snapshot(data_dir) == before  # not a byte written


def test_redo_is_refused_when_an_entry_came_back(data_dir: Path, store: Store) -> None:
    entry = store.add("lunge", LUNGE)
    store.undo()
    tables = json.loads(next(data_dir.glob("entries-*.json")).read_bytes())
    # Another tracker put it back since (a later change than the undo's tombstone).
    later = "2026-12-01T08:00:00+00:00"
    tables["entries"]["1"] = {**entry, "sets": 9, "updated_at": later}
    next(data_dir.glob("entries-*.json")).write_text(json.dumps(tables))
    before = snapshot(data_dir)
    with pytest.raises(HistoryConflict, match="was added again"):
        store.redo()
    assert snapshot(data_dir) == before


def test_redo_is_refused_when_another_checkin_took_the_date(data_dir: Path, store: Store) -> None:
    store.add("checkin", CHECKIN)
    store.undo()
    other = records.new_entry("checkin", {**CHECKIN, "knee_pain": 8}, today=TODAY)
    path = next(data_dir.glob("entries-*.json"))
    tables = json.loads(path.read_bytes())
    tables["entries"]["7"] = other
    path.write_text(json.dumps(tables))
    before = snapshot(data_dir)
    with pytest.raises(HistoryConflict, match="has another check-in"):
        store.redo()
    assert snapshot(data_dir) == before
    assert store.entries() == [other]


def test_a_redo_interrupted_before_its_journal_can_be_repeated(
    data_dir: Path, store: Store
) -> None:
    entry = store.add("lunge", {**LUNGE, "date": "2026-10-20"})
    edited = store.edit(entry["id"], {"date": "2026-11-20", "sets": "4"})
    store.undo()
    with pytest.MonkeyPatch.context() as patch:
        # The entries are written, then undo.json cannot be: as a crash between the two.
        real_save = files_module.DataFile.save

        def save(self: files_module.DataFile, tables: dict[str, Any], **how: Any) -> None:
            if self.path.name == "undo.home.json":
                self.forget()  # as a failed save does: the changed copy is not kept
                raise OSError(28, "No space left on device", str(self.path))
            real_save(self, tables, **how)

        patch.setattr(files_module.DataFile, "save", save)
        result = store.redo()
        assert result is not None and store.warning is not None
        assert "the next redo repeats this one" in store.warning
    assert store.entries() == [edited]
    assert store.last_redo() is not None  # the journal still says undone
    again = Store(data_dir, today=lambda: TODAY)
    assert again.redo() is not None and again.warning is None
    assert again.entries() == [edited] and again.last_redo() is None
    assert again.undo() is not None and again.entries() == [entry]


def test_undo_and_redo_of_a_step_asked_about_refuse_when_it_is_no_longer_next(
    data_dir: Path, store: Store
) -> None:
    store.add("lunge", LUNGE)
    asked = store.last_undo()
    assert asked is not None
    Store(data_dir, today=lambda: TODAY).add("cycling", {"minutes": 20})  # meanwhile
    before = snapshot(data_dir)
    with pytest.raises(HistoryConflict, match="changed the undo history meanwhile"):
        store.undo(asked)
    assert snapshot(data_dir) == before
    now_last = store.last_undo()
    assert now_last is not None and store.undo(now_last) is not None
    asked_redo = store.last_redo()
    assert asked_redo is not None
    Store(data_dir, today=lambda: TODAY).redo()  # meanwhile
    with pytest.raises(HistoryConflict):
        store.redo(asked_redo)
    with pytest.raises(HistoryConflict):
        store.undo(asked)  # a step that was undone and redone is another step
