"""The response chart (the "Next day" tab): mean knee and back pain the day after each
exercise kind, against the day after other days, over the range (an association), and the
adjusted difference with its interval of domain.md version 2 in the titles where they fit."""

from __future__ import annotations

from tracker import insights
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
from tracker.insights import AssociationRow
from tracker.kinds import kind_of
from tracker.numbers import one_decimal, signed_one_decimal

_LEGEND_ROWS = 2  # "after exercise" and "after other days"


def prepare(span: Span) -> ChartData:
    """Next-day knee and back pain after each kind, over the range's check-ins."""
    days = (span.end - span.start).days + 1
    rows = tuple(insights.association_rows(insights.Diary(span.entries, span.end), days))
    if not any(row["difference"] is not None for row in rows):
        counts = ", ".join(
            f"{kind_of(row['exercise']).label.lower()} {row['days_after_exercise']} and "
            f"{row['days_after_other']}"
            for row in rows
            if row["metric"] == "knee_pain"
        )
        return span.nothing(
            f"Not enough days in {span.period} to compare next-day pain after exercise with "
            f"other days: each kind needs at least {insights.MIN_GROUP_DAYS} of each "
            f"(days after it and after other days: {counts})."
        )
    return span.data(rows=rows)


def compared(row: AssociationRow) -> tuple[float, float] | None:
    """(mean after exercise, mean after other days), or None when a group is too small."""
    after, other = row["mean_after_exercise"], row["mean_after_other"]
    return None if after is None or other is None else (after, other)


def group_label(row: AssociationRow, room: int) -> tuple[str, bool]:
    """ "Lunges 58/17 · -0.5 (-1.3 to 0.3)": the days in each group and, where ``room``
    allows and the fit gave one, the adjusted difference with its 99.2 % interval. True when
    the adjusted difference is in it."""
    label = (
        f"{kind_of(row['exercise']).short_label} "
        f"{row['days_after_exercise']}/{row['days_after_other']}"
    )
    adjusted, ci = row["adjusted_difference"], row["ci"]
    if adjusted is not None and ci is not None:
        longer = (
            f"{label} · {signed_one_decimal(adjusted)} "
            f"({one_decimal(ci[0])} to {one_decimal(ci[1])})"
        )
        if len(longer) <= room:
            return longer, True
    return label, False


def _heights(height: int) -> list[int] | None:
    """Knee pain above back pain, the legend in the upper one, each with the group names below
    it; None when bars would get fewer than MIN_BAR_ROWS rows: then one metric at a time."""
    return stack(height, (TOP_OVERHEAD + 1, BOTTOM_OVERHEAD), (_LEGEND_ROWS, 0))


def _xlabel(width: int, adjusted: bool) -> str:
    labels = [
        "days after exercise/other days; an association, not proof of cause",
        "an association, not proof of cause",
    ]
    if adjusted:
        labels.insert(
            0,
            "days after exercise/other days · adjusted difference "
            "(99.2 % confidence interval); "
            "an association, not proof of cause",
        )
    for label in labels:
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
    means = [mean for row in data.rows if (pair := compared(row)) is not None for mean in pair]
    top = max(means, default=1.0)
    panels: list[Panel] = []
    any_adjusted = False
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
            label, with_fit = group_label(row, window.columns // max(len(by_kind), 1) - 4)
            labels.append(label)
            any_adjusted = any_adjusted or with_fit
            pair = compared(row)
            if pair is None:
                # Where its bars would stand, so that the group's name stays short.
                too_few.append(Note(float(i), 0.0, "too few days"))
                continue
            xs.append(float(i))
            after_exercise.append(pair[0])
            after_rest.append(pair[1])
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
                xlabel=_xlabel(window.width, any_adjusted) if bottom else "",
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
        title="Next day",  # short: the seven tabs fit 80 columns
        key="n",
        description="Next-day chart",
        prepare=prepare,
        layout=layout,
        paged=True,
    )
)
