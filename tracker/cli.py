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
from tracker.errors import EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE, TrackerError
from tracker.records import EXERCISE_KINDS, FIELDS, KINDS, Entry, ValidationError
from tracker.text import printable

if TYPE_CHECKING:
    # Imported where used: the TUI loads the store in a worker after its first frame, so
    # `tracker` alone should not pay for TinyDB before it paints.
    from tracker.store import Store


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
    return "N" if spec.type in ("int", "number") else spec.name.upper()


def field_help(spec: records.Field, *, editing: bool) -> str:
    """A flag's help: what it is (with its unit), its range, and whether ``log`` needs it."""
    needed = "required; " if spec.required and not editing else ""
    if spec.type == "bool":
        return f"{spec.label}: {needed}alone means yes; --not-{spec.flag[2:]} means no"
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


def add_field_flags(parser: argparse.ArgumentParser, kind: str, *, editing: bool) -> None:
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
        parser.add_argument(
            spec.flag,
            dest=spec.name,
            metavar=field_metavar(spec),
            default=None,
            help=field_help(spec, editing=editing),
        )
    parser.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        default=None,
        help="move the entry to this date (not after today)" if editing else "default today",
    )
    parser.add_argument(
        "--notes",
        metavar="TEXT",
        default=None,
        help=f"free text of at most {records.NOTES_MAX} characters, shown as typed",
    )
    if kind == "checkin" or editing:
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the check-in of that date (check-ins only)",
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
        label = records.KIND_LABELS[kind].lower()
        article = "an" if label[0] in "aeiou" else "a"
        sub = kinds.add_parser(kind, help=f"add {article} {label} entry", usage=log_usage(kind))
        _add_data_option(sub, top=False)
        add_field_flags(sub, kind, editing=False)

    listing = commands.add_parser("list", help="entries, oldest first")
    _add_data_option(listing, top=False)
    listing.add_argument("--from", dest="start", metavar="DATE", help="first day (YYYY-MM-DD)")
    listing.add_argument("--to", dest="end", metavar="DATE", help="last day (YYYY-MM-DD)")
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
    chart.add_argument("--until", metavar="DATE", help="last day shown (default today)")
    chart.add_argument(
        "--width", metavar="W", help="columns, 20 to 1000 (default the terminal's, else 80)"
    )
    chart.add_argument(
        "--height", metavar="H", help="rows, 8 to 500 (default the terminal's, else 24)"
    )

    insights = commands.add_parser(
        "insights",
        help="progress since the start, this week, clicking, next-day associations, pain flags",
    )
    _add_data_option(insights, top=False)
    insights.add_argument("--until", metavar="DATE", help="last day (default today)")
    insights.add_argument(
        "--days",
        default="90",
        metavar="N",
        help="days searched for associations and pain flags (default 90)",
    )
    insights.add_argument("--json", action="store_true", help="one JSON object (cli.md)")

    report = commands.add_parser("report", help="a Markdown progress report")
    _add_data_option(report, top=False)
    report.add_argument("--weeks", default="4", metavar="N", help="weeks covered (default 4)")
    report.add_argument("--until", metavar="DATE", help="last day (default today)")
    report.add_argument("--out", metavar="FILE", help="write to FILE (default: print it)")

    export = commands.add_parser("export", help="every entry, as JSON or CSV")
    _add_data_option(export, top=False)
    export.add_argument(
        "--format", choices=("json", "csv"), default="json", help="json (default) or csv"
    )
    export.add_argument("--out", metavar="FILE", help="write to FILE (default: print it)")

    importing = commands.add_parser("import", help="merge a JSON array of entries by id")
    _add_data_option(importing, top=False)
    importing.add_argument("file", help="a JSON array of entries, as `tracker export` writes")

    demo = commands.add_parser("demo", help="fill an empty data folder with realistic data")
    _add_data_option(demo, top=False)
    demo.add_argument("--days", default="90", metavar="N", help="days of data (default 90)")
    demo.add_argument("--seed", default="1", metavar="S", help="random seed (default 1)")
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


SHOWN_ID_MIN = 8


def shown_ids(ids: Sequence[str]) -> dict[str, str]:
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


