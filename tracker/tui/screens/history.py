"""History: every entry, newest first, filtered by kind and dates; edit and delete from here.

The table draws only visible rows (``EntryTable``), so ten years (~18,000 entries) scroll as
smoothly as a week. Filtering is a pass over the in-memory list on each change of the filter.

Issue 14: finding last week took 25 keys. The periods of ``tracker.dates.PERIODS`` (last 7 days,
this week, last week, this month, last month) each have a key (``W`` is last week: ``2 W`` from
anywhere), ``p`` steps through them, and each is a link that can be clicked. A period fills the
date fields, which stay editable and take dates as people type them (``dates.parse_day``).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Header, Input, Label, Static

from tracker import dates
from tracker.kinds import all_kinds, kind_of
from tracker.records import Entry, ValidationError
from tracker.tui.format import short_date
from tracker.tui.screens.base import TrackerScreen, field_keys
from tracker.tui.widgets.choice import ChoicePicker
from tracker.tui.widgets.entry_table import EntryTable
from tracker.tui.widgets.footer import FitFooter
from tracker.tui.widgets.link import ActionLink

ALL_KINDS = ""
# One key per period; lower case for this week / month, upper case (shift) for the last one.
PERIOD_KEYS: dict[str, str] = {
    "last-7-days": "7",
    "this-week": "w",
    "last-week": "W",
    "this-month": "m",
    "last-month": "M",
}
DATE_FIELDS = {"#filter-from": "From", "#filter-to": "To"}
# Below this width the period row drops its "Period (p)" label to keep every period on screen.
PERIOD_LABEL_MIN_WIDTH = 76


def field_date(day: date) -> str:
    """``16 Nov 2026``: how a period fills a date field (unambiguous in either date order, and
    read back by ``parse_day``)."""
    return f"{day.day} {day:%b %Y}"


def nothing_logged() -> str:
    """A fresh History: where entries come from, in the kinds' keys."""
    kinds = all_kinds()
    daily = [f"{kind.key} for the {kind.label.lower()}" for kind in kinds if kind.is_daily]
    exercises = [kind.key for kind in kinds if kind.is_exercise]
    keys = ", ".join(daily)
    if exercises:
        keys += (" or " if keys else "") + ", ".join(exercises) + " for an exercise"
    return (
        f"Nothing logged yet. Press 1 for Today, then {keys}: each entry shows here, newest first."
    )


