"""Distance in the unit the user reads: stored in km always, shown and typed in km or miles."""

from __future__ import annotations

from typing import Final, Literal

DistanceUnit = Literal["km", "miles"]
DISTANCE_UNITS: Final[tuple[DistanceUnit, ...]] = ("km", "miles")
KM_PER_MILE: Final = 1.609344


def km_to(unit: DistanceUnit, km: float) -> float:
    """``km`` in ``unit``, rounded to what a bike computer shows (0.01)."""
    return round(km if unit == "km" else km / KM_PER_MILE, 2)


def to_km(unit: DistanceUnit, value: float) -> float:
    """A distance typed in ``unit``, in km as stored (0.01 km)."""
    return round(value if unit == "km" else value * KM_PER_MILE, 2)
