"""The welcome: shown on the first start, and again from help (``w``) or the palette.

A few short paragraphs for somebody who has not used the app: what the two scales of the
check-in mean, how to reach an earlier day, where the entries and the settings are kept, and
how to make a report for the physiotherapist. At 80x24 and 60x20 it scrolls.

Closing it (``enter`` or ``escape``) the first time writes ``welcome = false`` to the settings
file, in a thread (``TrackerApp.remember``), so that it never opens by itself again; a file that
cannot be written is a warning, and the welcome then shows again next time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tracker.kinds import all_kinds
from tracker.settings import settings_path
from tracker.text import printable

if TYPE_CHECKING:
    from pathlib import Path

    from tracker.tui.app import TrackerApp

TITLE = "Welcome to tracker"


HEADING = "welcome-heading"
TEXT = "welcome-text"
LAST = "welcome-last"


def heading(text: str) -> tuple[str, Content]:
    return HEADING, Content(text)


def text(words: str | Content) -> tuple[str, Content]:
    return TEXT, Content(words) if isinstance(words, str) else words


def paragraphs(data_dir: Path, settings_file: Path) -> list[tuple[str, Content]]:
    """The welcome's text as (class, paragraph); the paths shown as text, escaped."""
    kinds = all_kinds()
    checkin = next((kind for kind in kinds if kind.is_daily), None)
    exercises = [kind for kind in kinds if kind.is_exercise]
    keys = [f"{kind.key} ({kind.short_label.lower()})" for kind in exercises]
    log_keys = ", ".join(keys[:-1]) + f" or {keys[-1]}" if len(keys) > 1 else "".join(keys)
    first_key = f"Press {checkin.key} for the day's check-in; " if checkin else "Press "
    return [
        text(
            "A diary for your knees and back: a short check-in once a day, ideally in the "
            "evening, and the exercises you did."
        ),
        heading("The check-in"),
        text(
            "Pain is a number from 0 (no pain) to 10 (the worst pain imaginable): your "
            "average over the past 24 hours. Clicking is how often a knee clicked or "
            "ground today, one answer per knee: Never, Rarely, Sometimes, Often or Always "
            "(the keys 0 to 4)."
        ),
        heading("Keys"),
        text(
            f"{first_key}{log_keys} to log an exercise. ← goes to earlier days, to fill "
            "in a day you missed. u undoes your last change, ? lists every key, q quits."
        ),
        heading("For your physiotherapist"),
        text("On Trends (press 3), press R (shift and r) to save a report to print or send."),
        heading("Where things are kept"),
        text(Content.assemble("Your entries: ", Content(printable(str(data_dir))))),
        text(Content.assemble("Your settings: ", Content(printable(str(settings_file))))),
        text("Each entry is written to the disk the moment you save it."),
        (LAST, Content("Press enter to start; ? then w shows this again.")),
    ]


class WelcomeScreen(ModalScreen[None]):
    """The welcome in a scrolling box; ``enter`` or ``escape`` closes it for good."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "close", "Start", id="close-welcome"),
    ]
    HELP_NAME = "Welcome"

    @property
    def tracker(self) -> TrackerApp:
        return cast("TrackerApp", self.app)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="welcome-box") as box:
            box.border_title = TITLE
            box.border_subtitle = "enter to start"
            for classes, paragraph in paragraphs(self.tracker.data_dir, settings_path()):
                yield Static(paragraph, classes=classes)

    def on_mount(self) -> None:
        # The box takes the keys: up/down and page up/down scroll it on a short terminal.
        self.query_one("#welcome-box", VerticalScroll).focus()

    def action_close(self) -> None:
        app = self.tracker
        if app.settings.welcome:
            app.remember(
                {"welcome": False}, unsaved="The welcome will show again when tracker next starts."
            )
        self.dismiss()
