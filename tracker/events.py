"""Events and the pain around them: 4 weeks before against 4 weeks after (domain.md, "Events").

Each event (a flare, an injection, a physio visit ...) gets, for knee and back pain, the mean of
the check-ins of the 28 days before its day against the 28 days after it (after a flare's end,
when it has one), with the interval of domain.md's noise rule (``stats.span_difference``, the
one rule every comparison of two spans uses) and a direction only beyond day-to-day variation.
What follows an event is not caused by it: every statement carries ``CAVEAT``.

Pure functions over entries (the plain dicts of ``records``): no I/O, no Textual.
``events_result`` returns the JSON of cli.md ("events --json").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Literal, TypedDict

from tracker import stats
from tracker.analysis import METRIC_INFO
from tracker.insights import (
    PAIN_METRICS,
    R1_DAYS,
    Diary,
    EntrySource,
    Span,
    _direction,
    _span,
    interval,
)
from tracker.kinds.event import END_FIELD, type_label
from tracker.numbers import one_decimal
from tracker.numbers import signed_one_decimal as signed
from tracker.records import Entry, short_date
from tracker.text import printable

VERSION = 1
SPAN_DAYS = 28  # four weeks each side
MIN_CHECKINS = 14  # half the days of a span, as the progress rule asks 7 of 14
# The days before an event that its comparison reads: its 28 days before, and r1's 120 days
# ending on the last day of its 28 days after (domain.md), which start 91 days before.
LEAD_DAYS = max(SPAN_DAYS, R1_DAYS - 1 - SPAN_DAYS)

Status = Literal["ok", "too_early", "too_few_checkins"]

CAVEAT = (
    "After is not because of: pain rises and falls by itself, other things change at the same "
    "time, and people often act (a visit, an injection) when pain is at its worst, so pain "
    "tends to ease afterwards anyway."
)


class BeforeAfterRow(TypedDict):
    metric: str
    status: Status
    before: Span
    after: Span
    change: float | None
    ci: list[float] | None
    beyond_variation: bool | None
    direction: Literal["better", "worse"] | None


class EventRow(TypedDict):
    id: str
    date: str
    type: str
    text: str
    end_date: str | None
    before_after: list[BeforeAfterRow]


# "from" is a Python keyword: the functional form.
EventsResult = TypedDict(
    "EventsResult",
    {
        "version": int,
        "from": str | None,
        "to": str | None,
        "until": str,
        "events": list[EventRow],
        "caveat": str,
    },
)


def spans(event: Entry) -> tuple[tuple[date, date], tuple[date, date]]:
    """The 28 days before the event's day, and the 28 days after it (after a flare's end)."""
    day = date.fromisoformat(event["date"])
    last = date.fromisoformat(event[END_FIELD]) if event.get(END_FIELD) else day
    before = (day - timedelta(days=SPAN_DAYS), day - timedelta(days=1))
    after = (last + timedelta(days=1), last + timedelta(days=SPAN_DAYS))
    return before, after


def before_after(entries: Iterable[Entry], event: Entry, *, until: date) -> list[BeforeAfterRow]:
    """Knee then back pain: the 4 weeks before ``event`` against the 4 weeks after, by the
    noise rule of domain.md. Only check-ins up to ``until`` count; the after span must be over
    (``too_early`` else), and each span needs ``MIN_CHECKINS`` check-ins."""
    (before_start, before_end), (after_start, after_end) = spans(event)
    too_early = after_end > until
    diary = Diary(entries, min(after_end, until))  # r1: the 120 days ending on the span's end
    rows: list[BeforeAfterRow] = []
    for metric in PAIN_METRICS:
        before = diary.values(metric, before_start, before_end)
        after = diary.values(metric, after_start, min(after_end, until))
        enough = len(before) >= MIN_CHECKINS and len(after) >= MIN_CHECKINS
        status: Status = "too_early" if too_early else "ok" if enough else "too_few_checkins"
        row: BeforeAfterRow = {
            "metric": metric,
            "status": status,
            "before": _span(before_start, before_end, before, len(before) >= MIN_CHECKINS),
            "after": _span(
                after_start, after_end, after, not too_early and len(after) >= MIN_CHECKINS
            ),
            "change": None,
            "ci": None,
            "beyond_variation": None,
            "direction": None,
        }
        if status == "ok":
            difference = stats.span_difference(before, after, diary.r1(metric))
            row["change"] = difference.difference
            row["ci"] = [difference.low, difference.high]
            row["beyond_variation"] = difference.beyond_variation
            row["direction"] = _direction(difference)
        rows.append(row)
    return rows


def events_between(entries: Iterable[Entry], start: date | None, end: date | None) -> list[Entry]:
    """The events dated ``start`` to ``end`` (None: no bound), in the order of ``list``."""
    low = start.isoformat() if start else ""
    high = end.isoformat() if end else "9999-12-31"
    return [e for e in entries if e["kind"] == "event" and low <= e["date"] <= high]


def read_for_events(source: EntrySource, start: date, end: date, until: date) -> list[Entry]:
    """The entries that the events dated ``start`` to ``end`` and their comparisons need."""
    return source.entries_of_days(start - timedelta(days=LEAD_DAYS), max(end, until))


def events_result(
    entries: Sequence[Entry], *, start: date | None, end: date | None, until: date
) -> EventsResult:
    """Everything ``tracker events --json`` prints (cli.md)."""
    rows: list[EventRow] = []
    for event in events_between(entries, start, end):
        rows.append(
            {
                "id": event["id"],
                "date": event["date"],
                "type": event["type"],
                "text": event["text"],
                "end_date": event.get(END_FIELD),
                "before_after": before_after(entries, event, until=until),
            }
        )
    return {
        "version": VERSION,
        "from": None if start is None else start.isoformat(),
        "to": None if end is None else end.isoformat(),
        "until": until.isoformat(),
        "events": rows,
        "caveat": CAVEAT,
    }


# ---------------------------------------------------------------- in words


def headline(event: EventRow | Entry) -> str:
    """ "Flare: knee swollen after stairs (until Sun 8 Nov 2026)": the event in words, its
    text made printable."""
    text = f"{type_label(event['type'])}: {printable(event['text'])}"
    end = event.get("end_date")
    if end:
        text += f" (until {short_date(str(end))})"
    elif event["type"] == "flare":
        text += " (no end date yet)"
    return text


def before_after_sentence(row: BeforeAfterRow) -> str:
    """One metric's before/after in words, with its counts and interval."""
    what = METRIC_INFO[row["metric"]].label
    before, after = row["before"], row["after"]
    if row["status"] == "too_early":
        assert after["end"] is not None
        return f"{what}: too early to compare: the 4 weeks after end on {short_date(after['end'])}."
    if row["status"] == "too_few_checkins":
        return (
            f"{what}: too few check-ins to compare ({before['days']} in the 4 weeks before, "
            f"{after['days']} in the 4 weeks after; {MIN_CHECKINS} each are needed)."
        )
    assert before["mean"] is not None and after["mean"] is not None
    assert row["change"] is not None and row["ci"] is not None
    text = (
        f"{what}: {one_decimal(before['mean'])} in the 4 weeks before ({before['days']} "
        f"check-ins), {one_decimal(after['mean'])} in the 4 weeks after ({after['days']}), "
        f"{signed(row['change'])} points ({interval(row['ci'])})"
    )
    if not row["beyond_variation"]:
        return text + ": within day-to-day variation."
    word = "lower" if row["change"] < 0 else "higher"
    return text + f": {word} after, beyond day-to-day variation."
