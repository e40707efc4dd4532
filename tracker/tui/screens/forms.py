"""The entry forms: one modal per kind, fields in domain.md order.

Keys (user guide, "Filling in a form"): ``enter`` goes to the next required field that is
still empty and saves when none is left; ``up``/``down`` and ``tab``/``shift+tab`` move between
fields; ``ctrl+s`` saves from anywhere; ``escape`` cancels, asking first when something was
changed. Save and Cancel buttons end the form for the mouse. An exercise form starts from the
last entry of its kind and focuses its first number field, so ``l`` ``enter`` repeats the last
lunge session. Invalid values keep the form open and say, beside the field, what is allowed;
nothing is written until every field is valid.

Keys typed right after the key that opened the form land in its first field: the form is
focused as it is composed (``AUTO_FOCUS``), not by a ``focus()`` in ``on_mount``, which Textual
runs only after the keys already waiting; ``enter`` and the arrows are priority bindings, so
each acts in the order typed, before the next key reaches a field.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, assert_never, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from tracker import records
from tracker.dates import examples, parse_day
from tracker.kinds import kind_of
from tracker.kinds.pgic import PGIC_WORDS
from tracker.records import (
    CLICKING_WORDS,
    DATE_FIELD,
    FIELDS,
    KIND_LABELS,
    NOTES_FIELD,
    ROTATION_EXERCISES,
    Entry,
    Field,
    ValidationError,
)
from tracker.store import lock
from tracker.tui.entry_actions import say_written, write_failed
from tracker.tui.format import EXERCISE_LABELS, printable, short_date
from tracker.tui.screens.base import TrackerModalScreen, field_keys
from tracker.tui.widgets.choice import ChoicePicker
from tracker.tui.widgets.footer import FitFooter
from tracker.tui.widgets.multi import MultiPicker
from tracker.units import DistanceUnit, km_to, to_km

if TYPE_CHECKING:
    from tracker.dates import DateOrder
    from tracker.store import Store
    from tracker.tui.app import Refusal

CUSTOM = "__custom__"
CUSTOM_FIELD = Field("custom_exercise", "Exercise name", "", "text", required=True)
CLICKING_FIELDS = frozenset({"clicking_left", "clicking_right"})
PGIC_FIELD = "change"  # the overall-change answer: a digit 1-7 picks it, its words beside it
DISTANCE = "distance_km"
"""The one stored field in km: shown and typed in the user's unit (settings), stored in km."""
# Fields typed as text; a form's cursor starts in the first of these (the check-in's knee pain,
# a lunge's sets), never in Date.
TYPED = frozenset({"int", "number", "tempo", "text", "date"})
# How to score a field, said once at the top of a new entry's form that has it (the check-in's).
PAIN_SCALE = "Pain over the past 24 hours: 0 = none, 10 = worst imaginable."
CLICKING_SCALE = "Clicking today: 0 Never, 1 Rarely, 2 Sometimes, 3 Often, 4 Always."
SCALES: dict[str, str] = {
    "knee_pain": PAIN_SCALE,
    "back_pain": PAIN_SCALE,
    "clicking_left": CLICKING_SCALE,
    "clicking_right": CLICKING_SCALE,
}
# Hints of fields picked in a way of their own; any other field's hint follows its type.
NAMED_HINTS: dict[str, str] = {
    **dict.fromkeys(CLICKING_FIELDS, "press 0-4 (Never ... Always)"),
    PGIC_FIELD: "press 1-7 (very much improved ... very much worse)",
    "side": "l left · r right · b both",
    # All, most, some, few: the first letters pick them (type-ahead), the meaning says them.
    "alignment": "a, m, s, f · enter: list",
    CUSTOM_FIELD.name: f"your own name, up to {records.CUSTOM_EXERCISE_MAX} characters",
}
KEYS_LINE = "enter: next empty field, then save · up/down or tab: move · escape: cancel"
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _range(spec: Field) -> str:
    low = records._num(spec.low)  # the one formatter of bounds
    high = records._num(spec.high)
    if spec.type == "number" and spec.low_exclusive:
        return f"more than {low}, at most {high}"
    return f"{low}-{high}"


def hint_for(spec: Field, order: DateOrder = "day/month/year") -> str:
    """The short reminder beside a field; the full rule replaces it when the value is wrong."""
    if spec.name == "date":
        return "e.g. yesterday, -3, mon, 24 Nov"  # every form: the line under it, when focused
    hint = NAMED_HINTS.get(spec.name) or _type_hint(spec)
    return hint if spec.required else f"{hint} (optional)"


