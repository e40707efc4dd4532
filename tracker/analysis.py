"""The diary by day and by week, for the charts and the report: rolling means, weekly volume
and adherence, and how every face names a measure.

Pure functions over entries (the plain dicts of ``records``): no I/O, no Textual, no plotting.
What counts as a real change (domain.md version 2) is ``tracker.insights``; docs/charts.md
explains both.

Dates are ``datetime.date`` objects at the edges of this module and ISO strings inside entries;
ISO strings sort like the dates they name, so filtering compares strings and never parses.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from tracker.dates import week_start_of
from tracker.kinds import kind_of
from tracker.numbers import plain
from tracker.records import (
    ALIGNMENT_SCORES,
    ALIGNMENTS,
    BANDS,
    CLICK_MOVES,
    EXERCISE_KINDS,
    Entry,
    field_spec,
    session_load,
    sort_key,
    tempo_seconds,
    time_under_tension_s,
)

# ---------------------------------------------------------------- constants from domain.md

PAIN_METRICS: tuple[str, ...] = ("knee_pain", "back_pain")
CLICKING_METRICS: tuple[str, ...] = ("clicking_left", "clicking_right")
METRICS: tuple[str, ...] = PAIN_METRICS + CLICKING_METRICS


class Metric(NamedTuple):
    """How every face names a measure: sentences, the report's tables, the charts."""

    label: str  # "Knee pain": the check-in field's own label
    short: str  # "knee": a chart's legend, beside the panel's other measure
    scale: str  # "0-10": the check-in field's range


def _metric(name: str, short: str) -> Metric:
    spec = field_spec("checkin", name)
    assert spec.low is not None and spec.high is not None
    return Metric(spec.label, short, f"{plain(spec.low)}-{plain(spec.high)}")


METRIC_INFO: dict[str, Metric] = {
    "knee_pain": _metric("knee_pain", "knee"),
    "back_pain": _metric("back_pain", "back"),
    "clicking_left": _metric("clicking_left", "left"),
    "clicking_right": _metric("clicking_right", "right"),
}

WINDOW_DAYS = 7
MIN_DAYS_PER_WINDOW = 4  # a 7-day window needs at least 4 logged days to have a mean


# ---------------------------------------------------------------- small helpers


def _day(entry: Mapping[str, Any]) -> date:
    return _parse_day(entry["date"])


@lru_cache(maxsize=8192)
def _parse_day(text: str) -> date:
    # Cached: many entries share a date, and charts re-read years of them.
    return date.fromisoformat(text)


def _in_range(entries: Iterable[Entry], start: date | None, end: date | None) -> list[Entry]:
    low = start.isoformat() if start else ""
    high = end.isoformat() if end else "9999-12-31"
    return [e for e in entries if low <= e["date"] <= high]


def select(entries: Iterable[Entry], start: date | None, end: date | None) -> list[Entry]:
    """The entries dated ``start`` to ``end`` (inclusive; None: open), in their given order.

    Entries from the store come sorted by date; then this is two binary searches instead of a
    comparison per entry (years of entries are read on every chart's first draw).
    """
    entries = entries if isinstance(entries, list) else list(entries)
    dates = [e["date"] for e in entries]
    low = start.isoformat() if start else ""
    high = end.isoformat() if end else "9999-12-31"
    if dates == sorted(dates):
        return entries[bisect_left(dates, low) : bisect_right(dates, high)]
    return [e for e, day in zip(entries, dates, strict=True) if low <= day <= high]


