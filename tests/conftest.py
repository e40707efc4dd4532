"""Shared fixtures for the foundation tests (issue 2): the command line run in-process, a fixed
"today", snapshots of a data folder, and a data folder holding years of demo data."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from tracker.cli import main
from tracker.store import lock as lock_module

# No per-example deadline: a timing check fails at random on a shared, loaded CI machine, and
# timing belongs in bench/, not in the test suite.
settings.register_profile("tracker", deadline=None)
settings.load_profile("tracker")

TODAY = "2026-11-25"  # TRACKER_TODAY for every command run through the `cli` fixture
REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TRACKER = str(Path(PYTHON).with_name("tracker"))


@dataclass(frozen=True)
class CliResult:
    """What one `tracker ...` command did: its exit code and its two output streams."""

    code: int
    out: str
    err: str

    @property
    def no_traceback(self) -> bool:
        return "Traceback" not in self.err and "Traceback" not in self.out


Cli = Callable[..., CliResult]
Snapshot = dict[str, bytes]


def snapshot(folder: Path) -> Snapshot:
    """Every file of a data folder (hidden ones too, index/ and archive/ too) with its bytes."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a real `tracker` process: fixed today, no inherited data folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("TRACKER_DATA", "TRACKER_DEBUG")}
    env["TRACKER_TODAY"] = TODAY
    env.update(extra)
    return env


@contextmanager
def folder_locked(folder: Path) -> Iterator[int]:
    """Hold the data folder's lock the way another tracker process would."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(folder / lock_module.LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)


@pytest.fixture(autouse=True)
def no_default_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A command run without --data must never reach the real user's data folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    # This device's files are entries-YYYY-MM.home.json and undo.home.json (tracker.store.layout).
    monkeypatch.setenv("TRACKER_DEVICE", "home")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder that does not exist yet (the first write creates it)."""
    return tmp_path / "data"


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data_dir: Path) -> Cli:
    """Run `tracker ARGS --data data_dir` in-process; `data=None` leaves --data out."""
    monkeypatch.setenv("TRACKER_TODAY", TODAY)
    monkeypatch.delenv("TRACKER_DATA", raising=False)
    monkeypatch.delenv("TRACKER_DEBUG", raising=False)

    def run(*args: str, data: Path | None = data_dir) -> CliResult:
        capsys.readouterr()
        argv = [*args, "--data", str(data)] if data is not None else list(args)
        code = main(argv)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def list_json(cli: Cli) -> Callable[[], list[dict[str, Any]]]:
    """`tracker list --json` of data_dir, parsed."""

    def run() -> list[dict[str, Any]]:
        result = cli("list", "--json")
        assert result.code == 0, result.err
        entries: list[dict[str, Any]] = json.loads(result.out)
        return entries

    return run


@pytest.fixture(scope="session")
def years_of_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with 1,500 days of demo data (about 6,800 entries in some 50 month files).

    Built once per session by a real `tracker demo`; copy it (``copy_years``) before writing.
    """
    folder = tmp_path_factory.mktemp("years") / "data"
    # A session fixture is built before the autouse one above: name the device and the XDG
    # folders here, or the demo would take (and save) the real user's device name.
    private = folder.parent
    subprocess.run(
        [TRACKER, "demo", "--days", "1500", "--seed", "7", "--data", str(folder)],
        check=True,
        capture_output=True,
        env=subprocess_env(
            TRACKER_DEVICE="home",
            XDG_CONFIG_HOME=str(private / "xdg-config"),
            XDG_DATA_HOME=str(private / "xdg-data"),
        ),
    )
    return folder


@pytest.fixture
def copy_years(years_of_data: Path, tmp_path: Path) -> Path:
    """A private copy of ``years_of_data`` for one test."""
    target = tmp_path / "years"
    shutil.copytree(years_of_data, target)
    return target
