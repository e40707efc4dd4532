"""Charts: what a reader of the text sees, on hand-built diaries."""

from __future__ import annotations

import random
import re
import subprocess
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import TRACKER, Cli, subprocess_env

from tracker import charts
from tracker.records import Entry, new_entry

FAR = date(2030, 1, 1)
UNTIL = date(2026, 11, 21)  # a Saturday: weeks starting on Sunday (6) end on it
MONDAY, SUNDAY = 0, 6


def add(kind: str, day: date, **values: object) -> Entry:
    return new_entry(kind, {**values, "date": day.isoformat()}, today=FAR)


def four_weeks() -> list[Entry]:
    """28 days ending on UNTIL: a check-in every day (knee 4, back 2, clicking 1/0), lunges
    (3 x 10, tempo 3-1-3-0, both legs = 7 min under tension) on every other day, 30 min of
    cycling on Mondays (Nov 2, 9, 16) and 3 sets of clamshells on days 0, 1, 2 of each week."""
    entries = []
    first = UNTIL - timedelta(days=27)
    for i in range(28):
        day = first + timedelta(days=i)
        entries.append(
            add("checkin", day, knee_pain=4, back_pain=2, clicking_left=1, clicking_right=0)
        )
        if i % 2 == 0:
            entries.append(add("lunge", day, sets=3, reps=10, tempo="3-1-3-0"))
        if day.weekday() == 0:
            entries.append(add("cycling", day, minutes=30))
        if i % 7 < 3:
            entries.append(add("rotation", day, exercise="clamshell", sets=3, reps=12))
    return entries


def years(count: int) -> list[Entry]:
    """A check-in and a lunge every day, a ride every third day, for ``count`` years."""
    entries = []
    first = UNTIL - timedelta(days=365 * count - 1)
    for i in range(365 * count):
        day = first + timedelta(days=i)
        values = {"knee_pain": i % 7, "back_pain": i % 5, "clicking_left": i % 5}
        entries.append(add("checkin", day, **values, clicking_right=2))
        entries.append(add("lunge", day, sets=2, reps=8, tempo="4-1-4"))
        if i % 3 == 0:
            entries.append(add("cycling", day, minutes=20))
        if i % 21 == 0:  # the questionnaires, every 3 weeks
            entries.append(add("koos", day, pain=40 + i % 50, function=50, qol=30 + i % 40))
            entries.append(add("rmdq", day, score=12 - i % 9))
            entries.append(add("odi", day, score=30 - i % 20))
            entries.append(add("pgic", day, change=1 + i % 7))
    return entries


def spec_for(
    name: str, entries: list[Entry], days: int | None, w: int, h: int, week_start: int = MONDAY
) -> charts.ChartSpec:
    data = charts.prepare(name, entries, until=UNTIL, days=days, week_start=week_start)
    return charts.layout(data, w, h)


def test_pain_has_title_axis_labels_legend_and_dates() -> None:
    text = charts.render("pain", four_weeks(), until=UNTIL, days=28, width=80, height=24)
    assert "Knee and back pain, 25 Oct - 21 Nov 2026" in text
    assert "0-10" in text and "date" in text
    assert "knee, daily" in text and "back, 7-day mean" in text
    assert "25 Oct" in text and "21 Nov" in text  # first and last day on the x axis
    assert len(text.splitlines()) == 24
    assert max(len(line) for line in text.splitlines()) <= 80


def test_pain_splits_into_a_panel_per_metric_when_tall() -> None:
    text = charts.render("pain", four_weeks(), until=UNTIL, days=28, width=200, height=60)
    assert "Knee pain, 25 Oct - 21 Nov 2026" in text and "Back pain" in text
    assert len(text.splitlines()) == 60


def test_clicking_shows_the_koos_words_on_the_y_axis() -> None:
    text = charts.render("clicking", four_weeks(), until=UNTIL, days=28, width=80, height=24)
    for word in ("Never", "Rarely", "Sometimes", "Often", "Always"):
        assert word in text
    assert "how often" in text


