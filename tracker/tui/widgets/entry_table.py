"""A table of entries that draws only the rows on screen.

Ten years of entries are about 18,000 rows; a ``DataTable`` builds and measures every row up
front. This widget keeps the list of entries and formats a row only when it is drawn (the Line
API), so opening History and moving the cursor cost the same for a week or for a decade.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tracker.kinds import kind_of
from tracker.records import Entry
from tracker.tui.format import one_line, shorten, table_figures, wrap
from tracker.units import DistanceUnit

DATE_WIDTH = 10
KIND_WIDTH = 8  # the kinds' short labels: "Check-in", "Rotation"
GAP = 2


FIGURE_BREAKS = (", ", " ")  # between two figures, else between two words


def fit(text: str, width: int, boundaries: tuple[str, ...] = (" ",)) -> str:
    """``text`` in exactly ``width`` cells; a longer text ends at a boundary with "…".

    A cut mid-word ("effort 5, pa") reads as a different figure; a cut after the last whole
    figure (``boundaries=(", ", " ")``) or word, with an ellipsis, says that more follows.
    """
    return set_cell_size(shorten(text, width, boundaries), width)


class EntryTable(ScrollView, can_focus=True):
    """Date, kind, key figures and notes of each entry; one row each, newest first."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "entry-table--header",
        "entry-table--cursor",
        "entry-table--empty",
    }

    DEFAULT_CSS = """
    EntryTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        overflow-x: hidden;
    }
    EntryTable > .entry-table--header {
        text-style: bold;
        color: $text-primary;
        background: $panel;
    }
    EntryTable > .entry-table--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    EntryTable:focus > .entry-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    EntryTable > .entry-table--empty {
        color: $text-muted;
        text-style: italic;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "first", "First row", show=False),
        Binding("end", "last", "Last row", show=False),
    ]

    cursor: reactive[int] = reactive(0, init=False)

    @dataclass
    class Highlighted(Message):
        """The cursor moved onto ``entry`` (None when the table is empty)."""

        table: EntryTable
        entry: Entry | None

        @property
        def control(self) -> EntryTable:
            return self.table

    def __init__(
        self, *, empty_text: str = "No entries.", id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: Sequence[Entry] = ()
        self.empty_text = empty_text

    # ------------------------------------------------------------------ data

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def selected(self) -> Entry | None:
        if 0 <= self.cursor < len(self._rows):
            return self._rows[self.cursor]
        return None

    def set_rows(self, rows: Sequence[Entry], *, keep_id: str | None = None) -> None:
        """Show ``rows``; the cursor stays on the entry ``keep_id`` when it is still there."""
        self._rows = rows
        index = min(self.cursor, max(len(rows) - 1, 0))
        if keep_id is not None:
            for position, entry in enumerate(rows):
                if entry["id"] == keep_id:
                    index = position
                    break
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        self.set_reactive(EntryTable.cursor, index)
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.selected))

    # ------------------------------------------------------------------ cursor

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.selected))

    def _visible_rows(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        visible = self._visible_rows()
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def _move_to(self, index: int) -> None:
        if self._rows:
            self.cursor = max(0, min(index, len(self._rows) - 1))

    def action_cursor(self, step: int) -> None:
        self._move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self._move_to(self.cursor + step * self._visible_rows())

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self._rows) - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        self._move_to(round(self.scroll_y) + offset.y - 1)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._rows) + 1)
        self._scroll_to_cursor()

    # ------------------------------------------------------------------ drawing

    def _columns(self, width: int) -> tuple[int, int]:
        """Widths of the key-figures and notes columns for a table ``width`` cells wide."""
        rest = max(width - 1 - DATE_WIDTH - KIND_WIDTH - 3 * GAP, 0)
        notes = max(rest // 4, 12)
        return max(rest - notes, 0), notes

    def _cells(self, date_text: str, kind: str, figures: str, notes: str, width: int) -> str:
        figures_width, notes_width = self._columns(width)
        gap = " " * GAP
        if notes:
            figures_and_notes = (
                fit(figures, figures_width, FIGURE_BREAKS) + gap + fit(notes, notes_width)
            )
        else:  # a row without notes lends their room to its figures
            figures_and_notes = fit(figures, figures_width + GAP + notes_width, FIGURE_BREAKS)
        text = (
            " "
            + set_cell_size(date_text, DATE_WIDTH)
            + gap
            + set_cell_size(kind, KIND_WIDTH)
            + gap
            + figures_and_notes
        )
        return set_cell_size(text, width)

    def _distance(self) -> DistanceUnit:
        """km or miles, as the user's settings say (km in an app without settings)."""
        settings = getattr(self.app, "settings", None)
        return settings.distance if settings is not None else "km"

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("entry-table--header")
            text = self._cells("Date", "Kind", "Key figures", "Notes", width)
            return Strip([Segment(text, style)], width)
        index = round(self.scroll_y) + y - 1
        if not self._rows:
            # What to do instead of an empty frame, wrapped at words under the header.
            lines = wrap(self.empty_text, max(width - 2, 1))
            if 1 <= y <= len(lines):
                style = base + self.get_component_rich_style("entry-table--empty")
                return Strip([Segment(set_cell_size(" " + lines[y - 1], width), style)], width)
            return Strip.blank(width, base)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        entry = self._rows[index]
        text = self._cells(
            entry["date"],
            kind_of(entry["kind"]).short_label,
            table_figures(entry, self._distance()),
            one_line(entry.get("notes") or ""),
            width,
        )
        row_style: Style = base
        if index == self.cursor:
            row_style = base + self.get_component_rich_style("entry-table--cursor")
        return Strip([Segment(text, row_style)], width)
