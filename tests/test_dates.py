"""Dates as people type them (issue 14): forms, --date, --from, --to, --until."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.dates import PERIODS, parse_day, period, week_start_of
from tracker.records import ValidationError

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", TODAY),
        (" Yesterday ", date(2026, 11, 24)),
        ("-3", date(2026, 11, 22)),
        ("3 days ago", date(2026, 11, 22)),
        ("1 day ago", date(2026, 11, 24)),
        ("mon", date(2026, 11, 23)),
        ("Monday", date(2026, 11, 23)),
        ("last monday", date(2026, 11, 23)),
        ("tues", date(2026, 11, 24)),
        ("wed", date(2026, 11, 18)),  # the last one before today, never today itself
        ("24 Nov", date(2026, 11, 24)),
        ("Nov 24", date(2026, 11, 24)),
        ("24th November 2025", date(2025, 11, 24)),
        ("24 dec", date(2025, 12, 24)),  # no year: the last 24 Dec up to today
        ("24/11/2026", date(2026, 11, 24)),
        ("24.11.26", date(2026, 11, 24)),
        ("1/1/99", date(1999, 1, 1)),
        ("24/11", date(2026, 11, 24)),
        ("2026-11-24", date(2026, 11, 24)),
        ("2026/11/24", date(2026, 11, 24)),
        ("29 feb", date(2024, 2, 29)),
    ],
)
def test_a_day_typed_the_way_people_write_it(text: str, expected: date) -> None:
    assert parse_day(text, today=TODAY) == expected


def test_the_settings_date_order_decides_between_day_and_month() -> None:
    assert parse_day("11/24/2026", today=TODAY, order="month/day/year") == date(2026, 11, 24)
    assert parse_day("3/4/2026", today=TODAY, order="month/day/year") == date(2026, 3, 4)
    assert parse_day("3/4/2026", today=TODAY) == date(2026, 4, 3)


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "31/02/2026",
        "11/24/2026",
        "2026-02-30",
        "tomorrow",
        "26 Nov 2026",
        "m",
        "ma",
        "-999999",
        "1899-12-31",
        "",
        "32 Jan",
        "24 Novx",
        "june 31",
    ],
)
def test_a_date_that_does_not_exist_or_is_ahead_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_day(text, today=TODAY, field="--date")
    message = refused.value.describe("--date")
    assert message.startswith("--date must be a date such as today, yesterday")
    assert "to today (2026-11-25)" in message


def test_tomorrow_is_allowed_where_the_latest_day_is_tomorrow() -> None:
    tomorrow = date(2026, 11, 26)
    assert parse_day("tomorrow", today=TODAY, latest=tomorrow) == tomorrow
    assert parse_day("26 Nov", today=TODAY, latest=tomorrow) == tomorrow


def test_periods_for_history_start_on_the_chosen_week_day() -> None:
    assert period("last-7-days", today=TODAY) == (date(2026, 11, 19), TODAY)
    assert period("this-week", today=TODAY) == (date(2026, 11, 23), TODAY)
    assert period("last-week", today=TODAY) == (date(2026, 11, 16), date(2026, 11, 22))
    assert period("last-week", today=TODAY, week_start=6) == (
        date(2026, 11, 15),
        date(2026, 11, 21),
    )
    assert period("this-month", today=TODAY) == (date(2026, 11, 1), TODAY)
    assert period("last-month", today=date(2026, 3, 31)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert set(PERIODS) == {"last-7-days", "this-week", "last-week", "this-month", "last-month"}
    assert week_start_of(date(2026, 11, 22)) == date(2026, 11, 16)  # a Sunday
