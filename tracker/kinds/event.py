"""Events: what happened that may matter to the pain (a flare, an injection, a physio visit).

Not an exercise (no volume) and not a daily record: Today shows an event on its day but never
asks for one. A flare may have an end date. The before/after comparison of each event is in
``tracker.events``; the pain chart marks events (``tracker.charts.symptoms``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from tracker.kinds.registry import Figure, Kind, register
from tracker.records import Field, ValidationError, short_date
from tracker.text import printable

# Stored words, in the order forms offer them (domain.md, "event").
EVENT_TYPES: tuple[str, ...] = ("flare", "injection", "physio", "equipment", "medication", "other")
# How every face names a type.
EVENT_TYPE_LABELS: dict[str, str] = {
    "flare": "Flare",
    "injection": "Injection or procedure",
    "physio": "Physio visit",
    "equipment": "New shoes or equipment",
    "medication": "Medication change",
    "other": "Other event",
}
# A rule's label on the pain chart: a word or two, so that labels fit 80 columns.
EVENT_MARKS: dict[str, str] = {
    "flare": "flare",
    "injection": "injection",
    "physio": "physio",
    "equipment": "new kit",
    "medication": "meds",
    "other": "event",
}
TEXT_MAX = 80
END_FIELD = "end_date"


def type_label(name: str) -> str:
    return EVENT_TYPE_LABELS.get(name, name)


def span_days(entry: Mapping[str, Any]) -> int | None:
    """Days a flare lasted, its first and last day included; None without an end date."""
    end = entry.get(END_FIELD)
    if end is None:
        return None
    return (date.fromisoformat(end) - date.fromisoformat(entry["date"])).days + 1


def span_words(entry: Mapping[str, Any]) -> str:
    """ "from Mon 2 Nov 2026 to Sun 8 Nov 2026 (7 days)", or "" without an end date."""
    days = span_days(entry)
    if days is None:
        return ""
    count = "1 day" if days == 1 else f"{days} days"
    return f"from {short_date(entry['date'])} to {short_date(entry[END_FIELD])} ({count})"


def figures(entry: Mapping[str, Any]) -> list[list[Figure]]:
    kind = type_label(entry["type"])
    text = printable(entry["text"])  # free text: control characters made visible, every face
    lines = [[Figure(f"{kind}: {text}", f"{entry['type']}: {text}")]]
    if entry["type"] == "flare":
        if entry.get(END_FIELD) is not None:
            wordy = f"Flare {span_words(entry)}"
            lines.append([Figure(wordy, f"until {entry[END_FIELD]}")])
        else:
            lines.append([Figure("Flare: no end date yet (edit it when it settles)", None)])
    return lines


def check(entry: Mapping[str, Any]) -> None:
    """An end date belongs to a flare only."""
    if entry.get(END_FIELD) is not None and entry.get("type") != "flare":
        raise ValidationError(
            END_FIELD, "empty unless the type is flare (only a flare has an end date)"
        )


EVENT = register(
    Kind(
        name="event",
        label="Event",
        short_label="Event",
        key="v",
        fields=(
            Field(
                "type",
                "Type",
                "--type",
                "choice",
                required=True,
                choices=EVENT_TYPES,
                hint=(
                    "flare, injection (or procedure), physio (a visit), equipment (new shoes "
                    "or equipment), medication (a change), other"
                ),
            ),
            Field(
                "text",
                "What happened",
                "--text",
                "text",
                required=True,
                high=TEXT_MAX,
                hint="A few words, e.g. knee swollen after stairs",
            ),
            Field(
                END_FIELD,
                "Flare ended",
                "--end",
                "date",
                hint="Flares only: the last day of the flare, if it has settled",
            ),
        ),
        figures=figures,
        occasional=True,
        check=check,
    )
)
