"""What the gym apps' readers (``strong``, ``hevy``, ``fitnotes``) share: reading their CSV
files with line numbers, numbers with decimal commas, and turning sets into entries.

A gym app writes a row per set. The sets of one exercise in one workout (FitNotes: one day)
become one entry (docs/domain.md, "Exercises from gym apps"):

- ``sets`` is the number of working sets: warm-up sets are skipped and counted, and so is a
  set without reps (a timed or distance set);
- ``reps`` is the median of the working sets' reps, the lower of the middle two for an even
  count (10, 10, 8 -> 10; 12, 10 -> 10): always a count that one of the sets did, and one
  short last set does not pull it down. The reps of each set are written in the notes when
  they differ, the weight when there was one;
- ``side`` is both (the apps do not say), a lunge's ``tempo`` is not recorded (None);
- the notes are the app's notes of the exercise and of the workout, as text.

The entry's ``source_key`` is the format, the workout's start (FitNotes: the day) and the
exercise as the app names it: the same workout gives the same id on every import.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tracker.imports import progress
from tracker.imports.exercise_names import ExerciseNames, storable_exercise
from tracker.imports.source import ImportBatch, ImportedEntry, ImportFormatError
from tracker.records import NOTES_MAX
from tracker.text import printable, shorten

# The kinds' ranges (domain.md): a workout outside them is skipped and counted, not refused.
MOST_SETS = 20
MOST_REPS = 100


def head_line(head: bytes) -> str:
    """The first line of a file's first bytes, as text (a byte-order mark dropped)."""
    text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return text.splitlines()[0] if text else ""


def header_names(line: str) -> list[str]:
    """A header line's column names, split on ``;`` or ``,`` (whichever it has more of)."""
    delimiter = ";" if line.count(";") > line.count(",") else ","
    return [name.strip().strip('"').strip() for name in line.split(delimiter)]


@dataclass
class Table:
    """A CSV file's header and its rows, each with the line it starts on."""

    path: Path
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]

    def column(self, *names: str) -> str | None:
        """The first of ``names`` that the header has."""
        return next((name for name in names if name in self.header), None)

    def need(self, *names: str) -> None:
        """ImportFormatError (line 1) naming the columns the header lacks."""
        missing = [name for name in names if name not in self.header]
        if missing:
            problem = "the header has no column " + ", ".join(f"'{m}'" for m in missing)
            raise ImportFormatError(str(self.path), 1, problem)

    def fail(self, line: int, problem: str) -> ImportFormatError:
        return ImportFormatError(str(self.path), line, problem)


