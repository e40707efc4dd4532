"""Pilot tests of the daily-logging TUI: every flow from the keyboard, checked in the store."""

from __future__ import annotations

import asyncio
import fcntl
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import folder_locked
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static
from textual.worker import WorkerCancelled

from tracker.store import Store
from tracker.store import lock as lock_module
from tracker.tui.app import TrackerApp, create_app
from tracker.tui.screens.confirm import ConfirmScreen
from tracker.tui.screens.fatal import FatalErrorScreen
from tracker.tui.screens.forms import EntryForm
from tracker.tui.screens.help import HelpScreen
from tracker.tui.screens.history import HistoryScreen
from tracker.tui.screens.today import TodayScreen
from tracker.tui.widgets.choice import ChoicePicker
from tracker.tui.widgets.entry_table import EntryTable

TODAY = date(2026, 11, 25)
YESTERDAY = TODAY - timedelta(days=1)

LUNGE = {"sets": 3, "reps": 10, "side": "both", "tempo": "4-1-4-0", "effort": 5, "pain_during": 2}
CYCLING = {"minutes": 30, "distance_km": 10.5, "resistance": 6, "effort": 4}
ROTATION = {
    "exercise": "clamshell",
    "sets": 3,
    "reps": 15,
    "side": "both",
    "hold_s": 5,
    "band": "blue",
    "effort": 3,
}


def open_store(folder: Path) -> Store:
    return Store(folder, today=lambda: TODAY)


def seed(folder: Path, *entries: tuple[str, dict[str, Any]]) -> Store:
    store = open_store(folder)
    for kind, values in entries:
        store.add(kind, values)
    return store


