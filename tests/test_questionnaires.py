"""The questionnaires (issue 11, part 6): KOOS-12, Roland-Morris, Oswestry and PGIC on every face:
logging and refusals, the change since the first time against the published thresholds, when
one is due, Today's reminder and its chooser (k), the chart, the report and the demo."""

from __future__ import annotations

import json
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli
from test_tui_app import TODAY, notifications, press, running, seed, settle, stored
from textual.widgets import OptionList

from tracker import charts, questionnaires
from tracker.demo import demo_entries
from tracker.records import Entry, validate_entry
from tracker.report import build_report
from tracker.settings import load_settings
from tracker.tui.screens.forms import EntryForm
from tracker.tui.screens.questionnaires import QuestionnaireChooser


def entry(kind: str, day: str, **fields: Any) -> Entry:
    stamp = f"{day}T20:00:00+00:00"
    raw = {"id": f"{abs(hash((kind, day))):032x}"[-32:], "kind": kind, "date": day}
    return validate_entry(
        {**raw, **fields, "notes": None, "created_at": stamp, "updated_at": stamp},
        complete=False,
    )


# ---------------------------------------------------------------- command line


def test_log_each_questionnaire_and_list_it(cli: Cli) -> None:
    assert cli("log", "koos", "--pain", "70", "--function", "65.5", "--qol", "50").code == 0
    assert cli("log", "rmdq", "--score", "9").code == 0
    assert cli("log", "odi", "--score", "32").code == 0
    assert cli("log", "pgic", "--change", "2").code == 0
    listed = cli("list").out
    assert "pain 70/100, function 65.5/100, quality of life 50/100" in listed
    assert "Roland-Morris score 9/24" in listed
    assert "Oswestry score 32 %" in listed
    assert "much improved (2/7)" in listed


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["koos", "--pain", "101", "--function", "5", "--qol", "5"], "--pain must be a number"),
        (["rmdq", "--score", "25"], "--score must be a whole number from 0 to 24"),
        (["odi", "--score", "-1"], "--score must be a number from 0 to 100"),
        (["pgic", "--change", "0"], "--change must be a whole number from 1 to 7"),
    ],
)
def test_a_score_outside_its_range_is_refused_naming_the_flag(
    cli: Cli, args: list[str], words: str
) -> None:
    result = cli("log", *args)
    assert result.code == 2 and words in result.err and result.out == ""


def test_questionnaires_command_says_the_change_and_the_threshold(cli: Cli) -> None:
    cli("log", "rmdq", "--score", "10", "--date", "2026-10-01")
    cli("log", "rmdq", "--score", "7")  # 3 points, 30 %: important by the percent
    cli("log", "odi", "--score", "30", "--date", "2026-10-01")
    cli("log", "odi", "--score", "24")  # 6 points, 20 %: below both
    cli("log", "koos", "--pain", "50", "--function", "50", "--qol", "50", "--date", "2026-10-01")
    cli("log", "koos", "--pain", "60", "--function", "45", "--qol", "59")
    text = cli("questionnaires").out
    assert (
        "Roland-Morris: 7/24 on 2026-11-25; first 10/24 on 2026-10-01: "
        "better by 3 points (30 %): reaches" in text
    )
    assert (
        "Oswestry: 24 % on 2026-11-25; first 30 % on 2026-10-01: better by 6 points (20 %): below"
        in text
    )
    assert "KOOS-12 pain: 60/100" in text and "better by 10 points: reaches" in text
    assert "KOOS-12 function: 45/100" in text and "worse by 5 points" in text
    assert "KOOS-12 quality of life" in text and "better by 9 points: below" in text
    shown = json.loads(cli("questionnaires", "--json").out)
    assert [r["label"] for r in shown["scores"]][:2] == ["KOOS-12 pain", "KOOS-12 function"]
    rmdq = next(r for r in shown["scores"] if r["kind"] == "rmdq")
    assert rmdq["important"] is True and rmdq["change"] == -3 and rmdq["change_pct"] == -30
    assert shown["due"] == ["pgic"]  # never filled in, and the diary is 56 days old


def test_no_questionnaires_says_how_to_log_one(cli: Cli) -> None:
    assert "No questionnaires yet" in cli("questionnaires").out


# ---------------------------------------------------------------- rules


def test_due_after_three_weeks_or_from_the_diarys_fourteenth_day() -> None:
    start = [
        entry("checkin", "2026-11-01", knee_pain=3, back_pain=2, clicking_left=0, clicking_right=0)
    ]
    assert questionnaires.due(start, date(2026, 11, 13)) == []  # day 13
    assert questionnaires.due(start, date(2026, 11, 14)) == list(questionnaires.QUESTIONNAIRE_KINDS)
    filled = [*start, entry("rmdq", "2026-11-14", score=5)]
    assert "rmdq" not in questionnaires.due(filled, date(2026, 12, 4))  # 20 days
    assert "rmdq" in questionnaires.due(filled, date(2026, 12, 5))  # 21 days
    assert questionnaires.due([], date(2026, 12, 5)) == []


def test_an_important_change_is_points_or_percent_and_only_for_improvement() -> None:
    scale = next(s for s in questionnaires.SCALES if s.kind == "odi")
    first = {"date": "2026-10-01", "score": 20}
    row = questionnaires.score_row(scale, first, {"date": "2026-11-01", "score": 14}, 2)
    assert row["important"] and row["direction"] == "better"  # 6 points is 30 %
    worse = questionnaires.score_row(scale, first, {"date": "2026-11-01", "score": 35}, 2)
    assert not worse["important"] and worse["direction"] == "worse"


