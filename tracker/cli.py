"""The command line: parses, calls the core, prints, maps errors to exit codes (cli.md).

Exit codes: 0 success; 2 bad usage or an invalid value (one line naming the flag and its
allowed range; nothing written); 3 a data file cannot be used; 1 anything unexpected.

The quick-add path (``tracker log ...``) pays for every import, so the TUI, plotext, the
analysis and platformdirs are imported inside the functions that need them; the TUI's first
frame pays for everything imported before it, so the store is imported late too.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from tracker import records
from tracker.errors import EXIT_DATA_FILE, EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE, TrackerError
from tracker.private_files import write_private_file
from tracker.records import EXERCISE_KINDS, FIELDS, KINDS, Entry, ValidationError
from tracker.text import printable

if TYPE_CHECKING:
    from tracker.dates import DateOrder

    # Imported where used: the TUI loads the store in a worker after its first frame, so
    # `tracker` alone should not pay for TinyDB before it paints.
    from tracker.store import RepairResult, Store
    from tracker.store.survey import FolderSurvey
    from tracker.units import DistanceUnit


class ChartChoices:
    """``tracker chart``'s choices: the chart registry's names, read when argparse checks or
    shows a name. Importing the charts costs about 24 ms, which ``tracker log`` would pay for
    nothing if the parser read them as it is built."""

    def __iter__(self) -> Iterator[str]:
        from tracker.charts import CHART_NAMES

        return iter(CHART_NAMES)

    def __contains__(self, name: object) -> bool:
        from tracker.charts import CHART_NAMES

        return name in CHART_NAMES


class FormatChoices:
    """``tracker import --format``'s choices: the import registry's names, read when argparse
    checks or shows one, so that building the parser imports nothing of the importers."""

    def __iter__(self) -> Iterator[str]:
        from tracker.imports import format_names

        return iter(format_names())

    def __contains__(self, name: object) -> bool:
        from tracker.imports import format_names

        return name in format_names()


class UsageError(TrackerError):
    """Bad usage or an invalid value: exit 2 with this one-line message."""

    exit_code = EXIT_USAGE


class Parser(argparse.ArgumentParser):
    """argparse, but an error is one line and exit 2 through ``main``, not a usage dump."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def today() -> date:
    """The local date; ``TRACKER_TODAY`` (YYYY-MM-DD) pins it for tests and demos."""
    pinned = os.environ.get("TRACKER_TODAY")
    return date.fromisoformat(pinned) if pinned else date.today()


def data_folder(option: str | None) -> Path:
    """``--data``, else ``TRACKER_DATA``, else the user's data folder (platformdirs).

    Refuses what cannot be a data folder before anything is read or written: an empty
    ``--data ""`` (which would quietly mean the default folder), a file, a dangling link.
    """
    if option is not None:
        if not option.strip():
            raise UsageError("--data must name a folder; it was given an empty value")
        folder, source = Path(option).expanduser(), "--data"
    elif os.environ.get("TRACKER_DATA"):
        folder, source = Path(os.environ["TRACKER_DATA"]).expanduser(), "TRACKER_DATA"
    else:
        import platformdirs  # only here: it costs 11 ms, and --data / TRACKER_DATA skip it

        folder, source = platformdirs.user_data_path("tracker"), "the data folder"
    if folder.is_symlink() and not folder.exists():
        raise UsageError(
            f"{source}: {folder} is a link to {os.readlink(folder)}, which does not exist "
            "(mount or create it, or give another folder)"
        )
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{source}: {folder} is a file; the data folder must be a folder")
    return folder


# ---------------------------------------------------------------- parser


def _add_data_option(parser: argparse.ArgumentParser, top: bool) -> None:
    # On the top parser and on every command, so that --data may stand before or after
    # the command's name; SUPPRESS keeps a later default from hiding an earlier value.
    parser.add_argument(
        "--data",
        metavar="DIR",
        default=None if top else argparse.SUPPRESS,
        help="data folder (default: $TRACKER_DATA or the user's data folder)",
    )


def field_metavar(spec: records.Field) -> str:
    if spec.type == "bool":
        return "yes|no"
    if spec.type == "tempo":
        return "E-B-C[-T]"
    if spec.type == "multi":
        return "WORD[,WORD...]"
    if spec.type == "date":
        return "DATE"
    return "N" if spec.type in ("int", "number") else spec.name.upper()


def field_help(spec: records.Field, *, editing: bool) -> str:
    """A flag's help: what it is (with its unit), its range, and whether ``log`` needs it."""
    needed = "required; " if spec.required and not editing else ""
    if spec.type == "bool":
        return f"{spec.label}: {needed}alone means yes; --not-{spec.flag[2:]} means no"
    if spec.type == "multi":
        return f'{spec.label}: {needed}{spec.allowed}; "" for none'
    return f"{spec.label}: {needed}{spec.allowed}"


def log_usage(kind: str) -> str:
    """``tracker log lunge --sets N ... [--side SIDE]``: required flags shown without brackets."""
    parts = [f"tracker log {kind}"]
    for spec in FIELDS[kind]:
        flag = f"{spec.flag} {field_metavar(spec)}"
        if spec.type == "bool":
            flag = f"{spec.flag} | --not-{spec.flag[2:]}"
        parts.append(flag if spec.required else f"[{flag}]")
    parts += ["[--date DATE]", "[--notes TEXT]"]
    if kind == "checkin":
        parts.append("[--replace]")
    return " ".join(parts)


def date_forms(order: DateOrder | None) -> str:
    """The forms a day may be typed in, for help: ", e.g. today, yesterday, ...".

    Empty when ``order`` is None: a parser built to run a command never shows its help, and
    importing the date reader would cost the quick add 1.4 ms for nothing.
    """
    if order is None:
        return ""
    from tracker.dates import examples

    return f", e.g. {examples(order)}"


def date_help(order: DateOrder | None, *, editing: bool) -> str:
    """``--date``'s help: its range and the forms a day may be typed in."""
    if editing:
        return f"move the entry to this day (not after today){date_forms(order)}"
    return f"the day (default today; not after today){date_forms(order)}"


def add_field_flags(
    parser: argparse.ArgumentParser,
    kind: str,
    *,
    editing: bool,
    order: DateOrder | None = None,
) -> None:
    """One flag per field of ``kind``; values stay text so ``records`` validates them."""
    for spec in FIELDS[kind]:
        if spec.type == "bool":
            group = parser.add_mutually_exclusive_group()
            # `--painful` alone means yes; `--painful ""` clears it (edit), like any optional.
            group.add_argument(
                spec.flag,
                dest=spec.name,
                nargs="?",
                const=True,
                default=None,
                metavar="yes|no",
                help=field_help(spec, editing=editing),
            )
            group.add_argument(
                "--not-" + spec.flag[2:],
                dest=spec.name,
                action="store_const",
                const=False,
                help=argparse.SUPPRESS,
            )
            continue
        add_value_flag(parser, spec, editing=editing)
    parser.add_argument(
        "--date",
        metavar="DATE",
        default=None,
        help=date_help(order, editing=editing),
    )
    add_notes_flag(parser)
    if kind == "checkin" or editing:
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the check-in of that date (check-ins only)",
        )


def add_value_flag(parser: argparse.ArgumentParser, spec: records.Field, *, editing: bool) -> None:
    """``--FLAG VALUE`` for one field, kept as text so ``records`` validates it."""
    parser.add_argument(
        spec.flag,
        dest=spec.name,
        metavar=field_metavar(spec),
        default=None,
        help=field_help(spec, editing=editing),
    )


def add_notes_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--notes",
        metavar="TEXT",
        default=None,
        help=f"free text of at most {records.NOTES_MAX} characters, shown as typed",
    )


