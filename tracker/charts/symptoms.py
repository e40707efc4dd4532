"""The pain and clicking charts: each day's rating as a point and the 7-day mean as a line.

Both draw two check-in measures the same way; a ``Symptom`` holds what differs (the measures,
the title of both in one panel, the y axis), and each registers its own ``ChartDef``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import NamedTuple

from tracker import analysis
from tracker.analysis import CLICKING_METRICS, METRIC_INFO, PAIN_METRICS
from tracker.charts.common import (
    LEAD_DAYS,
    LINE_MARKER,
    LINE_MARKERS,
    POINT_MARKER,
    POINT_MARKERS,
    Bucket,
    ChartData,
    ChartSpec,
    Mark,
    Panel,
    Series,
    Span,
    Window,
    bucket_bounds,
    charted_period,
    choose_bucket,
    headroom,
    nice_ticks,
    panel_rows,
    rules,
    xlabel,
    xticks,
)
from tracker.charts.registry import ChartDef, register
from tracker.records import CLICKING_WORDS

Ticks = tuple[list[float], list[str]]


class Symptom(NamedTuple):
    """Two check-in measures drawn as points and 7-day means: one panel each when a panel gets
    ``split_rows`` canvas rows, else both in one titled ``title``."""

    metrics: tuple[str, ...]
    title: str  # both measures in one panel
    ylabel: str
    top: float  # the scale's top
    split_rows: int
    yticks: Callable[[int], Ticks]  # the y ticks for a panel of that many canvas rows
    marks_events: bool = False  # a rule at each event (the pain chart)

    def prepare(self, span: Span) -> ChartData:
        if not span.any_shown(lambda e: e["kind"] == "checkin"):
            return span.nothing(f"No check-ins in {span.period}: nothing to chart yet.")
        checkins = [e for e in span.entries if e["kind"] == "checkin"]
        index = span.positions
        daily: dict[str, list[float | None]] = {}
        for metric in self.metrics:
            series: list[float | None] = [None] * len(index)
            for e in checkins:
                series[index[e["date"]]] = float(e[metric])
            daily[metric] = series
        return span.data(daily, marks=self._marks(span) if self.marks_events else ())

    @staticmethod
    def _marks(span: Span) -> tuple[Mark, ...]:
        """The events from the range's first day on, named in a word ("flare")."""
        from tracker.kinds.event import EVENT_MARKS

        shown_from = span.start.isoformat()
        return tuple(
            Mark(
                date.fromisoformat(e["date"]),
                EVENT_MARKS.get(e["type"], "event"),
                0 if e["type"] == "flare" else 1 if e["type"] == "injection" else 2,
            )
            for e in span.entries
            if e["kind"] == "event" and e["date"] >= shown_from
        )

    def layout(self, data: ChartData, window: Window) -> ChartSpec:
        """One panel per measure when each gets enough rows, else one for both."""
        columns = window.columns
        bucket = choose_bucket(data.start, data.end, columns, week_start=data.week_start)
        bounds = bucket_bounds(data.start, data.end, bucket, data.week_start)
        xs = [float(i) for i in range(len(bounds))]
        split = panel_rows(window.height, 2) >= self.split_rows
        groups = [[metric] for metric in self.metrics] if split else [list(self.metrics)]
        rows = panel_rows(window.height, len(groups))
        yticks = self.yticks(rows)
        panels: list[Panel] = []
        for group in groups:
            parts: list[Series] = []
            for metric in group:
                n = self.metrics.index(metric)
                who = "" if split else METRIC_INFO[metric].short + ", "
                parts += _series(data, metric, bucket, bounds, xs, n, who)
            # Every line before any point: plotext draws later series on top, and the daily
            # ratings must stay visible over both measures' mean lines (issue 9).
            parts.sort(key=lambda series: series.style == "points")
            title = METRIC_INFO[group[0]].label if split else self.title
            panels.append(
                Panel(
                    title=f"{title}, {charted_period(data, bounds)}" if not panels else title,
                    xlabel=xlabel(bucket, data.week_start, bounds),
                    ylabel=self.ylabel,
                    series=tuple(parts),
                    xticks=xticks(bounds, bucket, columns),
                    yticks=yticks,
                    xlim=(-0.5, len(bounds) - 0.5),
                    ylim=(0.0, headroom(self.top, rows, parts)),
                    # Labels on the top row of the scale, below the legend's rows.
                    rules=rules(data.marks, bounds, columns, not panels, self.top),
                )
            )
        return ChartSpec(data.name, tuple(panels), bucket, columns)


