"""Snapshot tests of every screen at 120x36, with fixed data, a fixed today and no cursor blink;
the app's shell (footer, help, welcome) also at 80x24, the usual terminal, and 60x20.

Accept new baselines only after looking at them: pytest --snapshot-update, then open the
report. The SVGs in docs/screens/ are copies of these baselines.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Coroutine
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tracker.records import Entry, new_entry
from tracker.settings import Settings
from tracker.store import Store
from tracker.tui.app import TrackerApp, create_app

TODAY = date(2026, 11, 25)
SIZE = (120, 36)
SMALL_SIZES = [(80, 24), (60, 20)]
SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[Any]], Coroutine[Any, Any, None]]

TEMPOS = ("4-1-4-0", "5-0-3-0", "6-0-4-0")
BANDS = ("yellow", "red", "green")
NOTES = ("Stairs were easier.", "Long drive, back ached.", "[b]not markup[/b]", None, None)


def fixed(kind: str, day: date, minute: int, number: int, values: dict[str, object]) -> Entry:
    """An entry with a fixed id and timestamps, so that every run draws the same screen."""
    stamp = datetime.combine(day, time(18, 0), tzinfo=UTC) + timedelta(minutes=minute)
    entry = new_entry(kind, {**values, "date": day.isoformat()}, today=TODAY, now=stamp.isoformat())
    entry["id"] = uuid.UUID(int=number).hex
    return entry


def fixed_entries(days: int = 21) -> list[Entry]:
    entries: list[Entry] = []
    for offset in range(days, -1, -1):
        day = TODAY - timedelta(days=offset)
        week = offset // 7
        if offset % 2 == 0:
            entries.append(
                fixed(
                    "lunge",
                    day,
                    0,
                    len(entries) + 1,
                    {
                        "sets": 3 + week % 2,
                        "reps": 10,
                        "side": "both",
                        "tempo": TEMPOS[week % 3],
                        "effort": 5 + offset % 3,
                        "pain_during": offset % 4,
                    },
                )
            )
        if offset % 3 != 1:
            entries.append(
                fixed(
                    "cycling",
                    day,
                    20,
                    len(entries) + 1,
                    {
                        "minutes": 25 + offset % 10,
                        "distance_km": 8.5 + offset % 4,
                        "cadence_rpm": 80,
                        "resistance": 6,
                        "effort": 4,
                    },
                )
            )
        entries.append(
            fixed(
                "rotation",
                day,
                40,
                len(entries) + 1,
                {
                    "exercise": "clamshell" if offset % 2 else "seated_hip_er",
                    "sets": 3,
                    "reps": 15,
                    "side": "both",
                    "hold_s": 5,
                    "band": BANDS[week % 3],
                    "effort": 3,
                },
            )
        )
        if offset != 0:
            entries.append(
                fixed(
                    "checkin",
                    day,
                    60,
                    len(entries) + 1,
                    {
                        "knee_pain": 3 + offset % 4,
                        "back_pain": 2 + offset % 3,
                        "clicking_left": offset % 5,
                        "clicking_right": (offset + 2) % 5,
                        "click_count": offset % 7 or None,
                        "notes": NOTES[offset % len(NOTES)],
                    },
                )
            )
    return entries


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    Store(tmp_path, today=lambda: TODAY).import_entries(fixed_entries())
    return tmp_path


def app_for(folder: Path, settings: Settings | None = None) -> TrackerApp:
    """The app as the tests ask for it: without settings, it opens on Today, no welcome."""
    return create_app(folder, today=TODAY, settings=settings)


def steps(*keys: str) -> RunBefore:
    """Wait for the entries, press ``keys``, and stop every cursor from blinking."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.app.workers.wait_for_complete()  # Trends draws its charts in a worker
            await pilot.pause()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        pilot.app.clear_notifications()
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()  # a chart redrawn for its final size
        await pilot.pause()

    return run_before


class TestToday:
    def test_empty(self, snap_compare: SnapCompare, tmp_path: Path) -> None:
        assert snap_compare(app_for(tmp_path), terminal_size=SIZE, run_before=steps())

    def test_filled(self, snap_compare: SnapCompare, filled: Path) -> None:
        assert snap_compare(app_for(filled), terminal_size=SIZE, run_before=steps("left"))

    def test_today_partly_logged(self, snap_compare: SnapCompare, filled: Path) -> None:
        assert snap_compare(app_for(filled), terminal_size=SIZE, run_before=steps())


