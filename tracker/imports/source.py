"""What every importer of another app's file produces: plain records for the kinds, with a
deterministic id, and the count of what was skipped and why.

An importer (one module per format in this package) reads a file and returns an
``ImportBatch``; the command (``tracker import``) validates each ``ImportedEntry`` with the
kind's own field rules, previews it (``--dry-run``) and merges it by id, so importing one file
twice changes nothing. Importers never touch the store.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from tracker.errors import TrackerError


@dataclass(frozen=True)
class ImportedEntry:
    """One entry as another app recorded it, in this app's fields.

    ``values`` holds the kind's fields by their stored names (``minutes``, ``distance_km``,
    ``cadence_rpm``, ``avg_hr``; ``sets``, ``reps``, ``side``, ``tempo``, ``exercise``,
    ``hold_s`` ...), as numbers or strings; the kind's own rules check them later.
    ``source_key`` says what the entry is in its source app (format, start time, exercise,
    set): ``entry_id`` hashes it, so the same ride or set gets the same id on every import.
    """

    kind: str
    day: date
    values: dict[str, object]
    source_key: str
    notes: str | None = None

    @property
    def entry_id(self) -> str:
        return deterministic_id(self.source_key)


@dataclass
class ImportBatch:
    """What one file held: its format's name as a person knows it ("Strava export", "FIT"),
    the entries, and what was skipped, counted by reason ("run: not a ride")."""

    format: str
    entries: list[ImportedEntry] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)


class ImportFormatError(TrackerError, ValueError):
    """A file that its format's reader cannot read: says the file, the line (or record) and
    what is wrong, in one line. The command exits 2 and writes nothing."""

    exit_code = 2  # cli.md: a file that cannot be imported is bad usage; nothing is written

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


def deterministic_id(source_key: str) -> str:
    """A UUID (version 5 layout, 32 hex digits) made from ``source_key``: the same ride or set
    always gets the same id, so a second import of a file finds its entries already stored."""
    raw = bytearray(hashlib.sha256(("tracker-import:" + source_key).encode()).digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x50  # version 5 (name-based)
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    return raw.hex()
