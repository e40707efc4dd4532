"""Today: the check-in and exercises of one day, and the keys that log them.

The day starts as today; ``left``/``right`` move it (never past today) and ``home`` comes back,
so a forgotten evening is logged the next morning with ``left`` first. The arrows in the day
bar and its "back to today" do the same when clicked.

Every kind of entry comes from the kind registry (tracker/kinds): its key, its label, whether
it is an exercise. The keys are bound when the screen is built, not when this module is
imported, so a kind registered later has its key here, in the footer, in help and in the palette.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from tracker.kinds import Kind, all_kinds, kind_of
from tracker.records import Entry
from tracker.tui.format import LABEL_WIDTH, entry_card, long_date, relative_day, short_date
from tracker.tui.screens.base import TrackerScreen
from tracker.tui.widgets.footer import FitFooter
from tracker.tui.widgets.link import ActionLink

# The kinds' keys go before this binding, so that the footer reads: days, kinds, entry keys.
KIND_KEYS_BEFORE = "edit"
# From this width the day bar says "back to today"; below, "today".
WIDE_DAY_BAR = 72
# The questionnaires due, in the reminder's few words.
DUE_WORDS = {"koos": "knee", "rmdq": "back", "odi": "back", "pgic": "overall change"}
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def kind_binding(kind: Kind) -> Binding:
    """The key that opens a new entry of ``kind``: ``l`` "Lunges".

    Priority, with ``action_new`` waiting for the form to mount: the app then holds the keys
    typed right after it ("s3<tab>2...") until the form has focused its first field. Without
    it they reach Today, or the form's Date field, before the form is ready.
    """
    return Binding(
        kind.key,
        f"new('{kind.name}')",
        kind.short_label,
        id=f"log-{kind.name}",
        priority=True,
        # One logged now and then (the plan) is in help and the palette, not the footer.
        show=not kind.occasional,
    )


def with_kind_keys(bindings: BindingsMap, kinds: Iterable[Kind], taken: BindingsMap) -> BindingsMap:
    """``bindings`` with a key for each of ``kinds``, placed before the edit key.

    A kind's key must be free on Today and in the app (``taken``): a kind keyed ``e`` would
    hide Edit, so it is refused here, when the screen is built, naming both.
    """
    keys = bindings.key_to_bindings
    others = {key: binding.description for key, binding in [*bindings, *taken]}
    new: dict[str, list[Binding]] = {}
    for kind in kinds:
        if not kind.key:
            continue  # opened from a chooser, not a key of its own
        if kind.key in others:
            raise ValueError(
                f"the kind {kind.name!r} has the key {kind.key!r}, "
                f"which is already the key of {others[kind.key]!r}"
            )
        new[kind.key] = [kind_binding(kind)]
    ordered: dict[str, list[Binding]] = {}
    for key, key_bindings in keys.items():
        if any(binding.id == KIND_KEYS_BEFORE for binding in key_bindings):
            ordered.update(new)
        ordered[key] = key_bindings
    return BindingsMap.from_keys({**ordered, **new})  # after the rest if there is no edit key


def day_rank(kind: Kind) -> int:
    """Where Today shows a kind: the daily ones (the check-in), the exercises, then what
    happens now and then (events)."""
    return 2 if kind.occasional else 1 if kind.is_exercise else 0


def day_order() -> list[Kind]:
    """The registered kinds as Today shows them (``day_rank``), each rank in the order they
    were registered. A kind without a key (a questionnaire) is not among them: Today never
    asks for it, and it has no key to open its form."""
    return sorted((kind for kind in all_kinds() if kind.key), key=day_rank)


def all_logged(exercises: int) -> str:
    """``All three exercises logged for this day.``"""
    if exercises == 0:
        return ""
    if exercises == 1:
        return "The exercise is logged for this day."
    count = NUMBER_WORDS[exercises] if exercises < len(NUMBER_WORDS) else str(exercises)
    return f"All {count} exercises logged for this day."


def words_list(words: list[str], last: str = "or") -> str:
    """``a, b or c``."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def nothing_logged(day: date, today: date, kinds: list[Kind]) -> str:
    """What an empty day says instead of a blank box: what to press, in the kinds' words."""
    when = "today" if day == today else f"on {short_date(day)}"
    daily = [kind for kind in kinds if kind.is_daily]
    exercises = [kind for kind in kinds if kind.is_exercise]
    occasional = [kind for kind in kinds if kind.occasional]
    sentences = [f"Nothing logged {when} yet."]
    if daily:
        keys = words_list([f"{kind.key} for the {kind.label.lower()}" for kind in daily])
        sentences.append(f"Press {keys}: how your knee and back feel, a minute each evening.")
    if exercises:
        keys = words_list([kind.key for kind in exercises])
        names = words_list([kind.label.lower() for kind in exercises])
        sentences.append(f"After a session, press {keys} to log {names}.")
    for kind in occasional:
        label = kind.label.lower()
        article = "an" if label[:1] in "aeiou" else "a"
        sentences.append(f"Press {kind.key} to note {article} {label} when one happens.")
    return " ".join(sentences)


