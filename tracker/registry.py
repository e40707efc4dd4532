"""One registry, many readers: the shape the kinds of entry and the charts share.

A registry holds one record per kind (``tracker.kinds``) or per chart (``tracker.charts``) by
name, in registration order, which is the order every face shows them in. A record has a
``name`` (a lower-case word: typed after a command, used in ids) and a ``key`` (the app's key
for it), both unique (an empty key, a record without a key of its own, may repeat). Faces
read the registry when they need it, so a record registered later
(a test's) shows up everywhere.

Imported by the quick-add path (through the kinds): plain Python, nothing heavy.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    # For the type checker only: defining a Protocol class costs the quick-add path 0.3 ms.
    from typing import Protocol

    class Named(Protocol):
        """What a registry needs of a record."""

        @property
        def name(self) -> str: ...

        @property
        def key(self) -> str: ...


Record = TypeVar("Record", bound="Named")


class Registry(Generic[Record]):
    """Records by name; ``what`` ("kind", "chart") names them in the errors of ``register``."""

    def __init__(self, what: str) -> None:
        self._what = what
        self._records: dict[str, Record] = {}

    def register(self, record: Record) -> Record:
        """Add ``record``. Its name must be new and a lower-case word, its key unused."""
        name, what = record.name, self._what
        if not name.isalpha() or not name.islower():
            raise ValueError(f"a {what}'s name is a lower-case word, not {name!r}")
        if name in self._records:
            raise ValueError(f"a {what} named {name!r} is registered already")
        if record.key and any(other.key == record.key for other in self._records.values()):
            raise ValueError(f"the key {record.key!r} belongs to another {what}")
        self._records[name] = record
        return record

    def unregister(self, name: str) -> None:
        """Remove a record (a test that registers one of its own cleans up with this)."""
        self._records.pop(name, None)

    def __getitem__(self, name: str) -> Record:
        """The record named ``name``; KeyError for an unknown one."""
        return self._records[name]

    def get(self, name: str) -> Record | None:
        return self._records.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._records

    def __iter__(self) -> Iterator[str]:
        """The names, from a copy: a loop may register or unregister."""
        return iter(list(self._records))

    def __len__(self) -> int:
        return len(self._records)

    def values(self) -> tuple[Record, ...]:
        return tuple(self._records.values())

    def __repr__(self) -> str:
        return repr(tuple(self._records))
