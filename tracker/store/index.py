"""Where an id is: the months each device stored it in, so ``edit ID`` reads one month.

Ids are random, so an id alone does not say which month file holds it. Each device keeps an
index of the ids it wrote, split by the id's first two hex digits into 256 small files
(``index/laptop.3f.json``: 330 ids after 50 years), written before the month file that
receives the id: a crash in between leaves a hint to a month that lacks the id, which a lookup
skips. A lookup reads the one shard of each device, then the few months it names.

The index is a hint, never the truth: an id it does not know (a file synced before its
index, a folder an older tracker wrote) is looked for in every month (``Store.get``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from tracker.store.files import DataFile, DataFileError, empty_tables
from tracker.store.layout import DEVICE_PATTERN, INDEX_FOLDER, index_file_name

INDEX_TABLE = "months"
SHOWN_PREFIX = 8  # what plain `tracker list` shows of an id (cli.md)
SHARED_NAME = "shared-prefixes"  # index/DEVICE.shared-prefixes.json
KINDS_NAME = "kinds"  # index/DEVICE.kinds.json: the months of the kinds logged now and then
_MONTH = re.compile(r"\d{4}-\d{2}")
_ID = re.compile(r"[0-9a-f]{32}")
SHARD_FILE = re.compile(r"(?P<device>" + DEVICE_PATTERN + r")\.(?P<shard>[0-9a-f]{2})\.json")


def shard_of(entry_id: str) -> str:
    return entry_id[:2]


class IdIndex:
    """The index files of one data folder: this device's to write, every device's to read."""

    def __init__(self, folder: Path, device: str) -> None:
        self.folder = folder / INDEX_FOLDER
        self.device = device
        self._files: dict[str, DataFile] = {}
        self._listing: tuple[int, list[str]] | None = None

    def _file(self, name: str) -> DataFile:
        data_file = self._files.get(name)
        if data_file is None:
            # No check per id: a hint, read whole by ``list`` (100 shards for a month), and a
            # wrong value only sends a lookup to a month that lacks the id.
            data_file = DataFile(self.folder / name, INDEX_TABLE)
            self._files[name] = data_file
        return data_file

    def own_file(self, shard: str) -> DataFile:
        return self._file(index_file_name(self.device, shard))

    def _names(self) -> list[str]:
        """The index folder's file names, listed again only when the folder changed."""
        try:
            stamp = os.stat(self.folder).st_mtime_ns
        except FileNotFoundError:
            return []
        if self._listing is None or self._listing[0] != stamp:
            self._listing = (stamp, sorted(os.listdir(self.folder)))
        return self._listing[1]

    def shard_files(self, shard: str) -> list[DataFile]:
        """Every device's index file of ``shard``."""
        found = []
        for name in self._names():
            match = SHARD_FILE.fullmatch(name)
            if match is not None and match.group("shard") == shard:
                found.append(self._file(name))
        return found

    def months_of(self, prefix: str) -> dict[str, set[str]]:
        """The ids starting with ``prefix`` (2 hex digits at least) and the months they were
        stored in, by any device. Index files that cannot be read are skipped: a hint."""
        found: dict[str, set[str]] = {}
        for data_file in self.shard_files(shard_of(prefix)):
            try:
                documents = data_file.load()[INDEX_TABLE]
            except DataFileError:
                continue
            for entry_id, months in documents.items():
                if entry_id.startswith(prefix) and isinstance(months, list):
                    found.setdefault(entry_id, set()).update(str(m) for m in months)
        return found

    def known_ids(self) -> set[str]:
        """Every id any device's index names (reads the whole index: for repairs)."""
        known: set[str] = set()
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return known
        for name in names:
            if SHARD_FILE.fullmatch(name):
                try:
                    known.update(self._file(name).load()[INDEX_TABLE])
                except DataFileError:
                    continue
        return known

    def record(self, places: Mapping[str, Iterable[str]]) -> None:
        """Add ``places`` (id -> months) to this device's index: one write per shard changed.

        Call under the folder lock: each shard is read afresh (another tracker of this device
        may have written it), and only this device writes its shards.
        """
        by_shard: dict[str, dict[str, Iterable[str]]] = {}
        for entry_id, months in places.items():
            by_shard.setdefault(shard_of(entry_id), {})[entry_id] = months
        for shard, wanted in sorted(by_shard.items()):
            data_file = self.own_file(shard)
            data_file.forget()
            try:
                tables = data_file.load()
            except DataFileError:
                # Torn by a crash (its writes skip fsync: it is a hint): start it again; the
                # ids it named are found by the fallback of a lookup until written again.
                tables = empty_tables(INDEX_TABLE)
            documents = tables[INDEX_TABLE]
            known_ids = set(documents)
            changed = False
            for entry_id, months in wanted.items():
                known = documents.get(entry_id, [])
                known = known if isinstance(known, list) else []
                merged = sorted({str(m) for m in known} | set(months))
                if merged != known:
                    documents = {**documents, entry_id: merged}
                    changed = True
            if changed:
                self.folder.mkdir(mode=0o700, exist_ok=True)
                # No fsync: a hint, rebuilt when lost (see above), and the quick add's time
                # is half a jrnl's only without two more disk flushes.
                data_file.save(
                    {**tables, INDEX_TABLE: dict(sorted(documents.items()))}, durable=False
                )
                self._note_shared_prefixes(shard, [i for i in wanted if i not in known_ids])

    def _note_shared_prefixes(self, shard: str, new_ids: list[str]) -> None:
        """Remember the shown prefixes (8 digits) that new ids share with another id, so
        that ``list`` can show longer ones for them without reading every shard."""
        if not new_ids:
            return
        ids = set(self.months_of(shard))
        shared: dict[str, list[str]] = {}
        for entry_id in new_ids:
            same = sorted(i for i in ids if i[:SHOWN_PREFIX] == entry_id[:SHOWN_PREFIX])
            if len(same) > 1:
                shared[entry_id[:SHOWN_PREFIX]] = same
        if not shared:
            return
        data_file = self._file(f"{self.device}.{SHARED_NAME}.json")
        data_file.forget()
        try:
            tables = data_file.load()
        except DataFileError:
            tables = empty_tables(INDEX_TABLE)
        documents = {**tables[INDEX_TABLE], **shared}
        data_file.save({**tables, INDEX_TABLE: dict(sorted(documents.items()))}, durable=False)

    def record_kinds(self, places: Mapping[str, Iterable[str]]) -> None:
        """Add months to this device's note of where the kinds logged now and then (a plan,
        an event, a questionnaire) have entries, so that a command looking for the first plan
        or the first questionnaire reads those months, not 600. Written with fsync: a plan
        the note lost would move the programme's start."""
        data_file = self._file(f"{self.device}.{KINDS_NAME}.json")
        if not places and data_file.path.exists():
            return
        data_file.forget()
        try:
            tables = data_file.load()
        except DataFileError:
            tables = empty_tables(INDEX_TABLE)
        documents = dict(tables[INDEX_TABLE])
        # The file's existence says "this device notes its kinds": written even when empty.
        changed = not data_file.path.exists()
        for kind, months in places.items():
            known = documents.get(kind, [])
            known = [str(m) for m in known] if isinstance(known, list) else []
            merged = sorted(set(known) | set(months))
            if merged != known:
                documents[kind] = merged
                changed = True
        if changed:
            self.folder.mkdir(mode=0o700, exist_ok=True)
            data_file.save({**tables, INDEX_TABLE: dict(sorted(documents.items()))})

    def kind_months(self, kind: str) -> set[str] | None:
        """The months any device noted entries of ``kind`` in (a kind logged now and then);
        None when no device keeps the note yet (a folder no write of this version has
        touched): then nobody knows, and a search must read every month."""
        months: set[str] | None = None
        for name in self._names():
            if name.endswith(f".{KINDS_NAME}.json"):
                months = months if months is not None else set()
                try:
                    documents = self._file(name).load()[INDEX_TABLE]
                except DataFileError:
                    continue
                held = documents.get(kind)
                if isinstance(held, list):
                    months.update(str(m) for m in held)
        return months

    def shared_prefixes(self) -> dict[str, set[str]]:
        """Shown prefixes (8 digits) that several ids share, by every device's note of them."""
        found: dict[str, set[str]] = {}
        for name in self._names():
            if name.endswith(f".{SHARED_NAME}.json"):
                try:
                    documents = self._file(name).load()[INDEX_TABLE]
                except DataFileError:
                    continue
                for prefix, ids in documents.items():
                    if isinstance(ids, list):
                        found.setdefault(prefix, set()).update(str(i) for i in ids)
        return found
