"""Today, History and Trends for everyday use (issue 14): periods, clicks, empty states, words.

Today is fixed on Wednesday 25 November 2026, so "last week" is Mon 16 - Sun 22 November
(Sun 15 - Sat 21 with weeks starting on Sunday) and "last month" is October.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from tracker.records import new_entry
from tracker.settings import Settings
from tracker.store import Store
from tracker.tui.app import TrackerApp, create_app
from tracker.tui.format import LABEL_WIDTH, entry_card, shorten, wrap
from tracker.tui.screens.history import HistoryScreen
from tracker.tui.screens.today import TodayScreen
from tracker.tui.screens.trends import ChartView, TrendsScreen
from tracker.tui.widgets.entry_table import EntryTable
from tracker.tui.widgets.link import ActionLink

TODAY = date(2026, 11, 25)  # a Wednesday
STAMP = "2026-11-25T08:00:00+00:00"
CHECKIN = {"knee_pain": 3, "back_pain": 2, "clicking_left": 1, "clicking_right": 0}
CYCLING = {"minutes": 30, "effort": 4}
LONG_ROTATION = {
    "exercise": "side_lying_hip_er",
    "sets": 3,
    "reps": 12,
    "side": "both",
    "hold_s": 4,
    "band": "red",
    "effort": 4,
    "pain_during": 1,
}


def day(offset: int) -> str:
    return (TODAY - timedelta(days=offset)).isoformat()


def seed(folder: Path, *entries: tuple[str, dict[str, Any]]) -> Path:
    Store(folder, today=lambda: TODAY).import_entries(
        [new_entry(kind, values, today=TODAY, now=STAMP) for kind, values in entries]
    )
    return folder


def daily_cycling(folder: Path, days: int = 70) -> Path:
    """Cycling every day from ``days - 1`` days ago to today."""
    return seed(folder, *[("cycling", {**CYCLING, "date": day(n)}) for n in range(days)])


@asynccontextmanager
async def running(
    folder: Path, size: tuple[int, int] = (80, 24), settings: Settings | None = None
) -> AsyncIterator[tuple[TrackerApp, Pilot[int]]]:
    app = create_app(folder, today=TODAY, settings=settings)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        yield app, pilot


async def press(pilot: Pilot[int], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def rows(app: TrackerApp) -> list[str]:
    """The screen as a terminal shows it, a string per row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def filter_dates(app: TrackerApp) -> tuple[str, str]:
    screen = app.screen
    return (
        screen.query_one("#filter-from", Input).value,
        screen.query_one("#filter-to", Input).value,
    )


def table_dates(app: TrackerApp) -> list[str]:
    table = app.screen.query_one(EntryTable)
    return [entry["date"] for entry in table._rows]


def table_text(app: TrackerApp) -> str:
    table = app.screen.query_one(EntryTable)
    return "\n".join("".join(s.text for s in table.render_line(y)) for y in range(12))


def count_line(app: TrackerApp) -> str:
    return str(app.screen.query_one("#filter-count", Static).render())


# ---------------------------------------------------------------- History: periods


@pytest.mark.parametrize(
    ("key", "first", "last"),
    [
        ("7", "2026-11-19", "2026-11-25"),
        ("w", "2026-11-23", "2026-11-25"),
        ("W", "2026-11-16", "2026-11-22"),
        ("m", "2026-11-01", "2026-11-25"),
        ("M", "2026-10-01", "2026-10-31"),
    ],
)
async def test_each_period_has_a_key_and_shows_its_days(
    tmp_path: Path, key: str, first: str, last: str
) -> None:
    async with running(daily_cycling(tmp_path)) as (app, pilot):
        await press(pilot, "2", key)
        shown = table_dates(app)
        assert (shown[-1], shown[0]) == (first, last)  # newest first
        assert len(shown) == (date.fromisoformat(last) - date.fromisoformat(first)).days + 1
        assert f"{len(shown)} of 70 entries" in count_line(app)


async def test_last_week_is_two_keys_from_any_screen(tmp_path: Path) -> None:
    async with running(daily_cycling(tmp_path)) as (app, pilot):
        await press(pilot, "3")  # start on Trends
        await press(pilot, "2", "W")
        assert isinstance(app.screen, HistoryScreen)
        assert filter_dates(app) == ("16 Nov 2026", "22 Nov 2026")
        assert table_dates(app)[0] == "2026-11-22" and table_dates(app)[-1] == "2026-11-16"
        marked = [link.id for link in app.screen.query("#history-periods ActionLink.-active")]
        assert marked == ["period-last-week"]