def add_plan_parser(commands: Any, order: DateOrder | None) -> None:
    """``tracker plan [EXERCISE --FLAG VALUE ... [--from DATE]] [--history] [--json]``."""
    from tracker.kinds.plan import DAYS_FIELD, PLANNED, PRESCRIBED

    plan = commands.add_parser(
        "plan",
        help="the plan in force (what was prescribed); with an exercise and flags, change it",
        description=(
            "Alone: the plan in force today, per exercise. With an exercise and flags: a new "
            "plan for it from --from (default today); what you leave out stays as the plan in "
            'force on that day says (--FLAG "" clears it). Fields that fit: '
            + "; ".join(
                f"{name} {', '.join(records.field_spec('plan', f).flag for f in fields)}"
                for name, fields in PLANNED.items()
            )
            + "."
        ),
    )
    _add_data_option(plan, top=False)
    plan.add_argument("exercise", nargs="?", choices=tuple(PLANNED), help="the exercise to plan")
    for name in (*PRESCRIBED, DAYS_FIELD.name):
        add_value_flag(plan, records.field_spec("plan", name), editing=True)
    plan.add_argument(
        "--from",
        dest="start",
        metavar="DATE",
        help=f"the day the plan applies from (default today; not after today){date_forms(order)}",
    )
    add_notes_flag(plan)
    plan.add_argument("--history", action="store_true", help="every plan entry, oldest first")
    plan.add_argument("--json", action="store_true", help="the plan entries as one JSON array")


def dates_epilog(order: DateOrder | None) -> str | None:
    """The closing words of ``tracker --help``: how a day may be typed in every date flag."""
    if order is None:
        return None
    from tracker.dates import examples

    return (
        f"Dates (--date, --from, --to, --until) may be typed as {examples(order)}. "
        "A weekday means the last one before today, and a day without a year the last one "
        "up to today. Whether 3/4 is 3 April or March 4 is set by date_order in the settings "
        "file; `tracker info` shows where that file is."
    )


def build_parser(order: DateOrder | None = None) -> Parser:
    """Every command's flags. ``order``: the date order help's examples are written in; None
    (running a command, not showing help) leaves the examples out."""
    parser = Parser(
        prog="tracker",
        description="Log knee and back rehab from the terminal; `tracker` alone opens the app.",
        epilog=dates_epilog(order),
    )
    _add_data_option(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    log = commands.add_parser("log", help="add an entry")
    _add_data_option(log, top=False)
    kinds = log.add_subparsers(dest="kind", metavar="KIND", parser_class=Parser, required=True)
    for kind in KINDS:
        label = records.KIND_LABELS[kind].lower()
        article = "an" if label[0] in "aeiou" else "a"
        sub = kinds.add_parser(kind, help=f"add {article} {label} entry", usage=log_usage(kind))
        _add_data_option(sub, top=False)
        add_field_flags(sub, kind, editing=False, order=order)

    add_plan_parser(commands, order)

    listing = commands.add_parser("list", help="entries, oldest first")
    _add_data_option(listing, top=False)
    listing.add_argument(
        "--from", dest="start", metavar="DATE", help=f"first day{date_forms(order)}"
    )
    listing.add_argument("--to", dest="end", metavar="DATE", help="last day (the same forms)")
    listing.add_argument("--kind", choices=KINDS, help="only entries of this kind")
    listing.add_argument("--json", action="store_true", help="one JSON array, every field")

    today_cmd = commands.add_parser("today", help="what is logged today and what is missing")
    _add_data_option(today_cmd, top=False)

    edit = commands.add_parser(
        "edit", help="change fields of one entry (the log flags of its kind)", add_help=False
    )
    _add_data_option(edit, top=False)
    edit.add_argument("id")

    delete = commands.add_parser("delete", help="remove one entry")
    _add_data_option(delete, top=False)
    delete.add_argument("id")

    undo = commands.add_parser("undo", help="revert the last add, edit or delete")
    _add_data_option(undo, top=False)
    undo.add_argument(
        "--yes",
        "-y",
        action="store_true",
        help="do not ask first, even when the change was made before today",
    )

    redo = commands.add_parser("redo", help="make the last undone change again")
    _add_data_option(redo, top=False)

    chart = commands.add_parser("chart", help="print a chart")
    _add_data_option(chart, top=False)
    # A metavar while the argument is added (argparse would list the choices there, and so
    # import the charts), then none, so that help shows them: {pain,clicking,...}.
    name = chart.add_argument("name", choices=ChartChoices(), metavar="NAME", help="%(choices)s")
    name.metavar = None
    chart.add_argument("--days", default="90", metavar="N", help="days shown (default 90)")
    chart.add_argument(
        "--until", metavar="DATE", help=f"last day shown (default today){date_forms(order)}"
    )
    chart.add_argument(
        "--width", metavar="W", help="columns, 20 to 1000 (default the terminal's, else 80)"
    )
    chart.add_argument(
        "--height", metavar="H", help="rows, 8 to 500 (default the terminal's, else 24)"
    )
    chart.add_argument(
        "--kind",
        metavar="K",
        help="progression only: one exercise, lunge, cycling or rotation (default all that fit)",
    )

    insights = commands.add_parser(
        "insights",
        help="progress since the start, this week, clicking, next-day associations, pain flags",
    )
    _add_data_option(insights, top=False)
    insights.add_argument(
        "--until", metavar="DATE", help=f"last day (default today){date_forms(order)}"
    )
    insights.add_argument(
        "--days",
        default="90",
        metavar="N",
        help="days searched for associations and pain flags (default 90)",
    )
    insights.add_argument("--json", action="store_true", help="one JSON object (cli.md)")

    questionnaires = commands.add_parser(
        "questionnaires",
        help="questionnaire scores: the latest, the change since the first time, which are due",
    )
    _add_data_option(questionnaires, top=False)
    questionnaires.add_argument(
        "--until", metavar="DATE", help=f"last day (default today){date_forms(order)}"
    )
    questionnaires.add_argument("--json", action="store_true", help="one JSON object (cli.md)")

    events_cmd = commands.add_parser(
        "events",
        help="flares, injections, physio visits ...: each with pain 4 weeks before and after",
    )
    _add_data_option(events_cmd, top=False)
    events_cmd.add_argument(
        "--from", dest="start", metavar="DATE", help=f"first day{date_forms(order)}"
    )
    events_cmd.add_argument("--to", dest="end", metavar="DATE", help="last day (the same forms)")
    events_cmd.add_argument("--json", action="store_true", help="one JSON object (cli.md)")

    report = commands.add_parser(
        "report", help="a progress report for your physiotherapist (Markdown, or HTML to print)"
    )
    _add_data_option(report, top=False)
    report.add_argument("--weeks", default="4", metavar="N", help="weeks covered (default 4)")
    report.add_argument(
        "--since-visit",
        action="store_true",
        help="cover the weeks since the last physio visit (an event) before --until",
    )
    report.add_argument(
        "--until", metavar="DATE", help=f"last day (default today){date_forms(order)}"
    )
    report.add_argument(
        "--html",
        action="store_true",
        help="save the report as a web page to print, to --out or to "
        "tracker-report-DATE.html in your Documents folder (or home folder)",
    )
    report.add_argument(
        "--out",
        metavar="FILE",
        help="save to FILE: a web page when FILE ends in .html or .htm, else Markdown "
        "(default: print Markdown)",
    )

    export = commands.add_parser("export", help="every entry, as JSON or CSV")
    _add_data_option(export, top=False)
    export.add_argument(
        "--format", choices=("json", "csv"), default="json", help="json (default) or csv"
    )
    export.add_argument("--out", metavar="FILE", help="write to FILE (default: print it)")

    importing = commands.add_parser(
        "import",
        help="bring in entries: a tracker export, or rides and workouts from other apps",
        description="Import a tracker export (JSON), or rides and workouts that other apps "
        "recorded; the format is found from the file. Importing a file twice changes nothing.",
    )
    _add_data_option(importing, top=False)
    importing.add_argument(
        "file",
        help="a tracker export, a FIT, GPX or TCX file (also .gz), Strava's activities.csv, "
        "or a gym app's export",
    )
    importing.add_argument(
        "--dry-run",
        action="store_true",
        help="show what would be imported and what would be skipped; write nothing",
    )
    importing.add_argument(
        "--format",
        choices=FormatChoices(),
        metavar="NAME",
        help="read the file as NAME instead of finding its format: %(choices)s",
    )
    importing.add_argument(
        "--map",
        metavar="FILE",
        help="gym apps: a file mapping your own exercise names to lunge or rotation",
    )
    importing.add_argument(
        "--lunge",
        action="append",
        default=[],
        metavar="NAME",
        help="gym apps: an exercise name of yours that is a lunge (repeatable)",
    )
    importing.add_argument(
        "--rotation",
        action="append",
        default=[],
        metavar="NAME",
        help="gym apps: an exercise name of yours that is a hip external rotation (repeatable)",
    )

    demo = commands.add_parser("demo", help="fill an empty data folder with realistic data")
    _add_data_option(demo, top=False)
    demo.add_argument("--days", default="90", metavar="N", help="days of data (default 90)")
    demo.add_argument("--seed", default="1", metavar="S", help="random seed (default 1)")

    info = commands.add_parser(
        "info", help="where your diary, settings and undo history are, and the version"
    )
    _add_data_option(info, top=False)
    info.add_argument("--json", action="store_true", help="one JSON object (cli.md)")

    serve = commands.add_parser(
        "serve",
        help="the app in a web browser, on this machine (needs: pip install 'tracker[serve]')",
    )
    _add_data_option(serve, top=False)
    serve.add_argument("--port", default="8765", metavar="N", help="port (default 8765)")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only; another needs "
        "--public-url)",
    )
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address other machines open, such as http://192.168.1.20:8765 (prints a "
        "warning: anyone with the address and its token can use your diary)",
    )

    doctor = commands.add_parser(
        "doctor",
        help="check the data folder: devices, conflict copies, files that cannot be read",
    )
    _add_data_option(doctor, top=False)
    doctor.add_argument("--json", action="store_true", help="one JSON object (cli.md)")
    doctor.add_argument(
        "--repair",
        action="store_true",
        help="fold conflict copies in and index every entry now (writes do it as they go)",
    )
    return parser


