"""The command line: parses, calls the core, prints, maps errors to exit codes (cli.md).

Exit codes: 0 success; 2 bad usage or an invalid value (one line naming the flag and its
allowed range; nothing written); 3 a data file cannot be used; 1 anything unexpected.

The quick-add path (``tracker log ...``) pays for every import, so the TUI, plotext, the
analysis and platformdirs are imported inside the functions that need them; the TUI's first
frame pays for everything imported before it, so the store is imported late too.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from tracker import records
from tracker.records import EXERCISE_KINDS, FIELDS, KINDS, Entry, ValidationError

if TYPE_CHECKING:
    # Imported where used: the TUI loads the store in a worker after its first frame, so
    # `tracker` alone should not pay for TinyDB before it paints.
    from tracker.store import Store

EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE, EXIT_DATA_FILE = 0, 1, 2, 3
CHART_NAMES = ("pain", "clicking", "volume", "adherence", "response")


class UsageError(Exception):
    """Bad usage or an invalid value: exit 2 with this one-line message."""


class Parser(argparse.ArgumentParser):
    """argparse, but an error is one line and exit 2 through ``main``, not a usage dump."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def today() -> date:
    """The local date; ``TRACKER_TODAY`` (YYYY-MM-DD) pins it for tests and demos."""
    pinned = os.environ.get("TRACKER_TODAY")
    return date.fromisoformat(pinned) if pinned else date.today()


def data_folder(option: str | None) -> Path:
    """``--data``, else ``TRACKER_DATA``, else the user's data folder (platformdirs)."""
    if option:
        return Path(option).expanduser()
    if os.environ.get("TRACKER_DATA"):
        return Path(os.environ["TRACKER_DATA"]).expanduser()
    import platformdirs  # only here: it costs 11 ms, and --data / TRACKER_DATA skip it

    return platformdirs.user_data_path("tracker")


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


def add_field_flags(parser: argparse.ArgumentParser, kind: str, *, editing: bool) -> None:
    """One flag per field of ``kind``; values stay text so ``records`` validates them."""
    for spec in FIELDS[kind]:
        if spec.type == "bool":
            group = parser.add_mutually_exclusive_group()
            # `--painful` alone means yes; `--painful ""` clears it (edit), like any optional.
            group.add_argument(
                spec.flag, dest=spec.name, nargs="?", const=True, default=None, metavar="yes|no"
            )
            group.add_argument(
                "--not-" + spec.flag[2:], dest=spec.name, action="store_const", const=False
            )
            continue
        metavar = "N" if spec.type in ("int", "number") else spec.name.upper()
        parser.add_argument(
            spec.flag, dest=spec.name, metavar=metavar, default=None, help=spec.allowed
        )
    parser.add_argument("--date", metavar="YYYY-MM-DD", default=None, help="default today")
    parser.add_argument("--notes", metavar="TEXT", default=None, help="free text, shown as typed")
    if kind == "checkin" or editing:
        parser.add_argument(
            "--replace", action="store_true", help="replace the check-in of that date"
        )


