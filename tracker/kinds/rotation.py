"""External rotation: a named exercise (or the user's own), sets, reps, hold and band."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.kinds import common
from tracker.kinds.registry import Figure, Kind, register
from tracker.records import BANDS, Field, exercise_label
from tracker.text import printable


def figures(entry: Mapping[str, Any]) -> list[list[Figure]]:
    name = printable(exercise_label(entry["exercise"]))
    first = [Figure(name, name), common.sets_and_reps(entry, common.SIDE_WORDS)]
    if entry.get("hold_s"):
        first.append(Figure(f"hold {entry['hold_s']} seconds", f"hold {entry['hold_s']} s"))
    if entry.get("band") and entry["band"] != "none":
        band = f"{entry['band']} band"
        first.append(Figure(band, band))
    return [first, common.how_it_felt(entry)]


def volume(entry: Mapping[str, Any]) -> float:
    return float(entry["sets"])


ROTATION = register(
    Kind(
        name="rotation",
        label="External rotation",
        short_label="Rotation",
        key="r",
        fields=(
            Field(
                "exercise",
                "Exercise",
                "--exercise",
                "exercise",
                required=True,
                hint=(
                    "For the hip muscles that keep the knee from falling inward: "
                    "pick one, or type your own"
                ),
            ),
            common.sets(),
            common.reps("side"),
            common.side("side"),
            Field(
                "hold_s",
                "Hold (seconds)",
                "--hold",
                "int",
                low=0,
                high=120,
                hint="Seconds held at the end of each repetition",
            ),
            Field(
                "band",
                "Band",
                "--band",
                "choice",
                choices=BANDS,
                hint="Band colour, light to heavy: " + ", ".join(BANDS[1:]),
            ),
            common.effort(),
            common.pain_during(),
        ),
        figures=figures,
        volume=volume,
        volume_unit="sets",
        volume_title="External rotation: sets",
        after_words="external-rotation work",
    )
)
