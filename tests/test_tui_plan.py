"""The plan in the app: p opens the plan form, Today shows the plan, l prefills from it."""

from __future__ import annotations

from typing import Any

from test_tui_app import LUNGE, TODAY, YESTERDAY, press, running, seed, stored, type_text
from textual.widgets import OptionList

from tracker.tui.screens.plan_form import PlanForm
from tracker.tui.screens.today import TodayScreen

PLAN: dict[str, Any] = {
    "exercise": "lunge",
    "sets": 3,
    "reps": 12,
    "tempo": "5-0-3",
    "days_per_week": 5,
}


def today_text(app: Any) -> str:
    options = app.screen.query_one("#day-entries", OptionList)
    return "\n".join(
        str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
    )


async def test_p_then_l_sets_the_lunge_plan_from_the_day_shown(tmp_path: Any) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "p", "l")
        assert isinstance(app.screen, PlanForm)
        # Only the fields that fit lunges, then the days a week.
        names = [spec.name for spec in app.screen.specs]
        assert names == ["sets", "reps", "tempo", "days_per_week"]
        await press(pilot, "3", "tab", "1", "0", "tab")
        await type_text(pilot, "5-0-3")
        await press(pilot, "tab", "5", "enter")
        assert isinstance(app.screen, TodayScreen)
        assert "Tempo lunges: plan 3 × 10 at 5-0-3-0, 5 days a week; done 0 of 5" in today_text(app)
        # Not an entry Today asks for every day.
        assert "Plan" not in str(app.screen.query_one("#still-to-log").render())
    [plan] = stored(tmp_path)
    assert plan["kind"] == "plan" and plan["exercise"] == "lunge" and plan["date"] == str(TODAY)
    assert (plan["sets"], plan["reps"], plan["tempo"], plan["minutes"]) == (3, 10, "5-0-3-0", None)


async def test_the_plan_form_starts_from_the_plan_in_force(tmp_path: Any) -> None:
    seed(tmp_path, ("plan", {**PLAN, "date": YESTERDAY.isoformat()}))
    async with running(tmp_path) as (_app, pilot):
        await press(pilot, "p", "l", "tab", "1", "4", "ctrl+s")  # sets stays, reps -> 14
    plans = sorted((p for p in stored(tmp_path)), key=lambda p: p["date"])
    assert [(p["date"], p["sets"], p["reps"], p["tempo"]) for p in plans] == [
        (YESTERDAY.isoformat(), 3, 12, "5-0-3-0"),
        (TODAY.isoformat(), 3, 14, "5-0-3-0"),
    ]


async def test_l_enter_logs_what_the_plan_asks_and_the_side_of_the_last_session(
    tmp_path: Any,
) -> None:
    seed(
        tmp_path,
        ("lunge", {**LUNGE, "side": "left", "date": YESTERDAY.isoformat()}),
        ("plan", {**PLAN, "date": YESTERDAY.isoformat()}),
    )
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "l", "enter")
        assert "done 1 of 5 this week" in today_text(app) or "done 2 of 5" in today_text(app)
    lunge = next(e for e in stored(tmp_path) if e["kind"] == "lunge" and e["date"] == str(TODAY))
    assert (lunge["sets"], lunge["reps"], lunge["tempo"]) == (3, 12, "5-0-3-0")
    assert lunge["side"] == "left"  # the plan does not say: the last session does


async def test_escape_on_the_chooser_opens_nothing(tmp_path: Any) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "p", "escape")
        assert isinstance(app.screen, TodayScreen)
    assert stored(tmp_path) == []


async def test_editing_a_plan_from_history_opens_the_plan_form_and_keeps_one_entry(
    tmp_path: Any,
) -> None:
    from textual.widgets import Input, Label

    from tracker.tui.screens.history import HistoryScreen
    from tracker.tui.widgets.entry_table import EntryTable

    seed(tmp_path, ("plan", {**PLAN, "date": YESTERDAY.isoformat()}))
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "2")
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one(EntryTable)
        assert table.selected is not None and table.selected["kind"] == "plan"
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, PlanForm)
        # The plan's own fields only, its date named for what it is: the day it applies from.
        assert [spec.name for spec in form.specs] == ["sets", "reps", "tempo", "days_per_week"]
        labels = [str(label.render()) for label in form.query(Label)]
        assert any(text.strip().startswith("From") for text in labels)
        assert not any(text.strip() == "Date" for text in labels)
        assert form.query_one("#field-date", Input).value == YESTERDAY.isoformat()
        assert form.query_one("#field-reps", Input).value == "12"
        reps = form.query_one("#field-reps", Input)
        reps.focus()
        reps.value = ""
        await type_text(pilot, "15")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, HistoryScreen)
    [plan] = stored(tmp_path)  # an edit changes the entry; it adds no second plan
    assert (plan["date"], plan["reps"], plan["tempo"]) == (YESTERDAY.isoformat(), 15, "5-0-3-0")


async def test_at_80x24_the_plan_lines_above_the_first_card_stay_in_sight(
    tmp_path: Any,
) -> None:
    from test_tui_app import CYCLING, ROTATION, running_at

    from tracker.tui.screens.today import DayEntries

    seed(
        tmp_path,
        ("plan", {**PLAN, "date": YESTERDAY.isoformat()}),
        (
            "plan",
            {
                "exercise": "cycling",
                "minutes": 30,
                "days_per_week": 4,
                "date": YESTERDAY.isoformat(),
            },
        ),
        (
            "checkin",
            {
                "knee_pain": 4,
                "back_pain": 2,
                "clicking_left": 1,
                "clicking_right": 2,
                "date": TODAY.isoformat(),
            },
        ),
        ("lunge", {**LUNGE, "date": TODAY.isoformat()}),
        ("cycling", {**CYCLING, "date": TODAY.isoformat()}),
        ("rotation", {**ROTATION, "date": TODAY.isoformat()}),
        ("rotation", {**ROTATION, "date": TODAY.isoformat(), "exercise": "banded_side_step"}),
    )
    async with running_at(tmp_path, 80, 24) as (app, pilot):
        await pilot.pause()
        entries = app.screen.query_one("#day-entries", DayEntries)
        highlighted = entries.highlighted_option
        assert highlighted is not None and highlighted.id is not None  # the first card
        assert entries.max_scroll_y > 0  # more than the box shows: it could scroll away
        # Scrolled to the top: the plan's lines, above the card, are what the eye meets first.
        assert entries.scroll_offset.y == 0
        assert "Tempo lunges: plan 3 × 12" in today_text(app)
