"""Which of a gym app's exercises are this app's tempo lunges or hip external rotation.

A gym app names its exercises in its own words ("Lunge (Dumbbell)", "Banded Clam", "Bench
Press (Barbell)"). ``ExerciseNames`` recognises the names of lunges and hip external-rotation
exercises that the apps commonly use, and takes the user's own names from flags and a mapping
file; every other exercise is skipped and counted by the importer.

Names are compared without regard to case, spaces or punctuation ("walking-lunge" is
"Walking Lunge"); a built-in name also matches with the app's equipment in brackets after it
("Lunge (Dumbbell)") or an equipment word before it ("Dumbbell Lunge"). The user's names win
over the built-in ones, and a flag wins over the mapping file.

Built in, deliberately (docs/domain.md, "Exercises from gym apps"):

- lunges: forward, reverse, walking, stationary and plain lunges, and the split squat (a
  lunge with the feet kept in place). Not the Bulgarian split squat (the rear foot raised
  puts far more load on the front knee), side or lateral, curtsy or jumping lunges: a
  different movement or load from the programme's slow lunge. Map them to count them.
- hip external rotation: clamshells (banded or not), side-lying and seated hip external
  rotation, banded side steps (lateral band walks, monster walks); "Hip External Rotation"
  and its standing, prone and supine forms keep the app's name as their own exercise. Not
  the fire hydrant: mostly a hip abduction; map it to count it.

The mapping file: UTF-8 text, one ``NAME = TARGET`` a line (the last ``=`` splits), with
``#`` comments and blank lines allowed. TARGET is ``lunge``, ``rotation`` (stored under the
app's name, or the matching built-in exercise), ``rotation: EXERCISE`` (one of the rotation
exercises, ``clamshell`` ..., or a name of your own) or ``skip``. A line that is none of
these is an ``ImportFormatError`` naming the file and the line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tracker.imports.source import ImportFormatError
from tracker.records import CUSTOM_EXERCISE_MAX, ROTATION_EXERCISES
from tracker.text import is_encodable, printable, shorten

GymKind = Literal["lunge", "rotation"]

# Rotation exercises still offered (version 1's shoulder exercise is not).
OFFERED_ROTATIONS: tuple[str, ...] = tuple(e for e in ROTATION_EXERCISES if "shoulder" not in e)


@dataclass(frozen=True)
class Recognised:
    """What a gym app's exercise is here: its kind and, for a rotation, the stored exercise
    (one of ``OFFERED_ROTATIONS``, or a name of the user's or the app's own). In the user's
    mapping a rotation without an exercise is resolved from the app's name when recognised."""

    kind: GymKind
    exercise: str | None = None


def name_key(name: str) -> str:
    """``"Walking-Lunge "`` -> ``"walking lunge"``: the name without case, accents of width
    (NFKC), punctuation or repeated spaces."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


_EQUIPMENT = (
    "barbell",
    "bodyweight",
    "body weight",
    "dumbbell",
    "dumbbells",
    "kettlebell",
    "weighted",
    "band",
    "banded",
    "resistance band",
    "cable",
    "smith machine",
    "machine",
    "tempo",
    "slow",
)


def _variants(name: str) -> list[str]:
    """The keys a built-in name may match: as written, without the equipment in brackets
    ("Lunge (Dumbbell)"), and without an equipment word in front ("Dumbbell Lunge")."""
    keys = [name_key(name)]
    bare = name_key(re.sub(r"\([^()]*\)\s*$", "", name.strip()))
    keys.append(bare)
    for word in sorted(_EQUIPMENT, key=len, reverse=True):
        if bare.startswith(word + " "):
            keys.append(bare[len(word) + 1 :])
            break
    return [k for i, k in enumerate(keys) if k and k not in keys[:i]]


_LUNGES = (
    "lunge",
    "lunges",
    "forward lunge",
    "forward lunges",
    "front lunge",
    "reverse lunge",
    "reverse lunges",
    "rear lunge",
    "back lunge",
    "backward lunge",
    "walking lunge",
    "walking lunges",
    "stationary lunge",
    "static lunge",
    "split squat",
    "split squats",
)
_ROTATIONS: dict[str, str | None] = {
    # None: stored under the app's own name (the rotation kind takes custom names).
    "clamshell": "clamshell",
    "clamshells": "clamshell",
    "clam shell": "clamshell",
    "clam shells": "clamshell",
    "clam": "clamshell",
    "clams": "clamshell",
    "banded clam": "clamshell",
    "banded clamshell": "clamshell",
    "side lying clam": "clamshell",
    "side lying clamshell": "clamshell",
    "side lying hip external rotation": "side_lying_hip_er",
    "side lying hip er": "side_lying_hip_er",
    "seated hip external rotation": "seated_hip_er",
    "seated hip er": "seated_hip_er",
    "seated banded hip external rotation": "seated_hip_er",
    "banded side step": "banded_side_step",
    "banded side steps": "banded_side_step",
    "band side step": "banded_side_step",
    "side step": "banded_side_step",
    "lateral band walk": "banded_side_step",
    "lateral band walks": "banded_side_step",
    "banded lateral walk": "banded_side_step",
    "lateral walk": "banded_side_step",
    "monster walk": "banded_side_step",
    "monster walks": "banded_side_step",
    "hip external rotation": None,
    "standing hip external rotation": None,
    "prone hip external rotation": None,
    "supine hip external rotation": None,
}
# The stored names and the labels of the rotation exercises ("Clamshell", "side_lying_hip_er").
_ROTATION_NAMES: dict[str, str] = {name_key(e): e for e in OFFERED_ROTATIONS}

# What a mapping file's line or a flag may target.
TARGET_WORDS = "lunge, rotation, rotation: EXERCISE or skip"


def _own_name(name: str) -> str:
    """The app's name as a rotation exercise of its own: spaces collapsed."""
    return " ".join(name.split())


