"""FitNotes (the Android workout log): its CSV export, a row per set.

``Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time`` with a ``Comment``
column in later versions, and ``Weight (lbs)`` for a log kept in pounds (checked against
public parsers and samples, docs/user-guide.md). FitNotes has no workouts or times, only
days (``2024-01-15``): the sets of an exercise on one day make one entry, and it has no
warm-up marker, so every set with reps counts. See ``gym`` for how sets become entries.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tracker.imports.exercise_names import ExerciseNames
from tracker.imports.gym import (
    GymSet,
    head_line,
    header_names,
    read_table,
    to_batch,
    weight_of,
    whole,
)
from tracker.imports.source import ImportBatch
from tracker.text import printable

FORMAT_NAME = "FitNotes"

_WEIGHT_COLUMNS = {"Weight (kgs)": "kg", "Weight (kg)": "kg", "Weight (lbs)": "lb"}


def detect(path: Path, head: bytes) -> bool:
    names = header_names(head_line(head))
    return (
        "Exercise" in names
        and "Category" in names
        and "Date" in names
        and any(name in names for name in _WEIGHT_COLUMNS)
    )


def read(path: Path, *, names: ExerciseNames) -> ImportBatch:
    table = read_table(path)
    table.need("Date", "Exercise", "Reps")
    weight_column = table.column(*_WEIGHT_COLUMNS)
    unit = _WEIGHT_COLUMNS.get(weight_column or "", "")
    sets: list[GymSet] = []
    for line, row in table.rows:
        text = row["Date"].strip()
        try:
            day = date.fromisoformat(text)
        except ValueError:
            problem = f"Date must be a date like 2024-01-15, got '{printable(text[:30])}'"
            raise table.fail(line, problem) from None
        sets.append(
            GymSet(
                line=line,
                workout=day.isoformat(),
                day=day,
                exercise=row["Exercise"],
                reps=whole(table, line, "Reps", row["Reps"]),
                weight=weight_of(table, line, row, weight_column),
                unit=unit,
                notes=[row.get("Comment", "")],
            )
        )
    return to_batch(FORMAT_NAME, sets, names)
