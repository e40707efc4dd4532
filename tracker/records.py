"""The four entry kinds, their fields and ranges, validation and derived figures.

Everything here is plain data and pure functions: no I/O, no Textual. An entry is a plain
``dict`` holding exactly the fields of domain.md (optional fields present as ``None``), because
that is what TinyDB stores and what ``tracker list --json`` prints; ``FIELDS`` describes each
field once so that validation, the command line's flags and the TUI's forms agree.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, NamedTuple

from tracker.errors import EXIT_USAGE, TrackerError
from tracker.kinds.registry import Figure, KindNames, KindTable, kind_of
from tracker.numbers import plain
from tracker.text import is_encodable, printable, shorten
from tracker.units import DistanceUnit, km_to

Entry = dict[str, Any]

# Live views of the kind registry (tracker/kinds): every kind's name, the exercise kinds',
# and each kind's label and fields by name. A kind registered later shows up in all of them.
KINDS: Sequence[str] = KindNames()
EXERCISE_KINDS: Sequence[str] = KindNames(exercise_only=True)
KIND_LABELS: Mapping[str, str] = KindTable("label")

SIDES: tuple[str, ...] = ("both", "left", "right")
# TheraBand order, light to heavy.
BANDS: tuple[str, ...] = (
    "none",
    "tan",
    "yellow",
    "red",
    "green",
    "blue",
    "black",
    "silver",
    "gold",
)
ROTATION_EXERCISES: tuple[str, ...] = (
    "clamshell",
    "side_lying_hip_er",
    "seated_hip_er",
    "banded_side_step",
    "standing_shoulder_er",
)
# How every face names the rotation exercises; a custom name is shown as typed.
EXERCISE_LABELS: dict[str, str] = {
    "clamshell": "Clamshell",
    "side_lying_hip_er": "Side-lying hip external rotation",
    "seated_hip_er": "Seated hip external rotation",
    "banded_side_step": "Banded side step",
    "standing_shoulder_er": "Standing shoulder external rotation",
}
# KOOS S2 answer options, scored 0 to 4.
CLICKING_WORDS: tuple[str, ...] = ("Never", "Rarely", "Sometimes", "Often", "Always")
# Lunge alignment: of the reps, how many kept the knee over the second toe (watched in a
# mirror), best first; scored 3 (all) to 0 (few) where a chart needs a number (domain.md).
ALIGNMENTS: tuple[str, ...] = ("all", "most", "some", "few")
ALIGNMENT_SCORES: dict[str, int] = {"all": 3, "most": 2, "some": 1, "few": 0}
# The movements a check-in may say clicked today, as stored; CLICK_MOVE_LABELS says them.
CLICK_MOVES: tuple[str, ...] = ("straightening", "stairs", "squat", "lunge", "other")
CLICK_MOVE_LABELS: dict[str, str] = {
    "straightening": "straightening",
    "stairs": "stairs",
    "squat": "squat or leg press",
    "lunge": "lunge",
    "other": "other",
}
# How forms and cards name the words of a choice field whose stored words are terse.
CHOICE_LABELS: dict[str, dict[str, str]] = {"click_moves": CLICK_MOVE_LABELS}

EARLIEST_DATE = date(1900, 1, 1)
# How far after the local today a stored or imported entry may be dated (another time zone).
STORED_DATE_SLACK = timedelta(days=1)
NOTES_MAX = 1000
CUSTOM_EXERCISE_MAX = 60

FieldType = Literal["int", "number", "tempo", "choice", "exercise", "bool", "text", "multi", "date"]


class Field(NamedTuple):
    """One stored field: its name, how the user names it, and what values it takes.

    A NamedTuple rather than a dataclass: ``dataclasses`` pulls in ``inspect``, 5 ms that
    every quick add would pay.
    """

    name: str
    label: str
    flag: str
    type: FieldType
    required: bool = False
    low: float | None = None
    high: float | None = None
    low_exclusive: bool = False
    choices: tuple[str, ...] = ()
    hint: str = ""
    """What the field means in plain words, shown beside it in forms (tempo, effort ...).

    A ``text`` field's ``high`` is its most characters (notes: ``NOTES_MAX``); a ``date``
    field holds a day on or after the entry's own date, not after today (an event's end)."""
    may_be_unknown: bool = False
    """A required field that a stored entry may still hold as None, "not recorded": a lunge
    imported from a gym app has no tempo. A person logging or editing must give it
    (``new_entry``, the forms); a stored or imported entry may leave it None, and an edit
    keeps it None until a value is typed (domain.md, "tempo not recorded")."""

    @property
    def allowed(self) -> str:
        """The allowed values in words, as error messages and forms show them."""
        if self.type == "int":
            return f"a whole number from {_num(self.low)} to {_num(self.high)}"
        if self.type == "number":
            low = "greater than" if self.low_exclusive else "from"
            joiner = ", at most" if self.low_exclusive else " to"
            return f"a number {low} {_num(self.low)}{joiner} {_num(self.high)}"
        if self.type == "tempo":
            return TEMPO_ALLOWED
        if self.type == "choice":
            return "one of " + ", ".join(self.choices)
        if self.type == "multi":
            return "one or more of " + ", ".join(self.choices) + ", separated by commas"
        if self.type == "exercise":
            return (
                "one of "
                + ", ".join(ROTATION_EXERCISES)
                + f", or a custom name of 1 to {CUSTOM_EXERCISE_MAX} characters"
            )
        if self.type == "bool":
            return "yes or no"
        if self.type == "date":
            return DAY_FIELD_ALLOWED
        return f"text of at most {text_limit(self)} characters"


DAY_FIELD_ALLOWED = "a day as --date takes it, not before the entry's date nor after today"


def text_limit(spec: Field) -> int:
    """The most characters a ``text`` field holds: its ``high``, else ``NOTES_MAX``."""
    return NOTES_MAX if spec.high is None else int(spec.high)


TEMPO_ALLOWED = "a tempo E-B-C-T (or E-B-C), each 0 to 30 seconds or X, e.g. 4-1-4-0"


def _num(value: float | None) -> str:
    """A field's bound as forms and error messages show it; "?" for one it does not have."""
    return "?" if value is None else plain(value)