def read_table(path: Path) -> Table:
    """The file as a ``Table``: comma or semicolon separated (the header says which), UTF-8
    with or without a byte-order mark. A row whose number of fields differs from the
    header's, or a file that is not UTF-8 text, raises ImportFormatError with its line."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError as error:
        line = _line_of_byte(path, error.start)
        raise ImportFormatError(str(path), line, "not UTF-8 text") from None
    except OSError as error:
        raise ImportFormatError(str(path), None, error.strerror or "cannot be read") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    lines = text.splitlines(keepends=True)
    reader = csv.reader(iter(lines), delimiter=delimiter, strict=True)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise ImportFormatError(str(path), 1, "the file is empty") from None
    except csv.Error as error:
        raise ImportFormatError(str(path), 1, f"not a CSV header ({error})") from None
    rows: list[tuple[int, dict[str, str]]] = []
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportFormatError(str(path), start, f"not CSV ({error})") from None
        if not any(value.strip() for value in fields):
            continue  # a blank line
        if len(fields) != len(header):
            problem = f"{len(fields)} fields where the header has {len(header)}"
            raise ImportFormatError(str(path), start, problem)
        rows.append((start, dict(zip(header, fields, strict=True))))
        progress.tick(reader.line_num, len(lines))  # a years-long export: the bar moves
    return Table(path, header, rows)


def _line_of_byte(path: Path, offset: int) -> int | None:
    try:
        return path.read_bytes()[:offset].count(b"\n") + 1
    except OSError:
        return None


_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")


def number(table: Table, line: int, column: str, text: str) -> float | None:
    """A number as the apps write it: ``8.5``, ``8,5`` (a decimal comma), ``""`` for none."""
    value = text.strip()
    if not value:
        return None
    if not _NUMBER.fullmatch(value):
        shown = printable(shorten(value, 20))
        raise table.fail(line, f"{column} must be a number, got '{shown}'")
    return float(value.replace(",", "."))


def weight_of(table: Table, line: int, row: dict[str, str], column: str | None) -> float | None:
    """The set's weight from the app's weight column, when the file has one."""
    return None if column is None else number(table, line, column, row[column])


def whole(table: Table, line: int, column: str, text: str) -> int | None:
    """A count (reps): ``10`` or ``10.0``; ``""`` for none."""
    value = number(table, line, column, text)
    if value is None:
        return None
    if not value.is_integer() or value < 0:
        raise table.fail(line, f"{column} must be a whole number, got {value:g}")
    return int(value)


@dataclass
class GymSet:
    """One row of a gym app: a set of an exercise in a workout."""

    line: int
    workout: str  # the workout's start as the app wrote it (FitNotes: the day): the key
    day: date
    exercise: str
    reps: int | None
    warmup: bool = False
    weight: float | None = None
    unit: str = ""  # "kg", "lb", or "" when the file does not say
    notes: list[str] = field(default_factory=list)


def to_batch(format_name: str, sets: Sequence[GymSet], names: ExerciseNames) -> ImportBatch:
    """The sets grouped per workout and exercise, one entry each (see the module's doc)."""
    batch = ImportBatch(format_name)
    groups: dict[tuple[str, str], list[GymSet]] = {}
    for one in sets:
        groups.setdefault((one.workout, one.exercise.strip()), []).append(one)
    for (workout, exercise), group in groups.items():
        name = " ".join(exercise.split()) or "(no name)"
        found = names.recognise(exercise)
        if found is None:
            batch.skipped[f"{name}: not a lunge or rotation exercise"] += 1
            continue
        working = []
        for one in group:
            if one.warmup:
                batch.skipped["warm-up set"] += 1
            elif not one.reps:
                batch.skipped[f"{name}: a set without reps"] += 1
            else:
                working.append(one)
        if not working:
            continue
        reps = sorted(one.reps for one in working if one.reps)
        middle = reps[(len(reps) - 1) // 2]
        if len(working) > MOST_SETS:
            batch.skipped[f"{name}: more than {MOST_SETS} sets in one workout"] += 1
            continue
        if middle > MOST_REPS:
            batch.skipped[f"{name}: more than {MOST_REPS} reps a set"] += 1
            continue
        values: dict[str, object] = {"sets": len(working), "reps": middle, "side": "both"}
        if found.kind == "lunge":
            values["tempo"] = None  # not recorded by a gym app (domain.md)
        else:
            exercise_name = found.exercise or name
            if not storable_exercise(exercise_name):
                batch.skipped[f"{name}: a name that cannot be stored as an exercise"] += 1
                continue
            values["exercise"] = exercise_name
        batch.entries.append(
            ImportedEntry(
                kind=found.kind,
                day=working[0].day,
                values=values,
                source_key=f"{format_name}|{workout}|{exercise}",
                notes=_notes(group, working),
            )
        )
    return batch


def _notes(group: Sequence[GymSet], working: Sequence[GymSet]) -> str | None:
    parts: list[str] = []
    for one in group:
        for note in one.notes:
            text = note.strip()
            if text and text not in parts:
                parts.append(text)
    reps = [one.reps for one in working]
    if len(set(reps)) > 1:
        parts.append("reps per set: " + ", ".join(str(r) for r in reps))
    weights = sorted({(one.weight, one.unit) for one in working if one.weight})
    if weights:
        shown = ", ".join(_weight(w, unit) for w, unit in weights if w is not None)
        parts.append(f"weight {shown}")
    if not parts:
        return None
    return shorten("\n".join(parts), NOTES_MAX)


def _weight(value: float, unit: str) -> str:
    text = f"{value:g}"
    return f"{text} {unit}" if unit else text
