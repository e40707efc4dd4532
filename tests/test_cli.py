"""The command line of cli.md, run in-process: values, exit codes, messages, and the data folder
(nothing written on a refusal, corrupt files left alone, undo, demo, today, list, export)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import subprocess
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import PYTHON, TODAY, Cli, CliResult, snapshot, subprocess_env
from factories import REQUIRED, cli_flags

from tracker import records
from tracker.cli import csv_columns
from tracker.records import FIELDS, Field

ListJson = Callable[[], list[dict[str, Any]]]
ID = re.compile(r"[0-9a-f]{32}")

# The required flags of each kind, with ordinary values.
BASE: dict[str, dict[str, str]] = {kind: cli_flags(kind) for kind in REQUIRED}


def log_args(kind: str, extra: dict[str, str] | None = None, **flags: str) -> list[str]:
    """`log KIND` with the base flags, then ``extra`` ({"--km": "3"}) and ``flags``
    (``knee_pain="4"`` -> ``--knee-pain 4``) on top."""
    merged = {**BASE[kind], **(extra or {})}
    if kind == "plan":  # a plan for the exercise that the flags fit
        names = {s.name for s in FIELDS[kind] if s.flag in merged and s.name != "exercise"}
        merged["--exercise"] = cli_flags(kind, **dict.fromkeys(names, 1))["--exercise"]
    for name, value in flags.items():
        merged["--" + name.replace("_", "-")] = value
    return ["log", kind, *(part for pair in merged.items() for part in pair)]


def logged(cli: Cli, kind: str, extra: dict[str, str] | None = None, **flags: str) -> str:
    result = cli(*log_args(kind, extra, **flags))
    assert result.code == 0, result.err
    return result.out.strip()


def assert_refused(result: CliResult, *words: str) -> None:
    """Exit 2 with one line on stderr naming ``words``, nothing on stdout, no traceback."""
    assert result.code == 2, (result.out, result.err)
    assert result.out == ""
    assert result.no_traceback
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    for word in words:
        assert word in lines[0], (word, lines[0])


def entry_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("entries-*.json"))


# ---------------------------------------------------------------- bounds of every flag

RANGED = [
    (kind, spec)
    for kind in records.KINDS
    for spec in FIELDS[kind]
    if spec.type in ("int", "number")
]


def edges(spec: Field) -> tuple[list[str], list[str]]:
    """(values at the edges, values one past them) as typed on the command line."""
    assert spec.low is not None and spec.high is not None
    if spec.type == "int":
        low, high = int(spec.low), int(spec.high)
        return [str(low), str(high)], [str(low - 1), str(high + 1)]
    low_f, high_f = spec.low, spec.high
    first = f"{low_f + 0.1:g}" if spec.low_exclusive else f"{low_f:g}"
    below = f"{low_f:g}" if spec.low_exclusive else f"{low_f - 0.1:g}"
    return [first, f"{high_f:g}"], [below, f"{high_f + 0.1:g}"]


def range_text(spec: Field) -> str:
    low, high = records._num(spec.low), records._num(spec.high)
    return f"greater than {low}, at most {high}" if spec.low_exclusive else f"{low} to {high}"


@pytest.mark.parametrize(("kind", "spec"), RANGED, ids=[f"{k}-{s.flag}" for k, s in RANGED])
def test_every_flag_takes_its_edges_and_refuses_one_past_them(
    cli: Cli, data_dir: Path, list_json: ListJson, kind: str, spec: Field
) -> None:
    accepted, past = edges(spec)
    for number, value in enumerate(accepted):
        # Two dates, so that two check-ins do not meet.
        entry_id = logged(cli, kind, {spec.flag: value}, date=f"2026-11-{20 + number}")
        stored = next(e for e in list_json() if e["id"] == entry_id)
        assert stored[spec.name] == float(value)
    before = snapshot(data_dir)
    for value in past:
        result = cli(*log_args(kind, {spec.flag: value}, date="2026-11-22"))
        assert_refused(result, spec.flag, range_text(spec))
        assert snapshot(data_dir) == before


@pytest.mark.parametrize(
    ("kind", "flags", "named"),
    [
        ("lunge", {"tempo": "abc"}, "--tempo"),
        ("lunge", {"tempo": "4-1-31-0"}, "--tempo"),
        ("lunge", {"side": "up"}, "--side"),
        ("lunge", {"sets": "2.5"}, "--sets"),
        ("cycling", {"km": "far"}, "--km"),
        ("cycling", {"avg_hr": "231"}, "--avg-hr"),
        ("rotation", {"exercise": "e" * 61}, "--exercise"),
        ("rotation", {"band": "purple"}, "--band"),
        ("checkin", {"clicks": "1001"}, "--clicks"),
        ("lunge", {"date": "2026-02-30"}, "--date"),
        ("lunge", {"date": "2026-11-26"}, "--date"),
        ("lunge", {"date": "1899-12-31"}, "--date"),
        ("lunge", {"date": "31/11/2026"}, "--date"),  # 25/11/2026 is a date now (issue 14)
        ("cycling", {"notes": "n" * 1001}, "--notes"),
    ],
)
def test_bad_values_are_refused_naming_the_flag_and_nothing_is_written(
    cli: Cli, data_dir: Path, kind: str, flags: dict[str, str], named: str
) -> None:
    logged(cli, kind, date="2026-11-01")
    before = snapshot(data_dir)
    assert_refused(cli(*log_args(kind, None, **flags)), named)
    assert snapshot(data_dir) == before


def test_refusal_says_the_allowed_values(cli: Cli) -> None:
    assert_refused(cli(*log_args("lunge", tempo="abc")), "--tempo", "0 to 30")
    assert_refused(cli(*log_args("lunge", date="2026-11-26")), "--date", "2026-11-25")
    assert_refused(cli(*log_args("cycling", notes="n" * 1001)), "--notes", "1000")
    assert_refused(cli(*log_args("rotation", exercise="e" * 61)), "--exercise", "60")
    assert_refused(cli(*log_args("rotation", band="purple")), "--band", "tan, yellow")


def test_edges_of_dates_notes_and_exercise_names_are_accepted(
    cli: Cli, list_json: ListJson
) -> None:
    logged(cli, "lunge", date="1900-01-01")
    logged(cli, "lunge", date=TODAY, notes="n" * 1000)
    logged(cli, "rotation", exercise="e" * 60, band="GOLD", side="Left")
    logged(cli, "lunge", date="2024-02-29")
    entries = list_json()
    assert [e["date"] for e in entries] == ["1900-01-01", "2024-02-29", TODAY, TODAY]
    assert entries[2]["notes"] == "n" * 1000
    assert (entries[3]["exercise"], entries[3]["band"], entries[3]["side"]) == (
        "e" * 60,
        "gold",
        "left",
    )


@pytest.mark.parametrize(
    "args",
    [
        ["log", "lunge", "--sets", "3", "--reps", "10"],  # --tempo missing
        ["log", "yoga", "--minutes", "3"],
        ["log", "checkin", *log_args("checkin")[2:], "--painful", "--not-painful"],
        ["log", "cycling", "--minutes", "30", "--tempo", "4-1-4"],
        ["list", "--kind", "yoga"],
        ["list", "--from", "2026-02-30"],
        ["frobnicate"],
        ["delete", "abcdef"],
        ["edit", "abcdef", "--notes", "x"],
        ["import", "/nonexistent/file.json"],
        ["demo", "--days", "zero"],
    ],
    ids=lambda a: " ".join(a)[:40],
)
def test_user_mistakes_exit_2_with_one_line_and_no_traceback(
    cli: Cli, data_dir: Path, args: list[str]
) -> None:
    logged(cli, "lunge")
    before = snapshot(data_dir)
    assert_refused(cli(*args))
    assert snapshot(data_dir) == before


def test_a_user_mistake_in_a_real_process_shows_no_traceback(data_dir: Path) -> None:
    for args in (["log", "lunge", "--sets", "99"], ["log", "checkin"], ["edit", "zz"]):
        done = subprocess.run(
            [PYTHON, "-m", "tracker", *args, "--data", str(data_dir)],
            capture_output=True,
            text=True,
            env=subprocess_env(),
            timeout=30,
        )
        assert done.returncode == 2
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith("tracker: error:")


# ---------------------------------------------------------------- log, --data, permissions


def test_log_prints_the_new_id_alone(cli: Cli, list_json: ListJson) -> None:
    result = cli(*log_args("cycling", km="12.5", notes="easy spin"))
    assert result.code == 0
    assert ID.fullmatch(result.out.rstrip("\n"))
    assert result.out.count("\n") == 1
    assert result.err == ""
    (entry,) = list_json()
    assert entry["id"] == result.out.strip()
    assert (entry["minutes"], entry["distance_km"], entry["notes"]) == (30, 12.5, "easy spin")
    assert entry["date"] == TODAY


def test_stored_entry_carries_every_field(cli: Cli, list_json: ListJson) -> None:
    logged(cli, "lunge", tempo="4-x-4")
    (entry,) = list_json()
    assert list(entry) == list(records.field_order("lunge"))
    assert entry["tempo"] == "4-X-4-0"
    assert entry["side"] == "both"
    assert entry["effort"] is None and entry["notes"] is None
    assert entry["created_at"].endswith("+00:00")


def test_data_option_before_or_after_the_command(
    cli: Cli, data_dir: Path, list_json: ListJson
) -> None:
    folder = str(data_dir)
    ids = [
        cli("--data", folder, *log_args("lunge"), data=None).out.strip(),
        cli("log", "--data", folder, *log_args("lunge")[1:], data=None).out.strip(),
        cli(*log_args("lunge"), "--data", folder, data=None).out.strip(),
    ]
    assert all(ID.fullmatch(i) for i in ids)
    assert sorted(e["id"] for e in list_json()) == sorted(ids)


def test_edit_and_delete_take_the_data_option_anywhere(
    cli: Cli, data_dir: Path, list_json: ListJson
) -> None:
    entry_id = logged(cli, "cycling")
    folder = str(data_dir)
    for args in (
        ["--data", folder, "edit", entry_id, "--km", "1"],
        ["edit", "--data", folder, entry_id, "--km", "2"],
        ["edit", entry_id, "--data", folder, "--km", "3"],
        ["edit", entry_id, "--km", "4", "--data", folder],
    ):
        result = cli(*args, data=None)
        assert (result.code, result.out.strip()) == (0, entry_id), (args, result)
        assert list_json()[0]["distance_km"] == int(args[args.index("--km") + 1])
    assert cli("delete", entry_id, "--data", folder, data=None).code == 0
    assert list_json() == []


def test_tracker_data_environment_variable(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "from-env"
    monkeypatch.setenv("TRACKER_DATA", str(folder))
    entry_id = cli(*log_args("cycling"), data=None).out.strip()
    assert entry_id in cli("list", "--json", data=None).out
    assert entry_id in cli("list", "--json", data=folder).out
    # --data wins over the variable.
    other = tmp_path / "other"
    assert cli("list", "--json", data=other).out.strip() == "[]"


def test_folder_and_files_are_readable_by_the_owner_only(cli: Cli, data_dir: Path) -> None:
    assert not data_dir.exists()
    logged(cli, "lunge")
    logged(cli, "checkin")
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    files = list(data_dir.rglob("*"))
    assert len(files) >= 2
    for path in files:
        wanted = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == wanted, path.name


def test_demo_and_import_files_are_private_too(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    assert cli("demo", "--days", "40").code == 0
    export = tmp_path / "all.json"
    assert cli("export", "--out", str(export)).code == 0
    imported = tmp_path / "imported"
    assert cli("import", str(export), data=imported).code == 0
    for folder in (data_dir, imported):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        for path in folder.rglob("*"):
            assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path


def test_every_data_file_is_a_plain_tinydb_database(cli: Cli, data_dir: Path) -> None:
    from tinydb import TinyDB

    ids = [logged(cli, "lunge", date=d) for d in ("2025-12-31", "2026-01-01", TODAY)]
    assert cli("undo").code == 0
    ids[-1] = logged(cli, "checkin")
    found: set[str] = set()
    for path in data_dir.glob("*.json"):
        json.loads(path.read_bytes())
        with TinyDB(path) as db:
            for table in db.tables():
                found |= {doc.get("id") for doc in db.table(table).all() if doc.get("kind")}
    assert set(ids) <= found


# ---------------------------------------------------------------- check-ins


def test_a_second_checkin_for_a_date_needs_replace(
    cli: Cli, data_dir: Path, list_json: ListJson
) -> None:
    first = cli(*log_args("checkin", date="2026-11-20", clicks="12"), "--painful").out.strip()
    (original,) = list_json()
    before = snapshot(data_dir)
    assert_refused(cli(*log_args("checkin", date="2026-11-20")), "2026-11-20", "--replace")
    assert snapshot(data_dir) == before

    replaced = cli(*log_args("checkin", date="2026-11-20", knee_pain="7"), "--replace")
    assert replaced.code == 0
    assert replaced.out.strip() == first
    (entry,) = list_json()
    assert entry["id"] == first
    assert entry["created_at"] == original["created_at"]
    assert entry["updated_at"] >= original["updated_at"]
    assert entry["knee_pain"] == 7
    # Every other field is replaced too: the click count given before is gone.
    assert entry["click_count"] is None and entry["clicking_painful"] is None

    undone = cli("undo")
    assert undone.code == 0 and undone.out.startswith("Undid:")
    assert list_json() == [original]


def test_replace_without_a_checkin_adds_one(cli: Cli, list_json: ListJson) -> None:
    entry_id = cli(*log_args("checkin"), "--replace").out.strip()
    assert [e["id"] for e in list_json()] == [entry_id]


def test_painful_and_not_painful(cli: Cli, list_json: ListJson) -> None:
    cli(*log_args("checkin", date="2026-11-01"), "--painful")
    cli(*log_args("checkin", date="2026-11-02"), "--not-painful")
    cli(*log_args("checkin", date="2026-11-03"))
    assert [e["clicking_painful"] for e in list_json()] == [True, False, None]


# ---------------------------------------------------------------- edit and delete


def test_edit_by_id_prefix_of_six_characters(cli: Cli, list_json: ListJson) -> None:
    entry_id = logged(cli, "lunge", notes="old")
    result = cli("edit", entry_id[:6], "--notes", "new", "--sets", "4")
    assert result.code == 0
    assert result.out.strip() == entry_id
    (entry,) = list_json()
    assert (entry["notes"], entry["sets"], entry["reps"]) == ("new", 4, 10)
    assert entry["updated_at"] > entry["created_at"]
    assert_refused(cli("edit", entry_id[:5], "--notes", "x"), entry_id[:5])
    assert list_json()[0]["notes"] == "new"


def test_edit_with_an_empty_value_clears_an_optional_field(cli: Cli, list_json: ListJson) -> None:
    entry_id = logged(cli, "cycling", km="10", avg_hr="120", notes="hello")
    assert cli("edit", entry_id, "--km", "", "--notes", "").code == 0
    (entry,) = list_json()
    assert entry["distance_km"] is None and entry["notes"] is None
    assert entry["avg_hr"] == 120


def test_painful_is_set_changed_and_cleared_like_other_optional_fields(
    cli: Cli, list_json: ListJson
) -> None:
    base = ["--knee-pain", "2", "--back-pain", "1", "--clicking-left", "1", "--clicking-right", "0"]
    entry_id = cli("log", "checkin", *base, "--painful").out.strip()
    assert list_json()[0]["clicking_painful"] is True
    assert cli("edit", entry_id, "--not-painful").code == 0
    assert list_json()[0]["clicking_painful"] is False
    assert cli("edit", entry_id, "--painful", "yes").code == 0
    assert list_json()[0]["clicking_painful"] is True
    assert cli("edit", entry_id, "--painful", "").code == 0
    assert list_json()[0]["clicking_painful"] is None
    refused = cli("edit", entry_id, "--painful", "maybe")
    assert refused.code == 2 and "--painful" in refused.err and "yes or no" in refused.err


def test_edit_refuses_bad_values_and_other_kinds_flags(
    cli: Cli, data_dir: Path, list_json: ListJson
) -> None:
    entry_id = logged(cli, "lunge")
    before = snapshot(data_dir)
    assert_refused(cli("edit", entry_id, "--sets", "21"), "--sets", "1 to 20")
    assert_refused(cli("edit", entry_id, "--sets", ""), "--sets")
    assert_refused(cli("edit", entry_id, "--date", "2026-11-26"), "--date")
    assert_refused(cli("edit", entry_id, "--km", "3"), "--km")
    assert_refused(cli("edit", entry_id))
    assert snapshot(data_dir) == before


def test_moving_a_checkin_onto_a_date_that_has_one_needs_replace(
    cli: Cli, data_dir: Path, list_json: ListJson
) -> None:
    kept = logged(cli, "checkin", date="2026-11-20", knee_pain="5")
    moved = logged(cli, "checkin", date="2026-11-21", knee_pain="1")
    before = snapshot(data_dir)
    assert_refused(cli("edit", moved, "--date", "2026-11-20"), "2026-11-20", "--replace")
    assert snapshot(data_dir) == before
    assert cli("edit", moved, "--date", "2026-11-20", "--replace").code == 0
    entries = list_json()
    assert [(e["id"], e["date"], e["knee_pain"]) for e in entries] == [(moved, "2026-11-20", 1)]
    assert cli("undo").code == 0
    assert {(e["id"], e["date"]) for e in list_json()} == {
        (kept, "2026-11-20"),
        (moved, "2026-11-21"),
    }


def test_edit_can_move_an_entry_to_another_month_and_year(
    cli: Cli, data_dir: Path, list_json: ListJson
) -> None:
    entry_id = logged(cli, "lunge", date="2025-06-15")
    assert cli("edit", entry_id, "--date", "2026-01-02").code == 0
    assert [(e["id"], e["date"]) for e in list_json()] == [(entry_id, "2026-01-02")]
    assert sum(entry_id in p.read_text() for p in entry_files(data_dir)) == 1


def test_delete_prints_the_id_and_removes_the_entry(cli: Cli, list_json: ListJson) -> None:
    gone = logged(cli, "lunge")
    kept = logged(cli, "cycling")
    result = cli("delete", gone[:8])
    assert result.code == 0 and result.out.strip() == gone
    assert [e["id"] for e in list_json()] == [kept]
    assert_refused(cli("delete", gone))


# ---------------------------------------------------------------- undo


def test_undo_steps_back_through_add_edit_and_delete(cli: Cli, list_json: ListJson) -> None:
    states = [list_json()]
    entry_id = logged(cli, "rotation", notes="first")
    states.append(list_json())
    cli("edit", entry_id, "--notes", "second", "--band", "red")
    states.append(list_json())
    cli("delete", entry_id)
    states.append(list_json())
    assert states[-1] == []
    for expected in reversed(states[:-1]):
        result = cli("undo")
        assert result.code == 0 and result.out.startswith("Undid: "), result
        assert list_json() == expected
    for _ in range(2):
        result = cli("undo")
        assert (result.code, result.out) == (0, "Nothing to undo.\n")


def test_undo_keeps_fifty_steps(cli: Cli, list_json: ListJson) -> None:
    ids = [logged(cli, "cycling", minutes=str(n + 1)) for n in range(53)]
    for _ in range(50):
        assert cli("undo").out.startswith("Undid:")
    assert cli("undo").out == "Nothing to undo.\n"
    assert [e["id"] for e in list_json()] == ids[:3]


def test_import_clears_the_undo_history(cli: Cli, tmp_path: Path, list_json: ListJson) -> None:
    logged(cli, "lunge")
    source = tmp_path / "other"
    other_id = cli(*log_args("cycling"), data=source).out.strip()
    export = tmp_path / "export.json"
    cli("export", "--out", str(export), data=source)
    assert cli("import", str(export)).code == 0
    assert cli("undo").out == "Nothing to undo.\n"
    assert other_id in {e["id"] for e in list_json()}
    assert len(list_json()) == 2


def test_demo_leaves_no_undo_history(cli: Cli, list_json: ListJson) -> None:
    assert cli("demo", "--days", "30").code == 0
    count = len(list_json())
    assert count > 30
    assert cli("undo").out == "Nothing to undo.\n"
    assert len(list_json()) == count


def made_on(data_dir: Path, day: str) -> None:
    """Date every undo step at noon of ``day`` on this machine's clock (stored in UTC)."""
    path = data_dir / "undo.home.json"
    tables = json.loads(path.read_bytes())
    noon = datetime.fromisoformat(f"{day}T12:00").astimezone().astimezone(UTC)
    for step in tables["undo"].values():
        step["made_at"] = noon.isoformat()
    path.write_text(json.dumps(tables))


