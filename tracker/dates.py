"""Dates as people type them, and the periods History offers (plain Python, no I/O).

``parse_day`` reads what a person would write in a diary: ``today``, ``yesterday``, ``-3``
(three days ago), ``3 days ago``, a weekday (``mon``, ``Tuesday``: the last one before today),
``24 Nov`` / ``Nov 24`` / ``24 November 2026``, ``24/11/2026`` or ``11/24/2026`` (by the
settings' date order; ``.`` and ``-`` work as separators too), and ISO ``2026-11-24``. A day
without a year is the last such day not after the latest allowed one, so ``24 Dec`` typed in
January is last December.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final, Literal

from tracker.records import EARLIEST_DATE, ValidationError

DateOrder = Literal["day/month/year", "month/day/year"]
DATE_ORDERS: Final[tuple[DateOrder, ...]] = ("day/month/year", "month/day/year")

WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS: Final = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# "sept" and "tues"/"thur"/"thurs" are common; any prefix of three letters or more works.
_MIN_PREFIX = 3
_MAX_DAYS_AGO = 366 * 200

# Patterns, compiled on first use (re caches them): the app imports this before its first frame.
_NUMERIC = r"(\d{1,4})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?"
_WORDY = (
    r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)|([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?)"
    r"(?:,?\s+(\d{4}))?"
)
_DAYS_AGO = r"(?:-\s*(\d{1,6})|(\d{1,6})\s+days?\s+ago)"


def examples(order: DateOrder = "day/month/year") -> str:
    """The forms ``parse_day`` takes, for an error message or a field's hint."""
    numeric = "24/11/2026" if order == "day/month/year" else "11/24/2026"
    return f"today, yesterday, -3 (days ago), mon, 24 Nov, {numeric} or 2026-11-24"


def parse_day(
    text: object,
    *,
    today: date,
    latest: date | None = None,
    order: DateOrder = "day/month/year",
    field: str = "date",
) -> date:
    """The day ``text`` names, relative to ``today``; ``ValidationError`` naming ``field`` else.

    ``latest`` (default ``today``) is the last day allowed; the earliest is 1900-01-01.
    """
    latest = today if latest is None else latest
    allowed = f"a date such as {examples(order)}, from {EARLIEST_DATE.isoformat()} to "
    allowed += "today" if latest == today else latest.isoformat()
    allowed += f" ({latest.isoformat()})" if latest == today else ""
    if isinstance(text, date):
        day: date | None = text
    elif isinstance(text, str):
        day = _read(" ".join(text.strip().lower().split()), today, latest, order)
    else:
        day = None
    if day is None or not EARLIEST_DATE <= day <= latest:
        raise ValidationError(field, allowed, text)
    return day


def _read(text: str, today: date, latest: date, order: DateOrder) -> date | None:
    if text in ("today", "now", "0"):
        return today
    if text == "yesterday":
        return today - timedelta(days=1)
    if text == "tomorrow":
        return today + timedelta(days=1)
    match = re.fullmatch(_DAYS_AGO, text)
    if match:
        count = int(match.group(1) or match.group(2))
        return today - timedelta(days=count) if count <= _MAX_DAYS_AGO else None
    name = text.removeprefix("last ").rstrip(".")
    weekday = _named(name, WEEKDAYS)
    if weekday is not None:
        back = (today.weekday() - weekday) % 7 or 7
        return today - timedelta(days=back)
    match = re.fullmatch(_NUMERIC, text)
    if match:
        return _numeric(match, latest, order)
    match = re.fullmatch(_WORDY, text)
    if match:
        day_text = match.group(1) or match.group(4)
        month = _named(match.group(2) or match.group(3), MONTHS)
        if month is None:
            return None
        return _build(
            int(match.group(5)) if match.group(5) else None, month + 1, int(day_text), latest
        )
    return None


def _named(word: str, names: tuple[str, ...]) -> int | None:
    """The index of the name ``word`` abbreviates (three letters or more), if exactly one."""
    if len(word) < _MIN_PREFIX or not word.isalpha():
        return None
    found = [index for index, name in enumerate(names) if name.startswith(word)]
    return found[0] if len(found) == 1 else None


def _numeric(match: re.Match[str], latest: date, order: DateOrder) -> date | None:
    first, second, third = match.group(1), match.group(2), match.group(3)
    if len(first) == 4:  # 2026-11-24 or 2026/11/24: the year first is never ambiguous
        if third is None:
            return None
        return _build(int(first), int(second), int(third), latest)
    if len(first) == 3:
        return None
    day, month = (int(first), int(second))
    if order == "month/day/year":
        day, month = month, day
    year = None if third is None else int(third)
    if year is not None and len(third or "") == 2:
        # 26 is 2026; a year that would be after the latest day is the last century's (99).
        year += 2000 if 2000 + year <= latest.year else 1900
    return _build(year, month, day, latest)


def _build(year: int | None, month: int, day: int, latest: date) -> date | None:
    """The date, or None when it does not exist; without a year, the last one up to ``latest``."""
    try:
        if year is not None:
            return date(year, month, day)
        candidate = date(latest.year, month, day) if (month, day) != (2, 29) else None
    except ValueError:
        return None
    if candidate is None:  # 29 Feb without a year: the last leap year's, up to ``latest``
        year = latest.year
        while True:
            try:
                candidate = date(year, 2, 29)
            except ValueError:
                year -= 1
                continue
            if candidate <= latest:
                return candidate
            year -= 1
    if candidate > latest:
        try:
            candidate = candidate.replace(year=candidate.year - 1)
        except ValueError:
            return None
    return candidate


# ------------------------------------------------------------------ periods

Period = tuple[date, date]

PERIODS: Final[dict[str, str]] = {
    "last-7-days": "Last 7 days",
    "this-week": "This week",
    "last-week": "Last week",
    "this-month": "This month",
    "last-month": "Last month",
}


def week_start_of(day: date, week_start: int = 0) -> date:
    """The first day of ``day``'s week; ``week_start`` 0 = Monday .. 6 = Sunday."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def period(name: str, *, today: date, week_start: int = 0) -> Period:
    """The first and last day (inclusive) of a named period in ``PERIODS``, never past today."""
    if name == "last-7-days":
        return today - timedelta(days=6), today
    if name == "this-week":
        return week_start_of(today, week_start), today
    if name == "last-week":
        start = week_start_of(today, week_start) - timedelta(days=7)
        return start, start + timedelta(days=6)
    if name == "this-month":
        return today.replace(day=1), today
    if name == "last-month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    raise KeyError(name)
