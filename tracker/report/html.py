"""The report as one printable, self-contained HTML page, for the physiotherapist.

Inline CSS, no fonts, scripts or images from elsewhere: the file opens in any browser, offline,
and prints on A4 or Letter alike (``@page`` sets margins, not a size). Black on white, 11 pt;
tables, charts and headings are kept from breaking across pages where they fit on one.

The charts are inline SVG drawn here from the report's own series (the pain chart's daily
ratings and 7-day means, the calendar weeks' volume and days logged), with their axes and
legends in words, and told apart by shape and line style as well as colour (a grey printer).

Every piece of text, the user's and ours, goes through ``printable`` (no control character
survives) and then ``html.escape``: a note holding ``<script>`` or ``</table>`` is shown as
typed, never read as markup.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import date
from html import escape

from tracker.analysis import METRIC_INFO
from tracker.report.model import (
    BarChart,
    Block,
    Notes,
    PainChart,
    Paragraph,
    Report,
    Table,
    Week,
)
from tracker.text import printable

CSS = """
@page { margin: 15mm; }
html { background: #fff; color: #000; }
body {
  font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif;
  font-size: 11pt; line-height: 1.4; margin: 0 auto; max-width: 190mm; padding: 10mm 5mm;
}
@media print { body { max-width: none; padding: 0; } }
h1 { font-size: 18pt; margin: 0 0 4pt; }
h2 { font-size: 13.5pt; margin: 16pt 0 6pt; border-bottom: 1px solid #000;
  break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11.5pt; margin: 10pt 0 4pt; break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 6pt; orphans: 3; widows: 3; }
.period { margin-bottom: 10pt; }
section { break-before: auto; }
table { border-collapse: collapse; width: 100%; margin: 0 0 8pt; font-size: 10.5pt;
  break-inside: avoid; page-break-inside: avoid; }
table.long { break-inside: auto; page-break-inside: auto; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #555; padding: 2pt 4pt; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
th { background: #eee; font-weight: bold; hyphens: none; }
td.text { overflow-wrap: anywhere; }
td.num { text-align: right; white-space: nowrap; }
td.note { white-space: pre-wrap; overflow-wrap: anywhere; width: 55%; }
td.day { white-space: nowrap; }
figure { margin: 0 0 12pt; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: bold; margin-bottom: 2pt; }
figure svg { display: block; width: 100%; height: auto; }
ul.legend { list-style: none; margin: 2pt 0 0; padding: 0; font-size: 10pt; }
ul.legend li { display: inline-block; margin-right: 14pt; }
ul.legend svg { display: inline; width: 24pt; height: 10pt; vertical-align: middle; }
.safety { border: 2px solid #000; padding: 6pt 8pt; break-inside: avoid;
  page-break-inside: avoid; }
""".strip()

# Told apart without colour too: knee dark blue, filled circles, solid line; back dark orange,
# open squares, dashed line.
COLOURS = ("#1f4e9c", "#b34700")
DASHES = ("", "6 4")
BAR_FILLS = ("#1f4e9c", "#f2b27a")
GRID = "#bbb"

# The SVG canvas, in its own units (about a pixel at the page's width).
WIDTH = 680
LEFT = 46
RIGHT = 12
FONT = 13
NUMBERED_WEEKS = 16  # more weeks than this: no number above each bar (the table has them)


def text(value: str, *, one_line: bool = True) -> str:
    """Any text for the page: control characters made visible, then HTML-escaped."""
    return escape(printable(value, one_line=one_line), quote=True)


def render_html(report: Report) -> str:
    body = [
        f"<h1>{text(report.title)}</h1>",
        f'<p class="period">{text(report.period)}</p>',
    ]
    for section in report.sections:
        body.append(f'<section id="{text(section.key)}">')
        body.append(f"<h2>{text(section.title)}</h2>")
        for block in section.blocks:
            body.append(_block(block, safety=section.key == "safety"))
        body.append("</section>")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{text(report.title)}</title>",
            f"<style>\n{CSS}\n</style>",
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def _block(block: Block, *, safety: bool = False) -> str:
    match block:
        case Paragraph(value):
            return f'<p class="safety">{text(value)}</p>' if safety else f"<p>{text(value)}</p>"
        case Table(header, rows):
            return _table(header, rows)
        case Notes(rows):
            lines = [
                '<table class="long notes">',
                "<thead><tr><th>Date</th><th>Entry</th><th>Note</th></tr></thead>",
                "<tbody>",
            ]
            for note in rows:
                lines.append(
                    f'<tr><td class="day">{text(_day(note.day))}</td>'
                    f'<td class="text">{text(note.entry)}</td>'
                    f'<td class="note">{text(note.text, one_line=False)}</td></tr>'
                )
            return "\n".join([*lines, "</tbody>", "</table>"])
        case PainChart():
            return _pain_chart(block)
        case BarChart():
            return _bar_chart(block)
    raise AssertionError(f"unknown block {block!r}")


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


_NUMBER = r"[+-]?\d+(?:\.\d+)?"
# "5.7 (25 d)", "14 of 22 (64 %)", "-4.4 to 0.3", "3 / 3 / 8", "48/100 (2026-09-11)": figures,
# set right-aligned; "3 × 12 at 5-0-3-0" or "31 Oct: Physio visit" are words.
_NUMBER_CELL = re.compile(
    rf"{_NUMBER}(?:/{_NUMBER})?(?: (?:of|to|/) {_NUMBER})*(?: (?:%|days?|min))?"
)
_ASIDE = re.compile(r"\s*\([^()]*\)")


def _is_number(cell: str) -> bool:
    return _NUMBER_CELL.fullmatch(_ASIDE.sub("", cell)) is not None


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    css = ' class="long"' if len(rows) > 15 else ""
    lines = [
        f"<table{css}>",
        "<thead><tr>" + "".join(f"<th>{text(h)}</th>" for h in header) + "</tr></thead>",
        "<tbody>",
    ]
    for row in rows:
        cells = "".join(
            f'<td class="num">{text(c)}</td>' if _is_number(c) else f"<td>{text(c)}</td>"
            for c in row
        )
        lines.append(f"<tr>{cells}</tr>")
    return "\n".join([*lines, "</tbody>", "</table>"])


# ---------------------------------------------------------------- SVG


def _n(value: float) -> str:
    """A coordinate: one decimal is finer than any printer."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg_text(x: float, y: float, value: str, anchor: str = "middle", size: int = FONT) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}">'
        f"{text(value)}</text>"
    )


def _svg_open(height: float, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_n(height)}" '
        f'role="img" aria-label="{text(label)}" '
        'font-family="DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif">'
    )


def _y_axis(
    ticks: Sequence[float], top: float, y0: float, y1: float, label: str, right: float
) -> list[str]:
    """Horizontal grid lines with their numbers, and the axis label written upwards."""
    out = []
    for tick in ticks:
        y = y1 - (y1 - y0) * tick / top
        out.append(
            f'<line x1="{LEFT}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" '
            f'stroke="{GRID}" stroke-width="0.7"/>'
        )
        value = f"{tick:g}"
        out.append(_svg_text(LEFT - 5, y + 4, value, "end"))
    middle = (y0 + y1) / 2
    out.append(
        f'<text x="12" y="{_n(middle)}" font-size="{FONT}" text-anchor="middle" '
        f'transform="rotate(-90 12 {_n(middle)})">{text(label)}</text>'
    )
    return out


def _week_label(week: Week) -> str:
    return f"{week.first.day} {week.first:%b}"


def _every(count: int, room: float, widest: float) -> int:
    """Label every n-th of ``count`` slots ``room`` wide so that labels ``widest`` wide fit."""
    return max(1, math.ceil(widest / max(room, 1.0)))


def _pain_chart(chart: PainChart) -> str:
    caption = f"<figcaption>{text(chart.title)}</figcaption>"
    if chart.message is not None:
        return f"<figure>{caption}<p>{text(chart.message)}</p></figure>"
    height, top_y, bottom_y = 300.0, 10.0, 250.0
    right = WIDTH - RIGHT
    count = len(chart.days)
    step = (right - LEFT) / count

    def x(i: int) -> float:
        return LEFT + (i + 0.5) * step

    def y(value: float) -> float:
        return bottom_y - (bottom_y - top_y) * value / 10

    out = [_svg_open(height, chart.title)]
    out += _y_axis([0, 2, 4, 6, 8, 10], 10, top_y, bottom_y, "pain, 0-10", right)
    # A line at the start of each week, labelled with its first day (thinned to fit).
    index = {day: i for i, day in enumerate(chart.days)}
    starts = [w for w in chart.weeks if w.first in index]
    each = _every(len(starts), 7 * step, 52)
    for n, week in enumerate(starts):
        if n % each:
            continue
        edge = LEFT + index[week.first] * step
        out.append(
            f'<line x1="{_n(edge)}" y1="{_n(top_y)}" x2="{_n(edge)}" y2="{_n(bottom_y)}" '
            f'stroke="{GRID}" stroke-width="0.7"/>'
        )
        out.append(_svg_text(edge, bottom_y + 16, _week_label(week)))
    out.append(
        f'<rect x="{LEFT}" y="{_n(top_y)}" width="{_n(right - LEFT)}" '
        f'height="{_n(bottom_y - top_y)}" fill="none" stroke="#000" stroke-width="1"/>'
    )
    out.append(_svg_text((LEFT + right) / 2, bottom_y + 36, _x_title(chart.weeks)))
    out += _event_rules(chart, index, x, top_y, bottom_y)
    for n, metric in enumerate(chart.daily):
        colour = COLOURS[n % 2]
        dash = f' stroke-dasharray="{DASHES[n % 2]}"' if DASHES[n % 2] else ""
        for run in _runs(chart.means[metric]):
            points = " ".join(f"{_n(x(i))},{_n(y(v))}" for i, v in run)
            if len(run) == 1:
                i, v = run[0]
                out.append(f'<circle cx="{_n(x(i))}" cy="{_n(y(v))}" r="1.8" fill="{colour}"/>')
            else:
                out.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.2"{dash}/>'
                )
        radius = max(1.5, min(3.5, step / 3))
        for i, value in enumerate(chart.daily[metric]):
            if value is None:
                continue
            out.append(_marker(n, x(i), y(value), radius, colour))
    out.append("</svg>")
    legend = []
    for n, metric in enumerate(chart.daily):
        name = METRIC_INFO[metric].label
        legend.append(
            f"<li>{_swatch_marker(n)} {text(name)}: each day's rating</li>"
            f"<li>{_swatch_line(n)} {text(name)}: 7-day mean (needs 4 rated days)</li>"
        )
    if chart.events:
        legend.append(f"<li>{_swatch_rule()} an event (the Events section lists them)</li>")
    return (
        f"<figure>{caption}\n"
        + "\n".join(out)
        + '\n<ul class="legend">'
        + "".join(legend)
        + ("</ul></figure>")
    )


