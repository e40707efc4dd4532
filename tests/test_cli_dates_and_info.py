"""Dates as people type them on the command line, and `tracker info` (issue 14).

Today is pinned to Wednesday 2026-11-25 (conftest). The settings file is the one under the
per-test XDG_CONFIG_HOME that conftest sets, unless a test names another with TRACKER_SETTINGS.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import PYTHON, TODAY, Cli, CliResult, snapshot, subprocess_env
from factories import cli_flags

from tracker.cli import main
from tracker.report import default_report_path

ListJson = Callable[[], list[dict[str, Any]]]
CHECKIN = [part for pair in cli_flags("checkin").items() for part in pair]
FORMS = "today, yesterday, -3 (days ago), mon, 24 Nov"


@pytest.fixture(autouse=True)
def settings_from_xdg(monkeypatch: pytest.MonkeyPatch) -> None:
    """No TRACKER_SETTINGS from the environment running the tests."""
    monkeypatch.delenv("TRACKER_SETTINGS", raising=False)


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    """Where `tracker` looks for its settings in these tests (XDG_CONFIG_HOME/tracker)."""
    return tmp_path / "xdg-config" / "tracker" / "settings.toml"


def write_settings(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def logged_on(cli: Cli, *date_args: str) -> str:
    """Log a cycling entry with ``date_args`` (``"--date", "-3"``); the stored date."""
    result = cli("log", "cycling", "--minutes", "20", *date_args)
    assert result.code == 0, result.err
    listed = cli("list", "--json")
    entry_id = result.out.strip()
    (entry,) = [e for e in json.loads(listed.out) if e["id"] == entry_id]
    date: str = entry["date"]
    return date


def assert_refused(result: CliResult, *words: str) -> None:
    """Exit 2, one line on standard error naming ``words``, nothing else, no traceback."""
    assert result.code == 2, (result.out, result.err)
    assert result.out == ""
    assert result.no_traceback
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    for word in words:
        assert word in lines[0], (word, lines[0])


# ---------------------------------------------------------------- log --date


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (["--date", "today"], "2026-11-25"),
        (["--date", "yesterday"], "2026-11-24"),
        (["--date", "-3"], "2026-11-22"),
        (["--date=-3"], "2026-11-22"),
        (["--date", "3 days ago"], "2026-11-22"),
        (["--date", "mon"], "2026-11-23"),
        (["--date", "Wednesday"], "2026-11-18"),  # the last one before today
        (["--date", "24 Nov"], "2026-11-24"),
        (["--date", "Nov 24"], "2026-11-24"),
        (["--date", "24 Dec"], "2025-12-24"),  # no year: the last 24 December
        (["--date", "24/11/2026"], "2026-11-24"),
        (["--date", "3/4"], "2026-04-03"),
        (["--date", "2026-11-24"], "2026-11-24"),
        ([], TODAY),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else value,
)
def test_log_takes_a_date_as_people_type_it_and_stores_it_iso(
    cli: Cli, typed: list[str], stored: str
) -> None:
    assert logged_on(cli, *typed) == stored


def test_a_check_in_logged_for_yesterday_is_yesterdays(cli: Cli) -> None:
    assert cli("log", "checkin", *CHECKIN, "--date", "yesterday").code == 0
    assert "no check-in yet" in cli("today").out
    # The second check-in for yesterday is refused the usual way, naming --date.
    assert_refused(cli("log", "checkin", *CHECKIN, "--date", "-1"), "--date", "--replace")


@pytest.mark.parametrize(
    ("value", "got"),
    [
        ("abc", "'abc'"),
        ("tomorrow", "'tomorrow'"),
        ("31/11/2026", "'31/11/2026'"),
        ("11/24/2026", "'11/24/2026'"),  # day/month/year: there is no month 24
        ("2026-11-26", "'2026-11-26'"),
        ("1899-12-31", "'1899-12-31'"),
        ("-99999999", "'-99999999'"),
    ],
)
def test_a_date_that_cannot_be_is_refused_naming_the_flag_and_nothing_is_written(
    cli: Cli, data_dir: Path, value: str, got: str
) -> None:
    logged_on(cli)
    before = snapshot(data_dir)
    result = cli("log", "cycling", "--minutes", "20", "--date", value)
    assert_refused(result, f"--date must be a date such as {FORMS}", "to today (2026-11-25)", got)
    assert snapshot(data_dir) == before


def test_notes_and_an_exercise_name_that_start_with_a_dash_are_still_text(cli: Cli) -> None:
    result = cli("log", "cycling", "--minutes", "20", "--notes", "-3", "--date", "-2")
    assert result.code == 0, result.err
    (entry,) = json.loads(cli("list", "--json").out)
    assert (entry["notes"], entry["date"]) == ("-3", "2026-11-23")


# ---------------------------------------------------------------- edit --date


def test_edit_moves_an_entry_to_a_day_typed_in_words(cli: Cli, list_json: ListJson) -> None:
    entry_id = cli("log", "cycling", "--minutes", "20").out.strip()
    assert cli("edit", entry_id, "--date", "yesterday").code == 0
    assert list_json()[0]["date"] == "2026-11-24"
    assert cli("edit", entry_id, "--date", "-3").code == 0
    assert list_json()[0]["date"] == "2026-11-22"
    assert cli("edit", entry_id[:8], "--date=-4").code == 0
    assert list_json()[0]["date"] == "2026-11-21"
    assert cli("edit", entry_id, "--date", "20 Nov").code == 0
    assert list_json()[0]["date"] == "2026-11-20"


@pytest.mark.parametrize("value", ["tomorrow", "", "someday", "32/11"])
def test_edit_refuses_a_day_that_cannot_be_and_changes_nothing(
    cli: Cli, data_dir: Path, value: str
) -> None:
    entry_id = cli("log", "cycling", "--minutes", "20").out.strip()
    before = snapshot(data_dir)
    assert_refused(cli("edit", entry_id, "--date", value), "--date must be a date such as")
    assert snapshot(data_dir) == before


def test_an_entry_dated_tomorrow_by_another_time_zone_may_be_dated_tomorrow_again(
    cli: Cli, tmp_path: Path, list_json: ListJson
) -> None:
    from datetime import date

    from tracker import records

    ahead = records.new_entry("cycling", {"minutes": 30}, today=date(2026, 11, 26))
    backup = tmp_path / "ahead.json"
    backup.write_text(json.dumps([ahead]))
    assert cli("import", str(backup)).code == 0
    assert cli("edit", ahead["id"], "--minutes", "40", "--date", "tomorrow").code == 0
    assert [(e["date"], e["minutes"]) for e in list_json()] == [("2026-11-26", 40)]


# ---------------------------------------------------------------- list, report, insights, chart


@pytest.fixture
def week(cli: Cli) -> dict[str, str]:
    """One cycling entry a day, 2026-11-18 to 2026-11-25: date -> id."""
    return {
        f"2026-11-{day}": cli(
            "log", "cycling", "--minutes", "20", "--date", f"2026-11-{day}"
        ).out.strip()
        for day in range(18, 26)
    }


def listed(cli: Cli, *flags: str) -> list[str]:
    result = cli("list", "--json", *flags)
    assert result.code == 0, result.err
    return [e["date"] for e in json.loads(result.out)]


@pytest.mark.parametrize(
    ("flags", "first", "last"),
    [
        (["--from", "-7"], "2026-11-18", "2026-11-25"),
        (["--from=-2", "--to", "yesterday"], "2026-11-23", "2026-11-24"),
        (["--from", "mon", "--to", "today"], "2026-11-23", "2026-11-25"),
        (["--from", "20 Nov", "--to", "Nov 21"], "2026-11-20", "2026-11-21"),
        (["--from", "20/11/2026", "--to", "21.11.2026"], "2026-11-20", "2026-11-21"),
        (["--from", "2026-11-24", "--to", "2027-01-31"], "2026-11-24", "2026-11-25"),
        (["--to", "tomorrow"], "2026-11-18", "2026-11-25"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else value,
)
def test_list_from_and_to_take_days_as_people_type_them(
    cli: Cli, week: dict[str, str], flags: list[str], first: str, last: str
) -> None:
    dates = listed(cli, *flags)
    assert (dates[0], dates[-1]) == (first, last)
    assert len(dates) == len(set(dates))


@pytest.mark.parametrize("flag", ["--from", "--to"])
def test_list_refuses_a_day_that_cannot_be_naming_the_flag(cli: Cli, flag: str) -> None:
    result = cli("list", flag, "31 Feb")
    assert_refused(result, f"{flag} must be a date such as {FORMS}", "from 1900-01-01", "'31 Feb'")


def test_report_until_takes_a_day_as_people_type_it(cli: Cli, week: dict[str, str]) -> None:
    result = cli("report", "--until", "-3")
    assert result.code == 0, result.err
    assert "to 2026-11-22" in result.out
    assert cli("report", "--until", "22 Nov").out == result.out
    assert_refused(cli("report", "--until", "nope"), "--until must be a date such as")


def test_insights_until_takes_a_day_as_people_type_it(cli: Cli, week: dict[str, str]) -> None:
    for typed in ("yesterday", "-1", "24 Nov", "24/11/2026", "tues"):
        result = cli("insights", "--json", "--until", typed)
        assert result.code == 0, (typed, result.err)
        assert json.loads(result.out)["until"] == "2026-11-24", typed
    assert_refused(cli("insights", "--until", "the 5th"), "--until must be a date such as")


def test_chart_until_takes_a_day_as_people_type_it(cli: Cli) -> None:
    for day in range(1, 25):
        flags = ["--knee-pain", "3", "--back-pain", "2", "--clicking-left", "1"]
        cli("log", "checkin", *flags, "--clicking-right", "0", "--date", f"2026-11-{day:02d}")
    size = ["--width", "80", "--height", "20", "--days", "14"]
    typed = cli("chart", "pain", "--until", "-5", *size)
    assert typed.code == 0, typed.err
    assert typed.out == cli("chart", "pain", "--until", "2026-11-20", *size).out
    assert "20 Nov" in typed.out.splitlines()[0]
    assert_refused(cli("chart", "pain", "--until", "soon"), "--until must be a date such as")


# ---------------------------------------------------------------- the date order of the settings


def test_the_date_order_comes_from_the_settings_file(
    cli: Cli, settings_file: Path, list_json: ListJson
) -> None:
    write_settings(settings_file, 'date_order = "month/day/year"\n')
    assert logged_on(cli, "--date", "11/24/2026") == "2026-11-24"
    assert logged_on(cli, "--date", "3/4") == "2026-03-04"
    assert listed(cli, "--from", "11/24/2026", "--to", "11/24/2026") == ["2026-11-24"]
    # Words and ISO dates mean the same in either order.
    assert logged_on(cli, "--date", "24 Nov") == "2026-11-24"
    assert logged_on(cli, "--date", "2026-11-23") == "2026-11-23"
    refused = cli("log", "cycling", "--minutes", "20", "--date", "24/11/2026")
    assert_refused(refused, "--date must be a date such as", "11/24/2026", "'24/11/2026'")


def test_tracker_settings_names_another_settings_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = write_settings(tmp_path / "mine.toml", 'date_order = "month/day/year"\n')
    monkeypatch.setenv("TRACKER_SETTINGS", str(named))
    assert logged_on(cli, "--date", "1/2/2026") == "2026-01-02"
    monkeypatch.delenv("TRACKER_SETTINGS")
    assert logged_on(cli, "--date", "1/2/2026") == "2026-02-01"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('date_order = "year/month/day"\n', "date_order"),
        ('colour = "blue"\n', "'colour'"),
        ("date_order = \n", "not a valid TOML file"),
    ],
)
@pytest.mark.parametrize(
    "command",
    [
        ["log", "cycling", "--minutes", "20", "--date", "24/11/2026"],
        ["list", "--from", "1/11/2026"],
        ["insights", "--until", "24.11.2026"],
        ["info"],
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else value,
)
def test_a_bad_settings_file_is_one_line_naming_file_and_key_exit_2_nothing_written(
    cli: Cli, data_dir: Path, settings_file: Path, text: str, named: str, command: list[str]
) -> None:
    logged_on(cli)
    before = snapshot(data_dir)
    write_settings(settings_file, text)
    result = cli(*command)
    assert result.code == 2, (result.out, result.err)
    assert result.no_traceback
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert str(settings_file) in lines[0]
    assert named in lines[0]
    assert snapshot(data_dir) == before


def test_a_bad_settings_file_does_not_stop_a_date_it_does_not_decide(
    cli: Cli, settings_file: Path
) -> None:
    # The order decides only numeric days like 24/11/2026: the quick add does not read the file.
    write_settings(settings_file, 'date_order = "year/month/day"\n')
    assert logged_on(cli, "--date", "yesterday") == "2026-11-24"
    assert logged_on(cli, "--date", "2026-11-23") == "2026-11-23"


def test_the_quick_add_reads_the_settings_only_for_a_day_the_order_decides(
    data_dir: Path,
) -> None:
    """platformdirs and tomllib cost the quick add ~15 ms: only 24/11/2026-like days pay them."""
    script = (
        "import sys\n"
        "from tracker.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print(code, 'tracker.settings' in sys.modules, 'platformdirs' in sys.modules)\n"
    )
    base = [PYTHON, "-c", script, "log", "cycling", "--minutes", "20", "--data", str(data_dir)]
    seen = {}
    for typed in (None, "yesterday", "-3", "24 Nov", "2026-11-20", "24/11/2026"):
        extra = [] if typed is None else ["--date", typed]
        done = subprocess.run(
            [*base, *extra], capture_output=True, text=True, env=subprocess_env(), check=True
        )
        seen[typed] = done.stdout.split()[-3:]
    # A numeric day reads the settings (on Linux the config folder needs no platformdirs).
    assert seen.pop("24/11/2026")[:2] == ["0", "True"]
    assert all(value == ["0", "False", "False"] for value in seen.values()), seen


# ---------------------------------------------------------------- help


@pytest.fixture
def help_of(capsys: pytest.CaptureFixture[str]) -> Callable[..., str]:
    """`tracker COMMAND --help`'s text, flattened to single spaces (argparse wraps it)."""

    def run(*command: str) -> str:
        capsys.readouterr()
        if command[:1] == ("edit",):  # edit's help is its own (its flags depend on the kind)
            assert main([*command, "--help"]) == 0
        else:
            with pytest.raises(SystemExit) as done:
                main([*command, "--help"])
            assert done.value.code == 0
        return " ".join(capsys.readouterr().out.split())

    return run


