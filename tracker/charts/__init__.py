"""The trend charts, built with plotext (no Textual): one module per chart, and a registry.

A chart is made in three steps so that each can be cached on its own:

1. ``prepare(name, entries, until=, days=)`` -> ``ChartData``: the day-by-day figures of the
   range (size-independent; cache it by data version and range); ``days_needed(until, days)``
   says which days' entries that reads.
2. ``layout(data, width, height)`` -> ``ChartSpec``: the series, grouped into days, weeks,
   months, quarters or years so that no series has more points than the plot has columns, with
   titles, axis labels, ticks and legends (pure data, what tests look at).
3. ``draw_spec(plt, spec)``: the plotext calls, onto a plotext figure or
   ``textual_plotext.PlotextPlot.plt``; ``build_text(spec, ...)`` the same as text.

``render()`` does all three and returns text; ``ChartCache`` keeps prepared data and built
text for the TUI and the benchmark. A range without anything to draw gives a sentence
(``ChartSpec.message``) instead of an empty frame.

The modules:

- ``common``: what every chart is built from (ChartData, Span, Window, Series, Panel,
  ChartSpec, buckets, ticks, bar numbers, stacked panels);
- ``registry``: ``ChartDef``, ``register``, ``CHART_NAMES``, and steps 1 and 2 by name;
- ``symptoms`` (pain, clicking), ``volume``, ``adherence``, ``response``: one chart each, its
  prepare and layout, registered in the order of the Trends tabs;
- ``draw``: step 3, plotext;
- here: ``render`` and ``ChartCache``, which call the stages by the names of this package,
  so that a wrapper put on ``charts.prepare`` or ``charts.build_text`` (a test's counter, a
  profiler) sees every call.

Adding a chart: docs/architecture.md.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from tracker.charts.common import (
    MIN_BAR_ROWS,
    ChartData,
    ChartSpec,
    Note,
    Panel,
    Series,
    Span,
    Window,
    bucket_bounds,
    days_needed,
)
from tracker.charts.draw import (
    DEFAULT_PALETTE,
    Color,
    build_text,
    color_wanted,
    draw_spec,
)
from tracker.charts.registry import (
    CHART_NAMES,
    ChartDef,
    all_charts,
    chart_def,
    layout,
    prepare,
    register,
    unregister,
)
from tracker.numbers import one_decimal
from tracker.records import Entry

__all__ = [
    "CHART_NAMES",
    "DEFAULT_PALETTE",
    "MIN_BAR_ROWS",
    "ChartCache",
    "ChartData",
    "ChartDef",
    "ChartSpec",
    "Color",
    "Note",
    "Panel",
    "Series",
    "Span",
    "Window",
    "all_charts",
    "bucket_bounds",
    "build_text",
    "chart_def",
    "color_wanted",
    "days_needed",
    "draw_spec",
    "layout",
    "one_decimal",
    "prepare",
    "register",
    "render",
    "unregister",
]


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
    week_start: int = 0,
) -> str:
    """Chart ``name`` for the ``days`` ending on ``until`` (None: all history), as text.

    ``color``: ANSI colours (the command line: ``color_wanted(stdout is a tty, os.environ)``);
    ``part``: which panel a window too short for all of them shows (see ``layout``);
    ``week_start``: the first day of a week, 0 = Monday .. 6 = Sunday
    (``Settings.week_start_index``)."""
    data = prepare(name, entries, until=until, days=days, week_start=week_start)
    spec = layout(data, width, height, part=part)
    return build_text(spec, width, height, color=color)


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
        entries: Iterable[Entry] | Callable[[], Iterable[Entry]],
        *,
        until: date,
        days: int | None,
        version: int,
        week_start: int = 0,
    ) -> ChartData:
        """``entries`` may be a callable returning them, called only on a cache miss."""
        key = (name, until, days, version, week_start)
        found = self._data.get(key)
        if found is None:
            rows = entries() if callable(entries) else entries
            found = prepare(name, rows, until=until, days=days, week_start=week_start)
            self._store(self._data, key, found)
        return found

    def text(
        self,
        name: str,
        entries: Iterable[Entry] | Callable[[], Iterable[Entry]],
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
        week_start: int = 0,
    ) -> str:
        key = (
            name,
            until,
            days,
            version,
            week_start,
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
            data = self.data(
                name, entries, until=until, days=days, version=version, week_start=week_start
            )
            spec = layout(data, width, height, part=part, switch_key=switch_key)
            found = build_text(spec, width, height, color=color, theme=theme, palette=palette)
            self._store(self._text, key, found)
        return found

    def _store(self, table: dict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any) -> None:
        if len(table) >= self._limit:
            table.pop(next(iter(table)))
        table[key] = value


# The built-in charts register themselves as they load, in the order of the Trends tabs.
BUILTIN_MODULES = ("symptoms", "volume", "adherence", "response", "progression", "questionnaires")

for _module in BUILTIN_MODULES:
    importlib.import_module(f"tracker.charts.{_module}")
