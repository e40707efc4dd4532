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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from tracker import analysis
from tracker.records import CLICKING_WORDS, EXERCISE_KINDS, Entry
from tracker.text import printable

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
MIN_BAR_ROWS = 4  # canvas rows of a bar panel: its numbers' row and three rows of bar


def color_wanted(is_tty: bool, environ: Mapping[str, str]) -> bool:
    """Whether a face should draw a chart in colour: only on a terminal, and not when the
    ``NO_COLOR`` variable is set and not empty (https://no-color.org) or ``TERM`` is ``dumb``.

    The command line passes ``sys.stdout.isatty()`` and ``os.environ``; the result is
    ``render(color=...)``. Without colour the bars and points still differ by their markers.
    """
    return is_tty and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"


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
    rows: tuple[analysis.AssociationRow, ...] = ()
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
class Note:
    """Text written on the plot at (x, y) in data units: the number above a bar."""

    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Panel:
    """One plot. An empty ``xlabel`` and ``ylabel`` and no x ticks leave out their rows (the
    upper panels of a stack share the dates of the bottom one); ``frame`` False draws only the
    y axis, so a stack of bar panels spends its rows on bars; ``height`` is the panel's rows
    (None: an equal share of the figure)."""

    title: str
    xlabel: str
    ylabel: str
    series: tuple[Series, ...]
    xticks: tuple[list[float], list[str]]
    yticks: tuple[list[float], list[str]]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    notes: tuple[Note, ...] = ()
    height: int | None = None
    frame: bool = True
    short_title: str | None = None  # used when ``title`` does not fit the width


@dataclass(frozen=True)
class ChartSpec:
    """The panels of a chart; ``footnote`` is one line below them (what a short window leaves
    out, and how to see it)."""

    name: str
    panels: tuple[Panel, ...] = ()
    bucket: Bucket = "day"
    columns: int = 0
    message: str | None = None
    grid: tuple[int, int] | None = None  # (rows, columns) of panels; None: stacked
    footnote: str | None = None

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


