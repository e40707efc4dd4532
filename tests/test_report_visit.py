"""The report as the page a physiotherapist reads at a visit: plan and adherence, progression,
then questionnaires, progress, pain monitoring, events, clicking and the safety note."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from conftest import TODAY, Cli

from tracker.records import new_entry
from tracker.report import build_html, build_report
from tracker.report.content import report_content
from tracker.report.model import Paragraph, Table

UNTIL = date.fromisoformat(TODAY)  # Wed 25 Nov 2026; 2 weeks: Thu 12 Nov to Wed 25 Nov


def entry(kind: str, day: date, **values: Any) -> dict[str, Any]:
    return new_entry(kind, {**values, "date": day.isoformat()}, today=UNTIL)


def lunge(day: date, *, tempo: str = "5-0-3", reps: int = 10, pain: int = 2) -> dict[str, Any]:
    return entry(
        "lunge", day, sets=3, reps=reps, side="both", tempo=tempo, effort=5, pain_during=pain
    )


def checkin(day: date, knee: int = 4) -> dict[str, Any]:
    return entry("checkin", day, knee_pain=knee, back_pain=2, clicking_left=1, clicking_right=1)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def table_rows(report: Any, key: str) -> list[tuple[str, ...]]:
    return [
        row
        for block in report.section(key).blocks
        if isinstance(block, Table)
        for row in block.rows
    ]


def test_the_visit_page_puts_the_programme_first_and_the_safety_note_last() -> None:
    report = report_content([checkin(UNTIL)], weeks=2, until=UNTIL)
    keys = [s.key for s in report.sections]
    assert keys[:4] == ["summary", "plan", "progression", "questionnaires"]
    assert keys.index("progress") < keys.index("monitoring") < keys.index("events")
    assert keys.index("events") < keys.index("clicking") < keys.index("safety") == len(keys) - 1


def test_without_a_plan_it_says_how_to_record_one() -> None:
    report = report_content([checkin(UNTIL), lunge(UNTIL)], weeks=2, until=UNTIL)
    (block,) = report.section("plan").blocks
    assert isinstance(block, Paragraph) and "tracker plan" in block.text


def test_adherence_is_counted_against_the_plan_week_by_week() -> None:
    # A plan from long before the period: lunges 3 days a week. Week of 16 Nov: 2 done;
    # week of 9 Nov (12-15 Nov in the period, 4 days): 4 done, counted up to its plan of 3;
    # week of 23 Nov: none. 3 + 2 + 0 of 3 + 3 + 3.
    entries = [entry("plan", date(2026, 6, 1), exercise="lunge", reps=10, days_per_week=3)]
    entries += [lunge(d) for d in (date(2026, 11, 17), date(2026, 11, 19))]
    entries += [lunge(d) for d in days(date(2026, 11, 12), date(2026, 11, 15))]
    report = report_content(entries, weeks=2, until=UNTIL)
    rows = table_rows(report, "plan")
    assert ("Tempo lunges", "10 reps, 3 days a week", "2026-06-01", "5 of 9 (56 %)") in rows
    weeks = {row[0]: row[1:] for row in rows if row[0].startswith("2026-11")}
    assert weeks["2026-11-09 (partial week: 12-15 Nov)"] == ("4 of 3", "3 of 3 (100 %)")
    assert weeks["2026-11-16"] == ("2 of 3", "2 of 3 (67 %)")
    assert weeks["2026-11-23 (partial week: 23-25 Nov)"] == ("0 of 3", "0 of 3 (0 %)")
    summary = [b.text for b in report.section("summary").blocks if isinstance(b, Paragraph)]
    assert "Plan: planned sessions done 5 of 9 (56 %)." in summary


def test_a_plan_change_in_the_period_is_shown_beside_the_plan_it_replaced() -> None:
    entries = [
        entry("plan", date(2026, 9, 1), exercise="lunge", sets=3, reps=10, days_per_week=5),
        entry("plan", date(2026, 11, 18), exercise="lunge", sets=3, reps=12, days_per_week=5),
    ]
    rows = table_rows(report_content(entries, weeks=2, until=UNTIL), "plan")
    assert (
        "2026-11-18",
        "Tempo lunges",
        "3 × 12, 5 days a week",
        "3 × 10, 5 days a week",
    ) in rows


def test_progression_marks_the_week_a_setting_changed_with_its_flags_and_flare() -> None:
    entries = [checkin(d) for d in days(date(2026, 11, 5), UNTIL)]
    entries += [lunge(d) for d in (date(2026, 11, 12), date(2026, 11, 13), date(2026, 11, 14))]
    # Week of 16 Nov: the tempo slows to 6-0-4; one session hurts (7/10 during: flagged).
    entries += [lunge(d, tempo="6-0-4") for d in (date(2026, 11, 16), date(2026, 11, 18))]
    entries.append(lunge(date(2026, 11, 19), tempo="6-0-4", pain=7))
    entries.append(entry("event", date(2026, 11, 20), type="flare", text="Knee swollen"))
    report = report_content(entries, weeks=2, until=UNTIL)
    rows = {row[0]: row[1:] for row in table_rows(report, "progression")}
    assert rows["2026-11-09 (partial week: 12-15 Nov)"][:4] == (
        "3 × 10 at 5-0-3-0",
        "3",
        "2/10",
        "0",
    )
    changed = rows["2026-11-16"]
    assert changed[:4] == ("3 × 10 at 6-0-4-0 (changed)", "3", "7/10", "1")
    assert changed[4] == "20 Nov: Flare: Knee swollen (no end date yet)"
    assert rows["2026-11-23 (partial week: 23-25 Nov)"][:2] == ("-", "0")


def test_the_usual_setting_is_the_most_common_not_every_wobble() -> None:
    week = [lunge(date(2026, 11, 16), reps=10), lunge(date(2026, 11, 17), reps=11)]
    week += [lunge(date(2026, 11, 18), reps=10)]
    rows = {
        row[0]: row[1]
        for row in table_rows(report_content(week, weeks=2, until=UNTIL), "progression")
    }
    assert rows["2026-11-16"] == "3 × 10 at 5-0-3-0"


def test_the_report_reads_a_plan_recorded_months_before_the_period(cli: Cli) -> None:
    assert cli("plan", "lunge", "--reps", "10", "--days", "4", "--from", "2026-03-02").code == 0
    assert cli("log", "lunge", "--sets", "3", "--reps", "10", "--tempo", "5-0-3").code == 0
    text = cli("report", "--weeks", "2").out
    assert "| Tempo lunges | 10 reps, 4 days a week | 2026-03-02 | 1 of " in text
    assert "The programme started on 2026-03-02." in text


def test_in_the_web_page_settings_and_events_are_words_not_right_aligned_figures() -> None:
    entries = [
        entry(
            "plan",
            date(2026, 9, 1),
            exercise="lunge",
            sets=3,
            reps=12,
            tempo="5-0-3",
            days_per_week=5,
        )
    ]
    entries += [lunge(date(2026, 11, 16)), checkin(date(2026, 11, 16))]
    page = build_html(entries, weeks=2, until=UNTIL)
    assert re.search(r"<td>3 × 12 at 5-0-3-0, 5 days a week</td>", page)
    assert re.search(r'<td class="num">1 of 12 \(8 %\)</td>', page)
    markdown = build_report(entries, weeks=2, until=UNTIL)
    assert markdown.index("## Plan and adherence") < markdown.index("## Progression")


def test_the_web_page_pain_chart_marks_each_event_with_a_labelled_rule() -> None:
    entries = [checkin(d) for d in days(date(2026, 11, 5), UNTIL)]
    entries.append(entry("event", date(2026, 11, 20), type="injection", text="Knee <b>PRP</b>"))
    entries.append(entry("event", date(2026, 11, 21), type="flare", text="Swollen"))
    entries.append(entry("event", date(2026, 11, 24), type="physio", text="Checked"))
    page = build_html(entries, weeks=2, until=UNTIL)
    chart = page.split("<svg", 2)[1]  # the pain chart is the page's first SVG
    assert chart.count('stroke-dasharray="4 3"/>') == 3
    labels = re.findall(r'paint-order="stroke">([^<]*)</text>', chart)
    assert labels == ["injection", "flare", "physio"]
    # "injection" is wider than a day: the flare's label the day after goes one line lower;
    # the physio visit, days later, has room on the first line again.
    heights = re.findall(r'y="([\d.]+)" font-size="11" text-anchor="start"', chart)
    assert heights[0] == heights[2] != heights[1]
    assert "<b>" not in page  # the event's own text is in the Events table, escaped
    without = build_html([checkin(UNTIL)], weeks=2, until=UNTIL)
    assert "an event (the Events section lists them)" not in without
