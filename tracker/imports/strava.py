"""Strava's bulk export: ``activities.csv`` beside a folder of the rides' own files.

The table repeats column names: the first ``Distance`` is in the user's unit (km or miles, which
the file does not say), the second in metres; the first ``Elapsed Time`` is whole seconds, the
second has decimals, and ``Moving Time`` follows it. ``Activity Date`` is UTC, written
``Oct 7, 2020, 2:43:11 PM``. ``Filename`` names the ride's FIT, GPX or TCX file (often
gzipped) relative to the table's folder: when that file is there it is read (its figures are
the device's own), else the table's figures are used. Only rides are imported; every other
activity type is counted.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.imports import progress
from tracker.imports.files import read_bytes, read_head, text_of
from tracker.imports.rides import Ride, add_rides, is_cycling, not_a_ride
from tracker.imports.source import ImportBatch, ImportFormatError

if TYPE_CHECKING:
    from tracker.imports.exercise_names import ExerciseNames

FORMAT_NAME = "Strava export"
DATE_FORMATS = ("%b %d, %Y, %I:%M:%S %p", "%Y-%m-%d %H:%M:%S", "%d %b %Y, %H:%M:%S")
NOTES_MAX = 1000


def detect(path: Path, head: bytes) -> bool:
    first = head.split(b"\n", 1)[0].lstrip(b"\xef\xbb\xbf")
    return b"Activity ID" in first and b"Activity Type" in first and b"," in first


class _Columns:
    """Where each column is; ``at(name, n)`` is the n-th (0-based) column of that name."""

    def __init__(self, header: list[str]) -> None:
        self.places: dict[str, list[int]] = {}
        for index, name in enumerate(header):
            self.places.setdefault(name.strip(), []).append(index)

    def at(self, row: list[str], name: str, nth: int = 0) -> str:
        places = self.places.get(name, [])
        if nth >= len(places) or places[nth] >= len(row):
            return ""
        return row[places[nth]].strip()


def _number(text: str, path: Path, line: int, column: str) -> float | None:
    if text == "":
        return None
    cleaned = text.replace(",", ".") if "." not in text and text.count(",") == 1 else text
    try:
        return float(cleaned)
    except ValueError:
        raise ImportFormatError(
            str(path), line, f"{column} must be a number, got '{text[:40]}'"
        ) from None


def _start(text: str, path: Path, line: int) -> datetime:
    cleaned = re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " ")).strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise ImportFormatError(
        str(path),
        line,
        f"Activity Date must be a date like 'Oct 7, 2020, 2:43:11 PM', got '{text[:40]}'",
    )


def _ride_file(folder: Path, name: str) -> Path | None:
    """The ride's own file named by ``Filename``, when it is there and inside the folder."""
    if not name:
        return None
    candidate = (folder / name).resolve()
    if not candidate.is_relative_to(folder.resolve()) or not candidate.is_file():
        return None
    return candidate


def _read_ride_file(path: Path) -> list[Ride]:
    from tracker.imports import fit, gpx, tcx

    head = read_head(path)
    if fit.detect(path, head):
        return fit.read_rides(path)
    if tcx.detect(path, head):
        return tcx.read_rides(path)
    if gpx.detect(path, head):
        return gpx.read_rides(path)
    raise ImportFormatError(str(path), None, "is not a FIT, GPX or TCX file")


def read(path: Path, *, names: ExerciseNames) -> ImportBatch:
    batch = ImportBatch(FORMAT_NAME)
    text = text_of(path, read_bytes(path))
    total = text.count("\n") + 1
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise ImportFormatError(str(path), None, "is empty")
    columns = _columns_of(path, header)
    folder = path.parent
    rides: list[Ride] = []
    line = reader.line_num
    for row in _rows(reader, path):
        # A row starts on the line after the previous one ended (a description may hold
        # line breaks): that is the line an error names.
        this_line, line = line + 1, reader.line_num
        progress.tick(line, total)
        if not any(cell.strip() for cell in row):
            continue
        kind = columns.at(row, "Activity Type")
        if not is_cycling(kind):
            batch.skipped[not_a_ride(kind)] += 1
            continue
        ride = _table_ride(columns, row, path, this_line)
        own_file = _ride_file(folder, columns.at(row, "Filename"))
        if own_file is not None:
            ride = _with_file(ride, own_file, batch)
        rides.append(ride)
    return add_rides(batch, rides)


def _rows(reader: Any, path: Path) -> Iterator[list[str]]:
    """The table's rows; a quote left open or a NUL byte is a malformed file."""
    try:
        yield from reader
    except csv.Error as error:
        raise ImportFormatError(
            str(path), reader.line_num, f"not a readable table ({error})"
        ) from None


def _columns_of(path: Path, header: list[str]) -> _Columns:
    columns = _Columns(header)
    for needed in ("Activity Date", "Activity Type"):
        if needed not in columns.places:
            raise ImportFormatError(str(path), 1, f"no '{needed}' column: not Strava's table")
    return columns


def _table_ride(columns: _Columns, row: list[str], path: Path, line: int) -> Ride:
    def number(name: str, nth: int = 0) -> float | None:
        return _number(columns.at(row, name, nth), path, line, name)

    moving = number("Moving Time")
    if moving is None or moving <= 0:
        moving = number("Elapsed Time")
    # The second Distance is in metres. The first is in km or miles, as the user chose on
    # Strava, and the file does not say which: it is used for nothing.
    distance = number("Distance", 1)
    description = columns.at(row, "Activity Description")
    return Ride(
        start=_start(columns.at(row, "Activity Date"), path, line),
        sport="cycling",
        moving_s=moving,
        distance_m=distance,
        cadence_rpm=number("Average Cadence"),
        avg_hr=number("Average Heart Rate"),
        notes=description[:NOTES_MAX] or None,
    )


def _with_file(table: Ride, own_file: Path, batch: ImportBatch) -> Ride:
    """The table's ride with the figures of its own file, when the file can be read."""
    try:
        with progress.reporting(None):
            found = _read_ride_file(own_file)
    except ImportFormatError:
        batch.skipped["ride file that could not be read (Strava's own figures used)"] += 1
        return table
    if not found:
        return table
    ride = found[0]
    return replace(
        table,
        start=ride.start,
        moving_s=ride.moving_s if ride.moving_s else table.moving_s,
        distance_m=ride.distance_m if ride.distance_m else table.distance_m,
        cadence_rpm=ride.cadence_rpm if ride.cadence_rpm else table.cadence_rpm,
        avg_hr=ride.avg_hr if ride.avg_hr else table.avg_hr,
    )