def build_parser() -> Parser:
    parser = Parser(
        prog="tracker",
        description="Log knee and back rehab from the terminal; `tracker` alone opens the app.",
    )
    _add_data_option(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    log = commands.add_parser("log", help="add an entry")
    _add_data_option(log, top=False)
    kinds = log.add_subparsers(dest="kind", metavar="KIND", parser_class=Parser, required=True)
    for kind in KINDS:
        sub = kinds.add_parser(kind, help=f"add a {records.KIND_LABELS[kind].lower()} entry")
        _add_data_option(sub, top=False)
        add_field_flags(sub, kind, editing=False)

    listing = commands.add_parser("list", help="entries, oldest first")
    _add_data_option(listing, top=False)
    listing.add_argument("--from", dest="start", metavar="DATE")
    listing.add_argument("--to", dest="end", metavar="DATE")
    listing.add_argument("--kind", choices=KINDS)
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

    chart = commands.add_parser("chart", help="print a chart")
    _add_data_option(chart, top=False)
    chart.add_argument("name", choices=CHART_NAMES)
    chart.add_argument("--days", default="90", metavar="N")
    chart.add_argument("--until", metavar="DATE")
    chart.add_argument("--width", metavar="W")
    chart.add_argument("--height", metavar="H")

    insights = commands.add_parser("insights", help="banded changes and exercise associations")
    _add_data_option(insights, top=False)
    insights.add_argument("--until", metavar="DATE")
    insights.add_argument("--days", default="90", metavar="N")
    insights.add_argument("--json", action="store_true")

    report = commands.add_parser("report", help="a Markdown progress report")
    _add_data_option(report, top=False)
    report.add_argument("--weeks", default="4", metavar="N")
    report.add_argument("--until", metavar="DATE")
    report.add_argument("--out", metavar="FILE")

    export = commands.add_parser("export", help="every entry, as JSON or CSV")
    _add_data_option(export, top=False)
    export.add_argument("--format", choices=("json", "csv"), default="json")
    export.add_argument("--out", metavar="FILE")

    importing = commands.add_parser("import", help="merge a JSON array of entries by id")
    _add_data_option(importing, top=False)
    importing.add_argument("file")

    demo = commands.add_parser("demo", help="fill an empty data folder with realistic data")
    _add_data_option(demo, top=False)
    demo.add_argument("--days", default="90", metavar="N")
    demo.add_argument("--seed", default="1", metavar="S")
    return parser


# ---------------------------------------------------------------- values


def whole_number(flag: str, text: str, low: int, high: int) -> int:
    spec = records.Field(flag, flag, flag, "int", low=low, high=high)
    try:
        value: int = records.coerce(spec, text)
    except ValidationError as error:
        raise UsageError(error.describe(flag)) from None
    return value


def flag_date(flag: str, text: str | None, *, latest: date | None = None) -> date | None:
    if text is None:
        return None
    try:
        return records.parse_date(text, today=latest, field=flag)
    except ValidationError as error:
        raise UsageError(error.describe(flag)) from None


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


def format_entry_line(entry: Entry) -> str:
    notes = f"  | {entry['notes']}" if entry.get("notes") else ""
    kind = records.KIND_LABELS[entry["kind"]]
    return f"{entry['date']}  {entry['id'][:8]}  {kind:<17}  {records.summary(entry)}{notes}"


def entries_json(entries: Sequence[Entry]) -> str:
    return json.dumps(list(entries), ensure_ascii=False, indent=2)


def csv_columns() -> list[str]:
    columns = ["id", "kind", "date"]
    for kind in KINDS:
        columns += [spec.name for spec in FIELDS[kind] if spec.name not in columns]
    return [*columns, "notes", "created_at", "updated_at"]


def write_csv(entries: Sequence[Entry], out: TextIO) -> None:
    import csv

    writer = csv.DictWriter(out, fieldnames=csv_columns(), lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        row = {}
        for name, value in entry.items():
            if isinstance(value, bool):
                value = "true" if value else "false"
            row[name] = "" if value is None else value
        writer.writerow(row)


def write_output(text: str, out: str | None) -> None:
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    path = Path(out).expanduser()
    try:
        path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
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
    with refusals_named_by_flag(kind):
        entry = store.add(kind, field_values(args, kind), replace=getattr(args, "replace", False))
    print(entry["id"])
    return EXIT_OK


def cmd_list(args: argparse.Namespace, store: Store) -> int:
    start = flag_date("--from", args.start)
    end = flag_date("--to", args.end)
    entries = store.entries_between(start, end, args.kind)
    if args.json:
        print(entries_json(entries))
    elif not entries:
        print("No entries.")
    else:
        print("\n".join(format_entry_line(entry) for entry in entries))
    return EXIT_OK


def cmd_today(args: argparse.Namespace, store: Store) -> int:
    day = today()
    entries = store.entries_between(day, day)
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
    with refusals_named_by_flag(kind):
        updated = store.edit(entry["id"], changes, replace=options.replace)
    print(updated["id"])
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
    return EXIT_OK


def cmd_undo(args: argparse.Namespace, store: Store) -> int:
    result = store.undo()
    print(result.description if result else "Nothing to undo.")
    return EXIT_OK


def cmd_export(args: argparse.Namespace, store: Store) -> int:
    entries = store.entries()
    if args.format == "json":
        write_output(entries_json(entries), args.out)
        return EXIT_OK
    if args.out is None:
        write_csv(entries, sys.stdout)
        return EXIT_OK
    path = Path(args.out).expanduser()
    try:
        with path.open("w", newline="", encoding="utf-8") as out:
            write_csv(entries, out)
    except OSError as error:
        raise UsageError(f"--out: cannot write {path}: {error.strerror}") from None
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
    entries, unstamped = read_import_file(path, today())
    added, replaced = store.import_entries(entries, unstamped=unstamped)
    unchanged = len(entries) - added - replaced
    print(
        f"Imported {len(entries)} entries: {added} new, {replaced} replaced, {unchanged} unchanged."
    )
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


def _trend_window(args: argparse.Namespace) -> tuple[date, int]:
    until = flag_date("--until", args.until) or today()
    days = whole_number("--days", args.days, 1, 36500)
    return until, days


def cmd_chart(args: argparse.Namespace, store: Store) -> int:
    from tracker import charts

    until, days = _trend_window(args)
    size = os.get_terminal_size(sys.stdout.fileno()) if sys.stdout.isatty() else None
    width = args.width and whole_number("--width", args.width, 20, 1000)
    height = args.height and whole_number("--height", args.height, 8, 500)
    text = charts.render(
        args.name,
        store.entries(),
        until=until,
        days=days,
        width=width or (size.columns if size else 80),
        height=height or (size.lines - 1 if size else 24),
        color=sys.stdout.isatty(),
    )
    write_output(text, None)
    return EXIT_OK


def cmd_insights(args: argparse.Namespace, store: Store) -> int:
    from tracker import analysis

    until, days = _trend_window(args)
    result = analysis.insights(store.entries(), until=until, days=days)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print("\n".join(analysis.insight_sentences(result)))
    return EXIT_OK


def cmd_report(args: argparse.Namespace, store: Store) -> int:
    from tracker import report

    until = flag_date("--until", args.until) or today()
    weeks = whole_number("--weeks", args.weeks, 1, 520)
    write_output(report.build_report(store.entries(), weeks=weeks, until=until), args.out)
    return EXIT_OK


def open_tui(folder: Path) -> int:
    from tracker.tui.app import create_app

    pinned = os.environ.get("TRACKER_TODAY")
    app = create_app(folder, today=date.fromisoformat(pinned) if pinned else None)
    app.run()
    # The app exits with 3 when a data file cannot be used, as the commands do.
    return app.return_code or EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, Store], int]] = {
    "log": cmd_log,
    "list": cmd_list,
    "today": cmd_today,
    "delete": cmd_delete,
    "undo": cmd_undo,
    "export": cmd_export,
    "import": cmd_import,
    "demo": cmd_demo,
    "chart": cmd_chart,
    "insights": cmd_insights,
    "report": cmd_report,
}


