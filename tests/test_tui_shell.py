"""Pilot tests of the app's shell (issue 14): the footer's way out, help at small sizes, the
one-time welcome, the theme kept in the settings file, undo that asks before reaching back a
day, and redo."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Static

from tracker.settings import Settings, load_settings, settings_path
from tracker.store import Store
from tracker.tui.app import TrackerApp, create_app
from tracker.tui.screens.confirm import ConfirmScreen
from tracker.tui.screens.forms import EntryForm
from tracker.tui.screens.help import HelpScreen
from tracker.tui.screens.today import TodayScreen
from tracker.tui.screens.welcome import WelcomeScreen

TODAY = date(2026, 11, 25)
YESTERDAY = TODAY - timedelta(days=1)
LUNGE = {"sets": 3, "reps": 10, "side": "both", "tempo": "4-1-4-0"}
SMALL = [(80, 24), (60, 20)]


@asynccontextmanager
async def running(
    folder: Path, settings: Settings | None = None, size: tuple[int, int] = (80, 24)
) -> AsyncIterator[tuple[TrackerApp, Pilot[int]]]:
    app = create_app(folder, today=TODAY, settings=settings)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield app, pilot


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot: Pilot[Any], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def rows(app: TrackerApp) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def messages(app: TrackerApp) -> list[str]:
    return [notification.message for notification in app._notifications]


# ---------------------------------------------------------------- the footer


@pytest.mark.parametrize("size", SMALL, ids=["80x24", "60x20"])
async def test_every_footer_starts_with_help_quit_and_undo(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    Store(tmp_path, today=lambda: TODAY).add("lunge", {**LUNGE, "date": TODAY.isoformat()})
    async with running(tmp_path, size=size) as (app, pilot):
        for screen_key in ["1", "2", "3", "1"]:
            await press(pilot, screen_key)
            footer = rows(app)[-1]
            assert footer.startswith("? Help q Quit u Undo "), (app.current_mode, footer)
            assert footer.rstrip().endswith("▏^p palette")


async def test_a_form_has_its_own_footer_help_first_and_q_is_a_letter(tmp_path: Path) -> None:
    """In a form q and u are letters and ? a character of a note: its footer says what works
    there, help (F1) first, then save and cancel; the row is never left blank."""
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s")
        assert isinstance(app.screen, EntryForm)
        assert rows(app)[-1].startswith("f1 Help ^s Save esc Cancel")
        await press(pilot, "q")  # a letter typed, not the way out
        assert isinstance(app.screen, EntryForm) and app.is_running
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)


# ---------------------------------------------------------------- help


@pytest.mark.parametrize("size", SMALL, ids=["80x24", "60x20"])
async def test_help_fits_scrolls_and_closes(tmp_path: Path, size: tuple[int, int]) -> None:
    width, height = size
    async with running(tmp_path, size=size) as (app, pilot):
        await press(pilot, "question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        box = help_screen.query_one("#help-box", VerticalScroll)
        assert box.region.right <= width and box.region.bottom <= height - 1  # footer in sight
        keys = help_screen.query_one("#help-keys", Static)
        assert max(len(line) for line in str(keys.render()).split("\n")) <= keys.size.width
        if box.max_scroll_y:  # the list is longer than the box: the keys reach its end
            await press(pilot, "pagedown", "pagedown", "pagedown", "down")
            assert box.scroll_y == box.max_scroll_y
            await press(pilot, "pageup", "pageup", "pageup", "up")
            assert box.scroll_y == 0
        await press(pilot, "escape")
        assert isinstance(app.screen, TodayScreen)
        await press(pilot, "question_mark", "question_mark")
        assert isinstance(app.screen, TodayScreen)


async def test_help_wraps_a_long_description_under_itself(tmp_path: Path) -> None:
    async with running(tmp_path, size=(60, 20)) as (app, pilot):
        await press(pilot, "question_mark")
        text = str(app.screen.query_one("#help-keys", Static).render())
        lines = text.split("\n")
        [start] = [i for i, line in enumerate(lines) if line.startswith("ctrl+p")]
        column = lines[start].index("Command")
        follow = lines[start + 1]
        assert follow[:column].strip() == "" and follow[column] != " "


# ---------------------------------------------------------------- the welcome


async def test_the_welcome_shows_on_the_first_start_only(tmp_path: Path) -> None:
    assert load_settings() == Settings()  # a first start: no settings file yet
    async with running(tmp_path, settings=load_settings()) as (app, pilot):
        assert isinstance(app.screen, WelcomeScreen)
        await press(pilot, "enter")
        assert isinstance(app.screen, TodayScreen)
    assert load_settings().welcome is False
    assert "welcome = false" in settings_path().read_text(encoding="utf-8")
    async with running(tmp_path, settings=load_settings()) as (app, pilot):
        assert isinstance(app.screen, TodayScreen)


async def test_the_welcome_says_where_entries_and_settings_are(tmp_path: Path) -> None:
    async with running(tmp_path, settings=Settings()) as (app, _pilot):
        text = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert str(tmp_path) in text and str(settings_path()) in text
        for words in ["0 (no pain) to 10", "24 hours", "Never", "Always", "←", "press R"]:
            assert words in text


@pytest.mark.parametrize("size", SMALL, ids=["80x24", "60x20"])
async def test_the_welcome_fits_and_scrolls(tmp_path: Path, size: tuple[int, int]) -> None:
    width, height = size
    async with running(tmp_path, settings=Settings(), size=size) as (app, pilot):
        box = app.screen.query_one("#welcome-box", VerticalScroll)
        assert box.region.right <= width and box.region.bottom <= height
        assert box.max_scroll_y > 0  # too long for the box here: it scrolls
        await press(pilot, "end")
        assert box.scroll_y == box.max_scroll_y
        assert any("Press enter to start" in row for row in rows(app))


async def test_the_welcome_opens_again_from_help_and_the_palette(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        assert isinstance(app.screen, TodayScreen)  # the tests' app: no welcome
        await press(pilot, "question_mark", "w")
        assert isinstance(app.screen, WelcomeScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, TodayScreen)
        await press(pilot, "ctrl+p")
        await pilot.press(*"Welcome")
        await press(pilot, "enter")
        assert isinstance(app.screen, WelcomeScreen)
        await press(pilot, "enter")
        assert isinstance(app.screen, TodayScreen)
    assert not settings_path().exists()  # already dismissed: nothing to write


async def test_a_settings_file_that_cannot_be_written_is_a_warning_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("TRACKER_SETTINGS", str(blocker / "settings.toml"))
    async with running(tmp_path / "data", settings=Settings()) as (app, pilot):
        await press(pilot, "enter")
        assert isinstance(app.screen, TodayScreen) and app.is_running
        [warning] = [n for n in app._notifications if n.severity == "warning"]
        assert "could not be saved" in warning.message
        assert "The welcome will show again" in warning.message
        assert app.settings.welcome is False  # not again in this session
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)  # still answering keys


# ---------------------------------------------------------------- the theme


async def test_a_theme_chosen_in_the_palette_is_kept(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        assert app.theme == "textual-dark"
        await press(pilot, "ctrl+p")
        await pilot.press(*"Theme")
        await press(pilot, "enter")
        await pilot.press(*"nord")
        await press(pilot, "enter")
        assert app.theme == "nord"
    assert load_settings().theme == "nord"
    async with running(tmp_path, settings=load_settings()) as (app, pilot):
        assert app.theme == "nord"


async def test_an_unknown_theme_starts_on_the_default_and_says_so(tmp_path: Path) -> None:
    settings = Settings(theme="no-such-theme", welcome=False)
    async with running(tmp_path, settings=settings) as (app, _pilot):
        assert app.theme == "textual-dark"
        assert isinstance(app.screen, TodayScreen)
        assert any('"no-such-theme"' in message for message in messages(app))


# ---------------------------------------------------------------- undo and redo


def store_on(folder: Path, day: date) -> Store:
    """A store whose changes are made on ``day`` (its undo steps are dated on its today)."""
    return Store(folder, today=lambda: day)


async def test_a_save_says_u_undoes_it(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "4", "tab", "2", "tab", "1", "tab", "3", "enter")
        assert isinstance(app.screen, TodayScreen)
        assert messages(app)[-1] == "Logged check-in on Wed 25 Nov 2026 (u to undo)"


async def test_undo_of_a_change_made_yesterday_asks_first(tmp_path: Path) -> None:
    store_on(tmp_path, YESTERDAY).add("lunge", {**LUNGE, "date": YESTERDAY.isoformat()})
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "u")
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert dialog.question == (
            "The last change was made yesterday, Tue 24 Nov 2026: "
            "added tempo lunges on Tue 24 Nov 2026. Undo it?"
        )
        await press(pilot, "n")
        assert isinstance(app.screen, TodayScreen)
        assert messages(app)[-1] == "Nothing was undone."
        assert len(Store(tmp_path).entries()) == 1
        await press(pilot, "u", "y")
        assert isinstance(app.screen, TodayScreen)
        assert Store(tmp_path).entries() == []
        assert messages(app)[-1].startswith("Undid: added tempo lunges on Tue 24 Nov 2026")


async def test_undo_of_todays_change_does_not_ask(tmp_path: Path) -> None:
    store_on(tmp_path, YESTERDAY).add("cycling", {"minutes": 30, "date": YESTERDAY.isoformat()})
    store_on(tmp_path, TODAY).add("lunge", {**LUNGE, "date": YESTERDAY.isoformat()})
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "u")
        assert isinstance(app.screen, TodayScreen)
        assert [entry["kind"] for entry in Store(tmp_path).entries()] == ["cycling"]
        await press(pilot, "u")  # the next one back was made yesterday: a question
        assert isinstance(app.screen, ConfirmScreen)


async def test_redo_with_shift_u_and_ctrl_shift_z(tmp_path: Path) -> None:
    store_on(tmp_path, TODAY).add("lunge", {**LUNGE, "date": TODAY.isoformat()})
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "u")
        assert Store(tmp_path).entries() == []
        assert list(app._notifications)[-1].title == "Undone: U to redo"
        await press(pilot, "U")
        assert len(Store(tmp_path).entries()) == 1
        assert messages(app)[-1] == "Redid: added tempo lunges on Wed 25 Nov 2026 (u to undo)"
        await press(pilot, "u")
        assert Store(tmp_path).entries() == []
        await press(pilot, "ctrl+shift+z")
        assert len(Store(tmp_path).entries()) == 1
        await press(pilot, "U")
        assert messages(app)[-1] == "Nothing to redo."


async def test_redo_is_in_help_and_the_palette(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        titles = {command.title: command.help for command in app.get_system_commands(app.screen)}
        assert "Redo" in titles and "Welcome" in titles
        await press(pilot, "question_mark")
        text = str(app.screen.query_one("#help-keys", Static).render())
        assert any(line.startswith("U, ctrl+shift+z") for line in text.split("\n"))


async def test_the_palette_screenshot_is_saved_without_a_downloads_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: Screenshot failed for want of a Downloads folder; it goes where reports go."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    app = create_app(tmp_path / "data", today=date(2026, 11, 25))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        app.deliver_screenshot("today.svg")
        said = f"Saved screenshot to {home / 'today.svg'}"

        async def told() -> None:  # the driver writes in a thread, then posts a message
            while said not in [str(n.message) for n in app._notifications]:
                await pilot.pause()

        await asyncio.wait_for(told(), timeout=60)
        assert (home / "today.svg").read_text().startswith("<svg")
