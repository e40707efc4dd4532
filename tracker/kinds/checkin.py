"""The day's symptom check-in: knee and back pain, clicking per knee (one per date)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.kinds.registry import Figure, Kind, register
from tracker.records import Field, clicking_word


def figures(entry: Mapping[str, Any]) -> list[list[Figure]]:
    knee, back = entry["knee_pain"], entry["back_pain"]
    left, right = clicking_word(entry["clicking_left"]), clicking_word(entry["clicking_right"])
    second = [Figure(f"Clicking: left {left}, right {right}", f"clicking L {left}, R {right}")]
    if entry.get("click_count") is not None:
        count = entry["click_count"]
        clicks = f"{count} click" if count == 1 else f"{count} clicks"
        second.append(Figure(clicks, clicks))
    if entry.get("clicking_painful") is not None:
        painful = "painful" if entry["clicking_painful"] else "not painful"
        second.append(Figure(painful, painful))
    return [
        [
            Figure(f"Knee pain {knee}/10", f"knee {knee}/10"),
            Figure(f"Back pain {back}/10", f"back {back}/10"),
        ],
        second,
    ]


CHECKIN = register(
    Kind(
        name="checkin",
        label="Check-in",
        short_label="Check-in",
        key="s",
        fields=(
            Field("knee_pain", "Knee pain", "--knee-pain", "int", required=True, low=0, high=10),
            Field("back_pain", "Back pain", "--back-pain", "int", required=True, low=0, high=10),
            Field("clicking_left", "Clicking, left knee", "--clicking-left", "int", True, 0, 4),
            Field("clicking_right", "Clicking, right knee", "--clicking-right", "int", True, 0, 4),
            Field("click_count", "Clicks noticed", "--clicks", "int", low=0, high=1000),
            Field("clicking_painful", "Clicks painful", "--painful", "bool"),
        ),
        figures=figures,
    )
)
