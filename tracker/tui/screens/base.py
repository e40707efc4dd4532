"""What the app's screens share: the typed app, the help notes, and when to refresh the footer.

Screens import the app class for typing only (a runtime import would be a cycle: the app
imports Today), so ``tracker`` is the one place that casts ``self.app``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer

if TYPE_CHECKING:
    from tracker.tui.app import TrackerApp

ResultType = TypeVar("ResultType")


def field_keys(name: str, *, described: bool = True) -> list[Binding]:
    """``tab`` / ``shift+tab`` between a screen's fields, with ids ``next-{name}`` and
    ``previous-{name}``; described ("Next field") for help and the palette, or not.

    Priority: the app runs these as each key arrives, before it hands the next key to the
    focused field. Without it, keys that arrive together ("4<tab>3", a paste, a fast typist)
    all land in the first field: "43", or worse a valid "10" from "1<tab>0".
    """
    return [
        Binding(
            key,
            f"app.focus_{way}",
            f"{way.capitalize()} field" if described else "",
            id=f"{way}-{name}",
            show=False,
            priority=True,
        )
        for key, way in (("tab", "next"), ("shift+tab", "previous"))
    ]


class TrackerScreen(Screen[ResultType]):
    """A screen of the tracker app."""

    HELP_NOTES: ClassVar[tuple[tuple[str, str], ...]] = ()
    """(keys, what they do) that no binding of the screen names (a list's up/down): help lists
    them after the bindings."""
    FOOTER_LAST: ClassVar[tuple[str, ...]] = ()
    """Ids of the bindings the footer drops first when the terminal is narrow."""

    _had_selection = False

    async def mount_composed_widgets(self, widgets: list[Widget]) -> None:
        """Mount what ``compose`` yielded, with Textual's plain ``Footer`` made a ``FitFooter``.

        Every screen's footer must start with help, quit and undo and fit the terminal (issue
        14); a screen that yields ``Footer(compact=True)`` gets the same footer as the others.
        """
        from tracker.tui.widgets.footer import FitFooter  # footer.py imports this module

        fitted = [FitFooter() if type(widget) is Footer else widget for widget in widgets]
        await super().mount_composed_widgets(fitted)

    @property
    def tracker(self) -> TrackerApp:
        return cast("TrackerApp", self.app)

    def selection_changed(self, has_selection: bool) -> None:
        """Refresh the footer when an entry gets or loses the selection (e and d turn on or
        off). Only then: refreshing bindings re-composes the footer, which would cost every
        cursor move a layout pass."""
        if has_selection != self._had_selection:
            self._had_selection = has_selection
            self.refresh_bindings()


class TrackerModalScreen(TrackerScreen[ResultType], ModalScreen[ResultType]):
    """A modal screen of the tracker app (a form): app keys do not reach it."""
