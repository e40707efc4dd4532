"""How the files of several devices make one diary: merge by id, the later change wins.

Every file holds records: an entry (its latest state, versioned by ``updated_at``) or a
tombstone ``{"id", "deleted_at", "moved"}`` that says the entry is gone from that month
(deleted, or ``moved`` to another month by a date edit). For each id the record with the
latest time wins, a tombstone winning a tie; two entries with the same time are ordered by
their canonical JSON. So the result depends only on the set of records, never on which
device's file holds them or in which order they were read: two devices that see the same
files show the same diary, and write the same bytes.

A month's view is its files' winners that are entries. Across months, a tombstone of a
deletion wins over an older state of the entry in any month (a delete made on one device
while another moved the entry); a ``moved`` tombstone speaks only for its own month.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from tracker import records
from tracker.records import Entry

Record = Mapping[str, Any]
DELETED_AT = "deleted_at"
MOVED = "moved"


def is_tombstone(record: Record) -> bool:
    return DELETED_AT in record


def tombstone(entry_id: str, when: str, *, moved: bool) -> dict[str, Any]:
    return {"id": entry_id, DELETED_AT: when, MOVED: moved}


def _time(record: Record) -> str:
    return str(record[DELETED_AT] if DELETED_AT in record else record["updated_at"])


def canonical(record: Record) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def beats(challenger: Record, holder: Record) -> bool:
    """True when ``challenger`` is the later change of the same id than ``holder``."""
    challenger_time, holder_time = _time(challenger), _time(holder)
    if challenger_time != holder_time:
        return challenger_time > holder_time
    challenger_gone, holder_gone = is_tombstone(challenger), is_tombstone(holder)
    if challenger_gone != holder_gone:
        return challenger_gone  # a tombstone wins a tie: nothing deleted comes back
    return canonical(challenger) > canonical(holder)


def winners(sources: Iterable[Iterable[Record]]) -> dict[str, Record]:
    """Each id's winning record among the records of ``sources`` (files of one month)."""
    best: dict[str, Record] = {}
    for source in sources:
        for record in source:
            entry_id = record["id"]
            holder = best.get(entry_id)
            if holder is None or (holder is not record and beats(record, holder)):
                best[entry_id] = record
    return best


class MonthView(NamedTuple):
    """What one month's files say: its entries in list order, and its deletions."""

    entries: list[Entry]
    deleted: dict[str, Record]  # winning tombstones of deletions (not moves), by id
    moved: frozenset[str] = frozenset()  # ids whose winner here says "moved to another month"


def month_view(sources: Sequence[tuple[Sequence[Entry], Sequence[Record]]]) -> MonthView:
    """The view of one month from its files, each given as (entries, tombstones)."""
    if len(sources) == 1 and not sources[0][1]:
        # The everyday case: one device's file, no tombstone; ids are unique within a file.
        return MonthView(sorted(sources[0][0], key=records.sort_key), {})
    best = winners([record for part in source for record in part] for source in sources)
    entries = [r for r in best.values() if not is_tombstone(r)]
    deleted = {i: r for i, r in best.items() if is_tombstone(r) and not r.get(MOVED)}
    moved = frozenset(i for i, r in best.items() if is_tombstone(r) and r.get(MOVED))
    return MonthView(sorted(entries, key=records.sort_key), deleted, moved)  # type: ignore[arg-type]


def merge_months(views: Sequence[MonthView]) -> list[Entry]:
    """The whole diary from month views in month order: each id once, deletions applied."""
    deleted: dict[str, Record] = {}
    for view in views:
        for entry_id, record in view.deleted.items():
            holder = deleted.get(entry_id)
            if holder is None or beats(record, holder):
                deleted[entry_id] = record
    best: dict[str, Entry] = {}
    duplicated = False
    for view in views:
        for entry in view.entries:
            holder = best.get(entry["id"])
            if holder is None:
                best[entry["id"]] = entry
            else:
                duplicated = True  # in two months: a move seen on one device only
                if beats(entry, holder):
                    best[entry["id"]] = entry
    merged: list[Entry] = []
    for view in views:
        for entry in view.entries:
            if (duplicated and best[entry["id"]] is not entry) or (
                deleted and entry["id"] in deleted and beats(deleted[entry["id"]], entry)
            ):
                continue
            merged.append(entry)
    return merged


def resolve(views: Iterable[MonthView], entry_id: str) -> tuple[Entry | None, bool]:
    """The current state of one id from the views of the months that may hold it, and
    whether any of them holds a record of it at all (else: look elsewhere)."""
    found: Entry | None = None
    gone: Record | None = None
    held = False
    for view in views:
        for entry in view.entries:
            if entry["id"] == entry_id and (found is None or beats(entry, found)):
                found = entry
        record = view.deleted.get(entry_id)
        if record is not None and (gone is None or beats(record, gone)):
            gone = record
        held = held or entry_id in view.moved
    held = held or found is not None or gone is not None
    if found is not None and gone is not None and beats(gone, found):
        return None, held
    return found, held
