"""The response chart ("Next-day response"): mean knee and back pain the day after each
exercise kind, against the day after other days, over the range (an association)."""

from __future__ import annotations

from tracker import analysis
from tracker.analysis import METRIC_INFO, PAIN_METRICS
from tracker.charts.common import (
    BOTTOM_OVERHEAD,
    MIN_BAR_ROWS,
    TOP_OVERHEAD,
    ChartData,
    ChartSpec,
    Note,
    Panel,
    Span,
    Window,
    bar_notes,
    bar_ticks,
    footnote,
    pad_ticks,
    paired_bars,
    stack,
)
from tracker.charts.registry import ChartDef, register
from tracker.kinds import kind_of
from tracker.numbers import one_decimal

_LEGEND_ROWS = 2  # "after exercise" and "after other days"


def prepare(span: Span) -> ChartData:
    """Next-day knee and back pain after each kind, over the range's check-ins."""
    days = (span.end - span.start).days + 1
    rows = tuple(
        row
        for row in analysis.associations(span.entries, until=span.end, days=days)
        if row["lag_days"] == 1
    )
    if not any(row["difference"] is not None for row in rows):
        counts = ", ".join(
            f"{kind_of(row['exercise']).short_label.lower()} {row['days_after_exercise']} and "
            f"{row['days_after_rest']}"
            for row in rows
            if row["metric"] == "knee_pain"
        )
        return span.nothing(
            f"Not enough days in {span.period} to compare next-day pain after exercise with "
            f"other days: each kind needs at least {analysis.MIN_DAYS_PER_GROUP} of each "
            f"(days after it and after other days: {counts})."
        )
    return span.data(rows=rows)


def _heights(height: int) -> list[int] | None:
    """Knee pain above back pain, the legend in the upper one, each with the group names below
    it; None when bars would get fewer than MIN_BAR_ROWS rows: then one metric at a time."""
    return stack(height, (TOP_OVERHEAD + 1, BOTTOM_OVERHEAD), (_LEGEND_ROWS, 0))


def _xlabel(width: int) -> str:
    for label in (
        "days after exercise/other days; an association, not proof of cause",
        "an association, not proof of cause",
    ):
        if len(label) <= width - 14:
            return label
    return "an association"


def layout(data: ChartData, window: Window) -> ChartSpec:
    """Mean next-day pain after each kind and after other days, as bars from 0 with each mean
    written above its bar (one decimal): a difference of a point is a row or two of bar, and
    the number says it exactly. The axis stops just above the highest mean, not at 10, so the
    bars use the rows there are."""
    metrics: tuple[str, ...] = PAIN_METRICS
    heights = _heights(window.height)
    note = None
    if heights is None:
        metrics = (PAIN_METRICS[window.part % len(PAIN_METRICS)],)
        names = [METRIC_INFO[m].label.lower() for m in PAIN_METRICS]
        need = TOP_OVERHEAD + 1 + BOTTOM_OVERHEAD + _LEGEND_ROWS + 2 * MIN_BAR_ROWS
        note = footnote(names, window, need)
        heights = [window.height - 1]
    means = [
        mean
        for row in data.rows
        if (compared := analysis.compared(row)) is not None
        for mean in compared[:2]
    ]
    top = max(means, default=1.0)
    panels: list[Panel] = []
    for n, metric in enumerate(metrics):
        bottom = n == len(metrics) - 1
        legend = n == 0
        rows = heights[n] - (BOTTOM_OVERHEAD if bottom else TOP_OVERHEAD + 1)
        by_kind = [r for r in data.rows if r["metric"] == metric]
        labels = []
        xs: list[float] = []
        after_exercise: list[float] = []
        after_rest: list[float] = []
        too_few: list[Note] = []
        for i, row in enumerate(by_kind):
            labels.append(
                f"{kind_of(row['exercise']).short_label} "
                f"{row['days_after_exercise']}/{row['days_after_rest']}"
            )
            compared = analysis.compared(row)
            if compared is None:
                # Where its bars would stand, so that the group's name stays short.
                too_few.append(Note(float(i), 0.0, "too few days"))
                continue
            xs.append(float(i))
            after_exercise.append(compared[0])
            after_rest.append(compared[1])
        bars = paired_bars(
            ("after exercise", "after other days") if legend else ("", ""),
            xs,
            after_exercise,
            after_rest,
        )
        yticks, limit = bar_ticks(top, rows, _LEGEND_ROWS if legend else 0, cover=True)
        bars_x, bars_y = bars[0].x + bars[1].x, bars[0].y + bars[1].y
        notes = bar_notes(bars_x, bars_y, [one_decimal(v) for v in bars_y], limit, rows)
        measure = METRIC_INFO[metric]
        panels.append(
            Panel(
                title=f"{measure.label} the next day" + (f", {data.period}" if n == 0 else ""),
                xlabel=_xlabel(window.width) if bottom else "",
                ylabel=measure.scale if bottom else "",
                series=bars,
                xticks=([float(i) for i in range(len(labels))], labels),
                yticks=yticks,
                xlim=(-0.5, len(labels) - 0.5),
                ylim=(0.0, limit),
                notes=notes + tuple(too_few),
                height=heights[n],
                frame=False,
            )
        )
    return ChartSpec(data.name, pad_ticks(panels), "day", window.columns, footnote=note)


register(
    ChartDef(
        name="response",
        title="Next-day response",
        key="n",
        description="Next-day chart",
        prepare=prepare,
        layout=layout,
        paged=True,
    )
)
