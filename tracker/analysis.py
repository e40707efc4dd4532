"""Trends over the diary: series, rolling means, change bands, volume, adherence, associations.

Pure functions over entries (the plain dicts of ``records``): no I/O, no Textual, no plotting.
The thresholds and rules come from domain.md ("Trends and what counts as a real change") and the
JSON shape of ``insights`` from cli.md ("insights --json"); docs/charts.md explains both.

Dates are ``datetime.date`` objects at the edges of this module and ISO strings inside entries;
ISO strings sort like the dates they name, so filtering compares strings and never parses.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal, NamedTuple, TypedDict

from tracker.kinds import kind_of
from tracker.numbers import decimal, plain, signed
from tracker.numbers import percent as signed_percent
from tracker.records import EXERCISE_KINDS, KIND_LABELS, Entry, field_spec, session_load

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
MIN_DAYS_PER_GROUP = 3  # an association needs at least 3 days in each group
ASSOCIATION_LAGS: tuple[int, ...] = (1, 2)
DEFAULT_ASSOCIATION_DAYS = 90

Band = Literal["none", "minimal", "meaningful", "substantial"]
Direction = Literal["better", "worse", "same"]

# (band, at least this many points, at least this percent), checked from the top.
# Salaffi 2004 (minimal), Farrar 2001 / Ostelo 2008 (meaningful), IMMPACT 2008 (substantial).
BANDS: tuple[tuple[Band, float, float], ...] = (
    ("substantial", 2.0, 50.0),
    ("meaningful", 2.0, 30.0),
    ("minimal", 1.0, 15.0),
)

# Pain-monitoring signal: hold progression when pain during exercise goes above this, or when
# the next day's knee pain is at least this many points above the day of the session.
HOLD_PAIN_DURING_ABOVE = 5
HOLD_NEXT_DAY_RISE = 2


# ---------------------------------------------------------------- the rows of insights (cli.md)
# TypedDicts, not dataclasses: ``tracker insights --json`` prints them as they are, and strict
# mypy checks every look-up of a field by its name.


class ChangeRow(TypedDict):
    """One measure's last 7 days against the 7 before, rounded as cli.md says."""

    metric: str
    recent_mean: float | None
    previous_mean: float | None
    change: float | None
    change_pct: float | None
    band: Band | None  # None: clicking (no published bands), or no change to band
    direction: Direction | None
    recent_days: int
    previous_days: int


class AssociationRow(TypedDict):
    """Mean pain ``lag_days`` after days with one exercise against after other days."""

    exercise: str
    metric: str
    lag_days: int
    mean_after_exercise: float | None  # None, with the other two, below 3 days a group
    mean_after_rest: float | None
    difference: float | None
    days_after_exercise: int
    days_after_rest: int


class Insights(TypedDict):
    """``insights()``: the shape of ``tracker insights --json``."""

    until: str
    changes: list[ChangeRow]
    associations: list[AssociationRow]


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


