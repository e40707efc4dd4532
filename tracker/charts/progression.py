"""The progression chart: per exercise, what was done (tempo, reps, sets, band, hold, minutes,
resistance ...) over time, above how it felt (effort and pain during), with the days the
pain-monitoring model flags marked "!" (domain.md, "the traffic light").

It answers "did I step up too fast before that flare?": the steps of the upper panel stand
above the pain and the flags of the lower one, on the same dates. Each line is drawn in its own
character, named in the panel's title with its first and last value in the range ("reps
10→12"), so the chart reads without colour and without a legend taking rows from the lines.
Long ranges show the mean of each week (month ...) with a session, like the other charts.

One page per exercise kind (``PART_KEY`` in the app shows the next one; ``tracker chart
progression --kind K`` picks one); a tall window shows every kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

from tracker import analysis
from tracker.analysis import FELT_MEASURES, PROGRESSION_MEASURES, ProgressionMeasure
from tracker.charts.common import (
    BOTTOM_OVERHEAD,
    LEAD_DAYS,
    TOP_OVERHEAD,
    Bucket,
    ChartData,
    ChartSpec,
    Panel,
    Series,
    Span,
    Window,
    bucket_bounds,
    charted_period,
    choose_bucket,
    fit,
    footnote,
    nice_ticks,
    pad_ticks,
    xlabel,
    xticks,
)
from tracker.charts.registry import ChartDef, register
from tracker.kinds import kind_of
from tracker.numbers import one_decimal, plain
from tracker.records import BANDS, EXERCISE_KINDS, field_spec

# One character per line of a panel, named in its title: the lines read without colour.
MARKERS: tuple[str, ...] = ("•", "x", "+", "o", "*")
FLAG_MARKER = "!"
FLAG = "flag"  # the daily key of flagged days: "lunge.flag"
MIN_ROWS = 3  # canvas rows of a panel: fewer and its lines cannot show a step
FELT_TOP = 10.0  # effort and pain during: 0-10


def key(kind: str, measure: str) -> str:
    """The name of a daily series in the chart's data: "lunge.reps"."""
    return f"{kind}.{measure}"


def progression_kinds() -> list[str]:
    """The exercise kinds with a progression page, in the registry's order."""
    return [kind for kind in EXERCISE_KINDS if kind in PROGRESSION_MEASURES]


def prepare(span: Span) -> ChartData:
    shown = {e["kind"] for e in span.entries if e["date"] >= span.start.isoformat()}
    kinds = [kind for kind in progression_kinds() if kind in shown]
    if not kinds:
        return span.nothing(f"No exercise logged in {span.period}: no progression to chart.")
    first = span.start
    lead = span.positions  # ISO date -> position, from LEAD_DAYS before the range
    daily: dict[str, list[float | None]] = {}
    for kind in kinds:
        by_measure = analysis.progression_days(span.entries, kind, start=first, end=span.end)
        for measure, series in by_measure.items():
            values: list[float | None] = [None] * len(lead)
            for day, value in series:
                values[lead[day.isoformat()]] = value
            daily[key(kind, measure)] = values
        flags: list[float | None] = [None] * len(lead)
        for day in analysis.flagged_days(span.entries, kind, start=first, end=span.end):
            flags[lead[day.isoformat()]] = 1.0
        daily[key(kind, FLAG)] = flags
    return span.data(daily)


def _kinds_of(data: ChartData) -> list[str]:
    return list(dict.fromkeys(name.split(".", 1)[0] for name in data.daily))


def _heights(height: int, panels: int) -> list[int] | None:
    """Heights of ``panels`` stacked frameless panels (only the bottom one with dates), each
    with at least MIN_ROWS canvas rows; None when they do not fit."""
    overheads = [TOP_OVERHEAD] * (panels - 1) + [BOTTOM_OVERHEAD]
    spare = height - sum(overheads)
    rows = spare // panels
    if rows < MIN_ROWS:
        return None
    extra = spare - rows * panels
    return [over + rows + (1 if i < extra else 0) for i, over in enumerate(overheads)]


