"""Strong (the workout app): its CSV export, a row per set.

Three forms are read (checked against public parsers and samples, docs/user-guide.md):

- comma separated: ``Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,
  Distance,Seconds,Notes,Workout Notes,RPE`` (the weight in the app's unit, not named);
- the older semicolon form: ``Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;
  Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes;Workout Duration``;
- version 6: ``Workout #;Date;Workout Name;Duration (sec);Exercise Name;Set Order;
  Weight (kg);Reps;...`` (or ``Weight (lbs)``), with either separator.

Dates are ``2024-03-12 07:30:00`` or, on a phone set to a 12-hour clock, ``2024-03-12
7:30:00 PM`` with a narrow no-break space (U+202F) before PM. ``Set Order`` is the set's
number, ``W`` for a warm-up set (skipped and counted), ``D`` or ``F`` for a drop or failure
set (working sets), or ``Rest Timer`` for a row that is not a set. Numbers may have a decimal
comma (``8,5``). See ``gym`` for how sets become entries.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from tracker.imports.exercise_names import ExerciseNames
from tracker.imports.gym import (
    GymSet,
    Table,
    head_line,
    header_names,
    read_table,
    to_batch,
    weight_of,
    whole,
)
from tracker.imports.source import ImportBatch
from tracker.text import printable

FORMAT_NAME = "Strong"

_WEIGHT_COLUMNS = {"Weight (kg)": "kg", "Weight (kgs)": "kg", "Weight (lbs)": "lb"}
_UNITS = {"kg": "kg", "kgs": "kg", "lb": "lb", "lbs": "lb"}
_WHEN = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?"
)


def detect(path: Path, head: bytes) -> bool:
    names = header_names(head_line(head))
    return "Exercise Name" in names and "Set Order" in names


def start_time(table: Table, line: int, text: str) -> datetime:
    """``2024-03-12 19:30:00`` from Strong's date, in 24- or 12-hour form (any space before
    AM/PM, the narrow no-break space of iOS included)."""
    cleaned = " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())
    match = _WHEN.fullmatch(cleaned)
    try:
        if match is None:
            raise ValueError
        year, month, day, hour, minute, second, half = match.groups()
        clock = int(hour)
        if half is not None:
            if not 1 <= clock <= 12:
                raise ValueError
            clock = clock % 12 + (12 if half.upper() == "P" else 0)
        return datetime(int(year), int(month), int(day), clock, int(minute), int(second or 0))
    except ValueError:
        shown = printable(cleaned[:30])
        problem = f"Date must be a date and time like 2024-03-12 19:30:00, got '{shown}'"
        raise table.fail(line, problem) from None


def read(path: Path, *, names: ExerciseNames) -> ImportBatch:
    table = read_table(path)
    table.need("Date", "Exercise Name", "Set Order", "Reps")
    weight_column = table.column("Weight", *_WEIGHT_COLUMNS)
    sets: list[GymSet] = []
    rest_rows = 0
    for line, row in table.rows:
        order = row["Set Order"].strip()
        if order.casefold() == "rest timer":
            rest_rows += 1
            continue
        start = start_time(table, line, row["Date"])
        unit = _WEIGHT_COLUMNS.get(weight_column or "", "")
        if "Weight Unit" in row:
            unit = _UNITS.get(row["Weight Unit"].strip().casefold(), unit)
        sets.append(
            GymSet(
                line=line,
                workout=start.isoformat(),
                day=start.date(),
                exercise=row["Exercise Name"],
                reps=whole(table, line, "Reps", row["Reps"]),
                warmup=order.upper() == "W",
                weight=weight_of(table, line, row, weight_column),
                unit=unit,
                notes=[row.get("Notes", ""), row.get("Workout Notes", "")],
            )
        )
    batch = to_batch(FORMAT_NAME, sets, names)
    if rest_rows:
        batch.skipped["rest timer (not a set)"] += rest_rows
    return batch
