"""Forms that behave (issue 14): keys typed fast land in their own fields, ``enter`` goes to the
next empty required field before it saves, the arrows move between fields, ``escape`` asks
before it drops what was typed, empty fields say "required", Save and Cancel buttons, dates as
people type them, the meaning of a field under it, and distances in miles."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from test_tui_app import (
    CYCLING,
    LUNGE,
    ROTATION,
    TODAY,
    YESTERDAY,
    open_store,
    post_burst,
    press,
    seed,
    settle,
    stored,
    type_text,
)
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from tracker.dates import examples
from tracker.kinds import Figure, Kind, register, unregister
from tracker.records import Field
from tracker.settings import Settings
from tracker.tui.app import TrackerApp, create_app
from tracker.tui.screens.confirm import ConfirmScreen
from tracker.tui.screens.forms import EntryForm
from tracker.tui.screens.today import TodayScreen
from tracker.tui.widgets.choice import ChoiceListScreen, ChoicePicker

CHECKIN = {"knee_pain": 3, "back_pain": 2, "clicking_left": 1, "clicking_right": 1}


@asynccontextmanager
async def running(
    folder: Path, *, size: tuple[int, int] = (80, 24), settings: Settings | None = None
) -> AsyncIterator[tuple[TrackerApp, Pilot[int]]]:
    """The app at the user's usual 80x24 terminal, with fixed today and default settings."""
    app = create_app(folder, today=TODAY, settings=settings)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        yield app, pilot


def form_of(app: TrackerApp) -> EntryForm:
    form = app.screen
    assert isinstance(form, EntryForm), f"expected a form, got {form!r}"
    return form


def focused_field(app: TrackerApp) -> str:
    focused = app.screen.focused
    assert focused is not None and focused.id is not None
    return focused.id.removeprefix("field-")


def text_of(widget: Static) -> str:
    return str(widget.render())


# ---------------------------------------------------------------- keys typed with no pause


