"""What the keys do to entries, shared by Today and History: new, edit, delete, undo, redo.

Screens decide which entry is selected; these functions open the form or the question and
talk to the store, so that both screens behave the same way.

Undo reaches back only as far as today without asking (issue 14: opening the app the next
morning and pressing ``u`` silently removed the evening's lunge session): a change made before
today, or at a time the journal does not know, is undone only after a yes to a question that
says when it was made and what it was.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from tracker.kinds import kind_of
from tracker.records import KIND_LABELS, Entry
from tracker.tui.format import printable, short_date, table_figures

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from tracker.store import Store, UndoResult, UndoStep
    from tracker.tui.app import Refusal, TrackerApp

UNDO_HINT = "(u to undo)"
REDO_HINT = "U to redo"


def describe(entry: Entry) -> str:
    """``tempo lunges on Wed 25 Nov 2026``."""
    return f"{KIND_LABELS[entry['kind']].lower()} on {short_date(entry['date'])}"


def write_failed(app: TrackerApp, error: Refusal) -> None:
    """A write that did not happen: say so, in words, as an error."""
    app.notify(printable(str(error)), title="Not saved", severity="error", timeout=8, markup=False)


def say_written(
    app: TrackerApp, what: str, warning: str | None, *, then: str = UNDO_HINT, title: str = ""
) -> None:
    """What a write did: ``what``, then ``then``: "Logged check-in on Tue 24 Nov 2026 (u to
    undo)", so that every save says how to take it back.

    With the store's ``warning`` (the change is written but its undo step is not: a full disk),
    the warning is the message instead, under ``what``, so that nobody counts on an undo.
    """
    if warning is None:
        said = f"{what.rstrip('.')} {then}" if then else what
        app.notify(printable(said), title=title, markup=False)
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
    if kind == "plan":
        return open_plan(app, day)
    template = store.last_of_kind(kind) if kind_of(kind).is_exercise else None
    if template is not None or kind_of(kind).is_exercise:
        template = with_plan(store.entries_of_kind("plan"), kind, day, template)
    return app.push_screen(EntryForm(kind, day=day, template=template))


def with_plan(entries: list[Entry], kind: str, day: date, last: Entry | None) -> Entry | None:
    """An exercise form's starting values: the plan in force on ``day`` for what it sets (sets,
    reps, tempo ...), the last entry of the kind for the rest (side, exercise name ...)."""
    from tracker import analysis
    from tracker.kinds.plan import PLANNED

    plan = analysis.plans_in_force(entries, day).get(kind)
    if plan is None:
        return last
    base: Entry = dict(last) if last is not None else {"date": plan["date"]}
    for name in PLANNED.get(kind, ()):
        if plan[name] is not None:
            base[name] = plan[name]
    return base


def open_plan(app: TrackerApp, day: date, entry: Entry | None = None) -> AwaitMount:
    """``p``: which exercise, then its plan form, prefilled from the plan in force on ``day``."""
    from tracker import analysis
    from tracker.tui.screens.plan_form import PlanChooser, PlanForm

    if entry is not None:
        form = PlanForm(entry["exercise"], day=date.fromisoformat(entry["date"]), entry=entry)
        return app.push_screen(form)

    def chosen(exercise: str | None) -> None:
        if exercise is None:
            return
        plans = app.store.entries_of_kind(analysis.PLAN_KIND)
        template = analysis.plans_in_force(plans, day).get(exercise)
        app.push_screen(PlanForm(exercise, day=day, template=template))

    return app.push_screen(PlanChooser(), chosen)


def open_edit(app: TrackerApp, entry: Entry) -> AwaitMount:
    """The form of ``entry``; awaiting it keeps the keys typed after ``e`` for the form."""
    from tracker.tui.screens.forms import EntryForm

    if entry["kind"] == "plan":
        return open_plan(app, date.fromisoformat(entry["date"]), entry)
    return app.push_screen(
        EntryForm(entry["kind"], day=date.fromisoformat(entry["date"]), entry=entry)
    )


def confirm_delete(app: TrackerApp, entry: Entry) -> None:
    """Ask, then delete ``entry`` (in the write worker); ``u`` brings it back."""
    from tracker.tui.screens.confirm import ConfirmScreen

    def deleted(_entry: Entry, warning: str | None) -> None:
        say_written(app, f"Deleted {describe(entry)}.", warning)

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
        ConfirmScreen(
            question, detail=table_figures(entry, app.settings.distance), confirm_label="Delete"
        ),
        answered,
    )


def undo(app: TrackerApp) -> None:
    """Revert the last add, edit or delete through the store, and say what was undone.

    A change made today is undone at once; an older one (or one of unknown age) only after the
    user says yes to a question naming its day and what it did.
    """
    today = app.today

    def undo_if_today(store: Store) -> tuple[UndoStep | None, UndoResult | None]:
        step = store.last_undo()
        if step is None or step.made_before(today):
            return step, None  # nothing to undo, or ask first
        return step, store.undo(step)

    def looked(answer: tuple[UndoStep | None, UndoResult | None], warning: str | None) -> None:
        step, result = answer
        if step is None:
            app.notify("Nothing to undo.", markup=False)
        elif result is None:
            ask_before_undoing(app, step)
        else:
            undone(app, result, warning)

    app.write(undo_if_today, done=looked, failed=partial(not_changed, app, "Undo failed"))


def ask_before_undoing(app: TrackerApp, step: UndoStep) -> None:
    """ "The last change was made yesterday, Tue 24 Nov 2026: added tempo lunges on Tue 24 Nov
    2026. Undo it?" A yes undoes exactly that step (another tracker may change the history
    meanwhile: then the store refuses, and nothing is undone)."""
    from tracker.tui.screens.confirm import ConfirmScreen

    def answered(yes: bool | None) -> None:
        if yes:
            app.write(
                lambda store: store.undo(step),
                done=lambda result, warning: undone(app, result, warning),
                failed=partial(not_changed, app, "Undo failed"),
            )
        else:
            app.notify("Nothing was undone.", markup=False)

    question = f"The last change was made {step.when(app.today)}: {step.description}. Undo it?"
    app.push_screen(ConfirmScreen(printable(question), confirm_label="Undo"), answered)


def undone(app: TrackerApp, result: UndoResult | None, warning: str | None) -> None:
    if result is None:
        app.notify("Nothing to undo.", markup=False)
        return
    # The store's words, with its dates as the app names days (the store may say 2026-11-20).
    say_written(app, result.description, warning, then="", title=f"Undone: {REDO_HINT}")


def redo(app: TrackerApp) -> None:
    """Make the last undone change again (``U``, ``ctrl+shift+z``), and say what was redone."""

    def redone(result: UndoResult | None, warning: str | None) -> None:
        if result is None:
            app.notify("Nothing to redo.", markup=False)
            return
        say_written(app, result.description, warning, title="Redone")

    app.write(
        lambda store: store.redo(), done=redone, failed=partial(not_changed, app, "Redo failed")
    )


def not_changed(app: TrackerApp, title: str, error: Refusal) -> None:
    app.notify(printable(str(error)), title=title, severity="error", markup=False)
