"""The tracker app: one factory for the command line and the tests.

The first frame must not wait for ten years of entries: the store is imported, opened and read
in a thread worker that answers with a message, and the screens show "Loading" until then.
After that, ``store.refresh()`` runs every second so that an entry logged with ``tracker log``
in another terminal shows up here; every change, ours or theirs, bumps ``data_version``, which
the screens watch.

Writes (add, edit, delete, undo) never run on the UI thread: another tracker process may hold
the data folder's lock for up to ten seconds, and the app must go on answering keys meanwhile.
``write()`` runs each change in a thread worker, one after another in the order asked, through
a second ``Store`` (``writer``) that only that worker uses: a ``Store`` is not thread-safe, and
the screens read ``store`` at any moment. The answer comes back on the UI thread, after
``store`` has re-read what changed.

The user's settings (``app.settings``) come from ``tracker``, which reads the file before the
app opens. The app changes two of them: the theme (chosen in the palette) and the welcome (shown
until dismissed). ``remember()`` writes such a change in a thread worker; a file that cannot be
written is a notification, never the end of the app: the change holds for this session.

One error path: what the core refuses (a ``TrackerError``: invalid, busy, changed elsewhere, an
unusable file) or the system does (an ``OSError``: a full disk) is answered in words; anything
else is a bug, and the worker's error ends the app with its traceback (``exit_on_error``).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, TypeVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from tracker.errors import TrackerError
from tracker.settings import Settings
from tracker.text import printable
from tracker.tui.screens.today import TodayScreen

if TYPE_CHECKING:
    from tracker.store import Store

POLL_SECONDS = 1.0
Result = TypeVar("Result")
# What the core (or the system) may answer a read or a change with, in words for the user.
Refusal: TypeAlias = TrackerError | OSError
REFUSALS = (TrackerError, OSError)
# Actions that need the entries loaded; the bindings stay dim until they are.
DATA_ACTIONS = frozenset({"undo", "redo"})
# App keys that make no sense while a form or dialog is open (the user guide: outside a form).
OUTSIDE_MODALS = frozenset({"switch_mode", "undo", "redo", "quit"})
# Of those, the ones the footer still shows (dimmed) under a form: the way out and undo stay
# where they always are, so the user never wonders where they went.
DIMMED_IN_MODALS = frozenset({"undo", "quit"})


def _history_screen() -> Screen[None]:
    from tracker.tui.screens.history import HistoryScreen

    return HistoryScreen()


def _trends_screen() -> Screen[None]:
    """TrendsScreen pulls in plotext, so it is imported on the first visit only."""
    from tracker.tui.screens.trends import TrendsScreen

    return TrendsScreen()


class TrackerApp(App[int]):
    """Daily logging of knee and back symptoms and rehab exercises."""

    CSS_PATH = Path(__file__).with_name("tracker.tcss")  # absolute: subclasses live elsewhere
    TITLE = "tracker"
    # Today is the default screen of the "today" mode rather than an entry of MODES: a mode
    # built from MODES re-parses the whole stylesheet when first shown (about 100 ms here),
    # which the first frame would pay. It joins MODES once it exists (on_mount).
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        "history": _history_screen,
        "trends": _trends_screen,
    }
    DEFAULT_MODE = "today"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "switch_mode('today')", "Today", id="today"),
        Binding("2", "switch_mode('history')", "History", id="history"),
        Binding("3", "switch_mode('trends')", "Trends", id="trends"),
        Binding("u", "undo", "Undo", id="undo"),
        # Shown in help and the palette; the footer has no room for it at 80 columns. Two
        # bindings, so that help spells the second key out (Textual shows it as "shift+^z").
        Binding("U", "redo", "Redo", id="redo", show=False),
        Binding(
            "ctrl+shift+z",
            "redo",
            "Redo",
            id="redo-ctrl",
            show=False,
            key_display="ctrl+shift+z",
        ),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    data_version: reactive[int] = reactive(0, init=False)
    """Bumped after every change to the entries: our writes, undo, and other processes' writes."""
    loaded: reactive[bool] = reactive(False, init=False)
    """True once the entries have been read; screens show "Loading" before."""

    @dataclass
    class Loaded(Message):
        """The load worker has read every entry."""

    @dataclass
    class LoadFailed(Message):
        """The load worker could not use the data folder."""

        error: Refusal

    def __init__(
        self, data_dir: Path, today: date | None = None, settings: Settings | None = None
    ) -> None:
        super().__init__()
        self.data_dir = Path(data_dir)
        self.settings = settings or Settings()
        """The user's settings (theme, km or miles, date order, week start, welcome); changes
        made in the app (``remember``) show here at once, whether or not the file took them."""
        self._settings_lock = threading.Lock()
        self._fixed_today = today
        self._store: Store | None = None
        self._store_lock = threading.Lock()
        self._poll_timer: Timer | None = None
        self.failed = False
        self._writer: Store | None = None
        self._last_write = threading.Event()
        self._last_write.set()
        self.writes_pending = 0
        self._quit_when_written = False

    # ------------------------------------------------------------------ the core

    @property
    def today(self) -> date:
        """The fixed "today" of the tests, else the local date (read each time: midnight)."""
        return self._fixed_today or date.today()

    @property
    def store(self) -> Store:
        """The data folder. Built on first use: importing it costs start-up time."""
        with self._store_lock:
            if self._store is None:
                self._store = self._open_store()
            return self._store

    @property
    def writer(self) -> Store:
        """The store the write worker changes the files through; no other thread uses it."""
        with self._store_lock:
            if self._writer is None:
                self._writer = self._open_store()
            return self._writer

    def _open_store(self) -> Store:
        from tracker.store import Store

        return Store(self.data_dir, today=lambda: self.today)

    def data_changed(self) -> None:
        """Tell every screen that the entries changed (call after a successful write)."""
        self.data_version += 1

    # ------------------------------------------------------------------ writing

    def write(
        self,
        change: Callable[[Store], Result],
        *,
        done: Callable[[Result, str | None], None],
        failed: Callable[[Refusal], None],
        busy: Callable[[], None] | None = None,
    ) -> None:
        """Run ``change(writer)`` in a thread; then ``done(result, warning)`` or
        ``failed(error)`` here.

        ``warning`` is the writer's ``Store.warning``: set when the change was written but not
        its undo step (a full disk), so that ``done`` says so instead of a plain "Saved".
        When another process holds the data folder, ``busy()`` says so first (by default a
        notification) while the write waits for it; after ``lock.WAIT_SECONDS`` the store gives
        up with a ``BusyError``, which goes to ``failed`` like any other refusal.
        """
        previous, finished = self._last_write, threading.Event()
        self._last_write = finished
        self.writes_pending += 1
        self._write_in_thread(change, done, failed, busy or self._say_busy, previous, finished)

    @work(thread=True, group="write")
    def _write_in_thread(
        self,
        change: Callable[[Store], Result],
        done: Callable[[Result, str | None], None],
        failed: Callable[[Refusal], None],
        busy: Callable[[], None],
        previous: threading.Event,
        finished: threading.Event,
    ) -> None:
        try:
            previous.wait()  # the writes run in the order they were asked for
            if self._folder_busy():
                self._answer(busy)
            writer = self.writer
            try:
                result = change(writer)
            except REFUSALS as error:
                self._answer(partial(self._written, partial(failed, error), ok=False))
            else:
                # The warning is the writer's (the screens' ``store`` wrote nothing), read before
                # its next change resets it.
                answer = partial(done, result, writer.warning)
                self._answer(partial(self._written, answer, ok=True))
        finally:
            finished.set()

    def _folder_busy(self) -> bool:
        """Whether another process holds the data folder's lock right now (a quick look)."""
        from tracker.store.lock import BusyError, FolderLock

        if not self.data_dir.is_dir():
            return False
        try:
            with FolderLock(self.data_dir, wait_seconds=0).held():
                return False
        except BusyError:
            return True
        except OSError:
            return False  # the write itself will say what is wrong

    def _answer(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` on the UI thread (from the write worker)."""
        with contextlib.suppress(RuntimeError):  # the app has closed; the write is complete
            self.call_from_thread(callback)

    def _say_busy(self) -> None:
        from tracker.store import lock

        self.notify(
            "Busy: another tracker is writing; saving when it is free "
            f"(at most {lock.WAIT_SECONDS:.0f} s).",
            markup=False,
        )

    def _written(self, answer: Callable[[], None], *, ok: bool) -> None:
        """A write is over: bring ``store`` up to date, tell the screens, then the caller."""
        self.writes_pending -= 1
        changed = False
        if self.loaded and not self.failed:
            from tracker.store import DataFileError

            try:
                changed = self.store.refresh()
            except DataFileError as error:
                self.show_fatal(error)
            except REFUSALS:
                pass  # the poll timer tries again
        if ok or changed:
            self.data_changed()
        answer()
        if self._quit_when_written and not self.writes_pending:
            self.exit()

    # ------------------------------------------------------------------ loading

    def get_default_screen(self) -> Screen[Any]:
        return TodayScreen()

    def on_mount(self) -> None:
        self.add_mode("today", TodayScreen)
        self._apply_saved_theme()
        if self.settings.welcome:
            self.action_welcome()
        # The worker exists from the start (tests wait for it), but it reads only after the
        # first frame is on screen, so its parsing does not compete with the first paint.
        self._first_frame = threading.Event()
        self.call_after_refresh(self._first_frame.set)
        self._load()

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        self._first_frame.wait(timeout=2.0)
        try:
            self.store.entries()
        except REFUSALS as error:
            self.post_message(self.LoadFailed(error))
        else:
            self.post_message(self.Loaded())

    @on(Loaded)
    def _on_loaded(self) -> None:
        self.loaded = True
        self.data_changed()
        self.refresh_bindings()
        self._poll_timer = self.set_interval(POLL_SECONDS, self.poll_store, name="poll store")

    @on(LoadFailed)
    def _on_load_failed(self, message: LoadFailed) -> None:
        self.show_fatal(message.error)

    def poll_store(self) -> None:
        """Pick up entries another process wrote (``tracker log`` in another terminal)."""
        if self.failed or not self.loaded:
            return
        from tracker.store import DataFileError

        try:
            changed = self.store.refresh()
        except DataFileError as error:
            self.show_fatal(error)
            return
        except REFUSALS:
            return  # another process is writing; try again next tick
        if changed:
            self.data_changed()

    def show_fatal(self, error: Refusal) -> None:
        """A data folder that cannot be used: say which file and why, write nothing, quit."""
        from tracker.tui.screens.fatal import FatalErrorScreen

        if self.failed:
            return
        self.failed = True
        if self._poll_timer is not None:
            self._poll_timer.stop()
        self.refresh_bindings()
        self.push_screen(FatalErrorScreen(error))

    # ------------------------------------------------------------------ settings

    def remember(self, changes: Mapping[str, object], *, unsaved: str = "") -> None:
        """Use ``changes`` to the settings now and write them to the settings file in a thread.

        When the file cannot be written (a read-only folder, a file edited by hand into
        something invalid), a warning says so, with ``unsaved``: what that means next time.
        """
        self.settings = self.settings._replace(**changes)  # type: ignore[arg-type]
        self._save_settings(dict(changes), unsaved)

    @work(thread=True, group="settings")
    def _save_settings(self, changes: dict[str, object], unsaved: str) -> None:
        from tracker.settings import save_settings

        with self._settings_lock:  # one read-modify-write of the file at a time
            try:
                save_settings(changes)
            except REFUSALS as error:
                self._answer(partial(self._settings_not_saved, error, unsaved))

    def _settings_not_saved(self, error: Refusal, unsaved: str) -> None:
        message = f"Your settings could not be saved: {error}"
        if unsaved:
            message += f" {unsaved}"
        self.notify(printable(message), title="Not saved", severity="warning", markup=False)

    def _apply_saved_theme(self) -> None:
        """The theme of the settings; one this Textual does not know leaves the default."""
        name = self.settings.theme
        if name is None or name == self.theme:
            return
        if name in self.available_themes:
            self.theme = name
            return
        self.notify(
            printable(
                f'The theme "{name}" in your settings is not one tracker knows, so it uses the '
                'default. Choose another with ctrl+p, then "Theme".'
            ),
            severity="warning",
            timeout=10,
            markup=False,
        )

    def watch_theme(self, name: str) -> None:
        """A theme chosen (in the palette) is kept for the next start."""
        if name != self.settings.theme:
            self.remember({"theme": name}, unsaved="The theme is kept until tracker closes.")

    def action_welcome(self) -> None:
        from tracker.tui.screens.welcome import WelcomeScreen

        if not isinstance(self.screen, WelcomeScreen):
            self.push_screen(WelcomeScreen())

    # ------------------------------------------------------------------ actions

    def _screen_in_use(self) -> Screen[object]:
        """The screen the user works in: the one under the command palette while it is open.

        The palette is a modal screen too; without this, it would hide the keys "outside a form"
        (screens, undo, quit) from the very list that should offer every action.
        """
        screen: Screen[object] = self.screen
        for screen in reversed(self.screen_stack):
            if not isinstance(screen, CommandPalette):
                break
        return screen

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.failed:
            return action in {"quit", "help"}
        in_use = self._screen_in_use()
        if action in OUTSIDE_MODALS and isinstance(in_use, ModalScreen):
            return None if action in DIMMED_IN_MODALS else False
        if (
            action == "switch_mode"
            and parameters
            and parameters[0] == self.current_mode
            and in_use is self.screen
        ):
            return False  # hides the key of the screen already shown from the footer
        if action in DATA_ACTIONS and not self.loaded:
            return None
        return True

    async def action_quit(self) -> None:
        """Quit; a write still waiting for the data folder is finished first."""
        if self.writes_pending:
            self._quit_when_written = True
            self.notify("Saving first: tracker quits as soon as it is written.", markup=False)
            return
        self.exit()

    def action_undo(self) -> None:
        from tracker.tui.entry_actions import undo

        undo(self)

    def action_redo(self) -> None:
        from tracker.tui.entry_actions import redo

        redo(self)

    def action_help(self) -> None:
        from tracker.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette offers every keyed action of the screen, then Textual's own commands.

        The three screens are always there (Today, History, Trends), the one shown included, so
        that the palette lists the same places wherever it is opened.
        """
        seen: set[str] = set()
        titles: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.id or not binding.description or not active.enabled:
                continue
            if binding.id in seen or binding.description in titles:
                continue  # one line per action: redo has two keys
            seen.add(binding.id)
            titles.add(binding.description)
            key_name = self.get_key_display(binding)
            callback = partial(self._run_action_from_palette, binding.action, active.node)
            yield SystemCommand(
                binding.description, binding.tooltip or f"Key: {key_name or key}", callback
            )
        if "Report" not in titles:  # Trends offers it for the range shown; elsewhere 4 weeks
            yield SystemCommand(
                "Report",
                "Save a report for your physiotherapist (a web page to print): the last 4 weeks",
                self.action_report,
            )
        yield SystemCommand(
            "Export",
            "Every entry as a JSON file (a backup that `tracker import` reads): saved in your "
            "documents folder, or downloaded in a web browser",
            self.action_export,
        )
        yield SystemCommand(
            "Welcome",
            "What the scales mean, and where your entries and settings are kept",
            self.action_welcome,
        )
        for command in super().get_system_commands(screen):
            if command.title not in titles:  # Textual's own Quit duplicates ours
                yield command

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's Screenshot, saved where reports go: Textual's default is the Downloads
        folder, and without one the screenshot failed (issue 14)."""
        if path is None:
            from tracker.report import documents_folder

            path = str(documents_folder())
        return super().deliver_screenshot(filename, path, time_format)

    @on(events.DeliveryComplete)
    def _on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        """Say where the screenshot went; the path is text, never markup."""
        if event.name == "screenshot":
            where = "" if event.path is None else f" to {event.path}"
            self.notify(printable(f"Saved screenshot{where}"), title="Screenshot", markup=False)

    def action_report(self) -> None:
        from tracker.tui.report_action import make_report

        make_report(self)

    def action_export(self) -> None:
        from tracker.tui.export_action import export_entries

        export_entries(self)

    async def _run_action_from_palette(self, action: str, node: DOMNode) -> None:
        await self.run_action(action, node)


def create_app(
    data_dir: Path, today: date | None = None, settings: Settings | None = None
) -> TrackerApp:
    """The app for ``data_dir``; ``today`` fixes the date (tests), else the local date is used.

    ``settings`` are the user's, as ``tracker`` reads them (``load_settings()``): they decide
    the theme and whether the app opens with its welcome. Without them the app uses the
    defaults and opens on Today, no welcome: it was not started by a user who has never seen
    it, but by a test or another program that asked for the app itself.
    """
    if settings is None:
        settings = Settings(welcome=False)
    return TrackerApp(data_dir, today=today, settings=settings)
