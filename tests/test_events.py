"""Events (issue 11, part 3): the kind and its rules, `tracker log event` and `tracker events`,
the 4 weeks before and after by domain.md's noise rule, the pain chart's rules, the report."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, Cli

from tracker import events, records, stats
from tracker.charts import render
from tracker.charts.common import Mark, rules
from tracker.demo import demo_entries
from tracker.insights import Diary
from tracker.kinds import kind_of
from tracker.records import Entry, ValidationError
from tracker.report import build_report
from tracker.report.content import report_content

DAY = date.fromisoformat(TODAY)


def checkin(day: date, knee: int, back: int) -> Entry:
    return records.new_entry(
        "checkin",
        {
            "date": day.isoformat(),
            "knee_pain": knee,
            "back_pain": back,
            "clicking_left": 0,
            "clicking_right": 0,
        },
        today=DAY,
    )


def event(
    day: date, kind: str = "flare", text: str = "knee swollen", end: date | None = None
) -> Entry:
    values: dict[str, object] = {"date": day.isoformat(), "type": kind, "text": text}
    if end is not None:
        values["end_date"] = end.isoformat()
    return records.new_entry("event", values, today=DAY)


def diary(first: date, last: date, knee: Any, back: Any = lambda _d: 3) -> list[Entry]:
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [checkin(d, knee(d), back(d)) for d in days]


# ---------------------------------------------------------------- the kind


def test_an_event_is_neither_exercise_nor_daily() -> None:
    kind = kind_of("event")
    assert not kind.is_exercise and not kind.is_daily and kind.occasional
    assert "event" in records.KINDS and "event" not in records.EXERCISE_KINDS
    assert kind.key == "v"


def test_only_a_flare_has_an_end_and_it_is_not_before_the_event() -> None:
    start = DAY - timedelta(days=10)
    flare = event(start, end=start + timedelta(days=4))
    assert flare["end_date"] == (start + timedelta(days=4)).isoformat()
    assert event(start, end=start)["end_date"] == start.isoformat()  # a one-day flare
    with pytest.raises(ValidationError) as before:
        event(start, end=start - timedelta(days=1))
    assert before.value.field == "end_date"
    with pytest.raises(ValidationError) as physio:
        event(start, "physio", "visit", end=start + timedelta(days=1))
    assert physio.value.field == "end_date" and "flare" in physio.value.allowed
    with pytest.raises(ValidationError) as future:
        event(start, end=DAY + timedelta(days=1))
    assert future.value.field == "end_date"


def test_text_is_required_and_at_most_80_characters() -> None:
    assert event(DAY, text="x" * 80)["text"] == "x" * 80
    for text in ("", "x" * 81):
        with pytest.raises(ValidationError) as error:
            event(DAY, text=text)
        assert error.value.field == "text" and "80 characters" in error.value.allowed
    with pytest.raises(ValidationError):
        event(DAY, kind="holiday")


def test_a_stored_event_is_checked_on_the_fast_path_too() -> None:
    flare = event(DAY - timedelta(days=3), end=DAY - timedelta(days=1))
    records.check_stored_entry(flare)
    broken = {**flare, "end_date": (DAY - timedelta(days=5)).isoformat()}
    with pytest.raises(ValidationError):
        records.check_stored_entry(broken)
    with pytest.raises(ValidationError):
        records.check_stored_entry({**flare, "type": "physio"})


def test_cards_show_type_text_and_the_flare_span_with_text_escaped() -> None:
    flare = event(date(2026, 11, 2), text="knee\x1b[31m red", end=date(2026, 11, 8))
    lines = records.key_figures(flare)
    assert lines[0] == "Flare: knee\\e[31m red"
    assert lines[1] == "Flare from Mon 2 Nov 2026 to Sun 8 Nov 2026 (7 days)"
    assert "\x1b" not in records.summary(flare)
    open_flare = event(date(2026, 11, 20))
    assert "no end date yet" in records.key_figures(open_flare)[1]
    assert records.key_figures(event(DAY, "physio", "hips stronger")) == [
        "Physio visit: hips stronger"
    ]


# ---------------------------------------------------------------- before and after


def test_before_after_uses_the_one_noise_rule() -> None:
    day = DAY - timedelta(days=40)
    entries = diary(
        day - timedelta(days=60),
        DAY,
        knee=lambda d: 6 if d < day else 3 if d.day % 2 else 4,
        back=lambda d: 3 if d.day % 2 else 4,
    )
    flare = event(day, end=day + timedelta(days=2))
    knee, back = events.before_after([*entries, flare], flare, until=DAY)
    assert knee["status"] == back["status"] == "ok"
    assert knee["before"]["start"] == (day - timedelta(days=28)).isoformat()
    assert knee["before"]["end"] == (day - timedelta(days=1)).isoformat()
    # After a flare's end, not its start.
    assert knee["after"]["start"] == (day + timedelta(days=3)).isoformat()
    assert knee["after"]["end"] == (day + timedelta(days=30)).isoformat()
    assert knee["before"]["days"] == knee["after"]["days"] == 28
    # The same interval as stats.span_difference with r1 of the 120 days ending on after's end.
    after_end = day + timedelta(days=30)
    source = Diary(entries, after_end)
    before = source.values("knee_pain", day - timedelta(days=28), day - timedelta(days=1))
    after = source.values("knee_pain", day + timedelta(days=3), after_end)
    expected = stats.span_difference(before, after, source.r1("knee_pain"))
    assert knee["change"] == pytest.approx(expected.difference)
    assert knee["ci"] == pytest.approx([expected.low, expected.high])
    assert knee["beyond_variation"] and knee["direction"] == "better"
    assert "lower after, beyond day-to-day variation" in events.before_after_sentence(knee)
    assert back["direction"] is None and not back["beyond_variation"]
    assert events.before_after_sentence(back).endswith("within day-to-day variation.")


def test_too_early_and_too_few_checkins_are_said_not_computed() -> None:
    recent = event(DAY - timedelta(days=10), "injection", "left knee")
    entries = diary(DAY - timedelta(days=60), DAY, knee=lambda _d: 4)
    rows = events.before_after([*entries, recent], recent, until=DAY)
    assert [r["status"] for r in rows] == ["too_early", "too_early"]
    assert rows[0]["after"]["mean"] is None and rows[0]["after"]["days"] == 10
    assert rows[0]["change"] is None
    assert "too early" in events.before_after_sentence(rows[0])
    old = event(DAY - timedelta(days=50), "physio", "visit")
    sparse = [c for c in entries if date.fromisoformat(c["date"]).day % 3 == 0]
    rows = events.before_after([*sparse, old], old, until=DAY)
    assert rows[0]["status"] == "too_few_checkins" and rows[0]["before"]["mean"] is None
    assert "14 each are needed" in events.before_after_sentence(rows[0])


# ---------------------------------------------------------------- the command line


def test_log_event_and_list_it(cli: Cli) -> None:
    result = cli(
        "log",
        "event",
        "--type",
        "flare",
        "--text",
        "-knee swollen",
        "--date",
        "-5",
        "--end",
        "yesterday",
    )
    assert result.code == 0, result.err
    listed = json.loads(cli("list", "--json").out)
    assert listed[0]["kind"] == "event" and listed[0]["text"] == "-knee swollen"
    assert listed[0]["end_date"] == (DAY - timedelta(days=1)).isoformat()
    assert "flare: -knee swollen, until" in cli("list").out


@pytest.mark.parametrize(
    ("flags", "flag", "words"),
    [
        (["--type", "physio", "--text", "visit", "--end", "today"], "--end", "flare"),
        (["--type", "flare", "--text", "x", "--date", "-2", "--end", "-4"], "--end", "on or after"),
        (["--type", "flare", "--text", "x" * 81], "--text", "at most 80 characters"),
        (["--type", "party", "--text", "x"], "--type", "one of flare, injection"),
        (["--type", "flare", "--text", "x", "--end", "someday"], "--end", "a date such as"),
    ],
)
def test_bad_events_are_refused_in_one_line_naming_the_flag(
    cli: Cli, flags: list[str], flag: str, words: str
) -> None:
    result = cli("log", "event", *flags)
    assert result.code == 2 and result.no_traceback
    assert result.err.startswith(f"tracker: error: {flag} must be") and words in result.err
    assert result.err.count("\n") == 1
    assert cli("list", "--json").out.strip() == "[]"


def test_edit_clears_a_flare_end_or_sets_it(cli: Cli) -> None:
    entry_id = cli("log", "event", "--type", "flare", "--text", "x", "--date", "-3").out.strip()
    assert cli("edit", entry_id, "--end", "-1").code == 0
    assert json.loads(cli("list", "--json").out)[0]["end_date"] == "2026-11-24"
    assert cli("edit", entry_id, "--end", "").code == 0
    assert json.loads(cli("list", "--json").out)[0]["end_date"] is None


def test_events_json_and_text(cli: Cli) -> None:
    assert cli("demo", "--days", "120").code == 0
    result = cli("events", "--json")
    assert result.code == 0, result.err
    shaped = json.loads(result.out)
    assert list(shaped) == ["version", "from", "to", "until", "events", "caveat"]
    assert shaped["until"] == TODAY and shaped["caveat"].startswith("After is not because of")
    types = {row["type"] for row in shaped["events"]}
    assert {"flare", "physio", "injection"} <= types
    assert any(row["end_date"] for row in shaped["events"] if row["type"] == "flare")
    for row in shaped["events"]:
        assert [r["metric"] for r in row["before_after"]] == ["knee_pain", "back_pain"]
        for ba in row["before_after"]:
            assert (ba["change"] is None) == (ba["status"] != "ok")
            if ba["direction"] is not None:
                assert ba["beyond_variation"]
    dates = [row["date"] for row in shaped["events"]]
    assert dates == sorted(dates)
    text = cli("events").out
    assert text.rstrip().endswith(events.CAVEAT)
    assert "Knee pain:" in text and "Back pain:" in text
    # --from reads only what it needs, and says the same about those events.
    later = json.loads(cli("events", "--json", "--from", "-40").out)
    assert later["from"] == (DAY - timedelta(days=40)).isoformat()
    assert later["events"] == [r for r in shaped["events"] if r["date"] >= later["from"]]


def test_events_with_none_says_so(cli: Cli) -> None:
    assert cli("events").out.startswith("No events.")
    assert json.loads(cli("events", "--json").out)["events"] == []


def test_event_text_is_escaped_in_the_text_output(cli: Cli) -> None:
    cli("log", "event", "--type", "other", "--text", "bad\x1b[2Jday")
    out = cli("events").out
    assert "\x1b" not in out and "bad\\e[2Jday" in out


# ---------------------------------------------------------------- the chart and the report


def test_rules_are_labelled_where_labels_do_not_collide_flares_first() -> None:
    start = date(2026, 11, 1)
    bounds = [(start + timedelta(days=i),) * 2 for i in range(28)]
    marks = [
        Mark(date(2026, 11, 3), "physio", 2),
        Mark(date(2026, 11, 4), "flare", 0),
        Mark(date(2026, 11, 20), "physio", 2),
        Mark(date(2026, 10, 1), "flare", 0),  # before the range: no rule
    ]
    found = rules(marks, bounds, 68, True, 10.0)
    assert [(r.x, r.label) for r in found] == [(2.0, ""), (3.0, "flare"), (19.0, "physio")]
    assert all(r.y == 10.0 for r in found)
    assert all(r.label == "" for r in rules(marks, bounds, 68, False))


def test_the_pain_chart_marks_events_with_a_word() -> None:
    entries = diary(DAY - timedelta(days=40), DAY, knee=lambda _d: 4)
    entries.append(event(DAY - timedelta(days=20), "injection", "left knee"))
    text = render("pain", entries, until=DAY, days=28, width=80, height=24)
    assert "injection" in text
    without = render("pain", entries[:-1], until=DAY, days=28, width=80, height=24)
    assert "injection" not in without


def test_the_report_lists_the_period_events_with_their_before_and_after() -> None:
    entries = demo_entries(120, 1, DAY)
    report = report_content(entries, weeks=8, until=DAY)
    section = report.section("events")
    assert section.title == "Events"
    markdown = build_report(entries, weeks=8, until=DAY)
    assert "## Events" in markdown and events.CAVEAT in markdown
    assert markdown.index("## Events") < markdown.index("## Notes from the diary")
    quiet = report_content(diary(DAY - timedelta(days=30), DAY, knee=lambda _d: 3), until=DAY)
    assert "No events" in quiet.section("events").blocks[0].text  # type: ignore[union-attr]


def test_a_hostile_event_text_stays_text_in_the_report(tmp_path: Path) -> None:
    entries = diary(DAY - timedelta(days=30), DAY, knee=lambda _d: 3)
    entries.append(event(DAY - timedelta(days=3), "other", "<b>|x|</b> \x1b]0;t\x07"))
    markdown = build_report(entries, weeks=4, until=DAY)
    assert "<b>" not in markdown and "\x1b" not in markdown and "\\|x\\|" in markdown


def test_report_since_visit_covers_the_weeks_since_the_last_visit_before_today(
    cli: Cli, data_dir: Path
) -> None:
    """Issue 11 part 7: --since-visit starts at the last physio visit before --until (the
    report for today's visit covers the time since the one before)."""
    for day, text in (("2026-10-07", "first visit"), ("2026-11-04", "second visit")):
        result = cli("log", "event", "--type", "physio", "--text", text, "--date", day)
        assert result.code == 0, result.err
    cli("log", "event", "--type", "physio", "--text", "today's visit", "--date", "2026-11-25")
    result = cli("report", "--since-visit")
    assert result.code == 0, result.err
    # 4 Nov to 25 Nov is 21 days: 4 weeks ending today hold the visit's day.
    assert "Since the physio visit of Wed 4 Nov 2026: 4 weeks." in result.err
    assert result.out == cli("report", "--weeks", "4").out


def test_report_since_visit_without_a_visit_says_what_to_do(cli: Cli, data_dir: Path) -> None:
    result = cli("report", "--since-visit")
    assert result.code == 2 and "--since-visit" in result.err and "--weeks" in result.err
