"""Exporting every entry from the app: the palette's Export.

The same JSON array as ``tracker export`` (and ``tracker list --json``), which ``tracker
import`` reads back. In a terminal it is saved, owner-only, beside the reports (the documents
folder, else the home folder) as ``tracker-export-DATE.json``; in a web browser (``tracker
serve``) the browser downloads it, since its user may sit at another machine.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.records import Entry
from tracker.text import printable
from tracker.tui.report_action import deliver_download

if TYPE_CHECKING:
    from tracker.tui.app import TrackerApp

TITLE = "Export"
AFTER = "keep it as a backup; `tracker import` reads it back."


def export_file_name(today: date) -> str:
    return f"tracker-export-{today.isoformat()}.json"


def export_text(entries: list[Entry]) -> str:
    """As ``tracker export`` writes it (cli.py ``entries_json``)."""
    return json.dumps(list(entries), ensure_ascii=False, indent=2)


def export_entries(app: TrackerApp) -> None:
    """Save or download every entry as JSON; a notification says where it went."""
    if not app.loaded:
        app.notify("Still reading your entries: try again in a moment.", markup=False)
        return
    entries = list(app.store.entries())  # the in-memory copy, taken on the UI thread
    name = export_file_name(app.today)
    app.run_worker(lambda: _export(app, entries, name), thread=True, group="export", exclusive=True)


def _export(app: TrackerApp, entries: list[Entry], name: str) -> None:
    text = export_text(entries)
    if app.is_web:
        app.call_from_thread(
            deliver_download,
            app,
            text,
            name,
            mime_type="application/json",
            title=TITLE,
            after=AFTER,
        )
        return
    from tracker.private_files import write_private_file
    from tracker.report import documents_folder

    target = documents_folder() / name
    try:
        write_private_file(target, text)
    except OSError as error:
        message = f"Could not write {target}: {error.strerror or error}"
        app.call_from_thread(
            app.notify, printable(message), title="No export", severity="error", markup=False
        )
        return
    app.call_from_thread(_say_saved, app, target, len(entries))


def _say_saved(app: TrackerApp, path: Path, count: int) -> None:
    entries = "entry" if count == 1 else "entries"
    app.notify(
        printable(f"Saved {count} {entries} to {path}: {AFTER}"),
        title=TITLE,
        timeout=12,
        markup=False,
    )
