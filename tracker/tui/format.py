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

from rich.cells import cell_len, set_cell_size
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
from tracker.units import DistanceUnit

__all__ = ["EXERCISE_LABELS", "exercise_label", "one_line", "printable", "short_date"]

LABEL_WIDTH = 19
_BREAKS = re.compile(r"[ \t\r\n]+")
ELLIPSIS = "…"
WORD_BREAKS = (" ",)
FIGURE_BREAKS = (" · ", ", ", " ")  # between two figures, else between two words
# A card shows at most this many lines of a note; the rest is in the edit form.
NOTE_LINES = 3


def one_line(text: str) -> str:
    """Free text on one row: line breaks and runs of spaces become one space, and every other
    control character a visible escape (ESC shows as ``\\e``)."""
    return printable(_BREAKS.sub(" ", text).strip())


def table_figures(entry: Mapping[str, Any], distance: DistanceUnit = "km") -> str:
    """``records.summary`` (the terse figures) safe to show on one row."""
    return one_line(summary(entry, distance=distance))


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


def _cut(text: str, width: int, breaks: tuple[str, ...]) -> tuple[str, str]:
    """``text`` split in two: a head of at most ``width`` cells that ends at the first of
    ``breaks`` found (in their order of preference), and the rest. A head shorter than a third
    of the width is not worth its line for a coarser break; a word is split only when it alone
    is wider than ``width``."""
    if cell_len(text) <= width:
        return text, ""
    room = set_cell_size(text, width) if width > 0 else ""
    for position, boundary in enumerate(breaks):
        # A break right after the room counts: "... tension" + " · 12:00".
        cut = text[: len(room) + len(boundary)].rfind(boundary)
        if cut > 0 and (position == len(breaks) - 1 or cut > width // 3):
            head = text[:cut] + boundary.strip(" ·")
            return head.rstrip(" "), text[cut + len(boundary) :].lstrip(" ")
    return room, text[len(room) :]  # one word wider than the line: no better place


def shorten(text: str, width: int, breaks: tuple[str, ...] = WORD_BREAKS) -> str:
    """``text`` in at most ``width`` cells; a longer one ends after a whole word (or figure,
    with ``FIGURE_BREAKS``) and "…", so no word is ever cut: "Stairs were hard…", never
    "Stairs were ha…". Only a first word wider than ``width`` is cut, there being no other place.
    """
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return set_cell_size(ELLIPSIS, width)
    head, _rest = _cut(text, width - 1, breaks)
    return head.rstrip(" ,·") + ELLIPSIS


def wrap(text: str, width: int, breaks: tuple[str, ...] = WORD_BREAKS) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken at ``breaks`` (never mid-word
    unless a word is wider than the line)."""
    lines: list[str] = []
    rest = text
    while rest:
        head, rest = _cut(rest, max(width, 1), breaks)
        if not head:  # a line of one wide character
            head, rest = rest[:1], rest[1:]
        lines.append(head)
    return lines or [""]


def entry_card(
    label: str, entry: Entry, width: int | None = None, distance: DistanceUnit = "km"
) -> Content:
    """An entry as a few lines: label, key figures, notes. User text is never markup.

    With ``width`` (the cells the card may use), a figure line longer than the room beside the
    label wraps under its own text, not under the label ("hang-indented"), and a note shows on
    at most ``NOTE_LINES`` lines, shortened after a whole word with "…".
    """
    indent = " " * LABEL_WIDTH
    room = None if width is None else max(width - LABEL_WIDTH, 12)
    lines: list[tuple[str, str]] = []
    for figures in key_figures(entry, distance=distance):
        for line in [figures] if room is None else wrap(figures, room, FIGURE_BREAKS):
            lines.append((line, ""))
    notes = one_line(entry.get("notes") or "")
    if notes:
        quoted = f"“{notes}”"
        if room is None:
            lines.append((quoted, "italic"))
        else:
            wrapped = wrap(quoted, room)
            if len(wrapped) > NOTE_LINES:
                last = " ".join(wrapped[NOTE_LINES - 1 :])
                wrapped = [*wrapped[: NOTE_LINES - 1], shorten(last, room)]
            lines.extend((line, "italic") for line in wrapped)
    parts: list[Content | str | tuple[str, str]] = [(label.ljust(LABEL_WIDTH), "bold")]
    for number, (line, style) in enumerate(lines):
        if number:
            parts.extend(["\n", indent])
        parts.append((line, style) if style else Content(line))
    return Content.assemble(*parts)
