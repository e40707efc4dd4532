"""The plotext stage: a ``ChartSpec`` drawn onto a plotext figure, and built as text.

plotext is imported here only, inside the functions that draw: a command that prepares or lays
out a chart without drawing it does not pay for plotext's import (32 ms, measured).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any, assert_never

from tracker.charts.common import ChartSpec, Panel, fit
from tracker.text import printable

Color = str | tuple[int, int, int]
# Blue, orange, green: told apart by most colour-blind readers; markers differ as well so that
# the charts also read without colour (pipes, the report).
DEFAULT_PALETTE: tuple[Color, Color, Color] = ((0, 130, 200), (230, 120, 30), (60, 170, 75))


def color_wanted(is_tty: bool, environ: Mapping[str, str]) -> bool:
    """Whether a face should draw a chart in colour: only on a terminal, and not when the
    ``NO_COLOR`` variable is set and not empty (https://no-color.org) or ``TERM`` is ``dumb``.

    The command line passes ``sys.stdout.isatty()`` and ``os.environ``; the result is
    ``render(color=...)``. Without colour the bars and points still differ by their markers.
    """
    return is_tty and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"


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
        match series.style:
            case "points":
                plt.scatter(series.x, series.y, marker=series.marker, color=color, label=label)
            case "line":
                plt.plot(series.x, series.y, marker=series.marker, color=color, label=label)
            case "bars":
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
            case _:
                assert_never(series.style)
    for rule in panel.rules:
        # A dimmed rule under the data, its label at the top just right of it (plotext's
        # vline and text; issue 11: events on the pain chart).
        plt.vline(rule.x, color="gray")
        if rule.label:
            plt.text(printable(rule.label), rule.x, rule.y, color="default", alignment="left")
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
        lines.append(fit(printable(spec.footnote), width))
    return "\n".join(lines)
