"""`tracker doctor` (issue 10) and commands that read only the months they need."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Cli, snapshot
from factories import cli_args

from tracker.store import files as files_module

COPY = "entries-2026-11.home.sync-conflict-20261125-101010-ABCDEF7.json"


def log(cli: Cli, kind: str, day: str) -> str:
    result = cli("log", kind, *cli_args(kind), "--date", day)
    assert result.code == 0, result.err
    return result.out.strip()


def test_doctor_on_a_folder_not_created_yet(cli: Cli, data_dir: Path) -> None:
    result = cli("doctor")
    assert result.code == 0
    assert "Not created yet" in result.out and "All is well" in result.out
    assert not data_dir.exists()


def test_doctor_says_what_the_folder_holds_device_by_device(cli: Cli, data_dir: Path) -> None:
    log(cli, "lunge", "2026-10-02")
    kept = log(cli, "cycling", "2026-11-20")
    gone = log(cli, "cycling", "2026-11-21")
    assert cli("delete", gone).code == 0
    other = data_dir / "entries-2026-11.desktop.json"
    other.write_bytes((data_dir / "entries-2026-11.home.json").read_bytes())
    result = cli("doctor")
    assert result.code == 0, result.err
    out = result.out
    assert "This device: home" in out
    assert "Entries: 2 over 2 months (October 2026 to November 2026)." in out
    assert "home (this device): 2 month files" in out and "desktop: 1 month files" in out
    assert "Deleted entries remembered" in out
    assert "All is well: nothing needs you." in out
    facts = json.loads(cli("doctor", "--json").out)
    assert facts["entries"] == 2 and facts["deleted"] == 1 and facts["needs_you"] == []
    assert [d["name"] for d in facts["devices"]] == ["desktop", "home"]
    assert kept  # listed by id in the JSON of list, not here


def test_doctor_names_conflict_copies_and_repair_folds_them(cli: Cli, data_dir: Path) -> None:
    log(cli, "lunge", "2026-11-02")
    (data_dir / COPY).write_bytes((data_dir / "entries-2026-11.home.json").read_bytes())
    copy_bytes = (data_dir / COPY).read_bytes()
    before = snapshot(data_dir)
    out = cli("doctor").out
    assert "Conflict copies: 1" in out and COPY in out
    assert "another machine uses the device name 'home'" in out  # a copy of our own file
    assert snapshot(data_dir) == before  # doctor alone writes nothing
    result = cli("doctor", "--repair")
    assert result.code == 0
    assert "Repaired: 1 conflict copies folded in" in result.out
    assert not (data_dir / COPY).exists()
    assert (data_dir / "archive" / COPY).read_bytes() == copy_bytes
    assert len(json.loads(cli("list", "--json").out)) == 1


def test_doctor_reports_a_file_it_cannot_read_and_exits_3(cli: Cli, data_dir: Path) -> None:
    log(cli, "lunge", "2026-11-02")
    log(cli, "lunge", "2026-10-02")
    (data_dir / "entries-2026-10.home.json").write_text("{ torn \x1b[31m")
    (data_dir / "entries-2026-11 (conflicted copy 2026-11-25 101010).json").write_text("{")
    before = snapshot(data_dir)
    result = cli("doctor")
    assert result.code == 3
    assert "entries-2026-10.home.json cannot be read" in result.out
    assert "conflict copy that cannot be read" in result.out
    assert "\x1b" not in result.out  # file contents never reach the terminal raw
    assert "Entries: 1 over 1 months" in result.out  # what could be read is counted
    assert snapshot(data_dir) == before


def test_list_from_a_month_reads_only_the_months_it_shows(
    cli: Cli, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command about recent days costs the same after 50 years (issue 10): ``list --from``
    and ``edit`` read the months they show, whatever the rest of the history holds."""
    old = log(cli, "lunge", "2001-03-02")
    new = log(cli, "lunge", "2026-11-20")
    read: list[str] = []
    original = files_module.DataFile.load

    def load(self: files_module.DataFile) -> files_module.Tables:
        read.append(self.path.name)
        return original(self)

    monkeypatch.setattr(files_module.DataFile, "load", load)
    listed = cli("list", "--from", "2026-11-01")
    assert listed.code == 0 and new[:8] in listed.out and old[:8] not in listed.out
    assert cli("edit", new[:8], "--notes", "fine").code == 0
    assert cli("today").code == 0
    assert not any("2001-03" in name for name in read), read


def test_doctor_never_names_a_machine_that_has_not_written(
    cli: Cli, data_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TRACKER_DEVICE")
    result = cli("doctor")
    assert "This device: not named yet" in result.out
    assert json.loads(cli("doctor", "--json").out)["this_device"] is None
    assert not (tmp_path / "xdg-config" / "tracker" / "device").exists()
    log(cli, "lunge", "2026-11-02")  # the first write names it: host name and 4 hex digits
    named = (tmp_path / "xdg-config" / "tracker" / "device").read_text().strip()
    assert f"This device: {named}" in cli("doctor").out
    assert (data_dir / f"entries-2026-11.{named}.json").exists()


@pytest.mark.parametrize("name", ["Laptop", "-x", "a b", "sync-conflict-1", "x" * 33, ""])
def test_a_bad_device_name_is_refused_with_the_rule(
    cli: Cli, data_dir: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("TRACKER_DEVICE", name)
    result = cli("log", "lunge", *cli_args("lunge"))
    assert result.code == 2 and "TRACKER_DEVICE" in result.err and "lower-case" in result.err
    assert not data_dir.exists()


def test_list_from_a_month_still_shows_ids_long_enough_to_tell_apart(
    cli: Cli, data_dir: Path, tmp_path: Path
) -> None:
    """Two ids sharing their first 8 digits: list shows each long enough to be unique, also
    when it reads one month (the index notes shared prefixes as ids are written)."""
    stamp = "2026-11-01T08:00:00+00:00"
    twins = ["abcdef0123" + "0" * 22, "abcdef0124" + "0" * 22]
    rows = [
        {"id": twins[0], "kind": "cycling", "date": "2001-05-01", "minutes": 10},
        {"id": twins[1], "kind": "cycling", "date": "2026-11-02", "minutes": 20},
    ]
    file = tmp_path / "twins.json"
    file.write_text(json.dumps([{**r, "created_at": stamp, "updated_at": stamp} for r in rows]))
    assert cli("import", str(file)).code == 0
    out = cli("list", "--from", "2026-11-01").out
    assert "abcdef0124 " in out and "2001" not in out
    assert cli("edit", "abcdef0124", "--minutes", "25").code == 0
