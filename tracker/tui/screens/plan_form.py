"""The plan: ``p`` on Today asks which exercise, then opens its plan form.

The chooser takes the exercise kinds' own keys (``l``, ``c``, ``r``); the form shows only the
fields that fit that exercise (tracker/kinds/plan.py), prefilled from the plan in force on the
day shown, so a progression is "change the reps, enter". Saving adds a new plan entry dated
from that day: the earlier plan stays, as the plan's history.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tracker.kinds import kind_of
from tracker.kinds.plan import PLANNED, fields_for
from tracker.records import DATE_FIELD, NOTES_FIELD, Entry, Field, short_date
from tracker.tui.screens.forms import EntryForm


class PlanChooser(ModalScreen[str | None]):
    """Which exercise's plan: its key, or up/down and enter; escape cancels."""

    DEFAULT_CSS = """
    PlanChooser { align: center middle; }
    PlanChooser #plan-choose { width: 60; height: auto; border: round $primary;
        padding: 0 1; background: $surface; }
    PlanChooser OptionList { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="plan-cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="plan-choose"):
            yield Static(Content("The plan for which exercise? (escape: cancel)"))
            yield OptionList(
                *(
                    Option(f"{kind_of(name).key}  {kind_of(name).label}", id=name)
                    for name in PLANNED
                ),
                id="plan-exercises",
            )

    def on_key(self, event: Any) -> None:
        for name in PLANNED:
            if event.key == kind_of(name).key:
                event.stop()
                self.dismiss(name)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PlanForm(EntryForm):
    """A plan entry for one exercise: only its fields; ``exercise`` is fixed by the chooser."""

    # A plan's date is the day it applies from: the row says so.
    date_spec: ClassVar[Field] = DATE_FIELD._replace(label="From")

    def __init__(
        self,
        exercise: str,
        *,
        day: date,
        entry: Entry | None = None,
        template: Entry | None = None,
    ) -> None:
        super().__init__("plan", day=day, entry=entry, template=template)
        self.exercise = exercise
        self.specs = fields_for(exercise)
        self.all_specs = (self.date_spec, *self.specs, NOTES_FIELD)

    def _title(self, day: date | str) -> str:
        what = kind_of(self.exercise).label.lower()
        verb = "Edit the plan" if self.entry is not None else "Plan"
        return f"{verb} for {what} · from {short_date(day)}"

    def _intro(self) -> str:
        if self.entry is not None:
            return "Change what differs, then press enter."
        if self.template is not None:
            return (
                f"Starts from the plan of {short_date(self.template['date'])}: change what "
                "the physiotherapist changed, then press enter. It applies from the date."
            )
        return "What was prescribed, from the date on; leave out what was not. Then enter."

    def values(self) -> dict[str, str]:
        return {**super().values(), "exercise": self.exercise}
