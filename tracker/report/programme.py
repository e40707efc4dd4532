"""The report's visit-page sections about the programme: what was prescribed and how much of it
was done (plan and adherence), and how each exercise was progressed (progression).

A physiotherapist at a visit asks "what are you doing now, how often did you manage it, and
what did you change since I saw you?". These sections answer in that order; the questionnaires,
progress and pain-monitoring sections follow them in ``content``.

Pure: entries in, sections out. ``entries`` must hold every plan entry dated up to the period's
last day (``content.read_for_report`` reads them), the period, and the 3 days before it (the
pain-monitoring flags compare a day with the days before).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from tracker import analysis
from tracker.events import headline as event_headline
from tracker.kinds import kind_of
from tracker.kinds.plan import plan_words, prescription
from tracker.records import EXERCISE_KINDS, Entry, sort_key
from tracker.report.model import BarChart, Block, Paragraph, Section, Table, Week

# What is progressed per exercise kind, in the words the changes table uses (domain.md,
# "Progression"). Minutes of cycling vary from ride to ride and are in the weekly volume;
# a change of resistance level is the progression.
SETTINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "lunge": (("sets", "sets"), ("reps", "reps"), ("tempo", "tempo")),
    "rotation": (("band", "band"), ("hold_s", "hold"), ("sets", "sets"), ("reps", "reps")),
    "cycling": (("resistance", "resistance level"),),
}

NO_PLAN = (
    "No plan recorded. Record what was prescribed with `tracker plan` (key p in the app): "
    "adherence is then measured against it."
)
SHARE_RULE = (
    "A week counts its sessions up to its plan: an extra session does not make up for a missed "
    "one. A week cut by the period plans at most as many days as it has in the period."
)


def share_words(done: int, planned: int) -> str:
    """ "38 of 52 (73 %)"; "none planned"."""
    if planned == 0:
        return "none planned"
    return f"{done} of {planned} ({round(100 * done / planned)} %)"


# ---------------------------------------------------------------- plan and adherence


def plan_share_in(
    entries: Iterable[Entry], *, start: date, end: date, week_start: int = 0
) -> tuple[int, int] | None:
    """Planned sessions done over ``start``..``end`` (done, planned), or None when no plan was
    in force in any week of it."""
    weeks = analysis.plan_adherence(entries, start=start, end=end, week_start=week_start)
    if not any(weeks):
        return None
    return analysis.plan_share(weeks)


def plan_section(
    everything: Sequence[Entry],
    *,
    start: date,
    until: date,
    week_start: int,
    calendar: Sequence[Week],
) -> Section:
    """The plan in force at the end of the period, its changes in the period, and week by week
    the days done against the days planned (domain.md, "Adherence against the plan")."""
    weeks = analysis.plan_adherence(everything, start=start, end=until, week_start=week_start)
    in_force = analysis.plans_in_force(everything, until)
    if not in_force:
        return Section("plan", "Plan and adherence", (Paragraph(NO_PLAN),))
    blocks: list[Block] = []
    programme_start = analysis.programme_start(everything, until)
    done, planned = analysis.plan_share(weeks)
    head = f"The programme started on {programme_start.isoformat()}. " if programme_start else ""
    blocks.append(
        Paragraph(f"{head}Planned sessions done in the period: {share_words(done, planned)}.")
    )
    blocks.append(
        Table(
            ("Exercise", f"Plan on {until.isoformat()}", "Since", "Planned sessions done"),
            tuple(
                (
                    kind_of(exercise).label,
                    plan_words(plan),
                    plan["date"],
                    share_words(*analysis.plan_share(_rows_of(weeks, exercise))),
                )
                for exercise, plan in in_force.items()
            ),
        )
    )
    changes = _plan_changes(everything, start, until)
    if changes:
        blocks.append(Table(("Date", "Exercise", "New plan", "Before"), tuple(changes)))
    exercises = [k for k in EXERCISE_KINDS if any(r.exercise == k for rows in weeks for r in rows)]
    blocks.append(
        Table(
            ("Week starting", *(kind_of(k).label for k in exercises), "Planned sessions done"),
            tuple(
                (
                    week.label,
                    *(_week_cell(rows, k) for k in exercises),
                    share_words(*analysis.plan_share([rows])) if rows else "no plan yet",
                )
                for week, rows in zip(calendar, weeks, strict=True)
            ),
        )
    )
    blocks.append(_plan_chart(calendar, weeks))
    blocks.append(Paragraph(SHARE_RULE))
    return Section("plan", "Plan and adherence", tuple(blocks))


def _rows_of(
    weeks: Sequence[Sequence[analysis.PlanWeek]], exercise: str
) -> list[list[analysis.PlanWeek]]:
    return [[r for r in rows if r.exercise == exercise] for rows in weeks]


def _week_cell(rows: Sequence[analysis.PlanWeek], exercise: str) -> str:
    row = next((r for r in rows if r.exercise == exercise), None)
    return "-" if row is None else f"{row.done} of {row.planned}"


def _plan_changes(everything: Sequence[Entry], start: date, until: date) -> list[tuple[str, ...]]:
    """Each plan entry dated in the period, beside the plan it replaced."""
    rows: list[tuple[str, ...]] = []
    plans = analysis.plan_entries(everything)
    for plan in plans:
        if not start.isoformat() <= plan["date"] <= until.isoformat():
            continue
        earlier = [p for p in plans if p is not plan and sort_key(p) < sort_key(plan)]
        before = analysis.plans_in_force(earlier, date.fromisoformat(plan["date"]))
        previous = before.get(plan["exercise"])
        rows.append(
            (
                plan["date"],
                kind_of(plan["exercise"]).label,
                plan_words(plan),
                plan_words(previous) if previous is not None else "no plan",
            )
        )
    return rows


def _plan_chart(calendar: Sequence[Week], weeks: Sequence[Sequence[analysis.PlanWeek]]) -> BarChart:
    planned = tuple(float(sum(r.planned for r in rows)) for rows in weeks)
    done = tuple(float(sum(min(r.done, r.planned) for r in rows)) for rows in weeks)
    return BarChart.of_counts(
        "Planned sessions per week: planned and done",
        "sessions",
        calendar,
        [("planned", planned), ("done (up to the plan)", done)],
    )


# ---------------------------------------------------------------- progression


def progression_section(
    everything: Sequence[Entry], *, start: date, until: date, calendar: Sequence[Week]
) -> Section:
    """Per exercise, week by week: the usual setting (each setting's most common value that
    week: tempo, sets x reps, band, hold, resistance), the sessions, the highest pain during,
    the days the pain-monitoring model flagged, and the events of the week. Read down a
    column, it answers "did I progress too fast before that flare?".

    Weeks, not sessions: reps and resistance move a little from one session to the next,
    and a list of every such move hides the real progressions."""
    low, high = start.isoformat(), until.isoformat()
    shown = [
        e
        for e in sorted(everything, key=sort_key)
        if e["kind"] in SETTINGS and low <= e["date"] <= high
    ]
    if not shown:
        return Section(
            "progression", "Progression", (Paragraph("No exercise logged in this period."),)
        )
    noted = [e for e in everything if e["kind"] == "event" and low <= e["date"] <= high]
    blocks: list[Block] = []
    for kind in EXERCISE_KINDS:
        mine = [e for e in shown if e["kind"] == kind]
        if not mine:
            continue
        flagged = analysis.flagged_days(everything, kind, start=start, end=until)
        rows = []
        previous = ""
        for week in calendar:
            first, last = week.start.isoformat(), week.end.isoformat()
            sessions = [e for e in mine if first <= e["date"] <= last]
            usual = usual_settings(sessions) if sessions else ""
            changed = " (changed)" if usual and previous and usual != previous else ""
            previous = usual or previous
            pains = [e["pain_during"] for e in sessions if e.get("pain_during") is not None]
            flags = sum(1 for d in flagged if week.start <= d <= week.end)
            events = [_event_words(e) for e in noted if first <= e["date"] <= last]
            rows.append(
                (
                    week.label,
                    (usual or "-") + changed,
                    str(len(sessions)),
                    f"{max(pains)}/10" if pains else "-",
                    str(flags) if sessions else "-",
                    "; ".join(events),
                )
            )
        blocks.append(Paragraph(f"{kind_of(kind).label}:"))
        blocks.append(
            Table(
                (
                    "Week starting",
                    "Usual setting",
                    "Sessions",
                    "Highest pain during",
                    "Days flagged",
                    "Events",
                ),
                tuple(rows),
            )
        )
    blocks.append(
        Paragraph(
            "The usual setting is each setting's most common value in the week's sessions; "
            "(changed) marks a week whose usual setting differs from the week before. Days "
            "flagged: exercise days the pain-monitoring model flagged (pain during above 5/10, "
            "or pain not settled the next day). A flag or a flare after a change is worth a "
            "look; it does not prove the change caused it."
        )
    )
    return Section("progression", "Progression", tuple(blocks))


def usual_settings(sessions: Sequence[Mapping[str, Any]]) -> str:
    """Each setting's most common value over ``sessions`` (of one kind; a tie goes to the
    later session), in the plan's words: "3 × 11 at 6-0-4-0"."""
    kind = sessions[0]["kind"]
    usual: dict[str, Any] = {"kind": kind}
    for name, _ in SETTINGS[kind]:
        values = [e.get(name) for e in sessions if e.get(name) is not None]
        if values:
            counts = Counter(values)
            top = max(counts.values())
            usual[name] = next(v for v in reversed(values) if counts[v] == top)
    return prescription(usual)


def _event_words(event: Mapping[str, Any]) -> str:
    day = date.fromisoformat(event["date"])
    return f"{day.day} {day:%b}: {event_headline(dict(event))}"
