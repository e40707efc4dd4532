"""Events in the app (issue 11, part 3): `v` on Today opens the event form; an event shows on
its day and in History; Today never asks for one; the pain tab marks it."""

from __future__ import annotations

from pathlib import Path

from test_tui_app import TODAY, YESTERDAY, day_option_ids, press, running, seed, stored, type_text
from textual.widgets import OptionList, Static

from tracker.tui.screens.forms import EntryForm
from tracker.tui.screens.history import HistoryScreen
from tracker.tui.widgets.entry_table import EntryTable


def today_text(app: object) -> str:
    options = app.screen.query_one("#day-entries", OptionList).options  # type: ignore[attr-defined]
    return "\n".join(str(option.prompt) for option in options)


async def test_v_opens_the_event_form_and_saves_a_flare_with_its_end(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        assert "not logged yet: press v" not in today_text(app)  # never asked for
        assert "Press v to note an event when one happens." in today_text(app)
        await press(pilot, "v")
        form = app.screen
        assert isinstance(form, EntryForm) and form.kind == "event"
        rows = [row.id for row in form.query(".field-row")]
        assert rows == ["row-date", "row-type", "row-text", "row-end_date", "row-notes"]
        assert app.focused is not None and app.focused.id == "field-text"  # typed first
        await type_text(pilot, "knee swollen after stairs")
        await press(pilot, "shift+tab")  # the type: picked by its first letter
        await press(pilot, "f", "tab", "tab")
        await type_text(pilot, "today")
        await press(pilot, "ctrl+s")
    [entry] = stored(tmp_path)
    assert entry["kind"] == "event" and entry["type"] == "flare"
    assert entry["text"] == "knee swollen after stairs"
    assert entry["end_date"] == TODAY.isoformat()


async def test_an_end_on_a_visit_is_refused_beside_the_field(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "v")
        await type_text(pilot, "hips stronger")
        await press(pilot, "shift+tab", "p", "tab", "tab")
        await type_text(pilot, "today")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, EntryForm)
        hint = str(app.screen.query_one("#hint-end_date", Static).render())
        assert "flare" in hint
    assert stored(tmp_path) == []


async def test_an_event_shows_on_its_day_and_in_history(tmp_path: Path) -> None:
    seed(
        tmp_path,
        (
            "event",
            {
                "date": YESTERDAY.isoformat(),
                "type": "flare",
                "text": "knee \x1b[31mswollen",
                "end_date": TODAY.isoformat(),
            },
        ),
    )
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "left")
        text = today_text(app)
        assert "Flare: knee \\e[31mswollen" in text
        assert "Flare from Tue 24 Nov 2026 to Wed 25 Nov 2026 (2 days)" in text
        assert len(day_option_ids(app)) == 1
        await press(pilot, "2")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        row = "".join(seg.text for seg in screen.query_one(EntryTable).render_line(1))
        assert "Event" in row and "flare: knee \\e[31mswollen" in row