# Fields of each kind, in domain.md order (forms show them in this order too).
FIELDS: Mapping[str, tuple[Field, ...]] = KindTable("fields")

DATE_FIELD = Field("date", "Date", "--date", "text", required=True)
NOTES_FIELD = Field("notes", "Notes", "--notes", "text")
COMMON_FIELD_NAMES: tuple[str, ...] = ("id", "kind", "date", "notes", "created_at", "updated_at")

# Defaults applied when a new entry leaves a field out.
DEFAULTS: dict[str, Any] = {"side": "both"}


class ValidationError(TrackerError, ValueError):
    """A value outside its field's rule. ``field`` is the stored name; faces translate it."""

    exit_code = EXIT_USAGE

    def __init__(self, field: str, allowed: str, got: object = None) -> None:
        self.field = field
        self.allowed = allowed
        self.got = got
        super().__init__(self.describe(field))

    def describe(self, name: str) -> str:
        """One line naming the field as ``name`` (a flag, a label or the stored name)."""
        got = "" if self.got is None else f", got {_shown(self.got)}"
        return f"{name} must be {self.allowed}{got}"


def _shown(value: object) -> str:
    text = shorten(value if isinstance(value, str) else repr(value), 40)
    # A bad value is echoed in a message: its control characters must not reach the terminal.
    return f"'{printable(text)}'" if isinstance(value, str) else printable(text)


def field_spec(kind: str, name: str) -> Field:
    """The field ``name`` of ``kind``, or of every entry (date, notes)."""
    if name == "date":
        return DATE_FIELD
    if name == "notes":
        return NOTES_FIELD
    for spec in FIELDS[kind]:
        if spec.name == name:
            return spec
    raise KeyError(name)