# ---------------------------------------------------------------- values


def whole_number(flag: str, text: str, low: int, high: int) -> int:
    spec = records.Field(flag, flag, flag, "int", low=low, high=high)
    try:
        value: int = records.coerce(spec, text)
    except ValidationError as error:
        raise UsageError(error.describe(flag)) from None
    return value


# ---------------------------------------------------------------- dates

# A day typed as numbers with a separator and the year not first (24/11/2026, 3.4, 24-11-26):
# only these depend on the settings' date order, so only these pay for reading the settings
# file (platformdirs and tomllib, some 15 ms). "yesterday", "-3", "24 Nov" and 2026-11-24 never do.
_ORDER_DEPENDENT = re.compile(r"\s*\d{1,2}[/.\-]\d{1,2}(?:[/.\-]\d{1,4})?\s*")
# The last day a --from, --to or --until may name: a period may end after today.
_LAST_DAY = date(9999, 12, 31)


def date_order_for(text: str) -> DateOrder:
    """The date order ``text`` is read in: the settings' when the order decides what it means.

    A bad settings file is refused then (``SettingsError``: one line naming it, exit 2).
    """
    if not _ORDER_DEPENDENT.fullmatch(text):
        from tracker.dates import DATE_ORDERS

        return DATE_ORDERS[0]
    from tracker.settings import load_settings

    return load_settings().date_order


def help_date_order() -> DateOrder:
    """The settings' date order for help's examples; the default when the file is bad (help
    still shows, and the command itself will name the file)."""
    from tracker.dates import DATE_ORDERS
    from tracker.settings import SettingsError, load_settings

    try:
        return load_settings().date_order
    except SettingsError:
        return DATE_ORDERS[0]


def typed_day(flag: str, text: str, *, latest: date | None) -> date:
    """The day a date flag names, in any form ``dates.parse_day`` reads; UsageError naming
    ``flag`` else.

    ``latest`` is the last day allowed (``log`` and ``edit``: today); None allows any day from
    1900 on (``--from``, ``--to``, ``--until``), though a day typed without a year, a weekday or
    "-3" still counts back from today.
    """
    from tracker.dates import examples, parse_day

    day, order = today(), date_order_for(text)
    try:
        return parse_day(text, today=day, latest=latest or day, order=order, field=flag)
    except ValidationError as error:
        if latest is not None:
            raise UsageError(error.describe(flag)) from None
    try:  # a year given: it may be after today (a period's end)
        return parse_day(text, today=day, latest=_LAST_DAY, order=order, field=flag)
    except ValidationError:
        allowed = f"a date such as {examples(order)}, from {records.EARLIEST_DATE.isoformat()} on"
        raise UsageError(ValidationError(flag, allowed, text).describe(flag)) from None


def flag_date(flag: str, text: str | None, *, latest: date | None = None) -> date | None:
    """``typed_day`` for an optional flag: None when it was not given."""
    return None if text is None else typed_day(flag, text, latest=latest)


def with_typed_date(values: dict[str, object], *, latest: date, empty_is_today: bool) -> None:
    """``values["date"]`` as typed (``--date yesterday``) -> ISO, as the core stores it.

    Refused (UsageError naming --date) before anything is locked or written.
    """
    text = values.get("date")
    if not isinstance(text, str) or (empty_is_today and not text):
        return
    values["date"] = typed_day("--date", text, latest=latest).isoformat()


def with_typed_days(values: dict[str, object], kind: str) -> None:
    """A day field's value (``--end yesterday``) -> ISO, as the core stores it; refused
    naming its flag. Its day is not after today (the core checks it against the entry's
    date); ``""`` (clear it) stays."""
    for spec in FIELDS[kind]:
        text = values.get(spec.name)
        if spec.type == "date" and isinstance(text, str) and text.strip():
            values[spec.name] = typed_day(spec.flag, text, latest=today()).isoformat()


def field_values(args: argparse.Namespace, kind: str) -> dict[str, object]:
    """The field values given on the command line (flags left out are absent)."""
    names = [spec.name for spec in FIELDS[kind]] + ["date", "notes"]
    return {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}


def flag_of(kind: str, field: str) -> str:
    try:
        return records.field_spec(kind, field).flag
    except KeyError:
        return field


# ---------------------------------------------------------------- output


SHOWN_ID_MIN = 8


def shown_ids(ids: Collection[str]) -> dict[str, str]:
    """Each id cut to the fewest characters (at least 8) that no other id starts with.

    ``ids`` must be every stored id, so that ``edit`` can find each shown prefix.
    """
    ordered = sorted(set(ids))
    shown: dict[str, str] = {}
    for index, entry_id in enumerate(ordered):
        length = SHOWN_ID_MIN
        for neighbour in ordered[max(index - 1, 0) : index + 2]:
            if neighbour != entry_id:
                common = next(
                    (
                        i
                        for i, (a, b) in enumerate(zip(entry_id, neighbour, strict=False))
                        if a != b
                    ),
                    len(entry_id),
                )
                length = max(length, common + 1)
        shown[entry_id] = entry_id[:length]
    return shown


def ids_to_tell_apart(store: Store, shown: Sequence[Entry], *, whole: bool) -> set[str]:
    """The ids ``shown_ids`` must tell the shown entries' ids apart from: those sharing their
    first 8 digits (the id index notes them), or everything when everything is read."""
    ids = {entry["id"] for entry in shown}
    if whole:
        return ids | {entry["id"] for entry in store.entries()}
    return ids | store.ids_sharing_shown_prefixes(ids)


