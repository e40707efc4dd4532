"""A small harness that runs real Syncthing instances on 127.0.0.1 for the sync-folder tests
(issue 10): each instance has its own home, its own GUI/REST port with an API key set here, and
a sync protocol port on loopback only; every way Syncthing reaches the outside (global and local
discovery, relays, NAT traversal and STUN, usage and crash reporting, upgrades) is switched off;
the devices know each other by config and share one folder.

What it relies on, from Syncthing 1.19's own documentation (the Debian package installs it as
man pages: syncthing-config(5), syncthing-rest-api(7); also docs.syncthing.net/v1.19.0):
- `syncthing generate --home=DIR` writes cert.pem, key.pem and a config.xml of this version's
  defaults; `syncthing --device-id --home=DIR` prints the device ID derived from cert.pem.
- config.xml, syncthing-config(5): options `listenAddress`, `globalAnnounceEnabled`,
  `localAnnounceEnabled`, `relaysEnabled`, `natEnabled`, `urAccepted` (-1 = no, permanently),
  `autoUpgradeIntervalH` (0 = off), `crashReportingEnabled`, `startBrowser`; the
  `stunKeepalive*` values (0 turns STUN off); a device's `<address>` may be a static
  `tcp://IP:PORT`; a folder's `type`, `fsWatcherEnabled`, `fsWatcherDelayS`, `minDiskFree`; the
  `<defaults>` element holds this version's default folder and device, which are copied here so
  that every field has its version's default. `gui/apikey` enables the REST interface, used with
  the `X-API-Key` header.
- REST, syncthing-rest-api(7): `GET /rest/system/ping`; `GET /rest/system/connections` (per
  device: `connected`, `paused`); `POST /rest/system/pause?device=ID` and `/rest/system/resume`;
  `POST /rest/db/scan?folder=ID` (answers when the scan is done, 500 with the error otherwise);
  `GET /rest/db/status?folder=ID` (`state`, `needTotalItems`, `pullErrors`, `global*`);
  `GET /rest/db/completion?folder=ID&device=ID` (how complete a remote device is, as this
  instance knows it); `GET /rest/events?since=N&timeout=S` (blocks until an event newer than N,
  at most S seconds): the waits below wake on Syncthing's events instead of sleeping.
- Conflict copies are named `NAME.sync-conflict-YYYYMMDD-HHMMSS-DEVICE.EXT`; Syncthing's own
  temporary files are `.syncthing.NAME.tmp` (and `~syncthing~NAME.tmp` on Windows).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SYNCTHING = shutil.which("syncthing")
FOLDER_ID = "tracker-data"
MARKER = ".stfolder"
CONVERGE_TIMEOUT = 120.0  # seconds; CI is a loaded 2-core machine
START_TIMEOUT = 60.0
REQUEST_TIMEOUT = 60.0
LOG_LINES = 80  # of each instance's log in a failure message

# No proxy for loopback, whatever the environment says.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class SyncthingError(AssertionError):
    """The harness could not bring Syncthing to the state a test asked for."""


def free_ports(count: int) -> list[int]:
    """``count`` different TCP ports on 127.0.0.1 that nothing listens on right now."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def is_syncthing_own(relative: str) -> bool:
    """Syncthing's marker folder, versions folder and temporary files: not the user's data."""
    first = relative.split("/", 1)[0]
    name = relative.rsplit("/", 1)[-1]
    return (
        first in (MARKER, ".stversions")
        or (name.startswith(".syncthing.") and name.endswith(".tmp"))
        or name.startswith("~syncthing~")
    )


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) by relative path, with its bytes; Syncthing's
    own files left out."""
    files: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and not is_syncthing_own(relative):
            try:
                files[relative] = path.read_bytes()
            except FileNotFoundError:  # renamed away while we looked
                continue
    return files


def conflict_copies(folder: Path) -> list[str]:
    """Syncthing's conflict copies in ``folder`` (relative paths)."""
    return sorted(name for name in folder_files(folder) if ".sync-conflict-" in name)


def describe_files(files: dict[str, bytes]) -> str:
    if not files:
        return "    (no files)"
    return "\n".join(
        f"    {name}  {len(data)} bytes  sha256 {hashlib.sha256(data).hexdigest()[:12]}"
        for name, data in files.items()
    )


