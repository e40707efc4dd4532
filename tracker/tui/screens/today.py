"""Today: the check-in and exercises of one day, and the keys that log them.

The day starts as today; ``left``/``right`` move it (never past today) and ``home`` comes back,
so a forgotten evening is logged the next morning with ``left`` first.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from tracker.records import EXERCISE_KINDS, KIND_LABELS, Entry
from tracker.tui.format import LABEL_WIDTH, entry_card, long_date, relative_day
from tracker.tui.screens.base import TrackerScreen
from tracker.tui.widgets.footer import FitFooter

KIND_KEYS: dict[str, str] = {"checkin": "s", "lunge": "l", "cycling": "c", "rotation": "r"}


class TodayScreen(TrackerScreen[None]):
    """The day shown in the header, its check-in and its exercises."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the entry list would otherwise take left/right/home for itself.
        Binding("left", "previous_day", "Earlier", id="previous-day", priority=True),
        Binding("right", "next_day", "Later", id="next-day", priority=True),
        Binding(
            "home", "back_to_today", "Back to today", id="back-to-today", priority=True, show=False
        ),
        Binding("s", "new('checkin')", "Check-in", id="checkin"),
        Binding("l", "new('lunge')", "Lunges", id="log-lunge"),
        Binding("c", "new('cycling')", "Cycling", id="log-cycling"),
        Binding("r", "new('rotation')", "Rotation", id="log-rotation"),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("d", "delete", "Delete", id="delete", show=False),
    ]
    HELP_NOTES = (("up / down", "Select an entry of the day (for e and d)"),)
    # The footer drops these first when the terminal is narrow: the day bar shows ◀ ▶.
    FOOTER_LAST = ("previous-day", "next-day")

    day: reactive[date] = reactive(date.min, init=False)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="day-bar")
        yield OptionList(id="day-entries")
        yield Static(id="still-to-log")
        yield FitFooter()

    def on_mount(self) -> None:
        self.sub_title = "Today"
        self.set_reactive(TodayScreen.day, self.tracker.today)
        self.watch(self.app, "data_version", self._on_data_changed, init=False)
        self._show_day()
        self._show_entries()

    # ------------------------------------------------------------------ display

    def _on_data_changed(self, _version: int) -> None:
        self._show_entries()
        self.refresh_bindings()

    def watch_day(self, _day: date) -> None:
        self._show_day()
        self._show_entries()
        self.refresh_bindings()

    def _show_day(self) -> None:
        today = self.tracker.today
        left = "◀ "
        right = " ▶" if self.day < today else "  "
        bar = Content.assemble(
            (left, "dim"),
            (long_date(self.day), "bold"),
            (right, "dim"),
            "   ",
            (relative_day(self.day, today), "italic"),
        )
        self.query_one("#day-bar", Static).update(bar)

    def _day_entries(self) -> list[Entry]:
        if not self.tracker.loaded:
            return []
        entries = self.tracker.store.entries_between(self.day, self.day)
        checkins = [e for e in entries if e["kind"] == "checkin"]
        return checkins + [e for e in entries if e["kind"] != "checkin"]

    def _show_entries(self) -> None:
        option_list = self.query_one("#day-entries", OptionList)
        hint = self.query_one("#still-to-log", Static)
        if not self.tracker.loaded:
            option_list.set_options([Option(Content("Loading your entries…"), disabled=True)])
            hint.update("")
            return
        previous = option_list.highlighted_option
        previous_id = previous.id if previous is not None else None
        entries = self._day_entries()
        options: list[Option | None] = []
        kinds = {entry["kind"] for entry in entries}
        if "checkin" not in kinds:
            options.append(
                Option(
                    Content.assemble(
                        (KIND_LABELS["checkin"].ljust(LABEL_WIDTH), "bold"),
                        ("not logged yet: press s", "italic"),
                    ),
                    disabled=True,
                )
            )
        for entry in entries:
            if options:
                options.append(None)  # a rule between entries
            options.append(Option(entry_card(KIND_LABELS[entry["kind"]], entry), id=entry["id"]))
        option_list.set_options(options)
        ids = [option.id for option in options if option is not None]  # rules are not options
        if previous_id is not None and previous_id in ids:
            option_list.highlighted = ids.index(previous_id)
        elif entries:
            option_list.highlighted = ids.index(entries[0]["id"])
        missing = [kind for kind in EXERCISE_KINDS if kind not in kinds]
        if missing:
            words = ", ".join(f"{KIND_LABELS[k].lower()} ({KIND_KEYS[k]})" for k in missing)
            hint.update(Content(f"Not logged yet: {words}"))
        else:
            hint.update(Content("All three exercises logged for this day."))

    @property
    def selected(self) -> Entry | None:
        option = self.query_one("#day-entries", OptionList).highlighted_option
        if option is None or option.id is None or not self.tracker.loaded:
            return None
        for entry in self._day_entries():
            if entry["id"] == option.id:
                return entry
        return None

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"new", "edit", "delete"} and not self.tracker.loaded:
            return None
        if action in {"edit", "delete"} and self.selected is None:
            return None
        if action == "next_day" and self.day >= self.tracker.today:
            return None
        return True

    def action_previous_day(self) -> None:
        self.day = self.day - timedelta(days=1)

    def action_next_day(self) -> None:
        if self.day < self.tracker.today:
            self.day = self.day + timedelta(days=1)

    def action_back_to_today(self) -> None:
        self.day = self.tracker.today

    def action_new(self, kind: str) -> None:
        from tracker.tui.entry_actions import open_new

        open_new(self.tracker, kind, self.day)

    def action_edit(self) -> None:
        from tracker.tui.entry_actions import open_edit

        entry = self.selected
        if entry is not None:
            open_edit(self.tracker, entry)

    def action_delete(self) -> None:
        from tracker.tui.entry_actions import confirm_delete

        entry = self.selected
        if entry is not None:
            confirm_delete(self.tracker, entry)

    def on_option_list_option_highlighted(self) -> None:
        self.selection_changed(self.selected is not None)