def test_volume_has_one_panel_per_kind_with_a_bar_per_week() -> None:
    spec = spec_for("volume", four_weeks(), 28, 80, 24, week_start=SUNDAY)
    assert spec.bucket == "week"
    # Weeks (Sun-Sat) from Oct 25: lunges on days 0,2,4,6 / 1,3,5 alternate -> 4,3,4,3 x 7 min.
    lunge, cycling, rotation = (p.series[0].y for p in spec.panels)
    assert lunge == [28.0, 21.0, 28.0, 21.0]
    assert cycling == [30.0, 30.0, 30.0, 30.0]  # one Monday a week
    assert rotation == [9.0, 9.0, 9.0, 9.0]
    assert spec.panels[-1].xlabel == "week starting Sunday"
    text = charts.build_text(spec, 120, 24)
    # Each panel's unit is in its title (the y axes differ, so no shared y label), and time
    # under tension is called so, as on the cards and in the report.
    assert "Tempo lunges: time under tension in minutes per week" in text
    assert "Cycling: minutes per week" in text and "External rotation: sets per week" in text


def test_volume_weeks_start_on_monday_by_default_and_the_last_says_it_is_under_way() -> None:
    """Issue 14: weeks counted back from the last day started on any weekday (a Thursday in
    the report). Weeks begin on Monday unless the settings say otherwise; 28 days ending on
    Saturday 21 Nov hold Sunday 25 Oct (a week begun before the range: left out), four whole
    Monday weeks, and Mon 16 - Sat 21 Nov, 6 days so far."""
    spec = spec_for("volume", four_weeks(), 28, 80, 24)
    lunge, cycling, rotation = (p.series[0].y for p in spec.panels)
    # Lunges on every other day from Oct 25 (day 0): Oct 26 - Nov 1 holds days 2, 4, 6.
    assert lunge == [21.0, 28.0, 21.0, 21.0]
    assert cycling == [30.0, 30.0, 30.0, 30.0]
    assert rotation == [9.0, 9.0, 9.0, 6.0]  # the last week holds two of its three days
    bottom = spec.panels[-1]
    assert bottom.xlabel == "week starting Monday; the last week so far: 6 days"
    assert bottom.xticks[1][0] == "26 Oct"  # a Monday
    assert spec.panels[0].title.endswith("(whole weeks)")


def ninety_days() -> list[Entry]:
    """90 days ending on UNTIL (13 weeks, the first partly before the range) with weekly
    volumes that differ week by week: lunges 3 x (8 + week) reps at 3-1-3-0 both legs on
    Mondays, Wednesdays and Fridays; cycling 20 + 5 x week minutes on Tuesdays; clamshells
    2 + week % 3 sets on Thursdays."""
    entries = []
    first = UNTIL - timedelta(days=89)
    for i in range(90):
        day = first + timedelta(days=i)
        week = i // 7
        if day.weekday() in (0, 2, 4):
            entries.append(add("lunge", day, sets=3, reps=8 + week, tempo="3-1-3-0"))
        if day.weekday() == 1:
            entries.append(add("cycling", day, minutes=20 + 5 * week))
        if day.weekday() == 3:
            entries.append(add("rotation", day, exercise="clamshell", sets=2 + week % 3, reps=10))
    return entries


def canvas_rows(panel: charts.Panel) -> int:
    """Rows a frameless panel has for bars and their numbers: its height less the title, and
    for the bottom panel the date ticks and the axis label."""
    assert panel.height is not None and not panel.frame
    return panel.height - 1 - (2 if panel.xlabel else 0)


@pytest.mark.parametrize(("width", "height"), [(80, 24), (80, 23), (60, 20), (120, 36)])
def test_volume_at_the_default_size_has_tall_panels_with_each_weeks_number(
    width: int, height: int
) -> None:
    """Item 31: at 80x24 the three panels were 2 rows tall with ticks at 0 and the top only.
    Now each has at least 4 rows (a row for the numbers, three of bar), a tick between 0 and
    the top, and every week's total written above its bar."""
    spec = spec_for("volume", ninety_days(), 90, width, height)
    assert spec.message is None and spec.footnote is None
    assert len(spec.panels) == 3 and spec.bucket == "week"
    text = charts.build_text(spec, width, height)
    assert len(text.splitlines()) <= height
    blocks = text.split("\n")
    for n, panel in enumerate(spec.panels):
        assert canvas_rows(panel) >= charts.MIN_BAR_ROWS
        assert len(panel.yticks[0]) >= 3, panel.yticks  # 0, a middle one and the top
        values = panel.series[0].y
        numbers = [note.text for note in panel.notes]
        assert numbers == [str(round(v)) for v in values]  # every week, in order
        # The numbers are in the text, in the rows of this panel (between its title and the
        # next one's).
        start = next(i for i, line in enumerate(blocks) if panel.title.strip() in line)
        rows = blocks[start + 1 : start + 1 + canvas_rows(panel)]
        for number in numbers:
            assert any(f" {number} " in f" {line} " for line in rows), (n, number)
    lunge = spec.panels[0].series[0].y
    # 3 days x 3 sets x (8 + week) reps x 7 s x 2 legs / 60, whole minutes.
    assert lunge[-1] == pytest.approx(3 * 3 * (8 + 12) * 7 * 2 / 60 * 6 / 3, abs=60)


