"""Issue 11, parts 1 and 2: a lunge's alignment (how many reps kept the knee over the second
toe) and the movements a check-in says clicked, on every face: command line, store, forms,
cards, History, export, report, and the series the progression chart reads."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli
from test_tui_app import (
    LUNGE,
    TODAY,
    YESTERDAY,
    press,
    running,
    screen_rows,
    seed,
    settle,
    stored,
)
from textual.widgets import SelectionList, Static

from tracker import analysis, records
from tracker.records import ValidationError
from tracker.report import build_report
from tracker.report.content import report_content
from tracker.report.model import Table
from tracker.store import Store
from tracker.tui.screens.forms import EntryForm
from tracker.tui.screens.today import TodayScreen
from tracker.tui.widgets.multi import MultiListScreen, MultiPicker

ListJson = Callable[[], list[dict[str, Any]]]
CHECKIN = ("--knee-pain", "3", "--back-pain", "2", "--clicking-left", "1", "--clicking-right", "0")
LUNGE_FLAGS = ("--sets", "3", "--reps", "10", "--tempo", "4-1-4")


def log(cli: Cli, kind: str, *flags: str) -> str:
    result = cli("log", kind, *flags)
    assert result.code == 0, result.err
    return result.out.strip()


# ---------------------------------------------------------------- command line


def test_alignment_is_typed_as_a_word_and_stored_as_it(cli: Cli, list_json: ListJson) -> None:
    log(cli, "lunge", *LUNGE_FLAGS, "--alignment", "Most")
    [lunge] = list_json()
    assert lunge["alignment"] == "most"
    listed = cli("list").out
    assert "alignment most" in listed


@pytest.mark.parametrize("typed", ["2", "mostly", "all,most"])
def test_a_wrong_alignment_is_one_line_naming_the_flag_and_the_words(
    cli: Cli, list_json: ListJson, typed: str
) -> None:
    result = cli("log", "lunge", *LUNGE_FLAGS, "--alignment", typed)
    assert result.code == 2
    [line] = result.err.strip().splitlines()
    assert line.startswith("tracker: error: --alignment must be one of all, most, some, few")
    assert list_json() == []


def test_click_moves_are_typed_with_commas_and_stored_sorted(cli: Cli, list_json: ListJson) -> None:
    log(cli, "checkin", *CHECKIN, "--click-moves", "stairs, Lunge,stairs")
    [checkin] = list_json()
    assert checkin["click_moves"] == ["lunge", "stairs"]
    assert "clicked with stairs, lunge" in cli("list").out


def test_a_wrong_click_move_is_one_line_naming_the_flag_and_the_words(
    cli: Cli, list_json: ListJson
) -> None:
    result = cli("log", "checkin", *CHECKIN, "--click-moves", "stairs,knees")
    assert result.code == 2
    [line] = result.err.strip().splitlines()
    assert line.startswith(
        "tracker: error: --click-moves must be one or more of straightening, stairs, squat, "
        "lunge, other, separated by commas"
    )
    assert "'stairs,knees'" in line
    assert list_json() == []


def test_edit_changes_and_clears_both_fields(cli: Cli, list_json: ListJson) -> None:
    lunge_id = log(cli, "lunge", *LUNGE_FLAGS, "--alignment", "few")
    checkin_id = log(cli, "checkin", *CHECKIN, "--click-moves", "other")
    assert cli("edit", lunge_id[:8], "--alignment", "all").code == 0
    assert cli("edit", checkin_id[:8], "--click-moves", "squat,straightening").code == 0
    by_kind = {e["kind"]: e for e in list_json()}
    assert by_kind["lunge"]["alignment"] == "all"
    assert by_kind["checkin"]["click_moves"] == ["squat", "straightening"]
    assert cli("edit", lunge_id[:8], "--alignment", "").code == 0
    assert cli("edit", checkin_id[:8], "--click-moves", "").code == 0
    by_kind = {e["kind"]: e for e in list_json()}
    assert by_kind["lunge"]["alignment"] is None
    assert by_kind["checkin"]["click_moves"] is None


def test_help_names_the_words(capsys: pytest.CaptureFixture[str]) -> None:
    from tracker.cli import main

    def help_of(*command: str) -> str:
        capsys.readouterr()
        with pytest.raises(SystemExit):
            main([*command, "--help"])
        return capsys.readouterr().out

    lunge = help_of("log", "lunge")
    assert "--alignment ALIGNMENT" in lunge
    assert "one of all, most, some, few" in lunge
    checkin = help_of("log", "checkin")
    assert "--click-moves WORD[,WORD...]" in checkin
    assert "squat" in checkin


def test_csv_and_json_export_hold_both_fields(cli: Cli) -> None:
    log(cli, "lunge", *LUNGE_FLAGS, "--alignment", "some")
    log(cli, "checkin", *CHECKIN, "--click-moves", "stairs,squat")
    rows = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv").out)))
    by_kind = {row["kind"]: row for row in rows}
    assert by_kind["lunge"]["alignment"] == "some"
    assert by_kind["checkin"]["click_moves"] == "squat,stairs"
    assert by_kind["lunge"]["click_moves"] == ""
    exported = json.loads(cli("export").out)
    assert {e["kind"]: e for e in exported}["checkin"]["click_moves"] == ["squat", "stairs"]


def test_export_then_import_round_trips_both_fields(
    cli: Cli, list_json: ListJson, tmp_path: Path
) -> None:
    log(cli, "lunge", *LUNGE_FLAGS, "--alignment", "all")
    log(cli, "checkin", *CHECKIN, "--click-moves", "lunge")
    exported = tmp_path / "export.json"
    exported.write_text(cli("export").out)
    other = tmp_path / "other"
    result = cli("import", str(exported), "--data", str(other), data=None)
    assert result.code == 0, result.err
    assert cli("list", "--json", "--data", str(other), data=None).out == cli("list", "--json").out


# ---------------------------------------------------------------- validation and storage


def test_multi_values_from_json_lists_and_text() -> None:
    spec = records.field_spec("checkin", "click_moves")
    assert records.coerce(spec, ["stairs", "lunge"]) == ["lunge", "stairs"]
    assert records.coerce(spec, "") is None
    assert records.coerce(spec, []) is None
    assert records.coerce(spec, " , ") is None
    for bad in (["stairs", 3], "stairs;lunge", 5, {"stairs": True}):
        with pytest.raises(ValidationError) as caught:
            records.coerce(spec, bad)
        assert caught.value.field == "click_moves"


def test_entries_written_before_the_new_fields_still_read(tmp_path: Path) -> None:
    """A month file of an older tracker has lunges without alignment and check-ins without
    click_moves: it must stay readable, the fields read as None, in stored order."""
    store = Store(tmp_path, today=lambda: TODAY)
    store.add("lunge", dict(LUNGE))
    store.add(
        "checkin",
        {"knee_pain": 3, "back_pain": 2, "clicking_left": 1, "clicking_right": 0},
    )
    [month] = [p for p in tmp_path.glob("entries-*.json")]
    data = json.loads(month.read_text())
    for entry in data["entries"].values():
        entry.pop("alignment", None)
        entry.pop("click_moves", None)
    month.write_text(json.dumps(data))
    entries = Store(tmp_path, today=lambda: TODAY).entries()
    by_kind = {e["kind"]: e for e in entries}
    assert by_kind["lunge"]["alignment"] is None
    assert by_kind["checkin"]["click_moves"] is None
    assert list(by_kind["lunge"]) == list(records.field_order("lunge"))
    # An old undo step (no alignment in its states) still undoes.
    reopened = Store(tmp_path, today=lambda: TODAY)
    reopened.add("lunge", {**LUNGE, "alignment": "most"})
    reopened.undo()
    assert len(Store(tmp_path, today=lambda: TODAY).entries()) == 2


def test_a_required_field_missing_is_still_refused() -> None:
    entry = records.new_entry("lunge", {**LUNGE}, today=TODAY)
    del entry["tempo"]
    with pytest.raises(ValidationError) as caught:
        records.check_stored_entry(entry)
    assert caught.value.field == "tempo"


def test_a_stored_click_moves_list_must_be_sorted_known_words() -> None:
    entry = records.new_entry(
        "checkin",
        {"knee_pain": 3, "back_pain": 2, "clicking_left": 1, "clicking_right": 0},
        today=TODAY,
    )
    entry["click_moves"] = ["stairs", "lunge"]  # unsorted: valid, through the slow path
    records.check_stored_entry(entry)
    entry["click_moves"] = ["stairs", "knees"]
    with pytest.raises(ValidationError):
        records.check_stored_entry(entry)


# ---------------------------------------------------------------- cards and lists


def test_cards_say_alignment_and_clicked_with() -> None:
    lunge = records.new_entry("lunge", {**LUNGE, "alignment": "most"}, today=TODAY)
    assert records.key_figures(lunge)[-1] == (
        "effort 5/10 · knee pain during 2/10 · alignment: most reps"
    )
    checkin = records.new_entry(
        "checkin",
        {
            "knee_pain": 3,
            "back_pain": 2,
            "clicking_left": 1,
            "clicking_right": 0,
            "click_moves": "squat,stairs",
        },
        today=TODAY,
    )
    # In the order the form offers them, squat spelled out.
    assert records.key_figures(checkin)[-1] == "Clicked with: stairs, squat or leg press"
    without = records.new_entry("lunge", dict(LUNGE), today=TODAY)
    assert "alignment" not in " ".join(records.key_figures(without))


# ---------------------------------------------------------------- the app


async def test_lunge_form_picks_alignment_by_its_first_letter(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "l", "3", "tab", "1", "0", "tab", "tab", "4", "-", "1", "-", "4")
        await press(pilot, "down", "down", "down", "m", "ctrl+s")
        assert isinstance(app.screen, TodayScreen)
        assert any("alignment: most reps" in row for row in screen_rows(app))
    [lunge] = stored(tmp_path)
    assert lunge["alignment"] == "most"


async def test_l_enter_keeps_the_last_sessions_alignment(tmp_path: Path) -> None:
    seed(tmp_path, ("lunge", {**LUNGE, "alignment": "some", "date": YESTERDAY.isoformat()}))
    async with running(tmp_path) as (_app, pilot):
        await press(pilot, "l", "enter")
    assert [e["alignment"] for e in stored(tmp_path)] == ["some", "some"]


async def test_checkin_ticks_click_moves_by_digit_and_from_the_list(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "4", "tab", "3", "tab", "1", "tab", "2")
        await press(pilot, "down", "down", "down")
        form = app.screen
        assert isinstance(form, EntryForm)
        picker = form.query_one("#field-click_moves", MultiPicker)
        assert form.focused is picker
        await press(pilot, "2", "3", "2")  # stairs on, squat on, stairs off
        assert picker.value == "squat"
        await press(pilot, "enter")  # opens the list
        assert isinstance(app.screen, MultiListScreen)
        selection: SelectionList[str] = app.screen.query_one(SelectionList)
        assert list(selection.selected) == ["squat"]
        await press(pilot, "4", "space")  # lunge by digit; space ticks the highlighted first
        await press(pilot, "enter")
        assert isinstance(app.screen, EntryForm)
        assert picker.value == "lunge,squat,straightening"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, TodayScreen)
        assert any(
            "Clicked with: straightening, squat or leg press, lunge" in row
            for row in screen_rows(app)
        )
    [checkin] = stored(tmp_path)
    assert checkin["click_moves"] == ["lunge", "squat", "straightening"]


async def test_escape_in_the_list_keeps_what_was_ticked(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "s", "down", "down", "down", "down", "down", "down", "1", "enter")
        assert isinstance(app.screen, MultiListScreen)
        await press(pilot, "2", "escape")
        form = app.screen
        assert isinstance(form, EntryForm)
        assert form.query_one("#field-click_moves", MultiPicker).value == "straightening"


async def test_editing_a_checkin_shows_its_moves_and_can_clear_them(tmp_path: Path) -> None:
    seed(
        tmp_path,
        (
            "checkin",
            {
                "knee_pain": 3,
                "back_pain": 2,
                "clicking_left": 1,
                "clicking_right": 0,
                "click_moves": "stairs,lunge",
            },
        ),
    )
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "down", "e")
        form = app.screen
        assert isinstance(form, EntryForm)
        picker = form.query_one("#field-click_moves", MultiPicker)
        assert picker.ticked == ["stairs", "lunge"]
        picker.focus()
        await press(pilot, "2", "4", "ctrl+s")
        await settle(pilot)
    [checkin] = stored(tmp_path)
    assert checkin["click_moves"] is None


async def test_the_checkin_with_click_moves_focused_fits_80x24(tmp_path: Path) -> None:
    from test_tui_forms import running as running_at

    async with running_at(tmp_path, size=(80, 24)) as (app, pilot):
        await press(pilot, "s", "down", "down", "down", "down", "down", "down")
        form = app.screen
        assert isinstance(form, EntryForm)
        assert form.focused is form.query_one("#field-click_moves", MultiPicker)
        meaning = form.query_one("#meaning-click_moves", Static)
        assert meaning.display
        box = form.query_one("#form-box")
        save = form.query_one("#form-save")
        assert box.content_region.contains_region(save.region), "Save is below the screen"
        assert box.content_region.contains_region(meaning.region)


# ---------------------------------------------------------------- analysis and report


def _diary(days: int = 28) -> list[dict[str, Any]]:
    start = TODAY - timedelta(days=days - 1)
    entries = []
    words = ("all", "most", None, "some", "all", "few", "most")
    for offset in range(days):
        day = (start + timedelta(days=offset)).isoformat()
        moves = "stairs" if offset % 3 == 0 else ("stairs,lunge" if offset % 7 == 1 else "")
        entries.append(
            records.new_entry(
                "checkin",
                {
                    "date": day,
                    "knee_pain": 3,
                    "back_pain": 2,
                    "clicking_left": 1,
                    "clicking_right": 0,
                    "click_moves": moves,
                },
                today=TODAY,
            )
        )
        if offset % 2 == 0:
            word = words[(offset // 2) % len(words)]
            entries.append(
                records.new_entry(
                    "lunge", {**LUNGE, "date": day, "alignment": word or ""}, today=TODAY
                )
            )
    return sorted(entries, key=records.sort_key)


def test_alignment_series_scores_each_session_3_to_0() -> None:
    entries = _diary()
    series = analysis.alignment_series(entries)
    assert all(isinstance(day, date) and 0 <= score <= 3 for day, score in series)
    lunges = [e for e in entries if e["kind"] == "lunge" and e["alignment"]]
    assert len(series) == len(lunges)
    expected = {"all": 3, "most": 2, "some": 1, "few": 0}
    assert [score for _day, score in series] == [expected[e["alignment"]] for e in lunges]
    assert [day for day, _score in series] == sorted(day for day, _score in series)


def test_click_move_counts_count_days_with_a_checkin() -> None:
    entries = _diary()
    counts = analysis.click_move_counts(entries, start=TODAY - timedelta(days=27), end=TODAY)
    assert counts.checkin_days == 28
    stairs_days = sum(1 for o in range(28) if o % 3 == 0 or o % 7 == 1)
    assert counts.by_move["stairs"] == stairs_days
    assert counts.by_move["lunge"] == sum(1 for o in range(28) if o % 7 == 1 and o % 3 != 0)
    assert counts.by_move["squat"] == 0


def test_report_counts_moves_and_alignment() -> None:
    entries = _diary()
    report = report_content(entries, weeks=4, until=TODAY)
    moves = report.section("click_moves")
    table = next(b for b in moves.blocks if isinstance(b, Table))
    stairs = analysis.click_move_counts(
        entries, start=TODAY - timedelta(days=27), end=TODAY
    ).by_move["stairs"]
    assert ("Stairs", f"{stairs} of 28 days") in table.rows
    alignment = report.section("alignment")
    first = alignment.blocks[0]
    lunges = [e for e in entries if e["kind"] == "lunge"]
    said = [e for e in lunges if e["alignment"]]
    good = sum(1 for e in said if e["alignment"] in ("all", "most"))
    assert first.text == (  # type: ignore[union-attr]
        f"Alignment: all or most reps in {good} of the {len(said)} lunge sessions that "
        f"recorded it ({len(lunges)} lunge sessions in the period)."
    )
    markdown = build_report(entries, weeks=4, until=TODAY)
    assert "Lunges: alignment of the knee over the second toe" in markdown
    assert f"{stairs} of 28 days" in markdown


def test_report_without_the_new_fields_says_so() -> None:
    entries = [
        records.new_entry("lunge", dict(LUNGE), today=TODAY),
        records.new_entry(
            "checkin",
            {"knee_pain": 3, "back_pain": 2, "clicking_left": 1, "clicking_right": 0},
            today=TODAY,
        ),
    ]
    report = report_content(entries, weeks=4, until=TODAY)
    assert report.section("alignment").blocks[0].text == (  # type: ignore[union-attr]
        "No lunge session of this period recorded its alignment (1 lunge session)."
    )
    assert report.section("click_moves").blocks[0].text == (  # type: ignore[union-attr]
        "No check-in of this period named a movement that clicked (1 check-in)."
    )
