"""Overall change (PGIC, the Patient Global Impression of Change): one question, 7 answers.

The answers are the published PGIC's, scored 1 (very much improved) to 7 (very much worse);
the question is in the app's own words (domain.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.kinds.registry import Figure, Kind, register
from tracker.records import Field

PGIC_QUESTION = "Since you started the programme, how has your condition changed overall?"
PGIC_WORDS: tuple[str, ...] = (
    "Very much improved",
    "Much improved",
    "Minimally improved",
    "No change",
    "Minimally worse",
    "Much worse",
    "Very much worse",
)


def pgic_word(answer: int) -> str:
    """The answer's words: 1 -> "Very much improved"."""
    return PGIC_WORDS[answer - 1]


def figures(entry: Mapping[str, Any]) -> list[list[Figure]]:
    word = pgic_word(entry["change"])
    return [[Figure(f"since the start: {word.lower()}", f"{word.lower()} ({entry['change']}/7)")]]


PGIC = register(
    Kind(
        name="pgic",
        label="Overall change (PGIC)",
        short_label="PGIC",
        key="",
        fields=(
            Field(
                "change",
                "Overall change",
                "--change",
                "int",
                required=True,
                low=1,
                high=7,
                hint=f"{PGIC_QUESTION} "
                + ", ".join(f"{i} {w.lower()}" for i, w in enumerate(PGIC_WORDS, 1)),
            ),
        ),
        figures=figures,
        occasional=True,
    )
)
