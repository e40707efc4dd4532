"""What a data folder holds, file by file, for ``tracker doctor``: never refuses, never writes.

A command refuses a folder with a file it cannot read; the survey instead reads what it can
and says what it could not, so the user learns which file to restore and where the entries
are, devices, tombstones, conflict copies and archive included.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tracker.store import merge
from tracker.store.files import DataFileError
from tracker.store.index import SHARD_FILE, IdIndex
from tracker.store.layout import (
    ARCHIVE_FOLDER,
    INDEX_FOLDER,
    LEGACY_UNDO_FILE,
    list_folder,
)
from tracker.store.merge import MonthView
from tracker.store.store import ENTRY_TABLE, TOMBSTONE_TABLE, Store

NOT_NAMED = "not-named-yet"  # a valid device name no machine is given (they end in -xxxx)


@dataclass
class DeviceFiles:
    """One device's month files (``name`` None: the shared files of an older tracker)."""

    name: str | None
    month_files: int = 0
    records: int = 0  # entry states it holds (an entry edited elsewhere counts on both)
    tombstones: int = 0


@dataclass
class FolderSurvey:
    folder: Path
    device: str
    exists: bool
    months: list[str] = field(default_factory=list)
    entries: int = 0  # the diary as the faces show it
    deleted: int = 0  # entries whose deletion is kept as a tombstone
    devices: list[DeviceFiles] = field(default_factory=list)
    conflict_copies: list[str] = field(default_factory=list)  # readable, waiting to be folded
    unreadable: dict[str, str] = field(default_factory=dict)  # file -> why
    other_copies: list[str] = field(default_factory=list)  # conflict copies of undo journals
    legacy_files: list[str] = field(default_factory=list)  # an older tracker's, to migrate
    archived: int = 0
    unindexed: int = 0  # entries the id index does not know

    @property
    def own_copies(self) -> list[str]:
        """Conflict copies of this device's own files: another machine uses its name."""
        marker = f".{self.device}"
        return [
            name
            for name in self.conflict_copies + list(self.unreadable)
            if name[len("entries-YYYY-MM") :].startswith(marker)
        ]

    def needs_you(self) -> list[str]:
        """What only the user can settle, in words; empty when all is well."""
        said: list[str] = []
        for name, reason in sorted(self.unreadable.items()):
            if name in self.conflict_copies or " (" in name or "conflict" in name:
                said.append(
                    f"{name} is a conflict copy that cannot be read ({reason}): it was left "
                    "alone; open it to see what it holds, then move it out of the folder"
                )
            else:
                said.append(
                    f"{name} cannot be read ({reason}): tracker changes nothing while it is "
                    f"there; put back a good copy (a backup, or {ARCHIVE_FOLDER}/)"
                )
        if self.own_copies:
            said.append(
                f"conflict copies of this device's own files ({len(self.own_copies)}): another "
                f"machine uses the device name '{self.device}'; give one of them another name "
                "(TRACKER_DEVICE, or the device file beside the settings)"
            )
        if self.other_copies:
            said.append(
                "conflict copies of an undo history were left alone (undo on this device is "
                "not affected): " + ", ".join(sorted(self.other_copies))
            )
        return said


def survey(folder: Path, device: str | None = None) -> FolderSurvey:
    """Look at every file of ``folder`` and say what it holds; reads only, writes nothing."""
    if device is None:
        from tracker.store.device import saved_device_name

        # A look must not name the machine: the first write does (a name nobody used yet
        # owns no file, so any name would do for the survey).
        device = saved_device_name() or NOT_NAMED
    store = Store(folder, device=device)
    result = FolderSurvey(folder, device, folder.is_dir())
    if not result.exists:
        return result
    listing = list_folder(folder)
    result.other_copies = sorted(listing.other_copies)
    by_device: dict[str | None, DeviceFiles] = {}
    views: list[MonthView] = []
    for month in listing.month_names():
        parts = []
        for source in listing.sources(month):
            try:
                tables = store._source_file(source.name).load()  # checked as a command reads
            except DataFileError as error:
                result.unreadable[source.name] = error.reason
                continue
            if source.conflict_copy:
                result.conflict_copies.append(source.name)
            elif source.device is None:
                result.legacy_files.append(source.name)
            if not source.conflict_copy:
                held = by_device.setdefault(source.device, DeviceFiles(source.device))
                held.month_files += 1
                held.records += len(tables[ENTRY_TABLE])
                held.tombstones += len(tables[TOMBSTONE_TABLE])
            parts.append(
                (list(tables[ENTRY_TABLE].values()), list(tables[TOMBSTONE_TABLE].values()))
            )
        if parts:
            result.months.append(month)
            views.append(merge.month_view(parts))
    diary = merge.merge_months(views)
    result.entries = len(diary)
    shown = {entry["id"] for entry in diary}
    deleted: set[str] = set()
    for view in views:
        deleted.update(i for i in view.deleted if i not in shown)
    result.deleted = len(deleted)
    result.devices = sorted(by_device.values(), key=lambda d: (d.name is None, d.name or ""))
    for name in (LEGACY_UNDO_FILE, f"undo.{store.device}.json"):
        if (folder / name).exists():
            try:
                store._undo_file().load()
            except DataFileError as error:
                result.unreadable[name] = error.reason
            break
    indexed = _indexed_ids(folder, store.device, result)
    result.unindexed = len(shown - indexed)
    archive = folder / ARCHIVE_FOLDER
    result.archived = len(os.listdir(archive)) if archive.is_dir() else 0
    return result


def _indexed_ids(folder: Path, device: str, result: FolderSurvey) -> set[str]:
    index = IdIndex(folder, device)
    known: set[str] = set()
    try:
        names = os.listdir(folder / INDEX_FOLDER)
    except FileNotFoundError:
        return known
    for name in sorted(names):
        if SHARD_FILE.fullmatch(name):
            try:
                known.update(index._file(name).load()["months"])
            except DataFileError as error:
                result.unreadable[f"{INDEX_FOLDER}/{name}"] = error.reason
    return known
