"""Help: every key of the screen underneath, read from its bindings so it cannot go stale."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tracker.insights import SAFETY_NOTE
from tracker.tui.screens.base import TrackerScreen

KEY_WIDTH = 28
ALWAYS: tuple[tuple[str, str], ...] = (
    ("ctrl+p", "Command palette: every action of this screen, by name"),
)


def screen_keys(screen: Screen[object]) -> list[tuple[str, str]]:
    """(key, what it does) for every binding of ``screen`` and the app that is usable there."""
    app = screen.app
    rows: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.id or not binding.description:
            continue  # Textual's own keys (scrolling, copy) are not this screen's
        key = app.get_key_display(binding)
        if (binding.id, key) in seen:
            continue
        seen.add((binding.id, key))
        rows.append((key, binding.description))
    notes = screen.HELP_NOTES if isinstance(screen, TrackerScreen) else ()
    return _merge_keys(rows) + list(notes) + list(ALWAYS)


def _merge_keys(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """One line per description: ``q, escape, enter  Quit``."""
    merged: dict[str, list[str]] = {}
    for key, description in rows:
        keys = merged.setdefault(description, [])
        if key not in keys:
            keys.append(key)
    return [(", ".join(keys), description) for description, keys in merged.items()]


def screen_name(screen: Screen[object]) -> str:
    return screen.sub_title or getattr(screen, "HELP_NAME", "") or type(screen).__name__


class HelpScreen(ModalScreen[None]):
    """A list of keys; ``escape`` or ``?`` closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark", "close", "Close help", id="close-help"),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.rows = screen_keys(under)
        self.name_of_screen = screen_name(under)
        if isinstance(under, ModalScreen):
            self.name_of_screen = str(getattr(under, "HELP_NAME", "Form"))

    def compose(self) -> ComposeResult:
        lines = [
            Content.assemble((key.ljust(KEY_WIDTH), "bold"), Content(description))
            for key, description in self.rows
        ]
        # The box scrolls itself: a scroll inside an auto-height box is never shorter than its
        # content, so on a short terminal the box cut the list off instead.
        with VerticalScroll(id="help-box") as box:
            box.border_title = f"Keys: {self.name_of_screen}"
            box.border_subtitle = "escape closes"
            yield Static(Content("\n").join(lines), id="help-keys")
            # domain.md: the help screen and the report carry the safety note.
            yield Static(
                Content.assemble(("Safety: ", "bold"), Content(SAFETY_NOTE)), id="help-safety"
            )

    def on_mount(self) -> None:
        # On a short terminal the list scrolls: up/down and page up/down reach its end.
        self.query_one("#help-box", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss()
