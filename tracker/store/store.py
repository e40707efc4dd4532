"""The data folder: entries in TinyDB files per calendar month and device, undo, a lock.

Why one file per month: TinyDB rewrites its whole file on every write, so a single file makes
each write slower as the years pass (226 ms at 50k records, measured). A file per month keeps
the cost of one write flat for good (~150 entries at most), and older months never change,
which backups and file-sync tools like.

Why one file per device (``layout``): the folder may be shared by several devices through a
sync tool. Each device writes only its own files, so no sync tool ever has to pick between two
versions of one file; readers merge every device's files by id (``merge``), the later change
winning, and a delete is a tombstone that travels like an edit. Conflict copies a sync tool
made anyway are merged too, folded into this device's file by the next write of that month,
then moved to ``archive/``. An id index (``index``) says which months hold an id, so a command
about one entry or one day reads one month whatever the size of the history.

Every change, whether a log, an edit, a delete, an undo or an import, goes through ``_apply``:
under the folder lock, it reads the files it changes afresh, then writes the index hint, the
month files that receive an entry, then those that lose one, each with one atomic write: a
crash in between leaves two copies (read back as the newer one) rather than none.
"""

from __future__ import annotations

import bisect
import os
import re
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from tinydb import TinyDB
from tinydb.table import Table

from tracker import records
from tracker.errors import EXIT_USAGE, TrackerError
from tracker.kinds import kind_of
from tracker.records import Entry, ValidationError
from tracker.store import merge
from tracker.store.files import (
    META_TABLE,
    DataFile,
    DataFileError,
    DataFileStorage,
    Tables,
    fsync_folder,
    meta_document,
)
from tracker.store.index import SHOWN_PREFIX, IdIndex
from tracker.store.layout import (
    ARCHIVE_FOLDER,
    INDEX_FOLDER,
    LEGACY_UNDO_FILE,
    OWN_TEMPORARY,
    FolderListing,
    MonthSource,
    list_folder,
    month_file_name,
    undo_file_name,
)
from tracker.store.lock import FolderLock
from tracker.store.merge import MonthView

ENTRY_TABLE = "entries"
TOMBSTONE_TABLE = "deleted"
UNDO_TABLE = "undo"
UNDO_LIMIT = 50
UNDONE = "undone"  # the field that marks an undone step, kept for redo
_DOC_ID = re.compile(r"[0-9]+")
ID_PREFIX_MIN = 6
# A folder whose mtime is older than this is "quiet": its listing can be kept until the mtime
# changes (coarse file-system clocks tick every few ms; a second is far beyond any of them).
QUIET_NS = 1_000_000_000
_HEX = re.compile(r"[0-9a-f]+")


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


class UndoStep(NamedTuple):
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


def _check_tombstone(doc_id: str, document: Any) -> None:
    if (
        not isinstance(document, dict)
        or set(document) != {"id", merge.DELETED_AT, merge.MOVED}
        or not isinstance(document["moved"], bool)
    ):
        raise ValueError("not a tombstone (id, deleted_at, moved)")
    records.parse_id(document["id"])
    try:
        records.parse_timestamp(document[merge.DELETED_AT], merge.DELETED_AT)
    except ValidationError as error:
        raise ValueError(str(error)) from None
    if records.parse_id(document["id"]) != document["id"]:
        raise ValueError("its id is not 32 lower-case hex digits")


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


