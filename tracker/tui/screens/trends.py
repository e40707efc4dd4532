"""Trends: the charts in tabs, a range switch, and the insights as sentences.

The tabs, their keys and the help lines about them come from the chart registry
(``charts.all_charts()``): the tabs when the screen is built, the keys and help lines when this
module is loaded (Textual reads bindings from the class), so a chart registered before that
gets both.

Charts are drawn by ``tracker.charts`` onto textual-plotext widgets. ``PlotextPlot`` rebuilds its
figure on every render; ``ChartView`` instead asks a ``ChartCache`` shared by the screen, keyed
by (chart, range, data version, size, theme), so a repaint at the same size is a look-up and a
resize re-lays out already prepared data. The screen watches ``app.data_version`` and redraws
after every new entry, ours or another process's.

Issue 14: at 80x24 the chart had 5-6 rows under the insights. The chart is what a short
terminal shows now, as tall as the screen allows; the insights (sentences with their numbers,
read once, not glanced at) take the chart's place on ``i`` or a click on the line that says how
many there are, and scroll there. A terminal of ``TALL_ROWS`` rows or more shows both. The
range labels and the tabs switch on click as on their keys; a diary with too few check-ins says
how to get a chart instead of drawing an empty frame.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Header, Label, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from tracker import analysis, charts, insights
from tracker.records import Entry
from tracker.tui.format import wrap
from tracker.tui.screens.base import TrackerScreen
from tracker.tui.widgets.footer import FitFooter
from tracker.tui.widgets.link import ActionLink


@dataclass(frozen=True)
class Range:
    key: str
    label: str
    days: int | None


RANGES: tuple[Range, ...] = (
    Range("4w", "4 weeks", 28),
    Range("12w", "12 weeks", 84),
    Range("1y", "1 year", 365),
    Range("all", "all", None),
)
DEFAULT_RANGE = "12w"
RANGE_KEYS = {"4w": "w", "12w": "t", "1y": "y", "all": "a"}
# Shows the next panel of a chart that a short window shows one panel at a time; the chart's
# last line says so ("1 of 3: press m for cycling.").
PART_KEY = "m"
# From this many rows the insights sit under the chart; below, behind the insights key.
TALL_ROWS = 30
INSIGHTS_KEY = "i"
REPORT_KEY = "R"  # r is the range; the footer shows it as "R Report"
REPORT_TOOLTIP = "Save a report for your physiotherapist (a web page to print)"
MAX_REPORT_WEEKS = 520  # as `tracker report --weeks`
# A 7-day mean line needs 4 logged days (domain.md): fewer check-ins than that make no chart.
FEW_CHECKINS = 4
CHECKIN = "checkin"


def too_few_checkins(count: int) -> str:
    """What the charts say to a diary with fewer than ``FEW_CHECKINS`` check-ins."""
    have = "none yet" if count == 0 else f"{count} so far"
    return (
        "Charts need a few days of check-ins: press 1 for Today, then s each evening to rate "
        f"your knee and back pain ({have}). The lines start after {FEW_CHECKINS} days; "
        "the insights need two weeks."
    )


class ChartView(PlotextPlot):
    """One chart, drawn from the screen's cache instead of rebuilt on every render."""

    def __init__(self, chart: str, source: Callable[[], ChartRequest | None], **kwargs: Any):
        super().__init__(**kwargs)
        self.chart = chart
        self._source = source
        self._last: tuple[Any, ...] | None = None
        self._last_text = Text()
        # The panel shown when the window is too short for all of them (volume, response).
        self.part = 0

    @property
    def colour(self) -> bool:
        """False under NO_COLOR: Textual greys its own colours then, and the chart drops its
        colours altogether (its markers tell the series apart)."""
        return not self.app.no_color and charts.color_wanted(True, os.environ)

    def render(self) -> RenderResult:
        request = self._source()
        width, height = self.size.width, self.size.height
        if request is None:
            return Text("Loading your entries…")
        if width < 20 or height < 8:
            return Text("Too small to draw a chart: make the window larger.")
        note: list[str] = []
        if request.checkins < FEW_CHECKINS:
            note = [*wrap(too_few_checkins(request.checkins), width), ""]
            data = request.cache.data(
                self.chart,
                request.entries,
                until=request.until,
                days=request.days,
                version=request.version,
                week_start=request.week_start,
            )
            if data.message is not None or height - len(note) < 8:
                # Nothing to draw (or no room left): say how to get something.
                return Text("\n".join([*note, data.message or ""]))
            height -= len(note)  # the note above the chart, the chart under it
        theme = self._get_plotext_theme_name(self.app.theme)
        palette = _palette(self.app.theme_variables)
        colour = self.colour
        key = (
            request.version,
            request.days,
            request.until,
            width,
            height,
            theme,
            palette,
            colour,
            self.part,
            len(note),
        )
        if key != self._last:
            drawn = request.cache.text(
                self.chart,
                request.entries,
                until=request.until,
                days=request.days,
                version=request.version,
                week_start=request.week_start,
                width=width,
                height=height,
                theme=theme,
                color=colour,
                palette=palette,
                part=self.part,
                switch_key=PART_KEY,
            )
            # Parsing the colour codes costs as much as a cache hit saves: keep the result.
            text = Text.from_ansi(drawn, no_wrap=True)
            if note:
                text = Text("\n".join(note) + "\n", no_wrap=True) + text
            self._last, self._last_text = key, text
        return self._last_text