class Terminal:
    """Standard input as a terminal where the user types ``answer`` (None: end of input)."""

    def __init__(self, answer: str | None) -> None:
        self.answer = answer
        self.asked = 0

    def isatty(self) -> bool:
        return True

    def input(self, prompt: str = "") -> str:
        self.asked += 1
        if self.answer is None:
            raise EOFError
        return self.answer


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Callable[[str | None], Terminal]:
    def use(answer: str | None) -> Terminal:
        fake = Terminal(answer)
        monkeypatch.setattr("sys.stdin", fake)
        monkeypatch.setattr("builtins.input", fake.input)
        return fake

    return use


@pytest.mark.parametrize("answer", ["n", "", "no", None])
def test_undo_asks_on_a_terminal_before_undoing_a_change_made_before_today(
    cli: Cli, data_dir: Path, terminal: Callable[[str | None], Terminal], answer: str | None
) -> None:
    logged(cli, "lunge", date="2026-11-20")
    made_on(data_dir, "2026-11-24")
    before = snapshot(data_dir)
    user = terminal(answer)
    result = cli("undo")
    assert (result.code, result.out) == (0, "Nothing undone.\n")
    assert user.asked == 1
    assert result.err.splitlines()[:3] == [
        "The last change was made yesterday, Tue 24 Nov 2026:",
        "  added tempo lunges on Fri 20 Nov 2026.",
        "Undo it? [y/N] ",
    ]
    assert snapshot(data_dir) == before


