"""Issue 10: `insights`, `report`, `chart` and the app's report read only the months they show
(and the diary's first two weeks), and say exactly what they said when they read everything.

Each face is compared, byte for byte, with the same computation over every entry of the diary,
on years of demo data and on a hand-built history with the awkward cases (months of exercise
before the first check-in, a first fortnight across a month's end, years without entries).
That they do not read the rest is shown by spoiling an old month file: the whole history can no
longer be read, and these commands still say the same.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli

from tracker import charts, insights, report
from tracker.records import Entry, new_entry
from tracker.store import DataFileError, Store
from tracker.tui.app import create_app

TODAY = date(2026, 11, 25)  # the `cli` fixture's TRACKER_TODAY
STAMP = "2026-11-25T08:00:00+00:00"


# ---------------------------------------------------------------- helpers


def whole(folder: Path) -> list[Entry]:
    """Every entry of the diary, read the old way."""
    return Store(folder, today=lambda: TODAY).entries()


def fresh(folder: Path) -> Store:
    """A store that has read nothing yet: what one command starts with."""
    return Store(folder, today=lambda: TODAY)


def insights_json(entries: list[Entry], until: date, days: int) -> str:
    result = insights.insights(entries, until=until, days=days)
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


def insights_text(entries: list[Entry], until: date, days: int) -> str:
    result = insights.insights(entries, until=until, days=days)
    return "\n".join(insights.insight_sentences(result)) + "\n"


@dataclass
class Reads:
    """An entry source over a store that notes every range of days asked for."""

    store: Store
    asked: list[tuple[date, date]] = field(default_factory=list)

    def months(self) -> list[str]:
        return self.store.months()

    def entries_of_days(self, start: date, end: date) -> list[Entry]:
        self.asked.append((start, end))
        return self.store.entries_of_days(start, end)

    def months_read(self) -> set[str]:
        return {month for start, end in self.asked for month in months_between(start, end)}


def months_between(start: date, end: date) -> Iterator[str]:
    month = start.replace(day=1)
    while month <= end:
        yield f"{month:%Y-%m}"
        month = (month + timedelta(days=32)).replace(day=1)


def as_printed(text: str) -> str:
    """What the command line prints of ``text``: one newline at its end."""
    return text if text.endswith("\n") else text + "\n"


def spoil(folder: Path, month: str) -> None:
    """Make a month's files unreadable the way a broken sync or disk would: not JSON."""
    spoiled = sorted(folder.glob(f"entries-{month}*.json"))
    assert spoiled, f"no file of {month} in {folder}"
    for path in spoiled:
        path.write_text("{ this is not JSON")


# ---------------------------------------------------------------- a hand-built history


def add(kind: str, day: date, **values: Any) -> Entry:
    return new_entry(kind, {**values, "date": day.isoformat()}, today=TODAY, now=STAMP)


def awkward_history() -> list[Entry]:
    """Cycling in Nov 2019 and lunges in Jan 2020 but no check-in; the first check-in on
    24 Feb 2020, so the first fortnight runs into March; daily check-ins to 20 Mar 2020;
    nothing from April 2020 to 2021; then daily check-ins and exercise from Jan to Jun 2022,
    with painful sessions and flare-ups (flags, associations, a week of rising pain)."""
    rng = random.Random(10)
    entries = [add("cycling", date(2019, 11, d), minutes=20 + d) for d in (3, 9, 17)]
    entries += [add("lunge", date(2020, 1, d), sets=2, reps=8, tempo="3-1-3") for d in (6, 20)]
    day = date(2020, 2, 24)
    while day <= date(2020, 3, 20):
        entries.append(checkin(day, rng, level=6))
        day += timedelta(days=1)
    day = date(2022, 1, 1)
    while day <= date(2022, 6, 30):
        level = 3 if day.month < 5 else 5
        if rng.random() < 0.85:
            entries.append(checkin(day, rng, level=level))
        if rng.random() < 0.5:
            pain = rng.randint(0, 8)
            entries.append(add("lunge", day, sets=3, reps=10, tempo="4-1-4", pain_during=pain))
        if rng.random() < 0.3:
            entries.append(add("cycling", day, minutes=30, effort=5))
        if rng.random() < 0.4:
            entries.append(add("rotation", day, exercise="clamshell", sets=2, reps=12))
        day += timedelta(days=1)
    return entries


