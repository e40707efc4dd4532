"""The kinds of entry, one module each, and the registry every face reads.

Adding a kind: write a module like ``cycling.py`` that builds a ``Kind`` and registers it,
and name it in ``builtin.py`` (docs/architecture.md, "Adding a kind").
"""

from tracker.kinds.registry import (
    BuiltinKindName,
    Figure,
    Kind,
    KindNames,
    KindTable,
    all_kinds,
    kind_of,
    register,
    unregister,
)

__all__ = [
    "BuiltinKindName",
    "Figure",
    "Kind",
    "KindNames",
    "KindTable",
    "all_kinds",
    "kind_of",
    "register",
    "unregister",
]

# records registers the built-in kinds as it finishes loading (their fields build on it).
import tracker.records  # noqa: F401
