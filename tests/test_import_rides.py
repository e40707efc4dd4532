"""`tracker import` of rides: FIT (built here by a tiny encoder), GPX, TCX and Strava's export
(hand-written fixtures in tests/fixtures/imports/), each imported once, twice, dry-run, and
malformed."""

from __future__ import annotations

import gzip
import shutil
import struct
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, snapshot

from tracker.imports import ImportPlan, detect_format, plan_batch
from tracker.imports.source import ImportBatch, ImportedEntry

FIXTURES = Path(__file__).parent / "fixtures" / "imports"

# ------------------------------------------------------------------ a tiny FIT encoder
# FIT protocol as fitdecode reads it (fitdecode/reader.py): a 14-byte header (size, protocol,
# profile, data size, ".FIT", header CRC), then records, each a definition message (header
# 0x40 | local number, reserved, architecture 0 = little-endian, global number, fields as
# (number, size, base type)) or a data message (header = local number, then the values), and
# a CRC of everything before it.

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
ENUM, UINT8, UINT16, UINT32 = 0x00, 0x02, 0x84, 0x86
PACK = {ENUM: "B", UINT8: "B", UINT16: "H", UINT32: "I"}
SPORTS = {"cycling": 2, "running": 1, "walking": 11}
CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip


def fit_crc(data: bytes, crc: int = 0) -> int:
    for byte in data:
        for nibble in (byte & 0xF, byte >> 4):
            tmp = CRC_TABLE[crc & 0xF]
            crc = (crc >> 4) & 0x0FFF
            crc = crc ^ tmp ^ CRC_TABLE[nibble]
    return crc


def fit_message(local: int, global_number: int, fields: list[tuple[int, int, int]]) -> bytes:
    """A definition message then one data message: fields as (number, base type, value)."""
    definition = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_number, len(fields))
    values = b""
    for number, base, value in fields:
        size = struct.calcsize(PACK[base])
        definition += struct.pack("<BBB", number, size, base)
        values += struct.pack("<" + PACK[base], value)
    return definition + struct.pack("<B", local) + values


def fit_file(sessions: list[dict[str, Any]]) -> bytes:
    """An activity FIT file with a file_id and one session message per dict: start (UTC
    datetime), sport, moving_s, distance_m, cadence, hr."""
    created = int((sessions[0]["start"] - FIT_EPOCH).total_seconds())
    body = fit_message(0, 0, [(0, ENUM, 4), (1, UINT16, 255), (4, UINT32, created)])
    for session in sessions:
        start = int((session["start"] - FIT_EPOCH).total_seconds())
        fields = [
            (253, UINT32, start + int(session["moving_s"])),
            (2, UINT32, start),
            (5, ENUM, SPORTS[session["sport"]]),
            (7, UINT32, int(session["moving_s"] * 1000) + 60_000),
            (8, UINT32, int(session["moving_s"] * 1000)),
            (9, UINT32, int(session["distance_m"] * 100)),
            (16, UINT8, session["hr"]),
            (18, UINT8, session["cadence"]),
        ]
        body += fit_message(1, 18, fields)
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", fit_crc(header))
    return header + body + struct.pack("<H", fit_crc(header + body))


RIDE_AND_RUN = [
    {
        "start": datetime(2026, 6, 1, 9, 0, tzinfo=UTC),
        "sport": "cycling",
        "moving_s": 2710,
        "distance_m": 14250.5,
        "cadence": 81,
        "hr": 127,
    },
    {
        "start": datetime(2026, 6, 2, 9, 0, tzinfo=UTC),
        "sport": "running",
        "moving_s": 1500,
        "distance_m": 4000,
        "cadence": 85,
        "hr": 150,
    },
]


def test_the_fit_encoder_writes_what_fitdecode_reads() -> None:
    import io

    import fitdecode

    data = fit_file(RIDE_AND_RUN)
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        sessions = [
            frame
            for frame in reader
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "session"
        ]
    assert [s.get_value("sport") for s in sessions] == ["cycling", "running"]
    assert sessions[0].get_value("total_timer_time") == 2710
    assert sessions[0].get_value("start_time") == datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


# ------------------------------------------------------------------ helpers


def fixture_copy(tmp_path: Path, name: str) -> Path:
    """A fixture copied out of the repository (Strava's export as a whole folder)."""
    source = FIXTURES / name
    if source.is_dir():
        shutil.copytree(source, tmp_path / name)
        return tmp_path / name
    target = tmp_path / source.name
    shutil.copyfile(source, target)
    return target


