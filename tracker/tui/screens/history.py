"""History: every entry, newest first, filtered by kind and dates; edit and delete from here.

The table draws only visible rows (``EntryTable``), so ten years (~18,000 entries) scroll as
smoothly as a week. Filtering is a pass over the in-memory list on each change of the filter.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Header, Input, Label, Static

from tracker.kinds import all_kinds
from tracker.records import Entry, ValidationError, parse_date
from tracker.tui.screens.base import TrackerScreen, field_keys
from tracker.tui.widgets.choice import ChoicePicker
from tracker.tui.widgets.entry_table import EntryTable
from tracker.tui.widgets.footer import FitFooter

ALL_KINDS = ""


class HistoryScreen(TrackerScreen[None]):
    """A table of every entry with a filter row above it."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 (see EntryForm)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", id="edit"),
        Binding("d", "delete", "Delete", id="delete"),
        # Priority, and the focus moved at once (set_focus, not focus(), which waits a turn):
        # "f", tab and a date typed in one go land in the date field. No filter field takes
        # an "f" as text (dates are digits; no kind starts with f).
        Binding("f", "focus_filter", "Filter", id="filter", priority=True),
        Binding("k", "next_kind", "Next kind", id="next-kind", show=False),
        Binding("x", "clear_filter", "Clear filter", id="clear-filter", show=False),
        Binding("escape", "focus_table", "Back to the table", id="focus-table", show=False),
        # As in the forms: a date typed right after tab (a fast typist, a paste) lands in the
        # next field, not the last. No description: help lists the filter fields in a note.
        *field_keys("filter-field", described=False),
    ]
    HELP_NOTES = (
        ("up / down, page up / down", "Move through the table"),
        ("home / end", "Newest / oldest entry"),
        ("tab", "Filter fields: kind (up/down), from, to (YYYY-MM-DD)"),
    )

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="history-filter"):
            yield Label("Kind", classes="filter-label")
            # The table's short kind names ("Rotation"): the long ones do not fit at 60 columns.
            kinds = [(kind.name, kind.short_label) for kind in all_kinds()]
            yield ChoicePicker(
                [(ALL_KINDS, "all kinds"), *kinds],
                value=ALL_KINDS,
                keys={},
                type_ahead=True,
                id="filter-kind",
            )
            yield Label("From", classes="filter-label")
            yield Input(placeholder="YYYY-MM-DD", id="filter-from", compact=True)
            yield Label("To", classes="filter-label")
            yield Input(placeholder="YYYY-MM-DD", id="filter-to", compact=True)
            yield Static(id="filter-count")
        yield EntryTable(empty_text="No entries match.", id="history-table")
        yield FitFooter()

    @property
    def table(self) -> EntryTable:
        return self.query_one("#history-table", EntryTable)

    def on_mount(self) -> None:
        self.sub_title = "History"
        self.watch(self.app, "data_version", self._on_data_changed, init=False)
        self._show_rows()
        self.table.focus()

    def _on_data_changed(self, _version: int) -> None:
        self._show_rows()

    # ------------------------------------------------------------------ filtering

    def _date_filter(self, input_id: str) -> tuple[date | None, bool]:
        """The date typed in a filter field (None when empty) and whether it is valid."""
        field = self.query_one(input_id, Input)
        text = field.value.strip()
        if not text:
            field.remove_class("-invalid-date")
            return None, True
        try:
            day = parse_date(text)
        except ValidationError:
            field.add_class("-invalid-date")
            return None, False
        field.remove_class("-invalid-date")
        return day, True

    def _show_rows(self) -> None:
        count = self.query_one("#filter-count", Static)
        if not self.tracker.loaded:
            self.table.empty_text = "Loading your entries…"
            self.table.set_rows([])
            count.update("")
            return
        self.table.empty_text = "No entries match."
        kind = self.query_one("#filter-kind", ChoicePicker).value or None
        start, start_ok = self._date_filter("#filter-from")
        end, end_ok = self._date_filter("#filter-to")
        entries = self.tracker.store.entries_between(start, end, kind)
        rows: list[Entry] = entries[::-1]
        selected = self.table.selected
        self.table.set_rows(rows, keep_id=selected["id"] if selected else None)
        total = len(self.tracker.store.entries())
        text = f"{len(rows):,} of {total:,} entries"
        if not (start_ok and end_ok):
            text += " · dates are YYYY-MM-DD"
        count.update(Content(text))

    @on(Input.Changed, "#history-filter Input")
    @on(ChoicePicker.Changed, "#filter-kind")
    def _filter_changed(self) -> None:
        self._show_rows()

    @on(Input.Submitted, "#history-filter Input")
    def _filter_submitted(self) -> None:
        self.table.focus()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"edit", "delete"} and (
            not self.tracker.loaded or self.table.selected is None
        ):
            return None
        return True

    def on_entry_table_highlighted(self, event: EntryTable.Highlighted) -> None:
        self.selection_changed(event.entry is not None)

    def action_edit(self) -> None:
        from tracker.tui.entry_actions import open_edit

        entry = self.table.selected
        if entry is not None:
            open_edit(self.tracker, entry)

    def action_delete(self) -> None:
        from tracker.tui.entry_actions import confirm_delete

        entry = self.table.selected
        if entry is not None:
            confirm_delete(self.tracker, entry)

    def action_focus_filter(self) -> None:
        self.set_focus(self.query_one("#filter-kind", ChoicePicker))

    def action_focus_table(self) -> None:
        self.table.focus()

    def action_next_kind(self) -> None:
        self.query_one("#filter-kind", ChoicePicker).action_move(1)

    def action_clear_filter(self) -> None:
        self.query_one("#filter-kind", ChoicePicker).value = ALL_KINDS
        self.query_one("#filter-from", Input).value = ""
        self.query_one("#filter-to", Input).value = ""
