"""The volume chart: a bar per week for each exercise kind, in the kind's own unit.

Long ranges group weeks into months (quarters, years): then a bar is the average week of its
month, and the title says so ("per week, monthly average") as the x axis says "month".

One panel per exercise kind of the registry (``records.EXERCISE_KINDS``, read when the chart is
prepared): its title, unit and short name come from the ``Kind`` record, so a kind registered
later gets a panel without a change here.
"""

from __future__ import annotations

import math

from tracker import analysis
from tracker.charts.common import (
    BAR_MARKERS,
    BOTTOM_OVERHEAD,
    MIN_BAR_ROWS,
    TOP_OVERHEAD,
    ChartData,
    ChartSpec,
    Panel,
    Series,
    Span,
    Window,
    bar_bounds,
    bar_notes,
    bar_ticks,
    charted_period,
    footnote,
    pad_ticks,
    per_week,
    plot_columns,
    rate_words,
    stack,
    xlabel,
    xticks,
)
from tracker.charts.registry import ChartDef, register
from tracker.kinds import Kind, kind_of
from tracker.numbers import half_away, one_decimal
from tracker.records import EXERCISE_KINDS


def prepare(span: Span) -> ChartData:
    if not span.any_shown(lambda e: e["kind"] in EXERCISE_KINDS):
        return span.nothing(f"No exercise logged in {span.period}: no volume to chart.")
    index = span.positions
    totals = {kind: span.zeros() for kind in EXERCISE_KINDS}
    for e in span.entries:
        kind = e["kind"]
        if kind in totals:
            volume = analysis.entry_volume(e)
            if volume is None:  # a lunge without a tempo: its time is unknown, not added
                continue
            i = index[e["date"]]
            totals[kind][i] = (totals[kind][i] or 0.0) + volume
    return span.data(totals)


def short_title(kind: Kind) -> str:
    """ "Lunges: min under tension": the short name and the unit, for side-by-side panels and
    narrow windows; a kind whose name is short already keeps its title ("Cycling: minutes")."""
    if kind.short_label == kind.label:
        return kind.volume_title
    return f"{kind.short_label}: {kind.volume_unit}"


def _arrangement(data: ChartData, window: Window) -> tuple[bool, list[int]] | None:
    """(side by side, heights) of the panels: stacked when each gets MIN_BAR_ROWS rows; else
    side by side when wide enough for the same grouping as one wide panel with every bar's
    number; else None (one at a time)."""
    count = len(data.daily)
    overheads = [TOP_OVERHEAD] * (count - 1) + [BOTTOM_OVERHEAD]
    stacked = stack(window.height, overheads, [0] * count)
    if stacked is not None:
        return False, stacked
    columns = plot_columns(window.width // count)
    bucket, bounds = bar_bounds(data, columns, 2)
    if (
        window.height - BOTTOM_OVERHEAD >= MIN_BAR_ROWS
        and bucket == bar_bounds(data, window.columns, 2)[0]  # no coarser grouping
        and columns >= 4 * len(bounds)
    ):
        return True, [window.height] * count
    return None


def layout(data: ChartData, window: Window) -> ChartSpec:
    """A bar per week (or a weekly average per month ...) for each exercise kind, in its own
    unit, with each bar's number written above it: on a short panel the numbers carry what the
    bar heights cannot. Stacked when each panel gets MIN_BAR_ROWS rows (only the bottom one
    repeats the dates), side by side when wide and short, else one kind at a time."""
    every_kind = [kind_of(name) for name in data.daily]
    kinds = every_kind
    arranged = _arrangement(data, window)
    note = None
    if arranged is None:
        kinds = [every_kind[window.part % len(every_kind)]]
        names = [kind.label.lower() for kind in every_kind]
        count = len(every_kind)
        need = (count - 1) * TOP_OVERHEAD + BOTTOM_OVERHEAD + count * MIN_BAR_ROWS
        note = footnote(names, window, need)
        side, heights = False, [window.height - 1]
    else:
        side, heights = arranged
    panel_width = window.width // len(every_kind) if side else window.width
    columns = plot_columns(panel_width)
    bucket, bounds = bar_bounds(data, columns, 2)
    xs = [float(i) for i in range(len(bounds))]
    # Every bar is a week's total, or the average week of a longer bucket: the axis keeps its
    # meaning, the title says which ("per week, monthly average") and the x label agrees.
    label = xlabel(bucket, data.week_start, bounds)
    rate = rate_words(bucket)
    panels: list[Panel] = []
    for n, kind in enumerate(kinds):
        bottom = side or n == len(kinds) - 1
        rows = heights[n] - (BOTTOM_OVERHEAD if bottom else TOP_OVERHEAD)
        values = per_week(data.daily[kind.name], bounds, data)
        biggest = max(values, default=0.0)
        yticks, limit = bar_ticks(biggest, rows)
        texts = [_bar_number(v, biggest) for v in values]
        # Canvas columns: the panel less the y tick labels and the axis.
        spacing = (panel_width - max(len(t) for t in yticks[1]) - 1) / max(len(bounds), 1)
        numbered = sorted(_every(len(values), spacing, max((len(t) for t in texts), default=1)))
        half = max(0.15, min(0.3, (spacing / 2 - 1.5) / spacing))  # a column between bars
        notes = bar_notes(
            [xs[i] for i in numbered],
            [values[i] for i in numbered],
            [texts[i] for i in numbered],
            limit,
            rows,
        )
        short = short_title(kind)
        title = short if side else kind.volume_title
        dated = f", {charted_period(data, bounds)}" if n == 0 else ""
        panels.append(
            Panel(
                title=f"{title} {rate}{dated}",
                short_title=f"{short} {rate}{dated}",
                xlabel=label if bottom else "",
                ylabel="",
                series=(Series("", xs, values, "bars", n, BAR_MARKERS[0], 2 * half),),
                xticks=xticks(bounds, bucket, columns) if bottom else ([], []),
                yticks=yticks,
                xlim=(-0.5, len(bounds) - 0.5),
                ylim=(0.0, limit),
                notes=notes,
                height=heights[n],
                frame=False,
            )
        )
    return ChartSpec(
        data.name,
        pad_ticks(panels),
        bucket,
        columns,
        grid=(1, len(every_kind)) if side else None,
        footnote=note,
    )


def _bar_number(value: float, biggest: float) -> str:
    """A bar's value as written above it: whole numbers, one decimal when all are below 10."""
    if biggest >= 10:
        return half_away(value, 0)
    text = one_decimal(value)
    return text[:-2] if text.endswith(".0") else text


def _every(count: int, spacing: float, widest: int) -> set[int]:
    """The bars whose numbers fit side by side (``spacing`` columns apart), counted back from
    the last one, which is always labelled: the latest week is the one most often asked about."""
    step = max(1, math.ceil((widest + 1) / max(spacing, 0.1)))
    return {i for i in range(count) if (count - 1 - i) % step == 0}


register(
    ChartDef(
        name="volume",
        title="Volume",
        key="v",
        description="Volume chart",
        prepare=prepare,
        layout=layout,
        paged=True,
    )
)
