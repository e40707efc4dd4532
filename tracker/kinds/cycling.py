"""Cycling: minutes, and optionally distance, cadence, resistance level, heart rate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.kinds import common
from tracker.kinds.registry import Figure, Kind, register
from tracker.numbers import plain
from tracker.records import Field


def figures(entry: Mapping[str, Any]) -> list[list[Figure]]:
    minutes = plain(entry["minutes"])
    first = [Figure(f"{minutes} minutes", f"{minutes} min")]
    if entry.get("distance_km") is not None:
        first.append(common.distance(entry["distance_km"]))
    if entry.get("resistance") is not None:
        first.append(
            Figure(f"resistance level {entry['resistance']}", f"resistance {entry['resistance']}")
        )
    # What the bike or a watch shows: on a line of their own, cards only.
    second = []
    if entry.get("cadence_rpm") is not None:
        second.append(Figure(f"cadence {entry['cadence_rpm']} rpm", None))
    if entry.get("avg_hr") is not None:
        second.append(Figure(f"average heart rate {entry['avg_hr']} bpm", None))
    return [first, second, common.how_it_felt(entry)]


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
            Field(
                "cadence_rpm",
                "Cadence (rpm)",
                "--cadence",
                "int",
                low=20,
                high=200,
                hint="Pedal turns a minute (rpm: revolutions per minute), as the bike shows it",
            ),
            Field(
                "resistance",
                "Resistance level",
                "--resistance",
                "int",
                low=0,
                high=30,
                hint="The bike's own resistance level, as its display shows it",
            ),
            Field(
                "avg_hr",
                "Average heart rate",
                "--avg-hr",
                "int",
                low=30,
                high=230,
                hint="Average over the ride, in beats per minute (bpm)",
            ),
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
