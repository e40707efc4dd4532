"""One ``ChartDef`` per chart, and the two stages that dispatch through them.

Every face reads the registry: ``tracker chart NAME`` (its choices and help), the Trends
screen (a tab, a key and its help line per chart), ``prepare`` and ``layout``. A new chart is
one module that builds a ``ChartDef`` and calls ``register`` (docs/architecture.md, "Adding a
chart"); nothing else enumerates charts. The registry keeps registration order, which is the
order of the tabs.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import replace
from datetime import date
from typing import NamedTuple

from tracker.charts.common import ChartData, ChartSpec, Panel, Span, Window, fit, plot_columns
from tracker.records import Entry
from tracker.registry import Registry


class ChartDef(NamedTuple):
    """One chart: its names, its key, and its first two stages."""

    name: str  # `tracker chart NAME`, the tab's id
    title: str  # the Trends tab: "Days logged"
    key: str  # the Trends screen's key for the tab
    description: str  # that key in the footer, the help screen and the palette
    # The day-by-day figures of the range (cached by data version and range).
    prepare: Callable[[Span], ChartData]
    # Those figures as panels for a window (pure data; the plotext stage draws it).
    layout: Callable[[ChartData, Window], ChartSpec]
    # A short window shows one panel at a time (``Window.part``) and says how to see the next.
    paged: bool = False
    # ``prepare`` gets every plan entry up to the range's end (``Span.plans``), not only the
    # range's: the command line reads them for it (``cmd_chart``).
    reads_plans: bool = False


_REGISTRY: Registry[ChartDef] = Registry("chart")
# Add a chart to every face (a new lower-case name, an unused key); remove one (a test's);
# the chart named so (KeyError for an unknown one); all of them, in the order of the tabs.
register = _REGISTRY.register
unregister = _REGISTRY.unregister
chart_def = _REGISTRY.__getitem__
all_charts = _REGISTRY.values

# The registered charts' names, read when used: a chart registered later shows up in every
# loop and choice list over them.
CHART_NAMES: Collection[str] = _REGISTRY


# ---------------------------------------------------------------- the stages by name


def prepare(
    name: str,
    entries: Iterable[Entry],
    *,
    until: date,
    days: int | None,
    week_start: int = 0,
) -> ChartData:
    """The figures chart ``name`` needs for the ``days`` ending on ``until`` (None: all), with
    weeks beginning on ``week_start`` (0 = Monday .. 6 = Sunday: ``Settings.week_start_index``)."""
    chart = _REGISTRY.get(name)
    if chart is None:
        raise ValueError(f"chart must be one of {', '.join(CHART_NAMES)}, got {name!r}")
    plans: tuple[Entry, ...] = ()
    if chart.reads_plans:
        entries = entries if isinstance(entries, list) else list(entries)
        last = until.isoformat()
        plans = tuple(e for e in entries if e["kind"] == "plan" and e["date"] <= last)
    span = Span.of(name, entries, until=until, days=days, week_start=week_start, plans=plans)
    return chart.prepare(span)


def layout(
    data: ChartData, width: int, height: int, *, part: int = 0, switch_key: str | None = None
) -> ChartSpec:
    """The chart's panels at ``width`` x ``height``, grouped to fit the plot's columns.

    A window too short for every panel of a paged chart (volume, response) shows one, number
    ``part`` (counted round), with a footnote naming the others: with ``switch_key`` (the app)
    it says which key shows the next, without it (the command line) what height shows them all.
    """
    if data.message is not None:
        return ChartSpec(data.name, message=data.message, columns=plot_columns(width))
    spec = chart_def(data.name).layout(data, Window(width, height, part, switch_key))
    panel_width = width // spec.shape[1]
    panels = tuple(
        replace(p, title=fit(p.title, _title_room(p, panel_width), p.short_title))
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
