"""A Markdown progress report for the user or their physiotherapist (``tracker report``).

Most useful first, and nothing the rules of domain.md version 2 do not support: the period and
how complete the diary is, progress since the first two weeks with its interval and band,
this week against last week, clicking as counts of answers, the pain-monitoring days (flagged,
assessable, not assessable), exercise and the next day with adjusted differences and the
caveat, weekly volume, the pain chart as plain text, and the safety note. Pure: entries in,
text out; the command line writes it to a file or standard output.

Notes and custom exercise names are not part of the report today; every table cell still goes
through ``markdown_cell`` and the whole text through ``printable``, so that no text from the
user or a file can break a table row, forge a line or reach a terminal as an escape sequence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta

from tracker import analysis, charts, insights
from tracker.analysis import METRIC_INFO
from tracker.insights import (
    AssociationRow,
    ClickingRow,
    Monitoring,
    ProgressRow,
    WeekRow,
)
from tracker.kinds import kind_of
from tracker.numbers import decimal, one_decimal, plain, signed_one_decimal
from tracker.records import CLICKING_WORDS, EXERCISE_KINDS, KIND_LABELS, Entry, short_date
from tracker.text import printable

CHART_WIDTH = 80
CHART_HEIGHT = 22


def build_report(entries: Iterable[Entry], *, weeks: int = 4, until: date) -> str:
    """The report for the ``weeks`` weeks ending on ``until`` (inclusive), as Markdown."""
    weeks = max(weeks, 1)
    days = weeks * 7
    start = until - timedelta(days=days - 1)
    everything = list(entries)  # progress compares with the first two weeks of the diary
    recent = analysis.select(everything, start - timedelta(days=14), until + timedelta(days=1))
    shown = [e for e in recent if start.isoformat() <= e["date"] <= until.isoformat()]
    result = insights.insights(everything, until=until, days=days)
    parts = [
        f"# Progress report: {_day(start)} to {_day(until)}",
        "",
        f"Period: {weeks} week{'s' if weeks != 1 else ''} ({days} days), "
        f"{start.isoformat()} to {until.isoformat()}. Pain is rated 0-10 once a day (24-hour "
        "recall); clicking uses the KOOS S2 words, 0 = Never to 4 = Always.",
        "",
        *_adherence(shown, start, until, days),
        *_progress(result["progress"]),
        *_week(result["week"]),
        *_clicking(result["clicking"]),
        *_monitoring(result["monitoring"], days),
        *_associations(result["associations"], days),
        *_volume(shown, start, until),
        *_chart(recent, until, days),
        "## Safety",
        "",
        insights.SAFETY_NOTE,
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
    # The weeks' own counts: one rule for what counts as exercise (the exercise kinds).
    weeks = analysis.adherence(shown, start=start, end=until)
    checkin_days = sum(w.checkin_days for w in weeks)
    exercise_days = sum(w.exercise_days for w in weeks)
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


def _span_cell(span: insights.Span) -> str:
    """ "6.3 (13 d)": a span's mean and its check-ins, "-" for a mean there is not."""
    return f"{_cell(span['mean'], one_decimal)} ({span['days']} d)"


def _interval_cell(ci: Sequence[float] | None) -> str:
    return "-" if ci is None else f"{one_decimal(ci[0])} to {one_decimal(ci[1])}"


def _verdict(change: float | None, beyond: bool | None, band: str | None = None) -> str:
    if change is None or beyond is None:
        return "-"
    if not beyond:
        return "within day-to-day variation"
    if band is not None:
        return insights.BAND_WORDS[band]
    return ("higher" if change > 0 else "lower") + ", beyond day-to-day variation"


_STATUS_WORDS = {
    "too_early": "too early: four weeks of diary are needed",
    "too_few_checkins": f"too few check-ins: {insights.MIN_SPAN_CHECKINS} in each span are needed",
}


