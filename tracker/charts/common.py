"""What every chart is built from: the prepared data, the spec of its panels, buckets and ticks.

A chart's module (``symptoms``, ``volume`` ...) turns a ``Span`` (the range and its entries)
into ``ChartData`` and lays that out for a ``Window`` as a ``ChartSpec``, from the pieces here:
grouping days into weeks, months, quarters or years that fit the columns (``choose_bucket``,
``bucket_bounds``), date ticks, round y ticks, bar numbers and stacked panels.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property
from typing import Literal, NamedTuple, assert_never

from tracker import analysis
from tracker.insights import AssociationRow
from tracker.numbers import plain
from tracker.records import Entry
from tracker.text import shorten

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
# Rows a frameless bar panel spends besides its canvas: its title; the bottom panel of a stack
# also its date ticks and axis label.
TOP_OVERHEAD = 1
BOTTOM_OVERHEAD = 3


# ---------------------------------------------------------------- the range, prepared


def period(start: date, end: date) -> str:
    """ "25 Oct - 21 Nov 2026": how titles and messages name a range."""
    if start.year == end.year:
        return f"{start.day} {start:%b} - {end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y} - {end.day} {end:%b %Y}"


class Mark(NamedTuple):
    """A day to mark with a labelled vertical rule (an event on the pain chart)."""

    day: date
    label: str
    rank: int = 0  # labels of a lower rank are written first (a flare before a physio visit)


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
    rows: tuple[AssociationRow, ...] = ()
    message: str | None = None
    week_start: int = 0  # the first day of a week: 0 = Monday .. 6 = Sunday
    marks: tuple[Mark, ...] = ()
    note: str | None = None  # a line below the chart (the plan's share of the days logged)

    @property
    def first(self) -> date:
        return self.start - timedelta(days=LEAD_DAYS)

    @property
    def period(self) -> str:
        return period(self.start, self.end)

    def index(self, day: date) -> int:
        return (day - self.first).days


def days_needed(until: date, days: int) -> tuple[date, date]:
    """The days whose entries a chart of the ``days`` ending on ``until`` reads: the range and
    the LEAD_DAYS before it (the first 7-day mean; the response chart's first day before)."""
    start = until - timedelta(days=max(days, 1) - 1)
    return start - timedelta(days=LEAD_DAYS), until


@dataclass(frozen=True)
class Span:
    """What every chart's ``prepare`` starts from: chart ``name`` over ``start``..``end``, and
    the entries from LEAD_DAYS before ``start`` (for the first 7-day mean) to ``end``; weeks
    begin on ``week_start`` (0 = Monday .. 6 = Sunday)."""

    name: str
    start: date
    end: date
    entries: list[Entry]
    week_start: int = 0
    # Every plan entry up to ``end``, for a chart that reads the plan (``ChartDef.reads_plans``):
    # a plan in force may date from long before the range.
    plans: tuple[Entry, ...] = ()

    @classmethod
    def of(
        cls,
        name: str,
        entries: Iterable[Entry],
        *,
        until: date,
        days: int | None,
        week_start: int = 0,
        plans: tuple[Entry, ...] = (),
    ) -> Span:
        """The ``days`` ending on ``until`` (None: from the first entry on).

        Entries from the store come sorted by date: then this is one list of dates and two
        binary searches, not a comparison per entry (years of entries on every chart's first
        draw).
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
        first, _ = days_needed(until, (until - start).days + 1)
        low, high = first.isoformat(), until.isoformat()
        if ordered:
            kept = entries[bisect_left(dates, low) : bisect_right(dates, high)]
        else:
            kept = [e for e, day in zip(entries, dates, strict=True) if low <= day <= high]
        return cls(name, start, until, kept, week_start, plans)

    @property
    def period(self) -> str:
        return period(self.start, self.end)

    def any_shown(self, wanted: Callable[[Entry], bool]) -> bool:
        """Whether an entry from ``start`` on (not only in the lead days) is ``wanted``."""
        shown_from = self.start.isoformat()
        return any(e["date"] >= shown_from and wanted(e) for e in self.entries)

    @cached_property
    def positions(self) -> dict[str, int]:
        """ISO date -> position in the daily lists: a look-up is cheaper than parsing dates."""
        first = self.start - timedelta(days=LEAD_DAYS)
        return {day.isoformat(): i for i, day in enumerate(analysis.days_between(first, self.end))}

    def zeros(self) -> list[float | None]:
        """A daily list of zeros, one per position."""
        return [0.0] * len(self.positions)

    def data(
        self,
        daily: dict[str, list[float | None]] | None = None,
        rows: tuple[AssociationRow, ...] = (),
        marks: tuple[Mark, ...] = (),
        note: str | None = None,
    ) -> ChartData:
        """The chart's data: daily lists by name, or the response chart's rows; days marked."""
        return ChartData(
            self.name,
            self.start,
            self.end,
            daily=daily or {},
            rows=rows,
            week_start=self.week_start,
            marks=marks,
            note=note,
        )

    def nothing(self, message: str) -> ChartData:
        """No chart, and why (said in words instead of an empty frame)."""
        return ChartData(
            self.name, self.start, self.end, message=message, week_start=self.week_start
        )


# ---------------------------------------------------------------- the spec of a chart


class Window(NamedTuple):
    """What a chart is laid out for: its size, and which panel (``part``, counted round) a
    window too short for all of them shows, with ``switch_key`` the key that shows the next
    (None: the command line, whose footnote says what height shows them all)."""

    width: int
    height: int
    part: int = 0
    switch_key: str | None = None

    @property
    def columns(self) -> int:
        return plot_columns(self.width)


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
class Rule:
    """A vertical rule across the plot at ``x``, with ``label`` (may be empty) written right
    of it at height ``y`` (below the legend's rows)."""

    x: float
    label: str
    y: float = 0.0


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
    rules: tuple[Rule, ...] = ()


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


# ---------------------------------------------------------------- buckets and the x axis


def bucket_bounds(
    start: date, end: date, bucket: Bucket, week_start: int = 0
) -> list[tuple[date, date]]:
    """(first, last) day of each bucket covering ``start``..``end``, oldest first.

    Weeks are calendar weeks beginning on ``week_start`` (0 = Monday .. 6 = Sunday), clipped to
    the range: a first week that would begin before ``start`` is left out, so that no bar or
    point holds a day outside the range (``charted_period`` says so in the title), unless it
    is the only one; a last week still under way ends on ``end`` (``xlabel`` says how many
    days it holds). Months, quarters and years are calendar ones, clipped to the range.
    """
    if bucket == "day":
        return [(d, d) for d in analysis.days_between(start, end)]
    if bucket == "week":
        weeks = [
            analysis.week_days(first, start, end)
            for first in analysis.week_starts(start, end, week_start)
        ]
        whole = [week for week in weeks if week[0].weekday() == week_start]
        return whole or weeks
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


def _bucket_count(start: date, end: date, bucket: Bucket, week_start: int) -> int:
    match bucket:
        case "day":
            return (end - start).days + 1
        case "week":
            return len(analysis.week_starts(start, end, week_start))
        case "month" | "quarter" | "year":
            return len(bucket_bounds(start, end, bucket))
        case _:
            assert_never(bucket)


def choose_bucket(
    start: date,
    end: date,
    columns: int,
    *,
    per_point: int = 1,
    daily: bool = True,
    week_start: int = 0,
) -> Bucket:
    """The finest grouping whose buckets (each ``per_point`` columns wide) fit ``columns``."""
    for bucket in BUCKETS:
        if bucket == "day" and not daily:
            continue
        if _bucket_count(start, end, bucket, week_start) * per_point <= columns:
            return bucket
    return "year"


def charted_period(data: ChartData, bounds: Sequence[tuple[date, date]]) -> str:
    """The period a chart's title names: the range, or from its first whole week when a
    partial first week was left out ("3 Sep - 25 Nov 2026 (whole weeks)")."""
    if bounds and bounds[0][0] > data.start:
        return f"{period(bounds[0][0], data.end)} (whole weeks)"
    return data.period


def bar_bounds(
    data: ChartData, columns: int, per_point: int
) -> tuple[Bucket, list[tuple[date, date]]]:
    """The grouping of a bar chart (weeks at the finest) and its buckets."""
    bucket = choose_bucket(
        data.start, data.end, columns, per_point=per_point, daily=False, week_start=data.week_start
    )
    return bucket, bucket_bounds(data.start, data.end, bucket, data.week_start)


def _tick_label(first: date, bucket: Bucket, long_range: bool) -> str:
    match bucket:
        case "year":
            return str(first.year)
        case "quarter":
            return f"Q{(first.month - 1) // 3 + 1} {first.year}"
        case "month":
            return f"{first:%b %Y}"
        case "day" | "week":
            return f"{first:%b %Y}" if long_range else f"{first.day} {first:%b}"
        case _:
            assert_never(bucket)


def xticks(
    bounds: Sequence[tuple[date, date]], bucket: Bucket, columns: int
) -> tuple[list[float], list[str]]:
    """Tick labels a whole number of points apart, the latest one included, that fit the columns.

    Equal integer steps: rounded fractional steps put two labels on neighbouring points
    ("19 Oct 26 Oct"), which plotext then thinned in an order that changed from run to run.
    """
    if not bounds:
        return [], []
    long_range = (bounds[-1][1] - bounds[0][0]).days > 366
    sample = _tick_label(bounds[0][0], bucket, long_range)
    most = max(2, columns // (len(sample) + 4))
    step = max(1, -(-(len(bounds) - 1) // (most - 1)))  # ceiling: at most ``most`` labels
    positions = list(range(len(bounds) - 1, -1, -step))[::-1]
    return [float(p) for p in positions], [
        _tick_label(bounds[p][0], bucket, long_range) for p in positions
    ]


WEEKDAYS: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)

_XLABELS: dict[Bucket, str] = {
    "day": "date",
    "week": "week starting",
    "month": "month",
    "quarter": "quarter",
    "year": "year",
}


def xlabel(bucket: Bucket, week_start: int = 0, bounds: Sequence[tuple[date, date]] = ()) -> str:
    """The x axis's words: what one point or bar is ("week starting Monday"), and for a last
    week still under way how many days it holds, so a short bar is not read as a bad week."""
    if bucket != "week":
        return _XLABELS[bucket]
    label = f"week starting {WEEKDAYS[week_start % 7]}"
    if bounds:
        first, last = bounds[-1]
        days = (last - first).days + 1
        if days < 7 and len(bounds) > 1:
            label += f"; the last week so far: {days} day{'s' if days != 1 else ''}"
    return label


def rate_words(bucket: Bucket) -> str:
    """What a bar of a weekly figure is: "per week", or "per week, monthly average" when a
    bar is a month (or quarter, or year) drawn as its average week."""
    return "per week" if bucket in ("day", "week") else f"per week, {bucket}ly average"


def per_week(
    values: Sequence[float | None], bounds: Sequence[tuple[date, date]], data: ChartData
) -> list[float]:
    """Total of each bucket, as a weekly rate for buckets longer than a week."""
    out = []
    for first, last in bounds:
        total = sum(v or 0.0 for v in values[data.index(first) : data.index(last) + 1])
        days = (last - first).days + 1
        out.append(total if days <= 7 else total / days * 7)
    return out


def rules(
    marks: Sequence[Mark],
    bounds: Sequence[tuple[date, date]],
    columns: int,
    labelled: bool,
    label_y: float = 0.0,
) -> tuple[Rule, ...]:
    """A rule per marked bucket, its label written right of it when ``labelled`` and when it
    does not run into another label (several events in a few days: the lowest ``rank``, then
    the earliest, is named)."""
    if not bounds:
        return ()
    per_x = columns / max(len(bounds), 1)  # canvas columns per plot position
    firsts = [first for first, _ in bounds]
    shown = [m for m in marks if bounds[0][0] <= m.day <= bounds[-1][1]]
    labels: dict[float, str] = {}
    taken: list[tuple[float, float]] = []  # the columns each label written covers
    for mark in sorted(shown, key=lambda m: (m.rank, m.day)):
        x = float(bisect_right(firsts, mark.day) - 1)
        left = (x + 0.5) * per_x
        right = left + len(mark.label) + 1
        clear = all(right < start or left > end for start, end in taken)
        if labelled and x not in labels and clear and right <= columns:
            labels[x] = mark.label
            taken.append((left, right))
    xs = sorted({float(bisect_right(firsts, m.day) - 1) for m in shown})
    return tuple(Rule(x, labels.get(x, ""), label_y) for x in xs)


# ---------------------------------------------------------------- the y axis


def nice_ticks(
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
    # Rounded for the label only: 3 x 0.05 is 0.15000000000000002.
    return ticks, [plain(round(t, 9)) for t in ticks]


def headroom(top: float, rows: int, legend: int | Sequence[Series]) -> float:
    """The y limit that leaves the top rows free for the legend (one row per labelled series)."""
    lines = legend if isinstance(legend, int) else sum(1 for s in legend if s.label)
    if rows - lines < 3:
        return top
    return top * rows / (rows - lines)


def panel_rows(height: int, panels: int) -> int:
    """Canvas rows of each panel: its height less title, frame, tick labels and axis labels."""
    return max(height // panels - 5, 1)


# ---------------------------------------------------------------- bar panels with numbers


def canvas_row(value: float, limit: float, rows: int) -> int:
    """The canvas row (0 at the bottom) on which plotext puts ``value`` of a 0..limit axis."""
    return math.floor(round(0.5 + (rows - 1) * value / limit, 8))


def _bar_limit(top: float, rows: int, reserved: int = 0) -> float:
    """The y limit that puts a bar of height ``top`` two rows below the canvas's top less
    ``reserved`` rows (the legend): its number goes in the row above it.

    plotext puts value v on row floor(0.5 + (rows - 1) * v / limit) (0 is the bottom row)."""
    free = rows - 2 - reserved
    if top <= 0 or free < 1:
        return max(top, 1.0)
    return top * (rows - 1) / free


def bar_ticks(
    top: float, rows: int, reserved: int = 0, *, cover: bool = False
) -> tuple[tuple[list[float], list[str]], float]:
    """Y ticks and limit of a bar panel of ``rows`` canvas rows whose tallest bar is ``top``:
    the most evenly spaced round ticks, at least 0, a middle one and the top where the rows
    allow, each on a row of its own (two on one row would show the wrong one beside a bar)."""
    for least in (3, 2, 1):
        ticks = nice_ticks(top, rows, least=least, cover=cover)
        limit = _bar_limit(max(top, ticks[0][-1]), rows, reserved)
        if rows < 2 or len({canvas_row(v, limit, rows) for v in ticks[0]}) == len(ticks[0]):
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
        row = canvas_row(value, limit, rows)
        if value == 0:
            kept = [(v, t) for v, t in kept if canvas_row(v, limit, rows) != row]
        elif row in used:
            continue
        used.add(row)
        kept.append((value, label))
    kept.sort()
    return [v for v, _ in kept], [t for _, t in kept]


def bar_notes(
    xs: Sequence[float], values: Sequence[float], texts: Sequence[str], limit: float, rows: int
) -> tuple[Note, ...]:
    """Each bar's number in the row above the bar (a bar of 0: on the bottom row)."""
    if rows < 2:
        return ()
    unit = limit / (rows - 1)
    notes = []
    for x, value, text in zip(xs, values, texts, strict=True):
        row = canvas_row(value, limit, rows) if value > 0 else -1
        notes.append(Note(x, (row + 1) * unit, text))
    return tuple(notes)


def paired_bars(
    labels: tuple[str, str], xs: Sequence[float], first: list[float], second: list[float]
) -> tuple[Series, Series]:
    """Two bars at each of ``xs``, ``first`` left of it and ``second`` right, told apart by
    colour and marker (adherence, response)."""
    return (
        Series(labels[0], [x - 0.2 for x in xs], first, "bars", 0, BAR_MARKERS[0], 0.35),
        Series(labels[1], [x + 0.2 for x in xs], second, "bars", 1, BAR_MARKERS[1], 0.35),
    )


def stack(height: int, overheads: Sequence[int], reserved: Sequence[int]) -> list[int] | None:
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


def pad_ticks(panels: list[Panel]) -> tuple[Panel, ...]:
    """Y tick labels of one width in every panel, so that stacked panels' bars line up."""
    widest = max((len(label) for p in panels for label in p.yticks[1]), default=0)
    return tuple(
        replace(p, yticks=(p.yticks[0], [label.rjust(widest) for label in p.yticks[1]]))
        for p in panels
    )


def footnote(names: Sequence[str], window: Window, need: int) -> str:
    """What a window too short for all ``names`` panels leaves out, and how to see it."""
    shown = window.part % len(names)
    if window.switch_key is not None:
        following = names[(shown + 1) % len(names)]
        return f"{shown + 1} of {len(names)}: press {window.switch_key} for {following}."
    hidden = [name for i, name in enumerate(names) if i != shown]
    said = " and ".join([", ".join(hidden[:-1]), hidden[-1]] if len(hidden) > 1 else hidden)
    said = said[0].upper() + said[1:]
    long = f"{said}: not shown, the window needs {need} rows or more (--height {need})."
    return long if len(long) <= window.width else f"{said}: not shown, needs {need} rows."


def fit(title: str, width: int, short: str | None = None) -> str:
    """A title that fits ``width`` (plotext drops one that does not): the short form, then
    either without the period (after its last ", "), then the short form cut at a word's end
    with "…"."""
    if len(title) <= width:
        return title
    for text in (short, title.rsplit(", ", 1)[0], short and short.rsplit(", ", 1)[0]):
        if text is not None and len(text) <= width:
            return text
    return shorten((short or title).rsplit(", ", 1)[0], max(width, 1))
