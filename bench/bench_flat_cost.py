"""Flat cost (issue 10): every everyday command with 50 years of data against 1 month.

Builds 1 month and 50 years of `tracker demo` data (ending the day before the pinned today, so
today has no check-in yet); the folders are cached under the system temp dir, keyed by the
demo's seed, days and last day and by tracker's core source, and copied for the run. Each
command runs as a whole process, 1 month and 50 years interleaved so that both see the same
machine state; a command that writes runs on a fresh copy each time, so every timed run starts
from the same bytes. Prints the median of each, the ratio, and the peak memory of the 50-year
run (ru_maxrss from wait4, in a small launcher). Run 0 of each is a warm-up, not counted.

Bars (issue 10), each checked on its own line:
- 50 years / 1 month at most 1.3x for every command;
- every command with 50 years at most 0.5x jrnl adding one entry to an 8-entry journal (jrnl
  is installed into its own venv under the system temp dir; without it the column is skipped);
- peak memory of a one-day command (log, edit, delete, undo, today) with 50 years <= 40 MB;
- the app with 50 years: peak memory <= 120 MB, first frame <= 1.3x a bare Textual app.
It reports and always exits 0 (it does not gate `make bench`).

Usage: python bench/bench_flat_cost.py [--runs N] [--quick] [--no-app]
(--quick: 3 runs and 10 years instead of 50.)
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_store import CHECKIN, TODAY  # noqa: E402
from bench_tui import BARE_APP, RSS_BAR_MB, run_once  # noqa: E402

from tracker.tui.format import long_date  # noqa: E402

SEED = 1
MONTH_DAYS = 30
RATIO_BAR = 1.3
JRNL_BAR = 0.5
ONE_DAY_RSS_BAR_MB = 40.0
FRAME_BAR = 1.3
FIRST_OF_MONTH = TODAY.replace(day=1)
CACHE = Path(tempfile.gettempdir()) / "tracker-bench-flat-cache"
TRACKER = [sys.executable, "-m", "tracker"]


@dataclass(frozen=True)
class Command:
    """One timed command: ``prepare`` runs untimed on the run's folder and returns the argv."""

    label: str
    one_day: bool
    writes: bool
    prepare: Callable[[Path, dict[str, str], Targets], list[str]]


@dataclass(frozen=True)
class Targets:
    """Ids and dates of this month that the commands act on (the same in every copy)."""

    edit_id: str
    delete_id: str
    checkin_day: str


