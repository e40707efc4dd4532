"""KOOS-12, the knee questionnaire: three subscale scores typed from the paper form.

Scores only, 0-100, higher = better (domain.md): the items' exact wording could not be checked
against a stored copy of the official form, so the app asks for the scores the form gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.kinds.registry import Figure, Kind, register
from tracker.numbers import plain
from tracker.records import Field

SCORE_HINT = "KOOS-12 {} score from the form: 0 = extreme problems, 100 = no problems"


def score(name: str, label: str, flag: str, words: str) -> Field:
    return Field(
        name, label, flag, "number", required=True, low=0, high=100, hint=SCORE_HINT.format(words)
    )


def figures(entry: Mapping[str, Any]) -> list[list[Figure]]:
    pain, function, qol = (plain(entry[name]) for name in ("pain", "function", "qol"))
    return [
        [
            Figure(f"knee pain {pain}/100", f"pain {pain}/100"),
            Figure(f"function {function}/100", f"function {function}/100"),
            Figure(f"quality of life {qol}/100", f"quality of life {qol}/100"),
        ],
        [Figure("KOOS-12: higher is better", None)],
    ]


KOOS = register(
    Kind(
        name="koos",
        label="Knee questionnaire (KOOS-12)",
        short_label="KOOS-12",
        key="",
        fields=(
            score("pain", "Pain score", "--pain", "pain"),
            score("function", "Function score", "--function", "function"),
            score("qol", "Quality of life score", "--qol", "quality of life"),
        ),
        figures=figures,
        occasional=True,
    )
)