def _palette(variables: dict[str, str]) -> tuple[charts.Color, ...]:
    """Series colours from the app's theme: primary, warning, success."""
    colours = []
    for name, fallback in zip(
        ("primary", "warning", "success"), charts.DEFAULT_PALETTE, strict=True
    ):
        try:
            colours.append(Color.parse(variables[name]).rgb)
        except (KeyError, ValueError, TypeError):
            colours.append(fallback)  # type: ignore[arg-type]
    return tuple(colours)


def _chart_keys_note() -> tuple[str, str]:
    """("p c v d n", "Pain, clicking, volume, days logged, next-day response"): the help line
    of the chart keys, from the registry."""
    every = charts.all_charts()
    titles = ", ".join(chart.title.lower() for chart in every)
    return " ".join(chart.key for chart in every), titles[:1].upper() + titles[1:]


def _part_key_note() -> tuple[str, str]:
    paged = " or ".join(chart.name for chart in charts.all_charts() if chart.paged)
    return PART_KEY, f"Next panel, when a short window shows {paged} one at a time"


@dataclass(frozen=True)
class ChartRequest:
    """What a chart view needs from the screen: the entries (read lazily) and the range."""

    cache: charts.ChartCache
    entries: Callable[[], list[Entry]]
    until: date
    days: int | None
    version: int
    checkins: int
    week_start: int = 0  # 0 = Monday .. 6 = Sunday: where weekly bars begin


