"""The five trend charts, built with plotext (no Textual).

A chart is made in three steps so that each can be cached on its own:

1. ``prepare(name, entries, until=, days=)`` -> ``ChartData``: the day-by-day figures of the
   range (size-independent; cache it by data version and range).
2. ``layout(data, width, height)`` -> ``ChartSpec``: the series, grouped into days, weeks,
   months, quarters or years so that no series has more points than the plot has columns, with
   titles, axis labels, ticks and legends (pure data, what tests look at).
3. ``draw_spec(plt, spec)``: the plotext calls, onto a plotext figure or
   ``textual_plotext.PlotextPlot.plt``.

``render()`` does all three and returns text; ``draw()`` is steps 1-3 onto a given figure;
``ChartCache`` keeps prepared data and built text for the TUI and the benchmark. A range without
anything to draw gives a sentence (``ChartSpec.message``) instead of an empty frame.
"""

from __future__ import annotations

import math
import textwrap
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal

from tracker import analysis
from tracker.records import CLICKING_WORDS, EXERCISE_KINDS, Entry

CHART_NAMES: tuple[str, ...] = ("pain", "clicking", "volume", "adherence", "response")
CHART_LABELS: dict[str, str] = {
    "pain": "Pain",
    "clicking": "Clicking",
    "volume": "Volume",
    "adherence": "Adherence",
    "response": "Response",
}

Color = str | tuple[int, int, int]
# Blue, orange, green: told apart by most colour-blind readers; markers differ as well so that
# the charts also read without colour (pipes, the report).
DEFAULT_PALETTE: tuple[Color, Color, Color] = ((0, 130, 200), (230, 120, 30), (60, 170, 75))

Bucket = Literal["day", "week", "month", "quarter", "year"]
BUCKETS: tuple[Bucket, ...] = ("day", "week", "month", "quarter", "year")
LEAD_DAYS = analysis.WINDOW_DAYS - 1  # days before the range kept for the first 7-day mean
Y_AXIS_COLUMNS = 12  # room taken by the y tick labels ("Sometimes") and the frame
POINT_MARKER = "•"
POINT_MARKERS = ("•", "x")  # first and second metric of a panel, told apart without colour
LINE_MARKER = "braille"
LINE_MARKERS = ("braille", "hd")  # first and second metric's mean lines, told apart without colour
BAR_MARKERS = ("█", "▒")


# ---------------------------------------------------------------- 1. prepared data


@dataclass(frozen=True)
class ChartData:
    """The day-by-day figures of one chart over one range, before any grouping.

    ``daily`` holds one value per day from ``start - LEAD_DAYS`` to ``end``; ``rows`` holds the
    next-day association rows of the response chart; ``message`` says why there is no chart.
    """

    name: str
    start: date
    end: date
    daily: dict[str, list[float | None]] = field(default_factory=dict)
    rows: tuple[dict[str, Any], ...] = ()
    message: str | None = None

    @property
    def first(self) -> date:
        return self.start - timedelta(days=LEAD_DAYS)

    def index(self, day: date) -> int:
        return (day - self.first).days


def _period(start: date, end: date) -> str:
    if start.year == end.year:
        return f"{start.day} {start:%b} - {end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y} - {end.day} {end:%b %Y}"