async def test_a_week_starts_on_the_day_the_settings_say(tmp_path: Path) -> None:
    settings = Settings(week_start="sunday", welcome=False)
    async with running(daily_cycling(tmp_path), settings=settings) as (app, pilot):
        await press(pilot, "2", "W")
        assert filter_dates(app) == ("15 Nov 2026", "21 Nov 2026")
        await press(pilot, "w")
        assert filter_dates(app) == ("22 Nov 2026", "25 Nov 2026")


async def test_p_steps_through_the_periods_and_x_clears_them(tmp_path: Path) -> None:
    async with running(daily_cycling(tmp_path)) as (app, pilot):
        await press(pilot, "2")
        seen = []
        for _ in range(6):
            await press(pilot, "p")
            [active] = app.screen.query("#history-periods ActionLink.-active")
            seen.append(active.id)
        assert seen == [
            "period-last-7-days",
            "period-this-week",
            "period-last-week",
            "period-this-month",
            "period-last-month",
            "period-last-7-days",
        ]
        await press(pilot, "x")
        assert filter_dates(app) == ("", "")
        assert len(table_dates(app)) == 70
        assert not app.screen.query("#history-periods ActionLink.-active")


async def test_a_period_is_a_link_that_can_be_clicked(tmp_path: Path) -> None:
    async with running(daily_cycling(tmp_path)) as (app, pilot):
        await press(pilot, "2")
        await pilot.click("#period-last-month")
        await pilot.pause()
        assert filter_dates(app) == ("1 Oct 2026", "31 Oct 2026")
        assert len(table_dates(app)) == 31
        await pilot.click("#period-last-7-days")
        await pilot.pause()
        assert filter_dates(app) == ("19 Nov 2026", "25 Nov 2026")


async def test_the_period_row_fits_80_and_60_columns(tmp_path: Path) -> None:
    for width in (80, 60):
        async with running(daily_cycling(tmp_path / str(width)), size=(width, 24)) as (app, pilot):
            await press(pilot, "2")
            row = next(r for r in rows(app) if "Last 7 days" in r)
            assert "Last month" in row, (width, row)


# ---------------------------------------------------------------- History: dates as typed


async def test_the_date_fields_take_dates_as_people_type_them(tmp_path: Path) -> None:
    async with running(daily_cycling(tmp_path)) as (app, pilot):
        await press(pilot, "2", "f", "tab")
        await pilot.press(*"fri")  # an "f" typed in a date field is a letter, not "Filter"
        await press(pilot, "tab")
        await pilot.press(*"yesterday")
        await press(pilot, "enter")
        assert filter_dates(app) == ("fri", "yesterday")
        assert table_dates(app) == ["2026-11-24", "2026-11-23", "2026-11-22", "2026-11-21", day(5)]
        assert isinstance(app.screen.focused, EntryTable)


async def test_the_date_order_of_the_settings_reads_numeric_dates(tmp_path: Path) -> None:
    settings = Settings(date_order="month/day/year", welcome=False)
    async with running(daily_cycling(tmp_path), settings=settings) as (app, pilot):
        await press(pilot, "2", "f", "tab")
        await pilot.press(*"11/20")
        await press(pilot, "tab")
        await pilot.press(*"11/21")
        await pilot.pause()
        assert table_dates(app) == ["2026-11-21", "2026-11-20"]


async def test_a_date_that_cannot_be_read_is_named_in_one_line(tmp_path: Path) -> None:
    async with running(daily_cycling(tmp_path)) as (app, pilot):
        await press(pilot, "2", "f", "tab", "tab")
        await pilot.press(*"32 nov")
        await pilot.pause()
        line = count_line(app)
        assert line == "To must be a day up to today, such as 24 Nov, 24/11, yesterday or -3"
        assert app.screen.query_one("#filter-to", Input).has_class("-invalid-date")
        # The whole line is on screen at 80 columns.
        assert any(line in row for row in rows(app))


# ---------------------------------------------------------------- empty states