def checkin(day: date, rng: random.Random, *, level: int) -> Entry:
    return add(
        "checkin",
        day,
        knee_pain=max(0, min(10, level + rng.randint(-2, 2))),
        back_pain=max(0, min(10, level - 1 + rng.randint(-2, 2))),
        clicking_left=rng.randint(0, 4),
        clicking_right=rng.randint(0, 4),
        clicking_painful=rng.random() < 0.2,
    )


@pytest.fixture(scope="module")
def awkward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("awkward") / "data"
    fresh(folder).import_entries(awkward_history())
    return folder


AWKWARD_UNTILS = [
    date(2019, 11, 10),  # exercise, no check-in yet
    date(2020, 2, 23),  # the day before the first check-in
    date(2020, 2, 24),  # the first check-in
    date(2020, 3, 2),  # the first fortnight still under way, across the month's end
    date(2020, 3, 22),  # just past four weeks
    date(2020, 7, 1),  # in the gap
    date(2022, 1, 10),
    date(2022, 5, 13),
    date(2022, 6, 30),
    TODAY,
]


# ---------------------------------------------------------------- insights


@pytest.mark.parametrize("until", AWKWARD_UNTILS)
@pytest.mark.parametrize("days", [1, 4, 90, 150, 200, 500, 36500])
def test_insights_from_the_months_needed_match_those_from_everything(
    awkward: Path, until: date, days: int
) -> None:
    narrowed = insights.read_for_insights(fresh(awkward), until=until, days=days)
    assert insights_json(narrowed, until, days) == insights_json(whole(awkward), until, days)


def test_insights_read_the_first_check_ins_and_the_last_months_only(awkward: Path) -> None:
    reads = Reads(fresh(awkward))
    insights.read_for_insights(reads, until=date(2022, 6, 30), days=90)
    # Every month before the window is looked through for a plan (none: the programme starts
    # at the first check-in), Feb-Mar 2020 hold the first fortnight; then the 120 days of r1
    # (from 3 Mar 2022).
    assert reads.months_read() == {
        "2019-11",
        "2020-01",
        "2020-02",
        "2020-03",
        "2022-01",
        "2022-02",
        "2022-03",
        "2022-04",
        "2022-05",
        "2022-06",
    }


def plan(day: date, exercise: str = "lunge", **fields: object) -> Entry:
    return add("plan", day, exercise=exercise, days_per_week=5, **fields)


@pytest.mark.parametrize(
    "plan_days",
    [
        [date(2020, 1, 20)],  # before the first check-in: the first check-in still starts it
        [date(2020, 3, 5), date(2020, 1, 6)],  # the first plan counts, not the one read first
        [date(2020, 3, 5)],  # inside the first fortnight: a later baseline
        [date(2020, 7, 1)],  # in the gap: the baseline is the first check-ins of 2022
        [date(2022, 3, 1)],  # a plan long after the first check-ins
        [date(2022, 6, 20)],  # inside the window read for r1
    ],
)
@pytest.mark.parametrize("until", [date(2020, 3, 22), date(2022, 6, 30)])
def test_insights_with_a_plan_from_the_months_needed_match_those_from_everything(
    tmp_path: Path, plan_days: list[date], until: date
) -> None:
    folder = tmp_path / "data"
    fresh(folder).import_entries(
        awkward_history() + [plan(day, sets=3, reps=10) for day in plan_days]
    )
    narrowed = insights.read_for_insights(fresh(folder), until=until, days=90)
    assert insights_json(narrowed, until, 90) == insights_json(whole(folder), until, 90)


