"""TCX: Garmin's Training Center XML, which Garmin Connect, Strava and many apps export.

Parsed without a DTD (xml_safety). Each ``Activity`` is one: its ``Id`` is the start time,
its ``Sport`` attribute (``Biking``, ``Running``, ``Other``) the sport; the laps give the
moving time (``TotalTimeSeconds``, timer time without pauses), distance, average heart rate
and cadence (weighted by each lap's time), and where the laps do not, the track points do.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.imports import progress
from tracker.imports.files import read_bytes
from tracker.imports.rides import Ride, add_rides, mean
from tracker.imports.source import ImportBatch, ImportFormatError
from tracker.imports.xml_safety import line_holding, local_name, parse_safely

if TYPE_CHECKING:
    from tracker.imports.exercise_names import ExerciseNames

FORMAT_NAME = "TCX"


def detect(path: Path, head: bytes) -> bool:
    return b"<TrainingCenterDatabase" in head


def read(path: Path, *, names: ExerciseNames) -> ImportBatch:
    batch = ImportBatch(FORMAT_NAME)
    rides = read_rides(path)
    if not rides:
        batch.skipped["TCX file without an activity"] += 1
    return add_rides(batch, rides)


def _children(element: Any, name: str) -> Iterator[Any]:
    return (child for child in element if local_name(child.tag) == name)


def _child(element: Any, name: str) -> Any:
    return next(_children(element, name), None)


class _Reader:
    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        self.data = data

    def fail(self, value: str, problem: str) -> ImportFormatError:
        return ImportFormatError(str(self.path), line_holding(self.data, value), problem)

    def number(self, element: Any, what: str) -> float | None:
        """The number in ``element`` (or in its ``Value`` child, as heart rates are written)."""
        if element is None:
            return None
        if local_name(element.tag).endswith("Bpm"):
            element = _child(element, "Value")
            if element is None:
                return None
        text = (element.text or "").strip()
        try:
            return float(text)
        except ValueError:
            raise self.fail(text, f"{what} must be a number, got '{text[:40]}'") from None

    def time(self, text: str | None, what: str) -> datetime:
        value = (text or "").strip()
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(value, f"{what} must be a time, got '{value[:40]}'") from None
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)

    def ride(self, activity: Any) -> Ride:
        identity = _child(activity, "Id")
        laps = list(_children(activity, "Lap"))
        if identity is not None:
            start = self.time(identity.text, "the activity's Id (its start)")
        elif laps and laps[0].get("StartTime"):
            start = self.time(laps[0].get("StartTime"), "a lap's StartTime")
        else:
            raise ImportFormatError(str(self.path), None, "an Activity without an Id (its start)")
        seconds = 0.0
        distance = 0.0
        heart_sum = heart_time = cadence_sum = cadence_time = 0.0
        point_heart: list[float] = []
        point_cadence: list[float] = []
        for lap in laps:
            lap_s = self.number(_child(lap, "TotalTimeSeconds"), "TotalTimeSeconds") or 0.0
            seconds += lap_s
            distance += self.number(_child(lap, "DistanceMeters"), "DistanceMeters") or 0.0
            heart = self.number(_child(lap, "AverageHeartRateBpm"), "AverageHeartRateBpm")
            if heart and lap_s:
                heart_sum, heart_time = heart_sum + heart * lap_s, heart_time + lap_s
            cadence = self.number(_child(lap, "Cadence"), "Cadence")
            if cadence and lap_s:
                cadence_sum, cadence_time = cadence_sum + cadence * lap_s, cadence_time + lap_s
            for track in _children(lap, "Track"):
                for point in _children(track, "Trackpoint"):
                    value = self.number(_child(point, "HeartRateBpm"), "HeartRateBpm")
                    if value:
                        point_heart.append(value)
                    value = self.number(_child(point, "Cadence"), "Cadence")
                    if value:  # 0 is coasting: left out of the mean
                        point_cadence.append(value)
        sport = activity.get("Sport") or ""
        return Ride(
            start=start,
            sport=sport,
            moving_s=seconds or None,
            distance_m=distance or None,
            cadence_rpm=cadence_sum / cadence_time if cadence_time else mean(point_cadence),
            avg_hr=heart_sum / heart_time if heart_time else mean(point_heart),
        )


def read_rides(path: Path) -> list[Ride]:
    """One ride per Activity (any sport); ImportFormatError names the line of a fault."""
    data = read_bytes(path)
    root = parse_safely(path, data, "TCX")
    if local_name(root.tag) != "TrainingCenterDatabase":
        raise ImportFormatError(str(path), 1, "not a TCX file (no TrainingCenterDatabase)")
    reader = _Reader(path, data)
    activities = [
        activity
        for group in _children(root, "Activities")
        for activity in _children(group, "Activity")
    ]
    rides = []
    for number, activity in enumerate(activities, start=1):
        progress.tick(number, len(activities))
        rides.append(reader.ride(activity))
    return rides
