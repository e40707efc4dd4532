"""Cycling: minutes, and optionally distance, cadence, resistance, heart rate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.kinds import common
from tracker.kinds.registry import Figure, Kind, register
from tracker.numbers import plain
from tracker.records import Field


def figures(entry: Mapping[str, Any]) -> list[list[Figure]]:
    minutes = f"{plain(entry['minutes'])} min"
    first = [Figure(minutes, minutes)]
    if entry.get("distance_km") is not None:
        km = f"{plain(entry['distance_km'])} km"
        first.append(Figure(km, km))
    if entry.get("cadence_rpm") is not None:
        first.append(Figure(f"{entry['cadence_rpm']} rpm", None))
    if entry.get("resistance") is not None:
        resistance = f"resistance {entry['resistance']}"
        first.append(Figure(resistance, resistance))
    if entry.get("avg_hr") is not None:
        first.append(Figure(f"{entry['avg_hr']} bpm", None))
    return [first, common.how_it_felt(entry)]


def volume(entry: Mapping[str, Any]) -> float:
    return float(entry["minutes"])


CYCLING = register(
    Kind(
        name="cycling",
        label="Cycling",
        short_label="Cycling",
        key="c",
        fields=(
            Field("minutes", "Minutes", "--minutes", "number", True, 0, 600, low_exclusive=True),
            Field("distance_km", "Distance (km)", "--km", "number", low=0, high=500),
            Field("cadence_rpm", "Cadence (rpm)", "--cadence", "int", low=20, high=200),
            Field("resistance", "Resistance", "--resistance", "int", low=0, high=30),
            Field("avg_hr", "Average heart rate", "--avg-hr", "int", low=30, high=230),
            common.effort(),
            common.pain_during(),
        ),
        figures=figures,
        volume=volume,
        volume_unit="min",
        volume_title="Cycling: minutes",
        after_words="cycling",
    )
)