def test_insights_stop_looking_for_the_start_at_the_first_plan(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    fresh(folder).import_entries([*awkward_history(), plan(date(2020, 1, 20))])
    reads = Reads(fresh(folder))
    insights.read_for_insights(reads, until=date(2022, 6, 30), days=90)
    # Nov 2019 has no plan, Jan 2020 has one; Feb-Mar 2020 hold the first fortnight after it.
    assert reads.months_read() == {
        "2019-11",
        "2020-01",
        "2020-02",
        "2020-03",
        "2022-03",
        "2022-04",
        "2022-05",
        "2022-06",
    }


def test_the_first_day_searched_is_judged_by_the_three_days_before_it(tmp_path: Path) -> None:
    """A lunge on the first of 200 days searched, check-ins two and three days before it and
    a rise of 3 points the next day: "not settled", which needs the days before the window."""
    folder = tmp_path / "data"
    first = date(2025, 3, 1)
    until = first + timedelta(days=199)
    rng = random.Random(3)
    entries = [checkin(date(2024, 1, n), rng, level=6) for n in range(1, 29)]  # the start
    entries += [
        add(
            "checkin",
            first - timedelta(days=n),
            knee_pain=2,
            back_pain=1,
            clicking_left=0,
            clicking_right=0,
        )
        for n in (3, 2)
    ]
    entries.append(add("lunge", first, sets=3, reps=10, tempo="4-1-4", pain_during=3))
    day = first + timedelta(days=1)
    entries.append(checkin(day, rng, level=5) | {"knee_pain": 5})
    while (day := day + timedelta(days=1)) <= until:
        entries.append(checkin(day, rng, level=3))
    fresh(folder).import_entries(entries)
    narrowed = insights.read_for_insights(fresh(folder), until=until, days=200)
    result = insights.insights(narrowed, until=until, days=200)
    assert result["monitoring"]["flags"][0]["date"] == first.isoformat()
    assert insights_json(narrowed, until, 200) == insights_json(whole(folder), until, 200)


def test_a_diary_without_any_check_in_reads_what_it_must_and_says_the_same(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    fresh(folder).import_entries(
        [add("cycling", date(2024, month, 5), minutes=30) for month in range(1, 13)]
    )
    until = date(2024, 12, 31)
    narrowed = insights.read_for_insights(fresh(folder), until=until, days=90)
    assert insights_json(narrowed, until, 90) == insights_json(whole(folder), until, 90)


def test_cli_insights_of_the_default_span_and_of_any_days_say_what_they_said(
    cli: Cli, years_of_data: Path
) -> None:
    everything = whole(years_of_data)
    for args, until, days in [
        ((), TODAY, 90),
        (("--days", "7"), TODAY, 7),
        (("--days", "400", "--until", "2025-02-28"), date(2025, 2, 28), 400),
        (("--until", "2022-11-20"), date(2022, 11, 20), 90),
    ]:
        result = cli("insights", "--json", *args, data=years_of_data)
        assert result.code == 0, result.err
        assert result.out == insights_json(everything, until, days)
        result = cli("insights", *args, data=years_of_data)
        assert result.code == 0, result.err
        assert result.out == insights_text(everything, until, days)


# ---------------------------------------------------------------- report


@pytest.mark.parametrize("until", AWKWARD_UNTILS)
@pytest.mark.parametrize("weeks", [1, 4, 30, 520])
def test_reports_from_the_months_needed_match_those_from_everything(
    awkward: Path, until: date, weeks: int
) -> None:
    narrowed = report.read_for_report(fresh(awkward), weeks=weeks, until=until)
    everything = whole(awkward)
    for build in (report.build_report, report.build_html):
        assert build(narrowed, weeks=weeks, until=until, week_start=3) == build(
            everything, weeks=weeks, until=until, week_start=3
        )


def test_cli_report_in_markdown_and_html_says_what_it_said(
    cli: Cli, years_of_data: Path, tmp_path: Path
) -> None:
    everything = whole(years_of_data)
    for args, until, weeks in [
        ((), TODAY, 4),
        (("--weeks", "52"), TODAY, 52),
        (("--weeks", "2", "--until", "2024-03-01"), date(2024, 3, 1), 2),
        (("--weeks", "520"), TODAY, 520),
    ]:
        result = cli("report", *args, data=years_of_data)
        assert result.code == 0, result.err
        assert result.out == as_printed(report.build_report(everything, weeks=weeks, until=until))
        page = tmp_path / "report.html"
        result = cli("report", *args, "--out", str(page), data=years_of_data)
        assert result.code == 0, result.err
        assert page.read_text() == report.build_html(everything, weeks=weeks, until=until)


# ---------------------------------------------------------------- charts


@pytest.mark.parametrize("name", sorted(charts.CHART_NAMES))
@pytest.mark.parametrize("until", [date(2020, 3, 1), date(2022, 4, 3), date(2022, 6, 30)])
@pytest.mark.parametrize("days", [1, 10, 90, 800])
def test_charts_from_the_days_needed_match_those_from_everything(
    awkward: Path, name: str, until: date, days: int
) -> None:
    narrowed = fresh(awkward).entries_of_days(*charts.days_needed(until, days))
    everything = whole(awkward)
    for width, height in ((80, 24), (200, 60)):
        assert charts.render(
            name, narrowed, until=until, days=days, width=width, height=height, week_start=6
        ) == charts.render(
            name, everything, until=until, days=days, width=width, height=height, week_start=6
        )


def test_cli_chart_says_what_it_said(cli: Cli, years_of_data: Path) -> None:
    everything = whole(years_of_data)
    for name in charts.CHART_NAMES:
        for args, until, days in [
            ((), TODAY, 90),
            (("--days", "3", "--until", "2024-06-01"), date(2024, 6, 1), 3),
            (("--days", "1000"), TODAY, 1000),
        ]:
            result = cli(
                "chart", name, "--width", "90", "--height", "30", *args, data=years_of_data
            )
            assert result.code == 0, result.err
            expected = charts.render(name, everything, until=until, days=days, width=90, height=30)
            assert result.out == as_printed(expected)


# ---------------------------------------------------------------- what is not read


def test_an_unreadable_old_month_changes_nothing_the_commands_show(
    cli: Cli, copy_years: Path
) -> None:
    """A month between the diary's first fortnight and the last year is spoiled: reading the
    whole history now fails (exit 3), and insights, reports and charts still say the same."""
    commands = [
        ("insights", "--json"),
        ("insights",),
        ("insights", "--days", "200"),
        ("report",),
        ("report", "--weeks", "26"),
        *(("chart", name, "--width", "80", "--height", "24") for name in charts.CHART_NAMES),
    ]
    before = {command: cli(*command, data=copy_years) for command in commands}
    assert all(result.code == 0 and result.out for result in before.values())
    months = fresh(copy_years).months()
    assert months[0] < "2024-05" < months[-1]
    spoil(copy_years, "2024-05")
    with pytest.raises(DataFileError):
        whole(copy_years)
    assert cli("list", data=copy_years).code == 3  # a whole-history view reads it and says so
    for command, was in before.items():
        now = cli(*command, data=copy_years)
        assert (now.code, now.out) == (0, was.out), command


def test_insights_still_read_the_start_of_the_diary(cli: Cli, copy_years: Path) -> None:
    """Progress compares with the diary's first two weeks: a spoiled first month is said, never
    passed over for a later start."""
    months = fresh(copy_years).months()
    spoil(copy_years, months[0])
    assert cli("insights", data=copy_years).code == 3


# ---------------------------------------------------------------- the app's report


async def test_the_apps_report_is_the_report_of_everything(
    copy_years: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(home / "Documents"))
    expected = report.build_html(whole(copy_years), weeks=4, until=TODAY)
    app = create_app(copy_years, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.action_report()
        await app.workers.wait_for_complete()
        await pilot.pause()
    saved = home / "Documents" / f"tracker-report-{TODAY.isoformat()}.html"
    assert saved.read_text() == expected