@pytest.mark.parametrize("answer", ["y", "Y", "yes"])
def test_undo_on_a_terminal_undoes_an_older_change_when_told_yes(
    cli: Cli,
    data_dir: Path,
    list_json: ListJson,
    terminal: Callable[[str | None], Terminal],
    answer: str,
) -> None:
    logged(cli, "cycling", date="2026-11-20")
    made_on(data_dir, "2026-11-18")
    user = terminal(answer)
    result = cli("undo")
    assert result.code == 0 and user.asked == 1
    assert "made on Wed 18 Nov 2026:\n  added cycling on Fri 20 Nov 2026.\n" in result.err
    assert result.out == (
        "Undid: added cycling on Fri 20 Nov 2026 (a change made on Wed 18 Nov 2026)\n"
    )
    assert list_json() == []


def test_undo_asks_nothing_for_a_change_made_today(
    cli: Cli, data_dir: Path, list_json: ListJson, terminal: Callable[[str | None], Terminal]
) -> None:
    logged(cli, "cycling", date="2026-11-20")
    user = terminal("n")
    result = cli("undo")
    assert (result.code, result.out, result.err) == (
        0,
        "Undid: added cycling on Fri 20 Nov 2026\n",
        "",
    )
    assert user.asked == 0 and list_json() == []