def run(argv: Sequence[str]) -> int:
    args, rest = build_parser().parse_known_args(list(argv))
    if rest and args.command != "edit":
        raise UsageError(f"unrecognised arguments: {' '.join(rest)} (see 'tracker --help')")
    folder = data_folder(args.data)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--data: {folder} is a file; the data folder must be a folder")
    if args.command is None:
        return open_tui(folder)
    from tracker.store import Store

    store = Store(folder, today=today)
    if args.command == "edit":
        return cmd_edit(args, rest, store)
    return COMMANDS[args.command](args, store)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except UsageError as error:
        print(f"tracker: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `tracker list | head`: the reader left; not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:
        # The disk said no (permissions, a full disk, a path through a file): say which path.
        where = f"{error.filename}: " if error.filename else ""
        print(f"tracker: error: {where}{error.strerror or error}", file=sys.stderr)
        return EXIT_UNEXPECTED
    except Exception as error:
        from tracker.store import BusyError, DataFileError

        if isinstance(error, DataFileError):
            print(f"tracker: error: {error}", file=sys.stderr)
            return EXIT_DATA_FILE
        if isinstance(error, BusyError):
            print(f"tracker: error: {error}", file=sys.stderr)
            return EXIT_UNEXPECTED
        if os.environ.get("TRACKER_DEBUG"):
            raise
        print(
            f"tracker: unexpected error: {type(error).__name__}: {error} "
            "(set TRACKER_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
