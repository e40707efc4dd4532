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


# ---------------------------------------------------------------- progression


def test_progression_days_follow_each_parameter_and_how_it_felt() -> None:
    start, end = date(2026, 3, 2), date(2026, 3, 5)
    entries = [
        # Monday: 3 x 10 at 3-1-3-0 on both legs: 7 s a rep, 3 x 10 x 7 x 2 = 420 s = 7 min.
        lunge(start, effort=4, pain_during=2),
        # Wednesday, two sessions: the highest setting, the total time under tension
        # (2 x 12 x 10 s x 2 = 480 s = 8 min, plus 7 min), the highest effort and pain during.
        lunge("2026-03-04", sets=2, reps=12, tempo="5-0-5-0", effort=6, pain_during=3),
        lunge("2026-03-04", effort=5, pain_during=1),
        cycling("2026-03-04"),  # another kind: not in the lunge series
        checkin("2026-03-04", 3),
    ]
    days = analysis.progression_days(entries, "lunge", start=start, end=end)
    # Alignment was never given: left out, not a line of nothing.
    assert list(days) == ["tempo_s", "reps", "sets", "tut_min", "effort", "pain_during"]

    def values(name: str) -> list[float | None]:
        return [value for _, value in days[name]]

    assert [day for day, _ in days["reps"]] == analysis.days_between(start, end)
    assert values("tempo_s") == [7, None, 10, None]
    assert values("reps") == [10, None, 12, None]
    assert values("sets") == [3, None, 3, None]
    assert values("tut_min") == [7, None, 15, None]
    assert values("effort") == [4, None, 6, None]
    assert values("pain_during") == [2, None, 3, None]


def test_progression_days_of_rotation_and_cycling_and_optional_alignment() -> None:
    day = date(2026, 3, 2)
    rotation_days = analysis.progression_days(
        [rotation(day, band="red", hold_s=5), rotation(day, band="green")],
        "rotation",
        start=day,
        end=day,
    )
    # TheraBand order: none 0, tan 1, yellow 2, red 3, green 4: the heavier band of the day.
    assert rotation_days["band_level"] == [(day, 4.0)]
    assert rotation_days["hold_s"] == [(day, 5.0)]
    assert "effort" not in rotation_days
    rides = analysis.progression_days(
        [cycling(day, 20, resistance=5), cycling(day, 15, resistance=7)],
        "cycling",
        start=day,
        end=day,
    )
    assert rides["minutes"] == [(day, 35.0)] and rides["resistance"] == [(day, 7.0)]
    # A lunge's "alignment" (stored as a word) is a series of domain.md's score, "most" = 2.
    aligned = {**lunge(day), "alignment": "most"}
    assert analysis.progression_days([aligned], "lunge", start=day, end=day)["alignment"] == [
        (day, 2.0)
    ]


def test_flagged_days_name_this_kinds_pain_during_and_pain_not_settled() -> None:
    base = date(2026, 3, 1)
    entries = [checkin(base + timedelta(days=i), 2, 2) for i in range(10)]
    # 4 Mar: cycling hurt (7/10) but lunges did not: a flag on cycling's page only.
    entries += [lunge("2026-03-04", pain_during=2), cycling("2026-03-04", pain_during=7)]
    # 6 Mar: lunges; knee pain the next day 5 against at most 2 before: not settled, whatever
    # the kind, so lunges and cycling of that day are both flagged.
    entries = [e for e in entries if not (e["kind"] == "checkin" and e["date"] == "2026-03-07")]
    entries += [checkin("2026-03-07", 5, 2), lunge("2026-03-06"), cycling("2026-03-06")]
    start, end = date(2026, 3, 4), date(2026, 3, 10)
    lunge_flags = analysis.flagged_days(entries, "lunge", start=start, end=end)
    assert lunge_flags == {
        date(2026, 3, 6): ["knee pain 5/10 the next day against at most 2/10 in the 3 days before"]
    }
    cycling_flags = analysis.flagged_days(entries, "cycling", start=start, end=end)
    assert cycling_flags == {
        date(2026, 3, 4): ["pain during cycling 7/10"],
        date(2026, 3, 6): ["knee pain 5/10 the next day against at most 2/10 in the 3 days before"],
    }
    assert analysis.flagged_days(entries, "rotation", start=start, end=end) == {}


def test_bucket_means_are_the_means_of_the_session_days() -> None:
    days = analysis.days_between(date(2026, 3, 2), date(2026, 3, 15))
    values: list[float | None] = [None] * 14
    values[0], values[2], values[4] = 10, 10, 13  # first week: (10 + 10 + 13) / 3 = 11
    series = list(zip(days, values, strict=True))
    weeks = [(days[0], days[6]), (days[7], days[13])]
    assert analysis.bucket_means(series, weeks) == [11.0, None]  # no session: no value
