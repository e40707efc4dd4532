"""Adding a kind is shown, not claimed (issue 8): a kind that exists only in this module,
registered through the same ``tracker.kinds.register`` as the built-in ones, is logged from
Today with its own key, shown on Today and in History, edited, deleted, filtered, and listed in
the footer, help and the palette, without a line of the app written for it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from test_tui_app import (
    TODAY,
    YESTERDAY,
    day_option_ids,
    notifications,
    press,
    running,
    screen_rows,
    seed,
    stored,
    type_text,
)
from textual.widgets import Input, OptionList, Static

from tracker.kinds import Figure, Kind, register, unregister
from tracker.kinds.common import effort, how_it_felt, pain_during
from tracker.records import Field
from tracker.tui.app import create_app
from tracker.tui.screens.confirm import ConfirmScreen
from tracker.tui.screens.forms import EntryForm
from tracker.tui.screens.help import HelpScreen
from tracker.tui.screens.history import HistoryScreen
from tracker.tui.screens.today import TodayScreen
from tracker.tui.widgets.choice import ChoicePicker
from tracker.tui.widgets.entry_table import EntryTable


def bridge_figures(entry: Mapping[str, Any]) -> list[list[Figure]]:
    first = [Figure(f"{entry['sets']} × {entry['reps']}", f"{entry['sets']}x{entry['reps']}")]
    if entry.get("support") is not None:
        first.append(Figure(f"on the {entry['support']}", entry["support"]))
    return [first, how_it_felt(entry)]


# An exercise with a list field of its own (no built-in kind has "support"): its form needs
# the fields' types, not the kind's name.
BRIDGE = Kind(
    name="bridge",
    label="Glute bridges",
    short_label="Bridges",
    key="g",
    fields=(
        Field("sets", "Sets", "--sets", "int", required=True, low=1, high=10),
        Field("reps", "Reps", "--reps", "int", required=True, low=1, high=50),
        Field("support", "Support", "--support", "choice", choices=("floor", "bed", "ball")),
        effort(),
        pain_during(),
    ),
    figures=bridge_figures,
    volume=lambda entry: float(entry["sets"]),
    volume_unit="sets",
    volume_title="Glute bridges: sets",
    after_words="glute bridges",
)

# A daily record that is not an exercise, like the check-in.
SLEEP = Kind(
    name="sleep",
    label="Sleep",
    short_label="Sleep",
    key="z",
    fields=(Field("hours", "Hours slept", "--hours", "number", required=True, low=0, high=24),),
    figures=lambda entry: [[Figure(f"{entry['hours']} h asleep", f"{entry['hours']} h")]],
)

BRIDGE_VALUES = {"sets": 2, "reps": 12, "support": "bed", "effort": 4}


@pytest.fixture
def bridge() -> Iterator[Kind]:
    register(BRIDGE)
    yield BRIDGE
    unregister(BRIDGE.name)


@pytest.fixture
def sleep() -> Iterator[Kind]:
    register(SLEEP)
    yield SLEEP
    unregister(SLEEP.name)


def footer_row(app: Any) -> str:
    return str(screen_rows(app)[-1])


def help_text(app: Any) -> str:
    return str(app.screen.query_one("#help-keys", Static).render())


async def test_its_key_opens_a_form_of_its_fields_and_saves(bridge: Kind, tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        hint = str(app.screen.query_one("#still-to-log", Static).render())
        assert hint.endswith("external rotation (r), glute bridges (g)")
        await press(pilot, "g")
        form = app.screen
        assert isinstance(form, EntryForm) and form.kind == "bridge"
        assert form.query_one("#form-box").border_title == "Glute bridges · Wed 25 Nov 2026"
        rows = [row.id for row in form.query(".field-row")]
        assert rows == [
            "row-date",
            "row-sets",
            "row-reps",
            "row-support",
            "row-effort",
            "row-pain_during",
            "row-notes",
        ]
        # Its own list field is a list, with "not recorded" first since it is optional.
        support = form.query_one("#field-support", ChoicePicker)
        assert [value for value, _label in support.choices] == ["", "floor", "bed", "ball"]
        assert form.focused is form.query_one("#field-sets")
        await type_text(pilot, "2")
        await press(pilot, "tab")
        await type_text(pilot, "12")
        await press(pilot, "tab", "b", "b", "tab")  # type-ahead: bed, then ball
        await type_text(pilot, "4")
        await press(pilot, "enter")
        assert isinstance(app.screen, TodayScreen)
        assert "Logged glute bridges on Wed 25 Nov 2026 (u to undo)" in notifications(app)
        [card] = [o for o in app.screen.query_one("#day-entries", OptionList).options if o.id]
        assert "Glute bridges" in str(card.prompt) and "2 × 12 · on the ball" in str(card.prompt)
        hint = str(app.screen.query_one("#still-to-log", Static).render())
        assert "glute bridges" not in hint
    [entry] = stored(tmp_path)
    assert entry["kind"] == "bridge"
    assert (entry["sets"], entry["reps"], entry["support"], entry["effort"]) == (2, 12, "ball", 4)


async def test_its_form_refuses_a_value_outside_its_own_rule(bridge: Kind, tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "g")
        await type_text(pilot, "11")
        await press(pilot, "tab")
        await type_text(pilot, "12")
        await press(pilot, "enter")
        form = app.screen
        assert isinstance(form, EntryForm)
        hint = form.query_one("#hint-sets", Static)
        assert hint.has_class("-error")
        assert "a whole number from 1 to 10" in str(hint.render())
    assert stored(tmp_path) == []


async def test_its_form_starts_from_its_last_session(bridge: Kind, tmp_path: Path) -> None:
    seed(tmp_path, ("bridge", {**BRIDGE_VALUES, "date": YESTERDAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "g", "enter")  # two keys repeat the last session, as for lunges
        assert isinstance(app.screen, TodayScreen)
    last, today = stored(tmp_path)
    assert today["date"] == TODAY.isoformat() and today["id"] != last["id"]
    assert all(today[name] == value for name, value in BRIDGE_VALUES.items())


async def test_it_is_edited_deleted_and_undone_from_today(bridge: Kind, tmp_path: Path) -> None:
    seed(tmp_path, ("bridge", {**BRIDGE_VALUES, "date": TODAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, EntryForm)
        assert form.query_one("#field-sets", Input).value == "2"
        assert form.query_one("#field-support", ChoicePicker).value == "bed"
        assert form.query_one("#form-box").border_title == "Edit glute bridges · Wed 25 Nov 2026"
        await press(pilot, "3", "enter")
        assert isinstance(app.screen, TodayScreen)
        assert stored(tmp_path)[0]["sets"] == 3
        await press(pilot, "d")
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question == "Delete the glute bridges on Wed 25 Nov 2026?"
        await press(pilot, "y")
        assert stored(tmp_path) == [] and day_option_ids(app) == []
        await press(pilot, "u")
        assert len(day_option_ids(app)) == 1
    assert stored(tmp_path)[0]["sets"] == 3


async def test_it_is_listed_filtered_edited_and_deleted_in_history(
    bridge: Kind, tmp_path: Path
) -> None:
    seed(
        tmp_path,
        ("bridge", {**BRIDGE_VALUES, "date": YESTERDAY.isoformat()}),
        ("cycling", {"minutes": 30, "date": TODAY.isoformat()}),
    )
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "2")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one(EntryTable)
        row = "".join(segment.text for segment in table.render_line(2))
        assert "Bridges" in row and "2x12, bed, effort 4" in row
        kinds = screen.query_one("#filter-kind", ChoicePicker)
        assert ("bridge", "Bridges") in kinds.choices
        # all kinds, then in the registry's order: lunges, cycling, rotation, check-in, the
        # questionnaires, bridges
        steps = [value for value, _label in kinds.choices].index("bridge")
        await press(pilot, *["k"] * steps)
        assert kinds.value == "bridge"
        assert table.row_count == 1
        assert "1 of 2 entries" in str(screen.query_one("#filter-count", Static).render())
        await press(pilot, "e")
        assert isinstance(app.screen, EntryForm)
        await press(pilot, "5", "enter")
        assert isinstance(app.screen, HistoryScreen)
        assert table.selected is not None and table.selected["sets"] == 5
        await press(pilot, "d", "y")
        assert table.row_count == 0
    assert [entry["kind"] for entry in stored(tmp_path)] == ["cycling"]


async def test_its_key_is_in_the_footer_help_and_palette(bridge: Kind, tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        # The exercises, then Edit (what is logged now and then, the plan p and events v, is
        # in help and the palette: the footer keeps the everyday keys at 80 columns).
        assert "r Rotation g Bridges e Edit" in footer_row(app)
        titles = {command.title: command.help for command in app.get_system_commands(app.screen)}
        assert titles.get("Bridges") == "Key: g"
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        lines = help_text(app).split("\n")
        assert any(line.startswith("g ") and line.endswith("Bridges") for line in lines)
        await press(pilot, "escape")
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Bridges")
        await press(pilot, "enter")
        assert isinstance(app.screen, EntryForm) and app.screen.kind == "bridge"


async def test_a_kind_that_is_no_exercise_is_a_daily_line_and_starts_empty(
    sleep: Kind, tmp_path: Path
) -> None:
    seed(tmp_path, ("sleep", {"hours": "7.5", "date": YESTERDAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        lines = [str(o.prompt) for o in app.screen.query_one("#day-entries", OptionList).options]
        assert any(line.startswith("Sleep") and "not logged yet: press z" in line for line in lines)
        hint = str(app.screen.query_one("#still-to-log", Static).render())
        assert "sleep" not in hint.lower()  # the line under the day lists exercises
        assert "s Check-in z Sleep l Lunges" in footer_row(app)
        await press(pilot, "z")
        form = app.screen
        assert isinstance(form, EntryForm)
        assert form.query_one("#field-hours", Input).value == ""  # not yesterday's
        await type_text(pilot, "6")
        await press(pilot, "enter")
        assert isinstance(app.screen, TodayScreen)
        cards = [str(o.prompt) for o in app.screen.query_one("#day-entries", OptionList).options]
        assert any("6 h asleep" in card for card in cards)
    assert sorted(entry["hours"] for entry in stored(tmp_path)) == [6, 7.5]


async def test_a_kind_whose_key_is_taken_is_refused_naming_both(tmp_path: Path) -> None:
    """A kind keyed like Edit would hide Edit on Today: the app says so as it starts."""
    register(BRIDGE._replace(name="wallsit", key="e"))
    try:
        app = create_app(tmp_path, today=TODAY)
        with pytest.raises(ValueError, match=r"the kind 'wallsit' has the key 'e'.*'Edit'"):
            async with app.run_test(size=(120, 36)):
                pass
    finally:
        unregister("wallsit")