@pytest.mark.parametrize(
    "command",
    [[], ["log", "lunge"], ["log", "checkin"], ["edit"], ["list"], ["chart"], ["insights"]],
    ids=lambda value: " ".join(value) or "tracker",
)
def test_help_names_the_date_forms_everywhere_a_date_is_taken(
    help_of: Callable[..., str], command: list[str]
) -> None:
    shown = help_of(*command)
    assert FORMS in shown
    assert "24/11/2026" in shown


def test_help_writes_numeric_days_in_the_settings_order(
    help_of: Callable[..., str], settings_file: Path
) -> None:
    write_settings(settings_file, 'date_order = "month/day/year"\n')
    shown = help_of("log", "cycling")
    assert "11/24/2026" in shown
    assert "24/11/2026" not in shown
    # A bad file does not hide help; the commands that read it name it.
    write_settings(settings_file, "nonsense = 1\n")
    assert "24/11/2026" in help_of()


# ---------------------------------------------------------------- info


def test_info_on_a_first_run_says_where_things_will_be_and_creates_nothing(
    cli: Cli, data_dir: Path, settings_file: Path
) -> None:
    result = cli("info")
    assert result.code == 0, result.err
    assert result.err == ""
    out = result.out
    assert out.startswith("tracker version ")
    assert str(data_dir) in out
    assert "chosen by --data" in out
    assert "Not created yet: it is made when you log your first entry." in out
    assert str(settings_file) in out
    assert "Not created yet: the defaults are in use." in out
    assert "date_order  day/month/year (24/11/2026 is 24 November 2026)" in out
    assert "distance    km" in out
    assert not data_dir.exists()
    assert not settings_file.exists()
    paths = (str(data_dir), str(settings_file))
    assert all(len(line) <= 80 for line in out.splitlines() if line.strip() not in paths)


