"""Fields and figures that several exercise kinds share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.kinds.registry import Figure
from tracker.records import Field

LEG_WORDS: dict[str, str] = {"both": "each leg", "left": "left leg", "right": "right leg"}
SIDE_WORDS: dict[str, str] = {"both": "each side", "left": "left side", "right": "right side"}


def effort() -> Field:
    return Field("effort", "Effort", "--effort", "int", low=0, high=10)


def pain_during(where: str = "") -> Field:
    """Pain during the sets, 0-10. Only a lunge's is knee pain by definition (domain.md
    version 2: "pain during" for rotation and cycling), so ``where`` is "Knee" for lunges."""
    label = f"{where} pain during" if where else "Pain during"
    return Field("pain_during", label, "--pain-during", "int", low=0, high=10)


def side() -> Field:
    return Field("side", "Side", "--side", "choice", choices=("both", "left", "right"))


def sets() -> Field:
    return Field("sets", "Sets", "--sets", "int", required=True, low=1, high=20)


def reps() -> Field:
    return Field("reps", "Reps per side", "--reps", "int", required=True, low=1, high=100)


def sets_and_reps(entry: Mapping[str, Any], words: Mapping[str, str] = LEG_WORDS) -> Figure:
    """ "3 × 10 each leg": lunges work legs; rotation says "each side" (hips, or a shoulder)."""
    side_words = words.get(entry["side"], entry["side"])
    return Figure(
        f"{entry['sets']} × {entry['reps']} {side_words}",
        f"{entry['sets']}x{entry['reps']} {entry['side']}",
    )


def how_it_felt(entry: Mapping[str, Any], where: str = "") -> list[Figure]:
    """Effort and pain during, the second line of every exercise's card; ``where`` names the
    pain's place ("knee") where the kind defines it."""
    figures: list[Figure] = []
    if entry.get("effort") is not None:
        figures.append(Figure(f"effort {entry['effort']}/10", f"effort {entry['effort']}"))
    if entry.get("pain_during") is not None:
        pain = entry["pain_during"]
        words = f"{where} pain during" if where else "pain during"
        figures.append(Figure(f"{words} {pain}/10", f"pain {pain}"))
    return figures