def test_undo_yes_and_undo_without_a_terminal_do_not_ask(
    cli: Cli,
    data_dir: Path,
    list_json: ListJson,
    terminal: Callable[[str | None], Terminal],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    logged(cli, "cycling", date="2026-11-19")
    logged(cli, "lunge", date="2026-11-20")
    made_on(data_dir, "2026-11-24")
    user = terminal("n")
    result = cli("undo", "--yes")
    assert result.code == 0 and result.err == "" and user.asked == 0
    assert result.out == (
        "Undid: added tempo lunges on Fri 20 Nov 2026 (a change made yesterday, Tue 24 Nov 2026)\n"
    )
    # A script (standard input not a terminal) keeps the contract: undo, no question.
    monkeypatch.setattr(user, "isatty", lambda: False)
    result = cli("undo")
    assert result.code == 0 and result.err == "" and user.asked == 0
    assert result.out.startswith("Undid: added cycling on Thu 19 Nov 2026")
    assert list_json() == []


def test_an_undo_step_of_an_older_tracker_is_asked_about(
    cli: Cli, data_dir: Path, terminal: Callable[[str | None], Terminal]
) -> None:
    logged(cli, "cycling")
    path = data_dir / "undo.home.json"
    tables = json.loads(path.read_bytes())
    for step in tables["undo"].values():
        del step["made_at"]
    path.write_text(json.dumps(tables))
    terminal("n")
    result = cli("undo")
    assert result.out == "Nothing undone.\n"
    assert result.err.startswith("The last change was made at an unknown time:\n  added cycling")


def test_redo_makes_the_undone_changes_again(cli: Cli, list_json: ListJson) -> None:
    assert (cli("redo").code, cli("redo").out) == (0, "Nothing to redo.\n")  # no folder yet
    states = [list_json()]
    entry_id = logged(cli, "rotation", notes="first")
    states.append(list_json())
    cli("edit", entry_id, "--notes", "second", "--date", "2026-10-01")
    states.append(list_json())
    cli("delete", entry_id)
    states.append(list_json())
    for _ in range(3):
        assert cli("undo").out.startswith("Undid: ")
    assert list_json() == states[0]
    said = []
    for expected in states[1:]:
        result = cli("redo")
        assert result.code == 0 and result.err == ""
        said.append(result.out)
        assert list_json() == expected
    assert said == [
        "Redid: added external rotation on Wed 25 Nov 2026\n",
        "Redid: edited external rotation on Thu 1 Oct 2026\n",
        "Redid: deleted external rotation on Thu 1 Oct 2026\n",
    ]
    assert cli("redo").out == "Nothing to redo.\n"
    assert cli("undo").out == "Undid: deleted external rotation on Thu 1 Oct 2026\n"
    assert list_json() == states[2]


def test_a_new_change_leaves_nothing_to_redo(cli: Cli, list_json: ListJson) -> None:
    logged(cli, "lunge")
    cli("undo")
    kept = logged(cli, "cycling")
    assert cli("redo").out == "Nothing to redo.\n"
    assert [e["id"] for e in list_json()] == [kept]


def test_redo_is_exit_2_and_writes_nothing_when_the_entry_changed_meanwhile(
    cli: Cli, data_dir: Path
) -> None:
    entry_id = logged(cli, "cycling")
    cli("edit", entry_id, "--minutes", "45")
    cli("undo")
    # An older tracker, which keeps no redo list, edits the entry in its month file.
    (path,) = entry_files(data_dir)
    tables = json.loads(path.read_bytes())
    for document in tables["entries"].values():
        document["notes"] = "changed elsewhere"
    path.write_text(json.dumps(tables))
    before = snapshot(data_dir)
    assert_refused(
        cli("redo"),
        "cannot redo 'edited cycling",
        "the cycling entry of Wed 25 Nov 2026 was changed",
    )
    assert snapshot(data_dir) == before


def test_a_damaged_redo_step_is_exit_3_and_writes_nothing(cli: Cli, data_dir: Path) -> None:
    entry_id = logged(cli, "cycling")
    cli("edit", entry_id, "--minutes", "45")
    cli("undo")
    path = data_dir / "undo.home.json"
    tables = json.loads(path.read_bytes())
    last = max(tables["undo"], key=int)
    tables["undo"][last]["changes"] = [{"before": None, "after": {"kind": "cycling"}}]
    path.write_text(json.dumps(tables))
    before = snapshot(data_dir)
    result = cli("redo")
    assert result.code == 3 and "undo.home.json" in result.err and result.no_traceback
    assert snapshot(data_dir) == before


# ---------------------------------------------------------------- demo


def test_demo_refuses_a_folder_holding_files(cli: Cli, data_dir: Path) -> None:
    logged(cli, "lunge")
    before = snapshot(data_dir)
    assert_refused(cli("demo"), str(data_dir))
    assert snapshot(data_dir) == before


def test_demo_accepts_a_folder_holding_only_hidden_files(cli: Cli, data_dir: Path) -> None:
    data_dir.mkdir(mode=0o700)
    (data_dir / ".stfolder").write_text("")
    assert cli("demo", "--days", "10").code == 0


def test_demo_is_the_same_for_the_same_seed(cli: Cli, tmp_path: Path) -> None:
    def demo(name: str, seed: str) -> list[dict[str, Any]]:
        folder = tmp_path / name
        result = cli("demo", "--days", "60", "--seed", seed, data=folder)
        assert result.code == 0
        entries: list[dict[str, Any]] = json.loads(cli("list", "--json", data=folder).out)
        return entries

    first, again, other = demo("a", "5"), demo("b", "5"), demo("c", "6")
    assert first == again
    assert [e["id"] for e in first] != [e["id"] for e in other]
    assert first[-1]["date"] == TODAY
    assert first[0]["date"] >= "2026-09-27"  # 60 days ending today
    assert {e["kind"] for e in first} == set(records.KINDS)


# ---------------------------------------------------------------- today, list, export


def test_today_with_nothing_logged(cli: Cli) -> None:
    result = cli("today")
    assert result.code == 0
    lines = result.out.splitlines()
    assert 1 <= len(lines) <= 2
    assert TODAY in lines[0] and "no check-in" in lines[0]
    for label in ("tempo lunges", "cycling", "external rotation"):
        assert label in result.out.lower()


def test_today_names_the_checkin_and_what_is_missing(cli: Cli) -> None:
    logged(cli, "checkin", knee_pain="4")
    logged(cli, "lunge")
    logged(cli, "cycling", date="2026-11-24")  # yesterday does not count
    result = cli("today")
    lines = result.out.splitlines()
    assert 1 <= len(lines) <= 2
    assert "knee pain 4/10" in lines[0]
    missing = result.out.lower().split("not yet:")[1]
    assert "cycling" in missing and "external rotation" in missing
    assert "lunges" not in missing


def test_list_filters_by_dates_inclusive_and_by_kind(cli: Cli) -> None:
    days = ["2026-11-01", "2026-11-02", "2026-11-03"]
    ids = {d: logged(cli, "lunge", date=d) for d in days}
    checkin = logged(cli, "checkin", date="2026-11-02")

    def listed(*args: str) -> list[str]:
        result = cli("list", "--json", *args)
        assert result.code == 0, result.err
        return [e["id"] for e in json.loads(result.out)]

    assert listed("--from", "2026-11-02", "--to", "2026-11-02") == [ids["2026-11-02"], checkin]
    assert listed("--from", "2026-11-02") == [ids["2026-11-02"], checkin, ids["2026-11-03"]]
    assert listed("--to", "2026-11-01") == [ids["2026-11-01"]]
    assert listed("--kind", "checkin") == [checkin]
    assert listed("--kind", "lunge", "--to", "2026-11-02") == [
        ids["2026-11-01"],
        ids["2026-11-02"],
    ]
    assert_refused(cli("list", "--to", "2026-02-30"), "--to")


def test_plain_list_shows_short_ids_oldest_first(cli: Cli) -> None:
    late = logged(cli, "cycling", date="2026-11-10")
    early = logged(cli, "lunge", date="2026-11-01")
    lines = cli("list").out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("2026-11-01") and early[:8] in lines[0]
    assert early not in lines[0]
    assert lines[1].startswith("2026-11-10") and late[:8] in lines[1]


def test_list_of_an_empty_folder(cli: Cli, data_dir: Path) -> None:
    assert cli("list", "--json").out.strip() == "[]"
    assert cli("list").code == 0
    assert not data_dir.exists()  # reading writes nothing


def test_markup_in_free_text_is_stored_and_printed_as_typed(cli: Cli, list_json: ListJson) -> None:
    notes = "[bold]knee[/] felt [red]better[/red] \\[x] [/]"
    exercise = "[b]band walk[/]"
    logged(cli, "rotation", exercise=exercise, notes=notes)
    (entry,) = list_json()
    assert (entry["notes"], entry["exercise"]) == (notes, exercise)
    plain = cli("list").out
    assert notes in plain and exercise in plain


def test_csv_export_has_a_header_and_one_row_per_entry(
    cli: Cli, tmp_path: Path, list_json: ListJson
) -> None:
    logged(cli, "lunge", notes='comma, "quote"\nnewline')
    logged(cli, "cycling", km="7.5")
    cli(*log_args("checkin"), "--painful")
    logged(cli, "rotation", band="red")
    result = cli("export", "--format", "csv")
    assert result.code == 0
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert rows and list(rows[0]) == csv_columns()
    entries = list_json()
    assert [r["id"] for r in rows] == [e["id"] for e in entries]
    by_kind = {r["kind"]: r for r in rows}
    assert by_kind["lunge"]["notes"] == 'comma, "quote"\nnewline'
    assert by_kind["cycling"]["distance_km"] == "7.5"
    assert by_kind["cycling"]["sets"] == ""
    assert by_kind["checkin"]["clicking_painful"] == "true"
    out = tmp_path / "out.csv"
    assert cli("export", "--format", "csv", "--out", str(out)).code == 0
    assert out.read_text() == result.out


def test_json_export_is_what_list_json_prints(cli: Cli, tmp_path: Path) -> None:
    logged(cli, "lunge")
    logged(cli, "checkin")
    assert json.loads(cli("export").out) == json.loads(cli("list", "--json").out)


# ---------------------------------------------------------------- corrupt data files


def corrupt_truncated(path: Path) -> None:
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])