def storable_exercise(name: str) -> bool:
    """Whether ``name`` can be stored as a custom rotation exercise (domain.md)."""
    return 1 <= len(name) <= CUSTOM_EXERCISE_MAX and name.isprintable() and is_encodable(name)


def _builtin(name: str) -> Recognised | None:
    for key in _variants(name):
        if key in _LUNGES:
            return Recognised("lunge")
        if key in _ROTATIONS:
            return Recognised("rotation", _ROTATIONS[key] or _own_name(name))
    return None


def _rotation_named(name: str) -> Recognised:
    """A name the user calls a rotation: the built-in exercise it names, else its own."""
    for key in _variants(name):
        if key in _ROTATION_NAMES:
            return Recognised("rotation", _ROTATION_NAMES[key])
    builtin = _builtin(name)
    if builtin is not None and builtin.kind == "rotation":
        return builtin
    return Recognised("rotation", _own_name(name))


class ExerciseNames:
    """The built-in names plus the user's own: ``recognise(name)`` says what an exercise of a
    gym app is here, or None for one to skip. ``user`` maps name keys (``name_key``) to what
    they are (None: skip it, even when a built-in name would match)."""

    def __init__(self, user: Mapping[str, Recognised | None] | None = None) -> None:
        self._user: dict[str, Recognised | None] = dict(user or {})

    @classmethod
    def from_options(
        cls, map_file: Path | None, lunge: list[str], rotation: list[str]
    ) -> ExerciseNames:
        """The names of ``tracker import``'s options: a mapping file (``--map FILE``) and the
        names given by ``--lunge NAME`` and ``--rotation NAME`` (each may repeat); a flag wins
        over the file. Raises ImportFormatError for a file that cannot be read or a bad line."""
        user: dict[str, Recognised | None] = {}
        if map_file is not None:
            user.update(read_mapping(map_file))
        for name in lunge:
            if name_key(name):
                user[name_key(name)] = Recognised("lunge")
        for name in rotation:
            if name_key(name):
                user[name_key(name)] = Recognised("rotation")
        return cls(user)

    def recognise(self, name: str) -> Recognised | None:
        """What the app's exercise ``name`` is here; None when it is neither a lunge nor a hip
        external rotation (or the user said to skip it)."""
        for key in _variants(name):
            if key in self._user:
                found = self._user[key]
                if found is not None and found.kind == "rotation" and found.exercise is None:
                    return _rotation_named(name)
                return found
        return _builtin(name)

    def user_names(self) -> Iterable[str]:
        """The keys the user mapped (for tests and messages)."""
        return self._user.keys()


def read_mapping(path: Path) -> dict[str, Recognised | None]:
    """A mapping file's names (by ``name_key``) and targets; ImportFormatError naming the line
    of the first bad one."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFormatError(str(path), None, "not UTF-8 text") from None
    except OSError as error:
        raise ImportFormatError(str(path), None, error.strerror or "cannot be read") from None
    mapping: dict[str, Recognised | None] = {}
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, target = line.rpartition("=")
        if not equals:
            problem = f"expected NAME = TARGET (TARGET: {TARGET_WORDS})"
            raise ImportFormatError(str(path), number, problem)
        key = name_key(name)
        if not key:
            raise ImportFormatError(str(path), number, "the exercise name before '=' is empty")
        found = _target(target.strip(), name.strip(), path, number)
        if key in seen and mapping[key] != found:
            shown = printable(shorten(_own_name(name), 40))
            problem = f"'{shown}' is mapped differently on line {seen[key]}"
            raise ImportFormatError(str(path), number, problem)
        seen.setdefault(key, number)
        mapping[key] = found
    return mapping


def _target(target: str, name: str, path: Path, line: int) -> Recognised | None:
    word, colon, exercise = target.partition(":")
    word = word.strip().casefold()
    exercise = exercise.strip()
    if word == "skip" and not colon:
        return None
    if word == "lunge" and not colon:
        return Recognised("lunge")
    if word == "rotation" and not colon:
        # Resolved when recognised: the built-in exercise the name is, else the app's name.
        return Recognised("rotation")
    if word == "rotation" and exercise:
        if name_key(exercise) in _ROTATION_NAMES:
            return Recognised("rotation", _ROTATION_NAMES[name_key(exercise)])
        if not storable_exercise(exercise):
            problem = (
                f"a rotation exercise must be one of {', '.join(OFFERED_ROTATIONS)} or a name "
                f"of 1 to {CUSTOM_EXERCISE_MAX} characters"
            )
            raise ImportFormatError(str(path), line, problem)
        return Recognised("rotation", exercise)
    shown = printable(shorten(target, 40))
    raise ImportFormatError(str(path), line, f"'{shown}' is not {TARGET_WORDS}")