def ride_file(tmp_path: Path, name: str) -> Path:
    """Each format's fixture: FIT built here, the others copied from tests/fixtures."""
    if name == "ride.fit":
        path = tmp_path / "ride.fit"
        path.write_bytes(fit_file(RIDE_AND_RUN))
        return path
    if name == "ride.fit.gz":
        path = tmp_path / "ride.fit.gz"
        path.write_bytes(gzip.compress(fit_file(RIDE_AND_RUN)))
        return path
    if name == "strava":
        return fixture_copy(tmp_path, "strava") / "activities.csv"
    return fixture_copy(tmp_path, name)


def figures(entry: dict[str, Any]) -> tuple[Any, ...]:
    return (
        entry["date"],
        entry["minutes"],
        entry["distance_km"],
        entry["cadence_rpm"],
        entry["avg_hr"],
        entry["created_at"],
    )


FIT_RIDE: tuple[object, ...] = ("2026-06-01", 45.2, 14.25, 81, 127, "2026-06-01T09:00:00+00:00")
EXPECTED: dict[str, list[tuple[object, ...]]] = {
    # 11 points a minute apart, 300 m a minute: 10 minutes, 3 km; cadence 0 (coasting) left
    # out of its mean (83.5 -> 84); heart rate 1358 / 11 = 123.5 -> 123.
    "ride.gpx": [("2026-03-02", 10, 3, 84, 123, "2026-03-02T10:00:00+00:00")],
    # Two laps: 1200 s + 600 s; 6000 m + 2500.5 m; heart rate and cadence weighted by time.
    "ride.tcx": [("2026-05-10", 30, 8.5, 82, 124, "2026-05-10T08:30:00+00:00")],
    "ride.fit": [FIT_RIDE],
    "ride.fit.gz": [FIT_RIDE],
    # 101 from its own GPX (20 one-minute steps of 300 m); 102 from the table: Moving Time
    # 1830 s, the second Distance (metres: 15000, not the first, 9.32 miles), its description.
    "strava": [
        ("2026-04-07", 20, 6.01, 80, 115, "2026-04-07T16:00:00+00:00"),
        ("2026-04-09", 30.5, 15, 84, 125, "2026-04-09T09:15:30+00:00"),
    ],
}
SKIPPED = {
    "ride.gpx": ["1 x run: not a ride"],
    "ride.tcx": ["1 x run: not a ride"],
    "ride.fit": ["1 x run: not a ride"],
    "ride.fit.gz": ["1 x run: not a ride"],
    "strava": ["1 x run: not a ride", "1 x walk: not a ride"],
}
FORMATS = list(EXPECTED)


@pytest.fixture(autouse=True)
def utc_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ride's day is its start's day on this computer: pin the zone so tests agree."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


# ------------------------------------------------------------------ each format


@pytest.mark.parametrize("name", FORMATS)
def test_each_format_imports_its_rides_and_counts_what_it_skipped(
    name: str, tmp_path: Path, cli: Cli, list_json: Any
) -> None:
    path = ride_file(tmp_path, name)
    result = cli("import", str(path))
    assert result.code == 0, result.err
    assert [figures(e) for e in list_json()] == EXPECTED[name]
    assert all(e["kind"] == "cycling" for e in list_json())
    for line in SKIPPED[name]:
        assert line in result.out
    count = len(EXPECTED[name])
    assert f"Imported {count} {'entry' if count == 1 else 'entries'} (0 already there)." in (
        result.out
    )


@pytest.mark.parametrize("name", FORMATS)
def test_importing_twice_changes_no_byte_of_the_data_folder(
    name: str, tmp_path: Path, cli: Cli, data_dir: Path
) -> None:
    path = ride_file(tmp_path, name)
    assert cli("import", str(path)).code == 0
    before = snapshot(data_dir)
    again = cli("import", str(path))
    assert again.code == 0, again.err
    count = len(EXPECTED[name])
    assert f"Imported 0 entries ({count} already there)." in again.out
    assert snapshot(data_dir) == before


@pytest.mark.parametrize("name", FORMATS)
def test_dry_run_previews_and_writes_nothing(
    name: str, tmp_path: Path, cli: Cli, data_dir: Path
) -> None:
    path = ride_file(tmp_path, name)
    result = cli("import", str(path), "--dry-run")
    assert result.code == 0, result.err
    count = len(EXPECTED[name])
    assert f"Cycling: {count} {'entry' if count == 1 else 'entries'}" in result.out
    assert "Nothing written (dry run)." in result.out
    assert "Imported" not in result.out
    assert not data_dir.exists() or snapshot(data_dir) == {}