EVENT_RULE = "#555"


def _event_rules(
    chart: PainChart,
    index: dict[date, int],
    x: Callable[[int], float],
    top_y: float,
    bottom_y: float,
) -> list[str]:
    """A dashed vertical rule on each event's day, labelled in a word ("flare") at the top;
    a label that would touch the one before it goes one line lower."""
    out: list[str] = []
    last_right: list[float] = []  # per label line, where its last label ends
    for day, label in sorted(chart.events):
        if day not in index:
            continue
        at = x(index[day])
        out.append(
            f'<line x1="{_n(at)}" y1="{_n(top_y)}" x2="{_n(at)}" y2="{_n(bottom_y)}" '
            f'stroke="{EVENT_RULE}" stroke-width="1" stroke-dasharray="4 3"/>'
        )
        width = 0.6 * (FONT - 2) * len(label)
        line = next((i for i, end in enumerate(last_right) if end < at), len(last_right))
        if line == len(last_right):
            last_right.append(0.0)
        last_right[line] = at + width + 6
        out.append(
            f'<text x="{_n(at + 3)}" y="{_n(top_y + 12 + 12 * line)}" font-size="{FONT - 2}" '
            f'text-anchor="start" fill="{EVENT_RULE}" stroke="#fff" stroke-width="3" '
            f'paint-order="stroke">{text(label)}</text>'
        )
    return out


