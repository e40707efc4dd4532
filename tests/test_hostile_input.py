"""Hostile and odd input on the command line and in data files (issue 7): terminal escapes,
odd digits, huge numbers, bytes that are not UTF-8, damaged files. Each is shown escaped or
refused with one line and the exit code of cli.md, and leaves the data folder as it was."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import PYTHON, Cli, CliResult, snapshot, subprocess_env
from factories import cli_args

HOSTILE_NOTE = "x \x1b]0;PWNED\x07\n\x1b[2J y\r z"
CHECKIN = cli_args("checkin")


def assert_refused(result: CliResult, code: int, *words: str) -> None:
    """``code`` with one line on stderr naming ``words``, nothing on stdout, no traceback."""
    assert result.code == code, result
    assert result.out == ""
    assert result.no_traceback
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "\x1b" not in result.err
    for word in words:
        assert word in lines[0], (word, lines[0])


def logged(cli: Cli, *args: str) -> str:
    result = cli("log", *args)
    assert result.code == 0, result.err
    return result.out.strip()


# ---------------------------------------------------------------- item 1: terminal escapes


def test_notes_with_terminal_escapes_are_listed_escaped_one_entry_per_line(
    cli: Cli, data_dir: Path
) -> None:
    logged(cli, "cycling", "--minutes", "30", "--notes", HOSTILE_NOTE)
    # A custom exercise name with an escape is refused as typed, so hand-edit one into the file.
    result = cli("log", "rotation", "--exercise", "band\x1b[31m", "--sets", "2", "--reps", "5")
    assert_refused(result, 2, "--exercise", "band\\e[31m")
    logged(cli, "rotation", "--exercise", "my work", "--sets", "2", "--reps", "5")
    month = data_dir / "entries-2026-11.home.json"
    month.write_text(month.read_text().replace('"my work"', '"band\\u001b[31m"'))
    listed = cli("list")
    assert listed.code == 0
    assert "\x1b" not in listed.out and "\x07" not in listed.out and "\r" not in listed.out
    lines = listed.out.strip().splitlines()
    assert len(lines) == 2  # the newline in the note forges no third line
    assert "x \\e]0;PWNED\\x07\\n\\e[2J y\\r z" in lines[0]
    assert "band\\e[31m" in lines[1]
    today = cli("today")
    assert "\x1b" not in today.out


def test_an_error_that_echoes_a_bad_value_escapes_it(cli: Cli) -> None:
    result = cli("log", "lunge", "--sets", "\x1b]0;PWNED\x07", "--reps", "1", "--tempo", "1-1-1")
    assert_refused(result, 2, "--sets", "1 to 20", "\\e]0;PWNED")
    result = cli("list", "--kind", "\x1b[2Jyoga")
    assert_refused(result, 2, "--kind")


def test_an_import_file_with_escapes_in_its_name_and_content_is_reported_escaped(
    cli: Cli, tmp_path: Path
) -> None:
    bad = tmp_path / "a\x1b[2Jb.json"
    bad.write_text('[{"kind": "yoga\\u001b]0;x\\u0007"}]')
    result = cli("import", str(bad))
    assert_refused(result, 2, "kind", "\\e]0;x")


# ---------------------------------------------------------------- items 9, 11, 21: numbers, bytes


def test_a_number_with_thousands_of_digits_is_a_usage_error(cli: Cli, data_dir: Path) -> None:
    result = cli("log", "lunge", "--sets", "9" * 5000, "--reps", "1", "--tempo", "1-1-1")
    assert_refused(result, 2, "--sets", "1 to 20")
    assert not data_dir.exists()


@pytest.mark.parametrize(
    ("flag", "typed"),
    [
        ("--knee-pain", "\u0663"),  # Arabic-Indic three
        ("--knee-pain", "\uff13"),  # full-width three
        ("--clicks", "1_0"),
    ],
)
def test_whole_numbers_take_ascii_digits_only(cli: Cli, flag: str, typed: str) -> None:
    values = dict(zip(CHECKIN[::2], CHECKIN[1::2], strict=True))
    values[flag] = typed
    args = [part for pair in values.items() for part in pair]
    assert_refused(cli("log", "checkin", *args), 2, flag)


@pytest.mark.parametrize("typed", ["1_0.5", "1e-320", "1e2", "\u0661\u0660", "0x10", "1.2.3"])
def test_decimal_numbers_take_ascii_digits_and_one_point_only(cli: Cli, typed: str) -> None:
    assert_refused(cli("log", "cycling", "--minutes", "30", "--km", typed), 2, "--km")


@pytest.mark.parametrize("typed", ["\u0664-1-4", "4-1-\uff14", "4_0-1-1"])
def test_tempo_takes_ascii_digits_only(cli: Cli, typed: str) -> None:
    result = cli("log", "lunge", "--sets", "3", "--reps", "10", "--tempo", typed)
    assert_refused(result, 2, "--tempo")


def test_plain_decimals_are_still_accepted(cli: Cli) -> None:
    for typed in ("9.5", ".5", "10.", "+3"):
        assert cli("log", "cycling", "--minutes", "30", "--km", typed).code == 0, typed


def test_a_note_that_is_not_utf8_is_a_usage_error(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    note = os.fsdecode(b"caf\xe9")  # how Python hands a non-UTF-8 argument over
    command = ["log", "cycling", "--minutes", "30", "--notes", note, "--data", str(folder)]
    result = subprocess.run(
        [PYTHON, "-m", "tracker", *command],
        capture_output=True,
        env=subprocess_env(),
    )
    assert result.returncode == 2, result
    err = result.stderr.decode()
    assert "--notes" in err and "UTF-8" in err and "Traceback" not in err
    assert not folder.exists()


def test_a_note_may_start_with_a_dash(cli: Cli, tmp_path: Path) -> None:
    entry_id = logged(cli, "cycling", "--minutes", "30", "--notes", "-sore after")
    assert cli("edit", entry_id, "--notes", "--so-so").code == 0
    shown = json.loads(cli("list", "--json").out)
    assert shown[0]["notes"] == "--so-so"


# ---------------------------------------------------------------- items 10, 12, 14: damaged files


def test_an_import_of_deeply_nested_arrays_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    assert_refused(cli("import", str(nested)), 2, "nested")


def test_a_deeply_nested_data_file_is_named_and_left_alone(cli: Cli, data_dir: Path) -> None:
    logged(cli, "cycling", "--minutes", "30")
    month = data_dir / "entries-2026-11.home.json"
    month.write_text("[" * 100_000 + "]" * 100_000)
    before = snapshot(data_dir)
    assert_refused(cli("list"), 3, "entries-2026-11.home.json")
    assert_refused(cli("log", "cycling", "--minutes", "20"), 3, "entries-2026-11.home.json")
    assert snapshot(data_dir) == before


def test_a_month_file_holding_a_lone_surrogate_is_named_exit_3(cli: Cli, data_dir: Path) -> None:
    logged(cli, "cycling", "--minutes", "30", "--notes", "fine")
    month = data_dir / "entries-2026-11.home.json"
    month.write_text(month.read_text().replace('"fine"', '"bad \\ud800"'))
    before = snapshot(data_dir)
    for args in (["list"], ["export"], ["log", "cycling", "--minutes", "20"]):
        assert_refused(cli(*args), 3, "entries-2026-11.home.json")
    assert snapshot(data_dir) == before


def test_a_folder_named_like_a_month_file_is_named_and_nothing_is_written(
    cli: Cli, data_dir: Path
) -> None:
    logged(cli, "cycling", "--minutes", "30")
    (data_dir / "entries-2026-10.home.json").mkdir()
    before = snapshot(data_dir)
    assert_refused(cli("list"), 3, "entries-2026-10.home.json", "folder")
    assert_refused(cli("log", "cycling", "--minutes", "20", "--date", "2026-10-03"), 3, "folder")
    entry = json.loads(cli("export").out if cli("export").code == 0 else "[]")
    assert entry == []  # export reads every month: refused too
    assert snapshot(data_dir) == before


# ---------------------------------------------------------------- items 17, 18: the data folder


def test_an_empty_data_option_is_refused(cli: Cli) -> None:
    assert_refused(cli("list", "--data", "", data=None), 2, "--data")


def test_a_dangling_link_as_data_folder_names_the_missing_target(cli: Cli, tmp_path: Path) -> None:
    link = tmp_path / "synced"
    link.symlink_to(tmp_path / "usb-stick" / "tracker")
    result = cli("log", "cycling", "--minutes", "30", data=link)
    assert_refused(result, 2, "usb-stick", "does not exist")
    assert link.is_symlink() and not (tmp_path / "usb-stick").exists()


# ---------------------------------------------------------------- item 16: no terminal


def test_the_app_without_a_terminal_says_so_and_exits_2(tmp_path: Path) -> None:
    # A timeout only as a guard against the old behaviour (waiting forever), not a measurement.
    result = subprocess.run(
        [PYTHON, "-m", "tracker", "--data", str(tmp_path / "data")],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
    )
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr
    assert not (tmp_path / "data").exists()