def test_volume_in_a_short_window_shows_one_kind_and_says_what_is_left_out() -> None:
    """The Trends tab has about 12 rows at 80x24: three panels cannot all be read there."""
    spec = spec_for("volume", ninety_days(), 90, 80, 12, week_start=SUNDAY)
    (panel,) = spec.panels
    # The kind's long or short name; the period says "(whole weeks)": 90 days are 12 whole
    # weeks and 6 days, and the partial first week is left out (cli.md, issue 9).
    assert panel.title.startswith(("Tempo lunges", "Lunges")), panel.title
    assert panel.title.endswith("(whole weeks)")
    assert spec.footnote is not None and "cycling and external rotation" in spec.footnote.lower()
    assert canvas_rows(panel) >= 6
    text = charts.build_text(spec, 80, 12)
    assert len(text.splitlines()) == 12 and text.splitlines()[-1] == spec.footnote
    data = charts.prepare("volume", ninety_days(), until=UNTIL, days=90, week_start=SUNDAY)
    second = charts.layout(data, 80, 12, part=1, switch_key="m")
    assert second.panels[0].title.startswith("Cycling")
    assert second.footnote == "2 of 3: press m for external rotation."
    assert charts.layout(data, 80, 12, part=3).panels[0].title.startswith(("Tempo", "Lunges"))


def test_adherence_has_two_bars_per_week_from_0_to_7() -> None:
    entries = [e for e in four_weeks() if not (e["kind"] == "checkin" and e["date"] < "2026-11-01")]
    spec = spec_for("adherence", entries, 28, 80, 24, week_start=SUNDAY)
    (panel,) = spec.panels
    checkins, exercise = panel.series
    assert checkins.y == [0.0, 7.0, 7.0, 7.0]  # no check-ins in the week of Oct 25
    # Week of Oct 25 (i = 0..6): lunges 0, 2, 4, 6; clamshells 0, 1, 2; Monday ride 1 -> 5 days;
    # every week has the same pattern shifted, so 5 days each.
    assert exercise.y == [5.0, 5.0, 5.0, 5.0]
    assert panel.yticks[0][-1] == 7.0
    text = charts.build_text(spec, 80, 24)
    assert "Days logged per week" in text and "days with a check-in" in text


def test_response_labels_carry_the_counts_and_say_association() -> None:
    text = charts.render("response", four_weeks(), until=UNTIL, days=28, width=100, height=30)
    # 28 check-ins, Oct 25 .. Nov 21; domain.md version 2 counts a day D only when D - 1 has
    # a check-in too, so Oct 25 (nothing on Oct 24) is left out: 27 days.
    # Lunges on days 0, 2, .., 26 -> check-ins on days 1, 3, .., 27 follow one: 14 and 13.
    assert "Lunges 14/13" in text
    assert "Cycling 4/23" in text  # Mondays Oct 26, Nov 2, 9, 16 -> 4 Tuesdays of 27 days
    assert "an association" in text
    assert "after exercise" in text and "after other days" in text


def one_point_apart() -> list[Entry]:
    """28 days ending on UNTIL: lunges on days 0, 2, .., 26; knee pain 3 and back pain 2 on
    the day after a lunge, 4 and 3 on the other days; no other exercise. So next-day knee pain
    is 3.0 after lunges (14 days) and 4.0 after other days (13: the first day has no check-in
    the day before, domain.md version 2), one point apart."""
    entries = []
    first = UNTIL - timedelta(days=27)
    for i in range(28):
        day = first + timedelta(days=i)
        after = i % 2 == 1
        pain = {"knee_pain": 3 if after else 4, "back_pain": 2 if after else 3}
        entries.append(add("checkin", day, **pain, clicking_left=0, clicking_right=0))
        if i % 2 == 0:
            entries.append(add("lunge", day, sets=3, reps=10, tempo="3-1-3-0"))
    return entries