def _x_title(weeks: Sequence[Week]) -> str:
    first = weeks[0].first if weeks else None
    return "week starting" if first is None else f"date (weeks start on a {first:%A})"


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """Runs of consecutive known values: a mean line is not drawn across a gap."""
    runs: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for i, value in enumerate(values):
        if value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((i, value))
    if current:
        runs.append(current)
    return runs


def _marker(n: int, cx: float, cy: float, r: float, colour: str) -> str:
    if n % 2 == 0:
        return f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" fill="{colour}"/>'
    side = 2 * r
    return (
        f'<rect x="{_n(cx - r)}" y="{_n(cy - r)}" width="{_n(side)}" height="{_n(side)}" '
        f'fill="#fff" stroke="{colour}" stroke-width="1.4"/>'
    )


def _swatch_marker(n: int) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 10" aria-hidden="true">'
        + _marker(n, 12, 5, 3.5, COLOURS[n % 2])
        + "</svg>"
    )


def _swatch_line(n: int) -> str:
    dash = f' stroke-dasharray="{DASHES[n % 2]}"' if DASHES[n % 2] else ""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 10" aria-hidden="true">'
        f'<line x1="0" y1="5" x2="24" y2="5" stroke="{COLOURS[n % 2]}" stroke-width="2.2"'
        f"{dash}/></svg>"
    )


