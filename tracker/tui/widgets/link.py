"""A word on screen that does what its key does when clicked: a day arrow, a range, a period.

Issue 14: the day arrows and range labels looked clickable and were not. Each such label is
now an ``ActionLink`` that runs the same action as its key, on the screen it sits on, so the
mouse and the keyboard cannot drift apart. It looks clickable only while it can be used: a link
whose action the screen refuses (``check_action``) is hidden, not greyed, and the one that is
in force (the range shown) is marked, not offered.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.widgets import Static


class ActionLink(Static):
    """``text`` that runs ``action`` (in the screen's namespace, e.g. ``"previous_day"``) when
    clicked. ``-active`` marks the choice in force; it still runs when clicked (a no-op)."""

    DEFAULT_CSS: ClassVar[str] = """
    ActionLink {
        width: auto;
        height: 1;
        padding: 0 1;
        text-style: underline;
    }
    ActionLink:hover {
        background: $accent 40%;
        text-style: bold underline;
    }
    ActionLink.-active {
        text-style: bold reverse;
    }
    """

    def __init__(
        self,
        text: str,
        action: str,
        *,
        tooltip: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        # Our own words, never markup: a bracket in a label stays a bracket.
        super().__init__(text, markup=False, id=id, classes=classes)
        self.action = action
        if tooltip:
            self.tooltip = tooltip

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        await self.app.run_action(self.action, self.screen)