def test_the_preview_names_the_format_the_days_and_the_reasons(tmp_path: Path, cli: Cli) -> None:
    result = cli("import", str(ride_file(tmp_path, "strava")), "--dry-run")
    assert result.out.splitlines() == [
        "activities.csv: Strava export",
        "  Cycling: 2 entries from Tue 7 Apr 2026 to Thu 9 Apr 2026",
        "Skipped (2):",
        "  1 x run: not a ride",
        "  1 x walk: not a ride",
        "Nothing written (dry run).",
    ]


def test_an_entry_edited_after_import_stays_as_edited(
    tmp_path: Path, cli: Cli, list_json: Any
) -> None:
    path = ride_file(tmp_path, "ride.tcx")
    cli("import", str(path))
    entry_id = list_json()[0]["id"]
    assert cli("edit", entry_id, "--effort", "4").code == 0
    assert cli("import", str(path)).code == 0
    assert list_json()[0]["effort"] == 4


def test_the_same_ride_from_two_apps_is_one_entry(tmp_path: Path, cli: Cli, list_json: Any) -> None:
    """Strava's file for activity 101 is a GPX; the same GPX imported alone adds nothing."""
    export = ride_file(tmp_path, "strava")
    assert cli("import", str(export)).code == 0
    alone = cli("import", str(export.parent / "activities" / "101.gpx"))
    assert "Imported 0 entries (1 already there)." in alone.out
    assert len(list_json()) == 2


# ------------------------------------------------------------------ malformed files


def broken_gpx(tmp_path: Path) -> Path:
    path = ride_file(tmp_path, "ride.gpx")
    lines = path.read_text().splitlines()
    lines[11] = lines[11].replace("</trkpt>", "</trkseg>")  # a closing tag that does not match
    path.write_text("\n".join(lines))
    return path


def broken_tcx(tmp_path: Path) -> Path:
    path = ride_file(tmp_path, "ride.tcx")
    path.write_text(path.read_text().replace("<DistanceMeters>6000.0", "<DistanceMeters>6 km"))
    return path


def broken_strava(tmp_path: Path) -> Path:
    path = ride_file(tmp_path, "strava")
    path.write_text(path.read_text().replace('"Apr 9, 2026, 9:15:30 AM"', "yesterday"))
    return path


def broken_fit(tmp_path: Path) -> Path:
    path = tmp_path / "ride.fit"
    data = bytearray(fit_file(RIDE_AND_RUN))
    data[40] ^= 0xFF  # a byte of the first session changed: the file's CRC no longer matches
    path.write_bytes(bytes(data))
    return path


def truncated_fit(tmp_path: Path) -> Path:
    path = tmp_path / "ride.fit"
    path.write_bytes(fit_file(RIDE_AND_RUN)[:60])
    return path


@pytest.mark.parametrize(
    ("make", "where"),
    [
        (broken_gpx, "ride.gpx, line 12: not a readable GPX file (mismatched tag)"),
        (broken_tcx, "ride.tcx, line 11: DistanceMeters must be a number, got '6 km'"),
        (broken_strava, "activities.csv, line 3: Activity Date must be a date like"),
        (broken_fit, "ride.fit: record "),
        (truncated_fit, "ride.fit: record "),
    ],
)
def test_a_malformed_file_exits_2_naming_the_line_and_writes_nothing(
    make: Any, where: str, tmp_path: Path, cli: Cli, data_dir: Path
) -> None:
    path = make(tmp_path)
    result = cli("import", str(path))
    assert result.code == 2
    assert where in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert result.no_traceback
    assert not data_dir.exists() or snapshot(data_dir) == {}


def test_a_folder_or_a_missing_file_exits_2(tmp_path: Path, cli: Cli) -> None:
    folder = cli("import", str(tmp_path))
    assert folder.code == 2 and "is a folder" in folder.err
    missing = cli("import", str(tmp_path / "nope.fit"))
    assert missing.code == 2 and "cannot be read" in missing.err


def test_a_file_of_no_known_format_exits_2_naming_the_formats(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some words\n")
    result = cli("import", str(path))
    assert result.code == 2
    assert "not a file tracker can import" in result.err and "Strava export" in result.err


def test_a_gpx_with_a_dtd_is_refused_before_any_entity_is_expanded(
    tmp_path: Path, cli: Cli
) -> None:
    path = tmp_path / "bomb.gpx"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        '<gpx version="1.1"><trk><name>&b;</name></trk></gpx>\n'
    )
    result = cli("import", str(path))
    assert result.code == 2
    assert "declares a DTD or entities" in result.err


