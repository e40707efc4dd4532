"""Fields and figures that several exercise kinds share.

The words here are the ones every face shows: a field's ``hint`` says in plain words what it
means (forms show it beside the field), and each figure names its measure in full on a card
("knee pain during 2/10"), never a bare number ("pain 2").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from tracker.kinds.registry import Figure
from tracker.numbers import plain
from tracker.records import Field

LEG_WORDS: dict[str, str] = {"both": "each leg", "left": "left leg", "right": "right leg"}
SIDE_WORDS: dict[str, str] = {"both": "each side", "left": "left side", "right": "right side"}

# The scales of domain.md, in the words forms show beside the fields.
PAIN_SCALE = "0 = no pain, 10 = worst pain imaginable"
EFFORT_SCALE = "0 = no effort, 10 = the hardest you can"
PAIN_DURING_ACCEPTABLE = "up to 5 is acceptable"  # the pain-monitoring model (domain.md)

Limb = Literal["leg", "side"]


def effort() -> Field:
    return Field(
        "effort",
        "Effort",
        "--effort",
        "int",
        low=0,
        high=10,
        hint=f"How hard the session felt: {EFFORT_SCALE}",
    )


def pain_during(where: str = "") -> Field:
    """Pain during the exercise, 0-10. Only a lunge's is knee pain by definition (domain.md
    version 2: "pain during" for rotation and cycling), so ``where`` is "Knee" for lunges."""
    label = f"{where} pain during" if where else "Pain during"
    return Field(
        "pain_during",
        label,
        "--pain-during",
        "int",
        low=0,
        high=10,
        hint=f"{label} the exercise: {PAIN_SCALE}; {PAIN_DURING_ACCEPTABLE}",
    )


def side(limb: Limb = "leg") -> Field:
    return Field(
        "side",
        "Side",
        "--side",
        "choice",
        choices=("both", "left", "right"),
        hint=f"Both = each {limb} did the reps; left or right = that {limb} only",
    )


def sets() -> Field:
    return Field("sets", "Sets", "--sets", "int", required=True, low=1, high=20)


def reps(limb: Limb = "leg") -> Field:
    return Field(
        "reps",
        "Reps per side",
        "--reps",
        "int",
        required=True,
        low=1,
        high=100,
        hint=f"Repetitions (reps) in each set, for each {limb}",
    )


def sets_and_reps(entry: Mapping[str, Any], words: Mapping[str, str] = LEG_WORDS) -> Figure:
    """ "3 × 10 each leg": lunges work legs; rotation says "each side" (hips, or a shoulder)."""
    side_words = words.get(entry["side"], entry["side"])
    return Figure(
        f"{entry['sets']} × {entry['reps']} {side_words}",
        f"{entry['sets']}x{entry['reps']} {entry['side']}",
    )


def out_of_ten(words: str, value: object) -> Figure:
    """ "effort 5/10": a 0-10 rating always with its measure and its scale, in both widths."""
    text = f"{words} {value}/10"
    return Figure(text, text)


def distance(km: float) -> Figure:
    """A distance: written in km here, and in the user's unit by ``records.summary``."""
    text = f"{plain(km)} km"
    return Figure(text, text, km)


def how_it_felt(entry: Mapping[str, Any], where: str = "") -> list[Figure]:
    """Effort and pain during, the last line of every exercise's card; ``where`` names the
    pain's place ("knee") where the kind defines it."""
    figures: list[Figure] = []
    if entry.get("effort") is not None:
        figures.append(out_of_ten("effort", entry["effort"]))
    if entry.get("pain_during") is not None:
        words = f"{where} pain during" if where else "pain during"
        figures.append(out_of_ten(words, entry["pain_during"]))
    return figures
