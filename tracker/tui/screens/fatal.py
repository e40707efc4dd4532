"""A data folder that cannot be used: which file, why, and that nothing was written."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from tracker.errors import EXIT_DATA_FILE
from tracker.text import printable


def explain(error: Exception) -> tuple[str, str]:
    """A title and a paragraph for ``error``, naming the file when there is one."""
    path = getattr(error, "path", None)
    reason = getattr(error, "reason", None)
    # A file name (or a message quoting one) can hold control characters: show them escaped.
    if isinstance(path, Path) and reason:
        return (
            "A data file cannot be used",
            f"{printable(str(path))}\n\n{printable(str(reason))}.\n\n"
            "The file was left untouched and nothing was written. "
            "Move it aside or restore it from a backup (or from archive/ in the data "
            "folder), then start tracker again. `tracker doctor` shows every file of the "
            "folder and what needs you.",
        )
    return ("The data folder cannot be read", f"{printable(str(error))}\n\nNothing was written.")


class FatalErrorScreen(Screen[None]):
    """Shown instead of everything else; any of ``q``, ``escape``, ``enter`` quits (exit 3)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape,enter", "leave", "Quit", id="fatal-quit"),
    ]

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        title, text = explain(self.error)
        with Vertical(id="fatal-box"):
            yield Static(Content(title), id="fatal-title")
            yield Static(Content(text), id="fatal-text")
            yield Static(Content("Press q to quit."), id="fatal-keys")

    def action_leave(self) -> None:
        message = f"tracker: {printable(str(self.error))}"
        self.app.exit(EXIT_DATA_FILE, return_code=EXIT_DATA_FILE, message=message)