def round_or_none(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def checkins_by_day(entries: Iterable[Entry]) -> dict[date, Entry]:
    """The check-in of each day (the store keeps one a day; the last one wins if not)."""
    return {_day(e): e for e in entries if e["kind"] == "checkin"}


def first_day(entries: Iterable[Entry]) -> date | None:
    """The earliest date in ``entries``, or None when there are none."""
    first = min((e["date"] for e in entries), default=None)
    return None if first is None else date.fromisoformat(first)


# ---------------------------------------------------------------- daily series and means

DailySeries = list[tuple[date, float | None]]


def daily_series(entries: Iterable[Entry], metric: str, *, start: date, end: date) -> DailySeries:
    """One value per day from ``start`` to ``end``: the check-in's ``metric``, or None."""
    by_day = checkins_by_day(_in_range(entries, start, end))
    return [
        (day, float(by_day[day][metric]) if day in by_day else None)
        for day in days_between(start, end)
    ]


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


@dataclass(frozen=True)
class WindowMean:
    """The mean of one metric over a window of days, and how many check-ins it rests on."""

    mean: float | None
    days: int


def window_mean(
    checkins: Mapping[date, Entry],
    metric: str,
    *,
    end: date,
    length: int = WINDOW_DAYS,
    min_days: int = MIN_DAYS_PER_WINDOW,
) -> WindowMean:
    """Mean of ``metric`` over the ``length`` days ending on ``end`` (None below ``min_days``)."""
    values = [
        float(checkins[day][metric])
        for day in days_between(end - timedelta(days=length - 1), end)
        if day in checkins
    ]
    return WindowMean(mean(values) if len(values) >= min_days else None, len(values))


@dataclass(frozen=True)
class WeekMean:
    start: date
    mean: float | None
    days: int


def week_starts(start: date, end: date) -> list[date]:
    """First days of the 7-day weeks that end on ``end`` and cover ``start``, oldest first.

    Weeks are counted back from ``end`` (not calendar weeks) so that the last week is exactly the
    "recent" window of the insights.
    """
    if start > end:
        return []
    count = (end - start).days // WINDOW_DAYS + 1
    last = end - timedelta(days=WINDOW_DAYS - 1)
    return [last - timedelta(days=WINDOW_DAYS * i) for i in range(count - 1, -1, -1)]


def weekly_means(
    entries: Iterable[Entry], metric: str, *, start: date, end: date
) -> list[WeekMean]:
    """The mean of ``metric`` for each week ending on ``end`` (None for a week without check-ins).

    A weekly mean over fewer than 4 check-ins is shown but flagged by its ``days``.
    """
    checkins = checkins_by_day(_in_range(entries, start - timedelta(days=WINDOW_DAYS), end))
    weeks = []
    for first in week_starts(start, end):
        result = window_mean(checkins, metric, end=first + timedelta(days=6), min_days=1)
        weeks.append(WeekMean(first, result.mean, result.days))
    return weeks


# ---------------------------------------------------------------- change bands


def band_for(change: float, change_pct: float) -> Band:
    """The domain.md band of a change in points and percent (either sign), substantial first."""
    points = abs(change)
    percent = abs(change_pct)
    for name, min_points, min_percent in BANDS:
        # A hair of tolerance so that 2.0 - 1.0 style float noise never drops a band edge.
        if points >= min_points - 1e-9 and percent >= min_percent - 1e-9:
            return name
    return "none"


def percent_change(change: float, previous: float) -> float:
    """Change relative to ``previous``: 100 when previous is 0 and the change is not, else 0."""
    if previous == 0:
        return 0.0 if change == 0 else 100.0 if change > 0 else -100.0
    return change / previous * 100


def direction_of(change: float) -> Direction:
    """Lower is better for every metric."""
    if change < 0:
        return "better"
    if change > 0:
        return "worse"
    return "same"


def change_row(metric: str, recent: WindowMean, previous: WindowMean) -> ChangeRow:
    """One row of ``insights()["changes"]``, rounded as cli.md says and banded from the rounding."""
    recent_mean = round_or_none(recent.mean, 2)
    previous_mean = round_or_none(previous.mean, 2)
    change: float | None = None
    change_pct: float | None = None
    band: Band | None = None
    direction: Direction | None = None
    if recent_mean is not None and previous_mean is not None:
        change = round(recent_mean - previous_mean, 2)
        change_pct = round(percent_change(change, previous_mean), 1)
        direction = direction_of(change)
        if metric in PAIN_METRICS:
            band = band_for(change, change_pct)
    return {
        "metric": metric,
        "recent_mean": recent_mean,
        "previous_mean": previous_mean,
        "change": change,
        "change_pct": change_pct,
        "band": band,
        "direction": direction,
        "recent_days": recent.days,
        "previous_days": previous.days,
    }


def changes(entries: Iterable[Entry], *, until: date) -> list[ChangeRow]:
    """For each metric, the last 7 days (ending on ``until``) against the 7 days before."""
    checkins = checkins_by_day(_in_range(entries, until - timedelta(days=13), until))
    previous_end = until - timedelta(days=WINDOW_DAYS)
    return [
        change_row(
            metric,
            window_mean(checkins, metric, end=until),
            window_mean(checkins, metric, end=previous_end),
        )
        for metric in METRICS
    ]


# ---------------------------------------------------------------- next-day associations


def associations(
    entries: Iterable[Entry], *, until: date, days: int = DEFAULT_ASSOCIATION_DAYS
) -> list[AssociationRow]:
    """Mean pain on day D + lag after days D with each exercise kind, against days without it.

    ``days`` bounds the check-in day (D + lag) to the ``days`` ending on ``until``. A day D with
    another kind, or with nothing logged, counts as rest for the kind in question. With fewer
    than 3 days in either group the means and difference are None; the counts are always given.
    Rows are ordered by kind, then metric, then lag (cli.md).
    """
    start = until - timedelta(days=max(days, 1) - 1)
    # One pass, day numbers instead of dates, sums instead of lists: this runs over years of
    # entries for the response chart. Pain scores are whole numbers, so the sums (and "all
    # minus after exercise") are exact.
    low = (start - timedelta(days=max(ASSOCIATION_LAGS))).isoformat()
    high, first_checkin = until.isoformat(), start.isoformat()
    ordinals: dict[str, int] = {}
    checkins: dict[int, tuple[float, ...]] = {}
    done: dict[str, set[int]] = {kind: set() for kind in EXERCISE_KINDS}
    for e in entries:
        day = e["date"]
        if not low <= day <= high:
            continue
        ordinal = ordinals.get(day)
        if ordinal is None:
            ordinal = ordinals[day] = date.fromisoformat(day).toordinal()
        kind = e["kind"]
        if kind == "checkin":
            if day >= first_checkin:
                checkins[ordinal] = tuple(float(e[m]) for m in PAIN_METRICS)
        elif kind in done:
            done[kind].add(ordinal)
    totals = [sum(values[m] for values in checkins.values()) for m in range(len(PAIN_METRICS))]
    rows: list[AssociationRow] = []
    for kind in EXERCISE_KINDS:
        by_lag: dict[int, tuple[int, list[float]]] = {}
        for lag in ASSOCIATION_LAGS:
            after = [checkins[day + lag] for day in done[kind] if day + lag in checkins]
            sums = [sum(values[m] for values in after) for m in range(len(PAIN_METRICS))]
            by_lag[lag] = (len(after), sums)
        for m, metric in enumerate(PAIN_METRICS):
            for lag in ASSOCIATION_LAGS:
                count, sums = by_lag[lag]
                rows.append(
                    association_row(
                        kind,
                        metric,
                        lag,
                        (count, sums[m]),
                        (len(checkins) - count, totals[m] - sums[m]),
                    )
                )
    return rows


def association_row(
    kind: str,
    metric: str,
    lag: int,
    after_exercise: tuple[int, float],
    after_rest: tuple[int, float],
) -> AssociationRow:
    """One row of ``insights()["associations"]`` from (days, sum of pain) of each group.

    The difference is taken from the rounded means, so the row agrees with itself.
    """
    (days_ex, sum_ex), (days_rest, sum_rest) = after_exercise, after_rest
    enough = min(days_ex, days_rest) >= MIN_DAYS_PER_GROUP
    mean_ex = round(sum_ex / days_ex, 2) if enough else None
    mean_rest = round(sum_rest / days_rest, 2) if enough else None
    difference = (
        round(mean_ex - mean_rest, 2) if mean_ex is not None and mean_rest is not None else None
    )
    return {
        "exercise": kind,
        "metric": metric,
        "lag_days": lag,
        "mean_after_exercise": mean_ex,
        "mean_after_rest": mean_rest,
        "difference": difference,
        "days_after_exercise": days_ex,
        "days_after_rest": days_rest,
    }


def insights(
    entries: Iterable[Entry], *, until: date, days: int = DEFAULT_ASSOCIATION_DAYS
) -> Insights:
    """The banded changes and next-day associations, in the exact shape of cli.md."""
    entries = list(entries)
    return {
        "until": until.isoformat(),
        "changes": changes(entries, until=until),
        "associations": associations(entries, until=until, days=days),
    }


# ---------------------------------------------------------------- volume, load, adherence


def entry_volume(entry: Mapping[str, Any]) -> float:
    """An exercise entry's volume in its kind's unit (lunge TUT minutes, cycling minutes, sets)."""
    volume = kind_of(entry["kind"]).volume
    return 0.0 if volume is None else volume(entry)


@dataclass(frozen=True)
class WeekVolume:
    """One week's exercise: volume per kind in its unit, cycling load, and sessions per kind."""

    start: date
    volumes: Mapping[str, float]  # per exercise kind, rounded to 0.1
    cycling_load: float  # effort x minutes (session-RPE, Foster 2001), sessions with effort only
    sessions: Mapping[str, int]

    def volume(self, kind: str) -> float:
        return self.volumes.get(kind, 0.0)

    @property
    def lunge_tut_min(self) -> float:
        return self.volume("lunge")

    @property
    def cycling_min(self) -> float:
        return self.volume("cycling")

    @property
    def rotation_sets(self) -> int:
        return int(self.volume("rotation"))


def weekly_volume(entries: Iterable[Entry], *, start: date, end: date) -> list[WeekVolume]:
    """Exercise volume and cycling load for each week ending on ``end`` that covers ``start``."""
    starts = week_starts(start, end)
    if not starts:
        return []
    first = starts[0]
    kinds = list(EXERCISE_KINDS)
    totals = [dict.fromkeys(kinds, 0.0) for _ in starts]
    loads = [0.0 for _ in starts]
    sessions = [dict.fromkeys(kinds, 0) for _ in starts]
    for entry in _in_range(entries, first, end):
        kind = entry["kind"]
        if kind not in EXERCISE_KINDS:
            continue
        week = (_day(entry) - first).days // WINDOW_DAYS
        totals[week][kind] += entry_volume(entry)
        sessions[week][kind] += 1
        load = session_load(entry)
        if load is not None:
            loads[week] += load
    return [
        WeekVolume(
            start=week_start,
            volumes={kind: round(value, 1) for kind, value in total.items()},
            cycling_load=round(load, 1),
            sessions=count,
        )
        for week_start, total, load, count in zip(starts, totals, loads, sessions, strict=True)
    ]


@dataclass(frozen=True)
class WeekAdherence:
    """Days in one week with a check-in and with any exercise, out of ``days`` counted."""

    start: date
    checkin_days: int
    exercise_days: int
    days: int


def adherence(entries: Iterable[Entry], *, start: date, end: date) -> list[WeekAdherence]:
    """Days with a check-in and days with any exercise, for each week ending on ``end``.

    ``days`` is 7 except for a first week that begins before ``start`` (only its days from
    ``start`` on are counted, so a partly tracked first week is not shown as missed days).
    """
    starts = week_starts(start, end)
    entries = _in_range(entries, start, end)
    checkin_days = {_day(e) for e in entries if e["kind"] == "checkin"}
    active_days = {_day(e) for e in entries if e["kind"] in EXERCISE_KINDS}
    weeks = []
    for first in starts:
        days = [d for d in days_between(first, first + timedelta(days=6)) if d >= start]
        weeks.append(
            WeekAdherence(
                start=first,
                checkin_days=sum(1 for d in days if d in checkin_days),
                exercise_days=sum(1 for d in days if d in active_days),
                days=len(days),
            )
        )
    return weeks


# ---------------------------------------------------------------- pain-monitoring signal


@dataclass(frozen=True)
class Flag:
    """An exercise session after which progression should be held, and why."""

    entry_id: str
    day: date
    kind: str
    reasons: tuple[str, ...]
    action: str = "hold progression"

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def flags(
    entries: Iterable[Entry], *, start: date | None = None, end: date | None = None
) -> list[Flag]:
    """Exercise sessions that trip the pain-monitoring signal, oldest first.

    A session is flagged when its pain during was above 5/10, or when the next day's check-in
    had knee pain at least 2 points above the check-in of the session's day.
    """
    entries = list(entries)
    checkins = checkins_by_day(_in_range(entries, start, end + timedelta(days=1) if end else None))
    found: list[Flag] = []
    for entry in _in_range(entries, start, end):
        if entry["kind"] not in EXERCISE_KINDS:
            continue
        reasons: list[str] = []
        pain = entry.get("pain_during")
        if pain is not None and pain > HOLD_PAIN_DURING_ABOVE:
            reasons.append(f"knee pain during was {pain}/10 (above {HOLD_PAIN_DURING_ABOVE})")
        day = _day(entry)
        same_day = checkins.get(day)
        next_day = checkins.get(day + timedelta(days=1))
        if same_day is not None and next_day is not None:
            rise = next_day["knee_pain"] - same_day["knee_pain"]
            if rise >= HOLD_NEXT_DAY_RISE:
                reasons.append(
                    f"next day's knee pain was {next_day['knee_pain']}/10, "
                    f"{rise} points above the day before ({same_day['knee_pain']}/10)"
                )
        if reasons:
            found.append(Flag(entry["id"], day, entry["kind"], tuple(reasons)))
    return found


# ---------------------------------------------------------------- sentences


_BAND_WORDS: dict[str, str] = {
    "minimal": "a minimal",
    "meaningful": "a meaningful",
    "substantial": "a substantial",
}


def change_sentence(row: ChangeRow) -> str:
    """A ``changes`` row in words, e.g. "Back pain: 7-day mean 2.0, down from 5.0 (-3.0 points,
    -60 %): a substantial improvement"."""
    label = METRIC_INFO[row["metric"]].label
    recent, previous = row["recent_mean"], row["previous_mean"]
    change, change_pct = row["change"], row["change_pct"]
    if recent is None or previous is None or change is None or change_pct is None:
        return (
            f"{label}: not enough check-ins to compare the last 7 days "
            f"({row['recent_days']}) with the 7 before ({row['previous_days']}); "
            f"each needs at least {MIN_DAYS_PER_WINDOW}."
        )
    if row["direction"] == "same":
        text = f"{label}: 7-day mean {decimal(recent)}, the same as the week before"
    else:
        way = "down" if change < 0 else "up"
        text = (
            f"{label}: 7-day mean {decimal(recent)}, {way} from {decimal(previous)} "
            f"({signed(change)} points, {signed_percent(change_pct)} %)"
        )
    band = row["band"]
    if band is None:
        return text + "."
    if band == "none":
        return text + ": no clear change."
    word = "improvement" if change < 0 else "worsening"
    return f"{text}: {_BAND_WORDS[band]} {word}."


def compared(row: AssociationRow) -> tuple[float, float, float] | None:
    """(mean after exercise, mean after other days, difference), or None when either group has
    fewer than ``MIN_DAYS_PER_GROUP`` days (then all three are None)."""
    after, rest, difference = row["mean_after_exercise"], row["mean_after_rest"], row["difference"]
    if after is None or rest is None or difference is None:
        return None
    return after, rest, difference


def association_sentence(row: AssociationRow) -> str:
    """An ``associations`` row in words, always with its counts and the word "association"."""
    metric = METRIC_INFO[row["metric"]].label.lower()
    after = "the day after" if row["lag_days"] == 1 else f"{row['lag_days']} days after"
    kind = kind_of(row["exercise"]).after_words
    counts = f"{row['days_after_exercise']} and {row['days_after_rest']} days"
    means = compared(row)
    if means is None:
        return (
            f"{metric.capitalize()} {after} {kind}: too few days to compare "
            f"({counts}; at least {MIN_DAYS_PER_GROUP} each are needed)."
        )
    mean_after, mean_rest, difference = means
    return (
        f"{metric.capitalize()} {after} {kind} averaged {decimal(mean_after)}"
        f", against {decimal(mean_rest)} after other days "
        f"({signed(difference)}; {counts}). This is an association, not proof "
        "of cause."
    )


def insight_sentences(result: Insights, *, lag: int = 1) -> list[str]:
    """The insights in plain sentences: every change, then next-day pain for each exercise kind
    (``lag`` days after; means only with enough days, counts always), said as an association."""
    lines = [change_sentence(row) for row in result["changes"]]
    by_kind: dict[str, dict[str, AssociationRow]] = {}
    for row in result["associations"]:
        if row["lag_days"] == lag:
            by_kind.setdefault(row["exercise"], {})[row["metric"]] = row
    if by_kind:
        after = "the day after" if lag == 1 else f"{lag} days after"
        lines.append(
            f"Pain {after} exercise against {after} other days (an association, not proof "
            "of cause):"
        )
    for kind, rows in by_kind.items():
        knee, back = rows["knee_pain"], rows["back_pain"]
        counts = f"{knee['days_after_exercise']} and {knee['days_after_rest']} days"
        label = KIND_LABELS[kind]
        # Both pains rest on the same days: both have means, or neither has.
        knee_means, back_means = compared(knee), compared(back)
        if knee_means is None or back_means is None:
            lines.append(
                f"  {label}: too few days to compare ({counts}; at least "
                f"{MIN_DAYS_PER_GROUP} of each are needed)."
            )
            continue
        parts = [
            f"{name} {decimal(mean_after)} against {decimal(mean_rest)} ({signed(difference)})"
            for name, (mean_after, mean_rest, difference) in (
                ("knee", knee_means),
                ("back", back_means),
            )
        ]
        lines.append(f"  {label}: {parts[0]}, {parts[1]}; {counts}.")
    return lines