def _pain_ticks(rows: int) -> Ticks:
    return nice_ticks(10, rows) if rows >= 8 else ([0.0, 5.0, 10.0], ["0", "5", "10"])


def _clicking_ticks(_rows: int) -> Ticks:
    return [float(i) for i in range(len(CLICKING_WORDS))], list(CLICKING_WORDS)


def _series(
    data: ChartData,
    metric: str,
    bucket: Bucket,
    bounds: Sequence[tuple[date, date]],
    xs: Sequence[float],
    n: int,
    who: str,
) -> list[Series]:
    """Lines first, points last: plotext draws later series on top."""
    values = data.daily[metric]
    marker = POINT_MARKERS[n % len(POINT_MARKERS)]
    if bucket == "day":
        rolling = analysis.rolling_mean(
            list(zip(analysis.days_between(data.first, data.end), values, strict=True))
        )[LEAD_DAYS:]
        line = _line(f"{who}7-day mean", xs, [v for _, v in rolling], n, LINE_MARKERS[n % 2])
        points = _points(f"{who}daily", xs, values[LEAD_DAYS:], n, marker)
        return [*line, points]
    means = _means(values, bounds, data)
    return [
        *_line("", xs, means, n, LINE_MARKERS[n % 2]),
        _points(f"{who}{bucket}ly mean", xs, means, n, marker),
    ]


def _means(
    values: Sequence[float | None], bounds: Sequence[tuple[date, date]], data: ChartData
) -> list[float | None]:
    """Mean of each bucket, None below the 4 logged days a 7-day window needs."""
    out: list[float | None] = []
    for first, last in bounds:
        got = [v for v in values[data.index(first) : data.index(last) + 1] if v is not None]
        out.append(sum(got) / len(got) if len(got) >= analysis.MIN_DAYS_PER_WINDOW else None)
    return out


def _segments(
    xs: Sequence[float], ys: Sequence[float | None]
) -> list[tuple[list[float], list[float]]]:
    """Runs of consecutive known values, so a line is not drawn across a gap."""
    runs: list[tuple[list[float], list[float]]] = []
    current: tuple[list[float], list[float]] = ([], [])
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            if current[0]:
                runs.append(current)
            current = ([], [])
        else:
            current[0].append(x)
            current[1].append(y)
    if current[0]:
        runs.append(current)
    return runs


def _line(
    label: str, xs: Sequence[float], ys: Sequence[float | None], color: int, marker: str = ""
) -> list[Series]:
    """A line with gaps: one series per run; only the first carries the legend label."""
    parts = []
    for i, (x, y) in enumerate(_segments(xs, ys)):
        if len(x) == 1:  # a lone point of a line still shows, as a point
            parts.append(Series(label if i == 0 else "", x, y, "points", color, "⠶"))
        else:
            parts.append(
                Series(label if i == 0 else "", x, y, "line", color, marker or LINE_MARKER)
            )
    return parts


def _points(
    label: str,
    xs: Sequence[float],
    ys: Sequence[float | None],
    color: int,
    marker: str = POINT_MARKER,
) -> Series:
    known = [(x, y) for x, y in zip(xs, ys, strict=True) if y is not None]
    return Series(label, [x for x, _ in known], [y for _, y in known], "points", color, marker)


PAIN = Symptom(
    metrics=PAIN_METRICS,
    title="Knee and back pain",
    ylabel=METRIC_INFO["knee_pain"].scale,
    top=10.0,
    split_rows=12,
    yticks=_pain_ticks,
    marks_events=True,
)
CLICKING = Symptom(
    metrics=CLICKING_METRICS,
    title="Knee clicking",
    ylabel="how often",
    top=4.0,
    split_rows=6,
    yticks=_clicking_ticks,
)

register(
    ChartDef(
        name="pain",
        title="Pain",
        key="p",
        description="Pain chart",
        prepare=PAIN.prepare,
        layout=PAIN.layout,
    )
)
register(
    ChartDef(
        name="clicking",
        title="Clicking",
        key="c",
        description="Clicking chart",
        prepare=CLICKING.prepare,
        layout=CLICKING.layout,
    )
)