@dataclass
class Instance:
    """One running Syncthing: one device of the test, sharing ``folder`` with the others."""

    name: str
    home: Path
    folder: Path
    gui_port: int
    listen_port: int
    api_key: str
    device_id: str = ""
    process: subprocess.Popen[bytes] | None = None
    last_event: int = 0

    @property
    def log_path(self) -> Path:
        return self.home / "syncthing.log"

    @property
    def listen_address(self) -> str:
        return f"tcp://127.0.0.1:{self.listen_port}"

    # ---------------------------------------------------------------- REST

    def _request(self, method: str, path: str, params: dict[str, str], timeout: float) -> bytes:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        url = f"http://127.0.0.1:{self.gui_port}{path}{query}"
        request = urllib.request.Request(url, method=method, headers={"X-API-Key": self.api_key})
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                body: bytes = response.read()
                return body
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace").strip()
            raise SyncthingError(
                f"{self.name}: {method} {path}{query}: {error.code} {detail}"
            ) from None

    def get(
        self, path: str, params: dict[str, str] | None = None, timeout: float = REQUEST_TIMEOUT
    ) -> Any:
        return json.loads(self._request("GET", path, params or {}, timeout) or b"null")

    def post(
        self, path: str, params: dict[str, str] | None = None, timeout: float = REQUEST_TIMEOUT
    ) -> None:
        self._request("POST", path, params or {}, timeout)

    def scan(self) -> None:
        """Index what changed on disk now (what the file watcher would do a moment later)."""
        self.post("/rest/db/scan", {"folder": FOLDER_ID})

    def status(self) -> dict[str, Any]:
        status: dict[str, Any] = self.get("/rest/db/status", {"folder": FOLDER_ID})
        return status

    def completion(self, other: Instance) -> dict[str, Any]:
        """How complete ``other`` is in the shared folder, as this instance knows it."""
        result: dict[str, Any] = self.get(
            "/rest/db/completion", {"folder": FOLDER_ID, "device": other.device_id}
        )
        return result

    def connection(self, other: Instance) -> dict[str, Any]:
        connections = self.get("/rest/system/connections")["connections"]
        state: dict[str, Any] = connections.get(other.device_id, {})
        return state

    def wait_for_event(self, timeout: int = 1) -> None:
        """Return when this instance reports something new, or after ``timeout`` seconds."""
        params = {"since": str(self.last_event), "timeout": str(timeout)}
        events = self.get("/rest/events", params, timeout=timeout + REQUEST_TIMEOUT)
        if events:
            self.last_event = max(int(event["id"]) for event in events)

    def files(self) -> dict[str, bytes]:
        return folder_files(self.folder)

    def log_tail(self, lines: int = LOG_LINES) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "    (no log)"
        return "\n".join(f"    {line}" for line in text.splitlines()[-lines:])

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


def _set(parent: ET.Element, tag: str, text: str) -> None:
    element = parent.find(tag)
    if element is None:
        element = ET.SubElement(parent, tag)
    element.text = text


def _configure(instance: Instance, everyone: Sequence[Instance]) -> None:
    """Rewrite the generated config.xml: loopback only, nothing outside, the shared folder."""
    path = instance.home / "config.xml"
    tree = ET.parse(path)
    root = tree.getroot()

    gui = root.find("gui")
    assert gui is not None, f"{path} has no <gui>"
    gui.set("enabled", "true")
    gui.set("tls", "false")
    _set(gui, "address", f"127.0.0.1:{instance.gui_port}")
    _set(gui, "apikey", instance.api_key)

    options = root.find("options")
    assert options is not None, f"{path} has no <options>"
    for element in options.findall("listenAddress") + options.findall("globalAnnounceServer"):
        options.remove(element)
    ET.SubElement(options, "listenAddress").text = instance.listen_address
    off = {
        "globalAnnounceEnabled": "false",
        "localAnnounceEnabled": "false",
        "relaysEnabled": "false",
        "natEnabled": "false",
        "stunKeepaliveStartS": "0",
        "stunKeepaliveMinS": "0",
        "urAccepted": "-1",
        "autoUpgradeIntervalH": "0",
        "crashReportingEnabled": "false",
        "startBrowser": "false",
        "announceLANAddresses": "false",
        "reconnectionIntervalS": "1",
        "setLowPriority": "false",
    }
    for tag, text in off.items():
        _set(options, tag, text)
    disk_free = options.find("minHomeDiskFree")
    if disk_free is not None:  # a full CI disk must not stop the test's Syncthing
        disk_free.text = "0"

    defaults = root.find("defaults")
    assert defaults is not None, f"{path} has no <defaults>"
    default_device = defaults.find("device")
    default_folder = defaults.find("folder")
    assert default_device is not None and default_folder is not None

    for element in root.findall("device") + root.findall("folder"):
        root.remove(element)
    position = 0
    folder = ET.fromstring(ET.tostring(default_folder))
    folder.set("id", FOLDER_ID)
    folder.set("label", "tracker data")
    folder.set("path", str(instance.folder))
    folder.set("type", "sendreceive")
    folder.set("fsWatcherEnabled", "true")
    folder.set("fsWatcherDelayS", "1")
    for element in folder.findall("device"):
        folder.remove(element)
    for other in everyone:
        member = ET.SubElement(folder, "device")
        member.set("id", other.device_id)
        member.set("introducedBy", "")
    min_disk = folder.find("minDiskFree")
    if min_disk is not None:
        min_disk.text = "0"
    root.insert(position, folder)
    position += 1
    for other in everyone:
        device = ET.fromstring(ET.tostring(default_device))
        device.set("id", other.device_id)
        device.set("name", other.name)
        for element in device.findall("address"):
            device.remove(element)
        # One side of each pair dials, the other answers: when both dial at once, Syncthing 1.19
        # can stall both connections until its 20 s Hello timeout (seen here about one start
        # or resume in three). The later instance dials the earlier one's static address; with
        # discovery off, `dynamic` means "accept this device when it calls".
        dials = everyone.index(other) < everyone.index(instance)
        address = ET.Element("address")
        address.text = other.listen_address if dials else "dynamic"
        device.insert(0, address)
        _set(device, "paused", "false")
        root.insert(position, device)
        position += 1
    tree.write(path, encoding="unicode")