def field_order(kind: str) -> tuple[str, ...]:
    """Stored field names of ``kind``, in the order they are written."""
    return (
        "id",
        "kind",
        "date",
        *(f.name for f in FIELDS[kind]),
        "notes",
        "created_at",
        "updated_at",
    )


# ---------------------------------------------------------------- single values

# ASCII digits only: Python's int() and float() also take Arabic-Indic and full-width digits,
# underscores ("1_0") and exponents ("1e-320"), none of which a person means in a diary.
_INT_TEXT = re.compile(r"[+-]?[0-9]{1,15}")
_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_HEX_ID = re.compile(r"[0-9a-f]{32}")
_TEMPO_PART = re.compile(r"[0-9]{1,2}|X")


def coerce(spec: Field, value: object) -> Any:
    """Turn ``value`` (typed text, or a JSON value) into the stored value of ``spec``.

    ``None`` and empty text mean "not given": an error for a required field, ``None`` otherwise.
    """
    if value is None or (isinstance(value, str) and value.strip() == ""):
        if spec.required:
            raise ValidationError(spec.name, spec.allowed, value if value else None)
        return DEFAULTS.get(spec.name)
    if spec.type == "int":
        return _coerce_int(spec, value)
    if spec.type == "number":
        return _coerce_number(spec, value)
    if spec.type == "tempo":
        return normalise_tempo(value, spec.name)
    if spec.type == "choice":
        if isinstance(value, str) and value.strip().lower() in spec.choices:
            return value.strip().lower()
        raise ValidationError(spec.name, spec.allowed, value)
    if spec.type == "multi":
        return _coerce_multi(spec, value)
    if spec.type == "exercise":
        return _coerce_exercise(spec, value)
    if spec.type == "bool":
        return _coerce_bool(spec, value)
    if spec.type == "date":
        return parse_date(value, field=spec.name).isoformat()
    return _coerce_text(spec, value)


def _coerce_int(spec: Field, value: object) -> int:
    number: int
    if isinstance(value, bool):
        raise ValidationError(spec.name, spec.allowed, value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _INT_TEXT.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        raise ValidationError(spec.name, spec.allowed, value)
    assert spec.low is not None and spec.high is not None
    if not spec.low <= number <= spec.high:
        raise ValidationError(spec.name, spec.allowed, value)
    return number


def _coerce_number(spec: Field, value: object) -> int | float:
    number: float
    if isinstance(value, bool):
        raise ValidationError(spec.name, spec.allowed, value)
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()):
        number = float(value.strip())
    else:
        raise ValidationError(spec.name, spec.allowed, value)
    assert spec.low is not None and spec.high is not None
    too_low = number <= spec.low if spec.low_exclusive else number < spec.low
    if not math.isfinite(number) or too_low or number > spec.high:
        raise ValidationError(spec.name, spec.allowed, value)
    # Whole numbers are stored as integers so that "30" reads back as 30, not 30.0.
    return int(number) if number.is_integer() else number


def _coerce_multi(spec: Field, value: object) -> list[str] | None:
    """Several of a field's choices: typed as ``stairs,lunge`` or given as a JSON list; stored
    as a sorted list without repeats. Nothing chosen (an empty list) is not given: None."""
    words: list[object]
    if isinstance(value, str):
        words = [part.strip().lower() for part in value.split(",") if part.strip()]
    elif isinstance(value, list | tuple):
        words = [word.strip().lower() if isinstance(word, str) else word for word in value]
    else:
        raise ValidationError(spec.name, spec.allowed, value)
    if not all(isinstance(word, str) and word in spec.choices for word in words):
        raise ValidationError(spec.name, spec.allowed, value)
    return sorted({str(word) for word in words}) or None