# ---------------------------------------------------------------- chart, report, demo


def test_the_chart_shows_each_family_with_its_threshold() -> None:
    entries = [
        entry("koos", "2026-10-01", pain=50, function=55, qol=40),
        entry("koos", "2026-11-20", pain=62, function=58, qol=45),
        entry("odi", "2026-10-01", score=30),
        entry("rmdq", "2026-11-20", score=6),
        entry("pgic", "2026-11-20", change=2),
    ]
    until = date(2026, 11, 25)
    text = charts.render("questionnaires", entries, until=until, days=90, width=100, height=60)
    assert "Knee: KOOS-12 (higher is better)" in text
    assert "Back: Oswestry and Roland-Morris (lower is better)" in text
    assert "important change: pain +10" in text and "important change: Oswestry % -10" in text
    assert "Overall change since the start (PGIC)" in text
    short = charts.render("questionnaires", entries, until=until, days=90, width=80, height=24)
    assert "not shown" in short.splitlines()[-1]  # one family at a time, and it says so


def test_the_report_opens_with_the_questionnaires() -> None:
    entries = [
        entry("rmdq", "2026-10-01", score=12),
        entry("rmdq", "2026-11-20", score=6),
        entry("pgic", "2026-11-20", change=2),
    ]
    text = build_report(entries, weeks=4, until=date(2026, 11, 25))
    # The first words under "In short" are the questionnaires'; their section comes before
    # the pain diary's progress.
    in_short = text.split("## In short\n\n", 1)[1]
    assert in_short.startswith(
        "Questionnaires (latest 2026-11-20): Roland-Morris improved by at least the "
        "important-change figure since the first time."
    )
    assert text.index("## Questionnaires") < text.index("## Progress since the start")
    assert "reached (5 points or 30 %)" in text
    assert "much improved (2 of 1-7)" in text


def test_the_demo_fills_them_in_every_three_weeks_and_improves_slowly() -> None:
    today = date(2026, 11, 25)
    entries = demo_entries(120, 1, today)
    koos = [e for e in entries if e["kind"] == "koos"]
    days = [date.fromisoformat(e["date"]) for e in koos]
    assert all(b - a == timedelta(days=21) for a, b in pairwise(days))
    assert len(koos) >= 5 and koos[-1]["pain"] > koos[0]["pain"]
    assert {"rmdq", "odi", "pgic"} <= {e["kind"] for e in entries}


# ---------------------------------------------------------------- the app


def _due_seed(folder: Path) -> None:
    checkin = {"knee_pain": 3, "back_pain": 2, "clicking_left": 1, "clicking_right": 1}
    seed(folder, ("checkin", {**checkin, "date": (TODAY - timedelta(days=20)).isoformat()}))


def _today_text(app: Any) -> str:
    options = app.screen.query_one("#day-entries", OptionList).options
    return " ".join(str(option.prompt) for option in options)


async def test_k_opens_the_chooser_due_first_and_its_form(tmp_path: Path) -> None:
    _due_seed(tmp_path)
    async with running(tmp_path) as (app, pilot):
        assert "due: knee, back, overall change · press k" in _today_text(app)
        await press(pilot, "k")
        assert isinstance(app.screen, QuestionnaireChooser)
        first = app.screen.query_one(OptionList).options[0]
        assert first.id == "koos" and "due" in str(first.prompt)
        await press(pilot, "down", "down", "down", "enter")  # the fourth: PGIC
        assert isinstance(app.screen, EntryForm) and app.screen.kind == "pgic"
        await press(pilot, "2", "enter")
        await settle(pilot)
        assert [e["change"] for e in stored(tmp_path) if e["kind"] == "pgic"] == [2]
        assert any("overall change" in n.lower() for n in notifications(app))
        assert "due: knee, back · press k" in _today_text(app)


async def test_not_today_hides_the_reminder_until_tomorrow(tmp_path: Path) -> None:
    _due_seed(tmp_path)
    async with running(tmp_path) as (app, pilot):
        await press(pilot, "k", "n")
        await settle(pilot)
        assert not isinstance(app.screen, QuestionnaireChooser)
        assert "press k" not in _today_text(app)
    assert load_settings().questionnaires_dismissed == TODAY.isoformat()


def test_the_report_compares_with_the_first_questionnaire_even_months_before_its_period(
    cli: Cli, data_dir: Path
) -> None:
    """Questionnaires begun months into the diary, or none in a short period: the report
    reads only some months, yet its first and latest scores are those of the whole diary."""
    from tracker import report
    from tracker.store import Store

    assert cli("demo", "--days", "240").code == 0
    store = Store(data_dir)
    early = [
        e
        for e in store.entries()
        if e["kind"] in ("koos", "rmdq", "odi", "pgic") and e["date"] < "2026-06-01"
    ]
    assert early  # the demo fills them in from its third week
    for entry in early:
        store.delete(entry["id"])
    store = Store(data_dir)
    for weeks in (1, 4):
        until = date(2026, 11, 25)
        narrow = report.read_for_report(store, weeks=weeks, until=until)
        assert report.build_report(narrow, weeks=weeks, until=until) == report.build_report(
            store.entries(), weeks=weeks, until=until
        )