async def test_keys_typed_without_a_pause_after_s_land_in_the_check_in(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        # No pause between the keys: the form must have its first field focused before "3".
        await pilot.press("s", "3", "tab", "2", "tab", "1", "tab", "4", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    checkin = open_store(tmp_path).checkin_on(TODAY)
    assert checkin is not None
    assert checkin["date"] == TODAY.isoformat()
    assert (checkin["knee_pain"], checkin["back_pain"]) == (3, 2)
    assert (checkin["clicking_left"], checkin["clicking_right"]) == (1, 4)


async def test_a_burst_that_opens_the_form_fills_it_field_by_field(tmp_path: Path) -> None:
    """What a terminal hands over in one read (a fast typist): "s", the digits, tabs and enter
    before the app has drawn the form. Nothing may land in Date or shift a field down."""
    async with running(tmp_path) as (app, pilot):
        post_burst(app, "s7\t6\t0\t2\r")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    checkin = open_store(tmp_path).checkin_on(TODAY)
    assert checkin is not None, "the burst was refused: a digit went to the wrong field"
    assert (checkin["knee_pain"], checkin["back_pain"]) == (7, 6)
    assert (checkin["clicking_left"], checkin["clicking_right"]) == (0, 2)


async def test_a_burst_with_enter_between_values_fills_each_field(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        post_burst(app, "s5\r4\r3\r2\r")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    checkin = open_store(tmp_path).checkin_on(TODAY)
    assert checkin is not None
    assert [checkin[name] for name in CHECKIN] == [5, 4, 3, 2]


async def test_exercise_keys_typed_fast_go_to_the_first_number_field(tmp_path: Path) -> None:
    seed(
        tmp_path,
        ("lunge", {**LUNGE, "date": YESTERDAY.isoformat()}),
        ("rotation", {**ROTATION, "date": YESTERDAY.isoformat()}),
    )
    async with running(tmp_path) as (app, pilot):
        post_burst(app, "l5\r")
        await settle(pilot)
        await settle(pilot)
        post_burst(app, "r4\r")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    today = {e["kind"]: e for e in stored(tmp_path) if e["date"] == TODAY.isoformat()}
    assert today["lunge"]["sets"] == 5 and today["lunge"]["tempo"] == LUNGE["tempo"]
    assert today["rotation"]["sets"] == 4 and today["rotation"]["band"] == ROTATION["band"]


async def test_the_form_opens_with_its_first_field_focused(tmp_path: Path) -> None:
    seed(tmp_path, ("rotation", {**ROTATION, "date": YESTERDAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s")
        assert focused_field(app) == "knee_pain"
        await press(pilot, "escape", "r")
        assert focused_field(app) == "sets"  # the first number, not the exercise list


# ---------------------------------------------------------------- enter


async def test_enter_goes_to_the_next_empty_required_field_then_saves(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "3", "enter")
        form = form_of(app)
        assert focused_field(app) == "back_pain"
        assert not form.query_one("#form-error").display  # moving on is not a refusal
        await press(pilot, "2", "enter")
        assert focused_field(app) == "clicking_left"
        await press(pilot, "1", "enter")
        assert focused_field(app) == "clicking_right"
        assert stored(tmp_path) == []
        await press(pilot, "0", "enter")
        assert isinstance(app.screen, TodayScreen)
    [checkin] = stored(tmp_path)
    assert [checkin[name] for name in CHECKIN] == [3, 2, 1, 0]


async def test_enter_skips_filled_and_optional_fields_and_wraps(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "tab", "4", "tab", "tab", "2", "enter")
        assert focused_field(app) == "knee_pain"  # back to the one left empty at the top
        await press(pilot, "6", "enter")
        assert focused_field(app) == "clicking_left"
        await press(pilot, "tab", "tab", "tab", "enter")  # from notes, back up to the gap
        assert focused_field(app) == "clicking_left"
        await press(pilot, "3", "enter")
        assert isinstance(app.screen, TodayScreen)
    [checkin] = stored(tmp_path)
    assert [checkin[name] for name in CHECKIN] == [6, 4, 3, 2]


async def test_nine_keys_still_log_a_check_in(tmp_path: Path) -> None:
    keys = ["s", "4", "tab", "2", "tab", "1", "tab", "3", "enter"]
    async with running(tmp_path) as (app, pilot):
        await press(pilot, *keys)
        assert isinstance(app.screen, TodayScreen)
    assert len(keys) == 9
    [checkin] = stored(tmp_path)
    assert [checkin[name] for name in CHECKIN] == [4, 2, 1, 3]


async def test_enter_on_a_new_exercise_walks_its_required_fields(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "l", "3", "enter")
        assert focused_field(app) == "reps"
        await type_text(pilot, "10")
        await press(pilot, "enter")
        assert focused_field(app) == "tempo"  # side has its default, both
        await type_text(pilot, "4-1-4")
        await press(pilot, "enter")
        assert isinstance(app.screen, TodayScreen)
    [lunge] = stored(tmp_path)
    assert (lunge["sets"], lunge["reps"], lunge["side"], lunge["tempo"]) == (
        3,
        10,
        "both",
        "4-1-4-0",
    )


async def test_enter_with_a_wrong_value_keeps_the_form_and_says_why(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "1", "2", "tab", "2", "tab", "1", "tab", "1", "enter")
        form = form_of(app)
        hint = form.query_one("#hint-knee_pain", Static)
        assert hint.has_class("-error")
        assert "must be a whole number from 0 to 10" in text_of(hint)
        assert focused_field(app) == "knee_pain"
    assert stored(tmp_path) == []


async def test_enter_on_a_list_field_opens_its_list_and_up_down_move_in_it(
    tmp_path: Path,
) -> None:
    seed(tmp_path, ("rotation", {**ROTATION, "date": YESTERDAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "r", "down", "down", "down", "down")
        assert focused_field(app) == "band"
        await press(pilot, "enter")
        assert isinstance(app.screen, ChoiceListScreen)
        await press(pilot, "down", "enter")  # blue -> black
        form = form_of(app)
        assert form.query_one("#field-band", ChoicePicker).value == "black"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, TodayScreen)
    today = [e for e in stored(tmp_path) if e["date"] == TODAY.isoformat()]
    assert today[0]["band"] == "black"


# ---------------------------------------------------------------- up / down


async def test_up_and_down_move_between_fields_of_every_type(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "5", "down")
        assert focused_field(app) == "back_pain"
        await press(pilot, "down", "down")
        assert focused_field(app) == "clicking_right"
        form = form_of(app)
        assert form.query_one("#field-clicking_right", ChoicePicker).value is None  # unchanged
        await press(pilot, "up")
        assert focused_field(app) == "clicking_left"
        assert form.query_one("#field-clicking_left", ChoicePicker).value is None
        await press(pilot, "up", "up")
        assert focused_field(app) == "knee_pain"
        assert form.query_one("#field-knee_pain", Input).value == "5"


async def test_clicking_changes_with_digits_and_left_right_not_up_down(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "down", "down")
        picker = form_of(app).query_one("#field-clicking_left", ChoicePicker)
        await press(pilot, "2")
        assert picker.value == "2"
        await press(pilot, "right")
        assert picker.value == "3"
        await press(pilot, "left", "left")
        assert picker.value == "1"
        await press(pilot, "down")
        assert picker.value == "1"
        assert focused_field(app) == "clicking_right"


# ---------------------------------------------------------------- escape


async def test_escape_closes_an_unchanged_form_at_once(tmp_path: Path) -> None:
    seed(tmp_path, ("lunge", {**LUNGE, "date": YESTERDAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "l", "escape")
        assert isinstance(app.screen, TodayScreen)
        await press(pilot, "s", "escape")
        assert isinstance(app.screen, TodayScreen)
    assert len(stored(tmp_path)) == 1


async def test_escape_on_a_changed_form_asks_before_discarding(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "4", "tab", "3", "escape")
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert question.question == "Discard the changes?"
        await press(pilot, "n")
        form = form_of(app)
        assert form.query_one("#field-knee_pain", Input).value == "4"
        assert form.query_one("#field-back_pain", Input).value == "3"
        await press(pilot, "escape", "y")
        assert isinstance(app.screen, TodayScreen)
    assert stored(tmp_path) == []


# ---------------------------------------------------------------- empty required fields


async def test_empty_required_fields_say_required_and_are_counted(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "tab", "5", "ctrl+s")
        form = form_of(app)
        knee = text_of(form.query_one("#hint-knee_pain", Static))
        assert knee == "required, a whole number from 0 to 10"
        assert "required" in text_of(form.query_one("#hint-clicking_left", Static))
        assert not form.query_one("#hint-back_pain", Static).has_class("-error")
        error = text_of(form.query_one("#form-error", Static))
        assert error.startswith("Not saved: 3 fields still empty (Knee pain · ")
        assert focused_field(app) == "knee_pain"
        await press(pilot, "1", "1", "tab", "tab", "2", "ctrl+s")
        error = text_of(form.query_one("#form-error", Static))
        assert error == (
            "Not saved: Clicking, right knee is still empty; Knee pain needs a different value."
        )
        assert "must be a whole number" in text_of(form.query_one("#hint-knee_pain", Static))
    assert stored(tmp_path) == []


# ---------------------------------------------------------------- buttons


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pytest.mark.parametrize("key", ["l", "r"])
async def test_save_button_is_reached_from_the_keyboard_and_seen(
    tmp_path: Path, size: tuple[int, int], key: str
) -> None:
    seed(
        tmp_path,
        ("lunge", {**LUNGE, "date": YESTERDAY.isoformat()}),
        ("rotation", {**ROTATION, "date": YESTERDAY.isoformat()}),
    )
    async with running(tmp_path, size=size) as (app, pilot):
        await press(pilot, key)
        form = form_of(app)
        save = form.query_one("#form-save", Button)
        for _ in range(20):
            if form.focused is save:
                break
            await press(pilot, "down")
        assert form.focused is save
        await pilot.pause()
        box = form.query_one("#form-box")
        assert box.content_region.contains_region(save.region), "Save is off-screen"
        cancel = form.query_one("#form-cancel", Button)
        assert box.content_region.contains_region(cancel.region), "Cancel is off-screen"
        await press(pilot, "enter")
        assert isinstance(app.screen, TodayScreen)
    assert len([e for e in stored(tmp_path) if e["date"] == TODAY.isoformat()]) == 1


async def test_buttons_save_and_cancel_with_the_mouse(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 36)) as (app, pilot):
        await press(pilot, "s", "2", "tab", "2", "tab", "0", "tab", "0")
        await pilot.click("#form-cancel")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # it was changed: asks first
        await press(pilot, "n")
        await pilot.click("#form-save")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        await press(pilot, "l")
        await pilot.click("#form-cancel")  # nothing typed: closes at once
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    [checkin] = stored(tmp_path)
    assert [checkin[name] for name in CHECKIN] == [2, 2, 0, 0]


# ---------------------------------------------------------------- dates


async def test_the_date_field_takes_dates_as_people_type_them(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s")
        form = form_of(app)
        box = form.query_one("#form-box")
        assert box.border_title == "Check-in · Wed 25 Nov 2026"
        await press(pilot, "up")
        assert focused_field(app) == "date"
        await pilot.pause()
        meaning = form.query_one("#meaning-date", Static)
        assert meaning.display and examples("day/month/year") in text_of(meaning)
        await type_text(pilot, "yesterday")
        await pilot.pause()
        assert box.border_title == "Check-in · Tue 24 Nov 2026"  # before saving
        await press(pilot, "enter", "3", "tab", "3", "tab", "1", "tab", "1", "enter")
        assert isinstance(app.screen, TodayScreen)
    [checkin] = stored(tmp_path)
    assert checkin["date"] == YESTERDAY.isoformat()


async def test_the_title_keeps_the_last_valid_date_while_one_is_typed(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "up")
        await type_text(pilot, "2")
        await pilot.pause()
        box = form_of(app).query_one("#form-box")
        assert box.border_title == "Check-in · Wed 25 Nov 2026"
        await type_text(pilot, "0 Nov")
        await pilot.pause()
        assert box.border_title == "Check-in · Fri 20 Nov 2026"


async def test_numeric_dates_follow_the_date_order_setting(tmp_path: Path) -> None:
    settings = Settings(date_order="month/day/year", welcome=False)
    async with running(tmp_path, settings=settings) as (app, pilot):
        await press(pilot, "s")
        form = form_of(app)
        assert "11/24/2026" in text_of(form.query_one("#meaning-date", Static))
        await press(pilot, "up")
        await type_text(pilot, "11/23/2026")
        await press(pilot, "tab", "1", "tab", "1", "tab", "0", "tab", "0", "enter")
        assert isinstance(app.screen, TodayScreen)
    [checkin] = stored(tmp_path)
    assert checkin["date"] == "2026-11-23"


async def test_a_date_in_the_future_is_refused_with_the_rule(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "up")
        await type_text(pilot, "tomorrow")
        await press(pilot, "tab", "1", "tab", "1", "tab", "0", "tab", "0", "enter")
        form = form_of(app)
        hint = text_of(form.query_one("#hint-date", Static))
        assert hint.startswith("must be a date such as today, yesterday")
        assert "to today (2026-11-25)" in hint
        assert focused_field(app) == "date"
    assert stored(tmp_path) == []


# ---------------------------------------------------------------- what a field means


WALL_SIT = Kind(
    name="wallsit",
    label="Wall sits",
    short_label="Wall sit",
    key="w",
    fields=(
        Field(
            "seconds",
            "Seconds",
            "--seconds",
            "int",
            required=True,
            low=1,
            high=300,
            hint="How long you held the sit, back flat against the wall",
        ),
        Field("knee_angle", "Knee angle", "--angle", "int", low=30, high=120),
    ),
    figures=lambda entry: [[Figure(f"{entry['seconds']} s", f"{entry['seconds']} s")]],
    volume=lambda entry: float(entry["seconds"]),
    volume_unit="s",
    volume_title="Wall sits: seconds",
    after_words="wall sits",
)


@pytest.fixture
def wall_sit() -> Iterator[Kind]:
    register(WALL_SIT)
    yield WALL_SIT
    unregister(WALL_SIT.name)


async def test_a_field_s_meaning_shows_under_it(wall_sit: Kind, tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "w")
        form = form_of(app)
        meaning = form.query_one("#meaning-seconds", Static)
        assert text_of(meaning) == "How long you held the sit, back flat against the wall"
        assert meaning.region.y > form.query_one("#field-seconds").region.y  # under its field
        assert not form.query("#meaning-knee_angle")  # no hint, no line
        rows = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "back flat against the wall" in rows
        await press(pilot, "0", "ctrl+s")  # an error replaces the rule, not the meaning
        assert form.query_one("#hint-seconds", Static).has_class("-error")
        assert "back flat against the wall" in text_of(meaning)


# ---------------------------------------------------------------- miles


async def test_distance_in_miles_is_shown_typed_and_stored_in_km(tmp_path: Path) -> None:
    miles = Settings(distance="miles", welcome=False)
    async with running(tmp_path, settings=miles) as (app, pilot):
        await press(pilot, "c")
        form = form_of(app)
        label = str(form.query_one("#row-distance_km .field-label", Static).render())
        assert label == "Distance (miles)"
        assert "0-310.69" in text_of(form.query_one("#hint-distance_km", Static))
        await type_text(pilot, "30")
        await press(pilot, "tab")
        await type_text(pilot, "10")
        await press(pilot, "enter")
        assert isinstance(app.screen, TodayScreen)
    [ride] = stored(tmp_path)
    assert ride["distance_km"] == 16.09  # 10 miles


async def test_a_ride_repeated_in_miles_keeps_its_km_exactly(tmp_path: Path) -> None:
    seed(tmp_path, ("cycling", {**CYCLING, "date": YESTERDAY.isoformat()}))  # 10.5 km
    async with running(tmp_path, settings=Settings(distance="miles", welcome=False)) as (
        app,
        pilot,
    ):
        await press(pilot, "c")
        shown = form_of(app).query_one("#field-distance_km", Input).value
        assert shown == "6.52"
        await press(pilot, "enter")
        assert isinstance(app.screen, TodayScreen)
    today = [e for e in stored(tmp_path) if e["date"] == TODAY.isoformat()]
    assert today[0]["distance_km"] == CYCLING["distance_km"]  # not 10.49 from 6.52 miles


async def test_a_distance_above_the_limit_in_miles_says_the_limit_in_miles(
    tmp_path: Path,
) -> None:
    async with running(tmp_path, settings=Settings(distance="miles", welcome=False)) as (
        app,
        pilot,
    ):
        await press(pilot, "c", "3", "0", "tab")
        await type_text(pilot, "400")
        await press(pilot, "enter")
        hint = text_of(form_of(app).query_one("#hint-distance_km", Static))
        assert hint == "must be a number from 0 to 310.69"
    assert stored(tmp_path) == []


async def test_only_the_focused_field_says_what_it_means_so_the_checkin_fits_80x24(
    tmp_path: Path,
) -> None:
    async with running(tmp_path, size=(80, 24)) as (app, pilot):
        await press(pilot, "s")
        await pilot.pause()
        form = form_of(app)
        shown = [m.id for m in form.query(".field-meaning") if m.display]
        assert shown == ["meaning-knee_pain"]
        await press(pilot, "down")
        await pilot.pause()
        shown = [m.id for m in form.query(".field-meaning") if m.display]
        assert shown == ["meaning-back_pain"]
        box = form.query_one("#form-box")
        save = form.query_one("#form-save", Button)
        assert box.content_region.contains_region(save.region), "Save is below the screen"


async def test_keys_typed_right_after_e_go_to_the_entry_being_edited(tmp_path: Path) -> None:
    """Like s, l, c and r: e opens the form before the next key is read, so "5" replaces the
    first field's value (sets) instead of being lost on Today or landing in Date."""
    seed(tmp_path, ("lunge", {**LUNGE, "date": TODAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        await pilot.press("down")  # select the lunge
        post_burst(app, "e5")
        await settle(pilot)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    [lunge] = [e for e in stored(tmp_path) if e["kind"] == "lunge"]
    assert lunge["sets"] == 5 and lunge["date"] == TODAY.isoformat()
