"""Making the report for the physiotherapist from the app: one action, from Trends or the palette.

The entries the report needs (the months of its period and of the diary's first two weeks,
``report.read_for_report``) are taken from the store on the UI thread; building the HTML and
writing it run in a thread, and a notification says where the file went ("Saved report to
..."), or why it could not be written. In a web browser (`tracker serve`) the page is not
written on the machine that serves it but handed to the browser as a download
(``App.deliver_text``), which is where its user is.
"""

from __future__ import annotations

import io
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
    work = _download if app.is_web else _save
    app.run_worker(
        lambda: work(app, entries, app.today, weeks),
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


def _download(app: TrackerApp, entries: list[Entry], today: date, weeks: int) -> None:
    from tracker import report

    page = report.build_html(
        entries, until=today, weeks=weeks, week_start=app.settings.week_start_index
    )
    name = report.default_report_path(today).name
    app.call_from_thread(
        deliver_download,
        app,
        page,
        name,
        mime_type="text/html",
        title="Report for your physiotherapist",
        after="open it from your browser's downloads to print it.",
    )


def deliver_download(
    app: TrackerApp, text: str, file_name: str, *, mime_type: str, title: str, after: str
) -> None:
    """Hand ``text`` to the browser as the file ``file_name`` (``tracker serve``), and say so;
    ``after`` ends the sentence: what to do with it."""
    app.deliver_text(
        io.StringIO(text),
        save_filename=file_name,
        mime_type=mime_type,
        encoding="utf-8",
        open_method="download",
        name=title,
    )
    app.notify(
        printable(f"Your browser is downloading {file_name}: {after}"),
        title=title,
        timeout=12,
        markup=False,
    )


def _say_saved(app: TrackerApp, path: Path) -> None:
    app.notify(
        printable(f"Saved report to {path}. Open it in a web browser to print it."),
        title="Report for your physiotherapist",
        timeout=12,
        markup=False,
    )
