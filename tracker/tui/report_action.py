"""Making the report for the physiotherapist from the app: one action, from Trends or the palette.

The entries the report needs (the months of its period and of the diary's first two weeks,
``report.read_for_report``) are taken from the store on the UI thread; building the HTML and
writing it run in a thread, and a notification says where the file went ("Saved report to
..."), or why it could not be written.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.records import Entry
from tracker.text import printable

if TYPE_CHECKING:
    from tracker.tui.app import TrackerApp

DEFAULT_WEEKS = 4  # as `tracker report`


def make_report(app: TrackerApp, weeks: int = DEFAULT_WEEKS) -> None:
    """Save the HTML report of the ``weeks`` weeks up to today in the documents folder."""
    if not app.loaded:
        app.notify("Still reading your entries: try again in a moment.", markup=False)
        return
    from tracker.report import read_for_report

    # Only the months the report shows and the diary's first two weeks (a few months, however
    # long the diary), read here on the UI thread, which owns the store.
    entries = read_for_report(app.store, weeks=weeks, until=app.today)
    app.notify("Making the report…", markup=False, timeout=3)
    app.run_worker(
        lambda: _save(app, entries, app.today, weeks),
        thread=True,
        group="report",
        exclusive=True,
        name="report",
    )


def _save(app: TrackerApp, entries: list[Entry], today: date, weeks: int) -> None:
    from tracker import report

    try:
        path = report.save_report(
            entries, until=today, weeks=weeks, week_start=app.settings.week_start_index
        )
    except OSError as error:
        target = report.default_report_path(today)
        message = f"Could not write {target}: {error.strerror or error}"
        app.call_from_thread(
            app.notify, printable(message), title="No report", severity="error", markup=False
        )
        return
    app.call_from_thread(_say_saved, app, path)


def _say_saved(app: TrackerApp, path: Path) -> None:
    app.notify(
        printable(f"Saved report to {path}. Open it in a web browser to print it."),
        title="Report for your physiotherapist",
        timeout=12,
        markup=False,
    )