def format_entry_line(
    entry: Entry, shown_id: str | None = None, distance: DistanceUnit = "km"
) -> str:
    """One entry on one line: whatever its notes hold, they cannot break or forge a line."""
    notes = f"  | {printable(entry['notes'])}" if entry.get("notes") else ""
    kind = records.KIND_LABELS[entry["kind"]]
    entry_id = shown_id or entry["id"][:SHOWN_ID_MIN]
    figures = records.summary(entry, distance=distance)
    return f"{entry['date']}  {entry_id}  {kind:<17}  {figures}{notes}"


def entries_json(entries: Sequence[Entry]) -> str:
    return json.dumps(list(entries), ensure_ascii=False, indent=2)


def csv_columns() -> list[str]:
    columns = ["id", "kind", "date"]
    for kind in KINDS:
        columns += [spec.name for spec in FIELDS[kind] if spec.name not in columns]
    return [*columns, "notes", "created_at", "updated_at"]


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A value as a CSV cell a spreadsheet shows as text and never runs as a formula.

    Control characters are escaped (newlines, which a quoted cell holds, stay); text that
    starts like a formula gets a leading apostrophe, as OWASP recommends.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        # Several choice words (the check-in's click_moves), as typed on the command line.
        return csv_cell(",".join(str(item) for item in value))
    if isinstance(value, str):
        text = printable(value, one_line=False)
        return "'" + text if text.startswith(FORMULA_STARTS) else text
    return value


