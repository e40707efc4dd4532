"""STAND-IN (import-rides branch): the gym engineer's ``ExerciseNames`` replaces this file.

Only what the command and the ride readers need: ``ExerciseNames.from_options(map_file,
lunge, rotation)``. Ride readers ignore it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ExerciseNames:
    """The user's own exercise names for lunges and hip external rotation."""

    map_file: Path | None = None
    lunge: tuple[str, ...] = ()
    rotation: tuple[str, ...] = ()

    @classmethod
    def from_options(
        cls, map_file: Path | None, lunge: Sequence[str], rotation: Sequence[str]
    ) -> ExerciseNames:
        return cls(map_file, tuple(lunge), tuple(rotation))