@dataclass
class Cluster:
    """N Syncthing instances that share one folder; ``instances[i].folder`` is device i's copy."""

    instances: list[Instance] = field(default_factory=list)

    def __getitem__(self, name: str) -> Instance:
        for instance in self.instances:
            if instance.name == name:
                return instance
        raise KeyError(name)

    # ---------------------------------------------------------------- life

    def start(self, root: Path, names: Sequence[str]) -> None:
        """Generate, configure and start one instance per name; return once all are connected
        and the (empty) folder is in sync."""
        if SYNCTHING is None:
            raise SyncthingError("syncthing is not installed")
        ports = free_ports(2 * len(names))
        for index, name in enumerate(names):
            home = root / f"syncthing-{name}"
            folder = root / name / "data"
            folder.mkdir(mode=0o700, parents=True)
            (folder / MARKER).mkdir()  # Syncthing's folder marker: the folder is really there
            gui_port, listen_port = ports[2 * index], ports[2 * index + 1]
            instance = Instance(name, home, folder, gui_port, listen_port, secrets.token_hex(16))
            subprocess.run(
                [SYNCTHING, "generate", f"--home={home}", "--no-default-folder"],
                check=True,
                capture_output=True,
                env=self._environment(instance),
            )
            instance.device_id = subprocess.run(
                [SYNCTHING, "--device-id", f"--home={home}"],
                check=True,
                capture_output=True,
                text=True,
                env=self._environment(instance),
            ).stdout.strip()
            self.instances.append(instance)
        for instance in self.instances:
            _configure(instance, self.instances)
        for instance in self.instances:
            log = instance.log_path.open("ab")
            instance.process = subprocess.Popen(
                [
                    SYNCTHING,
                    "serve",
                    f"--home={instance.home}",
                    "--no-browser",
                    "--no-restart",
                    "--no-upgrade",
                    "--no-default-folder",
                    "--logflags=3",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self._environment(instance),
            )
            log.close()
            # Up before the next starts: the next dials it at once (its listener starts before
            # its API does), instead of after a failed dial and Syncthing's redial delay.
            self._wait_api(instance)
        self.wait_converged()

    @staticmethod
    def _environment(instance: Instance) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("ST")
            and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")
        }
        env["HOME"] = str(instance.home)
        env["STNOUPGRADE"] = "1"
        env["STNORESTART"] = "1"
        return env

    def _wait_api(self, instance: Instance) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if not instance.alive():
                raise SyncthingError(f"{instance.name}: Syncthing exited\n{self.report()}")
            try:
                instance.get("/rest/system/ping", timeout=5)
                return
            except (OSError, SyncthingError):
                if time.monotonic() > deadline:
                    message = f"{instance.name}: REST API not up in {START_TIMEOUT:.0f} s"
                    raise SyncthingError(f"{message}\n{self.report()}") from None
                time.sleep(0.1)  # the API is not up yet: nothing to wait on but the clock

    def stop(self) -> None:
        """Stop every instance this cluster started (shutdown by REST, then the signal)."""
        for instance in self.instances:
            if instance.alive():
                with suppress(OSError, SyncthingError):
                    instance.post("/rest/system/shutdown", timeout=5)
        for instance in self.instances:
            process = instance.process
            if process is None:
                continue
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    # ---------------------------------------------------------------- the link

    def pause(self) -> None:
        """Cut the link: every instance pauses every other device; returns once all are apart."""
        for instance in self.instances:
            for other in self.others(instance):
                instance.post("/rest/system/pause", {"device": other.device_id})
        self.wait_until(self._all_apart, "the devices to disconnect after pause")

    def resume(self) -> None:
        for instance in self.instances:
            for other in self.others(instance):
                instance.post("/rest/system/resume", {"device": other.device_id})

    def others(self, instance: Instance) -> list[Instance]:
        return [other for other in self.instances if other is not instance]

    def _all_apart(self) -> str | None:
        for instance in self.instances:
            for other in self.others(instance):
                state = instance.connection(other)
                if state.get("connected"):
                    return f"{instance.name} is still connected to {other.name}"
        return None

    def scan(self) -> None:
        for instance in self.instances:
            instance.scan()

    # ---------------------------------------------------------------- waiting

    def wait_until(
        self, not_yet: Callable[[], str | None], what: str, timeout: float = CONVERGE_TIMEOUT
    ) -> None:
        """Wait until ``not_yet()`` returns None (it returns why not otherwise), waking on the
        instances' events; fail after ``timeout`` seconds with both sides' state and logs."""
        deadline = time.monotonic() + timeout
        turn = 0
        while True:
            for instance in self.instances:
                if not instance.alive():
                    raise SyncthingError(f"{instance.name}: Syncthing exited\n{self.report()}")
            reason = not_yet()
            if reason is None:
                return
            if time.monotonic() > deadline:
                raise SyncthingError(
                    f"Waited {timeout:.0f} s for {what}; still: {reason}\n{self.report()}"
                )
            self.instances[turn % len(self.instances)].wait_for_event(timeout=1)
            turn += 1

    def wait_converged(self, timeout: float = CONVERGE_TIMEOUT) -> None:
        """Scan every side, then wait until the devices are connected, every folder is idle with
        nothing needed, every device is 100 % complete as every other knows it, and every copy
        of the folder holds the same files with the same bytes, twice in a row."""
        self.scan()
        streak = 0

        def not_yet() -> str | None:
            nonlocal streak
            reason = self._converged()
            streak = streak + 1 if reason is None else 0
            if reason is None and streak < 2:
                return "converged once; checking it holds"
            return reason

        self.wait_until(not_yet, "the folders to converge", timeout)

    def _converged(self) -> str | None:
        statuses = {}
        for instance in self.instances:
            for other in self.others(instance):
                if not instance.connection(other).get("connected"):
                    return f"{instance.name} is not connected to {other.name}"
            status = instance.status()
            statuses[instance.name] = status
            if status["state"] != "idle":
                return f"{instance.name} is {status['state']}"
            if status["needTotalItems"] or status["pullErrors"]:
                return (
                    f"{instance.name} needs {status['needTotalItems']} items "
                    f"({status['pullErrors']} pull errors)"
                )
            for other in self.others(instance):
                completion = instance.completion(other)
                if completion["completion"] < 100 or completion["needItems"]:
                    return (
                        f"{other.name} is {completion['completion']:.1f} % complete "
                        f"as {instance.name} sees it"
                    )
        globals_ = {(s["globalFiles"], s["globalBytes"]) for s in statuses.values()}
        if len(globals_) > 1:
            return f"global files and bytes differ: {globals_}"
        first, *rest = self.instances
        files = first.files()
        for instance in rest:
            theirs = instance.files()
            if theirs != files:
                differ = sorted(
                    name for name in set(files) | set(theirs) if files.get(name) != theirs.get(name)
                )
                return f"{first.name} and {instance.name} differ in {differ}"
        return None

    def report(self) -> str:
        """Each side's folder and the tail of its Syncthing log, for a failure message."""
        parts = []
        for instance in self.instances:
            running = "running" if instance.alive() else "NOT RUNNING"
            parts.append(
                f"--- {instance.name} ({instance.device_id}, {running}) folder {instance.folder}:\n"
                f"{describe_files(instance.files())}\n"
                f"--- {instance.name} Syncthing log (last {LOG_LINES} lines):\n"
                f"{instance.log_tail()}"
            )
        return "\n".join(parts)


@contextmanager
def running_cluster(root: Path, names: Sequence[str]) -> Iterator[Cluster]:
    """Syncthing instances named ``names`` under ``root``, stopped however the block ends."""
    cluster = Cluster()
    try:
        cluster.start(root, names)
        yield cluster
    finally:
        cluster.stop()