def test_info_on_a_used_folder_counts_month_files_and_undo_steps(
    cli: Cli, data_dir: Path, settings_file: Path
) -> None:
    for day in ("2026-09-03", "2026-10-10", "2026-11-20", "2026-11-21"):
        assert cli("log", "cycling", "--minutes", "20", "--date", day).code == 0
    write_settings(settings_file, 'distance = "miles"\nweek_start = "sunday"\n')
    out = cli("info").out
    size = sum(p.stat().st_size for p in data_dir.glob("entries-*.json"))
    assert f"3 month files (September 2026 to November 2026), {round(size / 1024)} KB." in out
    assert "4 changes can be undone." in out
    assert "Not created yet" not in out
    assert "distance    miles" in out
    assert "week_start  sunday" in out
    assert cli("undo").code == 0
    assert "3 changes can be undone." in cli("info").out


def test_info_on_an_empty_folder_and_with_nothing_to_undo(cli: Cli, data_dir: Path) -> None:
    data_dir.mkdir()
    out = cli("info").out
    assert "No entries yet." in out
    assert "Nothing to undo." in out


def test_info_never_reads_the_entries_so_it_answers_beside_a_damaged_month(
    cli: Cli, data_dir: Path
) -> None:
    assert cli("log", "cycling", "--minutes", "20").code == 0
    (data_dir / "entries-2026-10.home.json").write_text("{ not json")
    result = cli("info")
    assert result.code == 0, result.err
    assert "2 month files (October 2026 to November 2026)" in result.out
    assert cli("list").code == 3  # the commands that read entries refuse it, as before


