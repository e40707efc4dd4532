"""What the keys do to entries, shared by Today and History: new, edit, delete, undo.

Screens decide which entry is selected; these functions open the form or the question and
talk to the store, so that both screens behave the same way.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from tracker.kinds import kind_of
from tracker.records import KIND_LABELS, Entry
from tracker.tui.format import printable, short_date, table_figures

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from tracker.store import UndoResult
    from tracker.tui.app import Refusal, TrackerApp


def describe(entry: Entry) -> str:
    """``tempo lunges on Wed 25 Nov 2026``."""
    return f"{KIND_LABELS[entry['kind']].lower()} on {short_date(entry['date'])}"


def write_failed(app: TrackerApp, error: Refusal) -> None:
    """A write that did not happen: say so, in words, as an error."""
    app.notify(printable(str(error)), title="Not saved", severity="error", timeout=8, markup=False)


def say_written(
    app: TrackerApp, what: str, warning: str | None, *, then: str = "", title: str = ""
) -> None:
    """What a write did: ``what``, then ``then`` ("Press u to undo.").

    With the store's ``warning`` (the change is written but its undo step is not: a full disk),
    the warning is the message instead, under ``what``, so that nobody counts on an undo.
    """
    if warning is None:
        app.notify(printable(f"{what} {then}".strip()), title=title, markup=False)
        return
    app.notify(
        printable(warning[:1].upper() + warning[1:]),
        title=printable(what),
        severity="warning",
        timeout=8,
        markup=False,
    )


def open_new(app: TrackerApp, kind: str, day: date) -> AwaitMount:
    """The form for a new entry of ``kind`` on ``day``; await the answer to have it mounted,
    its first field focused.

    An exercise form starts from the last entry of its kind, so ``l`` ``enter`` repeats the last
    lunge session; any other kind starts empty. ``s`` on a day that has a check-in opens that
    check-in, to be replaced.
    """
    from tracker.tui.screens.forms import EntryForm

    store = app.store
    if kind == "checkin":  # the store's rule: one check-in per date
        existing = store.checkin_on(day)
        if existing is not None:
            return app.push_screen(EntryForm(kind, day=day, entry=existing, replacing=True))
    template = store.last_of_kind(kind) if kind_of(kind).is_exercise else None
    return app.push_screen(EntryForm(kind, day=day, template=template))


def open_edit(app: TrackerApp, entry: Entry) -> None:
    from tracker.tui.screens.forms import EntryForm

    app.push_screen(EntryForm(entry["kind"], day=date.fromisoformat(entry["date"]), entry=entry))


def confirm_delete(app: TrackerApp, entry: Entry) -> None:
    """Ask, then delete ``entry`` (in the write worker); ``u`` brings it back."""
    from tracker.tui.screens.confirm import ConfirmScreen

    def deleted(_entry: Entry, warning: str | None) -> None:
        say_written(app, f"Deleted {describe(entry)}.", warning, then="Press u to undo.")

    def not_deleted(error: Refusal) -> None:
        from tracker.store import EntryNotFound

        if isinstance(error, EntryNotFound):
            app.notify(f"The {describe(entry)} was deleted elsewhere already.", markup=False)
        else:
            write_failed(app, error)

    def answered(yes: bool | None) -> None:
        if yes:
            app.write(lambda store: store.delete(entry["id"]), done=deleted, failed=not_deleted)

    question = f"Delete the {describe(entry)}?"
    app.push_screen(
        ConfirmScreen(question, detail=table_figures(entry), confirm_label="Delete"), answered
    )


def undo(app: TrackerApp) -> None:
    """Revert the last add, edit or delete through the store, and say what was undone."""

    def undone(result: UndoResult | None, warning: str | None) -> None:
        if result is None:
            app.notify("Nothing to undo.", markup=False)
            return
        # The store's words, with its dates as the app names days (the store may say 2026-11-20).
        say_written(app, result.description, warning, title="Undone")

    def failed(error: Refusal) -> None:
        app.notify(printable(str(error)), title="Undo failed", severity="error", markup=False)

    app.write(lambda store: store.undo(), done=undone, failed=failed)