def bar_rows(text: str, marker: str, title: str) -> int:
    """Rows of the first bar drawn with ``marker`` in the panel under ``title``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if title in line)
    body = []
    for line in lines[start + 1 :]:
        if "Lunges" in line:  # the group names end the panel
            break
        if " after " not in line:  # not the legend
            body.append(line)
    column = min(line.index(marker * 3) for line in body if marker * 3 in line)
    return sum(1 for line in body if len(line) > column and line[column] == marker)


@pytest.mark.parametrize(("width", "height"), [(80, 24), (60, 20), (120, 36), (80, 12)])
def test_response_writes_both_means_with_one_decimal_at_every_size(width: int, height: int) -> None:
    """Item 31: at 80x24 the bars of 1.36 points apart looked alike and the means were left
    out. Now each mean is written above its bar at every size, and a one-point difference is a
    difference in bar height."""
    text = charts.render(
        "response", one_point_apart(), until=UNTIL, days=28, width=width, height=height
    )
    top = text.split("Back pain the next day")[0]
    assert "3.0" in top and "4.0" in top  # knee pain after lunges and after other days
    assert "Lunges 14/13" in top
    assert bar_rows(text, "▒", "Knee pain the next day") > bar_rows(
        text, "█", "Knee pain the next day"
    )
    if height >= 20:
        back = text.split("Back pain the next day")[1]
        assert "2.0" in back and "3.0" in back


def test_response_means_are_rounded_half_away_from_zero() -> None:
    assert charts.one_decimal(2.25) == "2.3"  # f"{2.25:.1f}" gives 2.2
    assert charts.one_decimal(2.15) == "2.2"
    assert charts.one_decimal(2.0) == "2.0"
    assert charts.one_decimal(2.349) == "2.3"


def test_response_with_too_few_days_says_so_with_counts() -> None:
    entries = [
        add(
            "checkin",
            UNTIL - timedelta(days=i),
            knee_pain=3,
            back_pain=3,
            clicking_left=0,
            clicking_right=0,
        )
        for i in range(5)
    ]
    entries.append(add("lunge", UNTIL - timedelta(days=2), sets=1, reps=1, tempo="1-1-1"))
    text = charts.render("response", entries, until=UNTIL, days=28, width=80, height=24)
    assert text.startswith("Not enough days")
    # 5 check-ins on 5 days in a row: 4 have one the day before (version 2); one follows the lunge.
    assert "lunges 1 and 3" in text
    assert "┌" not in text


@pytest.mark.parametrize("name", charts.CHART_NAMES)
def test_an_empty_range_is_said_in_words(name: str) -> None:
    old = [
        add(
            "checkin", date(2020, 1, 1), knee_pain=1, back_pain=1, clicking_left=0, clicking_right=0
        ),
        add("cycling", date(2020, 1, 1), minutes=10),
    ]
    text = charts.render(name, old, until=UNTIL, days=28, width=80, height=24)
    assert "┌" not in text and "│" not in text
    assert "25 Oct - 21 Nov 2026" in text
    assert text.split()[0] in {"No", "Nothing", "Not"}
    assert charts.render(name, [], until=UNTIL, days=None, width=80, height=24)


@pytest.mark.parametrize("name", charts.CHART_NAMES)
@pytest.mark.parametrize("days", [28, 84, 365, None])
@pytest.mark.parametrize(("width", "height"), [(80, 24), (60, 20), (120, 30), (200, 60)])
def test_no_series_has_more_points_than_the_plot_has_columns(
    name: str, days: int | None, width: int, height: int, three_years: list[Entry]
) -> None:
    spec = spec_for(name, three_years, days, width, height)
    assert spec.message is None
    for panel in spec.panels:
        assert panel.title
        for series in panel.series:
            assert len(series.x) <= spec.columns
    # The bottom panel carries the axis label; a panel of two kinds of series has a legend
    # (in a stack, the top one: the panels below repeat its series).
    assert spec.panels[-1].xlabel
    for panel in spec.panels:
        kinds = {(s.marker, s.color) for s in panel.series if s.style != "line"}
        if len(kinds) > 1:
            assert any(s.label for p in spec.panels for s in p.series)
    text = charts.build_text(spec, width, height)
    assert max(len(line) for line in text.splitlines()) <= width
    assert len(text.splitlines()) <= height


@pytest.fixture(scope="module")
def three_years() -> list[Entry]:
    return years(3)


def test_long_ranges_are_grouped(three_years: list[Entry]) -> None:
    assert spec_for("pain", three_years, 84, 120, 30).bucket == "day"
    assert spec_for("pain", three_years, 365, 120, 30).bucket == "week"
    assert spec_for("pain", three_years, None, 120, 30).bucket == "month"
    assert spec_for("volume", three_years, None, 80, 24).bucket == "quarter"
    text = charts.render("pain", three_years, until=UNTIL, days=None, width=120, height=30)
    assert "monthly mean" in text and "month" in text


@pytest.mark.parametrize("name", charts.CHART_NAMES)
@pytest.mark.parametrize(("width", "height"), [(80, 24), (80, 12)])
def test_no_colour_codes_unless_asked(name: str, width: int, height: int) -> None:
    entries = [
        *four_weeks(),
        add("koos", UNTIL - timedelta(days=21), pain=50, function=55, qol=40),
        add("koos", UNTIL, pain=62, function=58, qol=45),
    ]
    plain = charts.render(name, entries, until=UNTIL, days=28, width=width, height=height)
    coloured = charts.render(
        name, entries, until=UNTIL, days=28, width=width, height=height, color=True
    )
    assert "\x1b" not in plain
    assert "\x1b[" in coloured


@pytest.mark.parametrize(
    ("is_tty", "environ", "wanted"),
    [
        (True, {}, True),
        (False, {}, False),  # a pipe or a file
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": "0"}, False),  # any value but the empty one (no-color.org)
        (True, {"NO_COLOR": ""}, True),
        (True, {"TERM": "dumb"}, False),
        (True, {"TERM": "xterm-256color"}, True),
    ],
)
def test_color_wanted_follows_no_color(is_tty: bool, environ: dict[str, str], wanted: bool) -> None:
    assert charts.color_wanted(is_tty, environ) is wanted


HOSTILE = "x\x1b]0;PWNED\x07\x1b[2J\rline\nforged\u202e"


@pytest.mark.parametrize("color", [False, True])
def test_chart_text_never_carries_control_characters(color: bool) -> None:
    """Item 1: whatever text a chart is given (a future title with a custom exercise name, a
    note), the terminal gets it escaped, never as an escape sequence, on one line."""
    spec = spec_for("volume", four_weeks(), 28, 80, 24)
    panels = list(spec.panels)
    first = panels[0]
    panels[0] = replace(
        first,
        title=HOSTILE,
        xlabel=HOSTILE,
        series=tuple(replace(s, label=HOSTILE) for s in first.series),
        notes=(charts.Note(0.0, 1.0, HOSTILE),),
        yticks=(first.yticks[0], [HOSTILE[:4] for _ in first.yticks[1]]),
    )
    spec = replace(spec, panels=tuple(panels), footnote=HOSTILE)
    text = charts.build_text(spec, 120, 40, color=color)
    for raw in ("\x1b]", "\x07", "\x1b[2J", "\r", "\u202e"):
        assert raw not in text
    if not color:
        assert "\x1b" not in text
    assert "\\e]0;PWNED" in text  # shown, as an escape
    assert not any(line.startswith("forged") for line in text.splitlines())
    message = charts.ChartSpec("pain", message=HOSTILE)
    assert "\x1b" not in charts.build_text(message, 80, 24, color=color)


def test_month_buckets_are_clipped_to_the_range() -> None:
    bounds = charts.bucket_bounds(date(2026, 1, 15), date(2026, 3, 10), "month")
    assert bounds == [
        (date(2026, 1, 15), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 10)),
    ]


def test_cache_redraws_without_reading_entries_again() -> None:
    calls = []

    def entries() -> list[Entry]:
        calls.append(1)
        return four_weeks()

    cache = charts.ChartCache()
    kwargs = {"until": UNTIL, "days": 28, "version": 1}
    first = cache.text("pain", entries, **kwargs, width=80, height=24)  # type: ignore[arg-type]
    again = cache.text("pain", entries, **kwargs, width=80, height=24)  # type: ignore[arg-type]
    wider = cache.text("pain", entries, **kwargs, width=100, height=24)  # type: ignore[arg-type]
    assert first == again and first != wider
    assert len(calls) == 1  # the resize re-laid out the prepared data
    cache.text("pain", entries, until=UNTIL, days=28, version=2, width=80, height=24)
    assert len(calls) == 2  # a new data version reads the entries again


def test_response_keeps_knee_pain_readable_in_a_short_terminal() -> None:
    """Two panels in 12 rows leave bars a row or two high; knee pain (cli.md's chart) stays
    alone and the last line says how to see back pain."""
    short = charts.render("response", four_weeks(), until=UNTIL, days=28, width=80, height=12)
    assert "Knee pain the next day" in short and "Back pain the next day" not in short
    assert short.splitlines()[-1].startswith("Back pain: not shown")
    back = charts.render(
        "response", four_weeks(), until=UNTIL, days=28, width=80, height=12, part=1
    )
    assert "Back pain the next day, 25 Oct - 21 Nov 2026" in back
    assert back.splitlines()[-1].startswith("Knee pain: not shown")
    tall = charts.render("response", four_weeks(), until=UNTIL, days=28, width=80, height=20)
    assert "Knee pain the next day" in tall and "Back pain the next day" in tall


def test_a_registered_chart_is_offered_by_tracker_chart(cli: Cli) -> None:
    """Adding a chart is one registration: its name becomes a choice of `tracker chart`."""

    def prepare(span: charts.Span) -> charts.ChartData:
        return span.nothing(f"Nothing to count in {span.period}.")

    def layout(data: charts.ChartData, window: charts.Window) -> charts.ChartSpec:
        raise AssertionError("a chart with a message is not laid out")

    charts.register(charts.ChartDef("count", "Count", "k", "Count chart", prepare, layout))
    try:
        assert list(charts.CHART_NAMES)[-1] == "count"
        shown = cli("chart", "count", "--days", "28")
        assert shown.code == 0, shown.err
        assert shown.out == "Nothing to count in 29 Oct - 25 Nov 2026.\n"
        with pytest.raises(ValueError, match="belongs to another chart"):
            charts.register(charts.ChartDef("other", "Other", "k", "", prepare, layout))
    finally:
        charts.unregister("count")
    refused = cli("chart", "count")
    assert refused.code == 2 and "invalid choice: 'count'" in refused.err


def test_response_labels_carry_the_adjusted_difference_where_they_fit() -> None:
    # domain.md version 2: the fit adjusts for the day before and the trend. Pain the day after
    # a lunge is a point lower, with a wobble (without it the pain of the day before would
    # say exactly which days followed a lunge, and the fit would be singular: no interval).
    wobble = random.Random(3)
    entries = [
        {**e, "knee_pain": e["knee_pain"] + wobble.choice([0, 1])} if e["kind"] == "checkin" else e
        for e in one_point_apart()
    ]
    wide = charts.render("response", entries, until=UNTIL, days=28, width=160, height=36)
    assert re.search(r"Lunges 14/13 · -[01]\.\d \(", wide), wide
    # Spelled out: the chart stands alone, with nothing around it to say what CI means.
    assert "adjusted difference (99.2 % confidence interval)" in wide
    narrow = charts.render("response", entries, until=UNTIL, days=28, width=80, height=24)
    assert "Lunges 14/13" in narrow and "·" not in narrow  # no room: counts only
    exact = one_point_apart()
    singular = charts.render("response", exact, until=UNTIL, days=28, width=160, height=36)
    assert "Lunges 14/13" in singular and "·" not in singular


@pytest.mark.parametrize("name", ["volume", "adherence"])
def test_no_weekly_bar_holds_a_day_before_the_range(name: str) -> None:
    # 90 days ending on Saturday 21 Nov begin on Monday 24 Aug. With weeks starting on Sunday
    # the first would begin on 23 Aug, a day before the range: it is left out (12 bars, not
    # 13) and the title says so (cli.md "Charts").
    first_day = UNTIL - timedelta(days=89)
    weeks = charts.bucket_bounds(first_day, UNTIL, "week", SUNDAY)
    assert len(weeks) == 12 and weeks[0][0] == first_day + timedelta(days=6)
    data = charts.prepare(name, ninety_days(), until=UNTIL, days=90, week_start=SUNDAY)
    spec = charts.layout(data, 100, 40)
    assert spec.bucket == "week"
    assert spec.panels[0].xlim == (-0.5, 11.5)
    assert spec.panels[0].title.endswith("30 Aug - 21 Nov 2026 (whole weeks)")
    assert spec.panels[-1].xlabel == "week starting Sunday"


@pytest.mark.parametrize("name", ["volume", "adherence"])
def test_a_range_that_begins_on_a_monday_has_only_whole_weeks_but_the_last(name: str) -> None:
    first_day = UNTIL - timedelta(days=89)
    assert first_day.weekday() == MONDAY
    weeks = charts.bucket_bounds(first_day, UNTIL, "week")
    assert len(weeks) == 13 and weeks[0] == (first_day, first_day + timedelta(days=6))
    assert weeks[-1] == (date(2026, 11, 16), UNTIL)  # this week so far: Monday to Saturday
    spec = charts.layout(charts.prepare(name, ninety_days(), until=UNTIL, days=90), 100, 40)
    assert spec.panels[0].xlim == (-0.5, 12.5)
    assert spec.panels[0].title.endswith("24 Aug - 21 Nov 2026")
    assert spec.panels[-1].xlabel.endswith("the last week so far: 6 days")


@pytest.mark.parametrize("week_start", range(7))
def test_every_week_bar_begins_on_the_chosen_weekday(week_start: int) -> None:
    first_day = UNTIL - timedelta(days=83)
    weeks = charts.bucket_bounds(first_day, UNTIL, "week", week_start)
    assert all(first.weekday() == week_start for first, _ in weeks)
    assert all(first_day <= first <= last <= UNTIL for first, last in weeks)
    assert weeks[-1][1] == UNTIL  # the latest week is always there
    assert all((last - first).days == 6 for first, last in weeks[:-1])


@pytest.mark.parametrize("name", ["volume", "adherence"])
def test_a_bar_of_months_says_so_in_its_title_and_on_its_axis(
    name: str, three_years: list[Entry]
) -> None:
    """Issue 14: the volume chart's title said "per week" while the axis said "month"."""
    spec = spec_for(name, three_years, 365, 60, 24)
    assert spec.bucket == "month"
    assert spec.panels[-1].xlabel == "month"
    assert all("per week, monthly average" in p.title for p in spec.panels)


def test_a_chart_is_drawn_the_same_in_every_run(cli: Cli, data_dir: Path) -> None:
    """Python salts string hashes per process: labels once came out differently from run to
    run (two ticks on neighbouring weeks, thinned by plotext in hash order)."""
    assert cli("demo", "--days", "120").code == 0
    command = [TRACKER, "--data", str(data_dir), "chart", "pain", "--width", "78"]
    drawn = {
        subprocess.run(
            [*command, "--height", "17", "--days", "84"],
            env=subprocess_env(PYTHONHASHSEED=str(seed)),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2, 5)
    }
    assert len(drawn) == 1
    ticks = [line for line in next(iter(drawn)).splitlines() if "Nov" in line and "Oct" in line]
    assert ticks and all("  " in line for line in ticks)


def test_progression_marks_flagged_days_and_shows_alignment_only_when_logged() -> None:
    until = date(2026, 3, 10)
    entries = [
        add(
            "checkin",
            until - timedelta(days=i),
            knee_pain=2,
            back_pain=1,
            clicking_left=0,
            clicking_right=0,
        )
        for i in range(12)
    ]
    entries.append(add("lunge", date(2026, 3, 5), sets=3, reps=10, tempo="3-1-3", pain_during=7))
    data = charts.prepare("progression", entries, until=until, days=7)
    spec = charts.layout(data, 120, 30)
    did, felt = spec.panels
    assert len(did.series) == 4  # seconds per rep, reps, sets, time under tension
    assert "alignment" not in did.title
    # 5 Mar is the 2nd day of the 7 (4-10 Mar): its "!" stands at the top of the 0-10 axis.
    flags = [s for s in felt.series if s.marker == "!"]
    assert [(s.x, s.y) for s in flags] == [([1.0], [10.0])]
    assert "knee pain during 7" in felt.title and "! 1 day flagged" in felt.title
    aligned = [
        *entries,
        {**add("lunge", date(2026, 3, 6), sets=3, reps=10, tempo="3-1-3"), "alignment": "most"},
    ]
    data = charts.prepare("progression", aligned, until=until, days=7)
    assert "alignment (3 = all reps) 2" in charts.layout(data, 160, 30).panels[0].title
