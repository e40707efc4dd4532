"""The Markdown report on a hand-built fortnight whose figures are worked out below."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tracker.records import Entry, new_entry
from tracker.report import build_report, markdown_cell, markdown_table

FAR = date(2030, 1, 1)
UNTIL = date(2026, 11, 21)


def add(kind: str, day: date, **values: object) -> Entry:
    return new_entry(kind, {**values, "date": day.isoformat()}, today=FAR)


def fortnight() -> list[Entry]:
    """Back pain 5 every day of Nov 8-14, then 2 every day of Nov 15-21 (a substantial
    improvement); knee 3 throughout. Lunges (3 x 10 at 3-1-3-0, both legs = 7 min) every day of
    the last week; one of them with pain during 7; notes with Markdown in them."""
    entries = []
    for i in range(14):
        day = UNTIL - timedelta(days=13 - i)
        back = 5 if i < 7 else 2
        entries.append(
            add("checkin", day, knee_pain=3, back_pain=back, clicking_left=1, clicking_right=1)
        )
        if i >= 7:
            pain = 7 if i == 10 else 1
            lunge = add(
                "lunge", day, sets=3, reps=10, tempo="3-1-3-0", pain_during=pain, notes="**x**"
            )
            entries.append(lunge)
    return entries


def test_report_sections_and_figures() -> None:
    text = build_report(fortnight(), weeks=2, until=UNTIL)
    assert text.startswith("# Progress report: 8 Nov 2026 to 21 Nov 2026\n")
    assert "Period: 2 weeks (14 days), 2026-11-08 to 2026-11-21." in text
    assert "Check-ins on 14 of 14 days (100 %); exercise on 7 of 14 days." in text
    # Two weeks of diary: too early to compare with the start (domain.md: 4 weeks).
    assert "| Back pain (0-10) | - (14 d) | - (14 d) | - | - | - | too early" in text
    # This week (2 x 7) against last week (5 x 7): -3.0 points, with its interval.
    week = next(line for line in text.splitlines() if line.startswith("| Back pain (0-10) | 5.0"))
    assert week.startswith("| Back pain (0-10) | 5.0 (7 d) | 2.0 (7 d) | -3.0 | ")
    assert "| Knee pain (0-10) | 3.0 (7 d) | 3.0 (7 d) | 0.0 | " in text
    assert "within day-to-day variation |" in text  # the knee, which did not change
    # Weeks start on Monday (issue 14): Nov 15 is the last day of the week of Nov 9, and the
    # week of Nov 16 has its 6 days up to Saturday the 21st: 6 lunges x 7 min.
    assert "| 2026-11-16 | 42 | 0 | 0 | 0.0 | 6 / 0 / 0 |" in text
    assert "| 2026-11-02 | 0 | 0 | 0 | 0.0 | 0 / 0 / 0 |" in text  # Sunday the 8th only
    assert "both legs together" in text and "effort-minutes" in text.lower()
    assert "## Safety" in text and "contact a clinician" in text


def test_report_verdicts_agree_with_insights() -> None:
    from tracker.insights import insights

    text = build_report(fortnight(), weeks=2, until=UNTIL)
    result = insights(fortnight(), until=UNTIL, days=14)
    back = result["week"][1]
    assert back["ci"] is not None
    low, high = (f"{v:.1f}" for v in back["ci"])
    assert f"| {low} to {high} |" in text
    verdict = "lower, beyond day-to-day variation" if back["beyond_variation"] else "within"
    assert verdict in text


def test_report_associations_carry_counts_and_the_word_association() -> None:
    text = build_report(fortnight(), weeks=2, until=UNTIL)
    assert "an association, not proof of cause" in text
    # 14 check-ins; Nov 8 has none the day before, so 13 days count (domain.md version 2).
    # The 6 on Nov 16-21 follow a lunge day, the other 7 do not: groups of 6 and 7, too
    # small for means (7 each are needed).
    row = next(line for line in text.splitlines() if line.startswith("| Tempo lunges | back"))
    assert row == "| Tempo lunges | back pain | - | - | 6 / 7 | - | - | - |"
    cycling = next(line for line in text.splitlines() if line.startswith("| Cycling | knee"))
    assert cycling == "| Cycling | knee pain | - | - | 0 / 13 | - | - | - |"


def test_report_lists_the_flagged_day_and_shows_the_pain_chart_without_colour() -> None:
    text = build_report(fortnight(), weeks=2, until=UNTIL)
    assert "| 2026-11-18 | Tempo lunges | pain during tempo lunges 7/10 |" in text
    assert "Not assessable: Sat 21 Nov 2026." in text  # no check-in the day after the range
    assert "assessable: 6; not assessable: 1" in text
    chart = text.split("```text\n", 1)[1].split("```", 1)[0]
    assert "Knee and back pain" in chart and "0-10" in chart
    assert "\x1b" not in text
    assert "**x**" not in text  # notes are not part of the report


def test_report_on_an_empty_diary_says_what_is_missing() -> None:
    text = build_report([], weeks=4, until=UNTIL)
    assert "Check-ins on 0 of 28 days (0 %)" in text
    assert "too few check-ins" in text
    assert "No check-ins in 25 Oct - 21 Nov 2026" in text
    assert "No day flagged" in text


HOSTILE = "x\x1b]0;PWNED\x07 | forged | row |\n| 2026-01-01 | 99 |\r\\|"


def test_a_table_cell_stays_one_cell_on_one_line() -> None:
    """Item 1: a note or name holding a bar, a newline or an escape sequence cannot add a cell,
    forge a row or reach the terminal that shows the report."""
    lines = markdown_table(("Week", "Note"), [("2026-11-15", HOSTILE)])
    assert len(lines) == 4 and lines[-1] == ""  # header, rule, one row, blank
    row = lines[2]
    assert "\x1b" not in row and "\x07" not in row and "\r" not in row
    # Unescaped bars: the row's own four, none from the cell.
    assert len(re.findall(r"(?<!\\)(?:\\\\)*\|", row)) == 3
    assert markdown_cell("a|b") == "a\\|b"
    assert markdown_cell("a\\|b") == "a\\\\\\|b"  # a backslash cannot unescape the bar
    assert markdown_cell("two\nlines") == "two\\\\nlines"


def test_hostile_notes_and_exercise_names_never_reach_the_report_raw() -> None:
    entries = fortnight()
    clean = build_report(entries, weeks=2, until=UNTIL)
    day = UNTIL - timedelta(days=1)
    entries.append(add("rotation", day, exercise="my|band row", sets=3, reps=10, notes=HOSTILE))
    entries.append(add("cycling", day, minutes=20, notes=HOSTILE))
    # As a file from an older version could hold it: a custom name with an escape sequence.
    entries[-2] = {**entries[-2], "exercise": "x\x1b]0;PWNED\x07"}
    for entry in entries:
        if entry["kind"] == "lunge":
            entry["notes"] = HOSTILE
    text = build_report(entries, weeks=2, until=UNTIL)
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text
    assert "forged" not in text and "PWNED" not in text  # notes are not part of the report
    assert len(text.splitlines()) == len(clean.splitlines())
    for line in text.splitlines():
        if line.startswith("| "):
            assert line.endswith(" |")
