"""Where tracker keeps what belongs to this machine and user, not to the diary: settings and
the device name. Its own module, so that the quick add reads the device name without
importing the settings' parsing."""

from __future__ import annotations

import os
from pathlib import Path


def config_folder() -> Path:
    """tracker's folder in the platform's config folder (``~/.config/tracker`` on Linux).

    On Linux it is the XDG rule platformdirs follows, spelt out: every ``tracker log`` reads
    the device name kept here, and importing platformdirs cost 5-8 ms of a 50 ms command.
    tests/test_settings.py checks that both agree.
    """
    import sys

    if sys.platform.startswith("linux"):
        base = os.environ.get("XDG_CONFIG_HOME", "").strip() or os.path.expanduser("~/.config")
        return Path(base) / "tracker"
    import platformdirs  # only here: the quick commands that never read settings skip it

    return platformdirs.user_config_path("tracker")