def _swatch_rule() -> str:
    return (
        '<svg width="22" height="12" aria-hidden="true">'
        f'<line x1="11" y1="0" x2="11" y2="12" stroke="{EVENT_RULE}" stroke-width="1" '
        'stroke-dasharray="4 3"/></svg>'
    )


def _swatch_bar(n: int) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 10" aria-hidden="true">'
        f'<rect x="6" y="0" width="12" height="10" fill="{BAR_FILLS[n % 2]}" stroke="#000" '
        'stroke-width="0.8"/></svg>'
    )


def _nice_top(biggest: float) -> tuple[float, list[float]]:
    """A round top for a bar axis and 3 to 6 ticks up to it."""
    if biggest <= 0:
        return 1.0, [0.0, 1.0]
    raw = biggest / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    count = math.ceil(biggest / step - 1e-9)
    return step * count, [step * i for i in range(count + 1)]


def _bar_chart(chart: BarChart) -> str:
    caption = f"<figcaption>{text(chart.title)}</figcaption>"
    height, top_y, bottom_y = 210.0, 16.0, 160.0
    right = WIDTH - RIGHT
    biggest = max((v for s in chart.series for v in s.values), default=0.0)
    if chart.top is not None:
        top, ticks = chart.top, [float(t) for t in range(0, int(chart.top) + 1)]
    else:
        top, ticks = _nice_top(biggest)
    count = max(len(chart.weeks), 1)
    slot = (right - LEFT) / count
    group = slot * 0.7
    width = group / len(chart.series)
    out = [_svg_open(height, chart.title)]
    out += _y_axis(ticks, top, top_y, bottom_y, chart.ylabel, right)
    each = _every(count, slot, 52)
    for w, week in enumerate(chart.weeks):
        left = LEFT + w * slot + (slot - group) / 2
        for n, series in enumerate(chart.series):
            value = series.values[w]
            bar = (bottom_y - top_y) * value / top
            x0 = left + n * width
            if value > 0:
                out.append(
                    f'<rect x="{_n(x0)}" y="{_n(bottom_y - bar)}" width="{_n(width)}" '
                    f'height="{_n(bar)}" fill="{BAR_FILLS[n % 2]}" stroke="#000" '
                    'stroke-width="0.8"/>'
                )
            if count <= NUMBERED_WEEKS:
                size = FONT if width >= 22 else 11
                out.append(
                    _svg_text(x0 + width / 2, bottom_y - bar - 4, series.texts[w], size=size)
                )
        if w % each == 0:
            centre = LEFT + (w + 0.5) * slot
            out.append(_svg_text(centre, bottom_y + 16, _week_label(week)))
            if week.partial:
                days = f"{week.days} day{'s' if week.days != 1 else ''} only"
                out.append(_svg_text(centre, bottom_y + 30, days, size=11))
    out.append(
        f'<line x1="{LEFT}" y1="{_n(bottom_y)}" x2="{_n(right)}" y2="{_n(bottom_y)}" '
        'stroke="#000" stroke-width="1"/>'
    )
    out.append(_svg_text((LEFT + right) / 2, bottom_y + 46, "week starting"))
    out.append("</svg>")
    legend = ""
    if len(chart.series) > 1:
        legend = (
            '<ul class="legend">'
            + "".join(
                f"<li>{_swatch_bar(n)} {text(s.label)}</li>" for n, s in enumerate(chart.series)
            )
            + "</ul>"
        )
    return f"<figure>{caption}\n" + "\n".join(out) + f"\n{legend}</figure>"
