"""Adding a kind is one registration (issue 8): a kind defined here, through the same public
``register`` the built-in kinds use, works on every face without a change anywhere else."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli

from tracker.kinds import Figure, Kind, register, unregister
from tracker.kinds.common import effort, how_it_felt, pain_during
from tracker.records import Field


def plank_figures(entry: Mapping[str, Any]) -> list[list[Figure]]:
    seconds = entry["seconds"]
    return [[Figure(f"held {seconds} s", f"{seconds} s")], how_it_felt(entry)]


PLANK = Kind(
    name="plank",
    label="Side plank",
    short_label="Plank",
    key="x",
    fields=(
        Field("seconds", "Seconds held", "--seconds", "int", required=True, low=1, high=600),
        effort(),
        pain_during(),
    ),
    figures=plank_figures,
    volume=lambda entry: entry["seconds"] / 60,
    volume_unit="min",
    volume_title="Side plank: minutes held",
    after_words="side planks",
)


@pytest.fixture
def plank() -> Iterator[Kind]:
    register(PLANK)
    yield PLANK
    unregister(PLANK.name)


def test_a_registered_kind_is_logged_listed_and_refused_like_the_others(
    plank: Kind, cli: Cli
) -> None:
    logged = cli("log", "plank", "--seconds", "90", "--effort", "6", "--notes", "left side")
    assert logged.code == 0, logged.err
    entry_id = logged.out.strip()
    listed = cli("list").out
    assert "Side plank" in listed and "90 s, effort 6" in listed and "left side" in listed
    assert cli("list", "--kind", "plank").out.count("\n") == 1
    refused = cli("log", "plank", "--seconds", "601")
    assert refused.code == 2 and "--seconds must be a whole number from 1 to 600" in refused.err
    assert cli("edit", entry_id[:8], "--seconds", "120").code == 0
    assert "Done: side plank" in cli("today").out or "side plank" in cli("today").out.lower()


def test_a_registered_kind_is_exported_and_imported(plank: Kind, cli: Cli, tmp_path: Path) -> None:
    assert cli("log", "plank", "--seconds", "45").code == 0
    exported = json.loads(cli("export").out)
    assert exported[0]["kind"] == "plank" and exported[0]["seconds"] == 45
    table = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv").out)))
    assert table[0]["seconds"] == "45"
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(exported))
    other = tmp_path / "other"
    imported = cli("import", str(backup), "--data", str(other), data=None)
    assert imported.code == 0, imported.err
    assert json.loads(cli("list", "--json", "--data", str(other), data=None).out) == exported


def test_a_registered_kind_counts_as_exercise_in_the_analysis(plank: Kind) -> None:
    from datetime import date

    from tracker import analysis
    from tracker.records import EXERCISE_KINDS, new_entry

    assert "plank" in EXERCISE_KINDS
    entry = new_entry("plank", {"seconds": "120"}, today=date(2026, 11, 25))
    weeks = analysis.weekly_volume([entry], start=date(2026, 11, 19), end=date(2026, 11, 25))
    assert weeks[-1].volume("plank") == 2.0
    assert weeks[-1].sessions["plank"] == 1


def test_a_registered_kind_is_charted_in_volume(plank: Kind, cli: Cli) -> None:
    """The volume chart has a panel per exercise kind of the registry, titled from the kind."""
    assert cli("log", "plank", "--seconds", "90").code == 0
    chart = cli("chart", "volume", "--width", "120", "--height", "40")
    assert chart.code == 0, chart.err
    lines = chart.out.splitlines()
    title = next(i for i, line in enumerate(lines) if f"{PLANK.volume_title} per week" in line)
    # Every kind has its panel, the new one last; today's 90 s held is 1.5 min this week,
    # written above its bar.
    for kind in ("Tempo lunges", "Cycling", "External rotation"):
        assert any(line.strip().startswith(kind) for line in lines[:title])
    assert "1.5" in lines[title + 1].split()
