"""FIT: the binary files of Garmin, Wahoo, Zwift and most bike computers (also ``.fit.gz``).

Read with fitdecode (pure Python). Every ``session`` message is one activity: its start time,
sport, moving time (``total_moving_time``, else the timer time, which leaves pauses out),
distance, average cadence and average heart rate. The file's CRC is checked: a damaged file is
refused, naming the record where reading stopped.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.imports import progress
from tracker.imports.files import read_bytes
from tracker.imports.rides import Ride, add_rides
from tracker.imports.source import ImportBatch, ImportFormatError

if TYPE_CHECKING:
    from tracker.imports.exercise_names import ExerciseNames

FORMAT_NAME = "FIT"


def detect(path: Path, head: bytes) -> bool:
    # The header's bytes 8 to 11 are ".FIT" (FIT protocol, "File Header").
    return len(head) >= 12 and head[8:12] == b".FIT"


def read(path: Path, *, names: ExerciseNames) -> ImportBatch:
    batch = ImportBatch(FORMAT_NAME)
    rides = read_rides(path)
    if not rides:
        batch.skipped["FIT file without a recorded activity"] += 1
    return add_rides(batch, rides)


def read_rides(path: Path) -> list[Ride]:
    """Every session of the file; ImportFormatError names the record where reading failed."""
    import fitdecode  # only here: imports cost the quick add nothing

    data = read_bytes(path)
    stream = io.BytesIO(data)
    rides: list[Ride] = []
    number = 0
    reader = fitdecode.FitReader(
        stream,
        check_crc=fitdecode.CrcCheck.RAISE,
        error_handling=fitdecode.ErrorHandling.RAISE,
    )
    try:
        with reader:
            for frame in reader:
                number += 1
                progress.tick(stream.tell(), len(data))
                if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "session":
                    rides.append(_session_ride(path, number, frame))
    except fitdecode.FitHeaderError as error:
        raise ImportFormatError(str(path), None, f"not a FIT file ({error})") from None
    except fitdecode.FitError as error:
        raise ImportFormatError(
            str(path), None, f"record {number + 1}: cannot be read ({error})"
        ) from None
    if number == 0:
        raise ImportFormatError(str(path), None, "is empty")
    return rides


def _value(frame: Any, name: str) -> Any:
    return frame.get_value(name, fallback=None)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _session_ride(path: Path, number: int, frame: Any) -> Ride:
    start = _value(frame, "start_time")
    if not isinstance(start, datetime):
        start = _value(frame, "timestamp")
    if not isinstance(start, datetime):
        raise ImportFormatError(str(path), None, f"record {number}: a session without a start")
    sport = _value(frame, "sport")
    sub_sport = _value(frame, "sub_sport")
    sport_word = sport if isinstance(sport, str) else "" if sport is None else str(sport)
    if isinstance(sub_sport, str) and sub_sport in ("indoor_cycling", "spin"):
        sport_word = sub_sport  # an exercise bike recorded under "training" or "fitness"
    moving = _number(_value(frame, "total_moving_time"))
    if moving is None:
        moving = _number(_value(frame, "total_timer_time"))
    if moving is None:
        moving = _number(_value(frame, "total_elapsed_time"))
    return Ride(
        start=start,
        sport=sport_word,
        moving_s=moving,
        distance_m=_number(_value(frame, "total_distance")),
        cadence_rpm=_number(_value(frame, "avg_cadence")),
        avg_hr=_number(_value(frame, "avg_heart_rate")),
    )
