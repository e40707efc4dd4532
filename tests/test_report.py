"""The report, Markdown and HTML, on hand-built weeks whose figures are worked out below;
its calendar weeks, its notes, hostile text, and where and how it is saved."""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
import warnings
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import platformdirs
import pytest
from conftest import Cli
from factories import cli_args

from tracker.records import Entry, new_entry
from tracker.report import (
    build_html,
    build_report,
    calendar_weeks,
    default_report_path,
    markdown_cell,
    markdown_table,
    save_report,
)

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
    # Calendar weeks from Monday (Nov 21 is a Saturday): Sunday Nov 8 alone, Nov 9-15 with
    # one lunge (7 min), Nov 16-21 with six.
    assert "| 2026-11-02 (partial week: 8 Nov only) | 0 | 0 | 0 | 0.0 | 0 / 0 / 0 |" in text
    assert "| 2026-11-09 | 7 | 0 | 0 | 0.0 | 1 / 0 / 0 |" in text
    assert "| 2026-11-16 (partial week: 16-21 Nov) | 42 | 0 | 0 | 0.0 | 6 / 0 / 0 |" in text
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
    assert "| 2026-11-18 | Tempo lunges | knee pain during tempo lunges 7/10 |" in text
    assert "Not assessable: Sat 21 Nov 2026." in text  # no check-in the day after the range
    assert "assessable: 6; not assessable: 1" in text
    chart = text.split("```text\n", 1)[1].split("```", 1)[0]
    assert "Knee and back pain" in chart and "0-10" in chart
    assert "\x1b" not in text
    # The lunges' note "**x**" is listed, shown as typed rather than read as bold.
    assert "**x**" not in text and "\\*\\*x\\*\\*" in text


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
    day = UNTIL - timedelta(days=1)
    quiet = [
        add("rotation", day, exercise="my band row", sets=3, reps=10),
        add("cycling", day, minutes=20),
    ]
    clean = build_report([*entries, *quiet], weeks=2, until=UNTIL)
    entries.append(add("rotation", day, exercise="my|band row", sets=3, reps=10, notes=HOSTILE))
    entries.append(add("cycling", day, minutes=20, notes=HOSTILE))
    # As a file from an older version could hold it: a custom name with an escape sequence.
    entries[-2] = {**entries[-2], "exercise": "x\x1b]0;PWNED\x07"}
    for entry in entries:
        if entry["kind"] == "lunge":
            entry["notes"] = HOSTILE
    text = build_report(entries, weeks=2, until=UNTIL)
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text
    # Each note is one row of the notes table, whatever it holds: the same lines as before
    # (7 lunges, all with a note), and 2 rows more for the rotation and cycling notes, than
    # a report of the same entries whose rotation and cycling have no note.
    assert len(text.splitlines()) == len(clean.splitlines()) + 2
    notes = text.split("## Notes from the diary\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(notes) == 2 + 7 + 2  # header, rule, the rows
    for line in text.splitlines():
        if line.startswith("| "):
            assert line.endswith(" |")
    for row in notes[2:]:  # three cells each: four unescaped bars
        assert len(re.findall(r"(?<!\\)(?:\\\\)*\|", row)) == 4
    rotation = next(line for line in notes if "External rotation" in line)
    assert "forged" in rotation and "\\e\\]0;PWNED" in rotation  # inert, escaped


# ---------------------------------------------------------------- weeks, the HTML page, saving

HTML_VOID = {"meta", "br", "hr", "img", "input", "link"}


class Page(HTMLParser):
    """Every tag of an HTML page, and whether each one opened was closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in HTML_VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:]}")
        else:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    assert parser.errors == [] and parser.open == [], (parser.errors, parser.open)
    return parser


def six_weeks() -> list[Entry]:
    """Six weeks to 21 Nov: back pain 6 the first two, 2 from then on (a substantial
    improvement, beyond day-to-day variation), knee 3 throughout, both plus a weekly wiggle
    of 0 or 1; a lunge every other day; notes on the check-ins of Nov 2 and Nov 19 and on the
    lunge of Nov 11."""
    entries = []
    first = UNTIL - timedelta(days=41)
    for i in range(42):
        day = first + timedelta(days=i)
        notes = {
            date(2026, 11, 2): "Physio said to try 4-1-4 tempo",
            date(2026, 11, 19): "Knee stiff\nafter the stairs",
        }.get(day)
        wiggle = (0, 1, 0, 1, 1, 0, 0)[i % 7]
        entries.append(
            add(
                "checkin",
                day,
                knee_pain=3 + wiggle,
                back_pain=(6 if i < 14 else 2) + wiggle,
                clicking_left=1,
                clicking_right=0,
                notes=notes,
            )
        )
        if i % 2:
            note = "Left knee ached on rep 8" if day == date(2026, 11, 11) else None
            entries.append(add("lunge", day, sets=3, reps=10, tempo="3-1-3-0", notes=note))
    return entries


def test_calendar_weeks_start_on_the_week_start_day_and_say_when_partial() -> None:
    # Nov 8 2026 is a Sunday, Nov 21 a Saturday.
    weeks = calendar_weeks(date(2026, 11, 8), UNTIL)
    assert [w.first for w in weeks] == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
    assert all(w.first.weekday() == 0 for w in weeks)
    assert [w.days for w in weeks] == [1, 7, 6]
    assert [w.label for w in weeks] == [
        "2026-11-02 (partial week: 8 Nov only)",
        "2026-11-09",
        "2026-11-16 (partial week: 16-21 Nov)",
    ]
    # Sunday weeks: Nov 8 starts a whole one, and Nov 15-21 is whole too.
    sundays = calendar_weeks(date(2026, 11, 8), UNTIL, week_start=6)
    assert [(w.first, w.days) for w in sundays] == [(date(2026, 11, 8), 7), (date(2026, 11, 15), 7)]
    assert "weeks start on a Sunday" in build_html(six_weeks(), weeks=2, until=UNTIL, week_start=6)


def test_report_weeks_start_on_monday_whatever_the_last_day() -> None:
    """The defect: weeks counted back from the last day started on a Thursday when the last
    day was a Wednesday. Every "Week starting" is a Monday, whatever ``until`` is."""
    for offset in range(7):
        until = UNTIL + timedelta(days=offset)
        text = build_report(six_weeks(), weeks=4, until=until)
        starts = re.findall(r"^\| (\d{4}-\d\d-\d\d)[ (]", text, re.MULTILINE)
        weekly = [d for d in starts if d not in text.split("## Notes from the diary")[1]]
        assert weekly, text
        assert {date.fromisoformat(d).weekday() for d in weekly} == {0}, until
        assert "Weeks start on Monday." in text


def test_the_summary_says_progress_since_the_start_with_its_interval_and_band() -> None:
    page = build_html(six_weeks(), weeks=4, until=UNTIL)
    summary = page.split('<section id="summary">', 1)[1].split("</section>", 1)[0]
    assert "Back pain: 2.4 in the last two weeks (14 check-ins) against 6.4 in the first" in (
        summary
    )
    assert "95 % CI" in summary and "a substantial improvement" in summary
    assert "Knee pain: 3.4 in the last two weeks" in summary
    assert "within day-to-day variation" in summary
    assert "check-ins on 28 of 28 days (100 %)" in summary
    # The summary, the charts and the tables come before the notes and the safety note.
    order = [page.index(f'<section id="{key}">') for key in ("summary", "charts", "notes")]
    assert order == sorted(order) and page.index('id="safety"') > order[-1]


def test_html_is_one_well_formed_self_contained_printable_page() -> None:
    page = build_html(six_weeks(), weeks=4, until=UNTIL)
    tags = parsed(page).tags
    assert page.startswith("<!DOCTYPE html>")
    assert "script" not in tags and "link" not in tags and "img" not in tags
    # Nothing fetched from elsewhere: the one URL is the SVG namespace, which is a name.
    assert set(re.findall(r"https?://[^\"' ]+", page)) == {"http://www.w3.org/2000/svg"}
    assert "url(" not in page and "@import" not in page and "src=" not in page
    assert "@page" in page and "@media print" in page
    assert "break-inside: avoid" in page
    assert "font-size: 11pt" in page and "color: #000" in page


def test_html_draws_the_charts_with_axes_and_legends_in_words() -> None:
    page = build_html(six_weeks(), weeks=4, until=UNTIL)
    charts = page.split('<section id="charts">', 1)[1].split("</section>", 1)[0]
    assert charts.count("<svg") >= 5  # pain, three volume panels, days logged (+ swatches)
    assert "Knee and back pain, 25 Oct 2026 to 21 Nov 2026" in charts
    assert "pain, 0-10" in charts and "date (weeks start on a Monday)" in charts
    assert "Knee pain: each day's rating" in charts
    assert "Back pain: 7-day mean (needs 4 rated days)" in charts
    assert "Tempo lunges: time under tension in minutes per week" in charts
    assert "Days logged per week" in charts and "days with a check-in" in charts
    assert "week starting" in charts
    # Oct 25 is a Sunday: the first week is a partial one, and its bar says so.
    assert "1 day only" in charts


def test_html_lists_the_notes_of_the_period_oldest_first() -> None:
    page = build_html(six_weeks(), weeks=4, until=UNTIL)
    notes = page.split('<section id="notes">', 1)[1].split("</section>", 1)[0]
    rows = re.findall(
        r"<tr><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td></tr>", notes, re.S
    )
    assert rows == [
        (
            "Mon 2 Nov 2026",
            "Check-in: knee pain 4/10, back pain 3/10, clicking left Rarely, right Never",
            "Physio said to try 4-1-4 tempo",
        ),
        (
            "Wed 11 Nov 2026",
            "Tempo lunges: 3x10 both, tempo 3-1-3-0, 7:00 under tension",
            "Left knee ached on rep 8",
        ),
        (
            "Thu 19 Nov 2026",
            "Check-in: knee pain 4/10, back pain 3/10, clicking left Rarely, right Never",
            "Knee stiff\nafter the stairs",
        ),
    ]
    # A note before the period is not in it.
    earlier = build_html(six_weeks(), weeks=1, until=UNTIL)
    assert "Physio said" not in earlier and "Knee stiff" in earlier
    assert "No notes in this period." in build_html([], weeks=4, until=UNTIL)


HOSTILE_NOTE = "<script>alert('x')</script></pre></td></table>\x1b[2J\x1b]0;PWNED\x07 & done"


def test_hostile_notes_come_out_inert_in_the_html() -> None:
    entries = six_weeks()
    day = UNTIL - timedelta(days=2)
    entries.append(add("cycling", day, minutes=20, notes=HOSTILE_NOTE))
    entries.append(
        {
            **add("rotation", day, exercise="band", sets=2, reps=10, notes="see its name"),
            "exercise": "<i>x\x1b[31m",
        }
    )
    page = build_html(entries, weeks=4, until=UNTIL)
    tags = parsed(page).tags  # still well formed: the note closed nothing
    assert "script" not in tags and "i" not in tags and "pre" not in tags
    assert "<script" not in page.lower() and "</pre>" not in page and "</td></table>" not in page
    assert "\x1b" not in page and "\x07" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;/pre&gt;" in page
    assert "\\e[2J\\e]0;PWNED\\x07 &amp; done" in page
    assert "&lt;i&gt;x\\e[31m" in page  # the custom exercise name too
    text = build_report(entries, weeks=4, until=UNTIL)
    assert "\x1b" not in text and "<script>" not in text and "\\<script\\>" in text


def test_save_report_writes_an_owner_only_file_and_replaces_the_same_days_report(
    tmp_path: Path,
) -> None:
    path = save_report(six_weeks(), until=UNTIL, path=tmp_path / "r.html")
    assert path == tmp_path / "r.html"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    # The same report again, with more logged since: the file is replaced, not duplicated.
    more = [*six_weeks(), add("cycling", UNTIL, minutes=30, notes="added later")]
    assert save_report(more, until=UNTIL, path=tmp_path / "r.html") == path
    assert "added later" in path.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]
    markdown = save_report(six_weeks(), until=UNTIL, path=tmp_path / "r.md", fmt="markdown")
    assert markdown.read_text(encoding="utf-8").startswith("# Progress report")
    with pytest.raises(ValueError, match="format must be one of html, markdown"):
        save_report([], until=UNTIL, fmt="pdf")


def test_the_default_place_is_the_documents_folder_else_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    # No Documents folder: the home folder, and nothing is created.
    assert default_report_path(UNTIL) == home / "tracker-report-2026-11-21.html"
    assert default_report_path(UNTIL, fmt="markdown") == home / "tracker-report-2026-11-21.md"
    assert list(home.iterdir()) == []
    (home / "Documents").mkdir()
    assert default_report_path(UNTIL) == home / "Documents" / "tracker-report-2026-11-21.html"
    saved = save_report(six_weeks(), until=UNTIL)
    assert saved == home / "Documents" / "tracker-report-2026-11-21.html"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    # A documents folder that platformdirs names but is missing (or is a file): home again.
    monkeypatch.setattr(platformdirs, "user_documents_dir", lambda: str(home / "Downloads"))
    assert default_report_path(UNTIL).parent == home
    (home / "Downloads").write_text("not a folder")
    assert default_report_path(UNTIL).parent == home


# ---------------------------------------------------------------- printed (needs Chromium)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MARGIN_PT = 15 / 25.4 * 72  # the page's margin, 15 mm


@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_the_page_prints_on_a4_and_letter_without_clipping(tmp_path: Path, paper: str) -> None:
    """Headless Chromium prints the page to PDF; every word must lie inside the margins of
    the paper (a clipped table or chart would run past the right one)."""
    if CHROMIUM is None or shutil.which("pdftotext") is None:
        message = "PRINTING NOT CHECKED: chromium or pdftotext (poppler-utils) is not installed"
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    entries = six_weeks()
    long_note = "A long note: " + "x" * 200 + " then words" * 30
    entries.append(add("cycling", UNTIL, minutes=20, notes=long_note))
    page = build_html(entries, weeks=4, until=UNTIL)
    # The report leaves the paper to the printer; this copy asks for one.
    page = page.replace("@page { margin: 15mm; }", f"@page {{ size: {paper}; margin: 15mm; }}")
    source, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    source.write_text(page, encoding="utf-8")
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            source.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">', boxes)
    width, height = (float(v) for v in pages[0])
    assert (round(width), round(height)) == ((595, 842) if paper == "A4" else (612, 792))
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', boxes
    )
    assert len(words) > 500
    for x0, y0, x1, y1, word in words:
        assert float(x0) >= MARGIN_PT - 3 and float(x1) <= width - MARGIN_PT + 3, word
        assert float(y0) >= MARGIN_PT - 3 and float(y1) <= height - MARGIN_PT + 3, word
    # Printed at its size, not shrunk to fit: an 11 pt line's words are about 12.8 pt tall.
    period = next(w for w in words if w[-1] == "Period:")
    assert float(period[3]) - float(period[1]) > 12
    text = " ".join(w[-1] for w in words)
    for said in ("Verdict", "rotation)", "Physio", "clinician", "stairs", "words"):
        assert said in text


def test_the_report_command_starts_weeks_on_the_settings_week_start(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('week_start = "sunday"\n')
    monkeypatch.setenv("TRACKER_SETTINGS", str(settings))
    assert cli("log", "checkin", *cli_args("checkin"), "--date", "2026-11-10").code == 0
    out = cli("report", "--weeks", "2", "--until", "2026-11-21").out
    assert "| 2026-11-15 " in out and "| 2026-11-16 " not in out  # 15 Nov 2026 is a Sunday