class DayEntries(OptionList):
    """The day's cards. A card's lines are wrapped by the screen to the list's width (hanging
    under their text, not under the label), so a new width asks the screen to redraw them."""

    _drawn_width = 0

    def card_width(self) -> int:
        """Cells a card may use: the list's content, less room kept for a scroll bar (were the
        bar to appear after the cards were wrapped, every wrapped line would wrap again)."""
        return max(self.content_region.width - self.styles.scrollbar_size_vertical, 0)

    def on_resize(self, _event: events.Resize) -> None:
        if self.card_width() != self._drawn_width and isinstance(self.screen, TodayScreen):
            self.screen.show_entries()


class TodayScreen(TrackerScreen[None]):
    """The day shown in the header, its check-in and its exercises."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the entry list would otherwise take left/right/home for itself.
        Binding("left", "previous_day", "Earlier", id="previous-day", priority=True),
        Binding("right", "next_day", "Later", id="next-day", priority=True),
        Binding(
            "home", "back_to_today", "Back to today", id="back-to-today", priority=True, show=False
        ),
        # Here come the kinds' keys (s check-in, l lunges, ...): see __init__.
        # Priority as the kinds' keys: keys typed right after it reach the form (issue 14).
        Binding("e", "edit", "Edit", id="edit", priority=True),
        Binding("d", "delete", "Delete", id="delete", show=False),
        # The questionnaires have no key each: k opens a chooser of them, due ones first.
        Binding("k", "questionnaire", "Questionnaire", id="questionnaire", priority=True),
    ]
    HELP_NOTES = (("up / down", "Select an entry of the day (for e and d)"),)
    # The footer drops these first when the terminal is narrow: the day bar shows ◀ ▶.
    FOOTER_LAST = ("previous-day", "next-day")

    day: reactive[date] = reactive(date.min, init=False)

    def __init__(self) -> None:
        super().__init__()
        # Textual keeps a copy of the class's bindings per instance (self._bindings): the
        # kinds' keys join that copy, so help and the palette, which read it, list them.
        self._bindings = with_kind_keys(self._bindings, day_order(), self.app._bindings)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="day-bar"):
            yield ActionLink(
                "◀", "previous_day", tooltip="The day before (left)", id="day-previous"
            )
            yield Static(id="day-title")
            yield ActionLink("▶", "next_day", tooltip="The day after (right)", id="day-next")
            yield Static(id="day-relative")
            yield ActionLink("back to today", "back_to_today", tooltip="Key: home", id="day-today")
        # Above the list, so that a long day's cards never push it off the screen.
        yield Static(id="still-to-log")
        with Vertical(id="day-body"):
            yield DayEntries(id="day-entries")
        yield FitFooter()

    def on_resize(self, event: events.Resize) -> None:
        # "back to today" would be cut off beside a long date at 60 columns.
        link = self.query_one("#day-today", ActionLink)
        link.update("back to today" if event.size.width >= WIDE_DAY_BAR else "today")

    def on_mount(self) -> None:
        self.sub_title = "Today"
        self.set_reactive(TodayScreen.day, self.tracker.today)
        self.watch(self.app, "data_version", self._on_data_changed, init=False)
        self._show_day()
        self.show_entries()

    # ------------------------------------------------------------------ display

    def _on_data_changed(self, _version: int) -> None:
        self.show_entries()
        self.refresh_bindings()

    def watch_day(self, _day: date) -> None:
        self._show_day()
        self.show_entries()
        self.refresh_bindings()

    def _show_day(self) -> None:
        today = self.tracker.today
        self.query_one("#day-title", Static).update(Content.styled(long_date(self.day), "bold"))
        self.query_one("#day-relative", Static).update(
            Content.styled(relative_day(self.day, today), "italic")
        )
        # A link shows only where it leads somewhere: no "later" than today.
        self.query_one("#day-next", ActionLink).visible = self.day < today
        self.query_one("#day-today", ActionLink).display = self.day != today

    def _day_entries(self) -> list[Entry]:
        """The entries of the day shown: the daily ones (the check-in) first, then exercises,
        then events."""
        if not self.tracker.loaded:
            return []
        entries = self.tracker.store.entries_between(self.day, self.day)
        return sorted(entries, key=lambda entry: day_rank(kind_of(entry["kind"])))

    def show_entries(self) -> None:
        """Draw the day's cards (and what is still to log) from the store."""
        option_list = self.query_one("#day-entries", DayEntries)
        hint = self.query_one("#still-to-log", Static)
        if not self.tracker.loaded:
            option_list.set_options([Option(Content("Loading your entries…"), disabled=True)])
            hint.update("")
            return
        previous = option_list.highlighted_option
        previous_id = previous.id if previous is not None else None
        entries = self._day_entries()
        logged = {entry["kind"] for entry in entries}
        kinds = day_order()
        options: list[Option | None] = []
        due = self._questionnaires_due()
        if due:
            # Short, to stay one line at 80 columns: the chooser (k) names them in full.
            names = ", ".join(dict.fromkeys(DUE_WORDS.get(kind, kind) for kind in due))
            options.append(
                Option(
                    Content.assemble(
                        ("Questionnaire".ljust(LABEL_WIDTH), "bold"),
                        (f"due: {names} · press k", "italic"),
                    ),
                    disabled=True,
                )
            )
        # A kind that is not an exercise (the check-in) is logged once a day: a line says so.
        for kind in kinds:
            if not kind.is_daily or kind.name in logged:
                continue
            if options:
                options.append(None)  # a rule between lines
            options.append(
                Option(
                    Content.assemble(
                        (kind.label.ljust(LABEL_WIDTH), "bold"),
                        (f"not logged yet: press {kind.key}", "italic"),
                    ),
                    disabled=True,
                )
            )
        plan = self._plan_lines()
        if plan is not None:
            if options:
                options.append(None)
            options.append(Option(plan, disabled=True))
        if not entries:
            if options:
                options.append(None)
            words = nothing_logged(self.day, self.tracker.today, kinds)
            options.append(Option(Content.styled(words, "italic"), disabled=True))
        width = option_list.card_width()
        option_list._drawn_width = width
        for entry in entries:
            if options:
                options.append(None)
            label = kind_of(entry["kind"]).label
            room = width if width > LABEL_WIDTH else None
            card = entry_card(label, entry, room, self.tracker.settings.distance)
            options.append(Option(card, id=entry["id"]))
        option_list.set_options(options)
        ids = [option.id for option in options if option is not None]  # rules are not options
        if previous_id is not None and previous_id in ids:
            option_list.highlighted = ids.index(previous_id)
        elif entries:
            option_list.highlighted = ids.index(entries[0]["id"])
        if entries and option_list.highlighted == ids.index(entries[0]["id"]):
            # On the first card, the lines above it (what is due, the plan and this week's
            # sessions) stay in sight: scrolled to the card alone, 80x24 hid them.
            self.call_after_refresh(option_list.scroll_home, animate=False)
        exercises = [kind for kind in kinds if kind.is_exercise]
        missing = [kind for kind in exercises if kind.name not in logged]
        if missing:
            words = ", ".join(f"{kind.label.lower()} ({kind.key})" for kind in missing)
            hint.update(Content(f"Not logged yet: {words}"))
        else:
            hint.update(Content(all_logged(len(exercises))))

    def _questionnaires_due(self) -> list[str]:
        """The questionnaires due, shown on today only, and not once put off for the day."""
        today = self.tracker.today
        if self.day != today or self.tracker.settings.questionnaires_dismissed == today.isoformat():
            return []
        from tracker.questionnaires import due
        from tracker.tui.screens.questionnaires import due_reading

        return due(due_reading(self.tracker.store), today)

    def _plan_lines(self) -> Content | None:
        """What the plan in force on the day asks, per exercise, beside what is done that week:
        "Tempo lunges: plan 3 × 10 at 5-0-3-0, 5 days a week; done 2 of 5 this week"."""
        from tracker import analysis
        from tracker.kinds.plan import plan_words

        store = self.tracker.store
        in_force = analysis.plans_in_force(store.entries_of_kind(analysis.PLAN_KIND), self.day)
        if not in_force:
            return None
        week_start = self.tracker.settings.week_start_index
        first = analysis.week_starts(self.day, self.day, week_start)[0]
        week = store.entries_between(first, self.day)
        lines = []
        for exercise, plan in in_force.items():
            done = len({e["date"] for e in week if e["kind"] == exercise})
            days = plan["days_per_week"]
            label = kind_of(exercise).label
            lines.append(f"{label}: plan {plan_words(plan)}; done {done} of {days} this week")
        return Content("\n".join(lines))

    @property
    def selected(self) -> Entry | None:
        option = self.query_one("#day-entries", OptionList).highlighted_option
        if option is None or option.id is None or not self.tracker.loaded:
            return None
        for entry in self._day_entries():
            if entry["id"] == option.id:
                return entry
        return None

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"new", "edit", "delete", "questionnaire"} and not self.tracker.loaded:
            return None
        if action in {"edit", "delete"} and self.selected is None:
            return None
        if action == "next_day" and self.day >= self.tracker.today:
            return None
        return True

    def action_previous_day(self) -> None:
        self.day = self.day - timedelta(days=1)

    def action_next_day(self) -> None:
        if self.day < self.tracker.today:
            self.day = self.day + timedelta(days=1)

    def action_back_to_today(self) -> None:
        self.day = self.tracker.today

    async def action_new(self, kind: str) -> None:
        from tracker.tui.entry_actions import open_new

        await open_new(self.tracker, kind, self.day)

    def action_questionnaire(self) -> None:
        """``k``: the chooser of the questionnaires; then the chosen one's form for the day."""
        from tracker.tui.screens.questionnaires import NOT_TODAY, QuestionnaireChooser, due_reading

        day = self.day

        async def chosen(what: str | None) -> None:
            if what == NOT_TODAY:
                self.tracker.remember(
                    {"questionnaires_dismissed": self.tracker.today.isoformat()},
                    unsaved="The reminder may show again when the app next opens today.",
                )
                self.show_entries()
            elif what is not None:
                from tracker.tui.entry_actions import open_new

                await open_new(self.tracker, what, day)

        self.app.push_screen(
            QuestionnaireChooser(due_reading(self.tracker.store), self.tracker.today), chosen
        )

    async def action_edit(self) -> None:
        from tracker.tui.entry_actions import open_edit

        entry = self.selected
        if entry is not None:
            await open_edit(self.tracker, entry)

    def action_delete(self) -> None:
        from tracker.tui.entry_actions import confirm_delete

        entry = self.selected
        if entry is not None:
            confirm_delete(self.tracker, entry)

    def on_option_list_option_highlighted(self) -> None:
        self.selection_changed(self.selected is not None)
