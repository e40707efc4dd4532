"""Analysis on small hand-built diaries whose answers are worked out by hand in each test.

The rules of what counts as a change (domain.md version 2) are tested in test_insights.py."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tracker import analysis
from tracker.records import Entry, new_entry

FAR = date(2030, 1, 1)  # "today" for building entries: every test date is before it


def checkin(day: date | str, knee: int, back: int = 0, left: int = 0, right: int = 0) -> Entry:
    values = {
        "date": str(day),
        "knee_pain": knee,
        "back_pain": back,
        "clicking_left": left,
        "clicking_right": right,
    }
    return new_entry("checkin", values, today=FAR)


def lunge(day: date | str, **extra: Any) -> Entry:
    values = {"date": str(day), "sets": 3, "reps": 10, "tempo": "3-1-3-0", **extra}
    return new_entry("lunge", values, today=FAR)


def cycling(day: date | str, minutes: float = 30, **extra: Any) -> Entry:
    return new_entry("cycling", {"date": str(day), "minutes": minutes, **extra}, today=FAR)


def rotation(day: date | str, sets: int = 3, **extra: Any) -> Entry:
    values = {"date": str(day), "exercise": "clamshell", "sets": sets, "reps": 12, **extra}
    return new_entry("rotation", values, today=FAR)


# ---------------------------------------------------------------- series and rolling means


def test_rolling_mean_needs_four_logged_days_in_its_window() -> None:
    start = date(2026, 1, 1)
    # Logged on Jan 1, 2, 3 (values 3, 5, 7), then Jan 5 (value 1), nothing else.
    entries = [checkin(start + timedelta(days=d), v) for d, v in ((0, 3), (1, 5), (2, 7), (4, 1))]
    by_day = {e["date"]: float(e["knee_pain"]) for e in entries}
    series = [
        (day, by_day.get(day.isoformat()))
        for day in analysis.days_between(start, date(2026, 1, 12))
    ]
    assert [v for _, v in series[:6]] == [3.0, 5.0, 7.0, None, 1.0, None]
    means = [v for _, v in analysis.rolling_mean(series)]
    # Jan 1-4: 3 or fewer values; Jan 5..7: 4 values (16/4 = 4.0); Jan 8 drops Jan 1 -> 3 values.
    assert means[:4] == [None] * 4
    assert means[4:7] == [4.0, 4.0, 4.0]
    assert means[7:] == [None] * 5


# ---------------------------------------------------------------- volume and adherence


def test_weekly_volume_in_each_kinds_unit() -> None:
    end = date(2026, 3, 1)
    entries = [
        # 3 x 10 x (3+1+3+0) s x 2 legs = 420 s = 7 min; one leg: 210 s = 3.5 min
        lunge("2026-02-23"),
        lunge("2026-02-24", side="left"),
        cycling("2026-02-25", 30, effort=5),  # load 150
        cycling("2026-02-26", 20),  # no effort: minutes count, load does not
        rotation("2026-03-01", 3),
        rotation("2026-03-01", 2),
        lunge("2026-02-22"),  # the week before
        checkin("2026-02-23", 3),
    ]
    weeks = analysis.weekly_volume(entries, start=date(2026, 2, 16), end=end)
    assert [w.start for w in weeks] == [date(2026, 2, 16), date(2026, 2, 23)]
    last = weeks[-1]
    assert (last.lunge_tut_min, last.cycling_min, last.rotation_sets) == (10.5, 50.0, 5)
    assert last.cycling_load == 150.0
    assert dict(last.sessions) == {"lunge": 2, "cycling": 2, "rotation": 2}
    assert weeks[0].lunge_tut_min == 7.0


def test_adherence_counts_days_not_entries() -> None:
    end = date(2026, 3, 1)
    entries = [
        checkin("2026-02-23", 1),
        checkin("2026-02-24", 1),
        lunge("2026-02-24"),
        cycling("2026-02-24"),
        rotation("2026-02-27"),
    ]
    (week,) = analysis.adherence(entries, start=date(2026, 2, 23), end=end)
    assert (week.checkin_days, week.exercise_days, week.days) == (2, 2, 7)
    # A range that starts mid-week counts only its own days in the first week.
    first, _ = analysis.adherence(entries, start=date(2026, 2, 20), end=end)
    assert first.days == 3


# ---------------------------------------------------------------- weeks (issue 14)


def test_weeks_start_on_monday_by_default_whatever_day_the_range_ends() -> None:
    """Weeks counted back from the last day began on any weekday (a Thursday in the report):
    a person counts weeks from Monday, or from the day the settings name."""
    thursday = date(2026, 11, 26)
    starts = analysis.week_starts(date(2026, 11, 1), thursday)
    assert [d.isoformat() for d in starts] == [
        "2026-10-26",
        "2026-11-02",
        "2026-11-09",
        "2026-11-16",
        "2026-11-23",
    ]
    assert all(d.weekday() == 0 for d in starts)
    sundays = analysis.week_starts(date(2026, 11, 1), thursday, week_start=6)
    assert [d.isoformat() for d in sundays] == [
        "2026-11-01",
        "2026-11-08",
        "2026-11-15",
        "2026-11-22",
    ]


def test_a_week_cut_by_the_range_counts_only_its_days_in_it() -> None:
    # Mon 23 Feb .. Sun 1 Mar; the range ends on Thursday 26 Feb: this week so far.
    entries = [lunge("2026-02-23"), lunge("2026-02-27"), checkin("2026-02-24", 1)]
    (week,) = analysis.weekly_volume(entries, start=date(2026, 2, 23), end=date(2026, 2, 26))
    assert (week.start, week.days, week.lunge_tut_min) == (date(2026, 2, 23), 4, 7.0)
    (days,) = analysis.adherence(entries, start=date(2026, 2, 23), end=date(2026, 2, 26))
    assert (days.checkin_days, days.exercise_days, days.days) == (1, 1, 4)
    # A first week that began before the range: only the range's days, never the day before.
    first, _ = analysis.weekly_volume(
        [lunge("2026-02-22"), lunge("2026-02-24")], start=date(2026, 2, 24), end=date(2026, 3, 2)
    )
    assert (first.start, first.days, first.lunge_tut_min) == (date(2026, 2, 23), 6, 7.0)


def test_weeks_starting_on_sunday_group_a_sunday_with_the_days_after_it() -> None:
    entries = [lunge("2026-02-22"), lunge("2026-02-23"), cycling("2026-02-28")]
    sunday = analysis.weekly_volume(
        entries, start=date(2026, 2, 22), end=date(2026, 2, 28), week_start=6
    )
    assert [(w.start, w.days, w.lunge_tut_min, w.cycling_min) for w in sunday] == [
        (date(2026, 2, 22), 7, 14.0, 30.0)
    ]
    monday = analysis.weekly_volume(entries, start=date(2026, 2, 22), end=date(2026, 2, 28))
    assert [(w.start, w.days, w.lunge_tut_min) for w in monday] == [
        (date(2026, 2, 16), 1, 7.0),
        (date(2026, 2, 23), 6, 7.0),
    ]
    weeks = analysis.adherence(
        entries, start=date(2026, 2, 22), end=date(2026, 2, 28), week_start=6
    )
    assert [(w.start, w.exercise_days, w.days) for w in weeks] == [(date(2026, 2, 22), 3, 7)]
