"""What every ride format yields: one ``Ride`` per recorded activity, made into a cycling
entry, or skipped and counted when it was a run, a walk or anything else.

The id of a ride is made from its start time alone (to the second, UTC): the same ride read
from a FIT file, from the GPX a phone wrote, or from Strava's export of it gets the same id,
so importing it from a second app adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from tracker.imports.source import ImportBatch, ImportedEntry

# Sports that are cycling, as the formats name them (FIT's sport and sub-sport, TCX's Sport,
# GPX's track type, Strava's activity type), lower case.
CYCLING_WORDS = frozenset(
    {
        "cycling",
        "biking",
        "bike",
        "ride",
        "e_biking",
        "e-biking",
        "indoor_cycling",
        "spin",
        "road_biking",
        "mountain_biking",
        "gravel_cycling",
        "virtual_ride",
        "handcycle",
        "velomobile",
        "1",  # Strava's older GPX files number the type: 1 is a ride
    }
)
# How a skipped sport is named in the preview ("run: not a ride").
SPORT_WORDS = {
    "running": "run",
    "9": "run",
    "walking": "walk",
    "hiking": "hike",
    "swimming": "swim",
    "generic": "activity of no named sport",
    "": "activity of no named sport",
}


def is_cycling(sport: str) -> bool:
    """Whether a sport's name (any format's) means riding a bike, indoors or out."""
    word = sport.strip().lower().replace(" ", "_")
    return word in CYCLING_WORDS or word.endswith("ride") or word.endswith("_biking")


def not_a_ride(sport: str) -> str:
    """The skip reason for a sport that is not cycling: ``run: not a ride``."""
    word = sport.strip().lower()
    return f"{SPORT_WORDS.get(word.replace(' ', '_'), word.replace('_', ' '))}: not a ride"


@dataclass(frozen=True)
class Ride:
    """One recorded activity in the units of the formats: seconds, metres, per minute.

    ``sport`` as the file names it, "" when it does not. A figure the file does not have is
    None. ``moving_s`` is the time spent moving (pauses left out) where the file says it.
    """

    start: datetime
    sport: str
    moving_s: float | None
    distance_m: float | None = None
    cadence_rpm: float | None = None
    avg_hr: float | None = None
    notes: str | None = None

    def entry(self) -> ImportedEntry:
        """A cycling entry on the local day the ride started."""
        start = self.start.astimezone(UTC).replace(microsecond=0)
        values: dict[str, object] = {"created_at": start.isoformat()}
        if self.moving_s is not None:
            values["minutes"] = round(self.moving_s / 60, 1)
        if self.distance_m is not None and self.distance_m > 0:
            values["distance_km"] = round(self.distance_m / 1000, 2)
        if self.cadence_rpm is not None and self.cadence_rpm > 0:
            values["cadence_rpm"] = round_half_up(self.cadence_rpm)
        if self.avg_hr is not None and self.avg_hr > 0:
            values["avg_hr"] = round_half_up(self.avg_hr)
        return ImportedEntry(
            kind="cycling",
            day=start.astimezone().date(),  # the day as the user lives it: this computer's zone
            values=values,
            source_key=f"ride:{start:%Y-%m-%dT%H:%M:%SZ}",
            notes=self.notes,
        )


def round_half_up(value: float) -> int:
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


def add_rides(batch: ImportBatch, rides: Iterable[Ride]) -> ImportBatch:
    """Cycling rides become entries; every other sport is counted as skipped."""
    for ride in rides:
        if is_cycling(ride.sport) or (ride.sport == "" and batch.format in UNNAMED_IS_RIDE):
            batch.entries.append(ride.entry())
        else:
            batch.skipped[not_a_ride(ride.sport)] += 1
    return batch


# GPX tracks often say no sport at all (the format has no required field for it): a track
# the user chose to import is taken as a ride. FIT and TCX always name one.
UNNAMED_IS_RIDE = frozenset({"GPX"})


def mean(values: Iterable[float]) -> float | None:
    numbers = list(values)
    return sum(numbers) / len(numbers) if numbers else None
