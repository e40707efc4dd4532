"""The data folder: entries in one TinyDB file per calendar month, an undo journal, a lock.

Why one file per month: TinyDB rewrites its whole file on every write, so a single file makes
each write slower as the years pass (226 ms at 50k records, measured). A file per year
bounds that, but a year file still grows to ~1,800 entries, and a write into it measured
9.7 ms against 1.9 ms in a month-old history (bench/bench_store.py). A file per month keeps
the cost of one write flat for good (~150 entries at most), and older months never change,
which backups and file-sync tools like. Reading 50 years means 600 small files: ~20 ms more.

Every change, whether a log, an edit, a delete, an undo or an import, goes through ``_apply``:
under the folder lock, it re-reads any file another process changed, then writes the new
state of each affected entry with one atomic write per file. Files that receive an entry are
written before files that lose one, so a crash in between leaves two copies (read back as the
newer one) rather than none.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from tinydb import TinyDB
from tinydb.table import Table

from tracker import records
from tracker.errors import EXIT_USAGE, TrackerError
from tracker.records import Entry, ValidationError
from tracker.store.files import TEMP_SUFFIX, DataFile, DataFileError, DataFileStorage
from tracker.store.lock import FolderLock

ENTRY_TABLE = "entries"
UNDO_TABLE = "undo"
UNDO_FILE = "undo.json"
UNDO_LIMIT = 50
ID_PREFIX_MIN = 6
_MONTH_FILE = re.compile(r"entries-(\d{4}-\d{2})\.json")


def month_file_name(month: str) -> str:
    """The file of one calendar month, ``month`` being ``YYYY-MM``."""
    return f"entries-{month}.json"


def month_of(entry: Mapping[str, Any]) -> str:
    return str(entry["date"][:7])


class EntryNotFound(TrackerError, LookupError):
    """No entry has that id, or an id prefix matches none or several."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class CheckinExists(ValidationError):
    """A check-in exists for that date already; replacing it needs to be asked for."""

    def __init__(self, day: str, existing_id: str) -> None:
        self.day = day
        self.existing_id = existing_id
        super().__init__("date", "a date without a check-in")

    def describe(self, name: str) -> str:
        return f"{name}: {self.day} has a check-in already (id {self.existing_id[:8]})"


class ChangedElsewhere(TrackerError):
    """An edit based on an older copy of the entry: another process changed those fields."""

    def __init__(self, entry: Entry, fields: list[str]) -> None:
        self.entry = entry
        self.fields = fields
        super().__init__(
            "changed elsewhere meanwhile (" + ", ".join(fields) + "): reload to see the change"
        )


class UndoResult(NamedTuple):
    """What one undo did, in words for a notification, and the entry as it now is."""

    description: str
    entry: Entry | None


def _check_entry_document(doc_id: str, document: Any) -> None:
    records.check_stored_entry(document)


def _check_undo_document(doc_id: str, document: Any) -> None:
    if (
        not isinstance(document, dict)
        or not isinstance(document.get("description"), str)
        or not isinstance(document.get("changes"), list)
    ):
        raise ValueError("not an undo step (description and changes)")


def _describe(verb: str, entry: Mapping[str, Any]) -> str:
    kind = records.KIND_LABELS[entry["kind"]].lower()
    return f"{verb} {kind} on {records.short_date(entry['date'])}"


class ImportResult(NamedTuple):
    """What an import did: counts, and every stored entry it overwrote or dropped, by name."""

    added: int
    replaced: list[Entry]  # stored entries overwritten by a later copy of the same id
    dropped: list[Entry]  # stored check-ins removed: an imported one for that date was later
    not_imported: list[Entry]  # imported check-ins left out: the stored one was later


def _check_undo_step(step: Mapping[str, Any]) -> list[tuple[Entry | None, Entry | None]]:
    """The (before, after) pairs of one journal step, every entry validated; ValueError if bad.

    Undo writes a step's ``before`` states into the month files, so a damaged journal must be
    caught here: stored unchecked, a bad entry would make every later command refuse its file.
    """
    changes = step.get("changes")
    if not isinstance(changes, list) or not changes:
        raise ValueError("no changes")
    pairs: list[tuple[Entry | None, Entry | None]] = []
    for number, change in enumerate(changes, start=1):
        if not isinstance(change, dict) or set(change) != {"before", "after"}:
            raise ValueError(f"change {number} is not a before/after pair")
        states: list[Entry | None] = []
        for name in ("before", "after"):
            state = change[name]
            try:
                states.append(None if state is None else records.validate_entry(state))
            except records.ValidationError as error:
                raise ValueError(f"change {number}, {name}: {error}") from None
        before, after = states
        if before is None and after is None:
            raise ValueError(f"change {number} has neither a before nor an after")
        if before is not None and after is not None and before["id"] != after["id"]:
            raise ValueError(f"change {number} changes one id into another")
        pairs.append((before, after))
    return pairs


