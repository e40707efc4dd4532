"""Start-up and memory of the TUI with ten years of entries, against a bare Textual app.

Each run starts a fresh process in a pseudo-terminal (120x36) and times, from just before the
process starts, until the terminal receives the first frame: for the bare app the text of its
one label, for tracker the day shown in its header. Tracker is also timed to the moment its
entries are on screen, and its memory (RSS) is read then. Runs alternate between the two apps
so that both see the same machine state; the medians are compared.

Bars (issue 3): first frame at most 1.3x the bare app; at most 120 MB RSS with 10 years loaded.

    python bench/bench_tui.py [--runs 7] [--years 10]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.demo import demo_entries  # noqa: E402
from tracker.store import Store  # noqa: E402
from tracker.tui.format import long_date  # noqa: E402

COLUMNS, LINES = 120, 36
FRAME_BAR = 1.3
RSS_BAR_MB = 120.0
BARE_APP = """
from textual.app import App, ComposeResult
from textual.widgets import Label


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("bare-app-ready")


Bare().run()
"""


def fill(folder: Path, years: int) -> int:
    """Ten years of realistic entries (about five a day), written the way import writes them."""
    entries = demo_entries(days=365 * years, seed=1, today=date.today())
    Store(folder).import_entries(entries)
    return len(entries)


def rss_mb(pid: int) -> tuple[float, float]:
    """(current RSS, peak RSS) of ``pid`` in MB."""
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def run_once(
    command: list[str],
    markers: list[bytes],
    pycache: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> tuple[list[float], tuple[float, float]]:
    """Seconds from start until each marker reached the terminal, and the RSS after the last."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)}
    env.update(extra_env or {})
    env.pop("TEXTUAL", None)
    if pycache is not None:
        # As installed: compiled once, then read from the bytecode cache (this shell may set
        # PYTHONDONTWRITEBYTECODE, which would recompile tracker's modules on every start).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen = b""
    times: list[float] = []
    memory = (0.0, 0.0)
    try:
        deadline = start + 30
        while len(times) < len(markers) and time.perf_counter() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen += chunk
            while len(times) < len(markers) and markers[len(times)] in seen:
                times.append(time.perf_counter() - start)
        if len(times) < len(markers):
            raise RuntimeError(f"marker not seen: {markers[len(times)]!r}")
        memory = rss_mb(process.pid)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(master)
    return times, memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "data"
        count = fill(folder, args.years)
        bare_script = Path(scratch) / "bare.py"
        bare_script.write_text(BARE_APP)
        bare = [sys.executable, str(bare_script)]
        tracker = [sys.executable, "-m", "tracker", "--data", str(folder)]
        frame_marker = long_date(date.today()).encode()
        data_marker = b"Not logged yet"
        alt_data_marker = b"All three exercises"

        # An everyday start: the user's own settings file (the welcome seen) is not read; the
        # first start, with the welcome over Today, is timed apart below.
        everyday = Path(scratch) / "settings.toml"
        everyday.write_text("welcome = false\n")
        settings = {"TRACKER_SETTINGS": str(everyday)}
        first_start = {"TRACKER_SETTINGS": str(Path(scratch) / "none.toml")}

        pycache = Path(scratch) / "pycache"
        # One unmeasured start of each fills the bytecode cache and the OS file cache.
        run_once(bare, [b"bare-app-ready"], pycache)
        run_once(tracker, [frame_marker], pycache, settings)

        bare_times: list[float] = []
        frame_times: list[float] = []
        data_times: list[float] = []
        rss: list[float] = []
        peaks: list[float] = []
        for _ in range(args.runs):
            (bare_time,), _memory = run_once(bare, [b"bare-app-ready"], pycache)
            bare_times.append(bare_time)
            try:
                (frame, loaded), (now, peak) = run_once(
                    tracker, [frame_marker, data_marker], pycache, settings
                )
            except RuntimeError:
                (frame, loaded), (now, peak) = run_once(
                    tracker, [frame_marker, alt_data_marker], pycache, settings
                )
            frame_times.append(frame)
            data_times.append(loaded)
            rss.append(now)
            peaks.append(peak)
        welcome_times = [
            run_once(tracker, [b"Welcome to tracker"], pycache, first_start)[0][0]
            for _ in range(max(3, args.runs // 2))
        ]

    bare_median = statistics.median(bare_times)
    frame_median = statistics.median(frame_times)
    ratio = frame_median / bare_median
    print(f"entries: {count:,} ({args.years} years), runs: {args.runs}, terminal {COLUMNS}x{LINES}")
    print(f"bare Textual app, first frame:   {bare_median * 1000:7.0f} ms (median)")
    print(f"tracker, first frame:            {frame_median * 1000:7.0f} ms (median)")
    print(
        f"tracker, entries on screen:      {statistics.median(data_times) * 1000:7.0f} ms (median)"
    )
    print(f"first-frame ratio:               {ratio:7.2f}x  (bar {FRAME_BAR}x)")
    welcome = statistics.median(welcome_times)
    print(f"first start, welcome shown:      {welcome * 1000:7.0f} ms (median; once per user)")
    print(
        f"RSS with entries loaded:         {statistics.median(rss):7.1f} MB "
        f"(peak {max(peaks):.1f} MB; bar {RSS_BAR_MB:.0f} MB)"
    )
    ok = ratio <= FRAME_BAR and max(peaks) <= RSS_BAR_MB
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
