"""The Trends screen from the keyboard: charts, range switch, insights, redraws and the cache."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, Static, TabbedContent

from tracker import charts
from tracker.demo import demo_entries
from tracker.records import Entry, new_entry
from tracker.store import Store
from tracker.tui.app import TrackerApp, create_app
from tracker.tui.screens.trends import ChartView, TrendsScreen

TODAY = date(2026, 11, 25)
STAMP = "2026-11-25T08:00:00+00:00"


def diary() -> list[Entry]:
    """Five weeks: back pain 5 until Nov 18, then 2 (Nov 19-25); knee 3; clicking 1 and 2;
    tempo lunges every other day, 30 min of cycling on Mondays, clamshells daily."""
    entries = []
    for i in range(35):
        day = TODAY - timedelta(days=34 - i)
        back = 5 if day <= TODAY - timedelta(days=7) else 2
        values: dict[str, Any] = {"date": day.isoformat()}
        checkin = {"knee_pain": 3, "back_pain": back, "clicking_left": 1, "clicking_right": 2}
        entries.append(new_entry("checkin", {**values, **checkin}, today=TODAY, now=STAMP))
        if i % 2 == 0:
            lunge = {"sets": 3, "reps": 10, "tempo": "3-1-3-0", "pain_during": 2}
            entries.append(new_entry("lunge", {**values, **lunge}, today=TODAY, now=STAMP))
        if day.weekday() == 0:
            entries.append(new_entry("cycling", {**values, "minutes": 30}, today=TODAY, now=STAMP))
        rotation = {"exercise": "clamshell", "sets": 3, "reps": 12}
        entries.append(new_entry("rotation", {**values, **rotation}, today=TODAY, now=STAMP))
    return entries


def seeded(folder: Path) -> Path:
    Store(folder, today=lambda: TODAY).import_entries(diary())
    return folder


@asynccontextmanager
async def trends(
    folder: Path, size: tuple[int, int] = (120, 40)
) -> AsyncIterator[tuple[TrackerApp, Pilot[int], TrendsScreen]]:
    app = create_app(folder, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, TrendsScreen)
        yield app, pilot, app.screen


def chart_text(screen: TrendsScreen, name: str) -> str:
    view = screen.query_one(f"#chart-{name}", ChartView)
    rendered = view.render()
    assert isinstance(rendered, Text)
    return rendered.plain


def insights(screen: TrendsScreen) -> str:
    return str(screen.query_one("#trends-insight-text", Static).render())


async def test_opens_on_the_pain_chart_with_insights_in_sentences(tmp_path: Path) -> None:
    async with trends(seeded(tmp_path)) as (_app, _pilot, screen):
        assert screen.active_chart == "pain"
        text = chart_text(screen, "pain")
        assert "Knee and back pain, 3 Sep - 25 Nov 2026" in text  # 12 weeks by default
        assert "knee, daily" in text and "0-10" in text
        said = insights(screen)
        # domain.md version 2: the week against the week before, without bands.
        assert (
            "Back pain this week: 2.0 (7 check-ins) against 5.0 last week (7), -3.0 points" in said
        )
        # Five weeks: the first two against the last two. Knee pain never changed.
        assert (
            "Knee pain: 3.0 in the last two weeks (14 check-ins) against 3.0 in the first two "
            "(14), 0.0 points" in said
        )
        knee = next(line for line in said.splitlines() if line.startswith("• Knee pain: 3.0"))
        assert knee.endswith("within day-to-day variation.")
        assert "An association, not proof of cause" in said
        # 34 days have a check-in the day before; lunges on every other day: 17 and 17.
        assert (
            "Next-day knee pain after tempo lunges: 3.0 against 3.0 after other days "
            "(17 days after tempo lunges, 17 after other days)" in said
        )


async def test_range_keys_change_the_charts_and_the_range_bar(tmp_path: Path) -> None:
    async with trends(seeded(tmp_path)) as (_app, pilot, screen):
        await pilot.press("w")
        await pilot.pause()
        assert screen.range_key == "4w"
        assert "Knee and back pain, 29 Oct - 25 Nov 2026" in chart_text(screen, "pain")
        await pilot.press("r")
        await pilot.pause()
        assert screen.range_key == "12w"
        await pilot.press("a")
        await pilot.pause()
        # All history starts on the first entry, Oct 22.
        assert "22 Oct - 25 Nov 2026" in chart_text(screen, "pain")
        # The range in force is marked, and only it.
        marked = [link.id for link in screen.query("#trends-range ActionLink.-active")]
        assert marked == ["range-all"]


async def test_chart_keys_switch_tabs(tmp_path: Path) -> None:
    async with trends(seeded(tmp_path)) as (_app, pilot, screen):
        for key, name, words in (
            ("v", "volume", "lunges: time under tension in minutes per week"),
            ("d", "adherence", "Days logged per week"),
            ("n", "response", "Knee pain the next day"),
            ("c", "clicking", "Sometimes"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert screen.active_chart == name
            assert screen.query_one("#trends-tabs", TabbedContent).active == f"tab-{name}"
            assert words in chart_text(screen, name)


async def test_at_80x24_the_chart_has_the_room_and_volume_shows_every_panel(
    tmp_path: Path,
) -> None:
    """Issue 14: at 80x24 the chart got 5-6 rows under the insights. It takes the screen's room
    now (the insights wait behind a line and a key), so the three volume panels and both
    response panels show at once, each with its numbers."""
    async with trends(seeded(tmp_path), size=(80, 24)) as (_app, pilot, screen):
        await pilot.press("w", "v")
        await pilot.pause()
        view = screen.query_one("#chart-volume", ChartView)
        assert view.size.height >= 16
        text = chart_text(screen, "volume")
        for title in (
            "Lunges: min under tension",
            "Cycling: minutes per week",
            "External rotation",
        ):
            assert title in text
        assert "press m" not in text
        await pilot.press("n")
        await pilot.pause()
        text = chart_text(screen, "response")
        assert "Knee pain the next day" in text and "Back pain the next day" in text


async def test_a_short_window_shows_volume_and_response_a_panel_at_a_time(
    tmp_path: Path,
) -> None:
    """Item 31: a chart area of 12 rows is too few for three volume panels (they were drawn 0
    rows tall) or two response panels. One panel shows at a time, with every week's number or
    both means written on it and a last line saying which key shows the next."""
    async with trends(seeded(tmp_path), size=(80, 18)) as (_app, pilot, screen):
        await pilot.press("w", "v")
        await pilot.pause()
        text = chart_text(screen, "volume")
        # 80 columns: the short title, which abbreviates only what the full one spells out.
        assert "Lunges: min under tension per week" in text
        # Weeks of Oct 29 .. Nov 25 (Wed-Tue): lunges on 4, 3, 4, 3 days x 7 min.
        numbers = text.split("week starting")[0]
        for number in ("28", "21"):
            assert f" {number} " in numbers
        assert text.rstrip().endswith("1 of 3: press m for cycling.")
        await pilot.press("m")
        await pilot.pause()
        text = chart_text(screen, "volume")
        assert "Cycling: minutes per week" in text and " 30 " in text
        assert text.rstrip().endswith("2 of 3: press m for external rotation.")
        await pilot.press("n")
        await pilot.pause()
        text = chart_text(screen, "response")
        assert "Knee pain the next day" in text and "Back pain" not in text.split("\n")[0]
        assert " 3.0 " in text  # knee pain 3 every day: both means written, one decimal
        assert text.rstrip().endswith("1 of 2: press m for back pain.")
        await pilot.press("m")
        await pilot.pause()
        assert "Back pain the next day" in chart_text(screen, "response")


async def test_no_color_draws_the_charts_without_colour(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 29: NO_COLOR (no-color.org) turns Textual's colours grey; the charts drop theirs."""
    async with trends(seeded(tmp_path)) as (_app, _pilot, screen):
        view = screen.query_one("#chart-pain", ChartView)
        coloured = view.render()
        assert isinstance(coloured, Text) and any(span.style for span in coloured.spans)
    monkeypatch.setenv("NO_COLOR", "1")
    async with trends(seeded(tmp_path / "again")) as (app, _pilot, screen):
        assert app.no_color
        view = screen.query_one("#chart-pain", ChartView)
        plain = view.render()
        assert isinstance(plain, Text) and not plain.spans
        assert "Knee and back pain" in plain.plain


