"""A footer that keeps to the width of the terminal: whole keys only, help always among them.

Textual's footer lays every key in one row and docks the palette key over its right end. At
80 columns Today's keys need about 105, so the keys past the edge were cut mid-word behind the
palette key ("2 Hist▏^p palette"), and the palette key's margin let a letter of a hidden key
show after it ("^p palettee"). This footer drops whole keys until the rest fits: first those a
screen marks as least needed (``FOOTER_LAST``: Today's day arrows, which its day bar shows as
◀ ▶), then from the end. ``?`` (help) always stays: it lists every key, and ``ctrl+p`` every
action, so nothing dropped is out of reach.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tracker.tui.screens.base import TrackerScreen

HELP_ACTION = "help"
PALETTE_CLASS = "-command-palette"


def key_width(key: FooterKey) -> int:
    """Cells a key takes in a compact footer: key, space, description, then a one-cell gap
    (the palette key has a one-cell border on its left instead of the gap, see tracker.tcss)."""
    text = cell_len(key.key_display)
    if key.description:
        text += 1 + cell_len(key.description)
    return text + 1


def choose(
    keys: list[FooterKey], room: int, last: Iterable[str] = (), keep: str = HELP_ACTION
) -> list[FooterKey]:
    """The keys that fit in ``room`` cells, in their order: ``keep`` first, ``last`` least."""
    late = set(last)
    by_need = sorted(
        range(len(keys)),
        key=lambda i: (keys[i].action != keep, keys[i].action in late, i),
    )
    chosen: set[int] = set()
    used = 0
    for index in by_need:
        width = key_width(keys[index])
        if used + width <= room:
            chosen.add(index)
            used += width
    return [key for i, key in enumerate(keys) if i in chosen]


class FitFooter(Footer):
    """``Footer(compact=True)`` that shows only whole keys, fitting the terminal's width."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._composed_width = -1

    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())
        palette = [w for w in widgets if isinstance(w, FooterKey) and w.has_class(PALETTE_CLASS)]
        keys = [w for w in widgets if isinstance(w, FooterKey) and w not in palette]
        width = self.app.size.width
        self._composed_width = width
        room = width - sum(key_width(key) for key in palette)
        screen = self.screen
        last_ids = set(screen.FOOTER_LAST if isinstance(screen, TrackerScreen) else ())
        last_actions = [
            binding.action
            for _node, binding, _enabled, _tooltip in screen.active_bindings.values()
            if binding.id in last_ids
        ]
        shown = choose(keys, room, last_actions)
        yield from (
            w for w in widgets if w in shown or w in palette or not isinstance(w, FooterKey)
        )

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._composed_width and self._composed_width >= 0:
            self.call_after_refresh(self.recompose)