def prepare(name: str, entries: Iterable[Entry], *, until: date, days: int | None) -> ChartData:
    """The figures chart ``name`` needs for the ``days`` ending on ``until`` (None: all)."""
    if name not in CHART_NAMES:
        raise ValueError(f"chart must be one of {', '.join(CHART_NAMES)}, got {name!r}")
    start, in_range = _window(entries, until=until, days=days)
    first = start - timedelta(days=LEAD_DAYS)
    shown_from = start.isoformat()
    period = _period(start, until)
    if name == "response":
        return _prepare_response(in_range, start, until, period)
    # ISO date -> position in the daily lists; a dict look-up is cheaper than parsing dates.
    index = {day.isoformat(): i for i, day in enumerate(analysis.days_between(first, until))}
    size = len(index)
    data = ChartData(name, start, until)
    checkins = [e for e in in_range if e["kind"] == "checkin"]

    if name in ("pain", "clicking"):
        metrics = ("knee_pain", "back_pain") if name == "pain" else analysis.CLICKING_METRICS
        if not any(e["date"] >= shown_from for e in checkins):
            return ChartData(
                name, start, until, message=f"No check-ins in {period}: nothing to chart yet."
            )
        for metric in metrics:
            series: list[float | None] = [None] * size
            for e in checkins:
                series[index[e["date"]]] = float(e[metric])
            data.daily[metric] = series
        return data

    if name == "volume":
        if not any(e["kind"] != "checkin" and e["date"] >= shown_from for e in in_range):
            return ChartData(
                name, start, until, message=f"No exercise logged in {period}: no volume to chart."
            )
        totals: dict[str, list[float | None]] = {kind: [0.0] * size for kind in EXERCISE_KINDS}
        for e in in_range:
            kind = e["kind"]
            if kind in totals:
                i = index[e["date"]]
                totals[kind][i] = (totals[kind][i] or 0.0) + analysis.entry_volume(e)
        data.daily.update(totals)
        return data

    if name == "adherence":
        if not any(e["date"] >= shown_from for e in in_range):
            return ChartData(name, start, until, message=f"Nothing logged in {period}.")
        checked: list[float | None] = [0.0] * size
        exercised: list[float | None] = [0.0] * size
        for e in in_range:
            (checked if e["kind"] == "checkin" else exercised)[index[e["date"]]] = 1.0
        data.daily.update(checkin=checked, exercise=exercised)
        return data
    raise AssertionError(name)


def _window(entries: Iterable[Entry], *, until: date, days: int | None) -> tuple[date, list[Entry]]:
    """The range's first day (all history: the first entry's) and its entries, from a week
    earlier (for the first 7-day mean) to ``until``.

    Entries from the store come sorted by date: then this is one list of dates and two binary
    searches, not a comparison per entry (years of entries on every chart's first draw).
    """
    entries = entries if isinstance(entries, list) else list(entries)
    dates = [e["date"] for e in entries]
    ordered = dates == sorted(dates)
    if days is not None:
        start = until - timedelta(days=max(days, 1) - 1)
    elif dates:
        start = min(date.fromisoformat(dates[0] if ordered else min(dates)), until)
    else:
        start = until
    low = (start - timedelta(days=LEAD_DAYS)).isoformat()
    high = until.isoformat()
    if ordered:
        return start, entries[bisect_left(dates, low) : bisect_right(dates, high)]
    return start, [e for e, day in zip(entries, dates, strict=True) if low <= day <= high]


def _prepare_response(in_range: list[Entry], start: date, until: date, period: str) -> ChartData:
    """Next-day knee and back pain after each kind, over the range's check-ins."""
    name = "response"
    span = (until - start).days + 1
    rows = tuple(
        row
        for row in analysis.associations(in_range, until=until, days=span)
        if row["lag_days"] == 1
    )
    if not any(row["difference"] is not None for row in rows):
        counts = ", ".join(
            f"{_KIND_SHORT[row['exercise']].lower()} {row['days_after_exercise']} and "
            f"{row['days_after_rest']}"
            for row in rows
            if row["metric"] == "knee_pain"
        )
        return ChartData(
            name,
            start,
            until,
            message=(
                f"Not enough days in {period} to compare next-day pain after exercise with "
                f"other days: each kind needs at least {analysis.MIN_DAYS_PER_GROUP} of each "
                f"(days after it and after other days: {counts})."
            ),
        )
    return ChartData(name, start, until, rows=rows)


# ---------------------------------------------------------------- 2. layout


@dataclass(frozen=True)
class Series:
    """One plotted series: points, a line, or bars (x are plot positions, not dates)."""

    label: str
    x: list[float]
    y: list[float]
    style: Literal["points", "line", "bars"]
    color: int  # index into the palette
    marker: str = POINT_MARKER
    bar_width: float = 0.8


@dataclass(frozen=True)
class Panel:
    title: str
    xlabel: str
    ylabel: str
    series: tuple[Series, ...]
    xticks: tuple[list[float], list[str]]
    yticks: tuple[list[float], list[str]]
    xlim: tuple[float, float]
    ylim: tuple[float, float]