def corrupt_foreign(path: Path) -> None:
    path.write_text('{"foo": 1}')


def corrupt_newer_schema(path: Path) -> None:
    tables = json.loads(path.read_bytes())
    tables["_meta"] = {"1": {"app": "tracker", "schema": 99}}
    path.write_text(json.dumps(tables))


def corrupt_one_entry(path: Path) -> None:
    tables = json.loads(path.read_bytes())
    document = next(iter(tables["entries"].values()))
    document["knee_pain"] = 11
    path.write_text(json.dumps(tables))


def corrupt_kind(path: Path) -> None:
    tables = json.loads(path.read_bytes())
    document = next(iter(tables["entries"].values()))
    document["kind"] = ["checkin"]
    path.write_text(json.dumps(tables))


CORRUPTIONS = [corrupt_truncated, corrupt_foreign, corrupt_newer_schema, corrupt_one_entry]


@pytest.mark.parametrize("corrupt", [*CORRUPTIONS, corrupt_kind], ids=lambda f: f.__name__)
def test_a_corrupt_entries_file_stops_list_and_log_with_exit_3(
    cli: Cli, data_dir: Path, corrupt: Callable[[Path], None]
) -> None:
    logged(cli, "checkin")
    logged(cli, "lunge")
    (path,) = entry_files(data_dir)
    corrupt(path)
    before = snapshot(data_dir)
    for args in (["list"], ["list", "--json"], log_args("lunge"), ["today"], ["export"]):
        result = cli(*args)
        assert result.code == 3, (args, result)
        assert str(path) in result.err
        assert result.out == ""
        assert result.no_traceback
        assert snapshot(data_dir) == before


