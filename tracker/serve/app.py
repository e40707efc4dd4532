"""The app process of one browser session: ``python -m tracker.serve.app --data DIR``.

textual-serve starts this with ``TEXTUAL_DRIVER`` set to Textual's web driver, standard input
and output being pipes to the server. ``tracker`` itself refuses to open the app without a
terminal (it would wait for keys forever), so the server starts the app through this module.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from tracker.errors import EXIT_OK, TrackerError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tracker.serve.app")
    parser.add_argument("--data", metavar="DIR", required=True, help="the data folder")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    # Ctrl+C at the terminal of `tracker serve` reaches its whole process group: the server
    # handles it and tells each app to quit, so the app does not end half-way on its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from tracker.settings import load_settings
    from tracker.tui.app import create_app

    pinned = os.environ.get("TRACKER_TODAY")
    try:
        settings = load_settings()
    except TrackerError as error:
        print(f"tracker: error: {error}", file=sys.stderr)
        return error.exit_code
    app = create_app(
        Path(args.data), today=date.fromisoformat(pinned) if pinned else None, settings=settings
    )
    app.run()
    return app.return_code or EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
