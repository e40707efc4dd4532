"""Tempo lunges: sets, reps and a tempo; volume is time under tension."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from tracker.kinds import common
from tracker.kinds.registry import Figure, Kind, register
from tracker.records import ALIGNMENTS, Field, time_under_tension_s

# E-B-C-T spelled out where the tempo is typed (domain.md); X counts as 1 s.
TEMPO_HINT = (
    "E-B-C-T: seconds lowering, pause at the bottom, rising, pause at the top; "
    "X = as fast as you can"
)
ALIGNMENT_HINT = (
    "Watching in a mirror: in how many reps did the knee stay over the second toe? "
    "All, most, some or few"
)


# An imported lunge (a gym app's export) has no tempo: said so, never shown as 0 seconds.
TEMPO_NOT_RECORDED = "tempo not recorded"


def figures(entry: Mapping[str, Any]) -> list[list[Figure]]:
    seconds = time_under_tension_s(entry)
    if seconds is None:
        tempo = Figure(TEMPO_NOT_RECORDED, TEMPO_NOT_RECORDED)
        # Unknown, not zero: no time is shown, and lists say nothing more than the tempo.
        tension = Figure("time under tension unknown", None)
    else:
        clock = f"{seconds // 60}:{seconds % 60:02d}"
        # domain.md: with both legs the figure is both legs together (each knee carries half).
        together = " (both legs together)" if entry.get("side") == "both" else ""
        tempo = Figure(f"tempo {entry['tempo']}", f"tempo {entry['tempo']}")
        tension = Figure(f"time under tension {clock}{together}", f"{clock} under tension")
    # A line of its own: with the sets and the tempo it would not fit a card on 80 columns.
    return [
        [common.sets_and_reps(entry), tempo],
        [tension],
        [*common.how_it_felt(entry, where="knee"), *alignment(entry)],
    ]


def alignment(entry: Mapping[str, Any]) -> list[Figure]:
    """ "alignment: most reps", when the session recorded it."""
    if entry.get("alignment") is None:
        return []
    return [Figure(f"alignment: {entry['alignment']} reps", f"alignment {entry['alignment']}")]


def volume(entry: Mapping[str, Any]) -> float | None:
    """Time under tension in minutes; None when the tempo was not recorded (unknown)."""
    if entry["tempo"] is None:
        return None
    return _tut_minutes(entry["sets"], entry["reps"], entry["tempo"], entry["side"])


@lru_cache(maxsize=4096)
def _tut_minutes(sets: int, reps: int, tempo: str, side: str | None) -> float:
    # Cached: years of lunges repeat a handful of prescriptions.
    seconds = time_under_tension_s({"sets": sets, "reps": reps, "tempo": tempo, "side": side})
    return 0.0 if seconds is None else seconds / 60


LUNGE = register(
    Kind(
        name="lunge",
        label="Tempo lunges",
        short_label="Lunges",
        key="l",
        fields=(
            common.sets(),
            common.reps("leg"),
            common.side("leg"),
            # Required of a person; an imported lunge stores None ("tempo not recorded").
            Field(
                "tempo",
                "Tempo",
                "--tempo",
                "tempo",
                required=True,
                hint=TEMPO_HINT,
                may_be_unknown=True,
            ),
            common.effort(),
            common.pain_during("Knee"),
            Field(
                "alignment",
                "Alignment",
                "--alignment",
                "choice",
                choices=ALIGNMENTS,
                hint=ALIGNMENT_HINT,
            ),
        ),
        figures=figures,
        volume=volume,
        volume_unit="min under tension",
        volume_title="Tempo lunges: time under tension in minutes",
        after_words="tempo lunges",
    )
)