def test_a_file_of_a_newer_version_says_so(cli: Cli, data_dir: Path) -> None:
    logged(cli, "lunge")
    corrupt_newer_schema(entry_files(data_dir)[0])
    assert "newer" in cli("list").err


@pytest.mark.parametrize("corrupt", CORRUPTIONS[:2], ids=lambda f: f.__name__)
def test_a_corrupt_file_of_another_month_is_left_untouched_by_edit_delete_and_undo(
    cli: Cli, data_dir: Path, corrupt: Callable[[Path], None]
) -> None:
    """A command about one entry reads that entry's month only (issue 10): a damaged file of
    another month neither stops it nor is ever written; a whole-history view names it."""
    old = logged(cli, "lunge", date="2025-03-01")
    new = logged(cli, "lunge")
    old_file = next(p for p in entry_files(data_dir) if old in p.read_text())
    corrupt(old_file)
    damaged = old_file.read_bytes()
    for args in (["edit", new, "--notes", "x"], ["undo"], ["delete", new], ["undo"]):
        result = cli(*args)
        assert result.code == 0, (args, result)
        assert old_file.read_bytes() == damaged
    before = snapshot(data_dir)
    for args in (["list"], ["edit", old, "--notes", "x"]):
        result = cli(*args)
        assert result.code == 3, (args, result)
        assert str(old_file) in result.err
        assert snapshot(data_dir) == before


@pytest.mark.parametrize("corrupt", CORRUPTIONS[:2], ids=lambda f: f.__name__)
def test_a_corrupt_undo_file_stops_undo_and_writes_nothing(
    cli: Cli, data_dir: Path, corrupt: Callable[[Path], None]
) -> None:
    entry_id = logged(cli, "lunge")
    undo_file = data_dir / "undo.home.json"
    corrupt(undo_file)
    before = snapshot(data_dir)
    result = cli("undo")
    assert result.code == 3
    assert str(undo_file) in result.err
    assert snapshot(data_dir) == before
    # The entries can still be read.
    assert entry_id in cli("list", "--json").out


@pytest.mark.parametrize("args", [log_args("cycling"), ["delete", "ENTRY"], ["edit", "ENTRY"]])
def test_a_write_with_a_corrupt_undo_file_exits_3_and_stores_nothing(
    cli: Cli, data_dir: Path, list_json: ListJson, args: list[str]
) -> None:
    # A command that says it failed must not have stored anything: the user would log again.
    entry_id = logged(cli, "lunge")
    entries = list_json()
    (data_dir / "undo.home.json").write_text("{")
    before = snapshot(data_dir)
    args = [entry_id if a == "ENTRY" else a for a in args]
    if args[0] == "edit":
        args += ["--notes", "changed"]
    result = cli(*args)
    assert result.code == 3, result
    assert "undo.home.json" in result.err
    assert snapshot(data_dir) == before
    assert list_json() == entries


# ---------------------------------------------------------------- start-up cost


