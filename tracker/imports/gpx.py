"""GPX: the track files that phones, Komoot, Strava and Garmin Connect export.

Read with gpxpy. Each track is one activity: its first time is the start, gpxpy's moving
time (pauses and standing still left out) the minutes, the track's length the distance, and
the heart rate and cadence come from the points' extensions (Garmin's TrackPointExtension,
``hr`` and ``cad``, in any namespace). A track without a sport (``<type>``) is taken as a
ride; one whose type names another sport is skipped and counted.
"""

from __future__ import annotations

import re
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.imports import progress
from tracker.imports.files import read_bytes, text_of
from tracker.imports.rides import Ride, add_rides, mean
from tracker.imports.source import ImportBatch, ImportFormatError
from tracker.imports.xml_safety import local_name, parse_safely

if TYPE_CHECKING:
    from tracker.imports.exercise_names import ExerciseNames

FORMAT_NAME = "GPX"
HEART_RATE_TAGS = frozenset({"hr", "heartrate"})
CADENCE_TAGS = frozenset({"cad", "cadence"})


def detect(path: Path, head: bytes) -> bool:
    return b"<gpx" in head


def read(path: Path, *, names: ExerciseNames) -> ImportBatch:
    batch = ImportBatch(FORMAT_NAME)
    rides, untimed = read_tracks(path)
    if untimed:
        batch.skipped["GPX track without times"] += untimed
    if not rides and not untimed:
        batch.skipped["GPX file without a track"] += 1
    return add_rides(batch, rides)


def read_rides(path: Path) -> list[Ride]:
    """One ride per track that has times."""
    return read_tracks(path)[0]


def read_tracks(path: Path) -> tuple[list[Ride], int]:
    """One ride per track that has times, and the number of tracks without; ImportFormatError
    names the line of a fault."""
    import gpxpy
    import gpxpy.gpx

    data = read_bytes(path)
    parse_safely(path, data, "GPX")  # refuses a DTD, and finds the line of a syntax error
    text = text_of(path, data)
    try:
        document = gpxpy.parse(text)
    except gpxpy.gpx.GPXException as error:
        raise ImportFormatError(str(path), _line_of(text, str(error)), _problem(error)) from None
    rides: list[Ride] = []
    untimed = 0
    for number, track in enumerate(document.tracks, start=1):
        progress.tick(number, len(document.tracks))
        start = track.get_time_bounds().start_time
        if start is None:
            untimed += 1
            continue
        if start.tzinfo is None:
            # GPX times are UTC ("Z"); a time without a zone is read as UTC too.
            start = start.replace(tzinfo=UTC)
        moving = track.get_moving_data()
        heart: list[float] = []
        cadence: list[float] = []
        for segment in track.segments:
            for point in segment.points:
                for extension in point.extensions:
                    for element in extension.iter():
                        name = local_name(element.tag).lower()
                        value = _float(element.text)
                        if value is None or value <= 0:
                            continue  # a cadence of 0 is coasting: left out of the mean
                        if name in HEART_RATE_TAGS:
                            heart.append(value)
                        elif name in CADENCE_TAGS:
                            cadence.append(value)
        rides.append(
            Ride(
                start=start,
                sport=(track.type or "").strip(),
                moving_s=moving.moving_time if moving.moving_time > 0 else None,
                distance_m=track.length_2d(),
                cadence_rpm=mean(cadence),
                avg_hr=mean(heart),
            )
        )
    return rides, untimed


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


_BAD_VALUE = re.compile(r"\.\.\. (.+?) \(")


def _problem(error: Exception) -> str:
    found = _BAD_VALUE.search(str(error))
    return f"a value that is not a number or time: {found.group(1)}" if found else str(error)


def _line_of(text: str, message: str) -> int | None:
    """The first line that holds the value gpxpy could not read (its message quotes it)."""
    found = _BAD_VALUE.search(message)
    if not found:
        return None
    value = found.group(1)
    for number, line in enumerate(text.splitlines(), start=1):
        if f'"{value}"' in line or f">{value}<" in line or f"'{value}'" in line:
            return number
    return None
