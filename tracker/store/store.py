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
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
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
UNDONE = "undone"  # the field that marks an undone step, kept for redo
_DOC_ID = re.compile(r"[0-9]+")
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


class HistoryConflict(TrackerError):
    """An undo or redo refused, nothing written: the entries or the undo history changed.

    Raised by ``redo`` when an entry is no longer as the undo left it (another process, or an
    older tracker, changed it since), and by ``undo(step)`` / ``redo(step)`` when the step the
    user was asked about is no longer the next one.
    """

    exit_code = EXIT_USAGE


class UndoResult(NamedTuple):
    """What one undo or redo did, in words for a notification, and the entry as it now is."""

    description: str
    entry: Entry | None


@dataclass(frozen=True)
class UndoStep:
    """The next change to undo (or redo), as a face shows it before asking: ``last_undo()``."""

    description: str  # "added tempo lunges on Fri 20 Nov 2026"
    # When the change was made, or last redone (UTC); None in a journal written before tracker
    # recorded it: such a step counts as made at an unknown earlier time.
    made_at: datetime | None
    # Its document id in undo.json: with the fields above, it tells ``undo(step)`` that the
    # step is still the one the user was asked about.
    number: int

    @property
    def made_on(self) -> date | None:
        """The local date the change was made on; None when unknown."""
        return None if self.made_at is None else self.made_at.astimezone().date()

    def made_before(self, today: date) -> bool:
        """True when made before ``today`` (the local date) or at an unknown time: ask first."""
        made_on = self.made_on
        return made_on is None or made_on < today

    def when(self, today: date) -> str:
        """``today``, ``yesterday, Tue 24 Nov 2026``, ``on Mon 23 Nov 2026``, or
        ``at an unknown time``: completes "The last change was made ..."."""
        made_on = self.made_on
        if made_on is None:
            return "at an unknown time"
        if made_on == today:
            return "today"
        if made_on == today - timedelta(days=1):
            return f"yesterday, {records.short_date(made_on)}"
        return f"on {records.short_date(made_on)}"


def _check_entry_document(doc_id: str, document: Any) -> None:
    records.check_stored_entry(document)


def _check_undo_document(doc_id: str, document: Any) -> None:
    if not _DOC_ID.fullmatch(doc_id):
        raise ValueError("not a numbered undo step")
    if (
        not isinstance(document, dict)
        or not isinstance(document.get("description"), str)
        or not isinstance(document.get("changes"), list)
    ):
        raise ValueError("not an undo step (description and changes)")
    if "made_at" in document:
        try:
            records.parse_timestamp(document["made_at"], "made_at")
        except ValidationError as error:
            raise ValueError(str(error)) from None
    if not isinstance(document.get(UNDONE, False), bool):
        raise ValueError(f"{UNDONE} must be true or false")


def _step_of(number: int, document: Mapping[str, Any]) -> UndoStep:
    made_at = document.get("made_at")
    return UndoStep(
        document["description"],
        None if made_at is None else datetime.fromisoformat(records.parse_timestamp(made_at, "")),
        number,
    )