def days_between(start: date, end: date) -> list[date]:
    """Every day from ``start`` to ``end``, inclusive (empty when ``start`` is after ``end``)."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def first_day(entries: Iterable[Entry]) -> date | None:
    """The earliest date in ``entries``, or None when there are none."""
    first = min((e["date"] for e in entries), default=None)
    return None if first is None else date.fromisoformat(first)


# ---------------------------------------------------------------- daily series and means


DailySeries = list[tuple[date, float | None]]


def rolling_mean(
    series: DailySeries, *, window: int = WINDOW_DAYS, min_days: int = MIN_DAYS_PER_WINDOW
) -> DailySeries:
    """The trailing ``window``-day mean on each day of a daily series.

    A window with fewer than ``min_days`` values has no mean (None). The first days of the
    series see only the part of the window inside it, so start the series a week early when the
    first days matter.
    """
    out: DailySeries = []
    total = 0.0
    count = 0
    values = [value for _, value in series]
    for i, (day, value) in enumerate(series):
        if value is not None:
            total += value
            count += 1
        if i >= window:
            old = values[i - window]
            if old is not None:
                total -= old
                count -= 1
        out.append((day, total / count if count >= min_days else None))
    return out


def week_starts(start: date, end: date, week_start: int = 0) -> list[date]:
    """First days of the calendar weeks that cover ``start`` to ``end``, oldest first.

    A week begins on ``week_start`` (0 = Monday .. 6 = Sunday: ``Settings.week_start_index``),
    as a person counts weeks; the first may begin before ``start`` and the last end after
    ``end`` (``week_days`` clips them). The insights' "this week" is a different thing, the
    last 7 days, as domain.md fixes it.
    """
    if start > end:
        return []
    first = week_start_of(start, week_start)
    count = (end - first).days // WINDOW_DAYS + 1
    return [first + timedelta(days=WINDOW_DAYS * i) for i in range(count)]


def week_days(week: date, start: date, end: date) -> tuple[date, date]:
    """The days of the week beginning ``week`` that lie in ``start``..``end``: (first, last)."""
    return max(week, start), min(week + timedelta(days=WINDOW_DAYS - 1), end)


# ---------------------------------------------------------------- volume, load, adherence


def entry_volume(entry: Mapping[str, Any]) -> float | None:
    """An exercise entry's volume in its kind's unit (tempo lunges: time under tension in
    minutes; cycling: minutes; external rotation: sets). None when it is unknown: a lunge
    imported without its tempo (domain.md), which totals leave out rather than count as 0."""
    volume = kind_of(entry["kind"]).volume
    return 0.0 if volume is None else volume(entry)


@dataclass(frozen=True)
class WeekVolume:
    """One week's exercise: volume per kind in its unit, cycling load, and sessions per kind.

    ``days`` is how many of the week's days are in the range (7, or fewer for a first or last
    week cut by it): a part week's totals are those days' only."""

    start: date
    volumes: Mapping[str, float]  # per exercise kind, rounded to 0.1
    cycling_load: float  # effort x minutes ("effort-minutes"), sessions with effort only
    sessions: Mapping[str, int]
    days: int = WINDOW_DAYS
    # Per exercise kind, the sessions counted in ``sessions`` whose volume is unknown (lunges
    # imported without a tempo): they are not in ``volumes``, neither as 0 nor guessed.
    unknown: Mapping[str, int] = field(default_factory=dict)

    def volume(self, kind: str) -> float:
        return self.volumes.get(kind, 0.0)

    @property
    def lunge_tut_min(self) -> float:
        """Tempo lunges' time under tension in minutes."""
        return self.volume("lunge")

    @property
    def cycling_min(self) -> float:
        return self.volume("cycling")

    @property
    def rotation_sets(self) -> int:
        return int(self.volume("rotation"))


def weekly_volume(
    entries: Iterable[Entry], *, start: date, end: date, week_start: int = 0
) -> list[WeekVolume]:
    """Exercise volume and cycling load for each week (beginning on ``week_start``, 0 = Monday)
    that covers ``start``..``end``; only the entries of those days count."""
    starts = week_starts(start, end, week_start)
    if not starts:
        return []
    first = starts[0]
    kinds = list(EXERCISE_KINDS)
    totals = [dict.fromkeys(kinds, 0.0) for _ in starts]
    loads = [0.0 for _ in starts]
    sessions = [dict.fromkeys(kinds, 0) for _ in starts]
    unknown = [dict.fromkeys(kinds, 0) for _ in starts]
    for entry in _in_range(entries, start, end):
        kind = entry["kind"]
        if kind not in EXERCISE_KINDS:
            continue
        week = (_day(entry) - first).days // WINDOW_DAYS
        volume = entry_volume(entry)
        if volume is None:
            unknown[week][kind] += 1
        else:
            totals[week][kind] += volume
        sessions[week][kind] += 1
        load = session_load(entry)
        if load is not None:
            loads[week] += load
    return [
        WeekVolume(
            start=week_start_day,
            volumes={kind: round(value, 1) for kind, value in total.items()},
            cycling_load=round(load, 1),
            sessions=count,
            days=_days_in(week_days(week_start_day, start, end)),
            unknown={kind: n for kind, n in missing.items() if n},
        )
        for week_start_day, total, load, count, missing in zip(
            starts, totals, loads, sessions, unknown, strict=True
        )
    ]


def _days_in(bounds: tuple[date, date]) -> int:
    return (bounds[1] - bounds[0]).days + 1


