"""How far a reader has got through a long file, for a face that shows a progress bar.

Readers call ``tick(done, total)`` as they go (once a record is cheap: a context variable
look-up); a face listens with ``reporting(listener)`` and decides how often to draw. A
reader that reads other files on the way (Strava's export reads each ride's own file) wraps
those reads in ``reporting(None)`` so that only its own count moves the bar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Listener = Callable[[int, int], None]

_listener: ContextVar[Listener | None] = ContextVar("tracker_import_progress", default=None)


def tick(done: int, total: int) -> None:
    """``done`` of ``total`` (records, rows or bytes: any unit, one per reader)."""
    listener = _listener.get()
    if listener is not None:
        listener(done, total)


@contextmanager
def reporting(listener: Listener | None) -> Iterator[None]:
    """Send the ticks of everything read inside to ``listener`` (None: to nobody)."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