def _progress(rows: list[ProgressRow]) -> list[str]:
    def verdict(row: ProgressRow) -> str:
        if row["status"] != "ok":
            return _STATUS_WORDS[row["status"]]
        return _verdict(row["change"], row["beyond_variation"], row["band"])

    first = rows[0]["baseline"]
    since = "" if first["start"] is None else f" ({first['start']} to {first['end']})"
    table = markdown_table(
        (
            "Measure",
            "First two weeks",
            "Last two weeks",
            "Change",
            "Change %",
            "95 % CI",
            "Verdict",
        ),
        (
            (
                f"{METRIC_INFO[row['metric']].label} (0-10)",
                _span_cell(row["baseline"]),
                _span_cell(row["recent"]),
                _cell(row["change"], signed_one_decimal),
                _cell(row["change_pct"], lambda v: f"{v:+.0f}" if round(v) else "0"),
                _interval_cell(row["ci"]),
                verdict(row),
            )
            for row in rows
        ),
    )
    return [
        f"## Progress since the start: the first two weeks{since} against the last two",
        "",
        *table,
        "A change is named only when its 95 % interval, built from this person's own "
        "day-to-day variation, leaves out zero. Bands for an improvement in pain: substantial "
        "= at least 50 % (IMMPACT, Dworkin 2008); meaningful = at least 2 points or 30 % "
        "(Farrar 2001, Ostelo 2008); small = at least 1 point or 15 % (Salaffi 2004); with a "
        "first-weeks mean below 3, points only. (n d) is the number of check-ins.",
        "",
        insights.START_CAVEAT,
        "",
    ]


def _week(rows: list[WeekRow]) -> list[str]:
    return [
        "## This week against last week",
        "",
        *markdown_table(
            ("Measure", "Last week", "This week", "Change", "95 % CI", "Verdict"),
            (
                (
                    f"{METRIC_INFO[row['metric']].label} (0-10)",
                    _span_cell(row["previous"]),
                    _span_cell(row["recent"]),
                    _cell(row["change"], signed_one_decimal),
                    _interval_cell(row["ci"]),
                    _verdict(row["change"], row["beyond_variation"]),
                )
                for row in rows
            ),
        ),
        f"A week needs {insights.MIN_WEEK_CHECKINS} check-ins for a mean; no bands for one "
        "week (the published thresholds are about a course of treatment).",
        "",
    ]


def _clicking(rows: list[ClickingRow]) -> list[str]:
    header = ("Knee", "Span", *CLICKING_WORDS, "Painful days")
    table = []
    for row in rows:
        table.append(
            (row["knee"], "first two weeks", *map(str, row["baseline_days_by_answer"]), "")
        )
        table.append(
            (
                row["knee"],
                "last two weeks",
                *map(str, row["recent_days_by_answer"]),
                str(row["recent_painful_days"]),
            )
        )
    return [
        "## Clicking: days by answer",
        "",
        *markdown_table(header, table),
        "Answers are categories: counted, never averaged. Clicking without pain is common; "
        "painful clicking is worth telling a physiotherapist.",
        "",
    ]


def _reason(reason: insights.PainDuringReason | insights.NotSettledReason) -> str:
    if reason["rule"] == "pain_during":
        return f"pain during {KIND_LABELS[reason['kind']].lower()} {reason['value']}/10"
    return (
        f"{METRIC_INFO[reason['metric']].label.lower()} {reason['next_day']} the next day, "
        f"{reason['before']} at most in the 3 days before"
    )


