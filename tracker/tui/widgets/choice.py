"""A field whose value comes from a fixed list, picked without typing the word.

One widget covers the ways the user guide names: single keys (``l``/``r``/``b`` for a side,
digits ``0``-``4`` for clicking, a first letter for a list), ``left``/``right`` (and, outside a
form, ``up``/``down``) to move through the choices, and, for the long lists (band colour,
rotation exercise), ``enter`` to open the whole list, where ``up``/``down`` move. A form takes
``up``/``down`` and ``enter`` first (priority bindings): there the arrows move between fields,
and ``enter`` on a short list goes on to the next empty field or saves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

Choice = tuple[str, str]  # (stored value, what the user reads)


class PickerField(Widget, can_focus=True):
    """A one-line form field that shows what is picked (``ChoicePicker``, ``MultiPicker``):
    its look, one place for both."""

    DEFAULT_CSS = """
    PickerField {
        width: 1fr;
        height: 1;
        padding: 0 1;
        background: $boost;
        color: $foreground;
    }
    PickerField:focus {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    PickerField.-empty {
        color: $text-muted;
    }
    """


class ChoicePicker(PickerField):
    """Shows the chosen item; single keys, the arrows and (optionally) a pop-up list change it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right", "move(1)", "Next choice", show=False),
        Binding("left", "move(-1)", "Previous choice", show=False),
        # History's kind filter moves with these; a form takes them to move between fields.
        Binding("down", "move(1)", "Next choice", show=False),
        Binding("up", "move(-1)", "Previous choice", show=False),
        Binding("enter", "enter", "Open list / save", show=False),
    ]

    value: reactive[str | None] = reactive(None, init=False)

    @dataclass
    class Changed(Message):
        """The chosen value changed."""

        picker: ChoicePicker
        value: str | None

        @property
        def control(self) -> ChoicePicker:
            return self.picker

    @dataclass
    class Submitted(Message):
        """``enter`` on a picker that does not open a list: the form should save."""

        picker: ChoicePicker

        @property
        def control(self) -> ChoicePicker:
            return self.picker

    def __init__(
        self,
        choices: Sequence[Choice],
        *,
        value: str | None = None,
        keys: Mapping[str, str] | None = None,
        opens_list: bool = False,
        placeholder: str = "not set",
        type_ahead: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.choices: tuple[Choice, ...] = tuple(choices)
        self.keys: dict[str, str] = dict(keys or {})
        self.opens_list = opens_list
        self.placeholder = placeholder
        self.type_ahead = type_ahead
        self.set_reactive(ChoicePicker.value, value)
        self.set_class(value is None, "-empty")

    # ------------------------------------------------------------------ display

    def label_of(self, value: str | None) -> str:
        for stored, label in self.choices:
            if stored == value:
                return label
        return self.placeholder if value is None else value

    def render(self) -> Content:
        marker = "▾ " if self.opens_list else ""
        return Content(marker + self.label_of(self.value))

    def watch_value(self, value: str | None) -> None:
        self.set_class(value is None, "-empty")
        self.post_message(self.Changed(self, value))

    # ------------------------------------------------------------------ input

    def _values(self) -> list[str]:
        return [stored for stored, _label in self.choices]

    def action_move(self, step: int) -> None:
        values = self._values()
        if not values:
            return
        if self.value not in values:
            self.value = values[0] if step > 0 else values[-1]
            return
        index = (values.index(self.value) + step) % len(values)
        self.value = values[index]

    def action_enter(self) -> None:
        if self.opens_list:
            self.open_list()
        else:
            self.post_message(self.Submitted(self))

    def open_list(self) -> None:
        def chosen(value: str | None) -> None:
            if value is not None:
                self.value = value
            self.focus()

        self.app.push_screen(ChoiceListScreen(self.choices, self.value), chosen)

    def on_key(self, event: events.Key) -> None:
        key = event.character if event.character and event.character.isprintable() else None
        if key is None:
            return
        if key in self.keys:
            self.value = self.keys[key]
        elif self.type_ahead and key.isalpha():
            self._type_ahead(key.lower())
        else:
            return
        event.stop()
        event.prevent_default()

    def _type_ahead(self, letter: str) -> None:
        """Jump to the next choice whose words start with ``letter`` (blue, black, ...)."""
        matches = [v for v, label in self.choices if label.lower().startswith(letter)]
        if not matches:
            return
        if self.value in matches:
            self.value = matches[(matches.index(self.value) + 1) % len(matches)]
        else:
            self.value = matches[0]

    def on_click(self) -> None:
        self.focus()
        if self.opens_list:
            self.open_list()


class ChoiceListScreen(ModalScreen[str | None]):
    """The whole list of a picker: ``enter`` takes the highlighted item, ``escape`` the old one."""

    DEFAULT_CSS = """
    ChoiceListScreen {
        align: center middle;
    }
    ChoiceListScreen > Vertical {
        width: 40;
        height: auto;
        max-height: 80%;
        border: round $primary;
        background: $surface;
    }
    ChoiceListScreen OptionList {
        height: auto;
        max-height: 20;
        border: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Keep the old choice", id="cancel-choice"),
    ]

    def __init__(self, choices: Sequence[Choice], current: str | None) -> None:
        super().__init__()
        self.choices = tuple(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield OptionList(*(Option(Content(label), id=value) for value, label in self.choices))

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        values = [value for value, _label in self.choices]
        if self.current in values:
            option_list.highlighted = values.index(self.current)
        option_list.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