@dataclass(frozen=True)
class WeekAdherence:
    """Days in one week with a check-in and with any exercise, out of ``days`` counted."""

    start: date
    checkin_days: int
    exercise_days: int
    days: int


def adherence(
    entries: Iterable[Entry], *, start: date, end: date, week_start: int = 0
) -> list[WeekAdherence]:
    """Days with a check-in and days with any exercise, for each week (beginning on
    ``week_start``, 0 = Monday) that covers ``start``..``end``.

    ``days`` is 7 except for a first or last week cut by the range (only its days in the range
    are counted, so a partly tracked week is not shown as missed days).
    """
    starts = week_starts(start, end, week_start)
    entries = _in_range(entries, start, end)
    checkin_days = {_day(e) for e in entries if e["kind"] == "checkin"}
    active_days = {_day(e) for e in entries if e["kind"] in EXERCISE_KINDS}
    weeks = []
    for first in starts:
        days = days_between(*week_days(first, start, end))
        weeks.append(
            WeekAdherence(
                start=first,
                checkin_days=sum(1 for d in days if d in checkin_days),
                exercise_days=sum(1 for d in days if d in active_days),
                days=len(days),
            )
        )
    return weeks


# ---------------------------------------------------------------- lunge alignment, clicking moves


def alignment_series(entries: Iterable[Entry]) -> list[tuple[date, int]]:
    """Each lunge session that recorded its alignment, as (date, score), in diary order.

    The score is domain.md's: 3 all reps, 2 most, 1 some, 0 few (the knee over the second toe).
    One point per session, not per day: two sessions on one day are two points.
    """
    lunges = sorted(
        (e for e in entries if e["kind"] == "lunge" and e.get("alignment") is not None),
        key=sort_key,
    )
    return [(_day(e), ALIGNMENT_SCORES[e["alignment"]]) for e in lunges]


@dataclass(frozen=True)
class AlignmentCounts:
    """Lunge sessions of a span and how many said each alignment word."""

    start: date
    end: date
    sessions: int  # every lunge session of the span
    by_word: dict[str, int]  # sessions per word of ALIGNMENTS ("all", "most", "some", "few")

    @property
    def recorded(self) -> int:
        """Sessions that said their alignment."""
        return sum(self.by_word.values())

    @property
    def all_or_most(self) -> int:
        return self.by_word["all"] + self.by_word["most"]


def alignment_counts(
    entries: Iterable[Entry], *, start: date, end: date, week_start: int | None = None
) -> list[AlignmentCounts]:
    """Lunge alignment counted over ``start``..``end``: one row, or one per calendar week
    (weeks starting on ``week_start``, the first and last clipped to the span)."""
    spans: list[tuple[date, date]]
    if week_start is None:
        spans = [(start, end)]
    else:
        spans = [week_days(week, start, end) for week in week_starts(start, end, week_start)]
    lunges = [e for e in _in_range(entries, start, end) if e["kind"] == "lunge"]
    rows: list[AlignmentCounts] = []
    for low, high in spans:
        inside = [e for e in lunges if low.isoformat() <= e["date"] <= high.isoformat()]
        by_word = dict.fromkeys(ALIGNMENTS, 0)
        for entry in inside:
            if entry.get("alignment") is not None:
                by_word[entry["alignment"]] += 1
        rows.append(AlignmentCounts(low, high, len(inside), by_word))
    return rows


@dataclass(frozen=True)
class ClickMoveCounts:
    """Check-in days of a span, and on how many of them each movement clicked."""

    start: date
    end: date
    checkin_days: int  # days with a check-in
    noted_days: int  # of those, days whose check-in named at least one movement
    by_move: dict[str, int]  # days per movement of CLICK_MOVES


def click_move_counts(entries: Iterable[Entry], *, start: date, end: date) -> ClickMoveCounts:
    """On how many check-in days of ``start``..``end`` each movement was said to click.

    A check-in that names no movement may mean nothing clicked or that nobody noted it: those
    days count as check-in days only, never as days without clicking.
    """
    checkins = [e for e in _in_range(entries, start, end) if e["kind"] == "checkin"]
    by_move = dict.fromkeys(CLICK_MOVES, 0)
    noted = 0
    for entry in checkins:
        moves = entry.get("click_moves") or []
        noted += bool(moves)
        for move in set(moves):
            by_move[move] += 1
    return ClickMoveCounts(start, end, len({e["date"] for e in checkins}), noted, by_move)


# ---------------------------------------------------------------- the plan (the programme)

