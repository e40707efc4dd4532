"""What each file in the data folder is, from its name alone.

A data folder may live in a sync folder (Syncthing, Nextcloud, Dropbox) shared by several
devices. So that a sync tool never sees two devices change one file, each device writes only
its own files, named after it:

    entries-2026-11.laptop.json    the entries laptop logged, edited or deleted in Nov 2026
    undo.laptop.json               laptop's undo history
    index/laptop.3f.json           where laptop's ids starting with 3f are (months)
    archive/                       conflict copies once folded in, and migrated old files

Readers merge every device's files by entry id (see ``merge``). Older trackers wrote one file
per month for everyone (``entries-2026-11.json``, ``undo.json``): still read, and moved into
this device's files by the first write (``Store._migrate``).

When a sync tool does meet two versions of one file (the same device name on two machines, a
folder copied by hand), it keeps one and renames the other: those conflict copies are
recognised here by their name, anchored on the month file's name, so that their entries are
merged rather than ignored. The sync tools' own temporary files never match.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

ARCHIVE_FOLDER = "archive"
INDEX_FOLDER = "index"
LEGACY_UNDO_FILE = "undo.json"
# Our temporary files, ".NAME.json.PID.RANDOM.tmp" (files.DataFile.save): a killed writer's
# leftovers, removed by the next write. Never a sync tool's own (".syncthing.NAME.tmp" is a
# download under way: removing it would make Syncthing fetch the file again).
OWN_TEMPORARY = re.compile(r"\.(?!syncthing\.)[^/]+\.json\.\d+\.[0-9a-f]+\.tmp")

# A device name: what file names carry. Lower-case so that a case-insensitive file system
# (macOS, Windows, a USB stick) never holds two devices in one file.
DEVICE_PATTERN = r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?"
_DEVICE = re.compile(DEVICE_PATTERN)
DEVICE_RULE = "1 to 32 lower-case letters, digits or '-', not starting or ending with '-'"

_STEM = r"entries-(?P<month>\d{4}-(?:0[1-9]|1[0-2]))(?:\.(?P<device>" + DEVICE_PATTERN + r"))?"
_MONTH_FILE = re.compile(_STEM + r"\.json")
# Syncthing: NAME.sync-conflict-YYYYMMDD-HHMMSS[-DEVICE7].json; Nextcloud and ownCloud:
# "NAME (conflicted copy [USER ]YYYY-MM-DD HHMMSS).json" and NAME_conflict-YYYYMMDD-HHMMSS.json;
# Dropbox: "NAME (Laptop's conflicted copy YYYY-MM-DD)[ (N)].json". A device name never starts
# with "sync-conflict" (see ``is_device_name``), so the two forms cannot be mistaken.
_CONFLICT_COPY = re.compile(
    _STEM
    + r"(?:\.sync-conflict-\d{8}-\d{6}(?:-[A-Za-z0-9]{1,16})?"
    + r"|_conflict-\d{8}-\d{6}"
    + r"| \([^()/]*conflicted copy[^()/]*\)(?: \(\d{1,4}\))?)"
    + r"\.json"
)


def is_device_name(name: str) -> bool:
    return bool(_DEVICE.fullmatch(name)) and not name.startswith("sync-conflict")


def month_file_name(month: str, device: str | None) -> str:
    """The file of one calendar month (``YYYY-MM``) written by ``device`` (None: an old
    tracker's shared file)."""
    return f"entries-{month}.json" if device is None else f"entries-{month}.{device}.json"


def undo_file_name(device: str) -> str:
    return f"undo.{device}.json"


def index_file_name(device: str, shard: str) -> str:
    return f"{device}.{shard}.json"


class MonthSource(NamedTuple):
    """One file holding entries of one month: a device's file, an old shared one, or a copy."""

    name: str
    month: str
    device: str | None  # None: the shared file of an older tracker (or a copy of one)
    conflict_copy: bool


class FolderListing:
    """The data folder's files by what they are, from one listing of its names."""

    def __init__(self) -> None:
        self.months: dict[str, list[MonthSource]] = defaultdict(list)
        # Names of conflict copies of other files (undo journals): reported, left alone.
        self.other_copies: list[str] = []
        # Our own temporary files (".NAME.PID.RANDOM.tmp"): a killed writer's leftovers.
        self.temporary: list[str] = []

    def sources(self, month: str) -> list[MonthSource]:
        return self.months.get(month, [])

    def month_names(self) -> list[str]:
        return sorted(month for month, sources in self.months.items() if sources)


def classify(name: str) -> MonthSource | None:
    """What a file name in the data folder is, when it holds entries; None otherwise."""
    match = _MONTH_FILE.fullmatch(name)
    if match is not None:
        device = match.group("device")
        if device is None or is_device_name(device):
            return MonthSource(name, match.group("month"), device, conflict_copy=False)
    match = _CONFLICT_COPY.fullmatch(name)
    if match is not None:
        device = match.group("device")
        if device is None or is_device_name(device):
            return MonthSource(name, match.group("month"), device, conflict_copy=True)
    return None


_OTHER_COPY = re.compile(r"undo(?:\.[a-z0-9-]+)?(?:\.sync-conflict-|_conflict-| \(.*conflicted).*")


def list_folder(folder: Path) -> FolderListing:
    """Every entries file of ``folder`` by month; an absent folder lists as empty."""
    listing = FolderListing()
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return listing
    for name in names:
        source = classify(name)
        if source is not None:
            listing.months[source.month].append(source)
        elif _OTHER_COPY.fullmatch(name):
            listing.other_copies.append(name)
        elif OWN_TEMPORARY.fullmatch(name):
            listing.temporary.append(name)
    for sources in listing.months.values():
        sources.sort(key=lambda s: s.name)
    return listing
