"""The progress report for the user or their physiotherapist: one model, two renderers.

- ``content``: what the report says (``report_content`` -> ``Report``), pure;
- ``markdown``: the report as Markdown (``tracker report`` prints it);
- ``html``: one printable, self-contained HTML page (``tracker report --html``, the app);
- here: the two texts by name, where a report is saved by default, and ``save_report``,
  which the command line and the app both call; ``read_for_report`` reads the entries a
  report needs (the months of its period and of the diary's first two weeks), for both.

Saving: ``<documents folder>/tracker-report-YYYY-MM-DD.html`` (``.md``), named by the report's
last day. Saving the same day's report again replaces that file: it is the same report made
again, with whatever was logged since; a report of another day has a name of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from tracker.private_files import write_private_file
from tracker.records import Entry
from tracker.report.content import (
    calendar_weeks,
    days_needed,
    read_for_report,
    report_content,
)
from tracker.report.html import render_html
from tracker.report.markdown import markdown_cell, markdown_table, render_markdown
from tracker.report.model import Report

__all__ = [
    "FORMATS",
    "Report",
    "build_html",
    "build_report",
    "calendar_weeks",
    "days_needed",
    "default_report_path",
    "markdown_cell",
    "markdown_table",
    "read_for_report",
    "report_content",
    "save_report",
]

# Format name -> the file name's suffix.
FORMATS: dict[str, str] = {"html": ".html", "markdown": ".md"}


def build_report(
    entries: Iterable[Entry], *, weeks: int = 4, until: date, week_start: int = 0
) -> str:
    """The report for the ``weeks`` weeks ending on ``until`` (inclusive), as Markdown."""
    return render_markdown(report_content(entries, weeks=weeks, until=until, week_start=week_start))


def build_html(
    entries: Iterable[Entry], *, weeks: int = 4, until: date, week_start: int = 0
) -> str:
    """The same report as one self-contained, printable HTML page."""
    return render_html(report_content(entries, weeks=weeks, until=until, week_start=week_start))


def documents_folder() -> Path:
    """The user's documents folder when it exists as a folder, else the home folder, else the
    current one: choosing a place never fails because a folder is missing."""
    import platformdirs

    try:
        documents = Path(platformdirs.user_documents_dir())
        if documents.is_dir():
            return documents
    except (OSError, RuntimeError, KeyError):  # no home at all (HOME unset, no user entry)
        pass
    try:
        home = Path.home()
        if home.is_dir():
            return home
    except (OSError, RuntimeError, KeyError):
        pass
    return Path.cwd()


def default_report_path(today: date, *, fmt: str = "html") -> Path:
    """``<documents folder>/tracker-report-YYYY-MM-DD.html`` (``.md`` for Markdown)."""
    return documents_folder() / f"tracker-report-{today.isoformat()}{FORMATS[fmt]}"


def save_report(
    entries: Iterable[Entry],
    *,
    until: date,
    weeks: int = 4,
    path: Path | None = None,
    week_start: int = 0,
    fmt: str = "html",
) -> Path:
    """Write the report to ``path`` (None: ``default_report_path(until)``), owner-only (0600)
    and atomically, and return where it went. ``fmt`` is ``html`` or ``markdown``.

    Raises ``OSError`` when the file cannot be written (the caller names the path).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    content = report_content(entries, weeks=weeks, until=until, week_start=week_start)
    text = render_html(content) if fmt == "html" else render_markdown(content)
    target = default_report_path(until, fmt=fmt) if path is None else path.expanduser()
    write_private_file(target, text)
    return target