def source_digest() -> str:
    """A digest of tracker's core source: a change to the storage rebuilds the cached folders."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "tracker").rglob("*.py")):
        if "tui" not in path.relative_to(ROOT / "tracker").parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cached_demo(days: int) -> Path:
    """The demo folder of ``days`` days ending yesterday, built once and reused."""
    until = TODAY - timedelta(days=1)
    folder = CACHE / f"demo-seed{SEED}-days{days}-until{until}-{source_digest()}"
    if folder.is_dir():
        return folder
    CACHE.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="building-", dir=CACHE))
    started = time.perf_counter()
    subprocess.run(
        tracker_at(building / "data", "demo", "--days", str(days), "--seed", str(SEED)),
        check=True,
        env={**os.environ, "TRACKER_TODAY": until.isoformat()},
        stdout=subprocess.DEVNULL,
    )
    print(f"built {days} days of demo data in {time.perf_counter() - started:.1f} s: {folder}")
    with contextlib.suppress(OSError):  # another run may have built it meanwhile
        (building / "data").rename(folder)
    shutil.rmtree(building, ignore_errors=True)
    return folder


# A small /usr/bin/time: it forks and execs the command and reports the child's time and peak
# RSS from wait4. The command must be started by a small process: Linux carries the peak RSS
# of whatever process forked it into ru_maxrss, and this bench's own process is not small.
MEASURE = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.execvp(sys.argv[1], sys.argv[1:])
_pid, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one whole process."""
    report = subprocess.run(
        [sys.executable, "-S", "-c", MEASURE, *command],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout.split()
    if report[2] != "0":
        raise RuntimeError(f"exit {report[2]}: {' '.join(command)}")
    return float(report[0]), int(report[1]) / 1024  # ru_maxrss is in KB on Linux


def quiet(command: list[str], env: dict[str, str]) -> str:
    return subprocess.run(command, check=True, env=env, capture_output=True, text=True).stdout


def targets(folder: Path, env: dict[str, str]) -> Targets:
    """An exercise entry of this month to edit, another to delete, a day with a check-in."""
    listed = json.loads(
        quiet(
            [*TRACKER, "--data", str(folder), "list", "--from", str(FIRST_OF_MONTH), "--json"], env
        )
    )
    exercises = [entry for entry in listed if entry["kind"] != "checkin"]
    checkins = [entry for entry in listed if entry["kind"] == "checkin"]
    if len(exercises) < 2 or not checkins:
        raise RuntimeError(f"too few entries this month in {folder}")
    return Targets(exercises[-1]["id"], exercises[-2]["id"], checkins[-1]["date"])


def tracker_at(folder: Path, *args: str) -> list[str]:
    return [*TRACKER, "--data", str(folder), *args]


def _fixed(*args: str) -> Callable[[Path, dict[str, str], Targets], list[str]]:
    return lambda folder, _env, _targets: tracker_at(folder, *args)


def _replace(folder: Path, _env: dict[str, str], t: Targets) -> list[str]:
    return tracker_at(folder, "log", "checkin", *CHECKIN, "--date", t.checkin_day, "--replace")


def _edit(folder: Path, _env: dict[str, str], t: Targets) -> list[str]:
    return tracker_at(folder, "edit", t.edit_id, "--notes", "x")


def _delete(folder: Path, _env: dict[str, str], t: Targets) -> list[str]:
    return tracker_at(folder, "delete", t.delete_id)


def _undo(folder: Path, env: dict[str, str], _targets: Targets) -> list[str]:
    quiet(tracker_at(folder, *LUNGE), env)  # the change to undo, untimed
    return tracker_at(folder, "undo")


LUNGE = ("log", "lunge", "--sets", "3", "--reps", "10", "--tempo", "4-1-4")
COMMANDS = (
    Command("log lunge", True, True, _fixed(*LUNGE)),
    Command("log cycling", True, True, _fixed("log", "cycling", "--minutes", "20")),
    Command(
        "log rotation",
        True,
        True,
        _fixed("log", "rotation", "--exercise", "clamshell", "--sets", "3", "--reps", "12"),
    ),
    Command("log checkin", True, True, _fixed("log", "checkin", *CHECKIN)),
    Command("log checkin --replace", True, True, _replace),
    Command("edit ID --notes x", True, True, _edit),
    Command("delete ID", True, True, _delete),
    Command("undo (after a log)", True, True, _undo),
    Command("today", True, False, _fixed("today")),
    Command(
        f"list --from {FIRST_OF_MONTH}", False, False, _fixed("list", "--from", str(FIRST_OF_MONTH))
    ),
    Command("insights", False, False, _fixed("insights")),
    # The visit page reads every plan and the questionnaires before its 4 weeks (issue 11).
    Command("report", False, False, _fixed("report")),
    Command("chart adherence", False, False, _fixed("chart", "adherence", "--width", "80")),
)


def process_env(pycache: Path, **extra: str) -> dict[str, str]:
    """As installed: bytecode compiled once and then read from a cache (this shell may set
    PYTHONDONTWRITEBYTECODE, which would recompile every module on every start)."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(pycache), **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def time_commands(
    folders: dict[str, Path], scratch: Path, env: dict[str, str], runs: int
) -> dict[str, dict[str, list[tuple[float, float]]]]:
    """label -> size -> [(seconds, peak MB)], sizes interleaved within each run."""
    found = {size: targets(folder, env) for size, folder in folders.items()}
    results: dict[str, dict[str, list[tuple[float, float]]]] = {
        command.label: {size: [] for size in folders} for command in COMMANDS
    }
    # Run 0 is a warm-up, not counted: bytecode, the file cache, anything a first read leaves.
    for number in range(runs + 1):
        for command in COMMANDS:
            for size, master in folders.items():
                folder = master
                if command.writes:
                    folder = scratch / "run"
                    shutil.rmtree(folder, ignore_errors=True)
                    shutil.copytree(master, folder)
                argv = command.prepare(folder, env, found[size])
                cost = measured(argv, env)
                if number:
                    results[command.label][size].append(cost)
    return results


JRNL_CONFIG = """\
colors:
  body: none
  date: none
  tags: none
  title: none
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: false
indent_character: '|'
journals:
  default:
    journal: {journal}
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%F %r'
version: '{version}'
"""


def jrnl_venv() -> Path | None:
    """jrnl's own venv under the system temp dir (made once); None when it cannot be had."""
    venv = CACHE / "jrnl-venv"
    jrnl = venv / "bin" / "jrnl"
    if jrnl.exists():
        return venv
    CACHE.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(venv, ignore_errors=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "jrnl"],
            check=True,
            capture_output=True,
        )
    except (subprocess.CalledProcessError, OSError) as error:
        detail = getattr(error, "stderr", b"") or b""
        print(f"{error}\n{detail.decode(errors='replace')[-2000:]}", file=sys.stderr)
        return None
    return venv if jrnl.exists() else None


