"""Importers of other apps' files (rides and gym diaries): see ``source``.

One registry, many readers: ``FORMAT_MODULES`` names every format's module, in the order
detection tries them; the command's ``--format`` choices, detection and the docs' list all read
it. A format module has ``FORMAT_NAME``, ``detect(path, head)`` and ``read(path, *, names)``
(``FormatModule``). ``plan_import`` reads a file with its format and checks every entry with its
kind's own rules, so that the command can preview (``--dry-run``) and then merge by id.
Nothing here writes: the command hands the plan's entries to ``Store.import_entries``.
"""

from __future__ import annotations

import importlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from tracker import records
from tracker.imports.files import read_head
from tracker.imports.source import ImportBatch, ImportedEntry, ImportFormatError
from tracker.records import Entry, ValidationError
from tracker.text import printable

if TYPE_CHECKING:
    from tracker.imports.exercise_names import ExerciseNames

# The name each format goes by on the command line (``--format fit``) is its module's.
# Detection tries them in this order: binary headers first, then XML, then CSV headers.
FORMAT_MODULES: tuple[str, ...] = ("fit", "tcx", "gpx", "strava", "strong", "hevy", "fitnotes")
# A tracker export (a JSON array of entries) goes by this name; the command reads it itself.
TRACKER_EXPORT = "tracker"


class FormatModule(Protocol):
    FORMAT_NAME: str

    def detect(self, path: Path, head: bytes) -> bool: ...

    def read(self, path: Path, *, names: ExerciseNames) -> ImportBatch: ...


def format_module(name: str) -> FormatModule:
    """The module of the format called ``name`` on the command line (``fit``, ``strava``)."""
    if name not in FORMAT_MODULES:
        raise KeyError(name)
    # Imported when asked for: a format's parser (fitdecode, gpxpy) costs only its imports.
    return cast(FormatModule, importlib.import_module(f"tracker.imports.{name}"))


def format_names() -> tuple[str, ...]:
    """Every name ``--format`` takes, the tracker's own export first."""
    return (TRACKER_EXPORT, *FORMAT_MODULES)


def formats_in_words() -> str:
    """``FIT, TCX, GPX, Strava export``: what the command can read, for messages and help."""
    return ", ".join(format_module(name).FORMAT_NAME for name in FORMAT_MODULES)


def is_tracker_export(head: bytes) -> bool:
    """Whether a file's head looks like a tracker export: JSON (an array, or an object that
    the export reader then refuses as not an array)."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"[", b"{"))


def detect_format(path: Path) -> str | None:
    """The name of the format of the file at ``path`` (``fit`` ...), ``tracker`` for a tracker
    export, or None. Reads the head only (gunzipped for a ``.gz``); a folder or an unreadable
    file raises ImportFormatError."""
    head = read_head(path)
    for name in FORMAT_MODULES:
        if format_module(name).detect(path, head):
            return name
    # A ``.json`` file or one that starts like JSON is read as an export even when it is not
    # one, so that its message says what is wrong with it ("not valid JSON", "not an array").
    if is_tracker_export(head) or path.suffix.lower() == ".json":
        return TRACKER_EXPORT
    return None


@dataclass(frozen=True)
class KindPreview:
    """What an import brings of one kind: how many entries and the days they span."""

    kind: str
    count: int
    first: date
    last: date


@dataclass
class ImportPlan:
    """A file read and checked, not yet written: the stored entries it would add, and what was
    skipped and why (counted). Every id is ``unstamped``: an entry already stored (imported
    before, maybe edited since) stays as it is."""

    format: str
    entries: list[Entry] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def unstamped(self) -> set[str]:
        return {entry["id"] for entry in self.entries}

    def kinds(self) -> list[KindPreview]:
        """One row per kind found, in the kinds' own order."""
        rows = []
        for kind in records.KINDS:
            days = sorted(e["date"] for e in self.entries if e["kind"] == kind)
            if days:
                first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
                rows.append(KindPreview(kind, len(days), first, last))
        return rows

    def preview_lines(self) -> list[str]:
        """The preview in plain words: per kind the count and days; skipped, by reason."""
        lines = []
        for row in self.kinds():
            label = records.KIND_LABELS[row.kind]
            noun = "entry" if row.count == 1 else "entries"
            span = (
                f"on {records.short_date(row.first)}"
                if row.first == row.last
                else f"from {records.short_date(row.first)} to {records.short_date(row.last)}"
            )
            lines.append(f"  {label}: {row.count} {noun} {span}")
        if not lines:
            lines.append("  Nothing to import.")
        if self.skipped:
            lines.append(f"Skipped ({sum(self.skipped.values())}):")
            for reason, count in sorted(self.skipped.items(), key=lambda item: (-item[1], item[0])):
                # A reason names what the file called it (an exercise, a sport): the file's
                # text, shown with its control characters made visible.
                lines.append(f"  {count} x {printable(reason)}")
        return lines


