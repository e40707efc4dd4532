"""Hevy (the workout app): its CSV export, a row per set.

``title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,
set_index,set_type,weight_kg,reps,distance_km,duration_seconds,rpe``, or ``weight_lbs`` and
``distance_miles`` for an account in pounds (checked against public parsers and samples,
docs/user-guide.md). Times are written ``30 Jan 2025, 12:34``; some exports write ``Jan 30,
2025, 12:34 PM`` or ``30.01.2025, 12:34``, read too. ``set_type`` is ``normal``, ``warmup``
(skipped and counted), ``failure`` or ``dropset``. See ``gym`` for how sets become entries.
"""

from __future__ import annotations

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

FORMAT_NAME = "Hevy"

_FORMS = ("%d %b %Y, %H:%M", "%b %d, %Y, %I:%M %p", "%d.%m.%Y, %H:%M", "%Y-%m-%d %H:%M:%S")


def detect(path: Path, head: bytes) -> bool:
    names = header_names(head_line(head))
    return "exercise_title" in names and "start_time" in names


def start_time(table: Table, line: int, text: str) -> datetime:
    cleaned = " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())
    for form in _FORMS:
        try:
            return datetime.strptime(cleaned, form)
        except ValueError:
            continue
    problem = f"start_time must be a time like 30 Jan 2025, 12:34, got '{printable(cleaned[:30])}'"
    raise table.fail(line, problem)


def read(path: Path, *, names: ExerciseNames) -> ImportBatch:
    table = read_table(path)
    table.need("start_time", "exercise_title", "reps")
    weight_column = table.column("weight_kg", "weight_lbs")
    unit = {"weight_kg": "kg", "weight_lbs": "lb"}.get(weight_column or "", "")
    sets: list[GymSet] = []
    for line, row in table.rows:
        start = start_time(table, line, row["start_time"])
        sets.append(
            GymSet(
                line=line,
                workout=start.isoformat(),
                day=start.date(),
                exercise=row["exercise_title"],
                reps=whole(table, line, "reps", row["reps"]),
                warmup=row.get("set_type", "").strip().casefold() == "warmup",
                weight=weight_of(table, line, row, weight_column),
                unit=unit,
                notes=[row.get("exercise_notes", ""), row.get("description", "")],
            )
        )
    return to_batch(FORMAT_NAME, sets, names)