class TestForms:
    def test_checkin_new(self, snap_compare: SnapCompare, filled: Path) -> None:
        assert snap_compare(app_for(filled), terminal_size=SIZE, run_before=steps("s", "4"))

    def test_checkin_replacing(self, snap_compare: SnapCompare, filled: Path) -> None:
        assert snap_compare(app_for(filled), terminal_size=SIZE, run_before=steps("left", "s"))

    def test_checkin_invalid(self, snap_compare: SnapCompare, filled: Path) -> None:
        keys = ("s", "1", "2", "tab", "x", "tab", "3", "ctrl+s")
        assert snap_compare(app_for(filled), terminal_size=SIZE, run_before=steps(*keys))

    def test_lunge_prefilled(self, snap_compare: SnapCompare, filled: Path) -> None:
        assert snap_compare(app_for(filled), terminal_size=SIZE, run_before=steps("l"))

    def test_cycling_prefilled(self, snap_compare: SnapCompare, filled: Path) -> None:
        assert snap_compare(app_for(filled), terminal_size=SIZE, run_before=steps("c"))

    def test_rotation_prefilled(self, snap_compare: SnapCompare, filled: Path) -> None:
        assert snap_compare(app_for(filled), terminal_size=SIZE, run_before=steps("r"))

    def test_band_list_open(self, snap_compare: SnapCompare, filled: Path) -> None:
        keys = ("r", "tab", "tab", "tab", "tab", "enter")  # sets -> reps, side, hold, band
        assert snap_compare(app_for(filled), terminal_size=SIZE, run_before=steps(*keys))

    def test_confirm_delete(self, snap_compare: SnapCompare, filled: Path) -> None:
        assert snap_compare(app_for(filled), terminal_size=SIZE, run_before=steps("d"))


class TestHistory:
    def test_all(self, snap_compare: SnapCompare, filled: Path) -> None:
        assert snap_compare(app_for(filled), terminal_size=SIZE, run_before=steps("2"))

    def test_filtered(self, snap_compare: SnapCompare, filled: Path) -> None:
        keys = ("2", "k", "k", "down", "down")
        assert snap_compare(app_for(filled), terminal_size=SIZE, run_before=steps(*keys))


class TestHelp:
    def test_today_help(self, snap_compare: SnapCompare, filled: Path) -> None:
        keys = ("question_mark",)
        assert snap_compare(app_for(filled), terminal_size=SIZE, run_before=steps(*keys))

    def test_history_help(self, snap_compare: SnapCompare, filled: Path) -> None:
        keys = ("2", "question_mark")
        assert snap_compare(app_for(filled), terminal_size=SIZE, run_before=steps(*keys))


@pytest.mark.parametrize("size", SMALL_SIZES, ids=["80x24", "60x20"])
class TestShell:
    """Every footer starts with ? Help, q Quit and u Undo; help and the welcome fit and scroll."""

    def test_today(self, snap_compare: SnapCompare, filled: Path, size: tuple[int, int]) -> None:
        assert snap_compare(app_for(filled), terminal_size=size, run_before=steps())

    def test_history(self, snap_compare: SnapCompare, filled: Path, size: tuple[int, int]) -> None:
        assert snap_compare(app_for(filled), terminal_size=size, run_before=steps("2"))

    def test_trends(self, snap_compare: SnapCompare, filled: Path, size: tuple[int, int]) -> None:
        assert snap_compare(app_for(filled), terminal_size=size, run_before=steps("3"))

    def test_form(self, snap_compare: SnapCompare, filled: Path, size: tuple[int, int]) -> None:
        assert snap_compare(app_for(filled), terminal_size=size, run_before=steps("l"))

    def test_help(self, snap_compare: SnapCompare, filled: Path, size: tuple[int, int]) -> None:
        keys = ("question_mark",)
        assert snap_compare(app_for(filled), terminal_size=size, run_before=steps(*keys))

    def test_welcome(
        self,
        snap_compare: SnapCompare,
        filled: Path,
        size: tuple[int, int],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        # The paths it shows are fixed, so that every run draws the same screen.
        monkeypatch.setenv("TRACKER_SETTINGS", "/home/you/.config/tracker/settings.toml")
        app = TrackerApp(Path("/home/you/.local/share/tracker"), TODAY, Settings(welcome=True))
        assert snap_compare(app, terminal_size=size, run_before=steps())
