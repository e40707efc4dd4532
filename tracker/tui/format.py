"""Entries in words for the screens: labels, key figures, dates.

``records.summary`` is the terse one-line form for tables and the command line; Today has room
for words ("time under tension 8:00", "each leg"), so it uses these.

Text a person typed (notes, a custom exercise name) or that came from a file can hold control
characters: an ESC starts a sequence that could retitle or clear the terminal, a line break
would forge a second row. Everything of the kind goes through ``one_line`` or ``printable``
before a screen shows it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from textual.content import Content

from tracker.records import (
    EXERCISE_LABELS,
    Entry,
    clicking_word,
    exercise_label,
    short_date,
    summary,
    time_under_tension_s,
)
from tracker.text import printable

__all__ = ["EXERCISE_LABELS", "exercise_label", "one_line", "printable", "short_date"]

SIDE_WORDS: dict[str, str] = {"both": "each leg", "left": "left leg", "right": "right leg"}
LABEL_WIDTH = 19
_BREAKS = re.compile(r"[ \t\r\n]+")
_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def one_line(text: str) -> str:
    """Free text on one row: line breaks and runs of spaces become one space, and every other
    control character a visible escape (ESC shows as ``\\e``)."""
    return printable(_BREAKS.sub(" ", text).strip())


def dates_in_words(text: str) -> str:
    """ISO dates in a message (``2026-11-20``) as the app names days (``Fri 20 Nov 2026``)."""

    def words(match: re.Match[str]) -> str:
        try:
            return short_date(match.group(1))
        except ValueError:
            return match.group(1)

    return _ISO_DATE.sub(words, text)


def table_figures(entry: Mapping[str, Any]) -> str:
    """``records.summary`` in the app's words, safe to show on one row.

    The app names rotation exercises ("Clamshell", not ``clamshell``) and says "resistance"
    where the summary said "level"; both fix-ups do nothing once the summary says so itself.
    """
    text = summary(entry)
    if entry["kind"] == "rotation":
        stored = str(entry["exercise"])
        if text.startswith(stored):
            text = exercise_label(stored) + text[len(stored) :]
    elif entry["kind"] == "cycling" and entry.get("resistance") is not None:
        text = text.replace(f"level {entry['resistance']}", f"resistance {entry['resistance']}")
    return one_line(text)


def long_date(day: date) -> str:
    """``Wednesday 25 November 2026``, the way the header names a day."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def relative_day(day: date, today: date) -> str:
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _minutes_seconds(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def key_figures(entry: Entry) -> list[str]:
    """The lines that describe ``entry`` on Today (without its label and notes)."""
    kind = entry["kind"]
    first: list[str] = []
    second: list[str] = []
    if kind == "checkin":
        first = [f"Knee pain {entry['knee_pain']}/10", f"Back pain {entry['back_pain']}/10"]
        clicking = (
            f"Clicking: left {clicking_word(entry['clicking_left'])}, "
            f"right {clicking_word(entry['clicking_right'])}"
        )
        second = [clicking]
        if entry.get("click_count") is not None:
            count = entry["click_count"]
            second.append(f"{count} click" if count == 1 else f"{count} clicks")
        if entry.get("clicking_painful") is not None:
            second.append("painful" if entry["clicking_painful"] else "not painful")
        return [" · ".join(first), " · ".join(second)]
    if kind == "lunge":
        first = [
            f"{entry['sets']} × {entry['reps']} {SIDE_WORDS.get(entry['side'], entry['side'])}",
            f"tempo {entry['tempo']}",
            f"time under tension {_minutes_seconds(time_under_tension_s(entry))}",
        ]
    elif kind == "cycling":
        first = [f"{_number(entry['minutes'])} min"]
        if entry.get("distance_km") is not None:
            first.append(f"{_number(entry['distance_km'])} km")
        if entry.get("cadence_rpm") is not None:
            first.append(f"{entry['cadence_rpm']} rpm")
        if entry.get("resistance") is not None:
            first.append(f"resistance {entry['resistance']}")
        if entry.get("avg_hr") is not None:
            first.append(f"{entry['avg_hr']} bpm")
    else:
        first = [
            one_line(exercise_label(entry["exercise"])),
            f"{entry['sets']} × {entry['reps']} {SIDE_WORDS.get(entry['side'], entry['side'])}",
        ]
        if entry.get("hold_s"):
            first.append(f"hold {entry['hold_s']} s")
        if entry.get("band") and entry["band"] != "none":
            first.append(f"{entry['band']} band")
    if entry.get("effort") is not None:
        second.append(f"effort {entry['effort']}/10")
    if entry.get("pain_during") is not None:
        second.append(f"knee pain during {entry['pain_during']}/10")
    lines = [" · ".join(first)]
    if second:
        lines.append(" · ".join(second))
    return lines


def entry_card(label: str, entry: Entry) -> Content:
    """An entry as a few lines: label, key figures, notes. User text is never markup."""
    indent = " " * LABEL_WIDTH
    lines = key_figures(entry)
    parts: list[Content | str | tuple[str, str]] = [
        (label.ljust(LABEL_WIDTH), "bold"),
        Content(lines[0]),
    ]
    for line in lines[1:]:
        parts.extend(["\n", indent, Content(line)])
    notes = one_line(entry.get("notes") or "")
    if notes:
        parts.extend(["\n", indent, (f"“{notes}”", "italic")])
    return Content.assemble(*parts)