def write_csv(entries: Sequence[Entry], out: TextIO) -> None:
    import csv

    writer = csv.DictWriter(out, fieldnames=csv_columns(), lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        writer.writerow({name: csv_cell(value) for name, value in entry.items()})


def write_output(text: str, out: str | None) -> None:
    text = text if text.endswith("\n") else text + "\n"
    if out is None:
        sys.stdout.write(text)
        return
    path = Path(out).expanduser()
    try:
        write_private_file(path, text)
    except OSError as error:
        raise UsageError(f"--out: cannot write {path}: {error.strerror}") from None


# ---------------------------------------------------------------- commands


@contextmanager
def refusals_named_by_flag(kind: str) -> Iterator[None]:
    """The core's refusals of a ``kind`` entry as one-line usage errors naming the flag typed."""
    from tracker.store import CheckinExists

    try:
        yield
    except CheckinExists as error:
        raise UsageError(error.describe("--date") + ": add --replace to replace it") from None
    except ValidationError as error:
        raise UsageError(error.describe(flag_of(kind, error.field))) from None


def cmd_log(args: argparse.Namespace, store: Store) -> int:
    kind = args.kind
    values = field_values(args, kind)
    with_typed_date(values, latest=today(), empty_is_today=True)
    with_typed_days(values, kind)
    with refusals_named_by_flag(kind):
        entry = store.add(kind, values, replace=getattr(args, "replace", False))
    print(entry["id"])
    warn_if_not_undoable(store)
    return EXIT_OK


def cmd_plan(args: argparse.Namespace, store: Store) -> int:
    from tracker import analysis
    from tracker.kinds.plan import PRESCRIBED, plan_words

    names = (*PRESCRIBED, "days_per_week")
    given = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    changing = bool(given) or args.start is not None or args.notes is not None
    if changing and args.exercise is None:
        raise UsageError("plan: name the exercise first, e.g. tracker plan lunge --reps 12")
    plans = analysis.plan_entries(store.entries())
    day = today()
    if args.exercise is not None:
        if args.history or args.json:
            raise UsageError("plan: --history and --json show the plan; leave out the exercise")
        if args.start is not None:
            day = typed_day("--from", args.start, latest=day)
        current = analysis.plans_in_force(plans, day).get(args.exercise)
        values: dict[str, object] = {"exercise": args.exercise, "date": day.isoformat()}
        if current is not None:  # what is not given stays as the plan in force says
            values.update({name: current[name] for name in names if current[name] is not None})
        values.update(given)
        if args.notes is not None:
            values["notes"] = args.notes
        with refusals_named_by_flag("plan"):
            entry = store.add("plan", values)
        print(entry["id"])
        warn_if_not_undoable(store)
        return EXIT_OK
    shown = plans if args.history else list(analysis.plans_in_force(plans, day).values())
    if args.json:
        print(entries_json(shown))
        return EXIT_OK
    if not plans:
        print("No plan recorded yet. Set one, e.g.:")
        print("  tracker plan lunge --sets 3 --reps 10 --tempo 5-0-3 --days 5")
        return EXIT_OK
    start = plans[0]["date"]
    if args.history:
        print(f"Every plan, oldest first (the programme started on {start}):")
    elif shown:
        print(f"The plan in force today ({day.isoformat()}; the programme started on {start}):")
    else:
        print(f"No plan is in force today: the first starts on {start} (see --history).")
    for plan in shown:
        label = records.KIND_LABELS[plan["exercise"]]
        when = f"{plan['date']}  {plan['id'][:SHOWN_ID_MIN]}  " if args.history else ""
        since = "" if args.history else f" (since {plan['date']})"
        notes = f"  | {printable(plan['notes'])}" if plan.get("notes") else ""
        print(f"  {when}{label}: {plan_words(plan)}{since}{notes}")
    return EXIT_OK


def warn_if_not_undoable(store: Store) -> None:
    """The change is stored (its id printed), but the undo history could not follow it."""
    if store.warning:
        print(f"tracker: warning: {printable(store.warning)}", file=sys.stderr)


def cmd_list(args: argparse.Namespace, store: Store) -> int:
    start = flag_date("--from", args.start)
    end = flag_date("--to", args.end)
    if start is None:
        entries = store.entries_between(None, end, args.kind)
    else:  # read only the months from --from on: as cheap after 50 years as after one
        chosen = store.entries_of_days(start, end or date.max)
        entries = [e for e in chosen if args.kind is None or e["kind"] == args.kind]
    if args.json:
        print(entries_json(entries))
    elif not entries:
        print("No entries.")
    else:
        from tracker.settings import load_settings

        distance = load_settings().distance  # km or miles, as the user reads distances
        ids = shown_ids(ids_to_tell_apart(store, entries, whole=start is None))
        print("\n".join(format_entry_line(entry, ids[entry["id"]], distance) for entry in entries))
    return EXIT_OK


def cmd_today(args: argparse.Namespace, store: Store) -> int:
    day = today()
    entries = store.entries_of_days(day, day)
    checkin = next((e for e in entries if e["kind"] == "checkin"), None)
    logged = {e["kind"] for e in entries}
    missing = [records.KIND_LABELS[k].lower() for k in EXERCISE_KINDS if k not in logged]
    done = [records.KIND_LABELS[k].lower() for k in EXERCISE_KINDS if k in logged]
    first = f"{day.isoformat()}: " + (
        f"check-in {records.summary(checkin)}." if checkin else "no check-in yet."
    )
    second = ("Done: " + ", ".join(done) + ". " if done else "") + (
        "Not yet: " + ", ".join(missing) + "." if missing else "All three exercises logged."
    )
    print(first)
    print(second)
    return EXIT_OK


def cmd_edit(args: argparse.Namespace, rest: list[str], store: Store) -> int:
    entry = _get(store, args.id)
    kind = entry["kind"]
    parser = Parser(prog=f"tracker edit ID (a {kind} entry)")
    _add_data_option(parser, top=False)
    add_field_flags(parser, kind, editing=True)
    options = parser.parse_args(rest)
    changes = field_values(options, kind)
    # `--FLAG ""` clears: field_values drops None, but keeps the empty string.
    if not changes:
        raise UsageError("give at least one field to change, e.g. --notes TEXT")
    # An entry dated tomorrow by a device in a time zone ahead keeps its date (issue 7).
    latest = max(today(), date.fromisoformat(entry["date"]))
    with_typed_date(changes, latest=latest, empty_is_today=False)
    with_typed_days(changes, kind)
    with refusals_named_by_flag(kind):
        updated = store.edit(entry["id"], changes, replace=options.replace)
    print(updated["id"])
    warn_if_not_undoable(store)
    return EXIT_OK


def _get(store: Store, entry_id: str) -> Entry:
    from tracker.store import EntryNotFound

    try:
        return store.get(entry_id)
    except EntryNotFound as error:
        raise UsageError(error.message) from None


def cmd_delete(args: argparse.Namespace, store: Store) -> int:
    entry = _get(store, args.id)
    store.delete(entry["id"])
    print(entry["id"])
    warn_if_not_undoable(store)
    return EXIT_OK


def cmd_undo(args: argparse.Namespace, store: Store) -> int:
    """Undo the last change; one made before today is undone only when the user says yes.

    The question needs a terminal: without one (a script, cron) the last change is undone as
    before, so that ``tracker undo`` in a script keeps working.
    """
    step = store.last_undo()
    if step is None:
        print("Nothing to undo.")
        return EXIT_OK
    day = today()
    asking = not args.yes and sys.stdin.isatty()
    if asking and step.made_before(day):
        # The change on a line of its own: one line would wrap mid-date at 80 columns.
        question = f"The last change was made {step.when(day)}:\n  {step.description}."
        if not confirmed(question, "Undo it?"):
            print("Nothing undone.")
            return EXIT_OK
    # On a terminal, exactly the step checked (or agreed to): should another process change
    # the history meanwhile, an older change is never undone unasked (exit 2, nothing written).
    result = store.undo(step if asking else None)
    print(printable(result.description) if result else "Nothing to undo.")
    warn_if_not_undoable(store)
    return EXIT_OK


def confirmed(question: str, ask: str) -> bool:
    """Ask on the terminal; only y or yes (any case) is a yes, and no answer (end of input)
    is a no. The question goes to standard error, so that standard output says what was done."""
    print("\n".join(printable(line) for line in question.split("\n")), file=sys.stderr)
    print(f"{ask} [y/N] ", end="", file=sys.stderr, flush=True)
    try:
        answer = input()
    except EOFError:
        print(file=sys.stderr)
        return False
    return answer.strip().lower() in ("y", "yes")


def cmd_redo(args: argparse.Namespace, store: Store) -> int:
    result = store.redo()
    print(printable(result.description) if result else "Nothing to redo.")
    warn_if_not_undoable(store)
    return EXIT_OK


def cmd_export(args: argparse.Namespace, store: Store) -> int:
    entries = store.entries()
    if args.format == "json":
        write_output(entries_json(entries), args.out)
        return EXIT_OK
    if args.out is None:
        write_csv(entries, sys.stdout)
        return EXIT_OK
    import io

    table = io.StringIO()
    write_csv(entries, table)
    write_output(table.getvalue(), args.out)
    return EXIT_OK


def read_import_file(path: Path, day: date) -> tuple[list[Entry], set[str]]:
    """Every entry of an import file, validated, and the ids that came without updated_at.

    UsageError names the first bad entry.
    """
    try:
        raw = json.loads(path.read_bytes())
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise UsageError(f"{path} is not valid JSON: {error}") from None
    except RecursionError:
        raise UsageError(f"{path} is not an export: its JSON is nested too deeply") from None
    if not isinstance(raw, list):
        raise UsageError(f"{path} must hold a JSON array of entries (as `tracker export` writes)")
    entries: list[Entry] = []
    seen: set[str] = set()
    unstamped: set[str] = set()
    for number, item in enumerate(raw, start=1):
        try:
            entry = records.validate_entry(item, today=day, complete=False)
        except ValidationError as error:
            where = f"entry {number}"
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                where += f" (id {item['id'][:8]})"
            raise UsageError(f"{where}: {error.describe(error.field)}; nothing imported") from None
        if entry["id"] in seen:
            raise UsageError(
                f"entry {number}: the id {entry['id']} appears twice; nothing imported"
            )
        seen.add(entry["id"])
        if "updated_at" not in item:
            unstamped.add(entry["id"])
        entries.append(entry)
    return entries, unstamped


def cmd_import(args: argparse.Namespace, store: Store) -> int:
    path = Path(args.file).expanduser()
    from tracker import imports

    name = args.format or imports.detect_format(path)
    if name is None:
        raise UsageError(
            f"{path}: not a file tracker can import (it reads a tracker export, "
            f"{imports.formats_in_words()})"
        )
    if name == imports.TRACKER_EXPORT:
        return import_tracker_export(path, store, dry_run=args.dry_run)
    from tracker.imports import progress
    from tracker.imports.exercise_names import ExerciseNames

    names = ExerciseNames.from_options(
        Path(args.map).expanduser() if args.map else None, args.lunge, args.rotation
    )
    bar = ProgressBar(path.name) if sys.stderr.isatty() else None
    try:
        with progress.reporting(bar):
            plan = imports.plan_import(path, names, today=today(), format_name=name)
    finally:
        if bar is not None:
            bar.clear()
    print(f"{printable(path.name)}: {plan.format}")
    print("\n".join(plan.preview_lines()))
    if args.dry_run:
        print("Nothing written (dry run).")
        return EXIT_OK
    result = store.import_entries(plan.entries, unstamped=plan.unstamped)
    there = len(plan.entries) - result.added
    noun = "entry" if result.added == 1 else "entries"
    print(f"Imported {result.added} {noun} ({there} already there).")
    warn_if_not_undoable(store)
    return EXIT_OK


class ProgressBar:
    """A one-line bar on standard error (only when it is a terminal), redrawn at most five
    times a second and only once a read has taken longer than that: a small file shows none."""

    WIDTH = 30
    EVERY_S = 0.2

    def __init__(self, name: str) -> None:
        import time

        self.clock = time.monotonic
        self.name = printable(name if len(name) <= 30 else name[:29] + "…")
        self.last = self.clock()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if now - self.last < self.EVERY_S or total <= 0:
            return
        self.last = now
        share = min(max(done / total, 0.0), 1.0)
        filled = round(share * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        sys.stderr.write(f"\rReading {self.name} [{bar}] {round(share * 100):3d}%")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 79 + "\r")
            sys.stderr.flush()


def import_tracker_export(path: Path, store: Store, *, dry_run: bool) -> int:
    """A tracker export (JSON): all or nothing, merged by id with the later ``updated_at``."""
    entries, unstamped = read_import_file(path, today())
    if dry_run:
        from tracker.imports import ImportPlan

        print(f"{printable(path.name)}: tracker export")
        print("\n".join(ImportPlan("tracker export", entries).preview_lines()))
        print("Nothing written (dry run).")
        return EXIT_OK
    result = store.import_entries(entries, unstamped=unstamped)
    replaced, dropped, left_out = result.replaced, result.dropped, result.not_imported
    unchanged = len(entries) - result.added - len(replaced) - len(left_out)
    counts = f"{result.added} new, {len(replaced)} replaced, {unchanged} unchanged"
    if dropped:
        counts += f", {len(dropped)} stored check-in{'s' if len(dropped) > 1 else ''} dropped"
    if left_out:
        counts += f", {len(left_out)} check-in{'s' if len(left_out) > 1 else ''} not imported"
    print(f"Imported {len(entries)} entries: {counts}.")
    # Name every stored entry the import overwrote or dropped: import cannot be undone.
    ids = shown_ids([e["id"] for e in (*store.entries(), *dropped, *left_out)])
    for title, group in (
        ("Replaced by a later copy from the file", replaced),
        ("Dropped: the file has a later check-in for that date", dropped),
        ("Not imported: the stored check-in for that date is later", left_out),
    ):
        if group:
            print(f"{title}:")
            print("\n".join("  " + format_entry_line(e, ids[e["id"]]) for e in group))
    if replaced or dropped:
        kept = store.folder / f"replaced-by-import-{records.now_utc()[:19].replace(':', '')}.json"
        write_private_file(kept, entries_json([*replaced, *dropped]) + "\n")
        print(f"The stored versions were kept in {kept}.")
    warn_if_not_undoable(store)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, store: Store) -> int:
    days = whole_number("--days", args.days, 1, 36500)
    seed = whole_number("--seed", args.seed, 0, 2**31 - 1)
    folder = store.folder
    if folder.exists() and any(not p.name.startswith(".") for p in folder.iterdir()):
        raise UsageError(f"demo fills an empty data folder only, and {folder} holds files")
    from tracker.demo import demo_entries

    entries = demo_entries(days, seed, today())
    store.import_entries(entries)
    print(f"Added {len(entries)} demo entries over {days} days to {folder}.")
    return EXIT_OK


