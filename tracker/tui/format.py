"""Entries in words for the screens: labels, key figures, dates.

``records.summary`` is the terse one-line form for tables and the command line; Today has room
for words ("time under tension 8:00", "each leg"): ``records.key_figures``. Both come from the
kind's figures (tracker/kinds), so the two widths never disagree on what an entry holds.

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
    exercise_label,
    key_figures,
    short_date,
    summary,
)
from tracker.text import printable

__all__ = ["EXERCISE_LABELS", "exercise_label", "one_line", "printable", "short_date"]

LABEL_WIDTH = 19
_BREAKS = re.compile(r"[ \t\r\n]+")


def one_line(text: str) -> str:
    """Free text on one row: line breaks and runs of spaces become one space, and every other
    control character a visible escape (ESC shows as ``\\e``)."""
    return printable(_BREAKS.sub(" ", text).strip())


def table_figures(entry: Mapping[str, Any]) -> str:
    """``records.summary`` (the terse figures) safe to show on one row."""
    return one_line(summary(entry))


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