class Store:
    """The user's entries, read lazily, kept in memory, written atomically under a lock."""

    def __init__(self, folder: Path, today: Callable[[], date] | None = None) -> None:
        self.folder = Path(folder)
        self.today = today or date.today
        self.version = 0
        self._lock = FolderLock(self.folder)
        self._months: dict[str, DataFile] = {}
        self._undo = DataFile(self.folder / UNDO_FILE, UNDO_TABLE, _check_undo_document)
        # Per month: the file content's generation the sorted list was built from, and the list.
        self._month_entries: dict[str, tuple[object, list[Entry]]] = {}
        self._merged: list[Entry] | None = None
        # Older copies of ids found in two files (left by a crash): the next write removes them.
        self._stale_copies: dict[str, set[str]] = {}
        self._dates: list[str] = []
        self._swept = False
        # Files read from disk under the lock now held (see _read_afresh).
        self._fresh: set[DataFile] = set()
        # Set by a change whose entries were written but whose undo step could not be (a full
        # disk): the change stands, and the faces say that it cannot be undone.
        self.warning: str | None = None

    # ------------------------------------------------------------------ reading

    def entries(self) -> list[Entry]:
        """Every entry, oldest first (date, created_at, id). Do not mutate."""
        if self._merged is None:
            self._load_all()
        assert self._merged is not None
        return self._merged

    def entries_between(
        self, start: date | None = None, end: date | None = None, kind: str | None = None
    ) -> list[Entry]:
        """Entries dated from ``start`` to ``end`` inclusive, optionally of one kind."""
        everything = self.entries()
        low = 0 if start is None else bisect.bisect_left(self._dates, start.isoformat())
        high = len(everything)
        if end is not None:
            high = bisect.bisect_right(self._dates, end.isoformat())
        chosen = everything[low:high]
        return chosen if kind is None else [e for e in chosen if e["kind"] == kind]

    def entries_of_days(self, start: date, end: date) -> list[Entry]:
        """Entries dated ``start`` to ``end``, reading only the month files of those days.

        For commands about a day or a week (``tracker today``): their cost stays the same
        after 50 years. An id found twice (a crash while an edit moved it) counts once, as its
        later copy, among the months read.
        """
        if self._merged is not None:
            return self.entries_between(start, end)
        first, last = start.isoformat(), end.isoformat()
        newest: dict[str, Entry] = {}
        for month in self._discover_months():
            if first[:7] <= month <= last[:7]:
                for entry in self._load_month(month):
                    seen = newest.get(entry["id"])
                    if seen is None or entry["updated_at"] > seen["updated_at"]:
                        newest[entry["id"]] = entry
        chosen = (e for e in newest.values() if first <= e["date"] <= last)
        return sorted(chosen, key=records.sort_key)

    def get(self, id_or_prefix: str) -> Entry:
        """The entry with this id, or with this unique id prefix (at least 6 characters)."""
        key = id_or_prefix.strip().lower().replace("-", "")
        matches = [e for e in self.entries() if e["id"].startswith(key)] if key else []
        exact = [e for e in matches if e["id"] == key]
        if exact:
            return exact[0]
        if len(key) < ID_PREFIX_MIN or not matches:
            raise EntryNotFound(
                f"no entry has the id '{id_or_prefix}' "
                f"(give the id or a unique prefix of at least {ID_PREFIX_MIN} characters)"
            )
        if len(matches) > 1:
            raise EntryNotFound(
                f"the id prefix '{id_or_prefix}' matches {len(matches)} entries: give more of it"
            )
        return matches[0]

    def checkin_on(self, day: date) -> Entry | None:
        for entry in self.entries_between(day, day, "checkin"):
            return entry
        return None

    def last_of_kind(self, kind: str) -> Entry | None:
        for entry in reversed(self.entries()):
            if entry["kind"] == kind:
                return entry
        return None

    def refresh(self) -> bool:
        """Pick up what another process wrote; True when anything changed."""
        known = set(self._months)
        on_disk = set(self._discover_months())
        stale = on_disk != known or any(not f.is_current() for f in self._months.values())
        if stale or self._merged is None:
            self._load_all()
        if stale:
            self.version += 1
        return stale

    def undo_steps(self) -> int:
        """How many changes can be undone."""
        return len(self._undo.load()[UNDO_TABLE])

    # ------------------------------------------------------------------ writing

    def add(self, kind: str, values: Mapping[str, object], *, replace: bool = False) -> Entry:
        """Validate and store a new entry. A check-in on a day that has one needs ``replace``."""
        entry = records.new_entry(kind, values, today=self.today())
        with self._writing():
            month = month_of(entry)
            self._read_afresh(self._month_file(month))  # decide on what is on disk now
            self._load_month(month)
            if kind == "checkin":
                existing = self._checkin_in_month(month, entry["date"])
                if existing is not None:
                    # Rare: make sure it is not a stale copy a crash left behind (the entry
                    # moved to another month); that takes reading every month.
                    self._load_all()
                    existing = self.checkin_on(date.fromisoformat(entry["date"]))
                if existing is not None:
                    if not replace:
                        raise CheckinExists(entry["date"], existing["id"])
                    entry = {**entry, "id": existing["id"], "created_at": existing["created_at"]}
                    self._apply([(existing, entry)], _describe("replaced", entry))
                    return entry
            self._apply([(None, entry)], _describe("added", entry))
        return entry

    def edit(
        self,
        entry_id: str,
        changes: Mapping[str, object],
        *,
        replace: bool = False,
        based_on: Mapping[str, Any] | None = None,
    ) -> Entry:
        """Change fields of one entry (``""`` clears an optional field).

        ``based_on`` is the copy of the entry the user saw (a form opened a while ago): when
        another process has since changed any field in ``changes``, nothing is written and
        ``ChangedElsewhere`` names those fields, so an unseen change is never overwritten.
        Fields the user left alone are not in ``changes`` and keep what is stored now.
        """
        with self._writing():
            self._load_all()
            current = self.get(entry_id)
            if based_on is not None:
                clashing = [name for name in changes if current.get(name) != based_on.get(name)]
                if clashing:
                    raise ChangedElsewhere(current, clashing)
            updated = records.apply_changes(current, changes, today=self.today())
            steps: list[tuple[Entry | None, Entry | None]] = [(current, updated)]
            if updated["kind"] == "checkin" and updated["date"] != current["date"]:
                other = self.checkin_on(date.fromisoformat(updated["date"]))
                if other is not None:
                    if not replace:
                        raise CheckinExists(updated["date"], other["id"])
                    steps.append((other, None))
            self._apply(steps, _describe("edited", updated))
        return updated

    def delete(self, entry_id: str) -> Entry:
        with self._writing():
            self._load_all()
            current = self.get(entry_id)
            self._apply([(current, None)], _describe("deleted", current))
        return current

    def undo(self) -> UndoResult | None:
        """Revert the last add, edit or delete; None when there is nothing to undo."""
        if not self.folder.is_dir():
            return None  # nothing was ever written; do not create the folder for this
        with self._writing():
            journal = self._undo_table()
            steps = journal.all()
            if not steps:
                return None
            step = max(steps, key=lambda document: document.doc_id)
            try:
                pairs = _check_undo_step(step)
            except ValueError as error:
                raise DataFileError(self._undo.path, f"undo step {step.doc_id}: {error}") from None
            self._load_all()
            reverted: list[tuple[Entry | None, Entry | None]] = []
            for before, after in reversed(pairs):
                source = after if after is not None else before
                assert source is not None
                now = self._current(source["id"])
                if now is not None or before is not None:
                    reverted.append((now, before))
            if reverted:
                self._apply(reverted, None)
            # The entries are back first; a crash here leaves the step, and undoing it again
            # restores the same state.
            try:
                journal.remove(doc_ids=[step.doc_id])
            except OSError as error:
                # Undone all the same; undoing again would restore the same state once more.
                self.warning = (
                    f"undone, but undo.json could not be updated ({error.strerror}): "
                    "the next undo repeats this one"
                )
        restored = next((before for _, before in reverted if before is not None), None)
        return UndoResult(f"Undid: {step['description']}", restored)

    def import_entries(
        self, incoming: Iterable[Entry], *, unstamped: Collection[str] = ()
    ) -> ImportResult:
        """Merge validated entries by id (cli.md rules); says what it added, replaced, dropped.

        The later ``updated_at`` wins, a tie keeps what is stored, and of two check-ins for one
        date the later stays. ``unstamped`` ids came without ``updated_at`` (stamped "now" by
        validation): a stored copy of them stays, so importing such a file twice changes
        nothing. Clears the undo history: an import cannot be undone.
        """
        with self._writing():
            self._read_afresh(self._undo)  # an unreadable journal stops the import unwritten
            self._load_all()
            by_id = {e["id"]: e for e in self.entries()}
            checkins = {e["date"]: e for e in self.entries() if e["kind"] == "checkin"}
            stored_ids = set(by_id)
            steps: list[tuple[Entry | None, Entry | None]] = []
            not_imported: list[Entry] = []
            for entry in incoming:
                current = by_id.get(entry["id"])
                if current is not None and (
                    entry["updated_at"] <= current["updated_at"] or entry["id"] in unstamped
                ):
                    continue
                if entry["kind"] == "checkin":
                    rival = checkins.get(entry["date"])
                    if rival is not None and rival["id"] != entry["id"]:
                        if entry["updated_at"] <= rival["updated_at"]:
                            not_imported.append(entry)
                            continue
                        steps.append((rival, None))
                        del by_id[rival["id"]]
                    checkins[entry["date"]] = entry
                if current is not None and checkins.get(current["date"]) is current:
                    del checkins[current["date"]]
                steps.append((current, entry))
                by_id[entry["id"]] = entry
            if steps:
                self._apply(steps, None)
            try:
                self._clear_undo()
            except OSError as error:
                self.warning = (
                    f"imported, but the undo history could not be cleared ({error.strerror})"
                )
        final = _final_states(steps)
        added = sum(1 for i, e in final.items() if e is not None and i not in stored_ids)
        first_states: dict[str, Entry] = {}
        for before, _ in steps:
            if before is not None and before["id"] in stored_ids:
                first_states.setdefault(before["id"], before)
        replaced = [
            first_states[i] for i, e in final.items() if e is not None and i in first_states
        ]
        dropped = [first_states[i] for i, e in final.items() if e is None and i in first_states]
        not_imported = [e for e in not_imported if final.get(e["id"]) is None]
        return ImportResult(added, replaced, dropped, not_imported)

    # ------------------------------------------------------------------ internals

    def _discover_months(self) -> list[str]:
        try:
            names = [p.name for p in self.folder.iterdir()]
        except FileNotFoundError:
            return []
        return sorted(m.group(1) for n in names if (m := _MONTH_FILE.fullmatch(n)))

    def _month_file(self, month: str) -> DataFile:
        data_file = self._months.get(month)
        if data_file is None:
            path = self.folder / month_file_name(month)
            data_file = DataFile(path, ENTRY_TABLE, _check_entry_document)
            self._months[month] = data_file
        return data_file

    def _load_month(self, month: str) -> list[Entry]:
        """The sorted entries of one month file, rebuilt only when the file changed."""
        data_file = self._month_file(month)
        documents = data_file.load()[ENTRY_TABLE]
        cached = self._month_entries.get(month)
        if cached is not None and cached[0] == data_file.generation:
            return cached[1]
        entries = sorted((dict(doc) for doc in documents.values()), key=records.sort_key)
        self._month_entries[month] = (data_file.generation, entries)
        self._merged = None
        return entries

    def _load_all(self) -> None:
        months = self._discover_months()
        for gone in set(self._months) - set(months):
            del self._months[gone]
            self._month_entries.pop(gone, None)
        newest: dict[str, Entry] = {}
        home: dict[str, str] = {}
        self._stale_copies = {}
        for month in months:
            for entry in self._load_month(month):
                seen = newest.get(entry["id"])
                if seen is None:
                    newest[entry["id"]], home[entry["id"]] = entry, month
                    continue
                # The same id in two files: a crash while an edit moved it between months.
                older = month
                if entry["updated_at"] > seen["updated_at"]:
                    older = home[entry["id"]]
                    newest[entry["id"]], home[entry["id"]] = entry, month
                self._stale_copies.setdefault(older, set()).add(entry["id"])
        merged = sorted(newest.values(), key=records.sort_key)
        self._merged = merged
        self._dates = [e["date"] for e in merged]

    def _current(self, entry_id: str) -> Entry | None:
        for entry in self.entries():
            if entry["id"] == entry_id:
                return entry
        return None

    def _checkin_in_month(self, month: str, day: str) -> Entry | None:
        for entry in self._load_month(month):
            if entry["kind"] == "checkin" and entry["date"] == day:
                return entry
        return None

    def _table(self, data_file: DataFile, name: str) -> Table:
        # A fresh TinyDB per change: its table caches (next id, query cache) never go stale
        # when another process wrote in between.
        return TinyDB(data_file, storage=DataFileStorage).table(name, cache_size=0)

    def _undo_table(self) -> Table:
        self._read_afresh(self._undo)  # only used under the lock, to change the journal
        return self._table(self._undo, UNDO_TABLE)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """The folder lock, with no file yet read afresh under it."""
        with self._lock.held():
            self._fresh.clear()
            self.warning = None
            yield

    def _read_afresh(self, data_file: DataFile) -> None:
        """Read ``data_file`` from disk once under the current lock, whatever ``stat`` says.

        A writer must not trust its copy in memory (see DataFile.forget); once read under the
        lock, the copy stays true (no other process writes meanwhile, and our own saves update
        it), so each file is read at most once per change.
        """
        if data_file not in self._fresh:
            data_file.forget()
            data_file.load()
            self._fresh.add(data_file)

    def _sweep_temporary_files(self) -> None:
        """Remove temp files a killed writer left; safe under the lock (no write is under way)."""
        if self._swept:
            return
        self._swept = True
        for path in self.folder.glob(f".*{TEMP_SUFFIX}"):
            path.unlink(missing_ok=True)

    def _apply(
        self, steps: list[tuple[Entry | None, Entry | None]], description: str | None
    ) -> None:
        """Write each step's new state (``None`` = gone); journal it for undo when described.

        Must be called with the lock held and the affected files loaded.
        """
        self._sweep_temporary_files()
        if description is not None:
            self._read_afresh(self._undo)  # an unreadable journal stops the change unwritten
        final = _final_states(steps)
        # Ids that may be stored somewhere (a brand-new id is not: no need to look for it).
        stored_before = {before["id"] for before, _ in steps if before is not None}
        wanted: dict[str, dict[str, Entry]] = {}
        for entry_id, state in final.items():
            if state is not None:
                wanted.setdefault(month_of(state), {})[entry_id] = state
        unwanted: dict[str, set[str]] = {}
        for month, data_file in self._months.items() if stored_before else ():
            keep = wanted.get(month, {})
            for doc in data_file.load()[ENTRY_TABLE].values():
                if doc.get("id") in stored_before and doc["id"] not in keep:
                    unwanted.setdefault(month, set()).add(doc["id"])
        for month, ids in self._stale_copies.items():
            if month in self._months:
                unwanted.setdefault(month, set()).update(ids - set(wanted.get(month, {})))
        # Every file written is read afresh under the lock first (see DataFile.forget).
        for month in set(wanted) | set(unwanted):
            self._read_afresh(self._month_file(month))
        # Receiving files first: a crash between two files leaves a duplicate, never a loss.
        for month, new_states in sorted(wanted.items()):
            table = self._table(self._month_file(month), ENTRY_TABLE)
            stored = {doc["id"]: doc.doc_id for doc in table.all()}
            replacing = [doc_id for eid, doc_id in stored.items() if eid in new_states]
            if replacing:
                table.update(_replacer(new_states), doc_ids=replacing)
            fresh = [entry for eid, entry in new_states.items() if eid not in stored]
            if fresh:
                table.insert_multiple(fresh)
        for month, ids in sorted(unwanted.items()):
            table = self._table(self._month_file(month), ENTRY_TABLE)
            table.remove(doc_ids=[doc.doc_id for doc in table.all() if doc["id"] in ids])
        # The merged view is rebuilt lazily: a quick add must not read every month.
        self._merged = None
        self.version += 1
        if description is not None:
            try:
                self._journal(steps, description)
            except OSError as error:
                # The entries are written: the change stands whatever happens to the journal.
                # Failing here would report "not saved" for a saved entry, and a retry would
                # store it twice (issue 7, item 6).
                self.warning = f"saved, but it cannot be undone: undo.json: {error.strerror}"

    def _journal(self, steps: list[tuple[Entry | None, Entry | None]], description: str) -> None:
        journal = self._undo_table()
        journal.insert(
            {
                "description": description,
                "changes": [{"before": before, "after": after} for before, after in steps],
            }
        )
        doc_ids = sorted(document.doc_id for document in journal.all())
        if len(doc_ids) > UNDO_LIMIT:
            journal.remove(doc_ids=doc_ids[: len(doc_ids) - UNDO_LIMIT])

    def _clear_undo(self) -> None:
        journal = self._undo_table()
        if len(journal):
            journal.truncate()


def _replacer(new_states: Mapping[str, Entry]) -> Callable[[MutableMapping[str, Any]], None]:
    """A TinyDB update that swaps each document for its new state, keeping its doc id."""

    def replace(document: MutableMapping[str, Any]) -> None:
        new_state = new_states[document["id"]]
        document.clear()
        document.update(new_state)

    return replace


def _final_states(steps: list[tuple[Entry | None, Entry | None]]) -> dict[str, Entry | None]:
    """Each touched id's state after all ``steps`` (a later step overrides an earlier one)."""
    final: dict[str, Entry | None] = {}
    for before, after in steps:
        source = after if after is not None else before
        if source is not None:
            final[source["id"]] = after
    return final