def test_log_never_imports_textual_or_plotext(data_dir: Path) -> None:
    code = (
        "import sys\n"
        "from tracker.cli import main\n"
        f"code = main(['log', 'lunge', '--sets', '3', '--reps', '8', '--tempo', '4-1-4',"
        f" '--data', {str(data_dir)!r}])\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('textual', 'plotext', 'rich')))\n"
        "print(code, heavy)\n"
    )
    done = subprocess.run(
        [PYTHON, "-c", code], capture_output=True, text=True, env=subprocess_env(), timeout=30
    )
    assert done.returncode == 0, done.stderr
    entry_id, verdict = done.stdout.splitlines()
    assert ID.fullmatch(entry_id)
    assert verdict == "0 []"


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--out", "MISSING/export.json"],
        ["export", "--format", "csv", "--out", "MISSING/export.csv"],
        ["export", "--out", "FOLDER"],
    ],
    ids=["json-into-missing-folder", "csv-into-missing-folder", "onto-a-folder"],
)
def test_an_output_path_that_cannot_be_written_is_a_usage_error(
    cli: Cli, tmp_path: Path, args: list[str]
) -> None:
    logged(cli, "lunge")
    args = [
        a.replace("MISSING", str(tmp_path / "missing")).replace("FOLDER", str(tmp_path))
        for a in args
    ]
    result = cli(*args)
    assert result.code == 2, result
    assert "unexpected" not in result.err
    assert args[-1] in result.err


def test_a_data_option_naming_a_file_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("mine")
    for args in (["list"], log_args("cycling")):
        result = cli(*args, data=not_a_folder)
        assert result.code == 2, result
        assert "unexpected" not in result.err
        assert str(not_a_folder) in result.err
    assert not_a_folder.read_text() == "mine"


# ---------------------------------------------------------------- issue 7: output and help


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_start_like_a_formula_are_neutralised(
    cli: Cli, list_json: ListJson, start: str
) -> None:
    logged(cli, "cycling", notes=f'{start}HYPERLINK("http://x")')
    result = cli("export", "--format", "csv")
    row = next(csv.DictReader(io.StringIO(result.out)))
    # A spreadsheet shows it as text: an apostrophe first, or the CR escaped as "\r".
    assert row["notes"][0] in "'\\", row["notes"]
    assert "\r" not in row["notes"]
    # The JSON export, which import reads back, keeps the note exactly as typed.
    assert list_json()[0]["notes"] == f'{start}HYPERLINK("http://x")'


def test_csv_cells_show_control_characters_escaped(cli: Cli) -> None:
    logged(cli, "cycling", notes="a\x1b]0;PWNED\x07b\nsecond line")
    row = next(csv.DictReader(io.StringIO(cli("export", "--format", "csv").out)))
    assert row["notes"] == "a\\e]0;PWNED\\x07b\nsecond line"


@pytest.mark.parametrize("command", [["export"], ["export", "--format", "csv"], ["report"]])
def test_files_written_with_out_are_readable_by_the_owner_only(
    cli: Cli, tmp_path: Path, command: list[str]
) -> None:
    logged(cli, "cycling")
    out = tmp_path / "backup.out"
    assert cli(*command, "--out", str(out)).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    # Over an existing world-readable file too: the new content is private.
    out.chmod(0o644)
    assert cli(*command, "--out", str(out)).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not list(tmp_path.glob(".backup.out*"))


