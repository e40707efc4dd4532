"""Fields and figures that several exercise kinds share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.kinds.registry import Figure
from tracker.records import Field

SIDE_WORDS: dict[str, str] = {"both": "each leg", "left": "left leg", "right": "right leg"}


def effort() -> Field:
    return Field("effort", "Effort", "--effort", "int", low=0, high=10)


def pain_during() -> Field:
    return Field("pain_during", "Knee pain during", "--pain-during", "int", low=0, high=10)


def side() -> Field:
    return Field("side", "Side", "--side", "choice", choices=("both", "left", "right"))


def sets() -> Field:
    return Field("sets", "Sets", "--sets", "int", required=True, low=1, high=20)


def reps() -> Field:
    return Field("reps", "Reps per side", "--reps", "int", required=True, low=1, high=100)


def sets_and_reps(entry: Mapping[str, Any]) -> Figure:
    side_words = SIDE_WORDS.get(entry["side"], entry["side"])
    return Figure(
        f"{entry['sets']} × {entry['reps']} {side_words}",
        f"{entry['sets']}x{entry['reps']} {entry['side']}",
    )


def how_it_felt(entry: Mapping[str, Any]) -> list[Figure]:
    """Effort and pain during, the second line of every exercise's card."""
    figures: list[Figure] = []
    if entry.get("effort") is not None:
        figures.append(Figure(f"effort {entry['effort']}/10", f"effort {entry['effort']}"))
    if entry.get("pain_during") is not None:
        pain = entry["pain_during"]
        figures.append(Figure(f"knee pain during {pain}/10", f"pain {pain}"))
    return figures