def _cursor(documents: Mapping[Any, Mapping[str, Any]]) -> tuple[int | None, int | None]:
    """The doc ids of the step to undo next and of the step to redo next (None: none).

    The journal is one list in doc id order: the steps still done, then the steps undone (marked
    ``undone``), most recently undone first. Undo marks the last done step; redo unmarks the
    first undone one; a new change drops the undone ones, as editors do.
    """
    done = [int(key) for key, document in documents.items() if not document.get(UNDONE)]
    last_done = max(done, default=None)
    undone = [
        int(key)
        for key, document in documents.items()
        if document.get(UNDONE) and (last_done is None or int(key) > last_done)
    ]
    return last_done, min(undone, default=None)


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

    def __init__(
        self,
        folder: Path,
        today: Callable[[], date] | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.today = today or date.today
        # The moment an undo step is stamped with (``made_at``); tests may pin it.
        self.now = now or self._clock
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

    def _clock(self) -> datetime:
        """Now, on the store's ``today``: a pinned today (tests, demos, ``TRACKER_TODAY``) then
        dates undo steps on that day, so "made today" agrees with the day the faces show."""
        moment = datetime.now().astimezone()
        day = self.today()
        if moment.date() != day:
            moment = datetime.combine(day, moment.timetz())
        return moment.astimezone(UTC)

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

    def months(self) -> list[str]:
        """The calendar months (``YYYY-MM``) that hold any entry file, oldest first.

        A folder listing, no file read: a face finds the first month of the history cheaply,
        then reads only the months it shows with ``entries_of_days``.
        """
        return self._discover_months()

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
        return sum(1 for step in self._undo.load()[UNDO_TABLE].values() if not step.get(UNDONE))

    def last_undo(self) -> UndoStep | None:
        """The change ``undo`` would revert now, without writing anything; None when none.

        Reads only undo.json, so a face can ask cheaply before undoing an older change
        (``UndoStep.made_before``).
        """
        return self._peek(0)

    def last_redo(self) -> UndoStep | None:
        """The change ``redo`` would make again now, without writing anything; None when none."""
        return self._peek(1)

    def _peek(self, which: int) -> UndoStep | None:
        documents = self._undo.load()[UNDO_TABLE]
        number = _cursor(documents)[which]
        return None if number is None else _step_of(number, documents[str(number)])

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

    def undo(self, step: UndoStep | None = None) -> UndoResult | None:
        """Revert the last add, edit or delete; None when there is nothing to undo.

        The step is kept for ``redo``. With ``step`` (as ``last_undo`` gave it, asked about
        before), nothing is written and ``HistoryConflict`` is raised when the last change is
        no longer that one (another process changed the history meanwhile).
        """
        if not self.folder.is_dir():
            return None  # nothing was ever written; do not create the folder for this
        with self._writing():
            journal = self._undo_table()
            documents = {document.doc_id: document for document in journal.all()}
            number = _cursor(documents)[0]
            self._expect(step, number, documents, "undo")
            if number is None:
                return None
            found = documents[number]
            pairs = self._checked_pairs(found)
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
            # The entries are back first; a crash here leaves the step as it was, and undoing
            # it again restores the same state.
            try:
                journal.update({UNDONE: True}, doc_ids=[number])
            except OSError as error:
                # Undone all the same; undoing again would restore the same state once more.
                self.warning = (
                    f"undone, but undo.json could not be updated ({error.strerror}): "
                    "the next undo repeats this one"
                )
        restored = next((before for _, before in reverted if before is not None), None)
        undone = _step_of(number, found)
        description = f"Undid: {undone.description}"
        if undone.made_on != self.today():
            description += f" (a change made {undone.when(self.today())})"
        return UndoResult(description, restored)

    def redo(self, step: UndoStep | None = None) -> UndoResult | None:
        """Make the last undone change again; None when there is nothing to redo.

        Each entry must still be as the undo left it: when another process has changed it
        since, nothing is written and ``HistoryConflict`` says what changed. An entry already
        in its redone state passes (a redo interrupted after the entries were written can be
        repeated). The step can then be undone again. ``step`` as for ``undo``.
        """
        if not self.folder.is_dir():
            return None
        with self._writing():
            journal = self._undo_table()
            documents = {document.doc_id: document for document in journal.all()}
            number = _cursor(documents)[1]
            self._expect(step, number, documents, "redo")
            if number is None:
                return None
            found = documents[number]
            pairs = self._checked_pairs(found)
            self._load_all()
            # What the undo left (each id's first before) and what redo writes (its last after).
            left: dict[str, Entry | None] = {}
            for before, after in pairs:
                source = after if after is not None else before
                assert source is not None
                left.setdefault(source["id"], before)
            target = _final_states(pairs)
            redone: list[tuple[Entry | None, Entry | None]] = []
            for entry_id, wanted in target.items():
                now = self._current(entry_id)
                if now != left[entry_id] and now != wanted:
                    raise HistoryConflict(
                        f"cannot redo '{found['description']}': "
                        + _what_changed(left[entry_id], now)
                        + " since the undo; nothing was changed"
                    )
                if now != wanted:
                    redone.append((now, wanted))
            self._check_checkins(target)
            if redone:
                self._apply(redone, None)
            # As for undo: the entries first; a crash here leaves the step undone, and redoing
            # it again finds the entries already redone and writes the same state.
            try:
                journal.update(_redone(self.now()), doc_ids=[number])
            except OSError as error:
                self.warning = (
                    f"redone, but undo.json could not be updated ({error.strerror}): "
                    "the next redo repeats this one"
                )
        restored = next((after for _, after in pairs[::-1] if after is not None), None)
        return UndoResult(f"Redid: {found['description']}", restored)

    def _expect(
        self,
        step: UndoStep | None,
        number: int | None,
        documents: Mapping[int, Mapping[str, Any]],
        verb: str,
    ) -> None:
        """Refuse when ``step`` (asked about) is no longer the next step to ``verb``."""
        if step is None:
            return
        if number is None or _step_of(number, documents[number]) != step:
            raise HistoryConflict(
                f"'{step.description}' is no longer the change to {verb}: another tracker "
                "changed the undo history meanwhile; nothing was changed"
            )

    def _checked_pairs(self, document: Any) -> list[tuple[Entry | None, Entry | None]]:
        try:
            return _check_undo_step(document)
        except ValueError as error:
            raise DataFileError(self._undo.path, f"undo step {document.doc_id}: {error}") from None

    def _check_checkins(self, target: Mapping[str, Entry | None]) -> None:
        """Refuse a redo that would store a second check-in on one date."""
        for entry_id, state in target.items():
            if state is None or state["kind"] != "checkin":
                continue
            other = self.checkin_on(date.fromisoformat(state["date"]))
            if other is not None and other["id"] != entry_id:
                moved = target.get(other["id"], other)
                if moved is not None and moved["date"] == state["date"]:
                    raise HistoryConflict(
                        f"cannot redo: {records.short_date(state['date'])} has another "
                        f"check-in since the undo (id {other['id'][:8]}); nothing was changed"
                    )

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
        # A new change drops the undone steps (no redo after it, as in editors); one write.
        undone = [document.doc_id for document in journal.all() if document.get(UNDONE)]
        if undone:
            journal.remove(doc_ids=undone)
        journal.insert(
            {
                "description": description,
                "changes": [{"before": before, "after": after} for before, after in steps],
                "made_at": self.now().astimezone(UTC).isoformat(),
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


def _redone(moment: datetime) -> Callable[[MutableMapping[str, Any]], None]:
    """A TinyDB update that makes an undone step a done one again, made at ``moment``."""

    def mark(document: MutableMapping[str, Any]) -> None:
        document.pop(UNDONE, None)
        document["made_at"] = moment.astimezone(UTC).isoformat()

    return mark


def _what_changed(left: Entry | None, now: Entry | None) -> str:
    """How an entry differs from the state an undo left it in, in words."""
    shown = now if now is not None else left
    assert shown is not None
    kind = records.KIND_LABELS[shown["kind"]].lower()
    what = f"the {kind} entry of {records.short_date(shown['date'])}"
    if now is None:
        return f"{what} was deleted"
    if left is None:
        return f"{what} was added again"
    return f"{what} was changed"


def _final_states(steps: list[tuple[Entry | None, Entry | None]]) -> dict[str, Entry | None]:
    """Each touched id's state after all ``steps`` (a later step overrides an earlier one)."""
    final: dict[str, Entry | None] = {}
    for before, after in steps:
        source = after if after is not None else before
        if source is not None:
            final[source["id"]] = after
    return final