class TrendsScreen(TrackerScreen[None]):
    """Charts of pain, clicking, volume, adherence and next-day response, with insights."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "next_range", "Range", id="next-range"),
        Binding(RANGE_KEYS["4w"], "set_range('4w')", "4 weeks", id="range-4-weeks", show=False),
        Binding(RANGE_KEYS["12w"], "set_range('12w')", "12 weeks", id="range-12-weeks", show=False),
        Binding(RANGE_KEYS["1y"], "set_range('1y')", "1 year", id="range-1-year", show=False),
        Binding(RANGE_KEYS["all"], "set_range('all')", "All history", id="range-all", show=False),
        *(
            Binding(
                chart.key,
                f"show_chart('{chart.name}')",
                chart.description,
                id=f"chart-{chart.name}",
                show=False,
            )
            for chart in charts.all_charts()
        ),
        Binding("left", "step_chart(-1)", "Previous chart", id="previous-chart"),
        Binding("right", "step_chart(1)", "Next chart", id="next-chart"),
        Binding(PART_KEY, "next_part", "Next panel", id="next-panel", show=False),
        Binding(INSIGHTS_KEY, "toggle_insights", "Insights", id="toggle-insights"),
        Binding(REPORT_KEY, "report", "Report", id="make-report", tooltip=REPORT_TOOLTIP),
    ]
    HELP_NOTES: ClassVar[tuple[tuple[str, str], ...]] = (
        ("r / w t y a", "Range: next / 4 weeks, 12 weeks, 1 year, all"),
        ("left / right", "Previous / next chart"),
        _chart_keys_note(),
        _part_key_note(),
        (REPORT_KEY, "Report for your physiotherapist: a page to print, for the range shown"),
    )
    VERTICAL_BREAKPOINTS = [(0, "-short"), (TALL_ROWS, "-tall")]  # noqa: RUF012 (Textual's)

    range_key: reactive[str] = reactive(DEFAULT_RANGE, init=False)

    def __init__(self) -> None:
        super().__init__()
        self.cache = charts.ChartCache()
        self._entries: list[Entry] = []
        self._entries_version = -1
        self._checkins = 0
        self._insight_count = 0

    @property
    def range(self) -> Range:
        return next(r for r in RANGES if r.key == self.range_key)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="trends-range"):
            yield Label("Range (r)", id="range-label")
            for item in RANGES:
                yield ActionLink(
                    item.label,
                    f"set_range('{item.key}')",
                    tooltip=f"Key: {RANGE_KEYS[item.key]}",
                    id=f"range-{item.key}",
                )
        with TabbedContent(id="trends-tabs"):
            for chart in charts.all_charts():
                with TabPane(chart.title, id=f"tab-{chart.name}"):
                    yield ChartView(chart.name, self._request, id=f"chart-{chart.name}")
        yield ActionLink("", "toggle_insights", id="trends-insights-link")
        with VerticalScroll(id="trends-insights"):
            yield Static(id="trends-insight-text")
        yield FitFooter()

    def on_mount(self) -> None:
        self.sub_title = "Trends"
        self.watch(self.app, "data_version", self._on_data_changed, init=False)
        self._show_range()
        self._show_insights()

    # ------------------------------------------------------------------ data

    def entries(self) -> list[Entry]:
        """Every entry, read from the store once per data version."""
        version = self.tracker.data_version
        if version != self._entries_version:
            self._entries = self.tracker.store.entries()
            self._entries_version = version
            self._checkins = sum(entry["kind"] == CHECKIN for entry in self._entries)
        return self._entries

    @property
    def checkins(self) -> int:
        """How many check-ins the diary holds (one a day)."""
        self.entries()
        return self._checkins

    def _request(self) -> ChartRequest | None:
        if not self.tracker.loaded:
            return None
        return ChartRequest(
            self.cache,
            self.entries,
            self.tracker.today,
            self.range.days,
            self.tracker.data_version,
            self.checkins,
            self.tracker.settings.week_start_index,
        )

    def _on_data_changed(self, _version: int) -> None:
        self._redraw()

    def watch_range_key(self, _key: str) -> None:
        self._show_range()
        self._redraw()

    def _redraw(self) -> None:
        for view in self.query(ChartView):
            view.refresh()
        self._show_insights()

    # ------------------------------------------------------------------ text

    def _show_range(self) -> None:
        for item in RANGES:
            self.query_one(f"#range-{item.key}", ActionLink).set_class(
                item.key == self.range_key, "-active"
            )

    def insight_lines(self) -> list[str]:
        """The insights of the range as plain sentences with their numbers."""
        if not self.tracker.loaded:
            return ["Loading your entries…"]
        entries = self.entries()
        today = self.tracker.today
        days = self.range.days
        if days is None:
            first = analysis.first_day(entries[:1]) or today
            days = (today - first).days + 1
        if self.checkins < FEW_CHECKINS:
            return [
                "Nothing to compare yet: the insights appear after two weeks of check-ins "
                "(press 1 for Today, then s each evening)."
            ]
        result = insights.insights(entries, until=today, days=max(days, 1))
        return insights.insight_sentences(result)

    def _show_insights(self) -> None:
        lines = self.insight_lines()
        self._insight_count = len([line for line in lines if not line.startswith("  ")])
        text = "\n".join(
            f"    {line.strip()}" if line.startswith("  ") else f"• {line}" for line in lines
        )
        # Content, not markup: the sentences are ours, but brackets in them must stay text.
        self.query_one("#trends-insight-text", Static).update(Content(text))
        self._show_insights_link()

    def _show_insights_link(self) -> None:
        link = self.query_one("#trends-insights-link", ActionLink)
        if self.has_class("-insights"):
            link.update(f"◂ Back to the chart ({INSIGHTS_KEY})")
            return
        count = self._insight_count
        noun = "sentence" if count == 1 else "sentences"
        link.update(f"▸ Insights: {count} {noun} about this range ({INSIGHTS_KEY} to read them)")

    # ------------------------------------------------------------------ actions

    def action_report(self) -> None:
        """Save the report for the weeks of the range shown (all history: since the start)."""
        from tracker.tui.report_action import make_report

        days = self.range.days
        if days is None:
            first = analysis.first_day(self.entries()[:1]) or self.tracker.today
            days = (self.tracker.today - first).days + 1
        make_report(self.tracker, weeks=min(max(-(-days // 7), 1), MAX_REPORT_WEEKS))

    def action_toggle_insights(self) -> None:
        """The insights in the chart's place, or the chart back."""
        self.toggle_class("-insights")
        self._show_insights_link()
        if self.has_class("-insights"):
            self.query_one("#trends-insights", VerticalScroll).focus()

    def action_next_range(self) -> None:
        keys = [r.key for r in RANGES]
        self.range_key = keys[(keys.index(self.range_key) + 1) % len(keys)]

    def action_set_range(self, key: str) -> None:
        self.range_key = key

    def action_show_chart(self, name: str) -> None:
        self.query_one("#trends-tabs", TabbedContent).active = f"tab-{name}"

    def action_next_part(self) -> None:
        view = self.query_one(f"#chart-{self.active_chart}", ChartView)
        view.part += 1
        view.refresh()

    def action_step_chart(self, step: int) -> None:
        tabs = self.query_one("#trends-tabs", TabbedContent)
        names = [f"tab-{name}" for name in charts.CHART_NAMES]
        current = names.index(tabs.active) if tabs.active in names else 0
        tabs.active = names[(current + step) % len(names)]

    @property
    def active_chart(self) -> str:
        return self.query_one("#trends-tabs", TabbedContent).active.removeprefix("tab-")