@asynccontextmanager
async def running(folder: Path) -> AsyncIterator[tuple[TrackerApp, Pilot[int]]]:
    app = create_app(folder, today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        yield app, pilot


async def press(pilot: Pilot[int], *keys: str) -> None:
    """Press ``keys`` one by one, each after the writes of the one before have answered (a
    save runs in a thread worker: the form closes when the write worker says it is done)."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def settle(pilot: Pilot[int]) -> None:
    """Wait for every worker (writes included), then for the app to handle their answers."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot: Pilot[int], text: str) -> None:
    await pilot.press(*text)


def notifications(app: TrackerApp) -> list[str]:
    return [n.message for n in app._notifications]


def stored(folder: Path) -> list[dict[str, Any]]:
    """What another process would read: a fresh store on the same folder."""
    return open_store(folder).entries()


def day_option_ids(app: TrackerApp) -> list[str]:
    option_list = app.screen.query_one("#day-entries", OptionList)
    return [option.id for option in option_list.options if option.id]


# ---------------------------------------------------------------- logging each kind


async def test_checkin_is_nine_keys(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        keys = ["s", "4", "tab", "2", "tab", "1", "tab", "3", "enter"]
        await press(pilot, *keys)
        assert len(keys) == 9
        assert isinstance(app.screen, TodayScreen)
    checkin = open_store(tmp_path).checkin_on(TODAY)
    assert checkin is not None
    assert (checkin["knee_pain"], checkin["back_pain"]) == (4, 2)
    assert (checkin["clicking_left"], checkin["clicking_right"]) == (1, 3)


async def test_keys_arriving_together_go_to_their_own_fields(tmp_path: Path) -> None:
    """A paste or a fast typist: the terminal hands over "1<tab>0<tab>2<tab>3" in one read."""
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s")
        assert isinstance(app.screen, EntryForm)
        # Posted back to back, without letting the app settle in between (pilot.press would).
        for key, char in [("1", "1"), ("tab", "\t"), ("0", "0"), ("tab", "\t")]:
            app.post_message(events.Key(key, char))
        for key, char in [("2", "2"), ("tab", "\t"), ("3", "3"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await settle(pilot)
    checkin = open_store(tmp_path).checkin_on(TODAY)
    assert checkin is not None, "the burst was refused or mis-sorted (e.g. knee pain '10')"
    assert (checkin["knee_pain"], checkin["back_pain"]) == (1, 0)
    assert (checkin["clicking_left"], checkin["clicking_right"]) == (2, 3)


async def test_checkin_optional_fields_from_the_keyboard(tmp_path: Path) -> None:
    async with running(tmp_path) as (_app, pilot):
        await press(pilot, "s", "1", "0", "tab", "0", "tab", "4", "tab", "0")
        await press(pilot, "tab", "1", "2", "tab", "y", "tab", "2", "4", "tab")
        await type_text(pilot, "Stairs")
        await press(pilot, "enter")
    [checkin] = stored(tmp_path)
    assert checkin["knee_pain"] == 10
    assert checkin["clicking_left"] == 4
    assert checkin["click_count"] == 12
    assert checkin["clicking_painful"] is True
    assert checkin["click_moves"] == ["lunge", "stairs"]
    assert checkin["notes"] == "Stairs"


async def test_log_lunge_typed(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "l")
        assert isinstance(app.screen, EntryForm)
        await type_text(pilot, "3")
        await press(pilot, "tab")
        await type_text(pilot, "12")
        await press(pilot, "tab", "l", "tab")
        await type_text(pilot, "5-0-3")
        await press(pilot, "tab", "6", "tab", "2", "enter")
    [lunge] = stored(tmp_path)
    assert lunge["kind"] == "lunge"
    assert lunge["date"] == TODAY.isoformat()
    assert (lunge["sets"], lunge["reps"], lunge["side"]) == (3, 12, "left")
    assert lunge["tempo"] == "5-0-3-0"
    assert (lunge["effort"], lunge["pain_during"]) == (6, 2)


async def test_log_cycling_typed(tmp_path: Path) -> None:
    async with running(tmp_path) as (_app, pilot):
        await press(pilot, "c")
        for text in ["45", "15.5", "85", "7", "128", "5", "1"]:
            await type_text(pilot, text)
            await press(pilot, "tab")
        await type_text(pilot, "Windy")
        await press(pilot, "enter")
    [ride] = stored(tmp_path)
    assert ride["kind"] == "cycling"
    assert ride["minutes"] == 45
    assert ride["distance_km"] == 15.5
    assert (ride["cadence_rpm"], ride["resistance"], ride["avg_hr"]) == (85, 7, 128)
    assert (ride["effort"], ride["pain_during"], ride["notes"]) == (5, 1, "Windy")


async def test_log_rotation_with_lists(tmp_path: Path) -> None:
    async with running(tmp_path) as (_app, pilot):
        await press(pilot, "r")
        # The form opens on Sets; the exercise list is one field back.
        await press(pilot, "shift+tab", "enter", "down", "down", "enter")
        await press(pilot, "tab")
        await type_text(pilot, "2")
        await press(pilot, "tab")
        await type_text(pilot, "12")
        await press(pilot, "tab", "r", "tab")
        await type_text(pilot, "10")
        await press(pilot, "tab", "r", "tab", "4", "enter")
    [rotation] = stored(tmp_path)
    assert rotation["exercise"] == "seated_hip_er"
    assert (rotation["sets"], rotation["reps"], rotation["side"]) == (2, 12, "right")
    assert (rotation["hold_s"], rotation["band"], rotation["effort"]) == (10, "red", 4)


async def test_rotation_custom_exercise_name(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "r", "shift+tab", "left")  # wraps to "Other (type its name)"
        assert app.screen.query_one("#row-custom_exercise").display
        await press(pilot, "tab")
        await type_text(pilot, "Wall [b]sit[/b]")
        await press(pilot, "tab", "3", "tab", "8", "enter")
        assert isinstance(app.screen, TodayScreen)
        card = app.screen.query_one("#day-entries", OptionList).get_option_at_index(1)
        assert "Wall [b]sit[/b]" in str(card.prompt)
    [rotation] = stored(tmp_path)
    assert rotation["exercise"] == "Wall [b]sit[/b]"
    assert (rotation["sets"], rotation["reps"]) == (3, 8)


# ---------------------------------------------------------------- repeat, backdate, typical day


async def test_l_enter_repeats_the_last_lunge_session(tmp_path: Path) -> None:
    seed(tmp_path, ("lunge", {**LUNGE, "date": "2026-11-20", "notes": "felt fine"}))
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "l", "enter")
        assert isinstance(app.screen, TodayScreen)
    last, today = stored(tmp_path)
    assert today["date"] == TODAY.isoformat()
    for name, value in LUNGE.items():
        assert today[name] == value
    assert today["notes"] is None  # notes belong to one session
    assert today["id"] != last["id"]


async def test_left_backdates_and_right_stops_at_today(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        await press(pilot, "right")
        assert screen.day == TODAY
        await press(pilot, "left", "left", "right")
        assert screen.day == YESTERDAY
        await press(pilot, "s", "3", "tab", "3", "tab", "0", "tab", "0", "enter")
        await press(pilot, "home")
        assert screen.day == TODAY
    [checkin] = stored(tmp_path)
    assert checkin["date"] == YESTERDAY.isoformat()


async def test_typical_day_is_at_most_15_keys(tmp_path: Path) -> None:
    seed(
        tmp_path,
        ("lunge", {**LUNGE, "date": YESTERDAY.isoformat()}),
        ("cycling", {**CYCLING, "date": YESTERDAY.isoformat()}),
        ("rotation", {**ROTATION, "date": YESTERDAY.isoformat()}),
    )
    keys = ["s", "4", "tab", "3", "tab", "1", "tab", "2", "enter"]  # check-in
    keys += ["l", "enter", "c", "enter", "r", "enter"]  # the three exercises, as last time
    async with running(tmp_path) as (_app, pilot):
        await press(pilot, *keys)
    assert len(keys) <= 15
    today = [e for e in stored(tmp_path) if e["date"] == TODAY.isoformat()]
    assert sorted(e["kind"] for e in today) == ["checkin", "cycling", "lunge", "rotation"]
    by_kind = {e["kind"]: e for e in today}
    assert by_kind["checkin"]["knee_pain"] == 4
    assert by_kind["lunge"]["tempo"] == LUNGE["tempo"]
    assert by_kind["cycling"]["minutes"] == CYCLING["minutes"]
    assert by_kind["rotation"]["band"] == ROTATION["band"]


# ---------------------------------------------------------------- edit, delete, undo


async def test_edit_from_today(tmp_path: Path) -> None:
    store = seed(tmp_path, ("lunge", {**LUNGE, "date": TODAY.isoformat()}))
    [original] = store.entries()
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, EntryForm)
        assert form.query_one("#field-sets", Input).value == "3"
        await press(pilot, "5", "enter")  # the focused field's text is selected: typing replaces
    [edited] = stored(tmp_path)
    assert edited["id"] == original["id"]
    assert edited["sets"] == 5
    assert edited["tempo"] == LUNGE["tempo"]


async def test_delete_asks_first(tmp_path: Path) -> None:
    seed(tmp_path, ("cycling", {**CYCLING, "date": TODAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "d")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")
        assert len(stored(tmp_path)) == 1
        await press(pilot, "d", "y")
        assert stored(tmp_path) == []
        assert day_option_ids(app) == []


async def test_undo_reverts_and_says_what(tmp_path: Path) -> None:
    seed(tmp_path, ("lunge", {**LUNGE, "date": YESTERDAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "l", "enter")
        assert len(stored(tmp_path)) == 2
        await press(pilot, "u")
        assert len(stored(tmp_path)) == 1
        assert "Undid: added tempo lunges on Wed 25 Nov 2026" in notifications(app)
        await press(pilot, "u")  # undoes the seeded add too
        assert stored(tmp_path) == []
        await press(pilot, "u")
        assert "Nothing to undo." in notifications(app)


async def test_undo_of_a_delete_brings_it_back(tmp_path: Path) -> None:
    seed(tmp_path, ("cycling", {**CYCLING, "date": TODAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "d", "y", "u")
        assert len(day_option_ids(app)) == 1
    assert len(stored(tmp_path)) == 1


# ---------------------------------------------------------------- refusals and confirmations


async def test_invalid_value_keeps_the_form_open_and_stores_nothing(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "1", "1", "tab", "2", "tab", "1", "tab", "1", "enter")
        form = app.screen
        assert isinstance(form, EntryForm)
        hint = form.query_one("#hint-knee_pain", Static)
        assert hint.has_class("-error")
        assert "a whole number from 0 to 10" in str(hint.render())
        assert form.query_one("#field-knee_pain", Input).value == "11"
        assert form.focused is form.query_one("#field-knee_pain")
        # Fix it and save.
        await press(pilot, "9", "enter")
        assert isinstance(app.screen, TodayScreen)
    [checkin] = stored(tmp_path)
    assert checkin["knee_pain"] == 9


async def test_missing_clicking_is_refused(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "3", "tab", "2", "ctrl+s")
        form = app.screen
        assert isinstance(form, EntryForm)
        assert form.query_one("#hint-clicking_left", Static).has_class("-error")
        await press(pilot, "escape")  # something was typed: the form asks before it closes
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "y")
        assert isinstance(app.screen, TodayScreen)
    assert stored(tmp_path) == []


async def test_checkin_replaced_only_after_confirmation(tmp_path: Path) -> None:
    store = seed(
        tmp_path,
        ("checkin", {"knee_pain": 3, "back_pain": 2, "clicking_left": 1, "clicking_right": 1}),
    )
    [original] = store.entries()
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s")
        form = app.screen
        assert isinstance(form, EntryForm)
        assert form.query_one("#field-knee_pain", Input).value == "3"
        await press(pilot, "7", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")
        assert app.screen_stack[-1] is form
        assert stored(tmp_path)[0]["knee_pain"] == 3
        await press(pilot, "enter", "y")
        assert isinstance(app.screen, TodayScreen)
    [replaced] = stored(tmp_path)
    assert replaced["knee_pain"] == 7
    assert replaced["id"] == original["id"]


async def test_checkin_written_elsewhere_meanwhile_asks_before_replacing(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "5", "tab", "5", "tab", "2", "tab", "2")
        seed(
            tmp_path,
            ("checkin", {"knee_pain": 1, "back_pain": 1, "clicking_left": 0, "clicking_right": 0}),
        )
        await press(pilot, "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "y")
        assert isinstance(app.screen, TodayScreen)
    [checkin] = stored(tmp_path)
    assert checkin["knee_pain"] == 5


async def test_failed_write_keeps_what_was_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(tmp_path, ("lunge", {**LUNGE, "date": YESTERDAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):

        def fail(*args: object, **kwargs: object) -> None:
            raise OSError("No space left on device")

        monkeypatch.setattr(app.writer, "add", fail)
        await press(pilot, "l", "8", "enter")
        form = app.screen
        assert isinstance(form, EntryForm)
        assert form.query_one("#field-sets", Input).value == "8"
        assert "No space left on device" in str(form.query_one("#form-error", Static).render())
        assert any("No space left" in message for message in notifications(app))
    assert len(stored(tmp_path)) == 1


async def test_unusable_data_file_names_it_and_writes_nothing(tmp_path: Path) -> None:
    seed(tmp_path, ("lunge", {**LUNGE, "date": TODAY.isoformat()}))
    [bad] = [p for p in tmp_path.iterdir() if p.name.startswith("entries")]
    bad.write_text("{ this is not json")
    before = sorted(p.name for p in tmp_path.iterdir())
    app = create_app(tmp_path, today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, FatalErrorScreen)
        assert str(bad) in str(app.screen.query_one("#fatal-text", Static).render())
        await press(pilot, "s", "l", "u")  # nothing may write
        assert isinstance(app.screen, FatalErrorScreen)
        await press(pilot, "q")
    assert app.return_code == 3
    assert bad.read_text() == "{ this is not json"
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# ---------------------------------------------------------------- other processes


async def test_entry_from_another_process_shows_up_and_is_kept(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        assert app._poll_timer is not None
        assert app._poll_timer._interval == 1.0  # within 2 s of the other process's write
        other = seed(tmp_path, ("cycling", {**CYCLING, "date": TODAY.isoformat()}))
        [theirs] = other.entries()
        app.poll_store()
        await pilot.pause()
        assert theirs["id"] in day_option_ids(app)
        await press(pilot, "s", "2", "tab", "2", "tab", "0", "tab", "0", "enter")
    kinds = sorted(e["kind"] for e in stored(tmp_path))
    assert kinds == ["checkin", "cycling"]


async def test_the_poll_timer_picks_up_changes(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        version = app.data_version
        seed(tmp_path, ("lunge", {**LUNGE, "date": TODAY.isoformat()}))
        assert app._poll_timer is not None
        await app._poll_timer._tick(next_timer=0, count=1)
        await pilot.pause()
        assert app.data_version == version + 1
        assert len(day_option_ids(app)) == 1


# ---------------------------------------------------------------- history


async def test_history_lists_filters_edits_and_deletes(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    for offset in range(40):
        day = (TODAY - timedelta(days=offset)).isoformat()
        store.add("lunge", {**LUNGE, "date": day})
        store.add("cycling", {**CYCLING, "date": day})
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "2")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one(EntryTable)
        assert table.row_count == 80
        assert table.selected is not None and table.selected["date"] == TODAY.isoformat()
        await press(pilot, "k")  # next kind: lunges
        assert screen.query_one("#filter-kind", ChoicePicker).value == "lunge"
        assert table.row_count == 40
        await press(pilot, "f", "tab")
        await type_text(pilot, "2026-11-20")
        await press(pilot, "enter")
        assert table.row_count == 6
        assert app.screen.focused is table
        await press(pilot, "down", "e")
        form = app.screen
        assert isinstance(form, EntryForm)
        assert form.query_one("#field-date", Input).value == "2026-11-24"
        await press(pilot, "4", "enter")
        assert isinstance(app.screen, HistoryScreen)
        assert table.selected is not None and table.selected["sets"] == 4
        await press(pilot, "d", "y")
        assert table.row_count == 5
        await press(pilot, "x")
        assert table.row_count == 79
    assert len(stored(tmp_path)) == 79


async def test_history_moves_through_many_rows(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    entries = []
    for offset in range(3000):
        values = {**CYCLING, "date": (TODAY - timedelta(days=offset)).isoformat()}
        from tracker.records import new_entry

        entries.append(new_entry("cycling", values, today=TODAY))
    store.import_entries(entries)
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "2")
        table = app.screen.query_one(EntryTable)
        assert table.row_count == 3000
        await press(pilot, "end")
        assert table.selected is not None and table.selected["date"] == entries[-1]["date"]
        await press(pilot, "pageup", "home")
        assert table.cursor == 0


# ---------------------------------------------------------------- help and palette


async def test_help_lists_the_keys_of_the_screen(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-keys", Static).render())
        for words in [
            "Check-in",
            "Lunges",
            "Cycling",
            "Rotation",
            "Earlier",
            "Later",
            "Back to today",
            "Undo",
            "History",
            "Trends",
            "Quit",
            "ctrl+p",
        ]:
            assert words in text
        await press(pilot, "escape")
        assert isinstance(app.screen, TodayScreen)


async def test_help_in_a_form_lists_form_keys(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "tab", "tab", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-keys", Static).render())
        assert "Save" in text and "Cancel" in text and "0-4" in text
        assert "Quit" not in text  # q types into fields; it does not quit from a form


async def test_palette_offers_every_action(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for title in [
            "Check-in",
            "Lunges",
            "Cycling",
            "Rotation",
            "Earlier",
            "Back to today",
            "History",
            "Trends",
            "Undo",
            "Help",
            "Quit",
        ]:
            assert title in titles
        await press(pilot, "2")
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Edit", "Delete", "Filter", "Today"} <= titles or "Today" in titles


async def test_trends_key_switches_mode(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "3")
        assert app.current_mode == "trends"
        await press(pilot, "1")
        assert isinstance(app.screen, TodayScreen)


async def test_notes_are_shown_as_text_not_markup(tmp_path: Path) -> None:
    seed(tmp_path, ("lunge", {**LUNGE, "date": TODAY.isoformat(), "notes": "[red]ouch[/red]"}))
    async with running(tmp_path) as (app, pilot):
        card = app.screen.query_one("#day-entries", OptionList).get_option_at_index(1)
        assert "[red]ouch[/red]" in str(card.prompt)
        await press(pilot, "2")
        table = app.screen.query_one(EntryTable)
        line = "".join(segment.text for segment in table.render_line(1))
        assert "[red]ouch[/red]" in line


# ---------------------------------------------------------------- text from users and files

HOSTILE_NOTES = "x \x1b]0;PWNED\x07\n\x1b[2J y"
HOSTILE_EXERCISE = "Wall\x1b[31msit"


def seed_hostile(folder: Path) -> None:
    """A lunge with escape sequences in its notes, and a rotation exercise whose name has an
    ESC (as an import file could carry: the form refuses such a name)."""
    from tracker.records import new_entry

    store = seed(folder, ("lunge", {**LUNGE, "date": TODAY.isoformat(), "notes": HOSTILE_NOTES}))
    rotation = new_entry("rotation", {**ROTATION, "date": TODAY.isoformat()}, today=TODAY)
    rotation["exercise"] = HOSTILE_EXERCISE
    store.import_entries([rotation])


def screen_text(app: TrackerApp) -> str:
    """What the terminal would show, as the text of a screenshot."""
    return app.export_screenshot()


async def test_control_characters_are_shown_escaped(tmp_path: Path) -> None:
    seed_hostile(tmp_path)
    async with running(tmp_path) as (app, pilot):
        cards = [
            str(option.prompt)
            for option in app.screen.query_one("#day-entries", OptionList).options
        ]
        assert not any("\x1b" in card or "\x07" in card for card in cards)
        assert any("x \\e]0;PWNED\\x07 \\e[2J y" in card for card in cards)
        assert any("Wall\\e[31msit" in card for card in cards)
        assert "\x1b" not in screen_text(app)
        await press(pilot, "2")
        table = app.screen.query_one(EntryTable)
        lines = ["".join(s.text for s in table.render_line(y)) for y in range(1, 4)]
        assert not any("\x1b" in line or "\x07" in line or "\n" in line for line in lines)
        assert any("\\e]0;PWNED" in line for line in lines)
        assert any("Wall\\e[31msit" in line for line in lines)
        assert "\x1b" not in screen_text(app)


async def test_dialogs_forms_and_messages_escape_user_text(tmp_path: Path) -> None:
    seed_hostile(tmp_path)
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "2")
        table = app.screen.query_one(EntryTable)
        rotation_row = next(i for i in range(3) if table._rows[i]["kind"] == "rotation")
        table.cursor = rotation_row
        await press(pilot, "d")
        assert isinstance(app.screen, ConfirmScreen)
        detail = str(app.screen.query_one("#confirm-detail", Static).render())
        assert "\x1b" not in detail and "Wall\\e[31msit" in detail
        assert "\x1b" not in screen_text(app)
        await press(pilot, "escape")
        table.cursor = next(i for i in range(3) if table._rows[i]["kind"] == "lunge")
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, EntryForm)
        notes = form.query_one("#field-notes", Input).value
        assert "\x1b" not in notes and "\\e]0;PWNED" in notes
        assert "\x1b" not in screen_text(app)
        await press(pilot, "escape")
        table.cursor = rotation_row
        await press(pilot, "e")
        assert "Wall\\e[31msit" in app.screen.query_one("#field-custom_exercise", Input).value
        assert "\x1b" not in screen_text(app)
        await press(pilot, "escape")


async def test_fatal_screen_escapes_the_file_name(tmp_path: Path) -> None:
    from tracker.store import DataFileError

    app = create_app(tmp_path, today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        app.show_fatal(DataFileError(tmp_path / "entries-\x1b]0;x\x07.json", "not JSON"))
        await pilot.pause()
        text = str(app.screen.query_one("#fatal-text", Static).render())
        assert "\x1b" not in text and "entries-\\e]0;x\\x07.json" in text


# ---------------------------------------------------------------- History in the app's words


def table_lines(app: TrackerApp) -> list[str]:
    table = app.screen.query_one(EntryTable)
    return ["".join(s.text for s in table.render_line(y)) for y in range(table.row_count + 1)]


async def test_history_names_exercises_and_says_resistance(tmp_path: Path) -> None:
    seed(
        tmp_path,
        ("rotation", {**ROTATION, "exercise": "standing_shoulder_er", "date": TODAY.isoformat()}),
        ("cycling", {**CYCLING, "date": TODAY.isoformat()}),
    )
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "2")
        text = "\n".join(table_lines(app))
        assert "standing_shoulder_er" not in text
        assert "Standing shoulder external rotation" in text
        assert "resistance 6" in text and "level 6" not in text


async def test_history_cuts_long_figures_at_a_word_with_an_ellipsis(tmp_path: Path) -> None:
    seed(tmp_path, ("lunge", {**LUNGE, "date": TODAY.isoformat(), "notes": "Stairs " * 20}))
    app = create_app(tmp_path, today=TODAY)
    async with app.run_test(size=(60, 20)) as pilot:
        await app.workers.wait_for_complete()
        await press(pilot, "2")
        row = table_lines(app)[1]
        figures, notes = [cell.strip() for cell in row.split("  ") if cell.strip()][2:4]
        full = "3x10 both, tempo 4-1-4-0, TUT 8:00, effort 5, pain 2"
        assert figures.endswith("…")
        assert full.startswith(figures[:-1])
        # The cut falls between two figures, never inside one ("TUT 8:" or "eff").
        assert full[len(figures) - 1 : len(figures) + 1] == ", "
        assert notes.endswith("Stairs…")


# ---------------------------------------------------------------- the command palette


async def test_palette_lists_the_screens_and_undo(tmp_path: Path) -> None:
    from textual.command import CommandPalette

    async with running(tmp_path) as (app, pilot):
        for screen_key in ["1", "2", "3"]:
            await press(pilot, screen_key, "ctrl+p")
            assert isinstance(app.screen, CommandPalette)
            under = app.screen_stack[-2]
            commands = {c.title: c.help for c in app.get_system_commands(under)}
            for title, key in [("Today", "1"), ("History", "2"), ("Trends", "3"), ("Undo", "u")]:
                assert commands.get(title) == f"Key: {key}", (screen_key, title, commands)
            await press(pilot, "escape")
        await press(pilot, "1")


async def test_palette_runs_a_screen_switch_and_undo(tmp_path: Path) -> None:
    seed(tmp_path, ("lunge", {**LUNGE, "date": TODAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Trends")
        await press(pilot, "enter")
        assert app.current_mode == "trends"
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Undo")
        await press(pilot, "enter")
        assert stored(tmp_path) == []


# ---------------------------------------------------------------- custom exercise names


async def test_custom_exercise_name_says_its_rule_and_is_never_cut(tmp_path: Path) -> None:
    long_name = "Standing hip abduction with a long band held in both hands slowly"
    assert len(long_name) > 60
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "r", "shift+tab", "left", "tab")  # "Other (type its name)", its field
        form = app.screen
        assert isinstance(form, EntryForm)
        hint = form.query_one("#hint-custom_exercise", Static)
        assert "up to 60 characters" in str(hint.render())
        await type_text(pilot, long_name)
        await pilot.pause()
        assert form.query_one("#field-custom_exercise", Input).value == long_name  # not cut
        assert hint.has_class("-error")
        assert f"at most 60 characters: this one has {len(long_name)}" in str(hint.render())
        await press(pilot, "tab", "3", "tab", "8", "enter")
        assert app.screen is form  # refused, not shortened
        assert "at most 60 characters" in str(hint.render())
        assert stored(tmp_path) == []
        # The refusal brings the cursor back to the name (its text selected): type a shorter one.
        assert form.focused is form.query_one("#field-custom_exercise")
        await type_text(pilot, long_name[:60])
        await press(pilot, "enter")
        assert isinstance(app.screen, TodayScreen)
    [rotation] = stored(tmp_path)
    assert rotation["exercise"] == long_name[:60].strip()


# ---------------------------------------------------------------- keys arriving together


def post_burst(app: TrackerApp, text: str) -> None:
    """Keys as a terminal hands them over in one read (a paste, a fast typist): posted back to
    back, without letting the app settle in between (``pilot.press`` waits after each key)."""
    names = {"\t": "tab", "-": "minus", "\r": "enter"}
    for char in text:
        app.post_message(events.Key(names.get(char, char), char))


async def test_history_filter_keeps_keys_typed_right_after_tab(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    for offset in range(10):
        store.add("cycling", {**CYCLING, "date": (TODAY - timedelta(days=offset)).isoformat()})
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "2")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        post_burst(app, "f\t2026-11-20\t2026-11-22\r")
        await pilot.pause()
        await pilot.pause()
        assert screen.query_one("#filter-from", Input).value == "2026-11-20"
        assert screen.query_one("#filter-to", Input).value == "2026-11-22"
        assert screen.query_one(EntryTable).row_count == 3


# ---------------------------------------------------------------- narrow terminals


def screen_rows(app: TrackerApp) -> list[str]:
    """The rows of the screen as text, as a terminal shows them."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("width", [60, 80])
async def test_footer_shows_whole_keys_and_a_clean_palette_key(tmp_path: Path, width: int) -> None:
    from textual.widgets._footer import FooterKey

    seed(tmp_path, ("lunge", {**LUNGE, "date": TODAY.isoformat()}))
    app = create_app(tmp_path, today=TODAY)
    async with app.run_test(size=(width, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for screen_key in ["1", "2"]:
            await press(pilot, screen_key)
            footer_row = screen_rows(app)[-1]
            assert footer_row.rstrip().endswith("▏^p palette"), footer_row
            keys = list(app.screen.query(FooterKey))
            [palette] = [key for key in keys if key.has_class("-command-palette")]
            assert palette.region.right == width
            shown = [key for key in keys if key is not palette]
            for key in shown:
                assert key.region.right <= palette.region.x, f"{key.description} is cut"
                assert f"{key.key_display} {key.description}" in footer_row
            assert "? Help" in footer_row


async def test_footer_refits_when_the_terminal_is_resized(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        assert "q Quit" in screen_rows(app)[-1]  # 120 columns: every key
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        row = screen_rows(app)[-1]
        assert row.startswith("? Help q Quit u Undo")  # the way out first, at any width
        assert row.rstrip().endswith("▏^p palette")


@asynccontextmanager
async def running_at(
    folder: Path, width: int, height: int
) -> AsyncIterator[tuple[TrackerApp, Pilot[int]]]:
    app = create_app(folder, today=TODAY)
    async with app.run_test(size=(width, height)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        yield app, pilot


async def test_form_rules_are_readable_at_60_columns(tmp_path: Path) -> None:
    async with running_at(tmp_path, 60, 20) as (app, pilot):
        await press(pilot, "s", "1", "1", "tab", "2", "tab", "9", "ctrl+s")
        form = app.screen
        assert isinstance(form, EntryForm)
        text = "\n".join(screen_rows(app))
        assert "must be a whole number from 0 to 10" in text  # beside (under) knee pain
        error = str(form.query_one("#form-error", Static).render())
        assert "Clicking, right knee" in error and "Knee pain" in error
        for name in ["knee_pain", "clicking_right"]:
            hint = form.query_one(f"#hint-{name}", Static)
            assert hint.has_class("-error")
            assert hint.size.width >= len(str(hint.render()).splitlines()[0]) > 0
        # Each field's hint, read at 60 columns, says its rule in full.
        await press(pilot, "escape", "y", "c")
        text = "\n".join(screen_rows(app))
        assert "more than 0, at most 600" in text


async def test_one_wrong_field_is_named_in_the_form_message(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "1", "1", "tab", "2", "tab", "1", "tab", "1", "enter")
        error = str(app.screen.query_one("#form-error", Static).render())
        assert error == "Not saved: Knee pain needs a different value."


async def test_form_scrolls_to_the_focused_field_at_40x12(tmp_path: Path) -> None:
    async with running_at(tmp_path, 40, 12) as (app, pilot):
        keys = ("s", "3", "tab", "2", "tab", "1", "tab", "1", "tab", "tab", "tab", "tab")
        await press(pilot, *keys)
        form = app.screen
        assert isinstance(form, EntryForm)
        notes = form.query_one("#field-notes", Input)
        assert form.focused is notes
        await type_text(pilot, "Stairs")
        await pilot.pause()
        box = form.query_one("#form-box")
        assert box.content_region.contains_region(notes.region), "Notes is off-screen"
        assert any("Stairs" in row for row in screen_rows(app))
        await press(pilot, "enter")
        assert isinstance(app.screen, TodayScreen)
    [checkin] = stored(tmp_path)
    assert checkin["notes"] == "Stairs"


# ---------------------------------------------------------------- edits racing other terminals


async def test_edit_saves_only_changed_fields_keeping_a_change_made_elsewhere(
    tmp_path: Path,
) -> None:
    seed(tmp_path, ("lunge", {**LUNGE, "date": TODAY.isoformat(), "notes": "before"}))
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "e")
        assert isinstance(app.screen, EntryForm)
        # Meanwhile, another terminal changes the note.
        other = open_store(tmp_path)
        [entry] = other.entries()
        other.edit(entry["id"], {"notes": "from the other terminal"})
        await press(pilot, "5", "enter")  # sets: 3 -> 5
        assert isinstance(app.screen, TodayScreen)
    [edited] = stored(tmp_path)
    assert edited["sets"] == 5
    assert edited["notes"] == "from the other terminal"  # not reverted to "before"


async def test_a_clash_with_a_change_made_elsewhere_offers_a_reload(tmp_path: Path) -> None:
    seed(tmp_path, ("lunge", {**LUNGE, "date": TODAY.isoformat(), "notes": "before"}))
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, EntryForm)
        await press(pilot, "5", "tab", "tab", "tab", "tab")  # sets 5; on to effort
        await type_text(pilot, "8")  # effort 5 -> 8
        other = open_store(tmp_path)
        [entry] = other.entries()
        other.edit(entry["id"], {"sets": "4"})
        await press(pilot, "enter")
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert dialog.question == "Changed elsewhere meanwhile (Sets): reload?"
        assert stored(tmp_path)[0]["sets"] == 4  # never overwritten
        error = str(form.query_one("#form-error", Static).render())
        assert "Changed elsewhere meanwhile (Sets): reload?" in error
        await press(pilot, "y")  # reload
        assert app.screen is form
        assert form.query_one("#field-sets", Input).value == "4"  # what is stored now
        assert form.query_one("#field-effort", Input).value == "8"  # the user's change stays
        await press(pilot, "enter")
        assert isinstance(app.screen, TodayScreen)
    [edited] = stored(tmp_path)
    assert (edited["sets"], edited["effort"], edited["notes"]) == (4, 8, "before")


async def test_declining_the_reload_saves_nothing(tmp_path: Path) -> None:
    seed(tmp_path, ("lunge", {**LUNGE, "date": TODAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "e")
        form = app.screen
        other = open_store(tmp_path)
        [entry] = other.entries()
        other.edit(entry["id"], {"sets": "4"})
        await press(pilot, "5", "enter", "n")
        assert app.screen is form
        await press(pilot, "enter")  # still refused: the form is based on the old entry
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n", "escape")
    assert stored(tmp_path)[0]["sets"] == 4


async def test_editing_an_entry_deleted_elsewhere_says_so(tmp_path: Path) -> None:
    seed(tmp_path, ("cycling", {**CYCLING, "date": TODAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, EntryForm)
        other = open_store(tmp_path)
        [entry] = other.entries()
        other.delete(entry["id"])
        await press(pilot, "4", "5", "enter")
        assert app.screen is form
        error = str(form.query_one("#form-error", Static).render())
        assert "This entry was deleted elsewhere" in error
        messages = " ".join(notifications(app))
        assert "deleted elsewhere" in messages
        assert "prefix" not in error + messages and "id" not in error.split()
    assert stored(tmp_path) == []


async def test_deleting_an_entry_deleted_elsewhere_says_so(tmp_path: Path) -> None:
    seed(tmp_path, ("cycling", {**CYCLING, "date": TODAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        other = open_store(tmp_path)
        [entry] = other.entries()
        other.delete(entry["id"])
        await press(pilot, "d", "y")
        messages = " ".join(notifications(app))
        assert "deleted elsewhere" in messages and "prefix" not in messages


# ---------------------------------------------------------------- writes never freeze the app


def busy_signal(monkeypatch: pytest.MonkeyPatch, owner: type[Any], method: str) -> asyncio.Event:
    """An event set once ``owner.method`` (the busy notice, run on the UI thread) has run."""
    shown = asyncio.Event()
    original = getattr(owner, method, None)

    def spy(self: Any) -> None:
        if original is not None:
            original(self)
        shown.set()

    monkeypatch.setattr(owner, method, spy, raising=False)
    return shown


async def test_a_save_waiting_for_the_folder_leaves_the_app_answering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(tmp_path, ("lunge", {**LUNGE, "date": YESTERDAY.isoformat()}))
    shown = busy_signal(monkeypatch, EntryForm, "show_busy")
    async with running(tmp_path) as (app, pilot):
        with folder_locked(tmp_path) as fd:
            await pilot.press("l", "enter")  # another tracker is writing
            await asyncio.wait_for(shown.wait(), timeout=30)
            await pilot.pause()
            form = app.screen
            assert isinstance(form, EntryForm)
            message = str(form.query_one("#form-error", Static).render())
            assert message.startswith("Busy: another tracker is writing; saving when it is free")
            # The app still answers keys: help opens and closes while the save waits.
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            assert app.screen_stack[-1] is form
            await pilot.press("escape")  # cancelling cannot call the write back: it says so
            assert app.screen is form
            assert any("Still saving" in text for text in notifications(app))
            assert len(stored(tmp_path)) == 1
            fcntl.flock(fd, fcntl.LOCK_UN)  # the other tracker is done
            await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert any("Logged tempo lunges" in text for text in notifications(app))
        assert len(day_option_ids(app)) == 1  # Today shows it
    assert len(stored(tmp_path)) == 2


async def test_a_save_says_clearly_when_the_folder_stays_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock_module, "WAIT_SECONDS", 0.2)
    seed(tmp_path, ("lunge", {**LUNGE, "date": YESTERDAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        with folder_locked(tmp_path):
            await pilot.press("l", "8", "enter")
            await settle(pilot)  # the worker gives up after WAIT_SECONDS
            form = app.screen
            assert isinstance(form, EntryForm)
            message = str(form.query_one("#form-error", Static).render())
            assert message.startswith("Not saved: the data folder")
            assert "is busy" in message and "try again" in message
            assert form.query_one("#field-sets", Input).value == "8"  # what was typed stays
            assert not form.query_one("#form-box").disabled
            assert form.focused is form.query_one("#field-sets")
        await press(pilot, "enter")  # free again: the same form saves
        assert isinstance(app.screen, TodayScreen)
    assert sorted(e["sets"] for e in stored(tmp_path)) == [3, 8]


async def test_delete_and_undo_wait_for_the_folder_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(tmp_path, ("cycling", {**CYCLING, "date": TODAY.isoformat()}))
    shown = busy_signal(monkeypatch, TrackerApp, "_say_busy")
    async with running(tmp_path) as (app, pilot):
        with folder_locked(tmp_path) as fd:
            await pilot.press("d", "y", "u")  # delete, then undo it: both wait, in order
            await asyncio.wait_for(shown.wait(), timeout=30)
            await pilot.press("2")  # the app answers meanwhile
            assert isinstance(app.screen, HistoryScreen)
            assert any(text.startswith("Busy: another tracker") for text in notifications(app))
            assert len(stored(tmp_path)) == 1
            fcntl.flock(fd, fcntl.LOCK_UN)
            await settle(pilot)
        messages = notifications(app)
        assert any(text.startswith("Deleted cycling") for text in messages)
        assert any(text.startswith("Undid: deleted cycling") for text in messages)
        assert app.screen.query_one(EntryTable).row_count == 1
    assert len(stored(tmp_path)) == 1


async def test_quit_waits_for_a_pending_write(tmp_path: Path) -> None:
    seed(tmp_path, ("cycling", {**CYCLING, "date": TODAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        with folder_locked(tmp_path) as fd:
            await pilot.press("d", "y", "q")
            assert app.is_running and app.writes_pending == 1
            assert any("quits as soon as it is written" in t for t in notifications(app))
            fcntl.flock(fd, fcntl.LOCK_UN)
            with suppress(WorkerCancelled):  # the app quits once the delete is written
                await app.workers.wait_for_complete()
    assert stored(tmp_path) == []


# ---------------------------------------------------------------- NO_COLOR


def screen_colours(app: TrackerApp) -> set[tuple[int, int, int]]:
    """Every foreground and background colour on screen, as RGB."""
    colours: set[tuple[int, int, int]] = set()
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            style = segment.style
            if style is None:
                continue
            for colour in (style.color, style.bgcolor):
                if colour is not None and colour.triplet is not None:
                    colours.add(tuple(colour.triplet))  # type: ignore[arg-type]
    return colours


async def test_no_color_leaves_only_greys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR (no-color.org): Textual 8.2.8 reads it and renders through its Monochrome filter;
    nothing of ours may bring colour back, on any screen."""
    monkeypatch.setenv("NO_COLOR", "1")
    seed(tmp_path, ("lunge", {**LUNGE, "date": TODAY.isoformat(), "notes": "[red]ouch[/red]"}))
    async with running(tmp_path) as (app, pilot):
        assert app.no_color
        seen: set[tuple[int, int, int]] = set()
        for keys in [(), ("s", "1", "1", "enter"), ("escape", "2"), ("question_mark",)]:
            await press(pilot, *keys)
            seen |= screen_colours(app)
        await press(pilot, "escape", "f", "tab")
        await type_text(pilot, "2026-13")
        await pilot.pause()
        seen |= screen_colours(app)
    assert seen, "nothing was drawn"
    assert all(r == g == b for r, g, b in seen), sorted(c for c in seen if len(set(c)) > 1)


async def test_a_wrong_filter_date_shows_without_colour(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "2", "f", "tab")
        await type_text(pilot, "2026-13")
        await pilot.pause()
        field = app.screen.query_one("#filter-from", Input)
        assert field.has_class("-invalid-date")
        styles = [s.style for s in field.render_line(0) if s.text.strip()]
        assert styles and all(s is not None and s.underline for s in styles)


@pytest.mark.parametrize("width", [60, 80])
async def test_history_filter_and_count_fit_narrow_terminals(tmp_path: Path, width: int) -> None:
    seed(tmp_path, *[("cycling", {**CYCLING, "date": TODAY.isoformat()})] * 3)
    async with running_at(tmp_path, width, 20) as (app, pilot):
        await press(pilot, "2", "k", "k", "k")  # rotation, the longest kind name
        text = "\n".join(screen_rows(app))
        assert "To any day" in text
        assert "0 of 3 entries" in text
        assert "Rotation " in text.splitlines()[2]


async def test_help_scrolls_to_its_last_key_on_a_short_terminal(tmp_path: Path) -> None:
    async with running_at(tmp_path, 60, 20) as (app, pilot):
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert not any("ctrl+p" in row for row in screen_rows(app))
        await press(pilot, "end")
        assert any("ctrl+p" in row for row in screen_rows(app))


# ---------------------------------------------------------------- written, but not undoable


def fill_the_disk_for_undo(monkeypatch: pytest.MonkeyPatch) -> Callable[[bool], None]:
    """From now on month files are written and undo.json is not (the disk filled in between),
    as in tests/test_store.py; the switch it returns frees the disk again (``switch(False)``)."""
    from tracker.store import files as files_module

    real_save = files_module.DataFile.save
    full = [True]

    def save(self: files_module.DataFile, tables: dict[str, Any], **how: Any) -> None:
        if self.path.name == "undo.home.json" and full[0]:
            raise OSError(28, "No space left on device", str(self.path))
        real_save(self, tables, **how)

    monkeypatch.setattr(files_module.DataFile, "save", save)
    return lambda on: full.__setitem__(0, on)


def last_notification(app: TrackerApp) -> tuple[str, str, str]:
    """(title, message, severity) of the newest notification."""
    last = list(app._notifications)[-1]
    return last.title, last.message, last.severity


async def test_a_save_whose_undo_step_cannot_be_written_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_the_disk_for_undo(monkeypatch)
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "4", "tab", "2", "tab", "1", "tab", "3", "enter")
        assert isinstance(app.screen, TodayScreen)  # saved: the form is closed
        assert len(day_option_ids(app)) == 1
        title, message, severity = last_notification(app)
        assert message == "Saved, but it cannot be undone: undo.home.json: No space left on device"
        assert title == "Logged check-in on Wed 25 Nov 2026." and severity == "warning"
        assert not any(text.startswith("Logged") for text in notifications(app))  # no plain one
    [checkin] = stored(tmp_path)  # once: nothing asks to save it again
    assert checkin["knee_pain"] == 4


async def test_a_delete_whose_undo_step_cannot_be_written_does_not_offer_undo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(tmp_path, ("cycling", {**CYCLING, "date": TODAY.isoformat()}))
    fill_the_disk_for_undo(monkeypatch)
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "d", "y")
        title, message, severity = last_notification(app)
        assert title == "Deleted cycling on Wed 25 Nov 2026." and severity == "warning"
        assert "cannot be undone" in message and "Press u" not in message
        assert day_option_ids(app) == []
    assert stored(tmp_path) == []


async def test_an_undo_that_cannot_update_the_journal_says_it_repeats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(tmp_path, ("cycling", {**CYCLING, "date": TODAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        fill_the_disk_for_undo(monkeypatch)
        await press(pilot, "u")
        title, message, severity = last_notification(app)
        assert title == "Undid: added cycling on Wed 25 Nov 2026" and severity == "warning"
        assert message.startswith("Undone, but undo.home.json could not be updated")
        assert "the next undo repeats this one" in message
    assert stored(tmp_path) == []


async def test_the_next_write_with_room_on_the_disk_is_plain_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warning belongs to the write that met the full disk, not to the ones after it."""
    seed(tmp_path, ("lunge", {**LUNGE, "date": YESTERDAY.isoformat()}))
    disk_full = fill_the_disk_for_undo(monkeypatch)
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "l", "enter")
        assert "cannot be undone" in notifications(app)[-1]
        disk_full(False)
        await press(pilot, "c")
        await type_text(pilot, "20")
        await press(pilot, "enter")
        assert last_notification(app) == (
            "",
            "Logged cycling on Wed 25 Nov 2026 (u to undo)",
            "information",
        )


async def test_a_bug_in_a_write_is_not_passed_off_as_a_refusal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only TrackerError and OSError are answered in words; anything else ends the app with its
    traceback rather than a "Not saved" that would hide it."""
    from textual.worker import WorkerFailed

    seed(tmp_path, ("lunge", {**LUNGE, "date": YESTERDAY.isoformat()}))
    app = create_app(tmp_path, today=TODAY)
    with pytest.raises(WorkerFailed):
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)

            def bug(*args: object, **kwargs: object) -> None:
                raise KeyError("sets")

            monkeypatch.setattr(app.writer, "add", bug)
            await pilot.press("l", "enter")
            await settle(pilot)
    assert not any(text.startswith("Not saved") for text in notifications(app))
    assert len(stored(tmp_path)) == 1
