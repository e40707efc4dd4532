"""The questionnaires chart: knee (KOOS-12), back (Roland-Morris, Oswestry), overall change (PGIC).

Questionnaires are filled in every few weeks, so each score is a point joined to the next by a
line (not a daily series with gaps). The knee and back panels carry a level line for the
important-change figure (domain.md) measured from the first score of the range shown: KOOS-12
pain 10 points above it, Oswestry 10 points below it, drawn as a rule (─), not dots.
Roland-Morris is drawn on the back panel as a percentage of its top score (24), which its label
says, so both back scores share one axis. PGIC answers are markers on a panel of their own:
1 very much improved, 7 very much worse.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tracker.charts.common import (
    LINE_MARKER,
    POINT_MARKERS,
    ChartData,
    ChartSpec,
    Panel,
    Series,
    Span,
    Window,
    bucket_bounds,
    charted_period,
    choose_bucket,
    footnote,
    headroom,
    nice_ticks,
    panel_rows,
    xlabel,
    xticks,
)
from tracker.charts.registry import ChartDef, register
from tracker.questionnaires import QUESTIONNAIRE_KINDS, SCALES

# The daily series: (kind, field) -> its name, and how a value is charted (0-100).
SERIES_OF: dict[tuple[str, str], str] = {
    ("koos", "pain"): "koos_pain",
    ("koos", "function"): "koos_function",
    ("koos", "qol"): "koos_qol",
    ("rmdq", "score"): "rmdq",
    ("odi", "score"): "odi",
    ("pgic", "change"): "pgic",
}
KNEE = ("koos_pain", "koos_function", "koos_qol")
BACK = ("odi", "rmdq")
LABELS = {
    "koos_pain": "pain",
    "koos_function": "function",
    "koos_qol": "quality of life",
    "odi": "Oswestry %",
    "rmdq": "Roland-Morris, % of 24",
    "pgic": "overall change",
}
THRESHOLD_MARKER = "─"  # a level to reach, not a score: no dot to mistake for one
SCORE_MARKERS = (*POINT_MARKERS, "+")  # three KOOS-12 scores told apart without colour
MIN_ROWS = 9  # canvas rows a panel needs for its legend and its scores
FAMILY_NAMES = {"koos_pain": "the knee", "odi": "the back", "pgic": "overall change"}
PGIC_TICKS = ([1.0, 4.0, 7.0], ["1 better", "4 same", "7 worse"])


def prepare(span: Span) -> ChartData:
    wanted = set(QUESTIONNAIRE_KINDS)
    if not span.any_shown(lambda e: e["kind"] in wanted):
        return span.nothing(
            f"No questionnaires in {span.period}: log one every 3 weeks (k on Today)."
        )
    index = span.positions
    shown_from = span.start.isoformat()
    daily: dict[str, list[float | None]] = {
        name: [None] * len(index) for name in SERIES_OF.values()
    }
    for entry in span.entries:
        if entry["kind"] not in wanted or entry["date"] < shown_from:
            continue
        for (kind, field), name in SERIES_OF.items():
            if entry["kind"] == kind:
                value = float(entry[field])
                daily[name][index[entry["date"]]] = value * 100 / 24 if kind == "rmdq" else value
    return span.data(daily)


def _bucketed(
    data: ChartData, name: str, bounds: Sequence[tuple[date, date]]
) -> tuple[list[float], list[float]]:
    """Per bucket the last score in it: (positions, values), buckets without one left out."""
    xs: list[float] = []
    ys: list[float] = []
    values = data.daily[name]
    for i, (first, last) in enumerate(bounds):
        got = [v for v in values[data.index(first) : data.index(last) + 1] if v is not None]
        if got:
            xs.append(float(i))
            ys.append(got[-1])
    return xs, ys


def _scores(label: str, xs: list[float], ys: list[float], n: int) -> list[Series]:
    """A line through the scores (when there are two) and a point on each."""
    parts: list[Series] = []
    if len(xs) > 1:
        # Thin lines for every score: a half-block line ("hd") between scores weeks apart
        # drew a bar of blocks; the points' markers and colours tell the scores apart.
        parts.append(Series("", xs, ys, "line", n, LINE_MARKER))
    parts.append(Series(label, xs, ys, "points", n, SCORE_MARKERS[n % 3]))
    return parts


def _threshold(label: str, xs: list[float], level: float, last_x: float, n: int) -> list[Series]:
    if not xs or not 0 <= level <= 100:
        return []
    return [Series(label, [xs[0], last_x], [level, level], "line", n, THRESHOLD_MARKER)]


def layout(data: ChartData, window: Window) -> ChartSpec:
    columns = window.columns
    bucket = choose_bucket(data.start, data.end, columns, week_start=data.week_start)
    bounds = bucket_bounds(data.start, data.end, bucket, data.week_start)
    last_x = float(len(bounds) - 1)
    points = {name: _bucketed(data, name, bounds) for name in SERIES_OF.values()}
    families = [f for f in (KNEE, BACK, ("pgic",)) if any(points[n][0] for n in f)]
    note = None
    rows = panel_rows(window.height, len(families))
    if len(families) > 1 and rows < MIN_ROWS:
        # Too short for every family: one at a time, and a line says how to see the others.
        names = [FAMILY_NAMES[f[0]] for f in families]
        need = len(families) * (MIN_ROWS + 5)
        note = footnote(names, window, need)
        families = [families[window.part % len(families)]]
        rows = panel_rows(window.height - 1, 1)
    scale_of = {SERIES_OF[(s.kind, s.field)]: s for s in SCALES}
    panels: list[Panel] = []
    for family in families:
        parts: list[Series] = []
        for n, name in enumerate(family):
            xs, ys = points[name]
            if xs:
                parts += _scores(LABELS[name], xs, ys, n)
        lead = next((name for name in family if points[name][0]), family[0])
        if lead in scale_of:
            scale = scale_of[lead]
            xs, ys = points[lead]
            sign = 1 if scale.higher_is_better else -1
            level = ys[0] + sign * scale.points
            words = f"important change: {LABELS[lead]} {'+' if sign > 0 else '-'}{scale.points:g}"
            parts += _threshold(words, xs, level, last_x, len(family))
        parts.sort(key=lambda s: s.style == "points")
        if family == ("pgic",):
            title, ylabel, yticks = "Overall change since the start (PGIC)", "", PGIC_TICKS
            ylim = (0.5, 7.5)
        else:
            knee = family == KNEE
            title = (
                "Knee: KOOS-12 (higher is better)"
                if knee
                else "Back: Oswestry and Roland-Morris (lower is better)"
            )
            ylabel = "score 0-100" if knee else "% of the top score"
            yticks = nice_ticks(100, rows)
            ylim = (0.0, headroom(100, rows, parts))
        panels.append(
            Panel(
                title=f"{title}, {charted_period(data, bounds)}" if not panels else title,
                xlabel=xlabel(bucket, data.week_start, bounds) if family == families[-1] else "",
                ylabel=ylabel,
                series=tuple(parts),
                xticks=xticks(bounds, bucket, columns) if family == families[-1] else ([], []),
                yticks=yticks,
                xlim=(-0.5, len(bounds) - 0.5),
                ylim=ylim,
            )
        )
    return ChartSpec(data.name, tuple(panels), bucket, columns, footnote=note)


register(
    ChartDef(
        name="questionnaires",
        title="Questionnaires",
        key="s",
        description="Questionnaires chart",
        prepare=prepare,
        layout=layout,
        paged=True,
    )
)
