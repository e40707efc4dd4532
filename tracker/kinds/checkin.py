"""The day's symptom check-in: knee and back pain, clicking per knee (one per date)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.kinds import common
from tracker.kinds.registry import Figure, Kind, register
from tracker.records import CLICK_MOVE_LABELS, CLICK_MOVES, Field, click_moves_words, clicking_word


def figures(entry: Mapping[str, Any]) -> list[list[Figure]]:
    knee, back = entry["knee_pain"], entry["back_pain"]
    left, right = clicking_word(entry["clicking_left"]), clicking_word(entry["clicking_right"])
    wordy = f"Clicking: left knee {left}, right knee {right}"
    second = [Figure(wordy, f"clicking left {left}, right {right}")]
    if entry.get("click_count") is not None:
        count = entry["click_count"]
        clicks = f"{count} click" if count == 1 else f"{count} clicks"
        second.append(Figure(clicks, clicks))
    if entry.get("clicking_painful") is not None:
        painful = "painful" if entry["clicking_painful"] else "not painful"
        second.append(Figure(painful, painful))
    lines = [
        [
            Figure(f"Knee pain {knee}/10", f"knee pain {knee}/10"),
            Figure(f"Back pain {back}/10", f"back pain {back}/10"),
        ],
        second,
    ]
    if entry.get("click_moves"):
        moves = click_moves_words(entry["click_moves"])
        lines.append([Figure(f"Clicked with: {moves}", f"clicked with {moves}")])
    return lines


PAIN_HINT = f"over the past 24 hours: {common.PAIN_SCALE}"
# KOOS symptom item S2, asked about today and per knee (domain.md).
CLICKING_HINT = (
    "Grinding or clicking in the {} knee today: 0 Never, 1 Rarely, 2 Sometimes, 3 Often, 4 Always"
)

# A form ticks each movement by its number (tracker/tui/widgets/multi.py).
CLICK_MOVES_HINT = "Which movements clicked today, if any: " + ", ".join(
    f"{number} {CLICK_MOVE_LABELS[move]}" for number, move in enumerate(CLICK_MOVES, start=1)
)

CHECKIN = register(
    Kind(
        name="checkin",
        label="Check-in",
        short_label="Check-in",
        key="s",
        fields=(
            Field(
                "knee_pain",
                "Knee pain",
                "--knee-pain",
                "int",
                required=True,
                low=0,
                high=10,
                hint=f"Average knee pain {PAIN_HINT}",
            ),
            Field(
                "back_pain",
                "Back pain",
                "--back-pain",
                "int",
                required=True,
                low=0,
                high=10,
                hint=f"Average low back pain {PAIN_HINT}",
            ),
            Field(
                "clicking_left",
                "Clicking, left knee",
                "--clicking-left",
                "int",
                True,
                0,
                4,
                hint=CLICKING_HINT.format("left"),
            ),
            Field(
                "clicking_right",
                "Clicking, right knee",
                "--clicking-right",
                "int",
                True,
                0,
                4,
                hint=CLICKING_HINT.format("right"),
            ),
            Field(
                "click_count",
                "Clicks noticed",
                "--clicks",
                "int",
                low=0,
                high=1000,
                hint="How many clicks you noticed today, if you counted",
            ),
            Field(
                "clicking_painful",
                "Clicks painful",
                "--painful",
                "bool",
                hint="Were the clicks painful?",
            ),
            Field(
                "click_moves",
                "Clicked with",
                "--click-moves",
                "multi",
                choices=CLICK_MOVES,
                hint=CLICK_MOVES_HINT,
            ),
        ),
        figures=figures,
    )
)
