"""A Markdown progress report for the user or their physiotherapist (``tracker report``).

One page, most useful first: the period and how complete the diary is, what changed in the last
week by the bands of domain.md, weekly exercise volume, next-day associations with their counts,
sessions that call for holding progression, and the pain chart as plain text. Pure: entries in,
text out; the command line writes it to a file or standard output.

Notes and custom exercise names are not part of the report today; every table cell still goes
through ``markdown_cell`` and the whole text through ``printable``, so that no text from the
user or a file can break a table row, forge a line or reach a terminal as an escape sequence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta

from tracker import analysis, charts
from tracker.analysis import METRIC_INFO, AssociationRow, ChangeRow
from tracker.numbers import decimal, percent, signed
from tracker.records import KIND_LABELS, Entry
from tracker.text import printable

CHART_WIDTH = 80
CHART_HEIGHT = 22


def build_report(entries: Iterable[Entry], *, weeks: int = 4, until: date) -> str:
    """The report for the ``weeks`` weeks ending on ``until`` (inclusive), as Markdown."""
    weeks = max(weeks, 1)
    days = weeks * 7
    start = until - timedelta(days=days - 1)
    entries = analysis.select(entries, start - timedelta(days=14), until + timedelta(days=1))
    shown = [e for e in entries if start.isoformat() <= e["date"] <= until.isoformat()]
    result = analysis.insights(entries, until=until, days=days)
    parts = [
        f"# Progress report: {_day(start)} to {_day(until)}",
        "",
        f"Period: {weeks} week{'s' if weeks != 1 else ''} ({days} days), "
        f"{start.isoformat()} to {until.isoformat()}. Pain is rated 0-10 once a day (24-hour "
        "recall); clicking uses the KOOS S2 words, 0 = Never to 4 = Always.",
        "",
        *_adherence(shown, start, until, days),
        *_changes(result["changes"]),
        *_volume(shown, start, until),
        *_associations(result["associations"], days),
        *_flags(entries, start, until),
        *_chart(entries, until, days),
    ]
    # Our own text holds no control character; this keeps it so whatever a section shows.
    return printable("\n".join(parts).rstrip(), one_line=False) + "\n"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def markdown_cell(text: str) -> str:
    """``text`` as one Markdown table cell: control characters and newlines escaped (a note's
    line break would end the row), ``|`` and ``\\`` escaped (a bar would start a new cell)."""
    return printable(text, one_line=True).replace("\\", "\\\\").replace("|", "\\|")


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A Markdown table, one line per row whatever the cells hold, and a blank line after."""
    lines = [
        "| " + " | ".join(markdown_cell(h) for h in header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(markdown_cell(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _adherence(shown: list[Entry], start: date, until: date, days: int) -> list[str]:
    checkin_days = len({e["date"] for e in shown if e["kind"] == "checkin"})
    exercise_days = len({e["date"] for e in shown if e["kind"] != "checkin"})
    weeks = analysis.adherence(shown, start=start, end=until)
    return [
        "## Diary",
        "",
        f"Check-ins on {checkin_days} of {days} days ({round(100 * checkin_days / days)} %); "
        f"exercise on {exercise_days} of {days} days.",
        "",
        *markdown_table(
            ("Week starting", "Days with a check-in", "Days with exercise"),
            (
                (w.start.isoformat(), f"{w.checkin_days} of {w.days}", f"{w.exercise_days}")
                for w in weeks
            ),
        ),
    ]


def _mean_cell(mean: float | None, count: int) -> str:
    return f"{_cell(mean)} ({count} d)"


def _band_cell(row: ChangeRow) -> str:
    change, band = row["change"], row["band"]
    if change is None:
        return f"too few check-ins (need {analysis.MIN_DAYS_PER_WINDOW} a week)"
    if band is None:
        return "no bands for clicking"
    if band == "none":
        return "no clear change"
    return f"{band} {'improvement' if change < 0 else 'worsening'}"


def _changes(rows: list[ChangeRow]) -> list[str]:
    table = markdown_table(
        ("Measure", "Last 7 days", "7 days before", "Change", "Change %", "Band"),
        (
            (
                f"{METRIC_INFO[row['metric']].label} ({METRIC_INFO[row['metric']].scale})",
                _mean_cell(row["recent_mean"], row["recent_days"]),
                _mean_cell(row["previous_mean"], row["previous_days"]),
                _cell(row["change"], signed),
                _cell(row["change_pct"], percent),
                _band_cell(row),
            )
            for row in rows
        ),
    )
    return [
        "## Change: mean of the last 7 days against the 7 days before",
        "",
        *table,
        "Bands for pain (lower is better): minimal = at least 1 point and 15 % (Salaffi 2004); "
        "meaningful = at least 2 points and 30 % (Farrar 2001, Ostelo 2008); substantial = at "
        "least 2 points and 50 % (IMMPACT, Dworkin 2008). A week needs 4 check-ins for a mean; "
        "(n d) is the number of check-ins.",
        "",
    ]


def _volume(shown: list[Entry], start: date, until: date) -> list[str]:
    weeks = analysis.weekly_volume(shown, start=start, end=until)
    return [
        "## Weekly exercise volume",
        "",
        *markdown_table(
            (
                "Week starting",
                "Lunges: min under tension",
                "Cycling: min",
                "Cycling load (effort x min)",
                "Rotation: sets",
                "Sessions (lunge / cycling / rotation)",
            ),
            (
                (
                    w.start.isoformat(),
                    decimal(w.lunge_tut_min, 1),
                    decimal(w.cycling_min, 1),
                    decimal(w.cycling_load, 1),
                    str(w.rotation_sets),
                    " / ".join(str(w.sessions[kind]) for kind in ("lunge", "cycling", "rotation")),
                )
                for w in weeks
            ),
        ),
    ]


def _associations(rows: list[AssociationRow], days: int) -> list[str]:
    lines = [
        "## Pain the next day after exercise (an association, not proof of cause)",
        "",
        f"Check-ins of the last {days} days, split by whether the day before had that exercise "
        f'(other exercise or none counts as "other days"). Means are shown only with at least '
        f"{analysis.MIN_DAYS_PER_GROUP} days in each group.",
        "",
    ]
    return lines + markdown_table(
        (
            "Exercise",
            "Pain",
            "Mean after exercise",
            "Mean after other days",
            "Difference",
            "Days (exercise / other)",
        ),
        (
            (
                KIND_LABELS[row["exercise"]],
                METRIC_INFO[row["metric"]].label.lower(),
                _cell(row["mean_after_exercise"]),
                _cell(row["mean_after_rest"]),
                _cell(row["difference"], signed),
                f"{row['days_after_exercise']} / {row['days_after_rest']}",
            )
            for row in rows
            if row["lag_days"] == 1
        ),
    )


def _cell(value: float | None, shown: Callable[[float], str] = decimal) -> str:
    """A figure of a table, "-" for none."""
    return "-" if value is None else shown(value)


def _flags(entries: list[Entry], start: date, until: date) -> list[str]:
    found = analysis.flags(entries, start=start, end=until)
    lines = ["## Sessions flagged: hold progression", ""]
    if not found:
        lines.append(
            f"None: no session had pain during above {analysis.HOLD_PAIN_DURING_ABOVE}/10, and "
            f"knee pain never rose {analysis.HOLD_NEXT_DAY_RISE} or more points the day after."
        )
    # Several entries of one kind on one day (three rotation exercises) make one line.
    grouped: dict[tuple[date, str, str], int] = {}
    for flag in found:
        key = (flag.day, flag.kind, flag.reason)
        grouped[key] = grouped.get(key, 0) + 1
    for (day, kind, reason), count in grouped.items():
        times = f" ({count} entries)" if count > 1 else ""
        lines.append(f"- {day.isoformat()}, {KIND_LABELS[kind]}{times}: {reason}.")
    return [*lines, ""]


def _chart(entries: list[Entry], until: date, days: int) -> list[str]:
    text = charts.render(
        "pain", entries, until=until, days=days, width=CHART_WIDTH, height=CHART_HEIGHT
    )
    return ["## Pain chart", "", "```text", text, "```", ""]
