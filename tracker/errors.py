"""Exit codes (cli.md) and the one base class of the refusals a user can meet.

Every error the core raises for the user to read derives from ``TrackerError`` and carries
its exit code, so the command line has one ``except`` for them and the app one handler.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_UNEXPECTED = 1  # anything unexpected; also a data folder that stays busy
EXIT_USAGE = 2  # bad usage or an invalid value: nothing written
EXIT_DATA_FILE = 3  # a data file cannot be used: it is left untouched


class TrackerError(Exception):
    """A refusal with a one-line message for the user and the exit code of cli.md."""

    exit_code: int = EXIT_UNEXPECTED