PLAN_KIND = "plan"


def plan_entries(entries: Iterable[Entry]) -> list[Entry]:
    """The plan entries of ``entries``, in the order of ``tracker list`` (date, created_at,
    id): the plan's history, oldest first."""
    plans = [e for e in entries if e["kind"] == PLAN_KIND]
    return sorted(plans, key=lambda e: (e["date"], e["created_at"], e["id"]))


def plans_in_force(entries: Iterable[Entry], day: date) -> dict[str, Entry]:
    """Per exercise, the plan in force on ``day``: the latest plan entry dated on or before it
    (of two on one date, the one created later). Exercises never planned are absent."""
    last = day.isoformat()
    in_force: dict[str, Entry] = {}
    for plan in plan_entries(entries):
        if plan["date"] <= last:
            in_force[plan["exercise"]] = plan
    return {kind: in_force[kind] for kind in EXERCISE_KINDS if kind in in_force}


def programme_start(entries: Iterable[Entry], until: date | None = None) -> date | None:
    """The programme's start: the date of the first plan entry (on or before ``until``), or
    None without one. Progress (domain.md) measures from it."""
    last = None if until is None else until.isoformat()
    dates = [
        e["date"] for e in entries if e["kind"] == PLAN_KIND and (last is None or e["date"] <= last)
    ]
    return _parse_day(min(dates)) if dates else None


class PlanWeek(NamedTuple):
    """One exercise in one week, against its plan: days done of days planned.

    ``planned`` is the plan's days a week (of the plan in force on the week's last counted
    day), at most ``days`` (a week cut by the range counts only its days, and no more can be
    done than there are days). ``done`` counts the days with an entry of the exercise.
    """

    start: date
    exercise: str
    done: int
    planned: int
    days: int


def plan_adherence(
    entries: Iterable[Entry], *, start: date, end: date, week_start: int = 0
) -> list[list[PlanWeek]]:
    """Per week covering ``start``..``end`` (as ``adherence``), one row per exercise that has
    a plan in force on the week's last counted day, in kind order; a week before any plan has
    no rows. Plans dated before ``start`` count (``entries`` must hold them)."""
    everything = list(entries)
    plans = plan_entries(everything)
    done_days: dict[str, set[date]] = {}
    for e in _in_range(everything, start, end):
        if e["kind"] in EXERCISE_KINDS:
            done_days.setdefault(e["kind"], set()).add(_day(e))
    weeks: list[list[PlanWeek]] = []
    for first in week_starts(start, end, week_start):
        bounds = week_days(first, start, end)
        days = days_between(*bounds)
        rows = []
        for exercise, plan in plans_in_force(plans, bounds[1]).items():
            done = sum(1 for d in days if d in done_days.get(exercise, ()))
            planned = min(int(plan["days_per_week"]), len(days))
            rows.append(PlanWeek(first, exercise, done, planned, len(days)))
        weeks.append(rows)
    return weeks


def plan_share(weeks: Iterable[Sequence[PlanWeek]]) -> tuple[int, int]:
    """Planned sessions done over a span: (done, planned), a week's days done above its plan
    counted only up to the plan (an extra session does not make up for a missed week)."""
    done = planned = 0
    for rows in weeks:
        for row in rows:
            done += min(row.done, row.planned)
            planned += row.planned
    return done, planned


# ---------------------------------------------------------------- progression


class ProgressionMeasure(NamedTuple):
    """One parameter of an exercise followed over time (the progression chart)."""

    name: str  # a stored field, or a derived figure ("tempo_s", "tut_min")
    label: str  # the chart's words: "reps"
    total: bool = False  # a day's value is the total of its sessions, not the highest
    short: str = ""  # fewer words for a narrow window ("s/rep"); empty: ``label``


# What each exercise kind prescribes and progresses, in the order the chart names them
# (docs/charts.md, "progression"). A kind registered later without an entry here has no
# progression page.
PROGRESSION_MEASURES: dict[str, tuple[ProgressionMeasure, ...]] = {
    "lunge": (
        ProgressionMeasure("tempo_s", "seconds per rep", short="s/rep"),
        ProgressionMeasure("reps", "reps"),
        ProgressionMeasure("sets", "sets"),
        ProgressionMeasure("tut_min", "min under tension", total=True, short="min"),
        # Optional: reps with the knee over the second toe, 3 = all .. 0 = few (issue 11).
        ProgressionMeasure("alignment", "alignment (3 = all reps)", short="alignment"),
    ),
    "rotation": (
        ProgressionMeasure("band_level", "band level", short="band"),
        ProgressionMeasure("hold_s", "seconds held", short="s held"),
        ProgressionMeasure("reps", "reps"),
        ProgressionMeasure("sets", "sets"),
    ),
    "cycling": (
        ProgressionMeasure("minutes", "minutes", total=True),
        ProgressionMeasure("resistance", "resistance level", short="resistance"),
    ),
}
# How the sessions felt, on every kind's page (0-10 each).
FELT_MEASURES: tuple[ProgressionMeasure, ...] = (
    ProgressionMeasure("effort", "effort"),
    ProgressionMeasure("pain_during", "pain during"),
)