# ---------------------------------------------------------------- info


def folder_chosen_by(option: str | None) -> str:
    """What chose the data folder: ``--data``, ``TRACKER_DATA`` or ``default``."""
    if option is not None:
        return "--data"
    return "TRACKER_DATA" if os.environ.get("TRACKER_DATA") else "default"


def report_location(day: date) -> Path | None:
    """The file ``tracker report --html`` (and the app's report) saves to on ``day``."""
    from tracker.report import default_report_path

    return default_report_path(day)


def info_facts(option: str | None) -> tuple[dict[str, object], list[TrackerError]]:
    """``tracker info``'s facts (the JSON shape of cli.md) and the files that could not be used.

    Cheap at any size: lists the data folder and reads only the undo history and the settings,
    never an entry.
    """

    from tracker import __version__
    from tracker.settings import SettingsError, load_settings, settings_path

    problems: list[TrackerError] = []
    folder = data_folder(option)
    months: list[str] = []
    size = 0
    undo_steps: int | None = 0
    data_error: str | None = None
    if folder.is_dir():
        from tracker.store import Store
        from tracker.store.layout import list_folder

        listing = list_folder(folder)
        months = listing.month_names()
        for month in months:
            for source in listing.sources(month):
                with contextlib.suppress(OSError):
                    size += (folder / source.name).stat().st_size
        try:
            store = Store(folder, today=today)
            if store.journal_exists():
                undo_steps = store.undo_steps()
        except TrackerError as error:
            undo_steps, data_error = None, str(error)
            problems.append(error)
    settings_file = settings_path()
    values: dict[str, object] | None = None
    settings_error: str | None = None
    try:
        values = load_settings(settings_file)._asdict()
        # The app's own note of a reminder put off for a day: state, not a preference.
        values.pop("questionnaires_dismissed", None)
    except SettingsError as error:
        settings_error = str(error)
        problems.append(error)
    report = report_location(today())
    facts: dict[str, object] = {
        "version": __version__,
        "data_folder": {
            "path": str(folder),
            "chosen_by": folder_chosen_by(option),
            "exists": folder.is_dir(),
            "month_files": len(months),
            "first_month": months[0] if months else None,
            "last_month": months[-1] if months else None,
            "bytes": size,
            "undo_steps": undo_steps,
            "error": data_error,
        },
        "settings_file": {
            "path": str(settings_file),
            "chosen_by": "TRACKER_SETTINGS" if os.environ.get("TRACKER_SETTINGS") else "default",
            "exists": settings_file.exists(),
            "settings": values,
            "error": settings_error,
        },
        "report_path": None if report is None else str(report),
    }
    return facts, problems


def month_words(month: str) -> str:
    """``2026-11`` -> ``November 2026``."""
    from tracker.dates import MONTHS

    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1].capitalize()} {year}"


