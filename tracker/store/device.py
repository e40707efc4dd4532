"""This device's name: what its files in a shared data folder are called.

The name lives outside the data folder (beside the settings file), because the data folder is
what a sync tool copies to the other devices: a name kept in it would travel with it and make
two machines write the same files. ``TRACKER_DEVICE`` overrides it (tests, several diaries).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from tracker.config_folder import config_folder
from tracker.errors import EXIT_USAGE, TrackerError
from tracker.private_files import write_private_file
from tracker.store.layout import DEVICE_RULE, is_device_name

DEVICE_FILE = "device"
ENVIRONMENT = "TRACKER_DEVICE"


class DeviceNameError(TrackerError):
    exit_code = EXIT_USAGE


def device_file() -> Path:
    """Beside the settings: ``~/.config/tracker/device`` on Linux (TRACKER_SETTINGS aside:
    the name belongs to the machine, not to one settings file)."""
    return config_folder() / DEVICE_FILE


def suggested_name(hostname: str, suffix: str) -> str:
    """``laptop-3f9a`` from the host name: readable in a file name, unique with its suffix."""
    base = re.sub(r"[^a-z0-9]+", "-", hostname.lower().split(".")[0]).strip("-")[:20].strip("-")
    return f"{base or 'device'}-{suffix}"


def saved_device_name() -> str | None:
    """This machine's name if it has one already (``TRACKER_DEVICE`` or the saved file);
    None before its first write. Never creates the file: for faces that only look."""
    if os.environ.get(ENVIRONMENT) is None and not device_file().exists():
        return None
    return device_name()


def device_name() -> str:
    """``TRACKER_DEVICE``, else the name saved for this machine, chosen and saved if none."""
    named = os.environ.get(ENVIRONMENT)
    if named is not None:
        if not is_device_name(named):
            raise DeviceNameError(f"{ENVIRONMENT}: {named!r} is not a device name ({DEVICE_RULE})")
        return named
    path = device_file()
    try:
        saved = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        saved = ""
    except (OSError, UnicodeDecodeError) as error:
        raise DeviceNameError(f"cannot read the device name in {path}: {error}") from None
    if saved:
        if not is_device_name(saved):
            raise DeviceNameError(
                f"{path}: {saved!r} is not a device name ({DEVICE_RULE}); fix or delete the file"
            )
        return saved
    import socket  # only the first write of a machine pays for it

    return _claim(path, suggested_name(socket.gethostname(), os.urandom(2).hex()))


def _claim(path: Path, name: str) -> str:
    """Save ``name`` unless another process saved one first; the saved name either way.

    Two commands started at once on a new machine must not pick two names: the file is
    written in full under a temporary name, then linked into place, which fails if it exists.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    write_private_file(temp, name + "\n")
    try:
        os.link(temp, path)
    except FileExistsError:
        return device_name()
    finally:
        temp.unlink(missing_ok=True)
    return name