def _measure_value(entry: Mapping[str, Any], name: str) -> float | None:
    if name == "tempo_s":  # not recorded (an imported lunge): no point, not 0
        return None if entry["tempo"] is None else float(tempo_seconds(entry["tempo"]))
    if name == "tut_min":
        seconds = time_under_tension_s(entry)
        return None if seconds is None else seconds / 60
    if name == "band_level":
        band = entry.get("band")
        return float(BANDS.index(band)) if band in BANDS else None
    if name == "alignment":  # stored as a word; charted as domain.md's score, 3 all .. 0 few
        word = entry.get("alignment")
        return None if word is None else float(ALIGNMENT_SCORES[word])
    value = entry.get(name)
    return None if value is None or isinstance(value, bool) else float(value)


def progression_days(
    entries: Iterable[Entry], kind: str, *, start: date, end: date
) -> dict[str, DailySeries]:
    """Each measure of ``kind`` (``PROGRESSION_MEASURES``, then ``FELT_MEASURES``) on each day
    from ``start`` to ``end``: None on a day without a session of the kind, or whose sessions
    lack the field. A day with two sessions takes the highest value of a setting (tempo, reps,
    band, effort, pain during ...) and the total of a volume (minutes, time under tension).

    Only measures with at least one value in the range are returned (an optional field that
    nobody filled in, such as lunge alignment, is left out), in the order of the tables.
    """
    days = days_between(start, end)
    first = start
    measures = (*PROGRESSION_MEASURES.get(kind, ()), *FELT_MEASURES)
    values: dict[str, list[float | None]] = {m.name: [None] * len(days) for m in measures}
    for entry in _in_range(entries, start, end):
        if entry["kind"] != kind:
            continue
        i = (_day(entry) - first).days
        for m in measures:
            value = _measure_value(entry, m.name)
            if value is None:
                continue
            old = values[m.name][i]
            if old is None:
                values[m.name][i] = value
            else:
                values[m.name][i] = old + value if m.total else max(old, value)
    return {
        m.name: list(zip(days, values[m.name], strict=True))
        for m in measures
        if any(v is not None for v in values[m.name])
    }


def flagged_days(
    entries: Iterable[Entry], kind: str, *, start: date, end: date
) -> dict[date, list[str]]:
    """The days ``start``..``end`` with a session of ``kind`` that the pain-monitoring model
    flags (domain.md, "the traffic light"), and why in words: this kind's pain during above
    5/10, or knee or back pain not settled the next day (which names the day, so every kind
    logged on it). Another kind's pain during flags its own page, not this one's.

    ``entries`` should hold the 3 days before ``start`` (the next-day rule compares with them)
    and run to ``end``; a next day after ``end`` cannot be assessed, as in the insights.
    """
    # insights builds on this module (METRIC_INFO), so it is imported where it is used.
    from tracker import insights

    diary = insights.Diary(entries, end)
    result = insights.monitoring(diary, (end - start).days + 1, [])
    flagged: dict[date, list[str]] = {}
    for flag in result["flags"]:
        if kind not in flag["exercises"]:
            continue
        reasons = [
            insights.reason_words(reason)
            for reason in flag["reasons"]
            if reason["rule"] == "not_settled" or reason["kind"] == kind
        ]
        if reasons:
            flagged[date.fromisoformat(flag["date"])] = reasons
    return flagged


def bucket_means(series: DailySeries, bounds: Sequence[tuple[date, date]]) -> list[float | None]:
    """The mean of each bucket's known values (``bounds``: first and last day of each), None
    for a bucket without one: a week's "seconds per rep" is the mean of its session days."""
    values = {day: value for day, value in series if value is not None}
    out: list[float | None] = []
    for first, last in bounds:
        got = [values[d] for d in days_between(first, last) if d in values]
        out.append(sum(got) / len(got) if got else None)
    return out
