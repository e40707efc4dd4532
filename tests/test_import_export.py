"""Export and import (cli.md "Import and merge"): round trips, merge rules, all or nothing."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, CliResult, snapshot
from factories import cli_args, import_entry
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import records
from tracker.records import FIELDS, Field

ListJson = Callable[[], list[dict[str, Any]]]
Writer = Callable[[object], Path]
IMPORTED = re.compile(
    r"Imported (\d+) entries: (\d+) new, (\d+) replaced, (\d+) unchanged(?:, [^.]*)?\.(?:\n.*)*"
)

EARLY = "2026-11-01T08:00:00+00:00"
LATER = "2026-11-02T08:00:00+00:00"


def new_id() -> str:
    return uuid.uuid4().hex


minimal = import_entry


@pytest.fixture
def write(tmp_path: Path) -> Writer:
    """Write a value as JSON to a new file and return its path."""
    counter = iter(range(10_000))

    def run(value: object) -> Path:
        path = tmp_path / f"import-{next(counter)}.json"
        path.write_text(value if isinstance(value, str) else json.dumps(value))
        return path

    return run


def counts(result: CliResult) -> tuple[int, int, int, int]:
    assert result.code == 0, result.err
    match = IMPORTED.fullmatch(result.out.strip())
    assert match, result.out
    total, new, replaced, unchanged = (int(g) for g in match.groups())
    return total, new, replaced, unchanged


def assert_refused(result: CliResult, *words: str) -> None:
    assert result.code == 2, result
    assert result.out == ""
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    for word in words:
        assert word in result.err, (word, result.err)


# ---------------------------------------------------------------- round trip, idempotence


def test_export_then_import_into_an_empty_folder_gives_the_same_list(
    cli: Cli, tmp_path: Path
) -> None:
    source = tmp_path / "source"
    assert cli("demo", "--days", "120", "--seed", "3", data=source).code == 0
    # Entries with cleared fields, whole and decimal numbers, markup and a non-ASCII note.
    extra = cli(
        "log", "cycling", "--minutes", "12.5", "--km", "4.0", "--notes", "[b]ü[/]", data=source
    )
    cli("edit", extra.out.strip(), "--notes", "", data=source)
    export = tmp_path / "export.json"
    assert cli("export", "--out", str(export), data=source).code == 0

    target = tmp_path / "target"
    total, new, replaced, unchanged = counts(cli("import", str(export), data=target))
    assert new == total and (replaced, unchanged) == (0, 0)
    original = cli("list", "--json", data=source).out
    assert cli("list", "--json", data=target).out == original
    assert len(json.loads(original)) == total > 120


def test_importing_twice_changes_nothing(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "source"
    cli("demo", "--days", "45", data=source)
    export = tmp_path / "export.json"
    cli("export", "--out", str(export), data=source)
    first = counts(cli("import", str(export)))
    before = snapshot(data_dir)
    total, new, replaced, unchanged = counts(cli("import", str(export)))
    assert (total, new, replaced, unchanged) == (first[0], 0, 0, total)
    assert snapshot(data_dir) == before


def test_importing_an_export_into_its_own_folder_changes_nothing(
    cli: Cli, data_dir: Path, tmp_path: Path
) -> None:
    cli("log", "lunge", "--sets", "3", "--reps", "10", "--tempo", "4-1-4")
    cli("log", "cycling", "--minutes", "30", "--km", "12")
    checkin = ["--knee-pain", "1", "--back-pain", "1", "--clicking-left", "0"]
    assert cli("log", "checkin", *checkin, "--clicking-right", "2").code == 0
    export = tmp_path / "export.json"
    cli("export", "--out", str(export))
    before = snapshot(data_dir)
    assert counts(cli("import", str(export)))[1:3] == (0, 0)
    after = snapshot(data_dir)
    assert {k: v for k, v in after.items() if k != "undo.home.json"} == {
        k: v for k, v in before.items() if k != "undo.home.json"
    }


def test_entries_without_optional_fields_or_timestamps_are_accepted(
    cli: Cli, data_dir: Path, write: Writer, list_json: ListJson
) -> None:
    entries = [minimal(kind) for kind in records.KINDS]
    entries[0]["created_at"] = EARLY  # updated_at missing: the same as created_at
    total, new, _, _ = counts(cli("import", str(write(entries))))
    assert total == new == len(records.KINDS)
    stored = {e["kind"]: e for e in list_json()}
    for kind in records.KINDS:
        entry = stored[kind]
        assert list(entry) == list(records.field_order(kind))
        optional = [s.name for s in FIELDS[kind] if not s.required and s.name != "side"]
        assert all(entry[name] is None for name in optional), entry
        assert entry["notes"] is None
        assert entry["created_at"].endswith("+00:00")
        assert entry["updated_at"] >= entry["created_at"]
    assert stored["lunge"]["side"] == "both"
    assert (stored["lunge"]["created_at"], stored["lunge"]["updated_at"]) == (EARLY, EARLY)
    # Importing the same file again changes nothing, timestamps or not.
    before = snapshot(data_dir)
    path = write(entries)
    assert counts(cli("import", str(path)))[1:3] == (0, 0)
    assert snapshot(data_dir) == before


def test_timestamps_with_z_and_typed_values_are_normalised(
    cli: Cli, write: Writer, list_json: ListJson
) -> None:
    entry = minimal("lunge", tempo="4-x-4", side="LEFT", created_at="2026-11-01T08:00:00Z")
    entry["id"] = str(uuid.UUID(entry["id"])).upper()  # dashes and capitals: the same id
    counts(cli("import", str(write([entry]))))
    (stored,) = list_json()
    assert stored["id"] == uuid.UUID(entry["id"]).hex
    assert (stored["tempo"], stored["side"]) == ("4-X-4-0", "left")
    assert stored["created_at"] == stored["updated_at"] == EARLY


# ---------------------------------------------------------------- merge rules


def stored_one(cli: Cli, write: Writer, list_json: ListJson) -> dict[str, Any]:
    """Import one entry with fixed timestamps and return it as stored."""
    entry = minimal("lunge", created_at=EARLY, updated_at=EARLY, notes="stored")
    counts(cli("import", str(write([entry]))))
    (stored,) = list_json()
    return stored


def test_a_later_updated_at_replaces(cli: Cli, write: Writer, list_json: ListJson) -> None:
    stored = stored_one(cli, write, list_json)
    newer = {**stored, "notes": "newer", "sets": 5, "updated_at": LATER}
    assert counts(cli("import", str(write([newer])))) == (1, 0, 1, 0)
    assert list_json() == [newer]


@pytest.mark.parametrize("updated_at", [EARLY, "2026-10-01T00:00:00+00:00"], ids=["tie", "older"])
def test_a_tie_or_an_older_copy_keeps_the_stored_entry(
    cli: Cli, data_dir: Path, write: Writer, list_json: ListJson, updated_at: str
) -> None:
    stored = stored_one(cli, write, list_json)
    before = snapshot(data_dir)
    other = {**stored, "notes": "imported", "updated_at": updated_at}
    assert counts(cli("import", str(write([other])))) == (1, 0, 0, 1)
    assert list_json() == [stored]
    assert snapshot(data_dir) == before


@pytest.mark.parametrize("imported_is_later", [True, False])
def test_two_checkins_for_one_date_keep_the_later(
    cli: Cli, write: Writer, list_json: ListJson, imported_is_later: bool
) -> None:
    mine = minimal("checkin", knee_pain=4, created_at=EARLY, updated_at=EARLY)
    theirs = minimal("checkin", knee_pain=8, created_at=EARLY, updated_at=LATER)
    if not imported_is_later:
        mine["updated_at"], theirs["updated_at"] = LATER, EARLY
    counts(cli("import", str(write([mine]))))
    total, new, replaced, _ = counts(cli("import", str(write([theirs]))))
    winner = theirs if imported_is_later else mine
    assert [e["id"] for e in list_json()] == [winner["id"]]
    assert list_json()[0]["knee_pain"] == winner["knee_pain"]
    assert (total, new, replaced) == (1, 1 if imported_is_later else 0, 0)


def test_two_checkins_for_one_date_in_one_file_keep_the_later(
    cli: Cli, write: Writer, list_json: ListJson
) -> None:
    later = minimal("checkin", knee_pain=2, updated_at=LATER, created_at=EARLY)
    earlier = minimal("checkin", knee_pain=9, updated_at=EARLY, created_at=EARLY)
    counts(cli("import", str(write([later, earlier]))))
    assert [e["id"] for e in list_json()] == [later["id"]]


def test_an_imported_entry_may_move_to_another_month(
    cli: Cli, data_dir: Path, write: Writer, list_json: ListJson
) -> None:
    stored = stored_one(cli, write, list_json)
    moved = {**stored, "date": "2025-01-31", "updated_at": LATER}
    counts(cli("import", str(write([moved]))))
    assert list_json() == [moved]
    holding = [p for p in data_dir.glob("entries-*.json") if stored["id"] in p.read_text()]
    assert len(holding) == 1


def test_an_import_brings_a_deleted_entry_back(
    cli: Cli, tmp_path: Path, list_json: ListJson
) -> None:
    entry_id = cli("log", "cycling", "--minutes", "20").out.strip()
    export = tmp_path / "export.json"
    cli("export", "--out", str(export))
    cli("delete", entry_id)
    assert counts(cli("import", str(export)))[1] == 1
    assert [e["id"] for e in list_json()] == [entry_id]


# ---------------------------------------------------------------- refusals: all or nothing


@pytest.fixture
def filled(cli: Cli, data_dir: Path) -> dict[str, bytes]:
    """data_dir holding two entries; its snapshot."""
    cli("log", "lunge", "--sets", "3", "--reps", "10", "--tempo", "4-1-4")
    cli("log", "cycling", "--minutes", "30")
    return snapshot(data_dir)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("[{", ["not valid JSON"]),
        ("", ["not valid JSON"]),
        ('{"foo": 1}', ["array"]),
        ("42", ["array"]),
        ("[1]", ["entry 1"]),
        ('[{"foo": 1}]', ["kind"]),
        ('[{"kind": ["lunge"]}]', ["kind"]),
    ],
    ids=["truncated", "empty", "object", "number", "not-an-object", "foreign", "list-kind"],
)
def test_a_file_that_is_not_an_array_of_entries_is_refused(
    cli: Cli,
    data_dir: Path,
    write: Writer,
    filled: dict[str, bytes],
    content: str,
    words: list[str],
) -> None:
    assert_refused(cli("import", str(write(content))), *words)
    assert snapshot(data_dir) == filled


def test_an_id_twice_is_refused(
    cli: Cli, data_dir: Path, write: Writer, filled: dict[str, bytes]
) -> None:
    first = minimal("lunge")
    second = minimal("cycling", id=first["id"])
    assert_refused(cli("import", str(write([first, second]))), first["id"], "twice")
    assert snapshot(data_dir) == filled


def test_an_id_twice_written_differently_is_refused(
    cli: Cli, data_dir: Path, write: Writer, filled: dict[str, bytes]
) -> None:
    first = minimal("lunge")
    second = minimal("cycling", id=str(uuid.UUID(first["id"])).upper())
    assert_refused(cli("import", str(write([first, second]))), "twice")
    assert snapshot(data_dir) == filled


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"knee_pain": 11}, ["knee_pain", "0 to 10"]),
        ({"clicking_left": -1}, ["clicking_left", "0 to 4"]),
        ({"click_count": 1001}, ["click_count", "0 to 1000"]),
        ({"date": "2026-11-27"}, ["date", "2026-11-26"]),  # today + 1: another time zone
        ({"date": "2026-02-30"}, ["date"]),
        ({"notes": "n" * 1001}, ["notes", "1000"]),
        ({"mood": "fine"}, ["mood", "unknown"]),
        ({"kind": "yoga"}, ["kind"]),
        ({"id": "not-a-uuid"}, ["id"]),
        ({"updated_at": "yesterday"}, ["updated_at"]),
        ({"created_at": "2026-11-01T08:00:00+02:00"}, ["created_at", "UTC"]),
        ({"clicking_painful": "sometimes"}, ["clicking_painful"]),
        ({"knee_pain": None}, ["knee_pain"]),
    ],
    ids=lambda v: str(v)[:30],
)
def test_one_invalid_entry_imports_nothing(
    cli: Cli,
    data_dir: Path,
    write: Writer,
    filled: dict[str, bytes],
    change: dict[str, Any],
    words: list[str],
) -> None:
    good = [minimal("lunge"), minimal("cycling"), minimal("checkin", date="2026-11-01")]
    bad = {**minimal("checkin"), **change}
    assert_refused(cli("import", str(write([*good, bad, minimal("rotation")]))), *words)
    assert "entry 4" in cli("import", str(write([*good, bad]))).err
    assert snapshot(data_dir) == filled


def test_an_invalid_import_into_an_empty_folder_creates_nothing(
    cli: Cli, data_dir: Path, write: Writer
) -> None:
    assert_refused(cli("import", str(write([minimal("lunge", sets=0)]))), "sets", "1 to 20")
    assert snapshot(data_dir) == {}


# ---------------------------------------------------------------- properties

RANGED = [(k, s) for k in records.KINDS for s in FIELDS[k] if s.type in ("int", "number")]
PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def range_text(spec: Field) -> str:
    low, high = records._num(spec.low), records._num(spec.high)
    return f"greater than {low}, at most {high}" if spec.low_exclusive else f"{low} to {high}"


@PROPERTY
@given(field=st.sampled_from(RANGED), value=st.integers(-50, 1100) | st.floats(-5, 700))
def test_import_takes_a_number_exactly_when_it_is_in_range(
    cli: Cli,
    tmp_path_factory: pytest.TempPathFactory,
    field: tuple[str, Field],
    value: float,
) -> None:
    kind, spec = field
    assert spec.low is not None and spec.high is not None
    folder = tmp_path_factory.mktemp("prop") / "data"
    seed = folder.parent / "seed.json"
    seed.write_text(json.dumps([minimal("cycling", date="2026-10-01")]))
    counts(cli("import", str(seed), data=folder))
    before = snapshot(folder)

    entry = {**minimal(kind), spec.name: value}
    path = folder.parent / "import.json"
    path.write_text(json.dumps([entry]))
    result = cli("import", str(path), data=folder)
    whole = isinstance(value, int) or float(value).is_integer()
    inside = (spec.low < value if spec.low_exclusive else spec.low <= value) and value <= spec.high
    if inside and (whole or spec.type == "number"):
        assert counts(result)[1] == 1
        (stored,) = json.loads(cli("list", "--json", "--kind", kind, data=folder).out)[-1:]
        assert stored[spec.name] == value
    else:
        assert_refused(result, spec.name, range_text(spec))
        assert spec.flag not in result.err  # import names the stored field
        assert snapshot(folder) == before


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)
FIELD_NAMES = sorted({n for kind in records.KINDS for n in records.field_order(kind)})


@PROPERTY
@given(
    kind=st.sampled_from(records.KINDS),
    changes=st.dictionaries(st.sampled_from(FIELD_NAMES), JSON, min_size=1, max_size=3),
)
def test_any_import_file_is_taken_whole_or_refused_with_nothing_written(
    cli: Cli,
    tmp_path_factory: pytest.TempPathFactory,
    kind: str,
    changes: dict[str, Any],
) -> None:
    folder = tmp_path_factory.mktemp("junk") / "data"
    seed = folder.parent / "seed.json"
    kept = minimal("rotation", date="2026-10-01")
    seed.write_text(json.dumps([kept]))
    counts(cli("import", str(seed), data=folder))
    before = snapshot(folder)

    entry = {**minimal(kind), **changes}
    path = folder.parent / "import.json"
    path.write_text(json.dumps([minimal("lunge"), entry], allow_nan=True))
    result = cli("import", str(path), data=folder)
    assert result.code in (0, 2), result
    assert "Traceback" not in result.err
    listed = json.loads(cli("list", "--json", data=folder).out)
    if result.code == 2:
        assert snapshot(folder) == before
        assert [e["id"] for e in listed] == [kept["id"]]
    else:
        assert counts(result)[0] == 2
        valid = records.validate_entry(entry, today=None, complete=False)
        assert valid["id"] in {e["id"] for e in listed}


# ---------------------------------------------------------------- issue 7: what import replaces


def in_an_hour() -> str:
    """A timestamp later than anything the test just logged, and not in the refused future."""
    return (datetime.now(UTC) + timedelta(hours=1)).isoformat()


def test_an_import_names_the_stored_checkin_it_drops_and_keeps_a_copy(
    cli: Cli, write: Writer, data_dir: Path, list_json: ListJson
) -> None:
    flags = cli_args("checkin", knee_pain=6)
    stored_id = cli("log", "checkin", *flags, "--date", "2026-11-20", "--notes", "physio: rest").out
    rival = minimal("checkin", knee_pain=2, updated_at=in_an_hour())
    result = cli("import", str(write([rival])))
    assert counts(result) == (1, 1, 0, 0)
    assert "1 stored check-in dropped" in result.out
    dropped_line = next(line for line in result.out.splitlines() if stored_id.strip()[:8] in line)
    assert "2026-11-20" in dropped_line and "physio: rest" in dropped_line
    kept = list(data_dir.glob("replaced-by-import-*.json"))
    assert len(kept) == 1 and str(kept[0]) in result.out
    [copy] = json.loads(kept[0].read_text())
    assert (copy["id"], copy["notes"]) == (stored_id.strip(), "physio: rest")
    assert [e["id"] for e in list_json()] == [rival["id"]]


def test_an_import_names_the_checkin_it_leaves_out(cli: Cli, write: Writer) -> None:
    flags = cli_args("checkin", knee_pain=6)
    assert cli("log", "checkin", *flags, "--date", "2026-11-20").code == 0
    older = minimal("checkin", knee_pain=2, notes="from the old laptop", updated_at=EARLY)
    result = cli("import", str(write([older])))
    assert "1 check-in not imported" in result.out
    assert "from the old laptop" in result.out


def test_an_import_names_the_entries_it_replaces(cli: Cli, write: Writer) -> None:
    entry_id = cli("log", "cycling", "--minutes", "30", "--notes", "mine").out.strip()
    later = {
        **minimal("cycling", minutes=45),
        "id": entry_id,
        # Later than the stored copy, written just now, and within the allowed now + 1 day.
        "updated_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
    }
    result = cli("import", str(write([later])))
    assert counts(result) == (1, 0, 1, 0)
    assert "Replaced" in result.out and "mine" in result.out


@pytest.mark.parametrize("field", ["created_at", "updated_at"])
def test_timestamps_after_tomorrow_are_refused(
    cli: Cli, write: Writer, data_dir: Path, field: str
) -> None:
    future = minimal("lunge", **{field: "2099-01-01T00:00:00+00:00"})
    assert_refused(cli("import", str(write([minimal("cycling"), future]))), field, "now + 1 day")
    assert not data_dir.exists()


def test_an_invalid_text_in_a_later_month_writes_no_earlier_month(
    cli: Cli, write: Writer, data_dir: Path
) -> None:
    # Valid JSON holding a lone surrogate, which no UTF-8 file can store.
    raw = json.dumps(
        [minimal("cycling", date="2026-10-03"), minimal("cycling", date="2026-11-03", notes="x")]
    ).replace('"x"', '"bad \\ud800"')
    assert cli("log", "lunge", "--sets", "3", "--reps", "10", "--tempo", "4-1-4").code == 0
    before = snapshot(data_dir)
    assert_refused(cli("import", str(write(raw))), "notes", "UTF-8")
    assert snapshot(data_dir) == before