def plan_import(
    path: Path,
    names: ExerciseNames,
    *,
    today: date,
    format_name: str | None = None,
) -> ImportPlan:
    """Read ``path`` as ``format_name`` (default: detected) and check its entries.

    Raises ImportFormatError for a file no format reads, a malformed file (naming its line or
    record), a folder or an unreadable file. A tracker export is not read here (the command
    reads it with its own all-or-nothing rules): asking for one raises KeyError.
    """
    name = format_name or detect_format(path)
    if name is None:
        raise ImportFormatError(
            str(path),
            None,
            f"not a file tracker can import (it reads a tracker export, {formats_in_words()})",
        )
    module = format_module(name)
    return plan_batch(module.read(path, names=names), today=today)


def plan_batch(batch: ImportBatch, *, today: date) -> ImportPlan:
    """Each imported entry checked by its kind's rules, as stored entries.

    An entry dated after today, or one whose required figure breaks its kind's rule (a ride
    over 600 minutes), is skipped and counted; an optional figure outside its range (a heart
    rate of 250 from a loose strap) is left out of that entry and counted. The same source
    key twice keeps the first.
    """
    plan = ImportPlan(batch.format, skipped=Counter(batch.skipped))
    seen: set[str] = set()
    for imported in batch.entries:
        label = records.KIND_LABELS.get(imported.kind, imported.kind)
        if imported.day > today:
            plan.skipped[f"{label.lower()}: dated after today"] += 1
            continue
        entry_id = imported.entry_id
        if entry_id in seen:
            plan.skipped[f"{label.lower()}: the same one twice in the file"] += 1
            continue
        entry = _checked(imported, today, plan.skipped)
        if entry is not None:
            seen.add(entry_id)
            plan.entries.append(entry)
    return plan


def _checked(imported: ImportedEntry, today: date, skipped: Counter[str]) -> Entry | None:
    values = dict(imported.values)
    stamp = values.pop("created_at", None)
    kind = imported.kind
    label = records.KIND_LABELS.get(kind, kind).lower()
    notes = imported.notes
    while True:
        raw: dict[str, object] = {
            "id": imported.entry_id,
            "kind": kind,
            "date": imported.day.isoformat(),
            **values,
            "notes": notes,
        }
        if stamp is not None:
            raw["created_at"] = raw["updated_at"] = stamp
        try:
            return records.validate_entry(raw, today=today, complete=False)
        except ValidationError as error:
            optional = _optional_field(kind, error.field)
            if error.field == "notes" and notes is not None:
                notes = None
                skipped[f"{label}: notes left out (must be {error.allowed})"] += 1
                continue
            if optional and error.field in values:
                del values[error.field]
                skipped[f"{label}: {error.field} left out (must be {error.allowed})"] += 1
                continue
            skipped[f"{label}: {error.field} must be {error.allowed}"] += 1
            return None


def _optional_field(kind: str, name: str) -> bool:
    try:
        return not records.field_spec(kind, name).required
    except KeyError:
        return False


__all__ = [
    "FORMAT_MODULES",
    "TRACKER_EXPORT",
    "FormatModule",
    "ImportBatch",
    "ImportFormatError",
    "ImportPlan",
    "KindPreview",
    "detect_format",
    "format_module",
    "format_names",
    "formats_in_words",
    "plan_batch",
    "plan_import",
]