def test_info_names_what_chose_the_data_folder(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = tmp_path / "xdg-data" / "tracker"
    out = cli("info", data=None).out
    assert f"(the usual place):\n  {default}\n" in out
    monkeypatch.setenv("TRACKER_DATA", str(tmp_path / "elsewhere"))
    out = cli("info", data=None).out
    assert f"(chosen by TRACKER_DATA):\n  {tmp_path / 'elsewhere'}\n" in out


def test_info_with_a_bad_settings_file_still_says_where_everything_is(
    cli: Cli, data_dir: Path, settings_file: Path
) -> None:
    write_settings(settings_file, 'date_order = "year/month/day"\n')
    result = cli("info")
    assert result.code == 2
    assert str(data_dir) in result.out
    assert "It cannot be used (see the error below)." in result.out
    assert "date_order" in result.err and str(settings_file) in result.err


def test_info_json(cli: Cli, data_dir: Path, settings_file: Path) -> None:
    assert cli("log", "cycling", "--minutes", "20", "--date", "2026-10-31").code == 0
    assert cli("log", "cycling", "--minutes", "20").code == 0
    write_settings(settings_file, 'date_order = "month/day/year"\n')
    result = cli("info", "--json")
    assert result.code == 0, result.err
    facts = json.loads(result.out)
    from tracker import __version__

    size = sum(p.stat().st_size for p in data_dir.glob("entries-*.json"))
    assert facts == {
        "version": __version__,
        "data_folder": {
            "path": str(data_dir),
            "chosen_by": "--data",
            "exists": True,
            "month_files": 2,
            "first_month": "2026-10",
            "last_month": "2026-11",
            "bytes": size,
            "undo_steps": 2,
            "error": None,
        },
        "settings_file": {
            "path": str(settings_file),
            "chosen_by": "default",
            "exists": True,
            "settings": {
                "theme": None,
                "distance": "km",
                "date_order": "month/day/year",
                "week_start": "monday",
                "welcome": True,
            },
            "error": None,
        },
        "report_path": str(default_report_path(date.fromisoformat(TODAY))),
    }


def test_info_json_on_a_first_run_and_with_a_bad_settings_file(
    cli: Cli, settings_file: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    facts = json.loads(cli("info", "--json").out)
    assert facts["data_folder"]["exists"] is False
    assert facts["data_folder"]["month_files"] == 0
    assert facts["data_folder"]["first_month"] is None
    assert facts["data_folder"]["undo_steps"] == 0
    assert facts["settings_file"]["exists"] is False
    assert facts["settings_file"]["settings"]["date_order"] == "day/month/year"
    named = write_settings(tmp_path / "bad.toml", "welcome = 3\n")
    monkeypatch.setenv("TRACKER_SETTINGS", str(named))
    result = cli("info", "--json")
    assert result.code == 2
    facts = json.loads(result.out)
    assert facts["settings_file"]["chosen_by"] == "TRACKER_SETTINGS"
    assert facts["settings_file"]["settings"] is None
    assert "welcome must be true or false" in facts["settings_file"]["error"]
    assert result.err.strip() == f"tracker: error: {facts['settings_file']['error']}"


def test_info_with_a_damaged_undo_history_says_so_and_exits_3(cli: Cli, data_dir: Path) -> None:
    assert cli("log", "cycling", "--minutes", "20").code == 0
    (data_dir / "undo.home.json").write_text("[]")
    result = cli("info")
    assert result.code == 3
    assert "The undo history cannot be read (see the error below)." in result.out
    assert "undo.home.json" in result.err
    assert "1 month file (November 2026)" in result.out


def test_list_shows_distances_in_miles_when_the_settings_say_so(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "miles.toml"
    settings.write_text('distance = "miles"\n')
    assert cli("log", "cycling", "--minutes", "30", "--km", "16.09").code == 0
    assert "16.09 km" in cli("list").out
    monkeypatch.setenv("TRACKER_SETTINGS", str(settings))
    out = cli("list").out
    assert "10 miles" in out and " km" not in out
    assert cli("list", "--json").out.count('"distance_km": 16.09') == 1  # stored in km


def test_weekly_charts_start_on_the_settings_week_start(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("log", "cycling", "--minutes", "30", "--date", "2026-11-01").code == 0
    monday = cli("chart", "volume", "--days", "56", "--width", "100", "--height", "30").out
    settings = tmp_path / "sunday.toml"
    settings.write_text('week_start = "sunday"\n')
    monkeypatch.setenv("TRACKER_SETTINGS", str(settings))
    sunday = cli("chart", "volume", "--days", "56", "--width", "100", "--height", "30").out
    assert "Monday" in monday and "Sunday" in sunday and monday != sunday
