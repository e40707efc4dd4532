"""A data folder in a real sync folder (issue 10): two devices, each with its own Syncthing on
127.0.0.1, share one data folder and use it only through the `tracker` command line. Whatever
they log, edit and delete while apart reaches both once they reconnect, nothing deleted comes
back, both list the same entries, and the sync tool never has to make a conflict copy.

Run alone with `make test-sync`; skipped (loudly) where `syncthing` is not installed."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import TRACKER, subprocess_env
from syncthing import SYNCTHING, Cluster, Instance, conflict_copies, running_cluster

pytestmark = [
    pytest.mark.syncthing,
    pytest.mark.skipif(
        SYNCTHING is None,
        reason="SYNC FOLDER NOT CHECKED: syncthing is not installed (apt-get install syncthing)",
    ),
]

LAPTOP = "laptop"
DESKTOP = "desktop"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Cluster]:
    """Two devices, `laptop` and `desktop`, whose data folders Syncthing keeps in sync."""
    with running_cluster(tmp_path / "sync", [LAPTOP, DESKTOP]) as cluster:
        yield cluster


def tracker(device: Instance, *args: str) -> str:
    """Run `tracker ARGS --data <device's folder>` as that device; its standard output."""
    xdg = Path(subprocess_env()["XDG_DATA_HOME"]).parent  # the test's own XDG dirs (conftest)
    env = subprocess_env(
        TRACKER_DEVICE=device.name,
        XDG_DATA_HOME=str(xdg / "xdg-data" / device.name),
        XDG_CONFIG_HOME=str(xdg / "xdg-config" / device.name),
    )
    result = subprocess.run(
        [TRACKER, *args, "--data", str(device.folder)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, (
        f"{device.name}: tracker {' '.join(args)} exited {result.returncode}: {result.stderr}"
    )
    return result.stdout.strip()


def entries(device: Instance) -> dict[str, dict[str, Any]]:
    """`tracker list --json` on that device, by id."""
    listed: list[dict[str, Any]] = json.loads(tracker(device, "list", "--json"))
    return {entry["id"]: entry for entry in listed}


def log(device: Instance, kind: str, day: str, *flags: str) -> str:
    """Log one entry in November 2026 on ``device``; the id it printed."""
    entry_id = tracker(device, "log", kind, "--date", f"2026-11-{day}", *flags)
    assert entry_id, f"{device.name}: log {kind} printed no id"
    return entry_id


def lunge(device: Instance, day: str, reps: int = 10) -> str:
    return log(device, "lunge", day, "--sets", "3", "--reps", str(reps), "--tempo", "3-1-3-0")


def cycling(device: Instance, day: str, minutes: int = 20) -> str:
    return log(device, "cycling", day, "--minutes", str(minutes))


def checkin(device: Instance, day: str, knee: int, back: int) -> str:
    return log(
        device,
        "checkin",
        day,
        "--knee-pain",
        str(knee),
        "--back-pain",
        str(back),
        "--clicking-left",
        "1",
        "--clicking-right",
        "0",
    )


def assert_converged(
    cluster: Cluster, acknowledged: set[str], deleted: frozenset[str] = frozenset()
) -> dict[str, dict[str, Any]]:
    """Every acknowledged entry is listed on every device and no deleted one is; both devices
    list exactly the same entries; Syncthing made no conflict copy. The entries, by id."""
    listed = {device.name: entries(device) for device in cluster.instances}
    for name, on_device in listed.items():
        missing = acknowledged - on_device.keys()
        assert not missing, (
            f"{name} lost acknowledged entries {sorted(missing)}\n{cluster.report()}"
        )
        back = deleted & on_device.keys()
        assert not back, f"deleted entries {sorted(back)} came back on {name}\n{cluster.report()}"
    on_laptop, on_desktop = listed[LAPTOP], listed[DESKTOP]
    changed = sorted(i for i in on_laptop.keys() & on_desktop if on_laptop[i] != on_desktop[i])
    assert on_laptop == on_desktop, (
        f"the devices list different entries: only on laptop "
        f"{sorted(on_laptop.keys() - on_desktop)}, only on desktop "
        f"{sorted(on_desktop.keys() - on_laptop)}, changed {changed}\n{cluster.report()}"
    )
    for device in cluster.instances:
        assert conflict_copies(device.folder) == [], (
            f"Syncthing made conflict copies on {device.name}\n{cluster.report()}"
        )
    assert set(on_laptop) == acknowledged
    return on_laptop


# ---------------------------------------------------------------- the harness itself


def test_the_harness_syncs_a_file_and_pause_really_stops_it(pair: Cluster) -> None:
    laptop, desktop = pair[LAPTOP], pair[DESKTOP]
    (laptop.folder / "before.txt").write_text("written while linked")
    pair.wait_converged()
    assert (desktop.folder / "before.txt").read_text() == "written while linked"

    pair.pause()
    (laptop.folder / "while-apart.txt").write_text("written while apart")
    laptop.scan()
    # The laptop has indexed the file and knows the desktop lacks it, the link is down, and the
    # desktop does not have it.
    assert laptop.completion(desktop)["needItems"] == 1
    assert not laptop.connection(desktop)["connected"]
    assert not desktop.connection(laptop)["connected"]
    assert not (desktop.folder / "while-apart.txt").exists()

    pair.resume()
    pair.wait_converged()
    assert (desktop.folder / "while-apart.txt").read_text() == "written while apart"


# ---------------------------------------------------------------- the data folder


def test_two_devices_apart_in_one_month_lose_nothing_and_resurrect_nothing(pair: Cluster) -> None:
    laptop, desktop = pair[LAPTOP], pair[DESKTOP]

    # A synced history of a few entries in November 2026, made on both devices.
    knee_checkin = checkin(laptop, "02", knee=4, back=3)
    old_lunge = lunge(laptop, "03")
    old_ride = cycling(laptop, "04", minutes=20)
    pair.wait_converged()
    desktop_ride = cycling(desktop, "06", minutes=25)
    pair.wait_converged()
    history = {knee_checkin, old_lunge, old_ride, desktop_ride}
    assert_converged(pair, history)

    # Apart: both log and edit in November; the desktop edits a ride the laptop then deletes.
    pair.pause()
    laptop_lunge = lunge(laptop, "20", reps=8)
    laptop_checkin = checkin(laptop, "24", knee=2, back=2)
    assert tracker(laptop, "edit", old_lunge, "--reps", "12") == old_lunge
    desktop_new_ride = cycling(desktop, "21", minutes=30)
    desktop_checkin = checkin(desktop, "25", knee=3, back=1)
    assert tracker(desktop, "edit", desktop_ride, "--minutes", "35") == desktop_ride
    assert tracker(desktop, "edit", knee_checkin, "--knee-pain", "5") == knee_checkin
    assert tracker(desktop, "edit", old_ride, "--km", "8.5") == old_ride
    assert tracker(laptop, "delete", old_ride) == old_ride  # after the desktop's edit
    pair.scan()  # each side's Syncthing indexes its own changes while the link is down

    pair.resume()
    pair.wait_converged()

    acknowledged = {
        knee_checkin,
        old_lunge,
        desktop_ride,
        laptop_lunge,
        laptop_checkin,
        desktop_new_ride,
        desktop_checkin,
    }
    final = assert_converged(pair, acknowledged, deleted=frozenset({old_ride}))
    assert final[old_lunge]["reps"] == 12  # the laptop's edit
    assert final[desktop_ride]["minutes"] == 35  # the desktop's edits
    assert final[knee_checkin]["knee_pain"] == 5
    assert final[laptop_lunge]["reps"] == 8
    assert final[desktop_new_ride]["minutes"] == 30
    assert final[laptop_checkin]["date"] == "2026-11-24"
    assert final[desktop_checkin]["date"] == "2026-11-25"


def test_two_linked_devices_logging_one_after_the_other_lose_nothing(pair: Cluster) -> None:
    laptop, desktop = pair[LAPTOP], pair[DESKTOP]
    logged = []
    for day in ("10", "11", "12"):
        logged.append(lunge(laptop, day))
        logged.append(cycling(desktop, day))
    pair.wait_converged()

    assert_converged(pair, set(logged))