@dataclass(frozen=True)
class ChartSpec:
    name: str
    panels: tuple[Panel, ...] = ()
    bucket: Bucket = "day"
    columns: int = 0
    message: str | None = None
    grid: tuple[int, int] | None = None  # (rows, columns) of panels; None: stacked

    @property
    def shape(self) -> tuple[int, int]:
        return self.grid or (max(len(self.panels), 1), 1)


def plot_columns(width: int) -> int:
    """Columns of one plot's canvas at ``width``: what a series may not exceed."""
    return max(width - Y_AXIS_COLUMNS, 8)


def bucket_bounds(start: date, end: date, bucket: Bucket) -> list[tuple[date, date]]:
    """(first, last) day of each bucket covering ``start``..``end``, oldest first.

    Weeks are full 7-day weeks counted back from ``end`` (so the first may begin before
    ``start``); months, quarters and years are calendar ones, clipped to the range.
    """
    if bucket == "day":
        return [(d, d) for d in analysis.days_between(start, end)]
    if bucket == "week":
        return [(s, s + timedelta(days=6)) for s in analysis.week_starts(start, end)]
    months = {"month": 1, "quarter": 3, "year": 12}[bucket]
    bounds = []
    year, month = start.year, ((start.month - 1) // months) * months + 1
    while date(year, month, 1) <= end:
        first = date(year, month, 1)
        month += months
        if month > 12:
            year, month = year + 1, month - 12
        last = date(year, month, 1) - timedelta(days=1)
        bounds.append((max(first, start), min(last, end)))
    return bounds


def _bucket_count(start: date, end: date, bucket: Bucket) -> int:
    days = (end - start).days + 1
    if bucket == "day":
        return days
    if bucket == "week":
        return (days - 1) // 7 + 1
    return len(bucket_bounds(start, end, bucket))


def choose_bucket(
    start: date, end: date, columns: int, *, per_point: int = 1, daily: bool = True
) -> Bucket:
    """The finest grouping whose buckets (each ``per_point`` columns wide) fit ``columns``."""
    for bucket in BUCKETS:
        if bucket == "day" and not daily:
            continue
        if _bucket_count(start, end, bucket) * per_point <= columns:
            return bucket
    return "year"


def _tick_label(first: date, bucket: Bucket, long_range: bool) -> str:
    if bucket == "year":
        return str(first.year)
    if bucket == "quarter":
        return f"Q{(first.month - 1) // 3 + 1} {first.year}"
    if bucket == "month" or long_range:
        return f"{first:%b %Y}"
    return f"{first.day} {first:%b}"


def _xticks(
    bounds: Sequence[tuple[date, date]], bucket: Bucket, columns: int
) -> tuple[list[float], list[str]]:
    """Evenly spread tick labels (first and last included) that fit the columns."""
    if not bounds:
        return [], []
    long_range = (bounds[-1][1] - bounds[0][0]).days > 366
    sample = _tick_label(bounds[0][0], bucket, long_range)
    most = max(2, columns // (len(sample) + 4))
    count = min(len(bounds), most)
    if count == 1:
        positions = [0]
    else:
        step = (len(bounds) - 1) / (count - 1)
        positions = sorted({round(i * step) for i in range(count)})
    return [float(p) for p in positions], [
        _tick_label(bounds[p][0], bucket, long_range) for p in positions
    ]


def _nice_ticks(top: float, rows: int) -> tuple[list[float], list[str]]:
    """Round tick values from 0 up to ``top``, about one per three canvas rows."""
    top = max(top, 1.0)
    wanted = max(2, min(6, rows // 3))
    raw = top / wanted
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [step * i for i in range(math.floor(top / step + 1e-9) + 1)]
    return ticks, [_num(t) for t in ticks]


def _fit(title: str, width: int) -> str:
    """A title that fits ``width`` (plotext drops one that does not): the period goes first."""
    if len(title) <= width:
        return title
    short = title.rsplit(", ", 1)[0]
    if len(short) <= width:
        return short
    return short[: max(width - 1, 1)] + "…"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _xlabel(bucket: Bucket) -> str:
    return {
        "day": "date",
        "week": "week starting",
        "month": "month",
        "quarter": "quarter",
        "year": "year",
    }[bucket]


def _panel_rows(height: int, panels: int) -> int:
    """Canvas rows of each panel: its height less title, frame, tick labels and axis labels."""
    return max(height // panels - 5, 1)


def _headroom(top: float, rows: int, legend: int | Sequence[Series]) -> float:
    """The y limit that leaves the top rows free for the legend (one row per labelled series)."""
    lines = legend if isinstance(legend, int) else sum(1 for s in legend if s.label)
    if rows - lines < 3:
        return top
    return top * rows / (rows - lines)


def _means(
    values: Sequence[float | None], bounds: Sequence[tuple[date, date]], data: ChartData
) -> list[float | None]:
    """Mean of each bucket, None below the 4 logged days a 7-day window needs."""
    out: list[float | None] = []
    for first, last in bounds:
        got = [v for v in values[data.index(first) : data.index(last) + 1] if v is not None]
        out.append(sum(got) / len(got) if len(got) >= analysis.MIN_DAYS_PER_WINDOW else None)
    return out


def _per_week(
    values: Sequence[float | None], bounds: Sequence[tuple[date, date]], data: ChartData
) -> list[float]:
    """Total of each bucket, as a weekly rate for buckets longer than a week."""
    out = []
    for first, last in bounds:
        total = sum(v or 0.0 for v in values[data.index(first) : data.index(last) + 1])
        days = (last - first).days + 1
        out.append(total if days <= 7 else total / days * 7)
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


_PAIN_TITLES = {"knee_pain": "Knee pain", "back_pain": "Back pain"}
_CLICK_TITLES = {"clicking_left": "Clicking, left knee", "clicking_right": "Clicking, right knee"}
_KIND_SHORT = {"lunge": "Lunges", "cycling": "Cycling", "rotation": "Rotation"}
_VOLUME_TITLES = {
    "lunge": ("Tempo lunges: minutes under tension", "min"),
    "cycling": ("Cycling: minutes", "min"),
    "rotation": ("External rotation: sets", "sets"),
}


def layout(data: ChartData, width: int, height: int) -> ChartSpec:
    """The chart's panels at ``width`` x ``height``, grouped to fit the plot's columns."""
    columns = plot_columns(width)
    if data.message is not None:
        return ChartSpec(data.name, message=data.message, columns=columns)
    if data.name in ("pain", "clicking"):
        spec = _symptom_layout(data, columns, height)
    elif data.name == "volume":
        spec = _volume_layout(data, columns, height)
    elif data.name == "adherence":
        spec = _adherence_layout(data, columns, height)
    else:
        spec = _response_layout(data, columns, height)
    panel_width = width // spec.shape[1]
    panels = tuple(replace(p, title=_fit(p.title, panel_width - 2)) for p in spec.panels)
    return replace(spec, panels=panels)


def _symptom_layout(data: ChartData, columns: int, height: int) -> ChartSpec:
    """Pain or clicking: one panel per metric when each gets enough rows, else one for both."""
    pain = data.name == "pain"
    titles = _PAIN_TITLES if pain else _CLICK_TITLES
    bucket = choose_bucket(data.start, data.end, columns)
    bounds = bucket_bounds(data.start, data.end, bucket)
    xs = [float(i) for i in range(len(bounds))]
    split = _panel_rows(height, 2) >= (12 if pain else 6)
    groups = [[metric] for metric in titles] if split else [list(titles)]
    rows = _panel_rows(height, len(groups))
    period = _period(data.start, data.end)
    top = 10.0 if pain else 4.0
    if not pain:
        yticks = ([float(i) for i in range(5)], list(CLICKING_WORDS))
    elif rows >= 8:
        yticks = _nice_ticks(10, rows)
    else:
        yticks = ([0.0, 5.0, 10.0], ["0", "5", "10"])
    panels: list[Panel] = []
    for group in groups:
        parts: list[Series] = []
        for metric in group:
            n = list(titles).index(metric)
            who = "" if split else _SHORT_NAMES[metric] + ", "
            parts += _symptom_series(data, metric, bucket, bounds, xs, n, who)
        title = titles[group[0]] if split else ("Knee and back pain" if pain else "Knee clicking")
        panels.append(
            Panel(
                title=f"{title}, {period}" if not panels else title,
                xlabel=_xlabel(bucket),
                ylabel="0-10" if pain else "how often",
                series=tuple(parts),
                xticks=_xticks(bounds, bucket, columns),
                yticks=yticks,
                xlim=(-0.5, len(bounds) - 0.5),
                ylim=(0.0, _headroom(top, rows, parts)),
            )
        )
    return ChartSpec(data.name, tuple(panels), bucket, columns)


_SHORT_NAMES = {
    "knee_pain": "knee",
    "back_pain": "back",
    "clicking_left": "left",
    "clicking_right": "right",
}


def _symptom_series(
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
        return [points, *line]
    means = _means(values, bounds, data)
    return [
        *_line("", xs, means, n, LINE_MARKERS[n % 2]),
        _points(f"{who}{bucket}ly mean", xs, means, n, marker),
    ]


def _bar_bounds(data: ChartData, columns: int, per_point: int) -> tuple[Bucket, list[Any]]:
    bucket = choose_bucket(data.start, data.end, columns, per_point=per_point, daily=False)
    return bucket, bucket_bounds(data.start, data.end, bucket)


def _volume_layout(data: ChartData, columns: int, height: int) -> ChartSpec:
    """Three panels, stacked; side by side when stacking would leave them too flat to read."""
    side = _panel_rows(height, 3) < 5 and columns >= 3 * 26
    panel_columns = (columns + Y_AXIS_COLUMNS) // 3 - Y_AXIS_COLUMNS if side else columns
    bucket, bounds = _bar_bounds(data, panel_columns, 2)
    xs = [float(i) for i in range(len(bounds))]
    rate = "per week" if bucket == "week" else f"per week, {bucket}ly average"
    rows = _panel_rows(height, 1 if side else 3)
    panels: list[Panel] = []
    for n, kind in enumerate(EXERCISE_KINDS):
        values = _per_week(data.daily[kind], bounds, data)
        title, unit = _VOLUME_TITLES[kind]
        if side:
            title = f"{_KIND_SHORT[kind]}: {_VOLUME_UNITS[kind]}"
        limit = _headroom(max(max(values, default=0.0), 1.0), rows, 1)
        yticks = _nice_ticks(max(values, default=0.0), rows)
        panels.append(
            Panel(
                title=f"{title} {rate}" + (f", {_period(data.start, data.end)}" if n == 0 else ""),
                xlabel=_xlabel(bucket),
                ylabel=unit,
                series=(Series(f"{unit} {rate}", xs, values, "bars", n, BAR_MARKERS[0], 0.7),),
                xticks=_xticks(bounds, bucket, panel_columns),
                yticks=yticks,
                xlim=(-0.5, len(bounds) - 0.5),
                ylim=(0.0, limit),
            )
        )
    grid = (1, 3) if side else None
    return ChartSpec(data.name, tuple(panels), bucket, panel_columns, grid=grid)


_VOLUME_UNITS = {"lunge": "min under tension", "cycling": "min", "rotation": "sets"}


def _adherence_layout(data: ChartData, columns: int, height: int) -> ChartSpec:
    bucket, bounds = _bar_bounds(data, columns, 3)
    xs = [float(i) for i in range(len(bounds))]
    checked = _per_week(data.daily["checkin"], bounds, data)
    exercised = _per_week(data.daily["exercise"], bounds, data)
    rate = "" if bucket == "week" else f" ({bucket}ly average)"
    rows = _panel_rows(height, 1)
    step = 1 if rows >= 10 else 7 / 3 if rows >= 5 else 7
    ticks = [0.0, *[t for t in (1, 2, 3, 4, 5, 6, 7) if t % step == 0 or t == 7]]
    panel = Panel(
        title=f"Days logged per week{rate}, {_period(data.start, data.end)}",
        xlabel=_xlabel(bucket),
        ylabel="days",
        series=(
            Series(
                "days with a check-in",
                [x - 0.2 for x in xs],
                checked,
                "bars",
                0,
                BAR_MARKERS[0],
                0.35,
            ),
            Series(
                "days with exercise",
                [x + 0.2 for x in xs],
                exercised,
                "bars",
                1,
                BAR_MARKERS[1],
                0.35,
            ),
        ),
        xticks=_xticks(bounds, bucket, columns),
        yticks=([float(t) for t in ticks], [_num(t) for t in ticks]),
        xlim=(-0.5, len(bounds) - 0.5),
        ylim=(0.0, _headroom(7, rows, 2)),
    )
    return ChartSpec(data.name, (panel,), bucket, columns)


def _response_layout(data: ChartData, columns: int, height: int) -> ChartSpec:
    # Knee pain is the chart cli.md asks for; back pain gets its own panel only when both
    # panels have room for bars of readable height.
    metrics = analysis.PAIN_METRICS if _panel_rows(height, 2) >= 6 else ("knee_pain",)
    rows = _panel_rows(height, len(metrics))
    panels: list[Panel] = []
    for n, metric in enumerate(metrics):
        by_kind = [r for r in data.rows if r["metric"] == metric]
        labels = []
        ex_x, ex_y, rest_x, rest_y = [], [], [], []
        for i, row in enumerate(by_kind):
            counts = f"{row['days_after_exercise']}/{row['days_after_rest']}"
            if row["difference"] is None:
                labels.append(f"{_KIND_SHORT[row['exercise']]} too few {counts}")
                continue
            label = f"{_KIND_SHORT[row['exercise']]} {counts}"
            # The means themselves, where they fit: on a 0-10 axis a difference of half a point
            # is a fraction of a row, and a physiotherapist should not have to guess it.
            with_means = (
                f"{label}: {analysis.format_number(row['mean_after_exercise'])} vs "
                f"{analysis.format_number(row['mean_after_rest'])}"
            )
            labels.append(with_means if len(with_means) < columns // 3 - 1 else label)
            ex_x.append(i - 0.2)
            ex_y.append(float(row["mean_after_exercise"]))
            rest_x.append(i + 0.2)
            rest_y.append(float(row["mean_after_rest"]))
        name = _PAIN_TITLES[metric].lower()
        panels.append(
            Panel(
                title=f"{name.capitalize()} the next day: mean after exercise vs other days"
                + (f", {_period(data.start, data.end)}" if n == 0 else ""),
                xlabel="days after exercise/other days; an association, not proof of cause",
                ylabel="0-10",
                series=(
                    Series("after exercise", ex_x, ex_y, "bars", 0, BAR_MARKERS[0], 0.35),
                    Series("after other days", rest_x, rest_y, "bars", 1, BAR_MARKERS[1], 0.35),
                ),
                xticks=([float(i) for i in range(len(labels))], labels),
                yticks=_nice_ticks(10, rows) if rows >= 6 else ([0.0, 5.0, 10.0], ["0", "5", "10"]),
                xlim=(-0.5, len(labels) - 0.5),
                ylim=(0.0, _headroom(10, rows, 2)),
            )
        )
    return ChartSpec(data.name, tuple(panels), "day", columns)


# ---------------------------------------------------------------- 3. plotext


def draw_spec(plt: Any, spec: ChartSpec, *, palette: Sequence[Color] = DEFAULT_PALETTE) -> None:
    """Draw ``spec`` onto a plotext figure (cleared first). A message is drawn as a title only."""
    plt.clear_figure()
    if spec.message is not None:
        plt.title(spec.message)
        return
    rows, cols = spec.shape
    if len(spec.panels) > 1:
        plt.subplots(rows, cols)
    for n, panel in enumerate(spec.panels):
        target = plt.subplot(n // cols + 1, n % cols + 1) if len(spec.panels) > 1 else plt
        _draw_panel(target, panel, palette)
    if len(spec.panels) > 1:
        plt.main()


def _draw_panel(plt: Any, panel: Panel, palette: Sequence[Color]) -> None:
    for series in panel.series:
        color = palette[series.color % len(palette)]
        label = series.label or None
        if not series.x:
            continue
        if series.style == "points":
            plt.scatter(series.x, series.y, marker=series.marker, color=color, label=label)
        elif series.style == "line":
            plt.plot(series.x, series.y, marker=series.marker, color=color, label=label)
        else:
            # Each bar as its top edge filled down to 0: plotext's own bar() fills with a
            # quadratic search over the bar's outline, three times slower on tall bars.
            half = series.bar_width / 2
            for x, y in zip(series.x, series.y, strict=True):
                if y > 0:
                    plt.plot(
                        [x - half, x + half],
                        [y, y],
                        marker=series.marker,
                        color=color,
                        fillx=0,
                        label=label,
                    )
                    label = None
            if label is not None:  # no bar above 0: keep the legend entry anyway
                plt.plot([series.x[0]], [0], marker=series.marker, color=color, label=label)
    plt.title(panel.title)
    plt.xlabel(panel.xlabel)
    plt.ylabel(panel.ylabel)
    plt.xlim(*panel.xlim)
    plt.ylim(*panel.ylim)
    plt.xticks(*panel.xticks)
    plt.yticks(*panel.yticks)


def draw(
    name: str,
    plt: Any,
    entries: Iterable[Entry],
    *,
    until: date,
    days: int | None,
    width: int = 80,
    height: int = 24,
    palette: Sequence[Color] = DEFAULT_PALETTE,
) -> ChartSpec:
    """Draw chart ``name`` onto ``plt`` (a plotext figure or ``PlotextPlot.plt``)."""
    spec = layout(prepare(name, entries, until=until, days=days), width, height)
    draw_spec(plt, spec, palette=palette)
    return spec


def new_figure(width: int, height: int) -> Any:
    """A private plotext figure of exactly ``width`` x ``height`` (never the terminal's size)."""
    from plotext._figure import _figure_class

    figure = _figure_class()
    figure._limit_size(False, False)
    figure.plotsize(width, height)
    return figure


def build_text(
    spec: ChartSpec,
    width: int,
    height: int,
    *,
    color: bool = False,
    theme: str = "clear",
    palette: Sequence[Color] = DEFAULT_PALETTE,
) -> str:
    """The chart as text (ANSI colours only with ``color``); a message wrapped to the width."""
    if spec.message is not None:
        return "\n".join(textwrap.wrap(spec.message, max(width, 20)))
    figure = new_figure(width, height)
    draw_spec(figure, spec, palette=palette)
    figure._limit_size(False, False)  # clear_figure() limited it to the terminal again
    figure.plotsize(width, height)
    figure.theme(theme)
    text: str = figure.build()
    if not color:
        from plotext._utility import uncolorize

        text = uncolorize(text)
    return "\n".join(line.rstrip() for line in text.splitlines())


def render(
    name: str,
    entries: Iterable[Entry],
    *,
    until: date,
    days: int | None,
    width: int,
    height: int,
    color: bool = False,
) -> str:
    """Chart ``name`` for the ``days`` ending on ``until`` (None: all history), as text."""
    spec = layout(prepare(name, entries, until=until, days=days), width, height)
    return build_text(spec, width, height, color=color)


# ---------------------------------------------------------------- cache


class ChartCache:
    """Prepared data by (name, range, data version); built text by that and (size, theme).

    A resize only re-lays out and rebuilds from the prepared data; a repeated draw at the same
    size, theme, range and data version is a dictionary look-up.
    """

    def __init__(self, limit: int = 64) -> None:
        self._data: dict[tuple[Any, ...], ChartData] = {}
        self._text: dict[tuple[Any, ...], str] = {}
        self._limit = limit

    def data(
        self,
        name: str,
        entries: Iterable[Entry] | Any,
        *,
        until: date,
        days: int | None,
        version: int,
    ) -> ChartData:
        """``entries`` may be a callable returning them, called only on a cache miss."""
        key = (name, until, days, version)
        found = self._data.get(key)
        if found is None:
            rows = entries() if callable(entries) else entries
            found = prepare(name, rows, until=until, days=days)
            self._store(self._data, key, found)
        return found

    def text(
        self,
        name: str,
        entries: Iterable[Entry] | Any,
        *,
        until: date,
        days: int | None,
        version: int,
        width: int,
        height: int,
        theme: str = "clear",
        color: bool = False,
        palette: Sequence[Color] = DEFAULT_PALETTE,
    ) -> str:
        key = (name, until, days, version, width, height, theme, color, tuple(palette))
        found = self._text.get(key)
        if found is None:
            data = self.data(name, entries, until=until, days=days, version=version)
            spec = layout(data, width, height)
            found = build_text(spec, width, height, color=color, theme=theme, palette=palette)
            self._store(self._text, key, found)
        return found

    def _store(self, table: dict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any) -> None:
        if len(table) >= self._limit:
            table.pop(next(iter(table)))
        table[key] = value
