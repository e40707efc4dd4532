"""The plan: the command line, the plan in force, adherence against it, the programme start."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from conftest import TODAY, Cli

from tracker import analysis, insights
from tracker.records import new_entry

DAY = date.fromisoformat(TODAY)


def entry(kind: str, day: date, **values: Any) -> dict[str, Any]:
    return new_entry(kind, {**values, "date": day.isoformat()}, today=DAY)


def plan(day: date, exercise: str = "lunge", **values: Any) -> dict[str, Any]:
    return entry("plan", day, exercise=exercise, **{"days_per_week": 5, **values})


def test_plan_sets_shows_and_keeps_its_history(cli: Cli) -> None:
    assert "No plan recorded yet" in cli("plan").out
    first = cli(
        "plan",
        "lunge",
        "--sets",
        "3",
        "--reps",
        "8",
        "--tempo",
        "4-1-4",
        "--days",
        "5",
        "--from",
        "-14",
    )
    assert first.code == 0, first.err
    # Only the reps change: the rest stays as the plan in force says.
    assert cli("plan", "lunge", "--reps", "10").code == 0
    shown = cli("plan")
    assert "Tempo lunges: 3 × 10 at 4-1-4-0, 5 days a week" in shown.out
    history = json.loads(cli("plan", "--history", "--json").out)
    assert [(p["reps"], p["tempo"]) for p in history] == [(8, "4-1-4-0"), (10, "4-1-4-0")]
    in_force = json.loads(cli("plan", "--json").out)
    assert [p["reps"] for p in in_force] == [10]


def test_plan_refuses_what_does_not_fit_in_one_line(cli: Cli) -> None:
    result = cli("plan", "cycling", "--minutes", "30", "--tempo", "4-1-4", "--days", "3")
    assert result.code == 2
    assert result.err.startswith("tracker: error: --tempo must be left out of a cycling plan")
    assert "--minutes" in result.err and "Traceback" not in result.err
    assert cli("plan", "lunge", "--days", "8").err.strip().endswith("from 1 to 7, got '8'")
    assert cli("plan", "--reps", "3").code == 2
    assert cli("list", "--json").out.strip() == "[]"


def test_the_plan_in_force_is_the_latest_on_or_before_the_day() -> None:
    early = plan(DAY - timedelta(days=20), reps=8)
    later = plan(DAY - timedelta(days=5), reps=12)
    ride = plan(DAY - timedelta(days=10), "cycling", minutes=30)
    entries = [early, later, ride]
    assert analysis.plans_in_force(entries, DAY - timedelta(days=21)) == {}
    assert analysis.plans_in_force(entries, DAY - timedelta(days=6)) == {
        "lunge": early,
        "cycling": ride,
    }
    assert analysis.plans_in_force(entries, DAY)["lunge"] is later
    assert analysis.programme_start(entries) == DAY - timedelta(days=20)


def test_adherence_counts_days_done_against_days_planned() -> None:
    monday = date(2026, 11, 2)
    entries = [plan(monday, days_per_week=3)]
    entries += [
        entry("lunge", monday + timedelta(days=n), sets=3, reps=10, tempo="4-1-4")
        for n in (0, 0, 2, 3, 4, 7)
    ]  # two on one day count once
    weeks = analysis.plan_adherence(
        entries, start=monday - timedelta(days=7), end=monday + timedelta(days=8)
    )
    assert weeks[0] == []  # before the plan
    assert [(r.done, r.planned) for r in weeks[1]] == [(4, 3)]
    assert [(r.done, r.planned, r.days) for r in weeks[2]] == [(1, 2, 2)]  # a cut week
    assert analysis.plan_share(weeks) == (4, 5)  # an extra day does not make up for another


def checkins(start: date, days: int, level: int) -> list[dict[str, Any]]:
    return [
        entry(
            "checkin",
            start + timedelta(days=n),
            knee_pain=level + n % 2,
            back_pain=level,
            clicking_left=0,
            clicking_right=0,
        )
        for n in range(days)
    ]


def test_progress_measures_from_the_first_check_in_on_or_after_the_first_plan() -> None:
    start = DAY - timedelta(days=99)
    diary = checkins(start, 30, 7) + checkins(start + timedelta(days=30), 70, 3)
    without = insights.insights(diary, until=DAY)["progress"][0]
    assert without["baseline"]["start"] == start.isoformat()
    with_plan = insights.insights([*diary, plan(start + timedelta(days=30))], until=DAY)
    row = with_plan["progress"][0]
    assert row["baseline"]["start"] == (start + timedelta(days=30)).isoformat()
    assert row["baseline"]["mean"] == 3.5
    # A plan after the range's end changes nothing.
    later = insights.insights([*diary, plan(DAY)], until=DAY - timedelta(days=1))
    assert later == insights.insights(diary, until=DAY - timedelta(days=1))


def test_insights_and_report_find_the_first_plan_through_the_stores_note(
    cli: Cli, data_dir: Path
) -> None:
    """The store notes the months of plans and questionnaires (index/DEVICE.kinds.json), so
    insights and the report read those months, not every month before their window; what
    they say is what the whole diary says."""
    from tracker import insights, report
    from tracker.store import Store

    assert cli("demo", "--days", "300").code == 0
    store = Store(data_dir)
    assert store.kind_months("plan") and store.kind_months("koos")
    until = date(2026, 11, 25)
    narrow = insights.read_for_insights(store, until=until)
    assert insights.insights(narrow, until=until) == insights.insights(store.entries(), until=until)
    for weeks in (2, 4):
        assert report.build_report(
            report.read_for_report(store, weeks=weeks, until=until), weeks=weeks, until=until
        ) == report.build_report(store.entries(), weeks=weeks, until=until)
    # A note lost (or a folder no write of this version touched): every month is searched,
    # with the same answer, and doctor --repair writes the note again.
    (data_dir / "index" / "home.kinds.json").unlink()
    assert Store(data_dir).kind_months("plan") is None
    unnoted = insights.read_for_insights(Store(data_dir), until=until)
    assert insights.insights(unnoted, until=until) == insights.insights(
        store.entries(), until=until
    )
    assert cli("doctor", "--repair").code == 0
    assert Store(data_dir).kind_months("plan") == store.kind_months("plan")


def test_the_days_logged_chart_says_the_share_of_the_plan_done(cli: Cli) -> None:
    # A plan from months before the chart's range still counts: the command reads it.
    assert cli("plan", "lunge", "--reps", "10", "--days", "2", "--from", "2026-03-02").code == 0
    for day in ("-1", "-2", "-3"):
        assert (
            cli(
                "log", "lunge", "--sets", "3", "--reps", "10", "--tempo", "5-0-3", "--date", day
            ).code
            == 0
        )
    chart = cli("chart", "adherence", "--days", "14", "--width", "80", "--height", "24").out
    # 12-25 Nov: week of 9 Nov (12-15 Nov, plan 2 of its 4 days), of 16 Nov (2), of 23 Nov
    # (23-25 Nov: 2); 3 lunges on 22, 23 and 24 Nov: 1 in the week of 16 Nov, 2 of 23 Nov.
    assert chart.splitlines()[-1] == (
        "Plan: 3 of 6 planned sessions done (50 %), 12 Nov - 25 Nov 2026"
    )
    narrow = cli("chart", "adherence", "--days", "14", "--width", "50").out
    assert narrow.splitlines()[-1] == "Plan: 3 of 6 planned sessions done (50 %)"


def test_without_a_plan_the_days_logged_chart_has_no_plan_line(cli: Cli) -> None:
    assert cli("log", "lunge", "--sets", "3", "--reps", "10", "--tempo", "5-0-3").code == 0
    chart = cli("chart", "adherence", "--days", "14", "--width", "80", "--height", "24").out
    assert "Plan" not in chart