def _coerce_exercise(spec: Field, value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError(spec.name, spec.allowed, value)
    name = value.strip()
    if name.lower() in ROTATION_EXERCISES:
        return name.lower()
    if not 1 <= len(name) <= CUSTOM_EXERCISE_MAX or not name.isprintable():
        raise ValidationError(spec.name, spec.allowed, value)
    if not is_encodable(name):
        raise ValidationError(spec.name, spec.allowed + " in UTF-8", value)
    return name


_TRUE_WORDS = {"yes", "y", "true", "1"}
_FALSE_WORDS = {"no", "n", "false", "0"}


def _coerce_bool(spec: Field, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise ValidationError(spec.name, spec.allowed, value)


def _coerce_text(spec: Field, value: object) -> str:
    if not isinstance(value, str) or len(value) > text_limit(spec):
        raise ValidationError(spec.name, spec.allowed, value)
    if not is_encodable(value):
        # A lone surrogate: a byte that was not UTF-8 on the command line, or "\ud800" in JSON.
        raise ValidationError(spec.name, spec.allowed + " in UTF-8 (it holds a byte that is not)")
    return value


def normalise_tempo(value: object, field: str = "tempo") -> str:
    """``4-1-4`` -> ``4-1-4-0``; ``x`` -> ``X``. Each part 0 to 30 seconds, or X."""
    allowed = TEMPO_ALLOWED
    if not isinstance(value, str):
        raise ValidationError(field, allowed, value)
    parts = [part.strip().upper() for part in value.strip().split("-")]
    if len(parts) == 3:
        parts.append("0")
    if len(parts) != 4 or not all(_TEMPO_PART.fullmatch(part) for part in parts):
        raise ValidationError(field, allowed, value)
    if any(part != "X" and int(part) > 30 for part in parts):
        raise ValidationError(field, allowed, value)
    return "-".join(part if part == "X" else str(int(part)) for part in parts)


def tempo_seconds(tempo: str) -> int:
    """Seconds one rep takes at ``tempo`` (stored form); X (explosive) counts as 1 s."""
    return sum(1 if part == "X" else int(part) for part in tempo.split("-"))


def parse_date(
    value: object, *, today: date | None = None, field: str = "date", slack: bool = False
) -> date:
    """An ISO ``YYYY-MM-DD`` date from 1900-01-01 to ``today`` (when given).

    With ``slack``, up to ``today`` + 1 day: stored and imported entries, which a device in a
    time zone ahead may date tomorrow.
    """
    if today is not None and slack:
        today += STORED_DATE_SLACK
        latest = f" to {today.isoformat()} (tomorrow, for a device in a time zone ahead)"
    else:
        latest = f" to today ({today.isoformat()})" if today else ""
    allowed = f"a date YYYY-MM-DD from {EARLIEST_DATE.isoformat()}{latest}"
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(field, allowed, value) from None
    else:
        raise ValidationError(field, allowed, value)
    if day < EARLIEST_DATE or (today is not None and day > today):
        raise ValidationError(field, allowed, value)
    return day


def parse_timestamp(value: object, field: str) -> str:
    """A stored UTC timestamp, read with ``+00:00`` or ``Z``; returned in ``isoformat()`` form."""
    allowed = "an ISO timestamp in UTC, e.g. 2026-11-25T08:30:00+00:00"
    if not isinstance(value, str):
        raise ValidationError(field, allowed, value)
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(field, allowed, value) from None
    if moment.tzinfo is None or moment.utcoffset() != UTC.utcoffset(None):
        raise ValidationError(field, allowed, value)
    return moment.isoformat()


def parse_id(value: object) -> str:
    """An entry id: a UUID, stored as 32 lower-case hex digits (dashes and case ignored)."""
    if isinstance(value, str):
        digits = value.strip().lower().replace("-", "")
        if _HEX_ID.fullmatch(digits):
            return digits
    raise ValidationError("id", "a UUID (32 hex digits)", value)


def now_utc() -> str:
    """The current moment as stored in ``created_at`` / ``updated_at``."""
    return datetime.now(UTC).isoformat()


def new_id() -> str:
    """A random (version 4) UUID as 32 hex digits; built here to spare importing ``uuid``."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    return raw.hex()


# ---------------------------------------------------------------- whole entries


def check_between_fields(
    entry: Mapping[str, Any], *, today: date | None = None, slack: bool = False
) -> None:
    """The rules between an entry's fields: the kind's own ``check`` (an end date only for a
    flare), then a ``date`` field's day is not before the entry's date nor after ``today``
    (+ 1 day with ``slack``, as stored dates). Raises ValidationError naming the field."""
    kind = kind_of(entry["kind"])
    if kind.check is not None:
        kind.check(entry)
    for spec in kind.fields:
        if spec.type != "date" or entry.get(spec.name) is None:
            continue
        value = entry[spec.name]
        latest = None if today is None else today + (STORED_DATE_SLACK if slack else timedelta())
        if value < entry["date"] or (latest is not None and value > latest.isoformat()):
            allowed = f"a date on or after the entry's date ({entry['date']})"
            if latest is not None:
                allowed += f" and not after {latest.isoformat()}"
            raise ValidationError(spec.name, allowed, value)


def build_fields(
    kind: str, values: Mapping[str, object], *, unknown: bool | Collection[str] = False
) -> Entry:
    """Validate the kind-specific fields of ``values`` and return them in stored order.

    A field whose spec says ``may_be_unknown`` may be None ("not recorded") although it is
    required when ``unknown`` is True (stored and imported entries) or names it (an edit of
    an entry that had none); an empty text still may not (a person typed nothing).
    """
    if not isinstance(kind, str) or kind not in FIELDS:
        raise ValidationError("kind", "one of " + ", ".join(KINDS), kind)
    fields: Entry = {}
    for spec in FIELDS[kind]:
        value = values.get(spec.name)
        allowed = unknown is True or (not isinstance(unknown, bool) and spec.name in unknown)
        if value is None and spec.may_be_unknown and allowed:
            fields[spec.name] = None
        else:
            fields[spec.name] = coerce(spec, value)
    return fields


def new_entry(
    kind: str, values: Mapping[str, object], *, today: date, now: str | None = None
) -> Entry:
    """A new, validated entry of ``kind`` from user values (typed text or typed values).

    ``values`` may hold ``date`` (default ``today``) and ``notes``; the id and timestamps are new.
    """
    fields = build_fields(kind, values)
    raw_date = values.get("date")
    day = today if raw_date in (None, "") else parse_date(raw_date, today=today)
    stamp = now or now_utc()
    entry: Entry = {"id": new_id(), "kind": kind, "date": day.isoformat()}
    entry.update(fields)
    entry["notes"] = coerce(NOTES_FIELD, values.get("notes"))
    entry["created_at"] = stamp
    entry["updated_at"] = stamp
    check_between_fields(entry, today=today)
    return entry


def apply_changes(
    entry: Mapping[str, Any],
    changes: Mapping[str, object],
    *,
    today: date,
    now: str | None = None,
) -> Entry:
    """``entry`` with ``changes`` applied (``""`` clears an optional field), validated again."""
    kind = entry["kind"]
    allowed = {spec.name for spec in FIELDS[kind]} | {"date", "notes"}
    for name in changes:
        if name not in allowed:
            raise ValidationError(name, f"a field of a {kind} entry: " + ", ".join(sorted(allowed)))
    merged = {**entry, **changes}
    # An emptied optional field goes back to its default: None, or "both" for the side. A
    # field not recorded (an imported lunge's tempo) stays so until a value is typed.
    unknown = {name for name, value in entry.items() if value is None and name not in changes}
    fields = build_fields(kind, merged, unknown=unknown)
    day = parse_date(merged.get("date"))
    if day.isoformat() != entry["date"]:
        # Only a new date is checked against today: an entry dated tomorrow by a device in a
        # time zone ahead must stay editable (issue 7, item 20).
        day = parse_date(merged.get("date"), today=today)
    updated: Entry = {"id": entry["id"], "kind": kind, "date": day.isoformat()}
    updated.update(fields)
    updated["notes"] = coerce(NOTES_FIELD, merged.get("notes"))
    updated["created_at"] = entry["created_at"]
    updated["updated_at"] = now or now_utc()
    check_between_fields(updated, today=today, slack=True)
    return updated


def validate_entry(raw: object, *, today: date | None = None, complete: bool = True) -> Entry:
    """A stored or imported entry, checked field by field and returned in normal form.

    With ``complete`` false (import), ``created_at``/``updated_at`` may be missing and are set
    to now; optional fields may be missing and are stored as ``None``; timestamps after now + 1
    day are refused (a later ``updated_at`` wins a merge, so a wrong clock would win them all).
    Unknown fields are refused so that a foreign or mistyped file is noticed instead of
    silently stored. ``today`` is the local date: a stored entry may be dated up to a day
    after it, as a device in a time zone ahead writes them.
    """
    if not isinstance(raw, Mapping):
        raise ValidationError("entry", "a JSON object", type(raw).__name__)
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in FIELDS:
        raise ValidationError("kind", "one of " + ", ".join(KINDS), kind)
    known = set(field_order(kind))
    for name in raw:
        if name not in known:
            raise ValidationError(str(name), f"not a field of a {kind} entry (unknown field)")
    if complete:
        # An optional field added after an entry was written is missing from it: read as None.
        optional = {spec.name for spec in FIELDS[kind] if not spec.required}
        for name in field_order(kind):
            if name not in raw and name not in optional:
                raise ValidationError(name, "present in every stored entry", None)
    entry: Entry = {"id": parse_id(raw.get("id")), "kind": kind}
    entry["date"] = parse_date(raw.get("date"), today=today, slack=True).isoformat()
    entry.update(build_fields(kind, raw, unknown=True))
    entry["notes"] = coerce(NOTES_FIELD, raw.get("notes"))
    stamp = None if complete else now_utc()
    created = raw.get("created_at", stamp)
    entry["created_at"] = parse_timestamp(created, "created_at")
    entry["updated_at"] = parse_timestamp(raw.get("updated_at", created), "updated_at")
    if not complete:
        limit = datetime.now(UTC) + STORED_DATE_SLACK
        for name in ("created_at", "updated_at"):
            if datetime.fromisoformat(entry[name]) > limit:
                raise ValidationError(
                    name,
                    f"a time no later than now + 1 day ({limit:%Y-%m-%d %H:%M} UTC)",
                    raw.get(name),
                )
    check_between_fields(entry, today=today, slack=True)
    return entry


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_STORED_TEMPO = re.compile(r"(?:[12]?\d|30|X)(?:-(?:[12]?\d|30|X)){3}")


def _stored_checks(kind: str) -> tuple[frozenset[str], tuple[tuple[str, Any], ...]]:
    """Per field of ``kind``: a cheap test that a stored value is valid as it stands."""
    checks: list[tuple[str, Any]] = []
    for spec in FIELDS[kind]:
        low, high = spec.low, spec.high
        test: Any
        if spec.type == "int":
            test = lambda v, lo=low, hi=high: type(v) is int and lo <= v <= hi  # noqa: E731
        elif spec.type == "number":
            test = (  # noqa: E731
                lambda v, lo=low, hi=high, ex=spec.low_exclusive: (
                    type(v) in (int, float) and (lo < v if ex else lo <= v) and v <= hi
                )
            )
        elif spec.type == "choice":
            test = lambda v, choices=spec.choices: v in choices  # noqa: E731
        elif spec.type == "tempo":
            test = lambda v: type(v) is str and _STORED_TEMPO.fullmatch(v) is not None  # noqa: E731
        elif spec.type == "bool":
            test = lambda v: type(v) is bool  # noqa: E731
        elif spec.type == "multi":
            test = lambda v, choices=spec.choices: (  # noqa: E731
                type(v) is list
                and len(v) > 0
                and all(w in choices for w in v)
                and v == sorted(set(v))
            )
        elif spec.type == "date":
            test = lambda v: type(v) is str and _ISO_DAY.fullmatch(v) is not None  # noqa: E731
        elif spec.type == "text":
            most = text_limit(spec)
            test = lambda v, most=most: (  # noqa: E731
                type(v) is str and len(v) <= most and is_encodable(v)
            )
        else:
            test = lambda v: (  # noqa: E731
                type(v) is str and 1 <= len(v) <= CUSTOM_EXERCISE_MAX and is_encodable(v)
            )
        stored_optional = not spec.required or spec.may_be_unknown
        checks.append((spec.name, _optional(test) if stored_optional else test))
    return frozenset(field_order(kind)), tuple(checks)


def _optional(test: Any) -> Any:
    return lambda v: v is None or test(v)


# Built per kind on first use: a kind may be registered after this module is imported.
_STORED: dict[str, tuple[frozenset[str], tuple[tuple[str, Any], ...]]] = {}


def check_stored_entry(raw: object) -> None:
    """Raise ValidationError unless ``raw`` is a valid entry as stored by tracker.

    Reading ten years means checking 18,000 entries on every start, so the common case (a
    file we wrote) takes a fast path of plain comparisons; anything unusual goes through
    ``validate_entry`` for the exact message.

    An entry written before one of its kind's optional fields existed (a lunge without
    ``alignment``) is valid: the missing fields are filled in as None, in place and in stored
    order, so that every face reads every field of every entry.
    """
    if type(raw) is dict:
        kind = raw.get("kind")
        stored = None
        if type(kind) is str and kind in FIELDS:
            stored = _STORED.get(kind)
            if stored is None:
                stored = _STORED[kind] = _stored_checks(kind)
        if (
            stored is not None
            and raw.keys() < stored[0]
            and all(not spec.required for spec in FIELDS[raw["kind"]] if spec.name not in raw)
        ):
            # Written before an optional field existed (every lunge before "alignment"):
            # fill it in first, so that years of such entries keep the fast path (measured:
            # 60 us an entry on the slow one, 5 s for 50 years).
            _fill_missing_optional(raw)
        if (
            stored is not None
            and raw.keys() == stored[0]
            and all(test(raw[name]) for name, test in stored[1])
            and type(raw["id"]) is str
            and _HEX_ID.fullmatch(raw["id"])
            and type(raw["date"]) is str
            and _ISO_DAY.fullmatch(raw["date"])
            and (
                raw["notes"] is None
                or (
                    type(raw["notes"]) is str
                    and len(raw["notes"]) <= NOTES_MAX
                    and is_encodable(raw["notes"])
                )
            )
            and type(raw["created_at"]) is str
            and type(raw["updated_at"]) is str
        ):
            try:
                day = date.fromisoformat(raw["date"])
                for stamp in (raw["created_at"], raw["updated_at"]):
                    moment = datetime.fromisoformat(stamp)
                    if moment.utcoffset() != _ZERO:
                        break
                else:
                    if day >= EARLIEST_DATE and _fields_agree(raw):
                        return
            except ValueError:
                pass
    validate_entry(raw)
    _fill_missing_optional(raw)


def _fill_missing_optional(raw: object) -> None:
    """``raw`` (valid) with the optional fields it lacks added as None, in stored order."""
    if not isinstance(raw, dict):
        return
    order = field_order(raw["kind"])
    if raw.keys() == set(order):
        return
    filled = {name: raw.get(name) for name in order}
    raw.clear()
    raw.update(filled)


_ZERO = timedelta(0)


def _fields_agree(raw: dict[str, Any]) -> bool:
    """The rules between fields, on the fast path (a refusal goes round for its message)."""
    try:
        kind = kind_of(raw["kind"])
        if kind.check is None and not any(spec.type == "date" for spec in kind.fields):
            return True
        for spec in kind.fields:
            if spec.type == "date" and raw[spec.name] is not None:
                date.fromisoformat(raw[spec.name])
        check_between_fields(raw)
    except (ValidationError, ValueError):
        return False
    return True


# ---------------------------------------------------------------- derived figures


def time_under_tension_s(entry: Mapping[str, Any]) -> int | None:
    """Lunge time under tension: sets x reps x (E+B+C+T), doubled when both legs worked.

    None when the tempo was not recorded (a lunge imported from a gym app): the time is
    unknown, which is not the same as none (domain.md)."""
    if entry.get("tempo") is None:
        return None
    legs = 2 if entry.get("side") == "both" else 1
    return int(entry["sets"]) * int(entry["reps"]) * tempo_seconds(entry["tempo"]) * legs


def session_load(entry: Mapping[str, Any]) -> float | None:
    """Session-RPE load (Foster 2001): effort x minutes, for cycling; None without effort."""
    if entry.get("kind") != "cycling" or entry.get("effort") is None:
        return None
    return float(entry["effort"]) * float(entry["minutes"])


def exercise_label(name: str) -> str:
    """A rotation exercise in words; a custom name is returned as typed."""
    return EXERCISE_LABELS.get(name, name)


def short_date(day: date | str) -> str:
    """``Wed 25 Nov 2026``: how titles, messages and notifications name a day."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return f"{day:%a} {day.day} {day:%b %Y}"


def click_moves_words(moves: Sequence[str] | None) -> str:
    """ "stairs, squat or leg press": stored movements in the order of ``CLICK_MOVES``."""
    chosen = set(moves or ())
    return ", ".join(CLICK_MOVE_LABELS[m] for m in CLICK_MOVES if m in chosen)


def clicking_word(score: int | None) -> str:
    """The KOOS S2 word for a clicking score, or an empty string for none."""
    return "" if score is None else CLICKING_WORDS[score]


def sort_key(entry: Mapping[str, Any]) -> tuple[str, str, str]:
    """The order of ``tracker list``: date, then ``created_at``, then ``id``."""
    return (entry["date"], entry["created_at"], entry["id"])


def distance_text(km: float, unit: DistanceUnit = "km") -> str:
    """ "12.5 km", "7.77 miles", "1 mile": a distance stored in km, in the unit the user reads."""
    value = km_to(unit, km)
    word = "km" if unit == "km" else ("mile" if value == 1 else "miles")
    return f"{plain(value)} {word}"


def _in_unit(figure: Figure, unit: DistanceUnit) -> Figure:
    if figure.km is None:
        return figure
    text = distance_text(figure.km, unit)
    return Figure(text, None if figure.terse is None else text, figure.km)


def figures(entry: Mapping[str, Any], *, distance: DistanceUnit = "km") -> list[list[Figure]]:
    """The kind's figures of ``entry``, a list per line, with distances in ``distance``."""
    lines = kind_of(entry["kind"]).figures(entry)
    return [[_in_unit(f, distance) for f in line] for line in lines]


def summary(entry: Mapping[str, Any], *, distance: DistanceUnit = "km") -> str:
    """The key figures of one entry in a short line, for lists, tables and the command line;
    a distance in ``distance`` (the user's setting: ``Settings.distance``)."""
    lines = figures(entry, distance=distance)
    return ", ".join(f.terse for line in lines for f in line if f.terse is not None)


def key_figures(entry: Mapping[str, Any], *, distance: DistanceUnit = "km") -> list[str]:
    """The same figures in words, a line each as a card on Today shows them."""
    lines = figures(entry, distance=distance)
    return [" · ".join(f.wordy for f in line) for line in lines if line]


# The built-in kinds register themselves; imported last, as they build on this module.
import tracker.kinds.builtin  # noqa: E402, F401
