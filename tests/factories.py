"""Ordinary valid values for each kind of entry, written once for every test module.

``values(kind)`` gives the required fields with everyday values; for a kind registered by a
test, whose fields no table here knows, they are derived from the kind's own field rules.
"""

from __future__ import annotations

import uuid
from typing import Any

from tracker.records import FIELDS, Field

# The required fields of each built-in kind, with ordinary values.
REQUIRED: dict[str, dict[str, Any]] = {
    "lunge": {"sets": 3, "reps": 10, "tempo": "4-1-4"},
    "cycling": {"minutes": 30},
    "rotation": {"exercise": "clamshell", "sets": 2, "reps": 12},
    "checkin": {"knee_pain": 3, "back_pain": 2, "clicking_left": 1, "clicking_right": 0},
    "koos": {"pain": 60, "function": 65, "qol": 50},
    "rmdq": {"score": 8},
    "odi": {"score": 24},
    "pgic": {"change": 3},
    "plan": {"exercise": "lunge", "days_per_week": 5},
}


def _lowest_valid(spec: Field) -> Any:
    if spec.type in ("int", "number"):
        assert spec.low is not None
        return int(spec.low) + 1 if spec.low_exclusive else int(spec.low)
    if spec.type == "tempo":
        return "4-1-4"
    if spec.type == "choice":
        return spec.choices[0]
    if spec.type == "exercise":
        return "clamshell"
    if spec.type == "bool":
        return True
    return "text"


def values(kind: str, **extra: Any) -> dict[str, Any]:
    """The required fields of ``kind`` with ordinary values, then ``extra`` on top."""
    known = REQUIRED.get(kind)
    if known is None:
        known = {spec.name: _lowest_valid(spec) for spec in FIELDS[kind] if spec.required}
    if kind == "plan" and "exercise" not in extra:
        # A plan takes only the fields that fit its exercise: pick one that fits them all.
        from tracker.kinds.plan import PLANNED

        fits = [name for name, fields in PLANNED.items() if set(extra) <= {*fields, *COMMON}]
        known = {**known, "exercise": fits[0] if fits else known["exercise"]}
    return {**known, **extra}


COMMON = {"days_per_week", "date", "notes", "id", "kind", "created_at", "updated_at"}


def cli_flags(kind: str, **extra: Any) -> dict[str, str]:
    """The same as command-line flags: ``{"--sets": "3", ...}``."""
    flags = {spec.name: spec.flag for spec in FIELDS[kind]}
    return {
        flags.get(name, "--" + name): str(value) for name, value in values(kind, **extra).items()
    }


def cli_args(kind: str, **extra: Any) -> list[str]:
    """The same as a flat argument list: ``["--sets", "3", ...]``."""
    return [part for pair in cli_flags(kind, **extra).items() for part in pair]


def import_entry(kind: str, **extra: Any) -> dict[str, Any]:
    """An import entry holding only the required fields (no optional ones, no timestamps)."""
    return {"id": uuid.uuid4().hex, "kind": kind, "date": "2026-11-20", **values(kind, **extra)}