# ------------------------------------------------------------------ detection and flags


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ride.gpx", "gpx"),
        ("ride.tcx", "tcx"),
        ("ride.fit", "fit"),
        ("ride.fit.gz", "fit"),
        ("strava", "strava"),
    ],
)
def test_the_format_is_found_from_the_head_of_the_file(
    name: str, expected: str, tmp_path: Path
) -> None:
    assert detect_format(ride_file(tmp_path, name)) == expected


def test_format_overrides_detection(tmp_path: Path, cli: Cli) -> None:
    path = ride_file(tmp_path, "ride.gpx")
    wrong = cli("import", str(path), "--format", "tcx")
    assert wrong.code == 2 and "TrainingCenterDatabase" in wrong.err
    right = cli("import", str(path), "--format", "gpx", "--dry-run")
    assert right.code == 0 and "Cycling: 1 entry" in right.out
    unknown = cli("import", str(path), "--format", "kml")
    assert unknown.code == 2 and "invalid choice" in unknown.err


def test_a_tracker_export_still_imports_as_before_and_can_be_dry_run(
    tmp_path: Path, cli: Cli, list_json: Any, data_dir: Path
) -> None:
    cli("log", "cycling", "--minutes", "20", "--date", "2026-11-20")
    exported = tmp_path / "export.json"
    assert cli("export", "--out", str(exported)).code == 0
    other = tmp_path / "other"
    dry = cli("import", str(exported), "--dry-run", data=other)
    assert dry.code == 0 and "Cycling: 1 entry on Fri 20 Nov 2026" in dry.out
    assert not other.exists() or snapshot(other) == {}
    real = cli("import", str(exported), data=other)
    assert real.code == 0 and "Imported 1 entries: 1 new" in real.out


def test_a_ride_dated_after_today_or_out_of_range_is_skipped_and_counted() -> None:
    from datetime import date

    def ride(day: date, minutes: float, hr: int, key: str) -> ImportedEntry:
        return ImportedEntry(
            "cycling", day, {"minutes": minutes, "avg_hr": hr}, source_key=f"ride:{key}"
        )

    batch = ImportBatch(
        "test",
        [
            ride(date(2026, 11, 26), 30, 120, "tomorrow"),
            ride(date(2026, 11, 1), 700, 120, "too long"),
            ride(date(2026, 11, 2), 30, 250, "strap"),
            ride(date(2026, 11, 2), 30, 250, "strap"),
        ],
    )
    plan: ImportPlan = plan_batch(batch, today=date(2026, 11, 25))
    assert [(e["date"], e["avg_hr"]) for e in plan.entries] == [("2026-11-02", None)]
    assert plan.skipped == {
        "cycling: dated after today": 1,
        "cycling: minutes must be a number greater than 0, at most 600": 1,
        "cycling: avg_hr left out (must be a whole number from 30 to 230)": 1,
        "cycling: the same one twice in the file": 1,
    }


def test_no_progress_bar_when_standard_error_is_not_a_terminal(tmp_path: Path, cli: Cli) -> None:
    result = cli("import", str(ride_file(tmp_path, "strava")))
    assert result.err == ""
    assert "\r" not in result.out


def test_the_progress_bar_draws_at_most_five_times_a_second_and_clears_itself(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tracker.cli import ProgressBar

    moments = iter([0.0, 0.1, 0.3, 0.35, 0.6, 0.61])
    bar = ProgressBar("activities.csv")
    bar.clock = lambda: next(moments)
    bar.last = 0.0
    for done in range(1, 6):
        bar(done, 10)
    bar.clear()
    err = capsys.readouterr().err
    drawn = [part for part in err.split("\r") if part.startswith("Reading")]
    assert [part[-4:] for part in drawn] == [" 30%", " 50%"]
    assert err.endswith("\r")


def test_notes_too_long_are_left_out_and_the_ride_kept() -> None:
    from datetime import date

    long_notes = ImportedEntry("cycling", date(2026, 1, 1), {"minutes": 5}, "ride:x", "x" * 1001)
    plan = plan_batch(ImportBatch("test", [long_notes]), today=date(2026, 11, 25))
    assert [e["notes"] for e in plan.entries] == [None]
    assert list(plan.skipped) == [
        "cycling: notes left out (must be text of at most 1000 characters)"
    ]
