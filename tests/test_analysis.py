"""Analysis on small hand-built diaries whose answers are worked out by hand in each test."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

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


UNTIL = date(2026, 11, 21)


def two_weeks(previous: list[int], recent: list[int], metric: str = "knee_pain") -> list[Entry]:
    """Check-ins with ``metric`` = each value, on the first days of the previous and recent
    7-day windows ending on UNTIL (previous: Nov 8-14, recent: Nov 15-21); other metrics 0."""
    entries = []
    for first, values in (
        (UNTIL - timedelta(days=13), previous),
        (UNTIL - timedelta(days=6), recent),
    ):
        for i, value in enumerate(values):
            entry = checkin(first + timedelta(days=i), 0)
            entry[metric] = value
            entries.append(entry)
    return entries


def row_for(entries: list[Entry], metric: str = "knee_pain") -> analysis.ChangeRow:
    rows = {row["metric"]: row for row in analysis.changes(entries, until=UNTIL)}
    return rows[metric]


# ---------------------------------------------------------------- bands


@pytest.mark.parametrize(
    ("previous", "recent", "change", "pct", "band"),
    [
        # minimal: at least 1 point and at least 15 %
        ([6] * 7, [5] * 7, -1.0, -16.7, "minimal"),  # 1 point exactly
        ([6] * 7, [5, 5, 5, 6], -0.75, -12.5, "none"),  # 5.25: under 1 point
        ([10] * 7, [8, 9, 8, 9], -1.5, -15.0, "minimal"),  # 15 % exactly
        ([10] * 7, [9, 9, 9, 8, 8], -1.4, -14.0, "none"),  # 8.6: under 15 %
        ([2] * 7, [1] * 7, -1.0, -50.0, "minimal"),  # 50 % but only 1 point
        # meaningful: at least 2 points and at least 30 %
        ([6] * 7, [4] * 7, -2.0, -33.3, "meaningful"),  # 2 points exactly
        ([6] * 7, [4, 4, 4, 5], -1.75, -29.2, "minimal"),  # 4.25: under 2 points
        ([10] * 7, [7] * 7, -3.0, -30.0, "meaningful"),  # 30 % exactly
        ([10] * 7, [7, 7, 7, 7, 8], -2.8, -28.0, "minimal"),  # 7.2: under 30 %
        # substantial: at least 50 % and at least 2 points
        ([4] * 7, [2] * 7, -2.0, -50.0, "substantial"),  # both edges exactly
        ([4] * 7, [2, 2, 2, 3], -1.75, -43.8, "minimal"),  # 2.25: under 2 points
        ([6] * 7, [3] * 7, -3.0, -50.0, "substantial"),  # 50 % exactly
        ([6] * 7, [3, 3, 3, 3, 4], -2.8, -46.7, "meaningful"),  # 3.2: under 50 %
        # worsening, same bands
        ([5] * 7, [6] * 7, 1.0, 20.0, "minimal"),
        ([6] * 7, [8] * 7, 2.0, 33.3, "meaningful"),
        ([2] * 7, [4] * 7, 2.0, 100.0, "substantial"),
        ([2] * 7, [2, 2, 2, 3], 0.25, 12.5, "none"),
    ],
)
def test_bands_at_and_just_past_their_edges(
    previous: list[int], recent: list[int], change: float, pct: float, band: str
) -> None:
    row = row_for(two_weeks(previous, recent))
    assert (row["change"], row["change_pct"], row["band"]) == (change, pct, band)
    assert row["direction"] == ("better" if change < 0 else "worse")


def test_back_pain_example_of_cli_md_reads_as_a_substantial_improvement() -> None:
    row = row_for(two_weeks([5] * 7, [2] * 7, "back_pain"), "back_pain")
    assert row == {
        "metric": "back_pain",
        "recent_mean": 2.0,
        "previous_mean": 5.0,
        "change": -3.0,
        "change_pct": -60.0,
        "band": "substantial",
        "direction": "better",
        "recent_days": 7,
        "previous_days": 7,
    }
    assert analysis.change_sentence(row) == (
        "Back pain: 7-day mean 2.0, down from 5.0 (-3.0 points, -60 %): a substantial improvement."
    )


def test_worsening_is_said_as_worsening() -> None:
    row = row_for(two_weeks([2] * 7, [4] * 7))
    assert analysis.change_sentence(row) == (
        "Knee pain: 7-day mean 4.0, up from 2.0 (+2.0 points, +100 %): a substantial worsening."
    )


def test_a_window_with_three_checkins_has_no_mean_and_no_change() -> None:
    row = row_for(two_weeks([5] * 7, [1, 1, 1]))
    assert row["recent_mean"] is None
    assert row["previous_mean"] == 5.0
    assert (row["change"], row["change_pct"], row["band"], row["direction"]) == (None,) * 4
    assert (row["recent_days"], row["previous_days"]) == (3, 7)
    assert "not enough check-ins" in analysis.change_sentence(row)


def test_a_previous_mean_of_zero() -> None:
    row = row_for(two_weeks([0] * 7, [1] * 7))
    assert (row["change"], row["change_pct"], row["band"]) == (1.0, 100.0, "minimal")
    row = row_for(two_weeks([0] * 5, [0] * 4))
    assert (row["change"], row["change_pct"], row["band"], row["direction"]) == (
        0.0,
        0.0,
        "none",
        "same",
    )


def test_clicking_has_a_direction_but_no_band() -> None:
    row = row_for(two_weeks([3] * 7, [1] * 7, "clicking_left"), "clicking_left")
    assert (row["change"], row["band"], row["direction"]) == (-2.0, None, "better")


def test_insights_has_the_exact_shape_and_rounding_of_cli_md() -> None:
    # recent: six 1s and a 2 -> 8/7 = 1.142857 -> 1.14; previous: 2,2,2,2,3 -> 2.2
    entries = two_weeks([2, 2, 2, 2, 3], [1, 1, 1, 1, 1, 1, 2])
    result = analysis.insights(entries, until=UNTIL)
    assert list(result) == ["until", "changes", "associations"]
    assert result["until"] == "2026-11-21"
    assert [row["metric"] for row in result["changes"]] == [
        "knee_pain",
        "back_pain",
        "clicking_left",
        "clicking_right",
    ]
    knee = result["changes"][0]
    assert list(knee) == [
        "metric",
        "recent_mean",
        "previous_mean",
        "change",
        "change_pct",
        "band",
        "direction",
        "recent_days",
        "previous_days",
    ]
    assert knee["recent_mean"] == 1.14
    assert knee["previous_mean"] == 2.2
    assert knee["change"] == -1.06  # from the rounded means
    assert knee["change_pct"] == -48.2  # -1.06 / 2.2 = -48.18 %
    assert knee["band"] == "minimal"
    assert (knee["recent_days"], knee["previous_days"]) == (7, 5)
    back = result["changes"][1]
    assert (back["recent_mean"], back["change"], back["change_pct"], back["band"]) == (
        0.0,
        0.0,
        0.0,
        "none",
    )
    assert [(r["exercise"], r["metric"], r["lag_days"]) for r in result["associations"]] == [
        (kind, metric, lag)
        for kind in ("lunge", "cycling", "rotation")
        for metric in ("knee_pain", "back_pain")
        for lag in (1, 2)
    ]
    assert list(result["associations"][0]) == [
        "exercise",
        "metric",
        "lag_days",
        "mean_after_exercise",
        "mean_after_rest",
        "difference",
        "days_after_exercise",
        "days_after_rest",
    ]


def test_the_window_edges_are_until_and_thirteen_days_before() -> None:
    entries = two_weeks([4] * 7, [4] * 7)
    # Just outside both windows: must not count.
    entries += [checkin(UNTIL - timedelta(days=14), 10), checkin(UNTIL + timedelta(days=1), 10)]
    row = row_for(entries)
    assert (row["recent_mean"], row["previous_mean"]) == (4.0, 4.0)
    assert (row["recent_days"], row["previous_days"]) == (7, 7)


# ---------------------------------------------------------------- associations


def association_diary(with_third_lunge: bool = True) -> list[Entry]:
    """Across the end of February 2026 (28 days), with gaps in the check-ins.

    Lunges on Feb 26, Feb 28 (and Mar 1); cycling on Feb 22. Check-ins (knee): Feb 23, 24, 25 = 1;
    Feb 27 = 6; Mar 1 = 4; Mar 2 = 3; none on Feb 26 or 28. Outside the range: a lunge on Feb 20
    with a check-in on Feb 21 (knee 9) and a check-in on Mar 3 (knee 9).
    """
    entries = [lunge("2026-02-26"), lunge("2026-02-28"), cycling("2026-02-22")]
    if with_third_lunge:
        entries.append(lunge("2026-03-01"))
    entries += [checkin(f"2026-02-{d}", 1, back=2) for d in (23, 24, 25)]
    entries += [
        checkin("2026-02-27", 6, back=2),
        checkin("2026-03-01", 4, back=2),
        checkin("2026-03-02", 3, back=2),
        lunge("2026-02-20"),
        checkin("2026-02-21", 9, back=9),
        checkin("2026-03-03", 9, back=9),
    ]
    return entries


def assoc(
    entries: list[Entry], kind: str, metric: str, lag: int, *, days: int = 9
) -> analysis.AssociationRow:
    rows = analysis.associations(entries, until=date(2026, 3, 2), days=days)
    (row,) = [r for r in rows if (r["exercise"], r["metric"], r["lag_days"]) == (kind, metric, lag)]
    return row


def test_association_with_three_days_in_each_group_across_a_month_end() -> None:
    # Range: check-in days Feb 22 .. Mar 2. Lag 1: Feb 27 (after Feb 26 lunge), Mar 1 (after
    # Feb 28), Mar 2 (after Mar 1) -> 6, 4, 3; rest: Feb 23 (after cycling), 24, 25 -> 1, 1, 1.
    row = assoc(association_diary(), "lunge", "knee_pain", 1)
    assert row["days_after_exercise"] == 3
    assert row["days_after_rest"] == 3
    assert row["mean_after_exercise"] == 4.33  # 13 / 3
    assert row["mean_after_rest"] == 1.0
    assert row["difference"] == 3.33
    back = assoc(association_diary(), "lunge", "back_pain", 1)
    assert (back["mean_after_exercise"], back["mean_after_rest"], back["difference"]) == (
        2.0,
        2.0,
        0.0,
    )


def test_association_with_two_days_in_a_group_is_null_but_keeps_its_counts() -> None:
    row = assoc(association_diary(with_third_lunge=False), "lunge", "knee_pain", 1)
    assert (row["days_after_exercise"], row["days_after_rest"]) == (2, 4)
    assert (row["mean_after_exercise"], row["mean_after_rest"], row["difference"]) == (None,) * 3
    sentence = analysis.association_sentence(row)
    assert "2 and 4 days" in sentence and "too few" in sentence


def test_lag_two_counts_back_two_calendar_days() -> None:
    # Lag 2: only Mar 2 follows a lunge (Feb 28) two days before; Mar 1 follows Feb 27 (nothing).
    row = assoc(association_diary(), "lunge", "knee_pain", 2)
    assert (row["days_after_exercise"], row["days_after_rest"]) == (1, 5)
    assert row["difference"] is None


def test_another_kind_counts_as_rest_and_days_bounds_the_checkin_day() -> None:
    # Cycling on Feb 22 only: Feb 23 is "after cycling"; everything else is rest.
    row = assoc(association_diary(), "cycling", "knee_pain", 1)
    assert (row["days_after_exercise"], row["days_after_rest"]) == (1, 5)
    # --days 2 keeps the check-ins of Mar 1 and Mar 2 only.
    row = assoc(association_diary(), "lunge", "knee_pain", 1, days=2)
    assert (row["days_after_exercise"], row["days_after_rest"]) == (2, 0)


def test_association_sentence_has_counts_and_the_word_association() -> None:
    sentence = analysis.association_sentence(assoc(association_diary(), "lunge", "knee_pain", 1))
    assert sentence == (
        "Knee pain the day after tempo lunges averaged 4.33, against 1.0 after other days "
        "(+3.33; 3 and 3 days). This is an association, not proof of cause."
    )


# ---------------------------------------------------------------- series and rolling means


def test_rolling_mean_needs_four_logged_days_in_its_window() -> None:
    start = date(2026, 1, 1)
    # Logged on Jan 1, 2, 3 (values 3, 5, 7), then Jan 5 (value 1), nothing else.
    entries = [checkin(start + timedelta(days=d), v) for d, v in ((0, 3), (1, 5), (2, 7), (4, 1))]
    series = analysis.daily_series(entries, "knee_pain", start=start, end=date(2026, 1, 12))
    assert [v for _, v in series[:6]] == [3.0, 5.0, 7.0, None, 1.0, None]
    means = [v for _, v in analysis.rolling_mean(series)]
    # Jan 1-4: 3 or fewer values; Jan 5..7: 4 values (16/4 = 4.0); Jan 8 drops Jan 1 -> 3 values.
    assert means[:4] == [None] * 4
    assert means[4:7] == [4.0, 4.0, 4.0]
    assert means[7:] == [None] * 5


def test_weekly_means_count_back_from_the_end() -> None:
    end = date(2026, 3, 1)  # weeks: Feb 16-22, Feb 23 - Mar 1
    entries = [checkin("2026-02-16", 2), checkin("2026-02-22", 4), checkin("2026-03-01", 6)]
    weeks = analysis.weekly_means(entries, "knee_pain", start=date(2026, 2, 16), end=end)
    assert [(w.start, w.mean, w.days) for w in weeks] == [
        (date(2026, 2, 16), 3.0, 2),
        (date(2026, 2, 23), 6.0, 1),
    ]


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


# ---------------------------------------------------------------- hold progression


def test_hold_progression_on_pain_during_above_five() -> None:
    hot = lunge("2026-02-10", pain_during=6)
    entries = [hot, lunge("2026-02-11", pain_during=5), cycling("2026-02-12", pain_during=0)]
    (flag,) = analysis.flags(entries)
    assert (flag.entry_id, flag.action) == (hot["id"], "hold progression")
    assert flag.reason == "knee pain during was 6/10 (above 5)"


def test_hold_progression_when_next_days_knee_pain_rises_two_points() -> None:
    session = cycling("2026-02-28")
    entries = [
        checkin("2026-02-28", 3),
        session,
        checkin("2026-03-01", 5),  # +2 across the month end: flagged
        lunge("2026-03-01"),
        checkin("2026-03-02", 6),  # +1: not flagged
        rotation("2026-03-05"),  # no check-in the day before or after: not flagged
        checkin("2026-03-06", 9),
    ]
    (flag,) = analysis.flags(entries)
    assert flag.entry_id == session["id"]
    assert flag.reason == "next day's knee pain was 5/10, 2 points above the day before (3/10)"


def test_sentences_cover_every_metric_and_each_kind_with_counts() -> None:
    lines = analysis.insight_sentences(analysis.insights(two_weeks([5] * 7, [2] * 7), until=UNTIL))
    assert lines[0].startswith("Knee pain: 7-day mean 2.0, down from 5.0")
    assert lines[2].startswith("Clicking, left knee: 7-day mean 0.0, the same as the week before")
    assert "an association, not proof of cause" in lines[4]
    # No exercise at all: 14 check-ins, none after a lunge.
    assert (
        lines[5]
        == "  Tempo lunges: too few days to compare (0 and 14 days; at least 3 of each are needed)."
    )
    entries = association_diary()
    lines = analysis.insight_sentences(analysis.insights(entries, until=date(2026, 3, 2), days=9))
    assert (
        "  Tempo lunges: knee 4.33 against 1.0 (+3.33), back 2.0 against 2.0 (0.0); 3 and 3 days."
        in lines
    )