async def test_a_new_entry_redraws_charts_and_insights(tmp_path: Path) -> None:
    async with trends(seeded(tmp_path)) as (app, pilot, screen):
        await pilot.press("w")
        await pilot.pause()
        before = chart_text(screen, "pain")
        # Knee pain 9 replaces today's 3.
        app.store.add(
            "checkin",
            {"knee_pain": 9, "back_pain": 2, "clicking_left": 1, "clicking_right": 2},
            replace=True,
        )
        app.data_changed()
        await pilot.pause()
        assert chart_text(screen, "pain") != before
        # This week's knee pain: (6 x 3 + 9) / 7 = 3.86 -> 3.9, against 3.0: +0.9.
        assert (
            "Knee pain this week: 3.9 (7 check-ins) against 3.0 last week (7), +0.9 points"
            in insights(screen)
        )


async def test_repaints_come_from_the_cache_and_resizes_reuse_prepared_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"prepare": 0, "build": 0}

    def counting(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(charts, "prepare", counting("prepare", charts.prepare))
    monkeypatch.setattr(charts, "build_text", counting("build", charts.build_text))
    async with trends(seeded(tmp_path)) as (_app, pilot, screen):
        view = screen.query_one("#chart-pain", ChartView)
        view.render()
        counted = dict(calls)
        view.refresh()
        await pilot.pause()
        view.render()
        assert calls == counted  # same size, theme, range and data: nothing rebuilt
        await pilot.resize_terminal(100, 36)
        await pilot.pause()
        view.render()
        assert calls["prepare"] == counted["prepare"]  # the day-by-day data was kept
        assert calls["build"] > counted["build"]  # the figure was rebuilt at the new size


async def test_an_empty_diary_says_what_to_do_instead_of_drawing_frames(tmp_path: Path) -> None:
    async with trends(tmp_path) as (_app, _pilot, screen):
        text = chart_text(screen, "pain")
        assert text.startswith(
            "Charts need a few days of check-ins: press 1 for Today, then s each evening"
        )
        assert "(none yet)" in text
        assert "No check-ins in 3 Sep - 25 Nov 2026" in text  # and what the chart itself says
        assert "┌" not in text
        assert "Nothing to compare yet" in insights(screen)


def test_bindings_carry_ids_and_descriptions() -> None:
    for binding in TrendsScreen.BINDINGS:
        assert getattr(binding, "id", None), binding
        assert getattr(binding, "description", ""), binding


class TestTrendsSnapshot:
    def test_pain_chart_12_weeks(self, snap_compare: Any, tmp_path: Path) -> None:
        app = create_app(seeded(tmp_path), today=TODAY)

        async def run_before(pilot: Pilot[int]) -> None:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("3")
            await pilot.pause()

        assert snap_compare(app, run_before=run_before, terminal_size=(120, 34))

    def test_volume_chart_4_weeks(self, snap_compare: Any, tmp_path: Path) -> None:
        app = create_app(seeded(tmp_path), today=TODAY)

        async def run_before(pilot: Pilot[int]) -> None:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("3", "w", "v")
            await pilot.pause()

        assert snap_compare(app, run_before=run_before, terminal_size=(120, 34))

    @pytest.mark.parametrize("size", [(80, 24), (120, 36)])
    def test_progression_chart_with_demo_data(
        self, snap_compare: Any, tmp_path: Path, size: tuple[int, int]
    ) -> None:
        Store(tmp_path, today=lambda: TODAY).import_entries(demo_entries(120, 1, TODAY))
        app = create_app(tmp_path, today=TODAY)

        async def run_before(pilot: Pilot[int]) -> None:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("3", "o")
            await pilot.pause()

        assert snap_compare(app, run_before=run_before, terminal_size=size)

    @pytest.mark.parametrize(
        "keys",
        [("3", "s"), ("3", "d"), ("k",), ("p", "l"), ("v",)],
        ids=[
            "questionnaires_chart",
            "days_logged_with_plan",
            "questionnaire_chooser",
            "plan_form",
            "event_form",
        ],
    )
    def test_demo_data_at_80x24(
        self, snap_compare: Any, tmp_path: Path, keys: tuple[str, ...]
    ) -> None:
        """The questionnaires' chart, the Days-logged chart with the plan's share below it,
        Today's questionnaire chooser, the plan form and the event form, as a patient sees them
        in the usual terminal (the user guide shows copies)."""
        from test_contrast import shown

        Store(tmp_path, today=lambda: TODAY).import_entries(demo_entries(120, 1, TODAY))
        app = create_app(tmp_path, today=TODAY)

        async def run_before(pilot: Pilot[int]) -> None:
            await shown(pilot, *keys)
            for field in pilot.app.screen.query(Input):  # a blinking cursor: a flaky picture
                field.cursor_blink = False
            await pilot.pause()

        assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


async def test_o_shows_the_progression_of_each_exercise_in_turn(tmp_path: Path) -> None:
    """The 80x24 screen has room for one exercise: m shows the next, the last line says so."""
    async with trends(seeded(tmp_path), size=(80, 24)) as (_app, pilot, screen):
        await pilot.press("o")
        await pilot.pause()
        text = chart_text(screen, "progression")
        # 3 x 10 reps at 3-1-3-0, both legs: 3 x 10 x 7 s x 2 = 7 minutes under tension.
        assert "Lunges: • seconds per rep 7 · x reps 10 · + sets 3 · o min under tension 7" in text
        assert "knee pain during 2" in text and "no day flagged" in text
        assert "1 of 3: press m for cycling." in text
        await pilot.press("m")
        await pilot.pause()
        assert "Cycling: • minutes 30" in chart_text(screen, "progression")


async def test_R_saves_the_report_of_the_range_shown_and_says_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(home / "Documents"))
    async with trends(seeded(tmp_path / "data")) as (app, pilot, _screen):
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        saved = home / "Documents" / "tracker-report-2026-11-25.html"
        assert saved.is_file() and oct(saved.stat().st_mode & 0o777) == "0o600"
        page = saved.read_text()
        assert "Progress report: 3 Sep 2026 to 25 Nov 2026" in page  # 12 weeks: the range shown
        messages = [str(n.message) for n in app._notifications]
        assert any(f"Saved report to {saved}" in message for message in messages)


async def test_the_palette_offers_the_report_from_any_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no Documents folder: the home folder
    (tmp_path / "home").mkdir()
    app = create_app(seeded(tmp_path / "data"), today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+p")
        await pilot.pause()
        for key in "report":
            await pilot.press(key)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        saved = tmp_path / "home" / "tracker-report-2026-11-25.html"
        assert saved.is_file()
        assert "Progress report: 29 Oct 2026 to 25 Nov 2026" in saved.read_text()  # 4 weeks