def test_report_without_options_prints_markdown_and_saves_nothing(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    logged(cli, "cycling", notes="Physio said: <b>easy</b> spins")
    result = cli("report")
    assert result.code == 0, result.err
    assert result.out.startswith("# Progress report: 29 Oct 2026 to 25 Nov 2026\n")
    assert "Saved report" not in result.out
    assert "Physio said: \\<b\\>easy\\</b\\> spins" in result.out  # the note, as typed
    assert list((tmp_path / "home").iterdir()) == []


@pytest.mark.parametrize(
    ("flags", "name", "html"),
    [
        (["--html", "--out", "{dir}/for-physio"], "for-physio", True),
        (["--out", "{dir}/r.html"], "r.html", True),
        (["--out", "{dir}/R.HTM"], "R.HTM", True),
        (["--out", "{dir}/r.md"], "r.md", False),
    ],
)
def test_report_to_a_file_says_where_it_went(
    cli: Cli, tmp_path: Path, flags: list[str], name: str, html: bool
) -> None:
    logged(cli, "cycling", notes="Physio said to keep it easy")
    result = cli("report", *(f.format(dir=tmp_path) for f in flags))
    assert result.code == 0, result.err
    saved = tmp_path / name
    assert result.out == f"Saved report to {saved}\n"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    text = saved.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>" if html else "# Progress report")
    assert "Physio said to keep it easy" in text


def test_report_html_goes_to_the_documents_folder_or_else_home(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    logged(cli, "cycling")
    # No Documents folder: saved in the home folder, and no folder made for it.
    result = cli("report", "--html")
    assert result.code == 0, result.err
    assert result.out == f"Saved report to {home / 'tracker-report-2026-11-25.html'}\n"
    assert sorted(p.name for p in home.iterdir()) == ["tracker-report-2026-11-25.html"]
    (home / "Documents").mkdir()
    result = cli("report", "--html", "--until", "2026-11-20")
    saved = home / "Documents" / "tracker-report-2026-11-20.html"
    assert result.out == f"Saved report to {saved}\n"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    # The same day's report again replaces it: the same report, made again.
    assert cli("report", "--html", "--until", "2026-11-20").code == 0
    assert sorted(p.name for p in (home / "Documents").iterdir()) == [saved.name]


def test_report_to_a_folder_that_is_missing_is_one_line_naming_out(
    cli: Cli, tmp_path: Path
) -> None:
    logged(cli, "cycling")
    result = cli("report", "--html", "--out", str(tmp_path / "missing" / "r.html"))
    assert_refused(result, "--out", "cannot write", "missing")


def test_edit_help_lists_the_flags_of_every_kind(cli: Cli) -> None:
    result = cli("edit", "--help", data=None)
    assert result.code == 0, result.err
    for flag in ("--sets", "--tempo", "--km", "--hold", "--band", "--knee-pain", "--replace"):
        assert flag in result.out
    assert "default today" not in result.out


def test_log_help_shows_required_flags_as_required_and_units(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tracker.cli import main

    def help_of(*command: str) -> str:
        capsys.readouterr()
        with pytest.raises(SystemExit):
            main([*command, "--help"])
        return capsys.readouterr().out

    usage = help_of("log", "lunge")
    assert "--sets N" in usage and "[--sets N]" not in usage
    assert "[--side SIDE]" in usage
    assert "Hold (seconds)" in help_of("log", "rotation")
    assert "add an external rotation entry" in help_of("log")
    chart_help = help_of("chart")
    assert "--width W" in chart_help and "columns" in chart_help


def test_list_shows_each_id_long_enough_to_be_unique(cli: Cli, data_dir: Path) -> None:
    first = logged(cli, "cycling")
    second = logged(cli, "lunge")
    # Make the second id share exactly its first ten characters with the first.
    twin = first[:10] + ("0" if first[10] != "0" else "1") + second[11:]
    month = data_dir / "entries-2026-11.home.json"
    month.write_text(month.read_text().replace(second, twin))
    lines = cli("list").out.strip().splitlines()
    shown = [line.split()[1] for line in lines]
    assert sorted(shown) == sorted([first[:11], twin[:11]])
    for prefix in shown:
        assert cli("edit", prefix, "--notes", "found").code == 0


def test_list_names_exercises_and_resistance_in_words(cli: Cli) -> None:
    logged(cli, "rotation", exercise="standing_shoulder_er")
    logged(cli, "cycling", resistance="6")
    out = cli("list").out
    assert "Standing shoulder external rotation" in out and "standing_shoulder_er" not in out
    assert "resistance 6" in out and "level" not in out


def test_today_reads_only_the_month_it_reports(cli: Cli, data_dir: Path) -> None:
    logged(cli, "cycling")
    # An unreadable file of an old month: `today` never opens it, so it still answers.
    (data_dir / "entries-1990-01.json").write_text("not json")
    result = cli("today")
    assert result.code == 0, result.err
    assert "Done: cycling" in result.out


# ---------------------------------------------------------------- issue 7: dates ahead


def test_an_entry_dated_tomorrow_by_another_time_zone_stays_editable(
    cli: Cli, tmp_path: Path, list_json: ListJson
) -> None:
    # A laptop in a time zone ahead logged it on "its" today: 2026-11-26.
    ahead = records.new_entry("cycling", {"minutes": 30}, today=date(2026, 11, 26))
    backup = tmp_path / "ahead.json"
    backup.write_text(json.dumps([ahead]))
    assert cli("import", str(backup)).code == 0
    assert cli("edit", ahead["id"], "--minutes", "40").code == 0
    assert cli("edit", ahead["id"], "--minutes", "45", "--date", "2026-11-26").code == 0
    assert [(e["date"], e["minutes"]) for e in list_json()] == [("2026-11-26", 45)]
    # Moving an entry to a later day than today is still refused, as is logging one.
    assert cli("edit", ahead["id"], "--date", "2026-11-27").code == 2
    assert cli("log", "cycling", "--minutes", "30", "--date", "2026-11-26").code == 2
    # The user's own backup imports again.
    exported = tmp_path / "export.json"
    assert cli("export", "--out", str(exported)).code == 0
    assert cli("import", str(exported)).code == 0


def test_chart_honours_no_color_on_a_terminal(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # On a terminal a chart is coloured, unless NO_COLOR is set (no-color.org; issue 7 item 29).
    logged(cli, "checkin")
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setattr("sys.stdout.fileno", lambda: 1)
    monkeypatch.setattr("os.get_terminal_size", lambda fd: os.terminal_size((80, 24)))
    coloured = cli("chart", "pain")
    assert coloured.code == 0 and "\x1b[" in coloured.out
    monkeypatch.setenv("NO_COLOR", "1")
    plain = cli("chart", "pain")
    assert plain.code == 0 and "\x1b[" not in plain.out


def test_undo_on_a_terminal_refuses_when_the_history_changed_while_it_asked(
    cli: Cli, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logged(cli, "cycling", date="2026-11-20")
    logged(cli, "lunge", date="2026-11-21")
    made_on(data_dir, "2026-11-24")
    monkeypatch.setattr("sys.stdin", Terminal("y"))

    def answer_while_another_tracker_undoes(prompt: str = "") -> str:
        from tracker.store import Store

        Store(data_dir).undo()
        return "y"

    monkeypatch.setattr("builtins.input", answer_while_another_tracker_undoes)
    before_answer = snapshot(data_dir)
    result = cli("undo")
    assert (result.code, result.out) == (2, "")
    assert result.err.endswith(
        "tracker: error: 'added tempo lunges on Sat 21 Nov 2026' is no longer the change to "
        "undo: another tracker changed the undo history meanwhile; nothing was changed\n"
    )
    assert snapshot(data_dir) != before_answer  # the other tracker's undo only
    monkeypatch.setattr("builtins.input", lambda prompt="": "n")
    assert cli("undo").out == "Nothing undone.\n"  # the cycling entry is still there, asked


def test_chart_progression_shows_each_step_and_kind_picks_one_exercise(cli: Cli) -> None:
    # Lunges stepped from 8 to 12 reps on 20 Nov; knee pain during 6/10 that day is a flag.
    logged(cli, "lunge", {"--reps": "8"}, date="2026-11-18")
    logged(cli, "lunge", {"--reps": "12", "--pain-during": "6"}, date="2026-11-20")
    logged(cli, "cycling", date="2026-11-21")
    chart = cli("chart", "progression", "--days", "14", "--width", "100", "--height", "16")
    assert chart.code == 0, chart.err
    assert "Lunges: • seconds per rep" in chart.out and "x reps 8→12" in chart.out
    assert "knee pain during" in chart.out and "! 1 day flagged" in chart.out
    assert "Also cycling: --kind cycling." in chart.out  # 16 rows hold one exercise
    both = cli("chart", "progression", "--days", "14", "--width", "100", "--height", "24")
    assert "Lunges: •" in both.out and "Cycling: • minutes 30" in both.out
    cycling = cli("chart", "progression", "--kind", "cycling", "--width", "100", "--height", "24")
    assert cycling.code == 0, cycling.err
    assert "Cycling: • minutes 30" in cycling.out
    assert "Lunges" not in cycling.out and "Also" not in cycling.out


def test_chart_kind_is_refused_in_one_line(cli: Cli) -> None:
    logged(cli, "lunge")
    assert_refused(cli("chart", "progression", "--kind", "walking"), "--kind", "lunge, cycling")
    assert_refused(cli("chart", "pain", "--kind", "lunge"), "--kind", "progression")
