"""The questionnaire chooser (``k`` on Today): the questionnaires, due ones first, and "not today".

``enter`` (or a click) on a questionnaire opens its form; ``n`` (or "Not today") puts the
reminder off until tomorrow; ``escape`` closes it. Dismisses with the kind's name, ``NOT_TODAY``
or None.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tracker import questionnaires
from tracker.records import KIND_LABELS, Entry
from tracker.tui.format import short_date
from tracker.tui.screens.base import TrackerModalScreen

if TYPE_CHECKING:
    from tracker.store import Store

NOT_TODAY = "not-today"


def due_reading(store: Store) -> list[Entry]:
    """What ``questionnaires.due`` and the chooser read: the diary's first entry (the day it
    began) and every questionnaire, from the store's per-kind lists rather than every entry."""
    everything = store.entries()
    kinds = (store.entries_of_kind(kind) for kind in questionnaires.QUESTIONNAIRE_KINDS)
    return [*everything[:1], *(entry for mine in kinds for entry in mine)]


def chooser_lines(entries: list[Entry], today: date) -> list[tuple[str, str]]:
    """(what, words) for each line: the questionnaires due first, then the others, in the
    registry's order, each with when it was last filled in; "not today" last when any is due."""
    due = questionnaires.due(entries, today)
    order = [*due, *(k for k in questionnaires.QUESTIONNAIRE_KINDS if k not in due)]
    lines = []
    for kind in order:
        mine = [e["date"] for e in entries if e["kind"] == kind and e["date"] <= today.isoformat()]
        when = f"last on {short_date(max(mine))}" if mine else "never filled in"
        state = "due" if kind in due else "not due yet"
        lines.append((kind, f"{KIND_LABELS[kind]}: {state}, {when}"))
    if due:
        lines.append((NOT_TODAY, "Not today: remind me tomorrow (n)"))
    return lines


class QuestionnaireChooser(TrackerModalScreen[str | None]):
    """Which questionnaire to fill in."""

    DEFAULT_CSS = """
    QuestionnaireChooser {
        align: center middle;
    }
    QuestionnaireChooser #chooser-box {
        width: 76;
        max-width: 100%;
        height: auto;
        border: round $primary;
        padding: 0 1;
        background: $surface;
    }
    QuestionnaireChooser OptionList {
        height: auto;
        max-height: 12;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "not_today", "Not today", id="questionnaire-not-today"),
        Binding("escape", "close", "Close", id="questionnaire-close"),
    ]

    def __init__(self, entries: list[Entry], today: date) -> None:
        super().__init__()
        self.lines = chooser_lines(entries, today)

    def compose(self) -> ComposeResult:
        with Vertical(id="chooser-box"):
            yield Static(
                Content(
                    "Questionnaires, every 3 weeks: type the scores from the paper form. "
                    "Enter opens one; escape closes."
                ),
                id="chooser-intro",
            )
            yield OptionList(
                *(Option(Content(words), id=what) for what, words in self.lines),
                id="chooser-list",
            )

    def on_mount(self) -> None:
        self.query_one("#chooser-list", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_not_today(self) -> None:
        if any(what == NOT_TODAY for what, _ in self.lines):
            self.dismiss(NOT_TODAY)

    def action_close(self) -> None:
        self.dismiss(None)
