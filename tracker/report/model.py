"""The report's model: the blocks a section is made of, which the Markdown and the HTML
renderers write out. Plain data; ``content`` and ``programme`` build it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from tracker.numbers import plain
from tracker.records import Entry


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Week:
    """One calendar week of the period: ``first`` is its ``week_start`` day (possibly before
    the period), ``start``..``end`` the days of it inside the period."""

    first: date
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def partial(self) -> bool:
        return self.days < 7

    @property
    def label(self) -> str:
        """ "2026-11-02", or "2026-11-02 (partial week: 8 Nov only)" for a partial week."""
        if not self.partial:
            return self.first.isoformat()
        return f"{self.first.isoformat()} (partial week: {self.days_words})"

    @property
    def days_words(self) -> str:
        """ "8 Nov only", "16-21 Nov", "29 Oct - 1 Nov": the days of the week in the period."""
        if self.start == self.end:
            return f"{self.start.day} {self.start:%b} only"
        if self.start.month == self.end.month:
            return f"{self.start.day}-{self.end.day} {self.end:%b}"
        return f"{self.start.day} {self.start:%b} - {self.end.day} {self.end:%b}"


@dataclass(frozen=True)
class PainChart:
    """Knee and back pain, each day's rating and the 7-day mean, over the period."""

    title: str
    days: tuple[date, ...]
    daily: dict[str, tuple[float | None, ...]]  # per metric, one value per day of ``days``
    means: dict[str, tuple[float | None, ...]]  # the 7-day means (4 logged days needed)
    weeks: tuple[Week, ...]
    message: str | None  # why there is no chart
    # What the plotext chart of the Markdown form is drawn from.
    entries: list[Entry] = field(compare=False, repr=False)
    until: date = field(compare=False)
    # The events of the period, as the terminal chart marks them: (day, "flare") ...
    events: tuple[tuple[date, str], ...] = ()


@dataclass(frozen=True)
class BarSeries:
    label: str
    values: tuple[float, ...]  # one per week
    texts: tuple[str, ...]  # each bar's number as written above it


@dataclass(frozen=True)
class BarChart:
    """Bars per calendar week, one series or two side by side (the tables carry the numbers:
    the Markdown form leaves these out)."""

    title: str
    ylabel: str
    weeks: tuple[Week, ...]
    series: tuple[BarSeries, ...]
    top: float | None = None  # a fixed top of the y axis (7 days), else from the values

    @classmethod
    def of_counts(
        cls,
        title: str,
        ylabel: str,
        weeks: Sequence[Week],
        series: Sequence[tuple[str, Sequence[float]]],
        top: float | None = None,
    ) -> BarChart:
        """Bars of whole counts (days, sessions), each written as a plain number above it."""
        return cls(
            title,
            ylabel,
            tuple(weeks),
            tuple(
                BarSeries(label, tuple(values), tuple(plain(v) for v in values))
                for label, values in series
            ),
            top,
        )


@dataclass(frozen=True)
class Note:
    day: date
    entry: str  # "Tempo lunges: 3x10 both, tempo 3-1-3-0"
    text: str  # as typed (escaped by the renderer)


@dataclass(frozen=True)
class Notes:
    rows: tuple[Note, ...]


Block = Paragraph | Table | PainChart | BarChart | Notes


@dataclass(frozen=True)
class Section:
    key: str  # an id for the HTML and the tests: "summary", "diary", "notes" ...
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Report:
    title: str  # "Progress report: 8 Nov 2026 to 21 Nov 2026"
    period: str  # the line below the title
    start: date
    until: date
    weeks: int
    week_start: int
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)