def layout(data: ChartData, window: Window) -> ChartSpec:
    """Every kind when the window has the rows; else one kind (what it did above how it felt)
    with a last line naming the others; else one panel at a time."""
    kinds = _kinds_of(data)
    pages: list[tuple[str, str]] = [(k, part) for k in kinds for part in ("did", "felt")]
    heights = _heights(window.height, len(pages))
    note = None
    if heights is None:
        # One kind alone already had its two panels tried above.
        heights = _heights(window.height - 1, 2) if len(kinds) > 1 else None
        if heights is not None:
            shown = kinds[window.part % len(kinds)]
            pages = [(shown, "did"), (shown, "felt")]
            need = len(kinds) * 2 * MIN_ROWS + (2 * len(kinds) - 1) * TOP_OVERHEAD
            note = _footnote(kinds, window, need + BOTTOM_OVERHEAD)
        else:
            page = pages[window.part % len(pages)]
            names = [f"{kind_of(k).short_label.lower()}: {_page_words(p)}" for k, p in pages]
            note = footnote(names, window, 2 * MIN_ROWS + TOP_OVERHEAD + BOTTOM_OVERHEAD + 1)
            pages = [page]
            heights = [window.height - 1]
    columns = window.columns
    bucket = choose_bucket(data.start, data.end, columns, week_start=data.week_start)
    bounds = bucket_bounds(data.start, data.end, bucket, data.week_start)
    panels: list[Panel] = []
    for n, (kind, part) in enumerate(pages):
        bottom = n == len(pages) - 1
        rows = heights[n] - (BOTTOM_OVERHEAD if bottom else TOP_OVERHEAD)
        if part == "did":
            panel = _did_panel(data, kind, bucket, bounds, rows)
        else:
            panel = _felt_panel(data, kind, bucket, bounds, rows)
        panels.append(
            Panel(
                title=panel.title,
                short_title=panel.short_title,
                xlabel=_xlabel(data, bucket, bounds, window.width) if bottom else "",
                ylabel="",
                series=panel.series,
                xticks=xticks(bounds, bucket, columns) if bottom else ([], []),
                yticks=panel.yticks,
                xlim=(-0.5, len(bounds) - 0.5),
                ylim=panel.ylim,
                height=heights[n],
                frame=False,
            )
        )
    return ChartSpec(data.name, pad_ticks(panels), bucket, columns, footnote=note)


def _footnote(kinds: Sequence[str], window: Window, need: int) -> str:
    """The app's "1 of 3: press m for cycling."; the command line's names the other kinds'
    ``--kind`` options (its window shows one kind unless it has ``need`` rows)."""
    names = [kind_of(k).label.lower() for k in kinds]
    if window.switch_key is not None:
        return footnote(names, window, need)
    shown = window.part % len(kinds)
    others = [k for i, k in enumerate(kinds) if i != shown]
    options = ", ".join(f"--kind {k}" for k in others)
    long = f"Also {' and '.join(names[i] for i in range(len(kinds)) if i != shown)}: {options}."
    if len(long) <= window.width:
        return long
    return fit(f"Also: {options}.", window.width)


def _page_words(part: str) -> str:
    return "what you did" if part == "did" else "how it felt"


def _xlabel(
    data: ChartData, bucket: Bucket, bounds: Sequence[tuple[date, date]], width: int
) -> str:
    """What a point is and the period: "week starting Monday (mean of the sessions), 2 Sep -
    24 Nov 2026", shorter where the width needs it."""
    what = xlabel(bucket, data.week_start, bounds)
    mean = "" if bucket == "day" else " (mean of the sessions)"
    period = charted_period(data, bounds)
    for text in (f"{what}{mean}, {period}", f"{what}, {period}", what):
        if len(text) <= width - 14:
            return text
    return what


def _values(
    data: ChartData,
    name: str,
    bucket: Bucket,
    bounds: Sequence[tuple[date, date]],
) -> list[float | None]:
    """One value per bucket: the day's, or the mean of the bucket's session days."""
    values = data.daily[name][LEAD_DAYS:]
    days = analysis.days_between(data.start, data.end)
    if bucket == "day":
        return list(values)
    return analysis.bucket_means(list(zip(days, values, strict=True)), bounds)


def _number(value: float, measure: str) -> str:
    if measure == "band_level":
        level = round(value)
        return (
            f"{level} {BANDS[level]}"
            if value == level and 0 <= level < len(BANDS)
            else (one_decimal(value))
        )
    return plain(value) if float(value).is_integer() else one_decimal(value)


