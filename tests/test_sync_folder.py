"""A data folder in a sync folder (issue 10), with the sync tool played by hand.

Two devices each have a copy of the folder; ``Link.sync`` does what Syncthing does between
them: a file changed on one side is copied to the other, a file removed on one side is removed
on the other, and a file changed on both sides keeps the newer version and renames the other
to a conflict copy on both sides. tests/test_sync_syncthing.py runs the real Syncthing.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from factories import values

from tracker import records
from tracker.store import Store
from tracker.store import files as files_module
from tracker.store.layout import ARCHIVE_FOLDER, list_folder

TODAY = date(2026, 11, 25)
NOT_SYNCED = {".lock"}


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (by relative path) with its bytes; the lock left out."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in NOT_SYNCED
    }


class Link:
    """Two folders kept in step the way a file-sync tool does."""

    def __init__(self, left: Path, right: Path, conflict_name: Any = None) -> None:
        self.left, self.right = left, right
        self.synced: dict[str, bytes] = {}
        # How the tool names the losing copy: name -> copy name (default: Syncthing's).
        self.conflict_name = conflict_name or (
            lambda name: name.removesuffix(".json") + ".sync-conflict-20261125-101010-ABCDEF7.json"
        )

    def sync(self) -> None:
        ours, theirs = tree(self.left), tree(self.right)
        for name in sorted(set(ours) | set(theirs) | set(self.synced)):
            old = self.synced.get(name)
            a, b = ours.get(name), theirs.get(name)
            if a == b:
                continue
            if a != old and b != old and a is not None and b is not None:
                # Changed on both sides: the newer stays, the other becomes a conflict copy.
                newer = self._newer(name)
                loser = b if newer is self.left else a
                copy = self.conflict_name(name)
                for folder in (self.left, self.right):
                    (folder / copy).write_bytes(loser)
                    self._put(folder, name, a if newer is self.left else b)
                continue
            value = a if a != old else b
            for folder in (self.left, self.right):
                self._put(folder, name, value)
        self.synced = tree(self.left)
        assert tree(self.left) == tree(self.right)

    def _newer(self, name: str) -> Path:
        left = (self.left / name).stat().st_mtime_ns
        right = (self.right / name).stat().st_mtime_ns
        return self.left if left >= right else self.right

    @staticmethod
    def _put(folder: Path, name: str, value: bytes | None) -> None:
        path = folder / name
        if value is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_bytes() != value:
                path.write_bytes(value)


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "laptop", tmp_path / "desktop"


def device(folder: Path, name: str) -> Store:
    return Store(folder, today=lambda: TODAY, device=name)


def shown(store: Store) -> list[tuple[str, str, Any]]:
    """What a face shows of every entry: id, date and the fields that the tests change."""
    return [(e["id"], e["date"], e.get("sets", e.get("minutes"))) for e in store.entries()]


def conflict_copies(folder: Path) -> list[str]:
    return sorted(
        s.name
        for m in list_folder(folder).month_names()
        for s in list_folder(folder).sources(m)
        if s.conflict_copy
    )


def lunge(store: Store, day: str, sets: int = 3) -> dict[str, Any]:
    return store.add("lunge", values("lunge", date=day, sets=sets))


def test_two_devices_logging_editing_and_deleting_offline_lose_nothing(
    folders: tuple[Path, Path],
) -> None:
    left, right = folders
    link = Link(left, right)
    laptop = device(left, "laptop")
    first = lunge(laptop, "2026-11-02")
    second = lunge(laptop, "2026-11-03")
    third = lunge(laptop, "2026-11-04")
    link.sync()
    desktop = device(right, "desktop")
    assert [e["id"] for e in desktop.entries()] == [first["id"], second["id"], third["id"]]

    # Offline: both log, both edit, one deletes what the other edited (the delete is later).
    laptop_new = lunge(laptop, "2026-11-20")
    desktop_new = lunge(desktop, "2026-11-20", sets=4)
    laptop.edit(first["id"], {"sets": "5"})
    desktop.edit(second["id"], {"sets": "6"})
    desktop.edit(third["id"], {"sets": "7"})
    laptop.delete(third["id"])
    desktop.add("cycling", values("cycling", date="2026-11-21", minutes=40))
    link.sync()

    expected = {
        first["id"]: 5,
        second["id"]: 6,
        laptop_new["id"]: 3,
        desktop_new["id"]: 4,
    }
    for folder in (left, right):
        seen = device(folder, "reader")
        lunges = {e["id"]: e["sets"] for e in seen.entries() if e["kind"] == "lunge"}
        assert lunges == expected  # every change kept; the deleted entry did not come back
        assert [e["minutes"] for e in seen.entries() if e["kind"] == "cycling"] == [40]
        assert conflict_copies(folder) == []
    assert shown(device(left, "reader")) == shown(device(right, "reader"))
    # Each device wrote only its own files: a sync tool never met two versions of one file.
    names = set(tree(left))
    assert "entries-2026-11.laptop.json" in names and "entries-2026-11.desktop.json" in names


def test_an_edit_made_after_a_delete_on_the_other_device_wins(
    folders: tuple[Path, Path],
) -> None:
    """Last change wins, whatever it is: the rule docs/storage.md gives."""
    left, right = folders
    link = Link(left, right)
    laptop = device(left, "laptop")
    entry = lunge(laptop, "2026-11-10")
    link.sync()
    desktop = device(right, "desktop")
    desktop.delete(entry["id"])
    laptop.edit(entry["id"], {"sets": "8"})  # later than the delete
    link.sync()
    for folder in folders:
        assert [(e["id"], e["sets"]) for e in device(folder, "x").entries()] == [(entry["id"], 8)]


def test_a_delete_and_an_edit_at_the_same_instant_end_deleted_on_both(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    left, right = folders
    link = Link(left, right)
    laptop = device(left, "laptop")
    entry = lunge(laptop, "2026-11-10")
    link.sync()
    monkeypatch.setattr(records, "now_utc", lambda: "2026-11-25T09:00:00+00:00")
    device(right, "desktop").edit(entry["id"], {"sets": "8"})
    laptop.delete(entry["id"])
    link.sync()
    for folder in folders:
        assert device(folder, "x").entries() == []


def test_an_edit_moving_an_entry_to_another_month_travels(folders: tuple[Path, Path]) -> None:
    left, right = folders
    link = Link(left, right)
    laptop = device(left, "laptop")
    entry = lunge(laptop, "2026-10-30")
    link.sync()
    desktop = device(right, "desktop")
    desktop.edit(entry["id"], {"date": "2026-11-02"})
    link.sync()
    for folder in folders:
        reader = device(folder, "x")
        assert [e["date"] for e in reader.entries()] == ["2026-11-02"]
        # A command about October reads October alone, and finds it empty.
        assert reader.entries_of_days(date(2026, 10, 1), date(2026, 10, 31)) == []
        assert reader.get(entry["id"][:8])["date"] == "2026-11-02"


SYNCTHING = ".sync-conflict-20261125-101010-ABCDEF7"


@pytest.mark.parametrize(
    "copy_name",
    [
        lambda name: name.removesuffix(".json") + SYNCTHING + ".json",
        lambda name: name.removesuffix(".json") + ".sync-conflict-20261125-101010.json",
        lambda name: name.removesuffix(".json") + " (conflicted copy 2026-11-25 101010).json",
        lambda name: name.removesuffix(".json") + "_conflict-20261125-101010.json",
        lambda name: name.removesuffix(".json") + " (Laptop's conflicted copy 2026-11-25).json",
        lambda name: name.removesuffix(".json") + " (Laptop's conflicted copy 2026-11-25) (1).json",
    ],
    ids=["syncthing", "syncthing-old", "nextcloud", "owncloud", "dropbox", "dropbox-numbered"],
)
def test_conflict_copies_are_merged_then_folded_and_archived(
    folders: tuple[Path, Path], copy_name: Any
) -> None:
    """Two machines under one device name (a copied config folder) both change November:
    the sync tool keeps one file and renames the other. Nothing of either is lost."""
    left, right = folders
    link = Link(left, right, conflict_name=copy_name)
    one = device(left, "home")
    base = lunge(one, "2026-11-01")
    link.sync()
    other = device(right, "home")
    mine = lunge(one, "2026-11-05")
    theirs = lunge(other, "2026-11-06")
    other.edit(base["id"], {"sets": "9"})
    link.sync()
    (copy,) = conflict_copies(left)
    assert copy == copy_name("entries-2026-11.home.json")
    expected = {base["id"]: 9, mine["id"]: 3, theirs["id"]: 3}
    for folder in folders:
        assert {e["id"]: e["sets"] for e in device(folder, "home").entries()} == expected
    copy_bytes = (left / copy).read_bytes()

    # The next write of November folds the copy into this device's file and archives it.
    added = lunge(device(left, "home"), "2026-11-07")
    expected[added["id"]] = 3
    assert conflict_copies(left) == []
    assert (left / ARCHIVE_FOLDER / copy).read_bytes() == copy_bytes  # kept, never deleted
    assert {e["id"]: e["sets"] for e in device(left, "home").entries()} == expected
    link.sync()
    assert {e["id"]: e["sets"] for e in device(right, "home").entries()} == expected


def test_both_devices_folding_one_copy_write_the_same_bytes(folders: tuple[Path, Path]) -> None:
    """Ties break the same way everywhere, so two devices folding the same conflict copy
    write identical files, and the sync tool sees no new conflict."""
    left, right = folders
    link = Link(left, right)
    one = device(left, "home")
    lunge(one, "2026-11-01")
    link.sync()
    other = device(right, "home")
    lunge(one, "2026-11-05")
    lunge(other, "2026-11-06")
    link.sync()
    assert conflict_copies(left) != []
    # Each folds the copy (what the next write of November, or doctor --repair, does).
    for folder in folders:
        waiting = conflict_copies(folder)
        assert device(folder, "home").repair().folded == waiting
    assert conflict_copies(left) == conflict_copies(right) == []
    month = "entries-2026-11.home.json"
    assert (left / month).read_bytes() == (right / month).read_bytes()


def test_a_conflict_copy_that_cannot_be_read_is_left_alone_and_reported(
    data_dir: Path,
) -> None:
    store = device(data_dir, "home")
    lunge(store, "2026-11-01")
    copy = data_dir / f"entries-2026-11.home{SYNCTHING}.json"
    copy.write_text("{ half a file")
    reader = device(data_dir, "home")
    assert len(reader.entries()) == 1
    assert copy.name in reader.unreadable_copies
    lunge(reader, "2026-11-02")  # a write of that month does not touch it
    assert copy.read_text() == "{ half a file"


def test_sync_tools_temporary_files_are_ignored(data_dir: Path) -> None:
    store = device(data_dir, "home")
    lunge(store, "2026-11-01")
    for name in (
        ".syncthing.entries-2026-11.laptop.json.tmp",
        "~syncthing~entries-2026-11.laptop.json.tmp",
        ".~lock.entries-2026-11.json#",
        "entries-2026-11.laptop.json.part",
    ):
        (data_dir / name).write_text("{ not json")
    reader = device(data_dir, "home")
    assert len(reader.entries()) == 1
    assert reader.unreadable_copies == {}
    lunge(reader, "2026-11-02")
    assert len(device(data_dir, "home").entries()) == 2
    # A write sweeps away its own killed temporary files, never a download under way.
    assert (data_dir / ".syncthing.entries-2026-11.laptop.json.tmp").exists()
    assert (data_dir / "~syncthing~entries-2026-11.laptop.json.tmp").exists()


# ---------------------------------------------------------------- an older tracker's folder


def old_folder(folder: Path, entries: list[dict[str, Any]], undo: bool = True) -> None:
    """A data folder as tracker wrote it before devices: one shared file per month."""
    folder.mkdir(parents=True)
    meta = {"_meta": {"1": {"app": "tracker", "schema": 1}}}
    by_month: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        by_month.setdefault(entry["date"][:7], []).append(entry)
    for month, held in by_month.items():
        table = {str(n): e for n, e in enumerate(held, start=1)}
        (folder / f"entries-{month}.json").write_text(json.dumps({**meta, "entries": table}))
    if undo:
        change = {"before": None, "after": entries[-1]}
        step = {"description": "added tempo lunges", "changes": [change]}
        (folder / "undo.json").write_text(json.dumps({**meta, "undo": {"1": step}}))


def old_entries() -> list[dict[str, Any]]:
    return [
        records.new_entry("lunge", values("lunge", date=day), today=TODAY)
        for day in ("2026-09-30", "2026-10-01", "2026-11-20")
    ]


def test_an_old_folder_is_read_as_it_is_and_migrated_by_the_first_write(data_dir: Path) -> None:
    entries = old_entries()
    old_folder(data_dir, entries)
    before = tree(data_dir)
    reader = device(data_dir, "home")
    assert [e["id"] for e in reader.entries()] == [e["id"] for e in entries]
    assert reader.undo_steps() == 1
    assert tree(data_dir) == before  # reading changes nothing

    writer = device(data_dir, "home")
    added = lunge(writer, "2026-11-21")
    names = set(os.listdir(data_dir))
    assert not any(name.startswith("entries-") and name.count(".") == 1 for name in names)
    assert {"entries-2026-09.home.json", "entries-2026-11.home.json", "undo.home.json"} <= names
    assert sorted(os.listdir(data_dir / ARCHIVE_FOLDER)) == [
        "entries-2026-09.json",
        "entries-2026-10.json",
        "entries-2026-11.json",
    ]
    fresh = device(data_dir, "home")
    assert [e["id"] for e in fresh.entries()] == [e["id"] for e in entries] + [added["id"]]
    assert fresh.undo_steps() == 2  # the old history came along
    fresh.undo()
    fresh.undo()  # the old step: removes the entry of 2026-11-20
    assert [e["id"] for e in device(data_dir, "home").entries()] == [e["id"] for e in entries[:2]]
    # Each entry is found by id through the index the migration built.
    assert device(data_dir, "home").get(entries[0]["id"][:8])["date"] == "2026-09-30"


def test_an_old_folder_with_a_file_it_cannot_read_is_not_migrated(data_dir: Path) -> None:
    old_folder(data_dir, old_entries())
    (data_dir / "entries-2026-10.json").write_text("{ torn")
    before = tree(data_dir)
    with pytest.raises(files_module.DataFileError):
        lunge(device(data_dir, "home"), "2026-11-21")
    assert tree(data_dir) == before


def test_two_devices_migrating_the_same_old_folder_agree(folders: tuple[Path, Path]) -> None:
    left, right = folders
    entries = old_entries()
    old_folder(left, entries, undo=False)
    shutil.copytree(left, right, dirs_exist_ok=True)
    link = Link(left, right)
    link.synced = tree(left)
    lunge(device(left, "laptop"), "2026-11-22")
    lunge(device(right, "desktop"), "2026-11-23")
    link.sync()
    assert shown(device(left, "x")) == shown(device(right, "x"))
    assert len(device(left, "x").entries()) == 5
    assert conflict_copies(left) == []


def test_moving_the_only_entry_of_a_month_leaves_no_empty_month(data_dir: Path) -> None:
    store = device(data_dir, "home")
    entry = lunge(store, "2026-10-30")
    store.edit(entry["id"], {"date": "2026-11-02"})
    assert device(data_dir, "home").months() == ["2026-11"]
    device(data_dir, "home").undo()
    assert device(data_dir, "home").months() == ["2026-10"]
    assert [e["date"] for e in device(data_dir, "home").entries()] == ["2026-10-30"]


def test_a_torn_or_foreign_index_file_is_only_a_lost_hint(data_dir: Path) -> None:
    """The index is written without fsync (a hint): a crash may tear a shard. Lookups then
    find the entry by reading every month, and the next write starts the shard again."""
    store = device(data_dir, "home")
    entry = lunge(store, "2026-11-01")
    shard = data_dir / "index" / f"home.{entry['id'][:2]}.json"
    for damage in (
        "",
        "{ torn",
        '{"_meta": {"1": {"app": "tracker", "schema": 2}}, "months": {"x": 5}}',
    ):
        shard.write_text(damage)
        reader = device(data_dir, "home")
        assert reader.get(entry["id"][:8])["id"] == entry["id"]
        reader.edit(entry["id"][:8], {"sets": "4"})
        assert json.loads(shard.read_text())["months"][entry["id"]] == ["2026-11"]