def time_jrnl(scratch: Path, pycache: Path, runs: int) -> float | None:
    """Median seconds of `jrnl "text"` adding one entry to an 8-entry journal."""
    venv = jrnl_venv()
    if venv is None:
        return None
    version = quiet(
        [
            str(venv / "bin" / "python"),
            "-c",
            "from jrnl.__version__ import __version__ as v; print(v)",
        ],
        dict(os.environ),
    ).strip()
    home = scratch / "jrnl-home"
    (home / "config" / "jrnl").mkdir(parents=True)
    (home / "data").mkdir()
    journal = home / "data" / "journal.txt"
    (home / "config" / "jrnl" / "jrnl.yaml").write_text(
        JRNL_CONFIG.format(journal=journal, version=version)
    )
    eight = "".join(
        f"[2026-11-{day:02d} 09:00:00 AM] Knee {day % 4 + 2}, back {day % 3 + 1}.\n"
        "Lunges and a ride; the stairs were easier.\n\n"
        for day in range(1, 9)
    )
    env = process_env(
        pycache,
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
    )
    command = [str(venv / "bin" / "jrnl"), "Knee 3, back 2. Lunges done."]
    times = []
    for number in range(runs + 1):
        journal.write_text(eight)
        elapsed, _peak = measured(command, env)
        if number:  # the first run is the warm-up
            times.append(elapsed)
    if journal.read_text().count("\n[") != 8:
        raise RuntimeError("jrnl did not add its entry")
    return statistics.median(times)