class RepairResult(NamedTuple):
    """What ``repair`` did: the conflict copies it folded in, the ids it indexed."""

    folded: list[str]
    indexed: int


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
    """The user's entries, read lazily month by month, written atomically under a lock."""

    def __init__(
        self,
        folder: Path,
        today: Callable[[], date] | None = None,
        now: Callable[[], datetime] | None = None,
        device: str | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.today = today or date.today
        # The moment an undo step is stamped with (``made_at``); tests may pin it.
        self.now = now or self._clock
        self.version = 0
        self._device = device
        self._lock = FolderLock(self.folder)
        self._files: dict[str, DataFile] = {}  # month files by name
        self._undo_files: dict[str, DataFile] = {}
        self._index: IdIndex | None = None
        # Per month: the (file name, content generation) pairs its view was built from.
        self._views: dict[str, tuple[tuple[tuple[str, int], ...], MonthView]] = {}
        self._merged: list[Entry] | None = None
        self._merged_from: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()
        self._merged_list: list[Entry] = []  # the last merge, reused while no view changed
        self._dates: list[str] = []
        # Per kind, the entries of the last merge (``entries_of_kind``), and which merge.
        self._of_kind: dict[str, list[Entry]] = {}
        self._of_kind_from: list[Entry] | None = None
        self._known_names: frozenset[str] = frozenset()
        self._swept = False
        self._locked = False
        self._locked_listing: FolderListing | None = None
        self._read_listing: tuple[int | None, FolderListing] | None = None
        # Files read from disk under the lock now held (see _read_afresh).
        self._fresh: set[DataFile] = set()
        # Conflict copies that could not be read: left alone, reported by ``survey``.
        self.unreadable_copies: dict[str, str] = {}
        # Set by a change whose entries were written but whose undo step could not be (a full
        # disk): the change stands, and the faces say that it cannot be undone.
        self.warning: str | None = None

    @property
    def device(self) -> str:
        """This device's name (``device.device_name``): read when first needed, by a write."""
        if self._device is None:
            from tracker.store.device import device_name

            self._device = device_name()
        return self._device

    @property
    def index(self) -> IdIndex:
        if self._index is None:
            self._index = IdIndex(self.folder, self.device)
        return self._index

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
        """Every entry, oldest first (date, created_at, id). Do not mutate.

        Read once, then kept: ``refresh`` picks up what other processes wrote since, so a face
        redraws from one consistent copy.
        """
        if self._merged is not None:
            return self._merged
        listing = self._list()
        views = [self._view(month, listing) for month in listing.month_names()]
        self._known_names = _names(listing)
        # What the views were built from (not their ids: a freed view's id is reused).
        made_from = tuple((m, self._views[m][0]) for m in listing.month_names())
        if made_from != self._merged_from or not self._dates:
            self._merged_list = merge.merge_months(views)
            self._merged_from = made_from
            self._dates = [e["date"] for e in self._merged_list]
        self._merged = self._merged_list
        return self._merged

    def entries_of_kind(self, kind: str) -> list[Entry]:
        """Every entry of ``kind``, in the order of ``entries``. Kept with the in-memory copy:
        a screen that redraws on every change finds the handful of plans or questionnaires
        without looking through 50 years of entries each time. Do not mutate."""
        everything = self.entries()
        if self._of_kind_from is not everything:
            of_kind: dict[str, list[Entry]] = {}
            for entry in everything:
                of_kind.setdefault(entry["kind"], []).append(entry)
            self._of_kind, self._of_kind_from = of_kind, everything
        return self._of_kind.get(kind, [])

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
        after 50 years.
        """
        if self._merged is not None:
            return self.entries_between(start, end)
        first, last = start.isoformat(), end.isoformat()
        listing = self._list()
        views = [
            self._view(month, listing)
            for month in listing.month_names()
            if first[:7] <= month <= last[:7]
        ]
        return [e for e in merge.merge_months(views) if first <= e["date"] <= last]

    def months(self) -> list[str]:
        """The calendar months (``YYYY-MM``) that hold any entry file, oldest first.

        A folder listing, no file read: a face finds the first month of the history cheaply,
        then reads only the months it shows with ``entries_of_days``.
        """
        return self._list().month_names()

    def get(self, id_or_prefix: str) -> Entry:
        """The entry with this id, or with this unique id prefix (at least 6 characters).

        Reads the months the id index names (one, usually); an id the index does not know is
        looked for in every month (a file synced before its index, an unknown id).
        """
        key = id_or_prefix.strip().lower().replace("-", "")
        matches: list[Entry] = []
        if self._merged is not None:
            matches = [e for e in self._merged if e["id"].startswith(key)] if key else []
        elif len(key) >= ID_PREFIX_MIN and _HEX.fullmatch(key):
            matches, known = self._indexed_matches(key)
            if not known:  # no index names it: a file synced before its index, or a typo
                matches = [e for e in self.entries() if e["id"].startswith(key)]
        elif key:
            matches = [e for e in self.entries() if e["id"].startswith(key)]
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

    def kind_months(self, kind: str) -> list[str] | None:
        """The months that may hold entries of ``kind``, a kind logged now and then (the plan,
        events, questionnaires), by the index's note of them: what a search for the first plan
        reads instead of every month. None when the folder has no note yet (no write of this
        version): search every month. Kinds logged every day are not noted."""
        noted = self.index.kind_months(kind)
        return None if noted is None else sorted(noted & set(self.months()))

    def ids_sharing_shown_prefixes(self, ids: Iterable[str]) -> set[str]:
        """The stored ids whose first 8 digits are those of one of ``ids`` and of another id,
        as the index noted them when they were written: what ``list`` needs to show prefixes
        that stay unique, without reading every index file."""
        shared = self.index.shared_prefixes()
        found: set[str] = set()
        for entry_id in ids:
            found.update(shared.get(entry_id[:SHOWN_PREFIX], ()))
        return found

    def checkin_on(self, day: date) -> Entry | None:
        for entry in self.entries_of_days(day, day):
            if entry["kind"] == "checkin":
                return entry
        return None

    def last_of_kind(self, kind: str) -> Entry | None:
        """The latest entry of ``kind``, reading months from the newest back until one has it."""
        listing = self._list()
        months = listing.month_names()
        for month in reversed(months):
            for entry in reversed(self._view(month, listing).entries):
                if entry["kind"] == kind:
                    return entry
        return None

    def refresh(self) -> bool:
        """Pick up what another process wrote; True when anything changed."""
        names = _names(self._list())
        stale = names != self._known_names or any(
            not f.is_current() for name, f in self._files.items() if name in names
        )
        if stale or self._merged is None:
            self._merged = None
            self.entries()
        if stale:
            self.version += 1
        return stale

    def journal_exists(self) -> bool:
        """True when this device has an undo history on disk (cheap: one or two ``stat``)."""
        return self._undo_file().path.exists()

    def undo_steps(self) -> int:
        """How many changes can be undone."""
        return sum(
            1 for step in self._undo_file().load()[UNDO_TABLE].values() if not step.get(UNDONE)
        )

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
        documents = self._undo_file().load()[UNDO_TABLE]
        number = _cursor(documents)[which]
        return None if number is None else _step_of(number, documents[str(number)])

    # ------------------------------------------------------------------ writing

    def add(self, kind: str, values: Mapping[str, object], *, replace: bool = False) -> Entry:
        """Validate and store a new entry. A check-in on a day that has one needs ``replace``."""
        entry = records.new_entry(kind, values, today=self.today())
        with self._writing():
            if kind == "checkin":
                existing = self._checkin_stored_on(entry["date"])
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
                    f"undone, but {self._undo_file().path.name} could not be updated "
                    f"({error.strerror}): "
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
                    f"redone, but {self._undo_file().path.name} could not be updated "
                    f"({error.strerror}): "
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
            path = self._undo_file().path
            raise DataFileError(path, f"undo step {document.doc_id}: {error}") from None

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
            self._read_afresh(self._undo_file())  # an unreadable journal stops the import
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

    def repair(self) -> RepairResult:
        """Do now what writes do as they go (``tracker doctor --repair``): migrate an older
        tracker's files, fold every readable conflict copy into this device's files (then
        archive it), and index the ids that no device's index knows."""
        with self._writing():
            self._sweep_temporary_files()
            listing = self._list()
            folded: list[str] = []
            for month in listing.month_names():
                if not any(source.conflict_copy for source in listing.sources(month)):
                    continue
                tables, names, touched = self._month_after(
                    month, {}, listing, records.now_utc(), {}
                )
                if not names:
                    continue  # only copies that cannot be read: left alone
                self.index.record({entry_id: {month} for entry_id in touched})
                self._source_file(month_file_name(month, self.device)).save(tables)
                self._archive(names)
                self._locked_listing = None
                folded.extend(names)
            self._merged = None
            known = self.index.known_ids()
            missing = {e["id"]: {month_of(e)} for e in self.entries() if e["id"] not in known}
            self.index.record(missing)
            self.index.record_kinds(_occasional_months(self.entries()))
        return RepairResult(folded, len(missing))

    # ------------------------------------------------------------------ internals

    def _list(self) -> FolderListing:
        """The folder's files; listed once per change while the lock is held (no one else
        adds a file meanwhile; our own writes forget it)."""
        if self._locked and self._locked_listing is not None:
            return self._locked_listing
        if not self._locked:
            # A reader lists again only when the folder changed (a file added, renamed or
            # removed updates its mtime), or may have changed within the clock's tick.
            try:
                changed = os.stat(self.folder).st_mtime_ns
            except FileNotFoundError:
                changed = None
            quiet = changed is not None and time.time_ns() - changed > QUIET_NS
            cached = self._read_listing
            if quiet and cached is not None and cached[0] == changed:
                return cached[1]
        listing = list_folder(self.folder)
        if self._locked:
            self._locked_listing = listing
        elif quiet:
            self._read_listing = (changed, listing)
        return listing

    def _source_file(self, name: str) -> DataFile:
        data_file = self._files.get(name)
        if data_file is None:
            data_file = DataFile(
                self.folder / name,
                ENTRY_TABLE,
                _check_entry_document,
                {TOMBSTONE_TABLE: _check_tombstone},
            )
            self._files[name] = data_file
        return data_file

    def _load_source(self, source: MonthSource) -> Tables | None:
        """A month file's tables; None for a conflict copy that cannot be read (left alone)."""
        data_file = self._source_file(source.name)
        try:
            if self._locked:
                self._read_afresh(data_file)
            tables = data_file.load()
        except DataFileError as error:
            if not source.conflict_copy:
                raise
            self.unreadable_copies[source.name] = error.reason
            return None
        self.unreadable_copies.pop(source.name, None)
        return tables

    def _view(self, month: str, listing: FolderListing) -> MonthView:
        """One month as its files say (every device's, conflict copies included), cached until
        one of its files changes."""
        parts: list[tuple[list[Entry], list[merge.Record]]] = []
        made_from: list[tuple[str, int]] = []
        for source in listing.sources(month):
            tables = self._load_source(source)
            if tables is None:
                continue
            parts.append(
                (list(tables[ENTRY_TABLE].values()), list(tables[TOMBSTONE_TABLE].values()))
            )
            made_from.append((source.name, self._files[source.name].generation))
        key = tuple(made_from)
        cached = self._views.get(month)
        if cached is not None and cached[0] == key:
            return cached[1]
        view = merge.month_view(parts)
        self._views[month] = (key, view)
        return view

    def _state(self, entry_id: str, listing: FolderListing | None = None) -> Entry | None:
        """The current state of one id: from the months the index names, else from all."""
        listing = listing or self._list()
        months = self.index.months_of(entry_id).get(entry_id, set())
        present = [month for month in sorted(months) if listing.sources(month)]
        if present:
            found, held = merge.resolve([self._view(m, listing) for m in present], entry_id)
            if held:
                return found  # None: deleted
        return next((e for e in self.entries() if e["id"] == entry_id), None)

    def _indexed_matches(self, prefix: str) -> tuple[list[Entry], bool]:
        """The entries whose id starts with ``prefix``, from the months the index names; and
        whether those months hold any record of such an id (a deleted one included)."""
        listing = self._list()
        matches = []
        known = False
        for entry_id, months in sorted(self.index.months_of(prefix).items()):
            present = [month for month in sorted(months) if listing.sources(month)]
            found, held = merge.resolve([self._view(m, listing) for m in present], entry_id)
            known = known or held
            if found is not None:
                matches.append(found)
        return matches, known

    def _checkin_stored_on(self, day: str) -> Entry | None:
        """The check-in of ``day``, made sure of: a copy a crash left in the month an edit
        moved it from (the index names both months) is no check-in, and is tidied away."""
        found = self.checkin_on(date.fromisoformat(day))
        if found is None:
            return None
        current = self._state(found["id"])
        if current is not None and current["date"] == day:
            return current
        if current is not None:
            self._apply([(found, current)], None)  # not a change of the user's: no undo step
        return None

    def _current(self, entry_id: str) -> Entry | None:
        return self._state(entry_id)

    def _undo_file(self) -> DataFile:
        """This device's undo journal; an older tracker's shared one until the first write."""
        name = undo_file_name(self.device)
        if not (self.folder / name).exists() and (self.folder / LEGACY_UNDO_FILE).exists():
            name = LEGACY_UNDO_FILE
        data_file = self._undo_files.get(name)
        if data_file is None:
            data_file = DataFile(self.folder / name, UNDO_TABLE, _check_undo_document)
            self._undo_files[name] = data_file
        return data_file

    def _table(self, data_file: DataFile, name: str) -> Table:
        # A fresh TinyDB per change: its table caches (next id, query cache) never go stale
        # when another process wrote in between.
        return TinyDB(data_file, storage=DataFileStorage).table(name, cache_size=0)

    def _undo_table(self) -> Table:
        journal = self._undo_file()
        self._read_afresh(journal)  # only used under the lock, to change the journal
        return self._table(journal, UNDO_TABLE)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """The folder lock, with no file yet read afresh under it; old folders migrated."""
        self.device  # noqa: B018 -- a bad device name refuses before the folder is created
        with self._lock.held():
            self._fresh.clear()
            self._merged = None  # decide on what is on disk now, not on a copy read before
            self._locked = True
            self._locked_listing = None
            self.warning = None
            try:
                self._migrate()
                yield
            finally:
                self._locked = False

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
        for name in self._list().temporary:
            (self.folder / name).unlink(missing_ok=True)
        try:
            in_index = os.listdir(self.folder / INDEX_FOLDER)
        except FileNotFoundError:
            in_index = []
        for name in in_index:
            if OWN_TEMPORARY.fullmatch(name):
                (self.folder / INDEX_FOLDER / name).unlink(missing_ok=True)

    def _apply(
        self, steps: list[tuple[Entry | None, Entry | None]], description: str | None
    ) -> None:
        """Write each step's new state (``None`` = gone); journal it for undo when described.

        Must be called with the lock held. Only this device's files are written: an entry's
        new state goes into this device's file of its month, and a month the entry leaves gets
        a tombstone there (always for a delete, so that it beats another device's copy that
        arrives later; for a move, when another file of that month holds the id).
        """
        self._sweep_temporary_files()
        if description is not None:
            self._read_afresh(self._undo_file())  # an unreadable journal stops the change
        final = _final_states(steps)
        stamp = records.now_utc()
        seen: dict[str, str] = {}  # each id's latest known time: a tombstone must beat it
        decisions: dict[str, dict[str, Entry | None]] = {}
        for before, after in steps:
            for state in (before, after):
                if state is not None:
                    entry_id = state["id"]
                    decisions.setdefault(month_of(state), {})[entry_id] = final[entry_id]
                    seen[entry_id] = max(seen.get(entry_id, ""), state["updated_at"])
        listing = self._list()
        writes = {
            month: self._month_after(month, wanted, listing, stamp, seen)
            for month, wanted in decisions.items()
        }
        # The hint first: a crash after it leaves an index naming a month that lacks the id.
        places: dict[str, set[str]] = {}
        for month, (_, _, touched) in writes.items():
            for entry_id in touched:
                places.setdefault(entry_id, set()).add(month)
        self.index.record(places)
        states = (s for pair in steps for s in pair if s is not None)
        self.index.record_kinds(_occasional_months(states))  # created (empty) on a first write
        # Receiving months first: a crash between two files leaves a duplicate, never a loss.
        receiving = {month_of(s) for s in final.values() if s is not None}
        for month in sorted(writes, key=lambda m: (m not in receiving, m)):
            tables, folded, _ = writes[month]
            own = self._source_file(month_file_name(month, self.device))
            if tables[ENTRY_TABLE] or tables[TOMBSTONE_TABLE] or folded:
                own.save(tables)
            else:  # its last entry moved away: no empty file left to list as a month
                own.path.unlink(missing_ok=True)
                fsync_folder(self.folder)
            self._archive(folded)
        self._locked_listing = None
        self._merged = None
        self.version += 1
        if description is not None:
            try:
                self._journal(steps, description)
            except OSError as error:
                # The entries are written: the change stands whatever happens to the journal.
                # Failing here would report "not saved" for a saved entry, and a retry would
                # store it twice (issue 7, item 6).
                self.warning = (
                    f"saved, but it cannot be undone: {self._undo_file().path.name}: "
                    f"{error.strerror}"
                )

    def _month_after(
        self,
        month: str,
        wanted: Mapping[str, Entry | None],
        listing: FolderListing,
        stamp: str,
        seen: Mapping[str, str],
    ) -> tuple[Tables, list[str], set[str]]:
        """This device's file of ``month`` with ``wanted`` applied and the month's conflict
        copies folded in; the names of the copies folded (to archive once written); and the
        ids it now holds a record of that it may not have held (for the index)."""
        own_name = month_file_name(month, self.device)
        own = self._source_file(own_name)
        self._read_afresh(own)
        tables = own.load()
        entries = {doc["id"]: doc for doc in tables[ENTRY_TABLE].values()}
        tombstones = {doc["id"]: doc for doc in tables[TOMBSTONE_TABLE].values()}
        plain: list[list[merge.Record]] = []  # other devices' files
        copies: list[list[merge.Record]] = []  # conflict copies
        folded: list[str] = []
        for source in listing.sources(month):
            if source.name == own_name:
                continue
            loaded = self._load_source(source)
            if loaded is None:
                continue
            held = [*loaded[ENTRY_TABLE].values(), *loaded[TOMBSTONE_TABLE].values()]
            (copies if source.conflict_copy else plain).append(held)
            if source.conflict_copy:
                folded.append(source.name)
        touched: set[str] = set()
        if copies:
            # What a copy says and no other file does must survive the copy's archiving:
            # each id whose winner only a copy holds gets that record in our file.
            ours = [*entries.values(), *tombstones.values()]
            without = merge.winners([*plain, ours])
            for entry_id, record in merge.winners([*plain, ours, *copies]).items():
                if without.get(entry_id) is record:
                    continue
                touched.add(entry_id)
                if merge.is_tombstone(record):
                    entries.pop(entry_id, None)
                    tombstones[entry_id] = dict(record)
                else:
                    tombstones.pop(entry_id, None)
                    entries[entry_id] = dict(record)
        others = [*plain, *copies]
        held_elsewhere = {record["id"] for part in others for record in part}
        for entry_id, state in wanted.items():
            if state is not None and month_of(state) == month:
                entries[entry_id] = state
                tombstones.pop(entry_id, None)
                touched.add(entry_id)
                continue
            entries.pop(entry_id, None)
            if state is None or entry_id in held_elsewhere:
                when = max(stamp, seen.get(entry_id, ""))
                tombstones[entry_id] = merge.tombstone(entry_id, when, moved=state is not None)
                touched.add(entry_id)
            else:
                tombstones.pop(entry_id, None)
        return _month_tables(entries, tombstones), folded, touched

    def _archive(self, names: Iterable[str]) -> None:
        """Move files (folded conflict copies, migrated old files) to ``archive/``: kept, out
        of the way. A name already there gets a number."""
        names = list(names)
        if not names:
            return
        archive = self.folder / ARCHIVE_FOLDER
        archive.mkdir(mode=0o700, exist_ok=True)
        for name in names:
            target = archive / name
            number = 1
            while target.exists():
                target = archive / f"{name}.{number}"
                number += 1
            try:
                os.replace(self.folder / name, target)
            except FileNotFoundError:
                continue  # another device's tracker archived it first, through the sync tool
            self._files.pop(name, None)
        fsync_folder(archive)
        fsync_folder(self.folder)

    def _migrate(self) -> None:
        """Move an older tracker's shared files into this device's (first write only).

        Each old month file's entries are written into this device's file of the month
        (only an id's newest copy, where a crash had left two), then the old file moves to
        ``archive/``; a crash in between leaves both, which read as one. The old undo.json
        becomes this device's journal. A file that cannot be read stops it, untouched.
        """
        listing = self._list()
        legacy = [
            source
            for month in listing.month_names()
            for source in listing.sources(month)
            if source.device is None and not source.conflict_copy
        ]
        if legacy:
            self._sweep_temporary_files()
            newest: dict[str, Entry] = {}
            for source in legacy:
                self._read_afresh(self._source_file(source.name))
                for entry in self._files[source.name].load()[ENTRY_TABLE].values():
                    held = newest.get(entry["id"])
                    if held is None or merge.beats(entry, held):
                        newest[entry["id"]] = entry
            by_month: dict[str, dict[str, Entry]] = {}
            for entry in newest.values():
                by_month.setdefault(month_of(entry), {})[entry["id"]] = entry
            self.index.record({i: {month_of(e)} for i, e in newest.items()})
            for month, moved in sorted(by_month.items()):
                own = self._source_file(month_file_name(month, self.device))
                self._read_afresh(own)
                tables = own.load()
                entries = {doc["id"]: doc for doc in tables[ENTRY_TABLE].values()}
                tombstones = {doc["id"]: doc for doc in tables[TOMBSTONE_TABLE].values()}
                for entry_id, entry in moved.items():
                    held = entries.get(entry_id) or tombstones.get(entry_id)
                    if held is None or merge.beats(entry, held):
                        entries[entry_id] = entry
                        tombstones.pop(entry_id, None)
                own.save(_month_tables(entries, tombstones))
            self._archive(source.name for source in legacy)
            self._locked_listing = None
        own_undo = self.folder / undo_file_name(self.device)
        legacy_undo = self.folder / LEGACY_UNDO_FILE
        if legacy_undo.exists():
            self._read_afresh(self._undo_file())  # an unreadable journal stays where it is
            if own_undo.exists():
                self._archive([LEGACY_UNDO_FILE])
            else:
                os.replace(legacy_undo, own_undo)
                fsync_folder(self.folder)
            self._undo_files.clear()
        self._merged = None

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


def _month_tables(entries: Mapping[str, Entry], tombstones: Mapping[str, Any]) -> Tables:
    """A device's month file as written: documents numbered in id order, so the same records
    give the same bytes on every device."""
    return {
        META_TABLE: {"1": meta_document()},
        ENTRY_TABLE: {str(n): entries[i] for n, i in enumerate(sorted(entries), start=1)},
        TOMBSTONE_TABLE: {str(n): tombstones[i] for n, i in enumerate(sorted(tombstones), 1)},
    }


def _names(listing: FolderListing) -> frozenset[str]:
    return frozenset(s.name for month in listing.month_names() for s in listing.sources(month))


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


def _occasional_months(entries: Iterable[Entry]) -> dict[str, set[str]]:
    """Per kind logged now and then (``Kind.occasional``: plans, events, questionnaires), the
    months of ``entries`` that hold one: what the index's kinds note records."""
    months: dict[str, set[str]] = {}
    for entry in entries:
        if kind_of(entry["kind"]).occasional:
            months.setdefault(entry["kind"], set()).add(month_of(entry))
    return months