def no_match(kind: str | None, start: date | None, end: date | None) -> str:
    """A filter that matches nothing: what it asked for, and the key that clears it."""
    what = "No entries"
    if kind:
        what += f" of {kind_of(kind).label.lower()}"
    if start and end:
        what += f" between {short_date(start)} and {short_date(end)}"
    elif start:
        what += f" since {short_date(start)}"
    elif end:
        what += f" up to {short_date(end)}"
    return what + " (x clears the filter)."


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
        Binding("p", "next_period", "Period", id="next-period"),
        *(
            Binding(key, f"period('{name}')", dates.PERIODS[name], id=f"period-{name}", show=False)
            for name, key in PERIOD_KEYS.items()
        ),
        Binding("x", "clear_filter", "Clear filter", id="clear-filter", show=False),
        Binding("escape", "focus_table", "Back to the table", id="focus-table", show=False),
        # As in the forms: a date typed right after tab (a fast typist, a paste) lands in the
        # next field, not the last. No description: help lists the filter fields in a note.
        *field_keys("filter-field", described=False),
    ]
    HELP_NOTES = (
        ("up / down, page up / down", "Move through the table"),
        ("home / end", "Newest / oldest entry"),
        ("tab", "Filter fields: kind (up/down), from, to (24 Nov, yesterday, -3 ...)"),
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
            yield Input(placeholder="any day", id="filter-from", compact=True)
            yield Label("To", classes="filter-label")
            yield Input(placeholder="any day", id="filter-to", compact=True)
            yield Static(id="filter-count")
        with Horizontal(id="history-periods"):
            yield Label("Period (p)", classes="filter-label", id="period-label")
            for name, label in dates.PERIODS.items():
                yield ActionLink(
                    label,
                    f"period('{name}')",
                    tooltip=f"Key: {PERIOD_KEYS[name]}",
                    id=f"period-{name}",
                )
        yield EntryTable(empty_text=nothing_logged(), id="history-table")
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

    def on_resize(self, event: events.Resize) -> None:
        roomy = event.size.width >= PERIOD_LABEL_MIN_WIDTH
        self.query_one("#period-label").display = roomy
        self.query_one("#history-periods").set_class(not roomy, "-tight")

    # ------------------------------------------------------------------ filtering

    def _date_filter(self, input_id: str) -> tuple[date | None, str]:
        """The date typed in a filter field (None when empty), and what is wrong with it."""
        field = self.query_one(input_id, Input)
        text = field.value.strip()
        if not text:
            field.remove_class("-invalid-date")
            return None, ""
        settings = self.tracker.settings
        try:
            day = dates.parse_day(text, today=self.tracker.today, order=settings.date_order)
        except ValidationError:
            field.add_class("-invalid-date")
            numeric = "24/11" if settings.date_order == "day/month/year" else "11/24"
            problem = (
                f"{DATE_FIELDS[input_id]} must be a day up to today, "
                f"such as 24 Nov, {numeric}, yesterday or -3"
            )
            return None, problem
        field.remove_class("-invalid-date")
        return day, ""

    @property
    def period(self) -> str | None:
        """The period the date fields hold, if they hold one exactly."""
        start, _ = self._date_filter("#filter-from")
        end, _ = self._date_filter("#filter-to")
        for name in dates.PERIODS:
            if (start, end) == self._period_dates(name):
                return name
        return None

    def _period_dates(self, name: str) -> tuple[date, date]:
        return dates.period(
            name, today=self.tracker.today, week_start=self.tracker.settings.week_start_index
        )

    def _show_rows(self) -> None:
        count = self.query_one("#filter-count", Static)
        if not self.tracker.loaded:
            self.table.empty_text = "Loading your entries…"
            self.table.set_rows([])
            count.update("")
            return
        kind = self.query_one("#filter-kind", ChoicePicker).value or None
        start, start_problem = self._date_filter("#filter-from")
        end, end_problem = self._date_filter("#filter-to")
        entries = self.tracker.store.entries_between(start, end, kind)
        rows: list[Entry] = entries[::-1]
        total = len(self.tracker.store.entries())
        self.table.empty_text = nothing_logged() if not total else no_match(kind, start, end)
        selected = self.table.selected
        self.table.set_rows(rows, keep_id=selected["id"] if selected else None)
        text = start_problem or end_problem or f"{len(rows):,} of {total:,} entries"
        count.set_class(bool(start_problem or end_problem), "-error")
        count.update(Content(text))
        active = self.period
        for name in dates.PERIODS:
            self.query_one(f"#period-{name}", ActionLink).set_class(name == active, "-active")

    @on(Input.Changed, "#history-filter Input")
    @on(ChoicePicker.Changed, "#filter-kind")
    def _filter_changed(self) -> None:
        self._show_rows()

    @on(Input.Submitted, "#history-filter Input")
    def _filter_submitted(self) -> None:
        self.table.focus()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_filter" and isinstance(self.focused, Input):
            return False  # an "f" typed in a date field is a letter: "feb", "fri"
        if action in {"edit", "delete"} and (
            not self.tracker.loaded or self.table.selected is None
        ):
            return None
        return True

    def on_entry_table_highlighted(self, event: EntryTable.Highlighted) -> None:
        self.selection_changed(event.entry is not None)

    async def action_edit(self) -> None:
        from tracker.tui.entry_actions import open_edit

        entry = self.table.selected
        if entry is not None:
            await open_edit(self.tracker, entry)

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

    def action_period(self, name: str) -> None:
        """Show the entries of the period ``name`` (a key of ``dates.PERIODS``)."""
        start, end = self._period_dates(name)
        with self.prevent(Input.Changed):  # one redraw for both fields, not one each
            self.query_one("#filter-from", Input).value = field_date(start)
            self.query_one("#filter-to", Input).value = field_date(end)
        self._show_rows()

    def action_next_period(self) -> None:
        """The period after the one shown (the first when none is)."""
        names = list(dates.PERIODS)
        current = self.period
        following = 0 if current is None else (names.index(current) + 1) % len(names)
        self.action_period(names[following])

    def action_clear_filter(self) -> None:
        self.query_one("#filter-kind", ChoicePicker).value = ALL_KINDS
        self.query_one("#filter-from", Input).value = ""
        self.query_one("#filter-to", Input).value = ""