def _monitoring(result: Monitoring, days: int) -> list[str]:
    lines = [
        "## Pain monitoring (the traffic light of the pain-monitoring model)",
        "",
        f"Days with exercise in the last {days} days: {result['days_with_exercise']}; "
        f"assessable: {result['assessable_days']}; not assessable: "
        f"{result['not_assessable_days']} (no check-in the next day, or fewer than 2 in the 3 "
        "days before).",
        "",
    ]
    if result["flags"]:
        lines += markdown_table(
            ("Day", "Exercise", "Why"),
            (
                (
                    flag["date"],
                    ", ".join(KIND_LABELS[k] for k in flag["exercises"]),
                    "; ".join(_reason(r) for r in flag["reasons"]),
                )
                for flag in result["flags"]
            ),
        )
    else:
        lines += [
            f"No day flagged: no pain during above {insights.PAIN_DURING_LIMIT}/10, and no "
            f"pain {insights.NOT_SETTLED_RISE} or more points above the days before on the "
            "days that could be assessed.",
            "",
        ]
    for rising in result["pain_rising"]:
        lines += [
            f"{METRIC_INFO[rising['metric']].label} rose this week by "
            f"{one_decimal(rising['change'])} points (95 % CI {_interval_cell(rising['ci'])}).",
            "",
        ]
    if result["flags"] or result["pain_rising"]:
        lines += [
            "The model's advice: ease the load of the exercises named until pain settles, "
            "and discuss it with the physiotherapist.",
            "",
        ]
    if result["not_assessable_dates"]:
        dates = ", ".join(short_date(d) for d in result["not_assessable_dates"])
        lines += [f"Not assessable: {dates}.", ""]
    lines += [
        "Pain during exercise up to 5/10 is acceptable; pain should settle by the next day and "
        "not rise from week to week (Thomee 1997; Silbernagel 2007). The next day's check-in "
        "(a 24-hour rating in the evening) stands in for the model's next-morning rating.",
        "",
    ]
    return lines


def _volume(shown: list[Entry], start: date, until: date) -> list[str]:
    weeks = analysis.weekly_volume(shown, start=start, end=until)
    kinds = [kind_of(name) for name in EXERCISE_KINDS]
    header = [
        "Week starting",
        *(f"{kind.short_label}: {kind.volume_unit}" for kind in kinds),
        "Cycling effort-minutes",
        "Sessions (" + " / ".join(kind.name for kind in kinds) + ")",
    ]
    rows = (
        (
            w.start.isoformat(),
            *(plain(round(w.volume(kind.name), 1)) for kind in kinds),
            decimal(w.cycling_load, 1),
            " / ".join(str(w.sessions.get(kind.name, 0)) for kind in kinds),
        )
        for w in weeks
    )
    return [
        "## Weekly exercise volume",
        "",
        *markdown_table(header, rows),
        "Lunge time under tension is sets x reps x (E+B+C+T) seconds, both legs together when "
        "both were worked (each knee carries half of it). Effort-minutes are effort (0-10) x "
        "minutes of cycling.",
        "",
    ]


def _associations(rows: list[AssociationRow], days: int) -> list[str]:
    lines = [
        "## Pain the next day after exercise (an association, not proof of cause)",
        "",
        f"Days of the last {days} days with a check-in on the day and the day before, split by "
        f'whether the day before had that exercise (other exercise or none counts as "other '
        f'days"). Means need at least {insights.MIN_GROUP_DAYS} days in each group; the '
        f"adjusted difference (for the pain of the day before and the trend, at least "
        f"{insights.MIN_FIT_DAYS} days) comes with a 99.2 % interval (95 % shared by six "
        "comparisons).",
        "",
    ]
    table = markdown_table(
        (
            "Exercise",
            "Pain",
            "Mean after exercise",
            "Mean after other days",
            "Days (exercise / other)",
            "Adjusted difference",
            "99.2 % CI",
            "Verdict",
        ),
        (
            (
                KIND_LABELS[row["exercise"]],
                METRIC_INFO[row["metric"]].label.lower(),
                _cell(row["mean_after_exercise"], one_decimal),
                _cell(row["mean_after_other"], one_decimal),
                f"{row['days_after_exercise']} / {row['days_after_other']}",
                _cell(row["adjusted_difference"], signed_one_decimal),
                _interval_cell(row["ci"]),
                _verdict(row["adjusted_difference"], row["beyond_variation"]),
            )
            for row in rows
        ),
    )
    return [*lines, *table, insights.ASSOCIATION_CAVEAT, ""]


def _cell(value: float | None, shown: Callable[[float], str] = decimal) -> str:
    """A figure of a table, "-" for none."""
    return "-" if value is None else shown(value)


def _chart(entries: list[Entry], until: date, days: int) -> list[str]:
    text = charts.render(
        "pain", entries, until=until, days=days, width=CHART_WIDTH, height=CHART_HEIGHT
    )
    return ["## Pain chart", "", "```text", text, "```", ""]
