"""The Oswestry back questionnaire (ODI): the percentage typed from the form.

The score only, 0-100 %, higher = more disability: its items are licensed, so they are not
shipped. A decimal is allowed (a section left blank changes the divisor).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.kinds.registry import Figure, Kind, register
from tracker.numbers import plain
from tracker.records import Field


def figures(entry: Mapping[str, Any]) -> list[list[Figure]]:
    text = f"Oswestry score {plain(entry['score'])} %"
    return [[Figure(text, text)], [Figure("higher means more trouble from the back", None)]]


ODI = register(
    Kind(
        name="odi",
        label="Back questionnaire (Oswestry)",
        short_label="ODI",
        key="",
        fields=(
            Field(
                "score",
                "Oswestry score (%)",
                "--score",
                "number",
                required=True,
                low=0,
                high=100,
                hint="The percentage the Oswestry form gives, 0 to 100 (higher = worse)",
            ),
        ),
        figures=figures,
        occasional=True,
    )
)