def format_entry_line(entry: Entry, shown_id: str | None = None) -> str:
    """One entry on one line: whatever its notes hold, they cannot break or forge a line."""
    notes = f"  | {printable(entry['notes'])}" if entry.get("notes") else ""
    kind = records.KIND_LABELS[entry["kind"]]
    entry_id = shown_id or entry["id"][:SHOWN_ID_MIN]
    return f"{entry['date']}  {entry_id}  {kind:<17}  {records.summary(entry)}{notes}"


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


def write_private_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as the data is kept: owner-only (0600), atomically.

    An export or a report holds the user's health diary, so it is created readable by its
    owner only, like the data folder; written beside its target and renamed over it, so that
    a crash never leaves half a backup. A path that is not a regular file (``/dev/stdout``)
    is written in place.
    """
    if path.exists() and not path.is_file():
        with path.open("w", encoding="utf-8") as out:
            out.write(text)
        return
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(fd, 0o600)
            payload = memoryview(text.encode("utf-8"))
            while payload:
                payload = payload[os.write(fd, payload) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


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
    with refusals_named_by_flag(kind):
        entry = store.add(kind, field_values(args, kind), replace=getattr(args, "replace", False))
    print(entry["id"])
    warn_if_not_undoable(store)
    return EXIT_OK


def warn_if_not_undoable(store: Store) -> None:
    """The change is stored (its id printed), but the undo history could not follow it."""
    if store.warning:
        print(f"tracker: warning: {printable(store.warning)}", file=sys.stderr)


def cmd_list(args: argparse.Namespace, store: Store) -> int:
    start = flag_date("--from", args.start)
    end = flag_date("--to", args.end)
    entries = store.entries_between(start, end, args.kind)
    if args.json:
        print(entries_json(entries))
    elif not entries:
        print("No entries.")
    else:
        ids = shown_ids([e["id"] for e in store.entries()])
        print("\n".join(format_entry_line(entry, ids[entry["id"]]) for entry in entries))
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
    entries, unstamped = read_import_file(path, today())
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
        color=charts.color_wanted(sys.stdout.isatty(), os.environ),
    )
    write_output(text, None)
    return EXIT_OK


def cmd_insights(args: argparse.Namespace, store: Store) -> int:
    from tracker import insights

    until, days = _trend_window(args)
    result = insights.insights(store.entries(), until=until, days=days)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print("\n".join(insights.insight_sentences(result)))
    return EXIT_OK


def cmd_report(args: argparse.Namespace, store: Store) -> int:
    from tracker import report

    until = flag_date("--until", args.until) or today()
    weeks = whole_number("--weeks", args.weeks, 1, 520)
    write_output(report.build_report(store.entries(), weeks=weeks, until=until), args.out)
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


COMMANDS: dict[str, Callable[[argparse.Namespace, Store], int]] = {
    "log": cmd_log,
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
    "report": cmd_report,
}


# Flags whose value is free text, or a date that may one day be typed "-3": a value starting
# with "-" ("--notes -sore") is the value, not another option (argparse would refuse it).
TEXT_FLAGS = frozenset({"--notes", "--exercise", "--tempo", "--date", "--from", "--to", "--until"})


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


def edit_help() -> str:
    """``tracker edit --help``: the flags of every kind, since they depend on the entry's."""
    lines = [
        "usage: tracker edit ID [--FLAG VALUE ...] [--data DIR]",
        "",
        "Change fields of one entry. ID is its id or a unique prefix of at least 6 characters,",
        'as `tracker list` shows it. Give only the fields to change; --FLAG "" clears an',
        "optional field. The flags are those of `tracker log` for the entry's kind:",
    ]
    common = [
        ("--date YYYY-MM-DD", "move the entry to this date (not after today)"),
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
    if argv[:1] == ["edit"] and ("-h" in argv or "--help" in argv):
        print(edit_help())
        return EXIT_OK
    args, rest = build_parser().parse_known_args(argv)
    if rest and args.command != "edit":
        raise UsageError(f"unrecognised arguments: {' '.join(rest)} (see 'tracker --help')")
    folder = data_folder(args.data)
    if args.command is None:
        return open_tui(folder)
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
