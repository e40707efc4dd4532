"""A field that holds several choices at once (the check-in's "clicked with"), on one line.

The line shows what is ticked ("stairs, lunge") or "none noted". Digits tick and untick the
choices in place (``1`` the first, ``2`` the second ...), so a form stays one row tall and a
check-in needs no extra key when nothing clicked; ``enter`` (a form's priority binding calls
``open_list``) or a click opens the whole list, where ``space`` or a digit ticks, ``enter`` is
done and ``escape`` keeps what was ticked before.

``value`` is the ticked choices' stored words, sorted and joined by commas ("lunge,stairs"),
as ``records.coerce`` reads a multi field typed on the command line; "" when none is ticked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static

from tracker.tui.widgets.choice import PickerField

Choice = tuple[str, str]  # (stored word, what the user reads)
NONE_NOTED = "none noted"


def joined(words: Sequence[str]) -> str:
    """The value for ``words``: sorted, without repeats, joined by commas."""
    return ",".join(sorted(set(words)))


class MultiPicker(PickerField):
    """Shows the ticked choices; digits tick them in place, ``open_list`` shows them all."""

    value: reactive[str] = reactive("", init=False)

    @dataclass
    class Changed(Message):
        """The ticked choices changed."""

        picker: MultiPicker
        value: str

        @property
        def control(self) -> MultiPicker:
            return self.picker

    def __init__(
        self,
        choices: Sequence[Choice],
        *,
        value: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.choices: tuple[Choice, ...] = tuple(choices)
        self.set_reactive(MultiPicker.value, value)
        self.set_class(not value, "-empty")

    @property
    def ticked(self) -> list[str]:
        """The stored words ticked, in the order of the choices."""
        words = set(self.value.split(",")) if self.value else set()
        return [word for word, _label in self.choices if word in words]

    def render(self) -> Content:
        labels = dict(self.choices)
        shown = ", ".join(labels[word] for word in self.ticked) or NONE_NOTED
        return Content("▾ " + shown)

    def watch_value(self, value: str) -> None:
        self.set_class(not value, "-empty")
        self.post_message(self.Changed(self, value))

    def toggle(self, index: int) -> None:
        """Tick the ``index``-th choice (from 0), or untick it when it is ticked."""
        word = self.choices[index][0]
        ticked = set(self.ticked)
        ticked.symmetric_difference_update({word})
        self.value = joined(list(ticked))

    def on_key(self, event: events.Key) -> None:
        key = event.character
        if key is not None and key.isdigit() and 1 <= int(key) <= len(self.choices):
            self.toggle(int(key) - 1)
            event.stop()
            event.prevent_default()

    def open_list(self) -> None:
        def chosen(words: list[str] | None) -> None:
            if words is not None:
                self.value = joined(words)
            self.focus()

        self.app.push_screen(MultiListScreen(self.choices, self.ticked), chosen)

    def on_click(self) -> None:
        self.focus()
        self.open_list()


class MultiListScreen(ModalScreen[list[str] | None]):
    """Every choice with a tick box: ``space`` or its digit ticks, ``enter`` is done."""

    DEFAULT_CSS = """
    MultiListScreen {
        align: center middle;
    }
    MultiListScreen > Vertical {
        width: 56;
        height: auto;
        max-height: 80%;
        border: round $primary;
        background: $surface;
    }
    MultiListScreen > Vertical > SelectionList {
        height: auto;
        max-height: 20;
        border: none;
    }
    MultiListScreen #multi-keys {
        color: $text-muted;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "done", "Done", id="multi-done", priority=True),
        Binding("escape", "dismiss_none", "Keep the old choice", id="cancel-multi"),
    ]

    def __init__(self, choices: Sequence[Choice], ticked: Sequence[str]) -> None:
        super().__init__()
        self.choices = tuple(choices)
        self.ticked = tuple(ticked)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield SelectionList[str](
                *(
                    (Content(f"{number} {label}"), word, word in self.ticked)
                    for number, (word, label) in enumerate(self.choices, start=1)
                )
            )
            yield Static(
                Content("space or digit: tick · enter: done · escape: cancel"), id="multi-keys"
            )

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def on_key(self, event: events.Key) -> None:
        key = event.character
        if key is not None and key.isdigit() and 1 <= int(key) <= len(self.choices):
            self.query_one(SelectionList).toggle(self.choices[int(key) - 1][0])
            event.stop()
            event.prevent_default()

    def action_done(self) -> None:
        self.dismiss(list(self.query_one(SelectionList).selected))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
