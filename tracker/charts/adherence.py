"""The adherence chart ("Days logged"): per week, days with a check-in and days with exercise."""

from __future__ import annotations

from tracker import analysis
from tracker.charts.common import (
    ChartData,
    ChartSpec,
    Panel,
    Span,
    Window,
    bar_bounds,
    charted_period,
    headroom,
    paired_bars,
    panel_rows,
    per_week,
    rate_words,
    xlabel,
    xticks,
)
from tracker.charts.registry import ChartDef, register
from tracker.numbers import plain
from tracker.records import EXERCISE_KINDS


def prepare(span: Span) -> ChartData:
    if not span.any_shown(lambda e: True):
        return span.nothing(f"Nothing logged in {span.period}.")
    index = span.positions
    checked, exercised = span.zeros(), span.zeros()
    exercise_kinds = set(EXERCISE_KINDS)  # a daily record of another kind is not exercise
    for e in span.entries:
        if e["kind"] == "checkin":
            checked[index[e["date"]]] = 1.0
        elif e["kind"] in exercise_kinds:
            exercised[index[e["date"]]] = 1.0
    return span.data({"checkin": checked, "exercise": exercised}, note=_plan_note(span))


def _plan_note(span: Span) -> str | None:
    """ "Plan: 38 of 60 planned sessions done (63 %), 30 Oct - 26 Nov 2026" over the range
    (its own days: the bars may show whole weeks only), when a plan was in force in it
    (domain.md, "Adherence against the plan")."""
    if not span.plans:
        return None
    first = span.start.isoformat()
    done = [e for e in span.entries if e["kind"] != "plan" and e["date"] >= first]
    weeks = analysis.plan_adherence(
        [*span.plans, *done], start=span.start, end=span.end, week_start=span.week_start
    )
    if not any(weeks):
        return None
    sessions, planned = analysis.plan_share(weeks)
    share = round(100 * sessions / planned)
    # The period last: a narrow window drops it (``fit``), keeping the share.
    return f"Plan: {sessions} of {planned} planned sessions done ({share} %), {span.period}"


def layout(data: ChartData, window: Window) -> ChartSpec:
    columns = window.columns
    bucket, bounds = bar_bounds(data, columns, 3)
    xs = [float(i) for i in range(len(bounds))]
    checked = per_week(data.daily["checkin"], bounds, data)
    exercised = per_week(data.daily["exercise"], bounds, data)
    rows = panel_rows(window.height, 1)
    step = 1 if rows >= 10 else 7 / 3 if rows >= 5 else 7
    ticks = [0.0, *[t for t in (1, 2, 3, 4, 5, 6, 7) if t % step == 0 or t == 7]]
    panel = Panel(
        title=f"Days logged {rate_words(bucket)}, {charted_period(data, bounds)}",
        xlabel=xlabel(bucket, data.week_start, bounds),
        ylabel="days",
        series=paired_bars(("days with a check-in", "days with exercise"), xs, checked, exercised),
        xticks=xticks(bounds, bucket, columns),
        yticks=([float(t) for t in ticks], [plain(t) for t in ticks]),
        xlim=(-0.5, len(bounds) - 0.5),
        ylim=(0.0, headroom(7, rows, 2)),
    )
    return ChartSpec(data.name, (panel,), bucket, columns, footnote=data.note)


register(
    ChartDef(
        name="adherence",
        title="Days logged",
        key="d",
        description="Days-logged chart",
        prepare=prepare,
        layout=layout,
        reads_plans=True,
    )
)