def _change(known: Sequence[float], measure: str) -> str:
    """ "10→12", or "12" when the first and last are the same."""
    first, last = _number(known[0], measure), _number(known[-1], measure)
    return last if first == last else f"{first}→{last}"


class _Drawn:
    """A panel's lines, title and y axis before the shared parts are added."""

    def __init__(
        self,
        title: str,
        short_title: str,
        series: tuple[Series, ...],
        yticks: tuple[list[float], list[str]],
        ylim: tuple[float, float],
    ) -> None:
        self.title = title
        self.short_title = short_title
        self.series = series
        self.yticks = yticks
        self.ylim = ylim


def _lines(
    data: ChartData,
    kind: str,
    measures: Sequence[ProgressionMeasure],
    bucket: Bucket,
    bounds: Sequence[tuple[date, date]],
) -> tuple[list[Series], list[str], list[str], float]:
    """Each present measure as a line through its known values (a lone value as a point), with
    its words for the title, long ("reps 10→12") and short ("reps"), and the highest value."""
    xs = [float(i) for i in range(len(bounds))]
    series: list[Series] = []
    long: list[str] = []
    short: list[str] = []
    top = 0.0
    for measure in measures:
        name = key(kind, measure.name)
        if name not in data.daily:
            continue
        values = _values(data, name, bucket, bounds)
        known = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
        if not known:
            continue
        n = len(series)
        marker = MARKERS[n % len(MARKERS)]
        style: Literal["line", "points"] = "line" if len(known) > 1 else "points"
        series.append(Series("", [x for x, _ in known], [v for _, v in known], style, n, marker))
        change = _change([v for _, v in known], measure.name)
        long.append(f"{marker} {_label(kind, measure)} {change}")
        short.append(f"{marker} {measure.short or _label(kind, measure)} {change}")
        top = max(top, *(v for _, v in known))
    return series, long, short, top


def _label(kind: str, measure: ProgressionMeasure) -> str:
    if measure.name == "pain_during":  # "knee pain during" for lunges (domain.md, Volume)
        return field_spec(kind, "pain_during").label.lower()
    return measure.label


def _did_panel(
    data: ChartData,
    kind: str,
    bucket: Bucket,
    bounds: Sequence[tuple[date, date]],
    rows: int,
) -> _Drawn:
    series, long, short, top = _lines(data, kind, PROGRESSION_MEASURES[kind], bucket, bounds)
    ticks = nice_ticks(top, rows)
    name = kind_of(kind).short_label
    return _Drawn(
        title=f"{name}: " + " · ".join(long),
        short_title=f"{name}: " + " ".join(short),
        series=tuple(series),
        yticks=ticks,
        ylim=(0.0, max(ticks[0][-1], top, 1.0)),
    )


def _felt_panel(
    data: ChartData,
    kind: str,
    bucket: Bucket,
    bounds: Sequence[tuple[date, date]],
    rows: int,
) -> _Drawn:
    series, long, short, _ = _lines(data, kind, FELT_MEASURES, bucket, bounds)
    flags = data.daily[key(kind, FLAG)][LEAD_DAYS:]
    days = analysis.days_between(data.start, data.end)
    flagged = {day for day, flag in zip(days, flags, strict=True) if flag}
    marked = [
        float(i)
        for i, (first, last) in enumerate(bounds)
        if any(first <= day <= last for day in flagged)
    ]
    if marked:
        series.append(Series("", marked, [FELT_TOP] * len(marked), "points", 2, FLAG_MARKER))
    count = len(flagged)
    flag_words = (
        f"{FLAG_MARKER} {count} day{'s' if count != 1 else ''} flagged"
        if count
        else "no day flagged"
    )
    name = kind_of(kind).short_label
    ticks = ([0.0, 5.0, 10.0], ["0", "5", "10"]) if rows < 8 else nice_ticks(FELT_TOP, rows)
    if not long:
        long = short = ["no effort or pain during logged"]
    return _Drawn(
        title=f"{name}: " + " · ".join([*long, flag_words]),
        short_title=f"{name}: " + " ".join([*short, flag_words]),
        series=tuple(series),
        yticks=ticks,
        ylim=(0.0, FELT_TOP),
    )


register(
    ChartDef(
        name="progression",
        title="Progression",
        key="o",
        description="Progression chart",
        prepare=prepare,
        layout=layout,
        paged=True,
    )
)
