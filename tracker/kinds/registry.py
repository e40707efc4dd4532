"""What the app knows about each kind of entry, in one record per kind, and the registry.

Every face reads the registry: validation and the command line's flags (``fields``), lists
and cards (``figures``), charts and the report (``volume``), the app's keys (``key``). A new
kind is one module that builds a ``Kind`` and calls ``register``; nothing else enumerates
kinds. The registry keeps registration order, which is the order kinds are shown in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, overload

from tracker.registry import Registry

if TYPE_CHECKING:
    from tracker.records import Field

# The kinds tracker ships with; a registered kind may have any other name.
BuiltinKindName = Literal[
    "lunge", "cycling", "rotation", "checkin", "plan", "event", "koos", "rmdq", "odi", "pgic"
]


class Figure(NamedTuple):
    """One figure of an entry, in two widths: cards say ``wordy``, lists and tables ``terse``.

    ``terse`` is None for a figure that only the cards have room for (a cadence, a heart rate).
    It may abbreviate only what ``wordy`` spells out ("time under tension" may not become
    "TUT" alone). ``km`` marks a distance: ``records.summary`` and ``records.key_figures``
    write it in the unit the user reads (km or miles) instead of ``wordy``/``terse``.
    """

    wordy: str
    terse: str | None
    km: float | None = None


class Kind(NamedTuple):
    """One kind of entry. A NamedTuple: ``dataclasses`` costs the quick-add path 5 ms."""

    name: str  # stored in each entry, typed after `tracker log`
    label: str  # "Tempo lunges": headings, the command line's kind column
    short_label: str  # "Lunges": tables, chart panels
    key: str  # the app's key for a new entry on Today; "" for none (opened from a chooser)
    fields: tuple[Field, ...]  # domain.md order; forms show them in this order
    # The figures of an entry, a list per line of a card (lists join every line in one).
    figures: Callable[[Mapping[str, Any]], list[list[Figure]]]
    # Exercise kinds only: a session's volume in ``volume_unit`` (the volume chart's bars);
    # None for a session whose volume is unknown (a lunge imported without its tempo).
    volume: Callable[[Mapping[str, Any]], float | None] | None = None
    volume_unit: str = ""
    volume_title: str = ""  # the volume chart's panel title, e.g. "Lunges: time under tension"
    # Words after "after ...": "after tempo lunges" in insight sentences.
    after_words: str = ""
    # Logged now and then, not every day (the plan, an event, a questionnaire): Today neither
    # asks for it ("not logged yet") nor counts it as exercise; its key, if any, opens its form.
    occasional: bool = False
    # Rules between fields, run after each field is valid on its own (a plan's fields must
    # fit its exercise; an end date only for a flare): raises records.ValidationError.
    check: Callable[[Mapping[str, Any]], None] | None = None

    @property
    def is_exercise(self) -> bool:
        return self.volume is not None

    @property
    def is_daily(self) -> bool:
        """A record Today asks for once a day (the check-in): neither exercise nor occasional."""
        return not self.is_exercise and not self.occasional


_REGISTRY: Registry[Kind] = Registry("kind")


def register(kind: Kind) -> Kind:
    """Add ``kind`` to every face. Its name must be new, and a word of lower-case letters."""
    return _REGISTRY.register(kind)


def unregister(name: str) -> None:
    """Remove a kind (tests that register one of their own clean up with this)."""
    _REGISTRY.unregister(name)


def kind_of(name: str) -> Kind:
    """The kind named ``name``; KeyError for an unknown one."""
    return _REGISTRY[name]


def all_kinds() -> tuple[Kind, ...]:
    return _REGISTRY.values()


class KindNames(Sequence[str]):
    """The names of the registered kinds (all, or the exercise kinds), read when used.

    A live view rather than a tuple built at import: a kind registered later (a test's)
    shows up in every loop, flag list and table that iterates over it.
    """

    def __init__(self, exercise_only: bool = False) -> None:
        self._exercise_only = exercise_only

    def _names(self) -> list[str]:
        return [k.name for k in _REGISTRY.values() if k.is_exercise or not self._exercise_only]

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._names()[index]

    def __len__(self) -> int:
        return len(self._names())

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __contains__(self, name: object) -> bool:
        kind = _REGISTRY.get(name) if isinstance(name, str) else None
        return kind is not None and (kind.is_exercise or not self._exercise_only)

    def __repr__(self) -> str:
        return repr(tuple(self._names()))


class KindTable(Mapping[str, Any]):
    """One attribute of every registered kind, by name (``FIELDS``, ``KIND_LABELS``)."""

    def __init__(self, attribute: str) -> None:
        self._attribute = attribute

    def __getitem__(self, name: str) -> Any:
        return getattr(_REGISTRY[name], self._attribute)

    def __contains__(self, name: object) -> bool:
        # Mapping's own __contains__ goes through __getitem__ and a KeyError: reading years of
        # entries asks this once per entry.
        return name in _REGISTRY

    def __iter__(self) -> Iterator[str]:
        return iter(list(_REGISTRY))

    def __len__(self) -> int:
        return len(_REGISTRY)
