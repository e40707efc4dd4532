"""A footer that keeps to the width of the terminal: the way out first, then whole keys only.

Textual's footer lays every key in one row and docks the palette key over its right end. At
80 columns Today's keys need about 105, so the keys past the edge were cut mid-word behind the
palette key ("2 Hist▏^p palette"), and the palette key's margin let a letter of a hidden key
show after it ("^p palettee"). Worse, ``? Help``, ``q Quit`` and ``u Undo`` came last and were
the first to go (issue 14).

So this footer starts with ``? Help``, ``q Quit`` and ``u Undo`` (``FIRST``), on every screen
and at every width from 60 columns, then shows the screen's own keys in their order, dropping
whole keys until the rest fits: first those a screen marks as least needed (``FOOTER_LAST``:
Today's day arrows, which its day bar shows as ◀ ▶), then from the end. Help lists every key,
and ``ctrl+p`` every action, so nothing dropped is out of reach.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tracker.tui.screens.base import TrackerScreen

HELP_ACTION = "help"
FIRST: tuple[str, ...] = (HELP_ACTION, f"app.{HELP_ACTION}", "quit", "undo")
"""The actions every footer shows first, in this order: help, the way out, undo."""
PALETTE_CLASS = "-command-palette"


def key_width(key: FooterKey) -> int:
    """Cells a key takes in a compact footer: key, space, description, then a one-cell gap
    (the palette key has a one-cell border on its left instead of the gap, see tracker.tcss)."""
    text = cell_len(key.key_display)
    if key.description:
        text += 1 + cell_len(key.description)
    return text + 1


def first_order(keys: Sequence[FooterKey], first: Sequence[str] = FIRST) -> list[FooterKey]:
    """``keys`` with those of the ``first`` actions moved to the front, in the order of
    ``first``; the others keep their order."""
    rank = {action: place for place, action in enumerate(first)}
    return sorted(keys, key=lambda key: rank.get(key.action, len(rank)))


def choose(
    keys: list[FooterKey],
    room: int,
    last: Iterable[str] = (),
    keep: Sequence[str] = FIRST,
) -> list[FooterKey]:
    """The keys that fit in ``room`` cells, in their order: ``keep`` first, ``last`` least."""
    late = set(last)
    rank = {action: place for place, action in enumerate(keep)}
    by_need = sorted(
        range(len(keys)),
        key=lambda i: (rank.get(keys[i].action, len(rank)), keys[i].action in late, i),
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
    """``Footer(compact=True)`` that shows only whole keys, fitting the terminal's width, with
    help, quit and undo first."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._composed_width = -1

    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())
        palette = [w for w in widgets if isinstance(w, FooterKey) and w.has_class(PALETTE_CLASS)]
        keys = first_order([w for w in widgets if isinstance(w, FooterKey) and w not in palette])
        # Its own width once laid out: a screen with a scroll bar leaves the footer narrower
        # than the terminal (Today at 60x20). Before the first layout, the terminal's.
        width = self.size.width or self.app.size.width
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
        yield from shown
        yield from (w for w in widgets if w in palette or not isinstance(w, FooterKey))

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._composed_width and self._composed_width >= 0:
            self.call_after_refresh(self.recompose)