def _nice_ticks(
    top: float, rows: int, *, least: int = 2, cover: bool = False
) -> tuple[list[float], list[str]]:
    """Round tick values from 0 up to ``top``, about one per three canvas rows and at least
    ``least`` of them up to ``top`` (0, 25, 50, 75 rather than 0 and 50 for a top of 84);
    ``cover`` adds the tick above ``top`` when the last one is below it."""
    top = max(top, 1.0)
    wanted = max(least, min(6, rows // 3))
    raw = top / wanted
    magnitude = 10 ** math.floor(math.log10(raw))
    steps = [m * magnitude for m in (0.5, 1, 2, 2.5, 5, 10)]
    at = next(i for i, m in enumerate(steps) if m >= raw)
    step = steps[at]
    while at > 0 and math.floor(top / step + 1e-9) + 1 < least:
        at -= 1
        step = steps[at]
    count = math.floor(top / step + 1e-9) + 1
    if cover and step * (count - 1) < top - 1e-9:
        count += 1
    ticks = [step * i for i in range(count)]
    return ticks, [_num(t) for t in ticks]


def _half_away(value: float, exponent: str) -> str:
    return str(Decimal(repr(value)).quantize(Decimal(exponent), rounding=ROUND_HALF_UP))


def one_decimal(value: float) -> str:
    """``2.25`` -> "2.3", ``2.0`` -> "2.0": means as domain.md prints them (half away from 0)."""
    return _half_away(value, "0.1")


def _bar_number(value: float, biggest: float) -> str:
    """A bar's value as written above it: whole numbers, one decimal when all are below 10."""
    if biggest >= 10:
        return _half_away(value, "1")
    text = one_decimal(value)
    return text[:-2] if text.endswith(".0") else text


def _bar_limit(top: float, rows: int, reserved: int = 0) -> float:
    """The y limit that puts a bar of height ``top`` two rows below the canvas's top less
    ``reserved`` rows (the legend): its number goes in the row above it.

    plotext puts value v on row floor(0.5 + (rows - 1) * v / limit) (0 is the bottom row)."""
    free = rows - 2 - reserved
    if top <= 0 or free < 1:
        return max(top, 1.0)
    return top * (rows - 1) / free


def _bar_notes(
    xs: Sequence[float], values: Sequence[float], texts: Sequence[str], limit: float, rows: int
) -> tuple[Note, ...]:
    """Each bar's number in the row above the bar (a bar of 0: on the bottom row)."""
    if rows < 2:
        return ()
    unit = limit / (rows - 1)
    notes = []
    for x, value, text in zip(xs, values, texts, strict=True):
        row = _row(value, limit, rows) if value > 0 else -1
        notes.append(Note(x, (row + 1) * unit, text))
    return tuple(notes)


def _every(count: int, spacing: float, widest: int) -> set[int]:
    """The bars whose numbers fit side by side (``spacing`` columns apart), counted back from
    the last one, which is always labelled: the latest week is the one most often asked about."""
    step = max(1, math.ceil((widest + 1) / max(spacing, 0.1)))
    return {i for i in range(count) if (count - 1 - i) % step == 0}


def _stack(height: int, overheads: Sequence[int], reserved: Sequence[int]) -> list[int] | None:
    """Heights of panels stacked in ``height`` rows that give each the same rows for bars (at
    least MIN_BAR_ROWS), besides its ``overheads`` (title, ticks, labels) and ``reserved`` canvas
    rows (a legend); None when they do not fit."""
    count = len(overheads)
    spare = height - sum(overheads) - sum(reserved)
    rows = spare // count
    if rows < MIN_BAR_ROWS:
        return None
    extra = spare - rows * count
    return [
        over + held + rows + (1 if i < extra else 0)
        for i, (over, held) in enumerate(zip(overheads, reserved, strict=True))
    ]


def _pad_ticks(panels: list[Panel]) -> list[Panel]:
    """Y tick labels of one width in every panel, so that stacked panels' bars line up."""
    widest = max((len(label) for p in panels for label in p.yticks[1]), default=0)
    return [
        replace(p, yticks=(p.yticks[0], [label.rjust(widest) for label in p.yticks[1]]))
        for p in panels
    ]


def _footnote(
    names: Sequence[str], part: int, switch_key: str | None, need: int, width: int
) -> str:
    """What a window too short for all ``names`` panels leaves out, and how to see it."""
    shown = part % len(names)
    if switch_key is not None:
        following = names[(shown + 1) % len(names)]
        return f"{shown + 1} of {len(names)}: press {switch_key} for {following}."
    hidden = [name for i, name in enumerate(names) if i != shown]
    said = " and ".join(hidden)
    said = said[0].upper() + said[1:]
    long = f"{said}: not shown, the window needs {need} rows or more (--height {need})."
    return long if len(long) <= width else f"{said}: not shown, needs {need} rows."


def _row(value: float, limit: float, rows: int) -> int:
    """The canvas row (0 at the bottom) on which plotext puts ``value`` of a 0..limit axis."""
    return math.floor(round(0.5 + (rows - 1) * value / limit, 8))


def _bar_ticks(
    top: float, rows: int, reserved: int = 0, *, cover: bool = False
) -> tuple[tuple[list[float], list[str]], float]:
    """Y ticks and limit of a bar panel of ``rows`` canvas rows whose tallest bar is ``top``:
    the most evenly spaced round ticks, at least 0, a middle one and the top where the rows
    allow, each on a row of its own (two on one row would show the wrong one beside a bar)."""
    for least in (3, 2, 1):
        ticks = _nice_ticks(top, rows, least=least, cover=cover)
        limit = _bar_limit(max(top, ticks[0][-1]), rows, reserved)
        if rows < 2 or len({_row(v, limit, rows) for v in ticks[0]}) == len(ticks[0]):
            return ticks, limit
    return _distinct_rows(ticks, limit, rows), limit


def _distinct_rows(
    ticks: tuple[list[float], list[str]], limit: float, rows: int
) -> tuple[list[float], list[str]]:
    """The ticks that fall on rows of their own, from the top down (0 always stays): on a
    canvas of a few rows two ticks on one row would show the wrong one beside a bar."""
    if rows < 2:
        return ticks
    kept: list[tuple[float, str]] = []
    used: set[int] = set()
    for value, label in sorted(zip(*ticks, strict=True), reverse=True):
        row = _row(value, limit, rows)
        if value == 0:
            kept = [(v, t) for v, t in kept if _row(v, limit, rows) != row]
        elif row in used:
            continue
        used.add(row)
        kept.append((value, label))
    kept.sort()
    return [v for v, _ in kept], [t for _, t in kept]


def _fit(title: str, width: int, short: str | None = None) -> str:
    """A title that fits ``width`` (plotext drops one that does not): the short form first,
    then without the period."""
    if len(title) <= width:
        return title
    if short is not None and len(short) <= width:
        return short
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
    "lunge": "Tempo lunges: minutes under tension",
    "cycling": "Cycling: minutes",
    "rotation": "External rotation: sets",
}


def layout(
    data: ChartData, width: int, height: int, *, part: int = 0, switch_key: str | None = None
) -> ChartSpec:
    """The chart's panels at ``width`` x ``height``, grouped to fit the plot's columns.

    A window too short for every panel of the volume or response chart shows one, number
    ``part`` (counted round), with a footnote naming the others: with ``switch_key`` (the app)
    it says which key shows the next, without it (the command line) what height shows them all.
    """
    columns = plot_columns(width)
    if data.message is not None:
        return ChartSpec(data.name, message=data.message, columns=columns)
    if data.name in ("pain", "clicking"):
        spec = _symptom_layout(data, columns, height)
    elif data.name == "volume":
        spec = _volume_layout(data, width, height, part, switch_key)
    elif data.name == "adherence":
        spec = _adherence_layout(data, columns, height)
    else:
        spec = _response_layout(data, width, height, part, switch_key)
    panel_width = width // spec.shape[1]
    panels = tuple(
        replace(p, title=_fit(p.title, _title_room(p, panel_width), p.short_title))
        for p in spec.panels
    )
    return replace(spec, panels=panels)


def _title_room(panel: Panel, width: int) -> int:
    """The longest title plotext draws: it centres it on the canvas (right of the y ticks) and
    drops one that would cross either edge."""
    ticks = max((len(label) for label in panel.yticks[1]), default=0)
    canvas = width - ticks - 1 - (1 if panel.frame else 0)
    centre = ticks + 1 + canvas // 2
    return max(min(2 * (width - centre), 2 * centre + 1), 1)


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


_VOLUME_NAMES = {"lunge": "tempo lunges", "cycling": "cycling", "rotation": "external rotation"}
_VOLUME_SHORT = {
    "lunge": "Lunges: min under tension",
    "cycling": "Cycling: minutes",
    "rotation": "Rotation: sets",
}
# Rows a frameless bar panel spends besides its canvas: its title; the bottom panel of a stack
# also its date ticks and axis label.
_TOP_OVERHEAD = 1
_BOTTOM_OVERHEAD = 3


def _volume_heights(data: ChartData, width: int, height: int) -> tuple[bool, list[int]] | None:
    """(side by side, heights) of the three volume panels: stacked when each gets MIN_BAR_ROWS
    rows; else side by side when wide enough for the same grouping as one wide panel with every
    bar's number; else None (one at a time)."""
    stacked = _stack(height, (_TOP_OVERHEAD, _TOP_OVERHEAD, _BOTTOM_OVERHEAD), (0, 0, 0))
    if stacked is not None:
        return False, stacked
    columns = plot_columns(width // 3)
    bucket, bounds = _bar_bounds(data, columns, 2)
    if (
        height - _BOTTOM_OVERHEAD >= MIN_BAR_ROWS
        and bucket == _bar_bounds(data, plot_columns(width), 2)[0]  # no coarser grouping
        and columns >= 4 * len(bounds)
    ):
        return True, [height] * 3
    return None


def _volume_layout(
    data: ChartData, width: int, height: int, part: int, switch_key: str | None
) -> ChartSpec:
    """A bar per week (or a weekly average per month ...) for each exercise kind, in its own
    unit, with each bar's number written above it: on a short panel the numbers carry what the
    bar heights cannot. Stacked when each panel gets MIN_BAR_ROWS rows (only the bottom one
    repeats the dates), side by side when wide and short, else one kind at a time."""
    arranged = _volume_heights(data, width, height)
    kinds: tuple[str, ...] = tuple(EXERCISE_KINDS)
    footnote = None
    if arranged is None:
        kinds = (EXERCISE_KINDS[part % len(EXERCISE_KINDS)],)
        names = [_VOLUME_NAMES[kind] for kind in EXERCISE_KINDS]
        need = 2 * _TOP_OVERHEAD + _BOTTOM_OVERHEAD + 3 * MIN_BAR_ROWS
        footnote = _footnote(names, part, switch_key, need, width)
        side, heights = False, [height - 1]
    else:
        side, heights = arranged
    panel_width = width // 3 if side else width
    columns = plot_columns(panel_width)
    bucket, bounds = _bar_bounds(data, columns, 2)
    xs = [float(i) for i in range(len(bounds))]
    # Every bar is a week's total, or the average week of a longer bucket: the axis keeps
    # its meaning and the x label says which.
    xlabel = _xlabel(bucket) + ("" if bucket == "week" else ": each bar its average week")
    period = _period(data.start, data.end)
    panels: list[Panel] = []
    for n, kind in enumerate(kinds):
        bottom = side or n == len(kinds) - 1
        rows = heights[n] - (_BOTTOM_OVERHEAD if bottom else _TOP_OVERHEAD)
        values = _per_week(data.daily[kind], bounds, data)
        biggest = max(values, default=0.0)
        yticks, limit = _bar_ticks(biggest, rows)
        texts = [_bar_number(v, biggest) for v in values]
        # Canvas columns: the panel less the y tick labels and the axis.
        spacing = (panel_width - max(len(t) for t in yticks[1]) - 1) / max(len(bounds), 1)
        labelled = _every(len(values), spacing, max((len(t) for t in texts), default=1))
        half = max(0.15, min(0.3, (spacing / 2 - 1.5) / spacing))  # a column between bars
        notes = _bar_notes(
            [xs[i] for i in sorted(labelled)],
            [values[i] for i in sorted(labelled)],
            [texts[i] for i in sorted(labelled)],
            limit,
            rows,
        )
        title = _VOLUME_TITLES[kind]
        short = _VOLUME_SHORT[kind]
        if side:
            title = short
        dated = n == 0
        panels.append(
            Panel(
                title=f"{title} per week" + (f", {period}" if dated else ""),
                short_title=f"{short} per week" + (f", {period}" if dated else ""),
                xlabel=xlabel if bottom else "",
                ylabel="",
                series=(Series("", xs, values, "bars", n, BAR_MARKERS[0], 2 * half),),
                xticks=_xticks(bounds, bucket, columns) if bottom else ([], []),
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
        tuple(_pad_ticks(panels)),
        bucket,
        columns,
        grid=(1, 3) if side else None,
        footnote=footnote,
    )


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


_LEGEND_ROWS = 2  # "after exercise" and "after other days"


def _response_heights(height: int) -> list[int] | None:
    """Knee pain above back pain, the legend in the upper one, each with the group names below
    it; None when bars would get fewer than MIN_BAR_ROWS rows: then one metric at a time."""
    return _stack(height, (_TOP_OVERHEAD + 1, _BOTTOM_OVERHEAD), (_LEGEND_ROWS, 0))


def _response_xlabel(width: int) -> str:
    for label in (
        "days after exercise/other days; an association, not proof of cause",
        "an association, not proof of cause",
    ):
        if len(label) <= width - 14:
            return label
    return "an association"


def _response_layout(
    data: ChartData, width: int, height: int, part: int, switch_key: str | None
) -> ChartSpec:
    """Mean next-day pain after each kind and after other days, as bars from 0 with each mean
    written above its bar (one decimal): a difference of a point is a row or two of bar, and
    the number says it exactly. The axis stops just above the highest mean, not at 10, so the
    bars use the rows there are."""
    metrics: tuple[str, ...] = analysis.PAIN_METRICS
    heights = _response_heights(height)
    footnote = None
    if heights is None:
        metrics = (analysis.PAIN_METRICS[part % len(analysis.PAIN_METRICS)],)
        names = [_PAIN_TITLES[m].lower() for m in analysis.PAIN_METRICS]
        need = _TOP_OVERHEAD + 1 + _BOTTOM_OVERHEAD + _LEGEND_ROWS + 2 * MIN_BAR_ROWS
        footnote = _footnote(names, part, switch_key, need, width)
        heights = [height - 1]
    columns = plot_columns(width)
    means = [
        mean
        for row in data.rows
        if (compared := analysis.compared(row)) is not None
        for mean in compared[:2]
    ]
    top = max(means, default=1.0)
    period = _period(data.start, data.end)
    panels: list[Panel] = []
    for n, metric in enumerate(metrics):
        bottom = n == len(metrics) - 1
        legend = n == 0
        rows = heights[n] - (_BOTTOM_OVERHEAD if bottom else _TOP_OVERHEAD + 1)
        by_kind = [r for r in data.rows if r["metric"] == metric]
        labels = []
        ex_x, ex_y, rest_x, rest_y = [], [], [], []
        too_few: list[Note] = []
        for i, row in enumerate(by_kind):
            labels.append(
                f"{_KIND_SHORT[row['exercise']]} "
                f"{row['days_after_exercise']}/{row['days_after_rest']}"
            )
            compared = analysis.compared(row)
            if compared is None:
                # Where its bars would stand, so that the group's name stays short.
                too_few.append(Note(float(i), 0.0, "too few days"))
                continue
            ex_x.append(i - 0.2)
            ex_y.append(compared[0])
            rest_x.append(i + 0.2)
            rest_y.append(compared[1])
        yticks, limit = _bar_ticks(top, rows, _LEGEND_ROWS if legend else 0, cover=True)
        bars_x, bars_y = ex_x + rest_x, ex_y + rest_y
        notes = _bar_notes(bars_x, bars_y, [one_decimal(v) for v in bars_y], limit, rows)
        notes += tuple(too_few)
        panels.append(
            Panel(
                title=f"{_PAIN_TITLES[metric]} the next day" + (f", {period}" if n == 0 else ""),
                xlabel=_response_xlabel(width) if bottom else "",
                ylabel="0-10" if bottom else "",
                series=(
                    Series(
                        "after exercise" if legend else "",
                        ex_x,
                        ex_y,
                        "bars",
                        0,
                        BAR_MARKERS[0],
                        0.35,
                    ),
                    Series(
                        "after other days" if legend else "",
                        rest_x,
                        rest_y,
                        "bars",
                        1,
                        BAR_MARKERS[1],
                        0.35,
                    ),
                ),
                xticks=([float(i) for i in range(len(labels))], labels),
                yticks=yticks,
                xlim=(-0.5, len(labels) - 0.5),
                ylim=(0.0, limit),
                notes=notes,
                height=heights[n],
                frame=False,
            )
        )
    return ChartSpec(
        data.name,
        tuple(_pad_ticks(panels)),
        "day",
        columns,
        footnote=footnote,
    )


# ---------------------------------------------------------------- 3. plotext


def draw_spec(plt: Any, spec: ChartSpec, *, palette: Sequence[Color] = DEFAULT_PALETTE) -> None:
    """Draw ``spec`` onto a plotext figure (cleared first). A message is drawn as a title only.

    Every text goes through ``printable``: a title or label never carries a control character
    to the terminal, whatever a future chart puts in it."""
    plt.clear_figure()
    if spec.message is not None:
        plt.title(printable(spec.message))
        return
    rows, cols = spec.shape
    if len(spec.panels) > 1:
        plt.subplots(rows, cols)
    for n, panel in enumerate(spec.panels):
        target = plt.subplot(n // cols + 1, n % cols + 1) if len(spec.panels) > 1 else plt
        if panel.height is not None and len(spec.panels) > 1 and cols == 1:
            target.plotsize(None, panel.height)
        _draw_panel(target, panel, palette)
    if len(spec.panels) > 1:
        plt.main()


def _draw_panel(plt: Any, panel: Panel, palette: Sequence[Color]) -> None:
    for series in panel.series:
        color = palette[series.color % len(palette)]
        label = printable(series.label) if series.label else None
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
    for note in panel.notes:
        # "default": the terminal's (or theme's) own text colour, the most legible one.
        plt.text(printable(note.text), note.x, note.y, color="default", alignment="center")
    plt.title(printable(panel.title))
    if panel.xlabel:  # an empty label would still take a row
        plt.xlabel(printable(panel.xlabel))
    if panel.ylabel:
        plt.ylabel(printable(panel.ylabel))
    if not panel.frame:
        plt.xaxes(False, False)
        plt.yaxes(True, False)
    plt.xlim(*panel.xlim)
    plt.ylim(*panel.ylim)
    xticks, xlabels = panel.xticks
    plt.xticks(xticks, [printable(label) for label in xlabels])
    yticks, ylabels = panel.yticks
    plt.yticks(yticks, [printable(label) for label in ylabels])


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
    """The chart as text (ANSI colours only with ``color``); a message wrapped to the width.

    Without ``color`` the text holds no escape sequence and no control character at all."""
    if spec.message is not None:
        return "\n".join(textwrap.wrap(printable(spec.message), max(width, 20)))
    plot_height = height - (1 if spec.footnote else 0)
    figure = new_figure(width, plot_height)
    draw_spec(figure, spec, palette=palette)
    figure._limit_size(False, False)  # clear_figure() limited it to the terminal again
    figure.plotsize(width, plot_height)
    figure.theme(theme)
    text: str = figure.build()
    if not color:
        from plotext._utility import uncolorize

        text = printable(uncolorize(text), one_line=False)
    lines = [line.rstrip() for line in text.splitlines()]
    if spec.footnote:
        lines.append(_fit(printable(spec.footnote), width))
    return "\n".join(lines)


def render(
    name: str,
    entries: Iterable[Entry],
    *,
    until: date,
    days: int | None,
    width: int,
    height: int,
    color: bool = False,
    part: int = 0,
) -> str:
    """Chart ``name`` for the ``days`` ending on ``until`` (None: all history), as text.

    ``color``: ANSI colours (the command line: ``color_wanted(stdout is a tty, os.environ)``);
    ``part``: which panel a window too short for all of them shows (see ``layout``)."""
    spec = layout(prepare(name, entries, until=until, days=days), width, height, part=part)
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
        part: int = 0,
        switch_key: str | None = None,
    ) -> str:
        key = (
            name,
            until,
            days,
            version,
            width,
            height,
            theme,
            color,
            tuple(palette),
            part,
            switch_key,
        )
        found = self._text.get(key)
        if found is None:
            data = self.data(name, entries, until=until, days=days, version=version)
            spec = layout(data, width, height, part=part, switch_key=switch_key)
            found = build_text(spec, width, height, color=color, theme=theme, palette=palette)
            self._store(self._text, key, found)
        return found

    def _store(self, table: dict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any) -> None:
        if len(table) >= self._limit:
            table.pop(next(iter(table)))
        table[key] = value
