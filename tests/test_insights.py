"""Insights version 2 (domain.md, cli.md "insights --json"): each rule and edge on data sets
small enough to work by hand, the exact JSON shape, and the noise property on stable series."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from conftest import Cli
from factories import values

from tracker import insights, numbers, stats
from tracker.records import Entry, new_entry

UNTIL = date(2026, 11, 25)


def checkin(day: date, knee: float, back: float | None = None, **extra: Any) -> Entry:
    values = {
        "knee_pain": int(knee),
        "back_pain": int(knee if back is None else back),
        "clicking_left": 1,
        "clicking_right": 0,
        "date": day.isoformat(),
        **extra,
    }
    return new_entry("checkin", values, today=UNTIL)


def exercise(day: date, kind: str = "lunge", **extra: Any) -> Entry:
    return new_entry(kind, values(kind, date=day.isoformat(), **extra), today=UNTIL)


def series(start: date, values: Sequence[float | None]) -> list[Entry]:
    """A check-in a day from ``start`` with these knee (and back) values; None: no check-in."""
    return [checkin(start + timedelta(days=i), v) for i, v in enumerate(values) if v is not None]


def day(n: int) -> date:
    """The day ``n`` days before UNTIL."""
    return UNTIL - timedelta(days=n)


# ---------------------------------------------------------------- progress


def progress(entries: list[Entry], until: date = UNTIL) -> dict[str, Any]:
    result = insights.insights(entries, until=until)
    return dict(result["progress"][0])


def test_progress_by_hand_with_a_meaningful_band() -> None:
    # 70 days: the first 14 alternate 5 and 7 (mean 6), the last 14 alternate 3 and 5 (mean 4),
    # 4 between. Alternation makes neighbours unlike, so r1 = 0 and n_eff = n = 14.
    start = day(69)
    values: Sequence[float | None] = [5, 7] * 7 + [4] * 42 + [3, 5] * 7
    row = progress(series(start, values))
    assert row["status"] == "ok"
    assert row["baseline"] == {
        "start": start.isoformat(),
        "end": (start + timedelta(days=13)).isoformat(),
        "mean": 6.0,
        "days": 14,
    }
    assert row["recent"]["mean"] == 4.0 and row["recent"]["days"] == 14
    assert row["change"] == -2.0
    assert row["change_pct"] == pytest.approx(-100 * 2 / 6)
    # By hand: sd = sqrt(14 / 13) each, se_d = sqrt(2 x 14/13 / 14), df = 26, t = 2.0555.
    se_d = math.sqrt(2 * (14 / 13) / 14)
    half = stats.t_quantile(0.975, 26) * se_d
    assert row["ci"] == pytest.approx([-2 - half, -2 + half])
    assert row["beyond_variation"] is True and row["direction"] == "better"
    # Baseline 6 (>= 3): 2 points, or 33 % >= 30 %: meaningful (not substantial: < 50 %).
    assert row["band"] == "meaningful"


def test_progress_within_day_to_day_variation_names_no_direction_or_band() -> None:
    values: Sequence[float | None] = [5, 7] * 7 + [5] * 42 + [5, 6] * 7
    row = progress(series(day(69), values))
    assert row["status"] == "ok" and row["change"] == pytest.approx(-0.5)
    assert row["beyond_variation"] is False
    assert row["direction"] is None and row["band"] is None
    sentence = insights.progress_sentence(row)  # type: ignore[arg-type]
    assert "within day-to-day variation" in sentence
    assert "improvement" not in sentence and "worse" not in sentence


def test_progress_needs_seven_checkins_in_each_span() -> None:
    # Baseline: 7 check-ins in its 14 days; recent: 6.
    values: Sequence[float | None] = [5, None] * 7 + [4] * 42 + [3, None] * 6 + [None, None]
    row = progress(series(day(69), values))
    assert row["status"] == "too_few_checkins"
    assert row["baseline"]["days"] == 7 and row["baseline"]["mean"] == 5.0
    assert row["recent"]["days"] == 6 and row["recent"]["mean"] is None
    assert row["change"] is None and row["ci"] is None and row["band"] is None


def test_progress_is_too_early_before_four_weeks() -> None:
    entries = series(day(26), [5] * 27)  # until = first check-in + 26 days
    row = progress(entries)
    assert row["status"] == "too_early"
    assert row["baseline"]["mean"] is None and row["recent"]["mean"] is None
    assert row["baseline"]["days"] == 14
    entries = series(day(27), [5] * 28)  # + 27 days: the spans no longer overlap
    assert progress(entries)["status"] == "ok"


def test_progress_without_any_checkin() -> None:
    result = insights.insights([exercise(day(3))], until=UNTIL)
    row = result["progress"][0]
    assert row["status"] == "too_few_checkins"
    assert row["baseline"] == {"start": None, "end": None, "mean": None, "days": 0}
    assert row["recent"]["start"] == day(13).isoformat() and row["recent"]["days"] == 0


def test_a_baseline_below_one_has_no_percent_and_bands_by_points() -> None:
    # Baseline mean 0.5 (0, 1 alternating) to recent 2.5: worse, and no change_pct.
    values: Sequence[float | None] = [0, 1] * 7 + [1] * 42 + [2, 3] * 7
    row = progress(series(day(69), values))
    assert row["change_pct"] is None
    assert row["direction"] == "worse" and row["band"] is None


def declining(first: float, last: float, days: int = 70) -> list[float | None]:
    """Whole-number ratings sliding from ``first`` to ``last``, alternating one point around
    the line, so that neighbouring days are unlike (r1 = 0) and only the slide is change."""
    return [
        float(round(first + (last - first) * i / (days - 1) + (0.5 if i % 2 else -0.5)))
        for i in range(days)
    ]


@pytest.mark.parametrize(
    ("first", "last", "band"),
    [
        (8.0, 1.0, "substantial"),
        (6.0, 3.5, "meaningful"),
        (2.5, 0.5, "meaningful"),  # a baseline below 3: points only
        (2.5, 1.0, "small"),
    ],
)
def test_bands_follow_the_size_of_a_real_improvement(first: float, last: float, band: str) -> None:
    row = progress(series(day(69), declining(first, last)))
    assert row["beyond_variation"] is True and row["direction"] == "better"
    base = row["baseline"]["mean"]
    assert row["band"] == insights.progress_band(row["change"], row["change_pct"], base)
    assert row["band"] == band


def test_band_thresholds_with_the_tolerance() -> None:
    band = insights.progress_band
    assert band(-3.5, -50.0, 7.0) == "substantial"
    assert band(-3.5 + 1e-10, -50.0 + 1e-10, 7.0) == "substantial"  # within 1e-9: equal
    assert band(-2.0, -20.0, 10.0) == "meaningful"  # 2 points
    assert band(-1.5, -30.0, 5.0) == "meaningful"  # 30 %
    assert band(-1.0, -10.0, 10.0) == "small"  # 1 point
    assert band(-0.6, -15.0, 4.0) == "small"  # 15 %
    assert band(-0.5, -10.0, 5.0) == "below_important"
    assert band(-1.9, -95.0, 2.0) == "small"  # below 3: points only
    assert band(16 / 7 - 9 / 7 - 2, None, 2.0) == "small"  # 1 - 2 = -1 point, within 1e-9


# ---------------------------------------------------------------- this week


def test_week_needs_four_checkins_each_and_says_rising() -> None:
    # Previous week 2, 3, 2, 3 (4 check-ins), this week 6, 7, 6, 7: higher, beyond variation.
    values: Sequence[float | None] = [2, 3, 2, 3, None, None, None, 6, 7, 6, 7, None, None, None]
    result = insights.insights(series(day(13), values), until=UNTIL)
    week = result["week"][0]
    assert week["previous"]["days"] == 4 and week["recent"]["days"] == 4
    assert week["change"] == 4.0 and week["beyond_variation"] is True
    assert week["direction"] == "worse"
    assert result["monitoring"]["pain_rising"][0]["metric"] == "knee_pain"
    assert result["monitoring"]["pain_rising"][0]["change"] == 4.0
    fewer = insights.insights(series(day(13), [*values[:-4], None, None, None, None]), until=UNTIL)
    assert fewer["week"][0]["recent"]["days"] == 3
    assert fewer["week"][0]["recent"]["mean"] is None and fewer["week"][0]["change"] is None
    assert fewer["monitoring"]["pain_rising"] == []


# ---------------------------------------------------------------- clicking


def test_clicking_is_counted_by_answer_never_averaged() -> None:
    entries = [
        checkin(day(2), 3, clicking_left=2, clicking_right=0, clicking_painful=True),
        checkin(day(1), 3, clicking_left=0, clicking_right=0, clicking_painful=True),
        checkin(day(0), 3, clicking_left=2, clicking_right=4),
    ]
    left, right = insights.insights(entries, until=UNTIL)["clicking"]
    assert left == {
        "knee": "left",
        "baseline_days_by_answer": [1, 0, 2, 0, 0],
        "recent_days_by_answer": [1, 0, 2, 0, 0],
        "recent_painful_days": 1,  # painful with "Never" for that knee does not count
    }
    assert right["recent_days_by_answer"] == [2, 0, 0, 0, 1]
    assert right["recent_painful_days"] == 0


# ---------------------------------------------------------------- associations


def association(result: insights.Insights, kind: str, metric: str) -> dict[str, Any]:
    return next(
        dict(r) for r in result["associations"] if r["exercise"] == kind and r["metric"] == metric
    )


def test_a_group_of_six_days_has_counts_but_no_means() -> None:
    # 20 days of check-ins; lunges on 6 of the days before.
    entries = series(day(20), [3] * 21)
    entries += [exercise(day(20 - 2 * i)) for i in range(1, 7)]
    row = association(insights.insights(entries, until=UNTIL, days=20), "lunge", "knee_pain")
    assert (row["days_after_exercise"], row["days_after_other"]) == (6, 14)
    assert row["mean_after_exercise"] is None and row["difference"] is None
    assert row["adjusted_difference"] is None and row["ci"] is None


def test_adjusted_difference_matches_a_fit_by_hand() -> None:
    # 40 days; lunges every other day; knee pain 2 after a lunge day, else 4, with a little
    # wobble so that the fit is not exact.
    rng = random.Random(5)
    lunge_days = {day(i) for i in range(1, 41, 2)}
    entries = [exercise(d) for d in lunge_days]
    for i in range(40, -1, -1):
        d = day(i)
        value = (2 if d - timedelta(days=1) in lunge_days else 4) + rng.choice([0, 1])
        entries.append(checkin(d, value))
    result = insights.insights(entries, until=UNTIL, days=30)
    row = association(result, "lunge", "knee_pain")
    assert row["days_after_exercise"] + row["days_after_other"] == 30
    # The same fit written out: intercept, lunge on D-1, pain on D-1, day number.
    searched = [day(i) for i in range(29, -1, -1)]
    by_day = {e["date"]: e for e in entries if e["kind"] == "checkin"}
    rows = [
        [
            1.0,
            float(d - timedelta(days=1) in lunge_days),
            float(by_day[(d - timedelta(days=1)).isoformat()]["knee_pain"]),
            float((d - searched[0]).days),
        ]
        for d in searched
    ]
    fit = stats.least_squares(rows, [float(by_day[d.isoformat()]["knee_pain"]) for d in searched])
    assert fit is not None
    t = stats.t_quantile(1 - 0.05 / 12, fit.df)
    assert fit.df == 30 - 4
    assert row["adjusted_difference"] == pytest.approx(fit.coefficients[1])
    assert row["ci"] == pytest.approx(
        [
            fit.coefficients[1] - t * fit.standard_errors[1],
            fit.coefficients[1] + t * fit.standard_errors[1],
        ]
    )
    assert row["adjusted_difference"] < -1 and row["beyond_variation"] is True
    # Cycling was never logged: counts only, left out of the fit.
    cycling = association(result, "cycling", "knee_pain")
    assert cycling["days_after_exercise"] == 0 and cycling["adjusted_difference"] is None


def test_associations_need_twenty_days_for_the_fit() -> None:
    lunge_days = {day(i) for i in range(1, 21, 2)}
    entries = [exercise(d) for d in lunge_days] + series(day(20), [3, 4] * 10 + [3])
    row = association(insights.insights(entries, until=UNTIL, days=19), "lunge", "knee_pain")
    assert row["days_after_exercise"] + row["days_after_other"] == 19
    assert row["adjusted_difference"] is None


# ---------------------------------------------------------------- pain monitoring


def test_monitoring_flags_by_hand_and_counts_unassessable_days() -> None:
    # Knee (and back) pain from day(10) to day(0); None: no check-in that day.
    entries = series(day(10), [2, 3, 2, None, 3, 6, 2, 2, None, 2, None])
    # day(7): before day(10..8) = 2, 3, 2 (highest 3), next day(6) = 3: settled; pain during 6.
    entries += [exercise(day(7), pain_during=6), exercise(day(7), "cycling")]
    # day(6): before day(9..7) = 3, 2 and a gap (2 of 3, enough), next day(5) = 6 >= 3 + 2.
    entries += [exercise(day(6))]
    # day(3): the next day, day(2), has no check-in: not assessable, counted and listed.
    entries += [exercise(day(3), "cycling")]
    # day(0): the next day is after the range: not assessable.
    entries += [exercise(day(0), "rotation")]
    result = insights.insights(entries, until=UNTIL, days=11)
    watch = result["monitoring"]
    assert watch["days_with_exercise"] == 4
    assert watch["not_assessable_dates"] == [day(3).isoformat(), day(0).isoformat()]
    assert watch["assessable_days"] == 2 and watch["not_assessable_days"] == 2
    first, second = watch["flags"]
    assert first == {
        "date": day(7).isoformat(),
        "exercises": ["lunge", "cycling"],
        "reasons": [{"rule": "pain_during", "kind": "lunge", "value": 6}],
    }
    assert second["date"] == day(6).isoformat() and second["exercises"] == ["lunge"]
    assert second["reasons"] == [
        {"rule": "not_settled", "metric": "knee_pain", "before": 3, "next_day": 6},
        {"rule": "not_settled", "metric": "back_pain", "before": 3, "next_day": 6},
    ]
    said = "\n".join(insights.monitoring_sentences(watch))
    assert "2 not assessable" in said and "never" not in said.lower()
    # Issue 14: every number with its measure and scale ("pain 6" was whose pain, of what?);
    # only a lunge's pain during is knee pain (domain.md, Volume).
    assert "knee pain during tempo lunges 6/10" in said
    assert "knee pain 6/10 the next day against at most 3/10 in the 3 days before" in said
    assert "back pain 6/10 the next day" in said
    assert insights.reason_words({"rule": "pain_during", "kind": "cycling", "value": 7}) == (
        "pain during cycling 7/10"
    )


# ---------------------------------------------------------------- the JSON contract


def test_insights_json_has_the_shape_of_cli_md(cli: Cli) -> None:
    for i in range(40, -1, -1):
        cli(
            "log",
            "checkin",
            *("--knee-pain", str(3 + i % 3), "--back-pain", "2"),
            *("--clicking-left", "1", "--clicking-right", "0", "--date", day(i).isoformat()),
        )
        if i % 2:
            cli("log", "lunge", "--sets", "3", "--reps", "10", "--tempo", "4-1-4")
    result = cli("insights", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert list(data) == [
        "version",
        "until",
        "progress",
        "week",
        "clicking",
        "associations",
        "monitoring",
    ]
    assert data["version"] == 2 and data["until"] == UNTIL.isoformat()
    assert [r["metric"] for r in data["progress"]] == ["knee_pain", "back_pain"]
    assert list(data["progress"][0]) == [
        "metric",
        "status",
        "baseline",
        "recent",
        "change",
        "change_pct",
        "ci",
        "beyond_variation",
        "direction",
        "band",
    ]
    assert list(data["progress"][0]["baseline"]) == ["start", "end", "mean", "days"]
    assert list(data["week"][0]) == [
        "metric",
        "previous",
        "recent",
        "change",
        "ci",
        "beyond_variation",
        "direction",
    ]
    assert [r["knee"] for r in data["clicking"]] == ["left", "right"]
    assert [(r["exercise"], r["metric"]) for r in data["associations"]] == [
        (kind, metric)
        for kind in ("lunge", "cycling", "rotation")
        for metric in ("knee_pain", "back_pain")
    ]
    assert list(data["associations"][0]) == [
        "exercise",
        "metric",
        "days_after_exercise",
        "days_after_other",
        "mean_after_exercise",
        "mean_after_other",
        "difference",
        "adjusted_difference",
        "ci",
        "beyond_variation",
    ]
    assert list(data["monitoring"]) == [
        "days_with_exercise",
        "assessable_days",
        "not_assessable_days",
        "not_assessable_dates",
        "flags",
        "pain_rising",
    ]
    text = cli("insights").out
    assert "within day-to-day variation" in text or "beyond" in text or "improvement" in text
    assert insights.ASSOCIATION_CAVEAT in text and insights.START_CAVEAT in text


def test_ci_is_spelled_out_where_it_first_appears() -> None:
    entries = series(UNTIL - timedelta(days=41), [5, 6, 4, 5] * 5 + [3, 4, 2, 3] * 5 + [3, 3])
    lines = insights.insight_sentences(insights.insights(entries, until=UNTIL))
    text = "\n".join(lines)
    first = text.index("% CI")
    assert text.index("95 % confidence interval, CI, ") < first
    assert text.count("confidence interval, CI,") == 1
    assert insights.spell_out_once(["no", "a % CI b", "c % CI d"], "% CI", "% x (CI)") == [
        "no",
        "a % x (CI) b",
        "c % CI d",
    ]


def test_numbers_in_sentences_round_half_away_from_zero() -> None:
    assert numbers.one_decimal(2.25) == "2.3"
    assert numbers.one_decimal(-2.25) == "-2.3"
    assert numbers.one_decimal(0.04) == "0.0" and numbers.one_decimal(-0.04) == "0.0"
    assert numbers.signed_one_decimal(0.25) == "+0.3"


# ---------------------------------------------------------------- noise, not change


def stable_series(rng: random.Random, days: int, level: float, phi: float) -> list[float]:
    """Daily ratings with no true change: AR(1) noise of about one point, rounded to 0-10."""
    values, noise = [], 0.0
    for _ in range(days):
        noise = phi * noise + rng.gauss(0, 1.0) * math.sqrt(1 - phi * phi)
        values.append(float(min(10, max(0, round(level + noise)))))
    return values


def test_stable_series_are_rarely_called_beyond_day_to_day_variation() -> None:
    # The property of domain.md: with no true change, "beyond" is said for about 5 % of
    # comparisons (at most ~8 %). 300 simulated people, progress and week, two metrics each.
    rng = random.Random(20261125)
    beyond = comparisons = 0
    for person in range(300):
        phi = (0.0, 0.3, 0.6)[person % 3]
        knee = stable_series(rng, 120, rng.uniform(2.5, 6.5), phi)
        back = stable_series(rng, 120, rng.uniform(2.0, 5.0), phi)
        entries = [
            checkin(day(119 - i), k, b)
            for i, (k, b) in enumerate(zip(knee, back, strict=True))
            if rng.random() < 0.9
        ]
        result = insights.insights(entries, until=UNTIL)
        for row in [*result["progress"], *result["week"]]:
            if row["beyond_variation"] is not None:
                comparisons += 1
                beyond += row["beyond_variation"]
    rate = beyond / comparisons
    print(f"stable series called beyond day-to-day variation: {beyond}/{comparisons} = {rate:.3f}")
    assert comparisons > 1000
    assert rate <= 0.08
