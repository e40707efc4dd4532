"""Files that hold the user's health diary outside the data folder: exports and reports.

Written owner-only (0600) and atomically, like the data files themselves, by every face (the
command line's ``--out``, the app's report action), so this lives in the core.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_private_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as the data is kept: owner-only (0600), atomically.

    An export or a report holds the user's health diary, so it is created readable by its
    owner only, like the data folder; written beside its target and renamed over it, so that
    a crash never leaves half a backup. A path that is not a regular file (``/dev/stdout``)
    is written in place.
    """
    if path.exists() and not path.is_file():
        with path.open("w", encoding="utf-8") as out:
            out.write(text)
        return
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(fd, 0o600)
            payload = memoryview(text.encode("utf-8"))
            while payload:
                payload = payload[os.write(fd, payload) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
