"""Help: every key of the screen underneath, read from its bindings so it cannot go stale.

The list is laid out for the width it gets: keys in a column as wide as the longest key needs
(at most two fifths of the line), each description wrapped under itself rather than under the
keys, and a key too long for the column on a line of its own. At 80x24 and 60x20 the box
scrolls (up / down, page up / page down, home / end).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tracker.insights import SAFETY_NOTE
from tracker.tui.screens.base import TrackerScreen

GAP = 2  # cells between the key column and the descriptions
MIN_KEY_COLUMN = 8
ALWAYS: tuple[tuple[str, str], ...] = (
    ("ctrl+p", "Command palette: every action of this screen, by name"),
)
WELCOME_ROW = ("w", "The welcome again: the scales, and where your data is kept")


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


def key_lines(rows: Sequence[tuple[str, str]], width: int) -> Content:
    """The rows as lines of ``width`` cells: keys in bold in a column, descriptions beside them,
    wrapped under themselves. Plain text throughout (a description is never markup)."""
    width = max(width, 2 * MIN_KEY_COLUMN)
    longest = max((len(key) for key, _ in rows), default=0)
    column = max(MIN_KEY_COLUMN, min(longest + GAP, width * 2 // 5))
    room = width - column
    lines: list[Content] = []
    for key, description in rows:
        wrapped = textwrap.wrap(description, room, break_on_hyphens=False) or [""]
        if len(key) + GAP > column:  # a long key: its own line, the description under it
            lines.append(Content.styled(key, "bold"))
            first = " " * column + wrapped[0]
        else:
            first = wrapped[0]
            lines.append(Content.assemble((key.ljust(column), "bold"), Content(first)))
            first = ""
        if first:
            lines.append(Content(first))
        lines.extend(Content(" " * column + line) for line in wrapped[1:])
    return Content("\n").join(lines)


class KeyList(Static):
    """The key lines, re-laid out whenever the box's width changes."""

    def __init__(self, rows: Sequence[tuple[str, str]], width: int, *, id: str) -> None:
        super().__init__(key_lines(rows, width), id=id)
        self.rows = list(rows)
        self._laid_out_for = width

    def on_resize(self, event: events.Resize) -> None:
        width = event.size.width
        if width and width != self._laid_out_for:
            self._laid_out_for = width
            self.update(key_lines(self.rows, width))


class HelpScreen(ModalScreen[None]):
    """A list of keys; ``escape`` or ``?`` closes it, ``w`` shows the welcome."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark", "close", "Close help", id="close-help"),
        Binding("w", "welcome", "Welcome", id="help-welcome"),
    ]
    # The box's frame: a border and two cells of padding on each side, and a scroll bar.
    FRAME = 2 + 4 + 2

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.rows = [*screen_keys(under), WELCOME_ROW]
        self.name_of_screen = screen_name(under)
        if isinstance(under, ModalScreen):
            self.name_of_screen = str(getattr(under, "HELP_NAME", "Form"))

    def compose(self) -> ComposeResult:
        # The box scrolls itself: a scroll inside an auto-height box is never shorter than its
        # content, so on a short terminal the box cut the list off instead.
        with VerticalScroll(id="help-box") as box:
            box.border_title = f"Keys: {self.name_of_screen}"
            box.border_subtitle = "escape closes"
            width = min(96, self.app.size.width) - self.FRAME
            yield KeyList(self.rows, width, id="help-keys")
            # domain.md: the help screen and the report carry the safety note.
            yield Static(
                Content.assemble(("Safety: ", "bold"), Content(SAFETY_NOTE)), id="help-safety"
            )

    def on_mount(self) -> None:
        # On a short terminal the list scrolls: up/down and page up/down reach its end.
        self.query_one("#help-box", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss()

    def action_welcome(self) -> None:
        """Help gives way to the welcome (escape there comes back to the screen, not here)."""
        from tracker.tui.screens.welcome import WelcomeScreen

        app = self.app
        self.dismiss()
        app.push_screen(WelcomeScreen())
