"""The data folder: TinyDB files, atomic writes, locking, schema version and undo."""

from tracker.store.files import DataFileError
from tracker.store.lock import BusyError
from tracker.store.store import (
    ChangedElsewhere,
    CheckinExists,
    EntryNotFound,
    HistoryConflict,
    ImportResult,
    RepairResult,
    Store,
    UndoResult,
    UndoStep,
)

__all__ = [
    "BusyError",
    "ChangedElsewhere",
    "CheckinExists",
    "DataFileError",
    "EntryNotFound",
    "HistoryConflict",
    "ImportResult",
    "RepairResult",
    "Store",
    "UndoResult",
    "UndoStep",
]