def _type_hint(spec: Field) -> str:
    match spec.type:
        case "int" | "number":
            return _range(spec)
        case "tempo":
            return "E-B-C-T seconds, e.g. 4-1-4-0"
        case "choice" | "exercise":
            return "enter: list · left/right · a letter"
        case "multi":
            return f"enter: list · 1-{len(spec.choices)} tick"
        case "bool":
            return "y yes · n no"
        case "text":
            return f"up to {records.text_limit(spec)} characters"
        case "date":
            return "a day, e.g. -3, mon, 24 Nov"
        case _:
            assert_never(spec.type)


def still_empty(count: int) -> str:
    """``2 fields still empty``; ``one field still empty``."""
    number = NUMBER_WORDS[count] if count < len(NUMBER_WORDS) and count < 2 else str(count)
    return f"{number} field{'' if count == 1 else 's'} still empty"


def _text(value: object) -> str:
    """A stored value as the text of an input (control characters as visible escapes)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return printable(str(value))


def _arrow_keys() -> list[Binding]:
    """``down`` / ``up`` move between fields of every type, as ``tab`` / ``shift+tab`` do.

    Priority, like ``tab``: a choice field would otherwise take them to change its value (the
    clicking fields take digits instead), and keys typed together must move in order.
    """
    return [
        Binding(key, f"app.focus_{way}", "", id=f"{way}-field-{key}", show=False, priority=True)
        for key, way in (("down", "next"), ("up", "previous"))
    ]


class EntryForm(TrackerModalScreen[Entry | None]):
    """A new entry, an edit, or the replacement of a day's check-in."""

    DEFAULT_CSS = """
    EntryForm .field-meaning {
        display: none;
        padding: 0 0 0 22;
        color: $text-muted;
        text-style: italic;
    }
    EntryForm .field-meaning.-shown {
        display: block;
    }
    EntryForm.-medium .field-meaning {
        padding: 0 0 0 19;
    }
    EntryForm.-narrow .field-meaning {
        padding: 0 0 0 16;
    }
    EntryForm .field-row MultiPicker {
        width: 40;
        padding: 0;
    }
    EntryForm.-medium .field-row MultiPicker {
        width: 19;
    }
    EntryForm.-narrow .field-row MultiPicker {
        width: 1fr;
    }
    EntryForm #form-buttons {
        height: auto;
        margin-top: 1;
    }
    EntryForm #form-buttons Button {
        margin-right: 2;
    }
    """

    # Narrower terminals get narrower fields, then hints under their field (tracker.tcss), so
    # that every rule stays readable at 60 columns.
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 (Screen declares it without ClassVar)
        (0, "-narrow"),
        (70, "-medium"),
        (100, "-wide"),
    ]
    # The field the cursor starts in is focused as soon as the form is composed, before any key
    # typed after the one that opened it is handed on (see the module's docstring).
    AUTO_FOCUS = ".first-field"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("enter", "enter", "", id="form-enter", show=False, priority=True),
        *field_keys("field"),
        *_arrow_keys(),
        # App keys do not reach a modal; "?" on a choice field opens help (in a text field it is
        # just a character).
        Binding("question_mark", "app.help", "Help", id="form-help", show=False),
        # F1 works in every field (a "?" in a text field is a character): the footer shows it.
        Binding("f1", "app.help", "Help", id="form-help-f1", priority=True),
    ]
    HELP_NOTES = (
        ("enter", "Next required field still empty; when none is left, save"),
        ("enter", "On band and exercise: open the list (up/down in it, enter picks)"),
        ("up / down", "Next / previous field"),
        ("0-4", "Clicking: Never, Rarely, Sometimes, Often, Always"),
        ("l / r / b", "Side: left, right, both"),
        ("y / n", "Clicks painful: yes, no"),
        ("1-5", "Clicked with: tick or untick a movement; enter opens the list"),
        ("left / right", "Next / previous choice of a choice field"),
    )

    # The date row's field: the entry's day ("Date"); a plan names it "From".
    date_spec: ClassVar[Field] = DATE_FIELD

    def __init__(
        self,
        kind: str,
        *,
        day: date,
        entry: Entry | None = None,
        template: Entry | None = None,
        replacing: bool = False,
    ) -> None:
        super().__init__(classes=f"entry-form -{kind}")
        self.kind = kind
        self.day = day
        self.entry = entry
        self.template = template
        self.replacing = replacing
        settings = self.tracker.settings
        self.unit: DistanceUnit = settings.distance
        self.date_order: DateOrder = settings.date_order
        self.specs: tuple[Field, ...] = tuple(self._in_unit(spec) for spec in FIELDS[kind])
        self.all_specs: tuple[Field, ...] = (self.date_spec, *self.specs, NOTES_FIELD)
        self._custom_exercise = ""
        self._opened: dict[str, str] = {}
        self._km_opened: object = None
        """The distance in km the form opened with: kept as is when its shown value is."""
        self.saving = False
        """True from a save until the write worker answers (a busy folder: up to 10 s)."""
        self._focus_before_busy: Widget | None = None

    def _in_unit(self, spec: Field) -> Field:
        """``spec`` as the form shows it: the distance in miles when the settings say so."""
        if spec.name != DISTANCE or self.unit == "km" or spec.high is None:
            return spec
        return spec._replace(label="Distance (miles)", high=km_to(self.unit, spec.high))

    # ------------------------------------------------------------------ building

    def _initial(self) -> dict[str, Any]:
        """The values the form opens with."""
        if self.entry is not None:
            return dict(self.entry)
        values: dict[str, Any] = {"date": self.day.isoformat(), "notes": None}
        if self.template is not None:
            values.update({spec.name: self.template.get(spec.name) for spec in self.specs})
        else:
            values.update({spec.name: records.DEFAULTS.get(spec.name) for spec in self.specs})
        return values

    def _title(self, day: date | str) -> str:
        label = KIND_LABELS[self.kind]
        if self.entry is not None and not self.replacing:
            return f"Edit {label.lower()} · {short_date(day)}"
        return f"{label} · {short_date(day)}"

    def _intro(self) -> str:
        if self.replacing:
            return "This day has a check-in: saving replaces it (you will be asked first)."
        if self.entry is not None:
            return "Change what differs, then press enter."
        # A field that says what it means under itself (Field.hint) needs no scale up here.
        scales = dict.fromkeys(
            SCALES[spec.name] for spec in self.specs if spec.name in SCALES and not spec.hint
        )
        if scales:
            return " ".join(scales)
        if self.template is not None:
            return (
                f"Starts from your last session ({short_date(self.template['date'])}): "
                "change what differs, then press enter."
            )
        if not kind_of(self.kind).is_exercise:
            return f"Fill in the {KIND_LABELS[self.kind].lower()}, then press enter."
        return "Fill in the session, then press enter."

    def _shown(self, spec: Field, value: Any) -> str:
        """What the control of ``spec`` holds for a stored ``value``, as ``values()`` reads it."""
        if spec.name == "side":
            return str(value or "both")
        if spec.name == DISTANCE and isinstance(value, int | float) and self.unit != "km":
            return _text(km_to(self.unit, value))
        match spec.type:
            case "choice":
                return "" if value is None else str(value)
            case "exercise":
                if value is None:
                    return ROTATION_EXERCISES[0]
                return str(value) if value in ROTATION_EXERCISES else _text(value)
            case "bool":
                return "" if value is None else ("yes" if value else "no")
            case "multi":
                return ",".join(sorted(value)) if isinstance(value, list) else ""
            case "int" | "number" | "tempo" | "text" | "date":
                return _text(value)
            case _:
                assert_never(spec.type)

    def _control(self, spec: Field, value: Any) -> Widget:
        widget_id = f"field-{spec.name}"
        shown = self._shown(spec, value)
        if spec.name in CLICKING_FIELDS:
            return ChoicePicker(
                [(str(i), f"{i}  {word}") for i, word in enumerate(CLICKING_WORDS)],
                value=shown or None,
                keys={str(i): str(i) for i in range(len(CLICKING_WORDS))},
                placeholder="not set",
                id=widget_id,
            )
        if self.kind == "pgic" and spec.name == PGIC_FIELD:
            return ChoicePicker(
                [(str(i), f"{i}  {word}") for i, word in enumerate(PGIC_WORDS, 1)],
                value=shown or None,
                keys={str(i): str(i) for i in range(1, len(PGIC_WORDS) + 1)},
                placeholder="not set",
                id=widget_id,
            )
        if spec.name == "side":
            return ChoicePicker(
                [("left", "left"), ("right", "right"), ("both", "both")],
                value=shown,
                keys={"l": "left", "r": "right", "b": "both"},
                id=widget_id,
            )
        match spec.type:
            case "choice":
                return self._choice_list(spec, shown, widget_id)
            case "exercise":
                return self._exercise_list(shown, widget_id)
            case "bool":
                return ChoicePicker(
                    [("", "not said"), ("yes", "yes"), ("no", "no")],
                    value=shown,
                    keys={"y": "yes", "n": "no"},
                    id=widget_id,
                )
            case "multi":
                labels = records.CHOICE_LABELS.get(spec.name, {})
                return MultiPicker(
                    [(word, labels.get(word, word)) for word in spec.choices],
                    value=shown,
                    id=widget_id,
                )
            case "int" | "number" | "tempo" | "text" | "date":
                return Input(value=shown, id=widget_id, select_on_focus=True, compact=True)
            case _:
                assert_never(spec.type)

    def _choice_list(self, spec: Field, shown: str, widget_id: str) -> ChoicePicker:
        """A list of the field's choices (the band colours); an optional field can be left
        unrecorded."""
        choices = [(choice, choice) for choice in spec.choices]
        if not spec.required:
            choices.insert(0, ("", "not recorded"))
        return ChoicePicker(
            choices,
            value=shown if shown in {value for value, _label in choices} else None,
            opens_list=True,
            type_ahead=True,
            id=widget_id,
        )

    def _exercise_list(self, shown: str, widget_id: str) -> ChoicePicker:
        """The named exercises, and "Other", which opens a field for the user's own name."""
        if shown not in ROTATION_EXERCISES:
            self._custom_exercise = shown
            shown = CUSTOM
        return ChoicePicker(
            [
                *((name, EXERCISE_LABELS[name]) for name in ROTATION_EXERCISES),
                (CUSTOM, "Other (type its name)"),
            ],
            value=shown,
            opens_list=True,
            type_ahead=True,
            id=widget_id,
        )

    def _set_shown(self, name: str, text: str) -> None:
        """Put ``text`` (as ``_shown`` gives it) in the control of field ``name``."""
        control = self.query_one(f"#field-{name}")
        if isinstance(control, ChoicePicker):
            if name == "exercise" and text not in ROTATION_EXERCISES:
                self.query_one("#field-custom_exercise", Input).value = text
                text = CUSTOM
            choices = {value for value, _label in control.choices}
            control.value = text if text in choices else None
        elif isinstance(control, MultiPicker):
            control.value = text
        else:
            cast(Input, control).value = text

    def _row(self, spec: Field, control: Widget, *, row_id: str | None = None) -> Horizontal:
        return Horizontal(
            Label(Content(spec.label), classes="field-label"),
            control,
            Static(
                Content(hint_for(spec, self.date_order)),
                classes="field-hint",
                id=f"hint-{spec.name}",
            ),
            classes="field-row",
            id=row_id or f"row-{spec.name}",
        )

    def _rows(self, spec: Field, control: Widget) -> ComposeResult:
        """A field's row, and under it what the field means (``Field.hint``), if it says.

        The meaning shows while its field has the focus only: every field's at once made the
        check-in form twice as tall as an 80x24 terminal, with Save out of sight.
        """
        yield self._row(spec, control)
        meaning = spec.hint
        if spec.name == DATE_FIELD.name:
            meaning = f"Type a day as {examples(self.date_order)}."
        if meaning:
            yield Static(Content(meaning), classes="field-meaning", id=f"meaning-{spec.name}")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Show the meaning of the focused field only."""
        focused_id = event.widget.id or ""
        if not focused_id.startswith("field-"):
            return  # a button: keep the layout still, or a click's release would miss it
        name = focused_id.removeprefix("field-")
        for meaning in self.query(".field-meaning"):
            meaning.set_class(meaning.id == f"meaning-{name}", "-shown")

    def compose(self) -> ComposeResult:
        initial = self._initial()
        self._km_opened = initial.get(DISTANCE)
        first = self._first_field()
        # A scroll, not a box: at 40x12 the fields do not fit, and the focused one must be seen.
        with VerticalScroll(id="form-box", can_focus=False) as box:
            box.border_title = self._title(initial.get("date") or self.day)
            yield Static(Content(self._intro()), id="form-intro")
            yield from self._rows(
                self.date_spec, self._control(self.date_spec, initial.get("date"))
            )
            for spec in self.specs:
                control = self._control(spec, initial.get(spec.name))
                control.set_class(spec is first, "first-field")
                yield from self._rows(spec, control)
                if spec.type == "exercise":
                    # No max_length: an Input drops what is typed past it without a word. A long
                    # name stays as typed, and the hint and the save say what is allowed.
                    row = self._row(
                        CUSTOM_FIELD,
                        Input(
                            value=self._custom_exercise,
                            id="field-custom_exercise",
                            compact=True,
                        ),
                    )
                    row.display = bool(self._custom_exercise)
                    yield row
            yield from self._rows(NOTES_FIELD, self._control(NOTES_FIELD, initial.get("notes")))
            error = Static(id="form-error")
            error.display = False
            yield error
            with Horizontal(id="form-buttons"):
                yield Button("Save (ctrl+s)", id="form-save", variant="primary", compact=True)
                yield Button("Cancel (escape)", id="form-cancel", compact=True)
            yield Static(Content(KEYS_LINE), id="form-keys")
        # Its own footer: the screen beneath is not repainted while the form is up, so its
        # footer's row went blank; here ? Help leads, and quit and undo show, dimmed.
        yield FitFooter()

    def _first_field(self) -> Field:
        """Where the cursor starts: the first field typed as text (not Date)."""
        return next((spec for spec in self.specs if spec.type in TYPED), self.specs[0])

    def on_mount(self) -> None:
        # What the form showed when it opened: an edit saves only the fields that differ.
        self._opened = self.values()

    # ------------------------------------------------------------------ moving

    def _field_names(self) -> list[str]:
        """The fields in the order the form shows them (the custom name when it is shown)."""
        names = ["date"]
        for spec in self.specs:
            names.append(spec.name)
            if spec.type == "exercise" and self._custom_selected():
                names.append(CUSTOM_FIELD.name)
        return [*names, "notes"]

    def _empty_required(self, values: Mapping[str, str]) -> list[str]:
        """The required fields still empty, in the form's order (the custom name for "Other")."""
        typed = {**values, CUSTOM_FIELD.name: self._custom_name()}
        required = {spec.name for spec in self.all_specs if spec.required} | {CUSTOM_FIELD.name}
        return [
            name
            for name in self._field_names()
            if name in required
            and not (typed.get(name) or "").strip()
            and not (name == "exercise" and self._custom_selected())
        ]

    async def _keys_handled(self) -> None:
        """Wait until every field has handled the keys handed to it before this one.

        ``enter`` and ``ctrl+s`` are priority bindings: the app runs them as they arrive, while
        digits typed just before ("4<tab>3<enter>", a fast typist) may still wait in their
        field's queue. A callback queued behind them in each field says when they are in; the
        app holds the keys typed after meanwhile, so they land where this key sends the cursor.
        """
        loop = asyncio.get_running_loop()
        waits: list[asyncio.Future[None]] = []
        for control in self.query(".field-row > *"):
            if control.id is None or not control.id.startswith("field-"):
                continue
            done: asyncio.Future[None] = loop.create_future()
            if control.is_running and control.call_later(done.set_result, None):
                waits.append(done)
        await asyncio.gather(*waits)

    async def action_enter(self) -> None:
        """``enter``: a button presses, a list opens; anywhere else the cursor goes to the next
        required field still empty, and when none is left the form saves."""
        if self.saving:
            return
        await self._keys_handled()
        focused = self.focused
        if isinstance(focused, Button):
            focused.press()
            return
        if isinstance(focused, ChoicePicker) and focused.opens_list:
            focused.open_list()
            return
        if isinstance(focused, MultiPicker):
            focused.open_list()
            return
        current = (focused.id or "").removeprefix("field-") if focused is not None else ""
        names = self._field_names()
        empty = set(self._empty_required(self.values()))
        index = names.index(current) if current in names else -1
        after = names[index + 1 :] + names[: max(index, 0)]
        target = next((name for name in after if name in empty), None)
        if target is None:
            self.save()
        else:
            self.set_focus(self.query_one(f"#field-{target}"))

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    @on(Input.Changed, "#field-date")
    def _date_typed(self, event: Input.Changed) -> None:
        """The title names the day the date field holds, as soon as it holds a valid one."""
        try:
            day = self._parse_date(event.value)
        except ValidationError:
            return
        self.query_one("#form-box").border_title = self._title(day)

    def _parse_date(self, text: str) -> date:
        return parse_day(text, today=self.tracker.today, order=self.date_order)

    # ------------------------------------------------------------------ values

    def values(self) -> dict[str, str]:
        """What the form holds, as text, by stored field name ("" = not given)."""
        result: dict[str, str] = {}
        for name in ("date", *(spec.name for spec in self.specs), "notes"):
            control = self.query_one(f"#field-{name}")
            if isinstance(control, ChoicePicker):
                value = control.value or ""
                if value == CUSTOM:
                    value = self._custom_name()
                result[name] = value
            elif isinstance(control, MultiPicker):
                result[name] = control.value
            else:
                result[name] = cast(Input, control).value
        return result

    def _custom_name(self) -> str:
        if not self.kind_has_exercise:
            return ""
        return self.query_one("#field-custom_exercise", Input).value

    @property
    def kind_has_exercise(self) -> bool:
        return any(spec.type == "exercise" for spec in self.specs)

    def _for_store(self, values: Mapping[str, str]) -> dict[str, str]:
        """``values`` (checked) as the store takes them: the date as YYYY-MM-DD, the distance
        in km (unchanged, to the last digit, when the user left it alone)."""
        stored = dict(values)
        stored["date"] = self._parse_date(values["date"]).isoformat()
        for spec in self.specs:  # a day field (an event's end) typed as people type days
            if spec.type == "date" and values.get(spec.name, "").strip():
                stored[spec.name] = self._parse_date(values[spec.name]).isoformat()
        distance = values.get(DISTANCE, "").strip()
        if DISTANCE in values and self.unit != "km" and distance:
            if values[DISTANCE] == self._opened.get(DISTANCE) and self._km_opened is not None:
                stored[DISTANCE] = str(self._km_opened)
            else:
                spec = next(spec for spec in self.specs if spec.name == DISTANCE)
                stored[DISTANCE] = str(to_km(self.unit, float(records.coerce(spec, distance))))
        return stored

    def _check(self, values: Mapping[str, str]) -> dict[str, ValidationError]:
        """Every field's error at once, so the user fixes them in one go."""
        errors: dict[str, ValidationError] = {}
        try:
            self._parse_date(values["date"])
        except ValidationError as error:
            errors["date"] = error
        for spec in (*self.specs, NOTES_FIELD):
            try:
                if spec.type == "date" and values[spec.name].strip():
                    self._parse_date(values[spec.name])
                else:
                    records.coerce(spec, values[spec.name])
            except ValidationError as error:
                errors[spec.name] = ValidationError(spec.name, error.allowed, error.got)
        if not errors:  # the rules between fields (an end date only for a flare)
            stored = self._for_store(values)
            entry = {"kind": self.kind, "date": stored["date"]}
            entry.update(records.build_fields(self.kind, stored))
            try:
                records.check_between_fields(entry, today=self.tracker.today)
            except ValidationError as error:
                errors[error.field] = error
        return errors

    def _rule(self, spec: Field, error: ValidationError, empty: bool) -> str:
        """What a wrong field says beside it: ``required, a whole number from 0 to 10``."""
        if spec.name == CUSTOM_FIELD.name:
            return self._custom_rule()
        if empty:
            if spec.name in NAMED_HINTS:
                return f"required: {NAMED_HINTS[spec.name]}"
            return printable(f"required, {error.allowed}")
        return printable(f"must be {error.allowed}")

    def _show_errors(self, errors: Mapping[str, ValidationError]) -> None:
        values = self.values()
        empty = set(self._empty_required(values))
        custom = self._custom_selected() if self.kind_has_exercise else False
        if custom and "exercise" in errors:
            errors = {**errors, CUSTOM_FIELD.name: errors["exercise"]}
            errors = {name: error for name, error in errors.items() if name != "exercise"}
        for spec in (*self.all_specs, *((CUSTOM_FIELD,) if self.kind_has_exercise else ())):
            hint = self.query_one(f"#hint-{spec.name}", Static)
            error = errors.get(spec.name)
            if error is None:
                hint.update(Content(hint_for(spec, self.date_order)))
                hint.remove_class("-error")
            else:
                hint.update(Content(self._rule(spec, error, spec.name in empty)))
                hint.add_class("-error")
        if errors:
            first = next(name for name in self._field_names() if name in errors)
            self.set_focus(self.query_one(f"#field-{first}"))
            self._show_form_error(self._errors_summary(errors, empty))
        else:
            self._show_form_error("")

    def _errors_summary(self, errors: Mapping[str, ValidationError], empty: set[str]) -> str:
        """``Not saved: 2 fields still empty (Back pain · Clicking, right knee).``, naming every
        wrong field, so that a field scrolled out of sight (or a hint cut by a narrow terminal)
        is not missed."""
        order = [name for name in self._field_names() if name in errors]
        missing = [self._label(name) for name in order if name in empty]
        wrong = [self._label(name) for name in order if name not in empty]
        parts = []
        if len(missing) == 1:
            parts.append(f"{missing[0]} is still empty")
        elif missing:
            parts.append(f"{still_empty(len(missing))} ({' · '.join(missing)})")
        if len(wrong) == 1:
            parts.append(f"{wrong[0]} needs a different value")
        elif wrong:
            parts.append(f"these need a different value: {' · '.join(wrong)}")
        return f"Not saved: {'; '.join(parts)}."

    def _show_form_error(self, text: str, *, reveal: bool = False, note: bool = False) -> None:
        """The line under the fields; ``reveal`` scrolls it into sight (a failed write: no field
        is to blame, so none takes the focus to show where); a ``note`` is news, not an error."""
        message = self.query_one("#form-error", Static)
        message.update(Content(text))
        message.display = bool(text)
        message.set_class(note, "-note")
        if text and reveal:
            self.call_after_refresh(message.scroll_visible, animate=False)

    def _custom_rule(self) -> str:
        """What is wrong with the typed exercise name, in words (the rule is 1 to 60 characters)."""
        name = self.query_one("#field-custom_exercise", Input).value.strip()
        most = records.CUSTOM_EXERCISE_MAX
        if not name:
            return "required: type the exercise's name"
        if len(name) > most:
            return f"must be at most {most} characters: this one has {len(name)}"
        return "must be plain text, without control characters"

    def _custom_selected(self) -> bool:
        return self.query_one("#field-exercise", ChoicePicker).value == CUSTOM

    # ------------------------------------------------------------------ saving

    async def action_save(self) -> None:
        """``ctrl+s``: save once the keys typed before it are in their fields."""
        if self.saving:
            return
        await self._keys_handled()
        self.save()

    def save(self) -> None:
        """Check every field; write the entry when all are valid, else say what is wrong."""
        if self.saving:
            return
        values = self.values()
        errors = self._check(values)
        self._show_errors(errors)
        if errors:
            return
        if self.entry is not None and not self.changes(values):
            self.app.notify("Nothing changed, nothing saved.", markup=False)
            self.dismiss(None)
            return
        if self.replacing:
            from tracker.tui.screens.confirm import ConfirmScreen

            question = f"Replace the check-in of {short_date(self.entry['date'])}?"  # type: ignore[index]
            self.app.push_screen(
                ConfirmScreen(
                    question, detail="Its values are overwritten by these.", confirm_label="Replace"
                ),
                lambda yes: self._write(values, replace=False) if yes else None,
            )
            return
        self._write(values, replace=False)

    def changes(self, values: Mapping[str, str]) -> dict[str, str]:
        """The fields the user changed since the form opened (or was reloaded).

        An edit writes only these, so a field another terminal changed meanwhile, and that the
        user left alone, keeps the other terminal's value.
        """
        return {name: text for name, text in values.items() if text != self._opened.get(name)}

    def _write(self, values: dict[str, str], *, replace: bool) -> None:
        """Hand the entry to the app's write worker; the form stays until the answer comes."""
        if self.saving:
            return
        self.saving = True
        stored = self._for_store(values)
        entry, changes = self.entry, {name: stored[name] for name in self.changes(values)}
        kind = self.kind

        def change(store: Store) -> Entry:
            if entry is None:
                return store.add(kind, stored, replace=replace)
            return store.edit(entry["id"], changes, replace=replace, based_on=entry)

        self.tracker.write(
            change,
            done=self._saved,
            failed=lambda error: self._not_saved(values, error),
            busy=self.show_busy,
        )

    def show_busy(self) -> None:
        """Another tracker holds the data folder: say so, and hold the fields while we wait."""
        if not self.is_attached:
            return
        self._focus_before_busy = self.focused
        self.query_one("#form-box").disabled = True
        wait = lock.WAIT_SECONDS
        self._show_form_error(
            f"Busy: another tracker is writing; saving when it is free (at most {wait:.0f} s).",
            reveal=True,
            note=True,
        )

    def _done_waiting(self) -> None:
        self.saving = False
        box = self.query_one("#form-box")
        if box.disabled:
            box.disabled = False
            (self._focus_before_busy or self.query_one("#field-date")).focus()
            self._focus_before_busy = None

    def _saved(self, entry: Entry, warning: str | None) -> None:
        say_written(self.tracker, self._saved_message(entry), warning)
        if not self.is_attached:
            return
        self._done_waiting()
        if self.app.screen is not self:
            self.pop_until_active()  # help opened while the save waited
        self.dismiss(entry)

    def _not_saved(self, values: dict[str, str], error: Refusal) -> None:
        from tracker.store import ChangedElsewhere, CheckinExists, EntryNotFound

        if not self.is_attached:
            write_failed(self.tracker, error)
            return
        self._done_waiting()
        if isinstance(error, CheckinExists):
            self._ask_replace(values, error.day)
        elif isinstance(error, ValidationError):
            self._show_errors({error.field: error})
        elif isinstance(error, ChangedElsewhere):
            self._changed_elsewhere(error.entry, error.fields)
        elif isinstance(error, EntryNotFound):
            self._deleted_elsewhere()
        else:
            # A failed write (disk full, folder busy, unusable file): the form keeps what was typed.
            self._show_form_error(printable(f"Not saved: {error}"), reveal=True)
            write_failed(self.tracker, error)

    def _label(self, name: str) -> str:
        specs = (*self.all_specs, CUSTOM_FIELD)
        return next((spec.label for spec in specs if spec.name == name), name)

    def _changed_elsewhere(self, current: Entry, fields: list[str]) -> None:
        """Another terminal changed fields this form changes: never overwrite, offer a reload."""
        from tracker.tui.screens.confirm import ConfirmScreen

        names = " · ".join(self._label(name) for name in fields)  # labels may hold commas
        question = f"Changed elsewhere meanwhile ({names}): reload?"
        self._show_form_error(f"Not saved. {question}", reveal=True)

        def answered(yes: bool | None) -> None:
            if yes:
                self.reload(current, fields)

        self.app.push_screen(
            ConfirmScreen(
                question,
                detail=(
                    f"Reload shows what is stored now in {names}; your other changes stay. "
                    "Cancel keeps the form as it is: saving is refused until you reload."
                ),
                confirm_label="Reload",
            ),
            answered,
        )

    def reload(self, current: Entry, clashing: list[str]) -> None:
        """Show ``current`` (the entry as stored now) as the form's starting point.

        Fields changed elsewhere (``clashing``) and fields the user left alone take the stored
        values; the user's other changes stay, to be saved on top of ``current``.
        """
        typed = self.values()
        fresh = {spec.name: self._shown(spec, current.get(spec.name)) for spec in self.all_specs}
        for name, text in fresh.items():
            if name in clashing or typed.get(name) == self._opened.get(name):
                self._set_shown(name, text)
        self.entry = current
        self._opened = fresh
        self._show_errors({})
        self._show_form_error(
            "Reloaded with what is stored now: check it, then press enter to save.",
            reveal=True,
            note=True,
        )

    def _deleted_elsewhere(self) -> None:
        text = "This entry was deleted elsewhere: nothing was saved. Press escape to close."
        self._show_form_error(text, reveal=True)
        self.app.notify(
            "This entry was deleted elsewhere.", title="Not saved", severity="error", markup=False
        )

    def _ask_replace(self, values: dict[str, str], day: str) -> None:
        from tracker.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(values, replace=True)

        self.app.push_screen(
            ConfirmScreen(
                f"{short_date(day)} has a check-in already. Replace it?",
                detail="Its values are overwritten by these.",
                confirm_label="Replace",
            ),
            answered,
        )

    def _saved_message(self, entry: Entry) -> str:
        what = f"{KIND_LABELS[entry['kind']].lower()} on {short_date(entry['date'])}"
        if self.replacing:
            return f"Replaced the {what}."
        if self.entry is not None:
            return f"Updated {what}."
        return f"Logged {what}."

    def action_cancel(self) -> None:
        if self.saving:
            # The write cannot be called back once handed over: wait for its answer.
            self.app.notify("Still saving: the form closes when it is written.", markup=False)
            return
        if not self.changes(self.values()):
            self.dismiss(None)
            return
        from tracker.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(
                "Discard the changes?",
                detail="y closes the form without saving; n goes back to it.",
                confirm_label="Discard",
            ),
            answered,
        )

    @on(Input.Changed, "#field-custom_exercise")
    def _custom_typed(self, event: Input.Changed) -> None:
        """Warn as soon as the name is too long, before the save refuses it."""
        hint = self.query_one("#hint-custom_exercise", Static)
        too_long = len(event.value.strip()) > records.CUSTOM_EXERCISE_MAX
        hint.update(Content(self._custom_rule() if too_long else hint_for(CUSTOM_FIELD)))
        hint.set_class(too_long, "-error")

    @on(ChoicePicker.Changed, "#field-exercise")
    def _exercise_changed(self, event: ChoicePicker.Changed) -> None:
        self.query_one("#row-custom_exercise").display = event.value == CUSTOM