def size_words(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


_CHOSEN_BY = {
    "--data": "chosen by --data",
    "TRACKER_DATA": "chosen by TRACKER_DATA",
    "TRACKER_SETTINGS": "chosen by TRACKER_SETTINGS",
    "default": "the usual place",
}


def info_lines(facts: dict[str, Any]) -> list[str]:
    """``tracker info`` in plain words, one fact a line."""
    data, settings = facts["data_folder"], facts["settings_file"]
    lines = [f"tracker version {facts['version']}", ""]
    lines += [f"Your diary is kept in this folder ({_CHOSEN_BY[data['chosen_by']]}):"]
    lines.append(f"  {printable(data['path'])}")
    months = data["month_files"]
    if not data["exists"]:
        lines.append("  Not created yet: it is made when you log your first entry.")
    elif not months:
        lines.append("  No entries yet.")
    else:
        first, last = month_words(data["first_month"]), month_words(data["last_month"])
        span = first if months == 1 else f"{first} to {last}"
        plural = "" if months == 1 else "s"
        lines.append(f"  {months} month file{plural} ({span}), {size_words(data['bytes'])}.")
    steps = data["undo_steps"]
    if data["error"] is not None:
        lines.append("  The undo history cannot be read (see the error below).")
    elif data["exists"]:
        if not steps:
            lines.append("  Nothing to undo.")
        else:
            lines.append(f"  {steps} change{'' if steps == 1 else 's'} can be undone.")
    lines += ["", f"Settings file ({_CHOSEN_BY[settings['chosen_by']]}):"]
    lines.append(f"  {printable(settings['path'])}")
    if settings["error"] is not None:
        lines.append("  It cannot be used (see the error below).")
    else:
        if not settings["exists"]:
            lines.append("  Not created yet: the defaults are in use.")
        chosen = settings["settings"]
        width = max(len(name) for name in chosen)
        lines += [
            f"  {name:<{width}}  {setting_words(name, value)}" for name, value in chosen.items()
        ]
    if facts["report_path"] is not None:
        lines += ["", "Reports are saved to:", f"  {printable(facts['report_path'])}"]
    return lines


def setting_words(name: str, value: object) -> str:
    """A setting's value for ``tracker info``, with what it means where that is not plain."""
    if name == "theme":
        return "the app's default" if value is None else printable(str(value))
    if name == "welcome":
        return "yes (the app opens with its welcome)" if value else "no"
    if name == "date_order":
        numeric = "11/24/2026" if value == "month/day/year" else "24/11/2026"
        return f"{value} ({numeric} is 24 November 2026)"
    return printable(str(value))


def cmd_info(args: argparse.Namespace) -> int:
    """Where everything is. Prints what it can, then refuses a file it cannot use, as any
    command would (a bad settings file: exit 2; a bad undo.json: exit 3)."""
    facts, problems = info_facts(args.data)
    if args.json:
        print(json.dumps(facts, ensure_ascii=False, indent=2))
    else:
        print("\n".join(info_lines(facts)))
    if problems:
        raise problems[0]
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    """What the data folder holds and whether anything needs the user. Reads every file but
    refuses none (a file it cannot read is named, not fatal); writes only with --repair.
    Exit 0 when all is well, 3 when a file cannot be read (as any command would refuse)."""
    from tracker.store.survey import survey

    folder = data_folder(args.data)
    repaired = None
    if args.repair and folder.is_dir():
        from tracker.store import Store

        repaired = Store(folder, today=today).repair()
    found = survey(folder)
    if args.json:
        print(json.dumps(doctor_facts(found, repaired), ensure_ascii=False, indent=2))
    else:
        print("\n".join(doctor_lines(found, repaired)))
    return EXIT_DATA_FILE if found.unreadable else EXIT_OK


def doctor_facts(found: FolderSurvey, repaired: RepairResult | None) -> dict[str, object]:
    """``tracker doctor --json`` (cli.md)."""
    from tracker.store.survey import NOT_NAMED

    return {
        "data_folder": str(found.folder),
        "exists": found.exists,
        "this_device": None if found.device == NOT_NAMED else found.device,
        "entries": found.entries,
        "deleted": found.deleted,
        "months": len(found.months),
        "first_month": found.months[0] if found.months else None,
        "last_month": found.months[-1] if found.months else None,
        "devices": [
            {
                "name": d.name,
                "this_device": d.name == found.device,
                "month_files": d.month_files,
                "entry_states": d.records,
                "tombstones": d.tombstones,
            }
            for d in found.devices
        ],
        "conflict_copies_waiting": found.conflict_copies,
        "older_tracker_files": found.legacy_files,
        "unreadable": found.unreadable,
        "left_alone": found.other_copies,
        "archived": found.archived,
        "not_indexed": found.unindexed,
        "repaired": None
        if repaired is None
        else {"folded": repaired.folded, "indexed": repaired.indexed},
        "needs_you": found.needs_you(),
    }


def doctor_lines(found: FolderSurvey, repaired: RepairResult | None) -> list[str]:
    from tracker.store.survey import NOT_NAMED

    device = found.device
    if device == NOT_NAMED:
        device = "not named yet (its first entry names it)"
    lines = [f"Data folder: {printable(str(found.folder))}", f"This device: {device}"]
    if not found.exists:
        return [*lines, "Not created yet: the first entry you log creates it.", "All is well."]
    if found.months:
        span = f"{month_words(found.months[0])} to {month_words(found.months[-1])}"
        lines.append(f"Entries: {found.entries:,} over {len(found.months)} months ({span}).")
    else:
        lines.append("Entries: none yet.")
    if found.deleted:
        lines.append(
            f"Deleted entries remembered (so that no device brings them back): {found.deleted:,}."
        )
    for held in found.devices:
        name = "an older tracker (shared files)" if held.name is None else held.name
        if held.name == found.device:
            name += " (this device)"
        lines.append(
            f"  {name}: {held.month_files} month files, {held.records:,} entries"
            + (f", {held.tombstones:,} tombstones" if held.tombstones else "")
        )
    if repaired is not None:
        lines.append(
            f"Repaired: {len(repaired.folded)} conflict copies folded in, "
            f"{repaired.indexed:,} entries added to the id index."
        )
    if found.conflict_copies:
        lines.append(
            f"Conflict copies: {len(found.conflict_copies)} merged into what you see; the next "
            "change of their month (or tracker doctor --repair) folds them in and moves them "
            "to archive/."
        )
        lines += [f"  {printable(name)}" for name in found.conflict_copies]
    if found.legacy_files:
        lines.append(
            f"Files of an older tracker: {len(found.legacy_files)}, read as they are; the next "
            "change moves them into this device's files (the old ones go to archive/)."
        )
    if found.unindexed:
        lines.append(
            f"Not in the id index: {found.unindexed:,} entries (edit or delete by id reads "
            "every month for them; tracker doctor --repair indexes them)."
        )
    if found.archived:
        lines.append(f"Archive: {found.archived} files kept in archive/ (never deleted).")
    needs = found.needs_you()
    if needs:
        lines.append("Needs you:")
        lines += [f"  - {printable(sentence)}" for sentence in needs]
    else:
        lines.append("All is well: nothing needs you.")
    return lines


def _trend_window(args: argparse.Namespace) -> tuple[date, int]:
    until = flag_date("--until", args.until) or today()
    days = whole_number("--days", args.days, 1, 36500)
    return until, days


def cmd_chart(args: argparse.Namespace, store: Store) -> int:
    from tracker import charts
    from tracker.settings import load_settings

    until, days = _trend_window(args)
    week_start = load_settings().week_start_index  # weekly bars start on the user's first day
    size = os.get_terminal_size(sys.stdout.fileno()) if sys.stdout.isatty() else None
    width = args.width and whole_number("--width", args.width, 20, 1000)
    height = args.height and whole_number("--height", args.height, 8, 500)
    first, last = charts.days_needed(until, days)
    entries = store.entries_of_days(first, last)
    if charts.chart_def(args.name).reads_plans:  # a plan in force may be years old
        from tracker.insights import entries_of_kind_before

        entries = entries_of_kind_before(store, "plan", first - timedelta(days=1)) + entries
    if args.kind is not None:
        entries = _of_kind(args.name, args.kind, entries)
    text = charts.render(
        args.name,
        entries,
        until=until,
        days=days,
        width=width or (size.columns if size else 80),
        height=height or (size.lines - 1 if size else 24),
        color=charts.color_wanted(sys.stdout.isatty(), os.environ),
        week_start=week_start,
    )
    write_output(text, None)
    return EXIT_OK


def _of_kind(chart: str, kind: str, entries: list[Entry]) -> list[Entry]:
    """``chart progression --kind K``: K's entries and the check-ins (its flags need them)."""
    from tracker.charts.progression import progression_kinds

    kinds = progression_kinds()
    if chart != "progression":
        raise UsageError(f"--kind is for the progression chart only, not {chart}")
    if kind not in kinds:
        raise UsageError(f"--kind must be one of {', '.join(kinds)}, got {kind!r}")
    return [e for e in entries if e["kind"] in (kind, "checkin")]


def cmd_insights(args: argparse.Namespace, store: Store) -> int:
    from tracker import insights

    until, days = _trend_window(args)
    entries = insights.read_for_insights(store, until=until, days=days)
    result = insights.insights(entries, until=until, days=days)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print("\n".join(insights.insight_sentences(result)))
    return EXIT_OK


def cmd_questionnaires(args: argparse.Namespace, store: Store) -> int:
    from tracker import questionnaires

    until = flag_date("--until", args.until) or today()
    entries = store.entries_between(None, until)
    if args.json:
        result = questionnaires.questionnaires_json(entries, until)
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print("\n".join(questionnaires.summary_lines(entries, until)))
    return EXIT_OK


def cmd_events(args: argparse.Namespace, store: Store) -> int:
    """The events, each with knee and back pain 4 weeks before against 4 weeks after."""
    from tracker import events

    start = flag_date("--from", args.start)
    end = flag_date("--to", args.end)
    until = today()
    if start is None:
        entries = store.entries()
    else:  # only the months the events and their comparisons need
        entries = events.read_for_events(store, start, end or until, until)
    result = events.events_result(entries, start=start, end=end, until=until)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not result["events"]:
        print('No events. Note one with `tracker log event --type flare --text "..."`.')
        return EXIT_OK
    ids = shown_ids(
        ids_to_tell_apart(store, [e for e in entries if e["kind"] == "event"], whole=start is None)
    )
    for row in result["events"]:
        print(
            f"{row['date']}  {ids.get(row['id'], row['id'][:SHOWN_ID_MIN])}  {events.headline(row)}"
        )
        for line in row["before_after"]:
            print(f"  {events.before_after_sentence(line)}")
    print()
    print(events.CAVEAT)
    return EXIT_OK


# Weeks of the report start on Monday until settings say otherwise (0 = Monday .. 6 = Sunday).
def last_physio_visit(store: Store, until: date) -> date | None:
    """The last physio visit (an event) before ``until``: the report for today's visit covers
    the time since the one before. Reads the months the store notes for events (else every
    month), from the newest back, until it finds one."""
    from tracker.insights import month_days

    noted = store.kind_months("event")
    months = reversed(store.months() if noted is None else noted)
    for first, last in month_days(months, until - timedelta(days=1)):
        for entry in reversed(store.entries_of_days(first, last)):
            if entry["kind"] == "event" and entry.get("type") == "physio":
                return date.fromisoformat(entry["date"])
    return None


def cmd_report(args: argparse.Namespace, store: Store) -> int:
    from tracker import report
    from tracker.settings import load_settings

    until = flag_date("--until", args.until) or today()
    weeks = whole_number("--weeks", args.weeks, 1, 520)
    if args.since_visit:
        visit = last_physio_visit(store, until)
        if visit is None:
            raise UsageError(
                "--since-visit: no physio visit before the report's last day: note one with "
                '`tracker log event --type physio --text "..."`, or give --weeks'
            )
        weeks = min(520, (until - visit).days // 7 + 1)  # whole weeks, the visit's day in
        print(
            f"Since the physio visit of {records.short_date(visit)}: {weeks} weeks.",
            file=sys.stderr,
        )
    week_start = load_settings().week_start_index  # weeks start on the user's first day
    out = None if args.out is None else Path(args.out).expanduser()
    html = args.html or (out is not None and out.suffix.lower() in (".html", ".htm"))
    entries = report.read_for_report(store, weeks=weeks, until=until)
    if out is None and not html:
        text = report.build_report(entries, weeks=weeks, until=until, week_start=week_start)
        write_output(text, None)
        return EXIT_OK
    fmt = "html" if html else "markdown"
    target = out or report.default_report_path(until, fmt=fmt)
    try:
        saved = report.save_report(
            entries,
            until=until,
            weeks=weeks,
            path=target,
            week_start=week_start,
            fmt=fmt,
        )
    except OSError as error:
        flag = "--out" if out is not None else "report"
        raise UsageError(f"{flag}: cannot write {target}: {error.strerror}") from None
    # Always a line: where the file went, so that the command never "prints nothing".
    print(f"Saved report to {printable(str(saved.absolute()))}")
    return EXIT_OK


def open_tui(folder: Path) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Without a terminal (cron, a pipe, `< /dev/null`) the app would wait for keys forever.
        raise UsageError(
            "the app needs a terminal; without one, use a command such as "
            "`tracker today` or `tracker list` (see 'tracker --help')"
        )
    from tracker.settings import load_settings
    from tracker.tui.app import create_app

    pinned = os.environ.get("TRACKER_TODAY")
    settings = load_settings()  # a bad settings file: one line naming it, before the app opens
    app = create_app(
        folder, today=date.fromisoformat(pinned) if pinned else None, settings=settings
    )
    app.run()
    # The app exits with 3 when a data file cannot be used, as the commands do.
    return app.return_code or EXIT_OK


def cmd_serve(args: argparse.Namespace, folder: Path) -> int:
    """`tracker serve`: tracker/serve/server.py does the work; this checks the flags."""
    port = whole_number("--port", args.port, 1, 65535)
    try:
        from tracker.serve.server import serve
    except ImportError as error:
        if error.name not in ("textual_serve", "aiohttp", "jinja2"):
            raise
        raise TrackerError(
            "tracker serve needs textual-serve: pip install 'tracker[serve]'"
        ) from None
    from tracker.settings import load_settings

    load_settings()  # a bad settings file: one line now, not a blank page in the browser

    def say(line: str) -> None:
        print(line, flush=True)

    def warn(line: str) -> None:
        print(printable(line), file=sys.stderr, flush=True)

    return serve(folder, host=args.host, port=port, public_url=args.public_url, say=say, warn=warn)


COMMANDS: dict[str, Callable[[argparse.Namespace, Store], int]] = {
    "log": cmd_log,
    "plan": cmd_plan,
    "list": cmd_list,
    "today": cmd_today,
    "delete": cmd_delete,
    "undo": cmd_undo,
    "redo": cmd_redo,
    "export": cmd_export,
    "import": cmd_import,
    "demo": cmd_demo,
    "chart": cmd_chart,
    "insights": cmd_insights,
    "questionnaires": cmd_questionnaires,
    "events": cmd_events,
    "report": cmd_report,
}


# Flags whose value is free text, or a date typed as days ago ("--date -3", "--from -7"): a
# value starting with "-" ("--notes -sore") is the value, not another option.
TEXT_FLAGS = frozenset(
    {"--notes", "--exercise", "--tempo", "--date", "--from", "--to", "--until", "--text", "--end"}
)


def glue_text_values(argv: Sequence[str]) -> list[str]:
    """``--notes -sore`` -> ``--notes=-sore``, so argparse takes the dash as part of the text."""
    glued: list[str] = []
    words = iter(argv)
    for word in words:
        if word in TEXT_FLAGS:
            value = next(words, None)
            if value is not None and value.startswith("-") and value not in ("-h", "--help"):
                glued.append(f"{word}={value}")
                continue
            glued.append(word)
            if value is not None:
                glued.append(value)
            continue
        glued.append(word)
    return glued


def edit_help(order: DateOrder) -> str:
    """``tracker edit --help``: the flags of every kind, since they depend on the entry's."""
    lines = [
        "usage: tracker edit ID [--FLAG VALUE ...] [--data DIR]",
        "",
        "Change fields of one entry. ID is its id or a unique prefix of at least 6 characters,",
        'as `tracker list` shows it. Give only the fields to change; --FLAG "" clears an',
        "optional field. The flags are those of `tracker log` for the entry's kind:",
    ]
    common = [
        ("--date DATE", date_help(order, editing=True)),
        ("--notes TEXT", f"free text of at most {records.NOTES_MAX} characters"),
        ("--replace", "check-ins: replace the check-in of the new date"),
    ]
    sections = [("every entry", common)]
    for kind in KINDS:
        flags = [
            (f"{spec.flag} {field_metavar(spec)}", field_help(spec, editing=True))
            for spec in FIELDS[kind]
        ]
        sections.append((f"{kind} entries", flags))
    import textwrap

    for title, flags in sections:
        lines += ["", f"{title}:"]
        for flag, text in flags:
            wrapped = textwrap.wrap(text, 78 - 26) or [""]
            lines.append(f"  {flag:<24}{wrapped[0]}")
            lines += [" " * 26 + more for more in wrapped[1:]]
    return "\n".join(lines)


def run(argv: Sequence[str]) -> int:
    argv = glue_text_values(argv)
    # Help shows dates in the user's order; only help pays for reading the settings for it.
    order = help_date_order() if ("-h" in argv or "--help" in argv) else None
    if argv[:1] == ["edit"] and order is not None:
        print(edit_help(order))
        return EXIT_OK
    args, rest = build_parser(order).parse_known_args(argv)
    if rest and args.command != "edit":
        raise UsageError(f"unrecognised arguments: {' '.join(rest)} (see 'tracker --help')")
    folder = data_folder(args.data)
    if args.command is None:
        return open_tui(folder)
    if args.command == "info":
        return cmd_info(args)  # lists the folder; never loads the entries
    if args.command == "doctor":
        return cmd_doctor(args)  # reads every file but refuses none
    if args.command == "serve":
        return cmd_serve(args, folder)  # each browser session's app loads the entries
    from tracker.store import Store

    store = Store(folder, today=today)
    if args.command == "edit":
        return cmd_edit(args, rest, store)
    return COMMANDS[args.command](args, store)


def say_error(message: object) -> None:
    """One line on standard error; a value echoed in it (a path, a typed value) is escaped."""
    print(f"tracker: error: {printable(str(message))}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """The only exit point: a refusal says one line and exits with its own code."""
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except TrackerError as error:
        say_error(error)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `tracker list | head`: the reader left; not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:
        # The disk said no (permissions, a full disk, a path through a file): say which path.
        where = f"{error.filename}: " if error.filename else ""
        say_error(f"{where}{error.strerror or error}")
        return EXIT_UNEXPECTED
    except Exception as error:
        if os.environ.get("TRACKER_DEBUG"):
            raise
        message = printable(f"{type(error).__name__}: {error}")
        print(
            f"tracker: unexpected error: {message} (set TRACKER_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
