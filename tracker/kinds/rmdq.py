"""The Roland-Morris back questionnaire (RMDQ): the total typed from the form.

The total only, 0-24, higher = more disability: its items are licensed, so they are not shipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.kinds.registry import Figure, Kind, register
from tracker.records import Field


def figures(entry: Mapping[str, Any]) -> list[list[Figure]]:
    text = f"Roland-Morris score {entry['score']}/24"
    return [[Figure(text, text)], [Figure("higher means more trouble from the back", None)]]


RMDQ = register(
    Kind(
        name="rmdq",
        label="Back questionnaire (Roland-Morris)",
        short_label="RMDQ",
        key="",
        fields=(
            Field(
                "score",
                "Roland-Morris score",
                "--score",
                "int",
                required=True,
                low=0,
                high=24,
                hint="The statements ticked on the Roland-Morris form, 0 to 24 (higher = worse)",
            ),
        ),
        figures=figures,
        occasional=True,
    )
)
