"""The programme: what was prescribed for one exercise, from the entry's date on.

One plan entry per exercise per change: ``exercise`` (lunge, cycling, rotation), the
prescribed ``sets``, ``reps``, ``tempo``, ``hold_s``, ``band``, ``minutes`` and ``resistance``
(each optional, and only those that fit the exercise) and ``days_per_week``. The plan in
force on a day is, per exercise, the latest plan entry dated on or before it
(``analysis.plans_in_force``); older entries stay, as the plan's history.

The prescribed fields are the exercise kinds' own Field specs (made optional), so that a
plan's ranges and an entry's are one source, and a plan's values prefill an entry's form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.kinds.registry import Figure, Kind, kind_of, register
from tracker.numbers import plain
from tracker.records import Field, ValidationError

# The exercises a plan is for, and the fields that fit each, in the form's order.
PLANNED: dict[str, tuple[str, ...]] = {
    "lunge": ("sets", "reps", "tempo"),
    "cycling": ("minutes", "resistance"),
    "rotation": ("sets", "reps", "hold_s", "band"),
}
PRESCRIBED: tuple[str, ...] = ("sets", "reps", "tempo", "hold_s", "band", "minutes", "resistance")
DAYS_FIELD = Field(
    "days_per_week",
    "Days a week",
    "--days",
    "int",
    required=True,
    low=1,
    high=7,
    hint="On how many days a week the exercise is prescribed",
)


def _prescribed(name: str) -> Field:
    """The exercise kinds' spec of ``name``, optional here (a plan may leave it to the day)."""
    for exercise, names in PLANNED.items():
        if name in names:
            spec = next(s for s in kind_of(exercise).fields if s.name == name)
            return spec._replace(required=False)
    raise KeyError(name)


def fields_for(exercise: str) -> tuple[Field, ...]:
    """The plan fields the form of ``exercise``'s plan shows: its prescribed fields, then the
    days a week."""
    return (*(_prescribed(name) for name in PLANNED[exercise]), DAYS_FIELD)


def check(fields: Mapping[str, Any]) -> None:
    """A field that does not fit the exercise (a tempo in a cycling plan) is refused."""
    exercise = fields["exercise"]
    fits = PLANNED[exercise]
    for name in PRESCRIBED:
        if fields.get(name) is not None and name not in fits:
            takes = ", ".join(s.flag for s in fields_for(exercise))
            raise ValidationError(
                name, f"left out of a {exercise} plan (it takes {takes})", fields[name]
            )


def prescription(entry: Mapping[str, Any]) -> str:
    """``3 × 10 at 5-0-3``, ``30 minutes at resistance level 4``, ``3 × 12, hold 5 s, red
    band``: what a plan asks of each session, in words; "" when it sets none of it."""
    parts: list[str] = []
    sets, reps = entry.get("sets"), entry.get("reps")
    if sets is not None and reps is not None:
        parts.append(f"{sets} × {reps}")
    elif sets is not None:
        parts.append(f"{sets} sets")
    elif reps is not None:
        parts.append(f"{reps} reps")
    if entry.get("minutes") is not None:
        parts.append(f"{plain(entry['minutes'])} minutes")
    text = ", ".join(parts)
    if entry.get("tempo") is not None:
        text = f"{text} at {entry['tempo']}" if text else f"tempo {entry['tempo']}"
    if entry.get("resistance") is not None:
        level = f"resistance level {entry['resistance']}"
        text = f"{text} at {level}" if text else level
    extras = []
    if entry.get("hold_s") is not None:
        extras.append(f"hold {entry['hold_s']} s")
    if entry.get("band") is not None and entry["band"] != "none":
        extras.append(f"{entry['band']} band")
    return ", ".join([p for p in (text, *extras) if p])


def days_words(days: int) -> str:
    """``5 days a week``; ``every day``."""
    if days == 7:
        return "every day"
    return f"{days} day{'' if days == 1 else 's'} a week"


def plan_words(entry: Mapping[str, Any]) -> str:
    """``3 × 10 at 5-0-3, 5 days a week``."""
    asked = prescription(entry)
    days = days_words(entry["days_per_week"])
    return f"{asked}, {days}" if asked else days


def figures(entry: Mapping[str, Any]) -> list[list[Figure]]:
    name = kind_of(entry["exercise"]).label
    words = plan_words(entry)
    return [[Figure(f"{name}: {words}", f"{name.lower()}: {words}")]]


PLAN = register(
    Kind(
        name="plan",
        label="Plan",
        short_label="Plan",
        key="p",
        fields=(
            Field(
                "exercise",
                "Exercise",
                "--exercise",
                "choice",
                required=True,
                choices=tuple(PLANNED),
                hint="The exercise this plan is for",
            ),
            *(_prescribed(name) for name in PRESCRIBED),
            DAYS_FIELD,
        ),
        figures=figures,
        occasional=True,
        check=check,
    )
)