async def test_a_fresh_history_says_how_to_log_not_that_a_filter_failed(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "2")
        text = " ".join(table_text(app).split())
        assert "Nothing logged yet. Press 1 for Today, then s for the check-in or l, c, r" in text
        assert "No entries match" not in text


async def test_a_filter_without_match_says_what_it_asked_and_how_to_clear_it(
    tmp_path: Path,
) -> None:
    seed(tmp_path, ("cycling", {**CYCLING, "date": day(0)}))
    async with running(tmp_path, size=(120, 30)) as (app, pilot):
        await press(pilot, "2", "W")
        text = " ".join(table_text(app).split())
        assert "No entries between Mon 16 Nov 2026 and Sun 22 Nov 2026 (x clears the filter)." in (
            text
        )
        await press(pilot, "x", "k")  # lunges only, any date
        text = " ".join(table_text(app).split())
        assert "No entries of tempo lunges (x clears the filter)." in text
        await press(pilot, "x")
        assert table_dates(app) == [day(0)]


async def test_an_empty_day_on_today_says_what_to_press(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        prompts = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        words = " ".join(prompts)
        assert "Nothing logged today yet. Press s for the check-in" in words
        assert "press l, c or r to log tempo lunges, cycling or external rotation" in words
        await press(pilot, "left")
        prompts = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert "Nothing logged on Tue 24 Nov 2026 yet." in " ".join(prompts)


async def test_trends_with_too_few_check_ins_says_what_charts_need(tmp_path: Path) -> None:
    seed(
        tmp_path,
        ("checkin", {**CHECKIN, "date": day(1)}),
        ("checkin", {**CHECKIN, "date": day(0)}),
    )
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        await press(pilot, "3")
        screen = app.screen
        assert isinstance(screen, TrendsScreen)
        chart = screen.query_one("#chart-pain", ChartView).render()
        text = " ".join(str(chart).split())
        assert text.startswith("Charts need a few days of check-ins: press 1 for Today, then s")
        assert "(2 so far)" in text
        insights = str(screen.query_one("#trends-insight-text", Static).render())
        assert "Nothing to compare yet" in insights


# ---------------------------------------------------------------- the mouse


async def test_the_day_arrows_and_back_to_today_are_clicked(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        # On today there is no later day: no arrow to it, and no way "back".
        assert not screen.query_one("#day-next", ActionLink).visible
        assert not screen.query_one("#day-today", ActionLink).display
        await pilot.click("#day-previous")
        await pilot.click("#day-previous")
        await pilot.pause()
        assert screen.day == TODAY - timedelta(days=2)
        assert screen.query_one("#day-next", ActionLink).visible
        await pilot.click("#day-next")
        await pilot.pause()
        assert screen.day == TODAY - timedelta(days=1)
        assert any("Tuesday 24 November 2026" in row for row in rows(app))
        await pilot.click("#day-today")
        await pilot.pause()
        assert screen.day == TODAY
        assert not screen.query_one("#day-today", ActionLink).display


async def test_trends_ranges_and_tabs_switch_on_click(tmp_path: Path) -> None:
    async with running(daily_cycling(tmp_path)) as (app, pilot):
        await press(pilot, "3")
        screen = app.screen
        assert isinstance(screen, TrendsScreen)
        await pilot.click("#range-4w")
        await pilot.pause()
        assert screen.range_key == "4w"
        assert screen.query_one("#range-4w").has_class("-active")
        await pilot.click("#range-all")
        await pilot.pause()
        assert screen.range_key == "all"
        await pilot.click("#--content-tab-tab-volume")
        await pilot.pause()
        assert screen.active_chart == "volume"


# ---------------------------------------------------------------- Trends at 80x24


async def test_at_80x24_the_chart_is_tall_and_the_insights_are_behind_i(tmp_path: Path) -> None:
    async with running(daily_cycling(tmp_path)) as (app, pilot):
        await press(pilot, "3")
        screen = app.screen
        assert isinstance(screen, TrendsScreen)
        view = screen.query_one("#chart-pain", ChartView)
        assert view.size.height >= 16  # was 5-6 rows under the insights
        link = next(row for row in rows(app) if "Insights:" in row)
        assert "(i to read them)" in link
        await press(pilot, "i")
        screen_text = "\n".join(rows(app))
        assert "Back to the chart (i)" in screen_text
        assert "•" in screen_text  # the sentences, where the chart was
        assert not screen.query_one("#trends-tabs").display
        await pilot.click("#trends-insights-link")
        await pilot.pause()
        assert screen.query_one("#trends-tabs").display
        assert not screen.has_class("-insights")


async def test_a_tall_terminal_shows_chart_and_insights_together(tmp_path: Path) -> None:
    async with running(daily_cycling(tmp_path), size=(100, 40)) as (app, pilot):
        await press(pilot, "3")
        screen = app.screen
        assert screen.query_one("#trends-insights").display
        assert not screen.query_one("#trends-insights-link").display


# ---------------------------------------------------------------- words on screen


def test_a_note_is_shortened_after_a_whole_word() -> None:
    assert shorten("Stairs were hard today", 17) == "Stairs were hard…"
    assert shorten("Ok, stiffness in the morning", 12) == "Ok…"  # not "Ok, stiffne…"
    assert shorten("Short", 12) == "Short"
    sentence = "Knee stiff after the long walk to the shops"
    for width in range(5, len(sentence)):
        cut = shorten(sentence, width)
        assert len(cut) <= width and cut.endswith("…")
        kept = cut[:-1].split(" ")
        assert kept == sentence.split(" ")[: len(kept)], cut


def test_lines_wrap_at_words_and_figures() -> None:
    assert wrap("3 × 12 each leg · tempo 6-0-4-0 · time under tension 12:00", 53, (" · ", " ")) == [
        "3 × 12 each leg · tempo 6-0-4-0",
        "time under tension 12:00",
    ]
    assert wrap("a very long note that goes on", 12) == ["a very long", "note that", "goes on"]


async def test_history_cuts_a_note_after_a_whole_word(tmp_path: Path) -> None:
    note = "Knees stiff after climbing stairs at the station"
    seed(tmp_path, ("cycling", {**CYCLING, "date": day(0), "notes": note}))
    async with running(tmp_path, size=(80, 24)) as (app, pilot):
        await press(pilot, "2")
        row = table_text(app).splitlines()[1]
        shown = row[row.index("Knees") :].strip()
        assert shown.endswith("…")
        words = shown[:-1].split(" ")
        assert words == note.split(" ")[: len(words)]  # whole words only


@pytest.mark.parametrize("width", [60, 70, 80])
async def test_today_card_lines_hang_under_their_text(tmp_path: Path, width: int) -> None:
    note = "Did these slowly in front of the mirror, keeping the knee over the toes " * 3
    seed(tmp_path, ("rotation", {**LONG_ROTATION, "date": day(0), "notes": note}))
    async with running(tmp_path, size=(width, 24)) as (app, pilot):
        await pilot.pause()
        box = [row for row in rows(app) if row.lstrip().startswith("│")]
        inside = [row.split("│")[1] for row in box]
        label_rows = [line for line in inside if line.strip().startswith("External rotation")]
        assert len(label_rows) == 1
        start = inside.index(label_rows[0])
        card = [line for line in inside[start:] if line.strip()]
        text_column = 1 + LABEL_WIDTH  # the box's padding, then the label's column
        for line in card[1:]:
            assert line[:text_column].strip() == "", (width, line)  # never back at column 0
        words = " ".join(line.strip() for line in card)
        assert "Side-lying hip external rotation" in words and "red band" in words
        assert "side_lying" not in words
        # The note: at most three lines, ending after a whole word.
        note_lines = [line.strip() for line in card if "“" in line or line.strip().endswith("…")]
        assert note_lines[-1].endswith("…")
        last_words = note_lines[-1][:-1].split(" ")
        assert all(word in note for word in last_words)


def test_entry_card_without_width_keeps_a_line_per_figure_line() -> None:
    entry = new_entry("rotation", {**LONG_ROTATION, "date": day(0)}, today=TODAY, now=STAMP)
    lines = entry_card("External rotation", entry).plain.splitlines()
    assert len(lines) == 2
    wrapped = entry_card("External rotation", entry, 60).plain.splitlines()
    assert len(wrapped) > 2
    assert all(len(line) <= 60 for line in wrapped)
    assert all(line.startswith(" " * LABEL_WIDTH) for line in wrapped[1:])