def time_app(folder: Path, scratch: Path, runs: int) -> tuple[float, float, float]:
    """(bare first frame, tracker first frame, tracker peak MB), medians/max of ``runs``."""
    bare_script = scratch / "bare.py"
    bare_script.write_text(BARE_APP)
    bare = [sys.executable, str(bare_script)]
    tracker = tracker_at(folder)
    everyday = scratch / "settings.toml"
    everyday.write_text("welcome = false\n")
    extra = {"TRACKER_SETTINGS": str(everyday), "TRACKER_TODAY": TODAY.isoformat()}
    frame_marker = long_date(TODAY).encode()
    pycache = scratch / "app-pycache"

    def start_tracker() -> tuple[float, float]:
        for loaded in (b"Not logged yet", b"All three exercises"):
            try:
                (frame, _loaded), (_now, peak) = run_once(
                    tracker, [frame_marker, loaded], pycache, extra
                )
                return frame, peak
            except RuntimeError:
                continue
        raise RuntimeError("the app never showed today's entries")

    run_once(bare, [b"bare-app-ready"], pycache)
    start_tracker()
    bares, frames, peaks = [], [], []
    for _ in range(runs):
        bares.append(run_once(bare, [b"bare-app-ready"], pycache)[0][0])
        frame, peak = start_tracker()
        frames.append(frame)
        peaks.append(peak)
    return statistics.median(bares), statistics.median(frames), max(peaks)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=None, help="runs per command (default 7)")
    parser.add_argument("--quick", action="store_true", help="3 runs, 10 years instead of 50")
    parser.add_argument("--no-app", action="store_true", help="skip the app's start-up")
    options = parser.parse_args()
    runs = options.runs or (3 if options.quick else 7)
    long_label, long_days = ("10 years", 3650) if options.quick else ("50 years", 18250)
    sizes = {"1 month": MONTH_DAYS, long_label: long_days}

    scratch = Path(tempfile.mkdtemp(prefix="tracker-bench-flat-"))
    try:
        pycache = scratch / "pycache"
        env = process_env(pycache, TRACKER_TODAY=TODAY.isoformat())
        folders = {}
        for size, days in sizes.items():
            folders[size] = scratch / f"master-{days}"
            shutil.copytree(cached_demo(days), folders[size])
        results = time_commands(folders, scratch, env, runs)
        jrnl = time_jrnl(scratch, pycache, runs)
        app = None if options.no_app else time_app(folders[long_label], scratch, runs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(
        f"\nFlat cost: 1 month ({MONTH_DAYS} days) against {long_label} ({long_days} days) of "
        f"demo data (seed {SEED}), today pinned to {TODAY}; median of {runs} whole-process runs, "
        "interleaved"
    )
    if jrnl is None:
        print("\n*** jrnl COULD NOT BE INSTALLED: the jrnl column is skipped ***\n")
    else:
        print(f"jrnl adding one entry to an 8-entry journal: {jrnl * 1000:.0f} ms (median)")
    jrnl_head = f" | {long_label} / jrnl (bar {JRNL_BAR}x)" if jrnl is not None else ""
    print(
        f"| command | 1 month | {long_label} | ratio (bar {RATIO_BAR}x) "
        f"| {long_label} peak RSS (bar {ONE_DAY_RSS_BAR_MB:.0f} MB, one-day){jrnl_head} | |"
    )
    print(
        "| --- | ---: | ---: | ---: | ---: |" + (" ---: |" if jrnl is not None else "") + " --- |"
    )
    all_ok = True
    for command in COMMANDS:
        short = statistics.median(t for t, _ in results[command.label]["1 month"])
        long = statistics.median(t for t, _ in results[command.label][long_label])
        peak = max(p for _, p in results[command.label][long_label])
        ratio = long / short
        ok = ratio <= RATIO_BAR
        memory = f"{peak:.1f} MB"
        if command.one_day:
            ok = ok and peak <= ONE_DAY_RSS_BAR_MB
        else:
            memory += " (no bar)"
        jrnl_cell = ""
        if jrnl is not None:
            ok = ok and long / jrnl <= JRNL_BAR
            jrnl_cell = f" | {long / jrnl:.2f}x"
        all_ok = all_ok and ok
        print(
            f"| `{command.label}` | {short * 1000:.0f} ms | {long * 1000:.0f} ms | {ratio:.2f}x "
            f"| {memory}{jrnl_cell} | {verdict(ok)} |"
        )
    if app is not None:
        bare, frame, peak = app
        frame_ok = frame / bare <= FRAME_BAR
        memory_ok = peak <= RSS_BAR_MB
        all_ok = all_ok and frame_ok and memory_ok
        print(
            f"\nthe app with {long_label}: first frame {frame * 1000:.0f} ms against "
            f"{bare * 1000:.0f} ms for a bare Textual app, {frame / bare:.2f}x (bar {FRAME_BAR}x) "
            f"{verdict(frame_ok)}; peak RSS with the entries on screen {peak:.1f} MB "
            f"(bar {RSS_BAR_MB:.0f} MB) {verdict(memory_ok)}"
        )
    print(f"\noverall: {verdict(all_ok)}" + (" (without jrnl)" if jrnl is None else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
