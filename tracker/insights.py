"""What the diary says about progress, by the rules of domain.md version 2.

Noise first: every comparison of two spans of daily ratings carries an interval built from the
person's own day-to-day variation and the likeness of neighbouring days (``stats``), and a
direction or a band is named only beyond it. ``insights`` returns the JSON of cli.md
("insights --json", version 2) as typed rows; ``insight_sentences`` says the same in words.

Pure functions over entries (the plain dicts of ``records``): no I/O, no Textual.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from typing import Literal, Protocol, TypedDict

from tracker import stats
from tracker.analysis import METRIC_INFO, PLAN_KIND
from tracker.numbers import one_decimal
from tracker.numbers import signed_one_decimal as signed
from tracker.records import (
    EXERCISE_KINDS,
    KIND_LABELS,
    Entry,
    clicking_word,
    field_spec,
    short_date,
)
from tracker.stats import TOLERANCE

VERSION = 2
PAIN_METRICS: tuple[str, ...] = ("knee_pain", "back_pain")  # cli.md: knee before back
KNEES: tuple[str, ...] = ("left", "right")

SPAN_DAYS = 14  # progress: the first two weeks against the last two
TOO_EARLY_DAYS = 27  # the range must end at least this long after the baseline starts
MIN_SPAN_CHECKINS = 7
WEEK_DAYS = 7
MIN_WEEK_CHECKINS = 4
R1_DAYS = 120
MIN_GROUP_DAYS = 7  # association groups
MIN_FIT_DAYS = 20
FIT_LEVEL_P = 1 - 0.05 / 12  # 99.2 % two-sided: 95 % shared by six comparisons (Bonferroni)
PAIN_DURING_LIMIT = 5
NOT_SETTLED_RISE = 2
SETTLED_BEFORE_DAYS = 3  # "not settled next day" compares with the check-ins of D-3..D-1
RISING_WEEK = 1.0
DEFAULT_DAYS = 90

Direction = Literal["better", "worse"]
Band = Literal["substantial", "meaningful", "small", "below_important"]
Status = Literal["ok", "too_early", "too_few_checkins"]


class Span(TypedDict):
    start: str | None
    end: str | None
    mean: float | None
    days: int


class ProgressRow(TypedDict):
    metric: str
    status: Status
    baseline: Span
    recent: Span
    change: float | None
    change_pct: float | None
    ci: list[float] | None
    beyond_variation: bool | None
    direction: Direction | None
    band: Band | None


class WeekRow(TypedDict):
    metric: str
    previous: Span
    recent: Span
    change: float | None
    ci: list[float] | None
    beyond_variation: bool | None
    direction: Direction | None


class ClickingRow(TypedDict):
    knee: str
    baseline_days_by_answer: list[int]
    recent_days_by_answer: list[int]
    recent_painful_days: int


class AssociationRow(TypedDict):
    exercise: str
    metric: str
    days_after_exercise: int
    days_after_other: int
    mean_after_exercise: float | None
    mean_after_other: float | None
    difference: float | None
    adjusted_difference: float | None
    ci: list[float] | None
    beyond_variation: bool | None


class PainDuringReason(TypedDict):
    rule: Literal["pain_during"]
    kind: str
    value: int


class NotSettledReason(TypedDict):
    rule: Literal["not_settled"]
    metric: str
    before: int
    next_day: int


class Flag(TypedDict):
    date: str
    exercises: list[str]
    reasons: list[PainDuringReason | NotSettledReason]


class PainRising(TypedDict):
    metric: str
    change: float
    ci: list[float]


class Monitoring(TypedDict):
    days_with_exercise: int
    assessable_days: int
    not_assessable_days: int
    not_assessable_dates: list[str]
    flags: list[Flag]
    pain_rising: list[PainRising]


class Insights(TypedDict):
    version: int
    until: str
    progress: list[ProgressRow]
    week: list[WeekRow]
    clicking: list[ClickingRow]
    associations: list[AssociationRow]
    monitoring: Monitoring


# ---------------------------------------------------------------- the diary by day


class Diary:
    """Check-ins by date (on or before ``until``) and exercise entries by date."""

    def __init__(self, entries: Iterable[Entry], until: date) -> None:
        last = until.isoformat()
        exercise_kinds = set(EXERCISE_KINDS)  # the live view, read once
        self.until = until
        self.checkins: dict[date, Entry] = {}
        self.exercises: dict[date, list[Entry]] = {}
        self._kinds: dict[date, set[str]] = {}
        self.start: date | None = None  # the programme's start: the first plan's date
        parsed: dict[str, date] = {}  # five entries a day share a date: parse it once
        for entry in entries:
            text = entry["date"]
            if text > last:
                continue
            day = parsed.get(text)
            if day is None:
                day = parsed[text] = date.fromisoformat(text)
            kind = entry["kind"]
            if kind == "checkin":
                self.checkins[day] = entry
            elif kind in exercise_kinds:
                self.exercises.setdefault(day, []).append(entry)
                self._kinds.setdefault(day, set()).add(kind)
            elif kind == PLAN_KIND and (self.start is None or day < self.start):
                self.start = day
        # Progress measures from the first check-in on or after the programme's start (the
        # first plan's date), or from the first check-in when no plan is recorded.
        self.first_checkin = min(
            (day for day in self.checkins if self.start is None or day >= self.start),
            default=None,
        )

    def values(self, metric: str, start: date, end: date) -> list[float]:
        """The metric's check-in values from ``start`` to ``end`` inclusive, oldest first."""
        return [
            float(self.checkins[day][metric]) for day in _days(start, end) if day in self.checkins
        ]

    def kinds_on(self, day: date) -> set[str]:
        """The exercise kinds logged on ``day`` (do not change the set)."""
        return self._kinds.get(day, _NO_KINDS)

    def r1(self, metric: str) -> float:
        """r1 of domain.md for ``metric``: the 120 days ending on ``until``."""
        start = self.until - timedelta(days=R1_DAYS - 1)
        days = [(day - start).days for day in _days(start, self.until) if day in self.checkins]
        values = [float(self.checkins[start + timedelta(days=d)][metric]) for d in days]
        return stats.lag_one_correlation(days, values)


_NO_KINDS: set[str] = set()


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _span(start: date | None, end: date | None, values: Sequence[float], enough: bool) -> Span:
    return {
        "start": None if start is None else start.isoformat(),
        "end": None if end is None else end.isoformat(),
        "mean": stats.mean(values) if enough and values else None,
        "days": len(values),
    }


def _at_least(value: float, threshold: float) -> bool:
    return value >= threshold - TOLERANCE


def _below(value: float, threshold: float) -> bool:
    return value < threshold - TOLERANCE


def _direction(difference: stats.Difference) -> Direction | None:
    if not difference.beyond_variation:
        return None
    return "better" if difference.difference < 0 else "worse"


# ---------------------------------------------------------------- progress


def progress_band(change: float, change_pct: float | None, baseline: float) -> Band:
    """How big an improvement (``change`` < 0) is, by the thresholds of domain.md."""
    points = -change
    percent = None if change_pct is None else -change_pct
    if _at_least(baseline, 3):
        assert percent is not None
        if _at_least(percent, 50):
            return "substantial"
        if _at_least(points, 2) or _at_least(percent, 30):
            return "meaningful"
        if _at_least(points, 1) or _at_least(percent, 15):
            return "small"
        return "below_important"
    if _at_least(points, 2):
        return "meaningful"
    if _at_least(points, 1):
        return "small"
    return "below_important"


def progress_row(diary: Diary, metric: str) -> ProgressRow:
    until = diary.until
    recent_start = until - timedelta(days=SPAN_DAYS - 1)
    recent_values = diary.values(metric, recent_start, until)
    row: ProgressRow = {
        "metric": metric,
        "status": "too_few_checkins",
        "baseline": _span(None, None, [], False),
        "recent": _span(recent_start, until, recent_values, False),
        "change": None,
        "change_pct": None,
        "ci": None,
        "beyond_variation": None,
        "direction": None,
        "band": None,
    }
    first = diary.first_checkin
    if first is None:
        return row
    baseline_end = first + timedelta(days=SPAN_DAYS - 1)
    baseline_values = diary.values(metric, first, min(baseline_end, until))
    if until < first + timedelta(days=TOO_EARLY_DAYS):
        status: Status = "too_early"
    elif len(baseline_values) < MIN_SPAN_CHECKINS or len(recent_values) < MIN_SPAN_CHECKINS:
        status = "too_few_checkins"
    else:
        status = "ok"
    shown = status != "too_early"
    row["status"] = status
    row["baseline"] = _span(
        first, baseline_end, baseline_values, shown and len(baseline_values) >= MIN_SPAN_CHECKINS
    )
    row["recent"] = _span(
        recent_start, until, recent_values, shown and len(recent_values) >= MIN_SPAN_CHECKINS
    )
    if status != "ok":
        return row
    difference = stats.span_difference(baseline_values, recent_values, diary.r1(metric))
    baseline_mean = stats.mean(baseline_values)
    change = difference.difference
    change_pct = None if _below(baseline_mean, 1) else 100 * change / baseline_mean
    direction = _direction(difference)
    row["change"], row["change_pct"] = change, change_pct
    row["ci"] = [difference.low, difference.high]
    row["beyond_variation"], row["direction"] = difference.beyond_variation, direction
    if direction == "better":
        row["band"] = progress_band(change, change_pct, baseline_mean)
    return row


# ---------------------------------------------------------------- this week


def week_row(diary: Diary, metric: str) -> WeekRow:
    until = diary.until
    recent_start = until - timedelta(days=WEEK_DAYS - 1)
    previous_end = recent_start - timedelta(days=1)
    previous_start = previous_end - timedelta(days=WEEK_DAYS - 1)
    previous = diary.values(metric, previous_start, previous_end)
    recent = diary.values(metric, recent_start, until)
    both = len(previous) >= MIN_WEEK_CHECKINS and len(recent) >= MIN_WEEK_CHECKINS
    row: WeekRow = {
        "metric": metric,
        "previous": _span(
            previous_start, previous_end, previous, len(previous) >= MIN_WEEK_CHECKINS
        ),
        "recent": _span(recent_start, until, recent, len(recent) >= MIN_WEEK_CHECKINS),
        "change": None,
        "ci": None,
        "beyond_variation": None,
        "direction": None,
    }
    if both:
        difference = stats.span_difference(previous, recent, diary.r1(metric))
        row["change"], row["ci"] = difference.difference, [difference.low, difference.high]
        row["beyond_variation"] = difference.beyond_variation
        row["direction"] = _direction(difference)
    return row


# ---------------------------------------------------------------- clicking


def clicking_rows(diary: Diary) -> list[ClickingRow]:
    """Counts of days per answer (0..4) per knee in the progress spans; no means (categories)."""
    until = diary.until
    recent_start = until - timedelta(days=SPAN_DAYS - 1)
    first = diary.first_checkin
    rows: list[ClickingRow] = []
    for knee in KNEES:
        field = f"clicking_{knee}"
        baseline = [0] * 5
        if first is not None:
            for day in _days(first, min(first + timedelta(days=SPAN_DAYS - 1), until)):
                if day in diary.checkins:
                    baseline[diary.checkins[day][field]] += 1
        recent = [0] * 5
        painful = 0
        for day in _days(recent_start, until):
            checkin = diary.checkins.get(day)
            if checkin is not None:
                recent[checkin[field]] += 1
                painful += int(bool(checkin.get("clicking_painful")) and checkin[field] >= 1)
        rows.append(
            {
                "knee": knee,
                "baseline_days_by_answer": baseline,
                "recent_days_by_answer": recent,
                "recent_painful_days": painful,
            }
        )
    return rows


# ---------------------------------------------------------------- exercise and the next day


def association_rows(diary: Diary, days: int) -> list[AssociationRow]:
    until = diary.until
    window_start = until - timedelta(days=days - 1)
    searched = [
        day
        for day in _days(window_start, until)
        if day in diary.checkins and day - timedelta(days=1) in diary.checkins
    ]
    kinds = list(EXERCISE_KINDS)
    rows: list[AssociationRow] = []
    adjusted: dict[tuple[str, str], tuple[float, float, float]] = {}
    one_day = timedelta(days=1)
    # Neither the groups nor the day before depend on the metric: worked out once.
    before = {day: diary.checkins[day - one_day] for day in searched}
    day_before = {day: diary.kinds_on(day - one_day) for day in searched}
    groups = {kind: [day for day in searched if kind in day_before[day]] for kind in kinds}
    included = [
        kind
        for kind in kinds
        if len(groups[kind]) >= MIN_GROUP_DAYS
        and len(searched) - len(groups[kind]) >= MIN_GROUP_DAYS
    ]
    shared = [[1.0, *(float(kind in day_before[day]) for kind in included)] for day in searched]
    numbers = [float((day - window_start).days) for day in searched]
    for metric in PAIN_METRICS:
        pain = {day: float(diary.checkins[day][metric]) for day in searched}
        if len(searched) >= MIN_FIT_DAYS:
            design = [
                [*start, float(before[day][metric]), number]
                for start, day, number in zip(shared, searched, numbers, strict=True)
            ]
            fit = stats.least_squares(design, [pain[day] for day in searched])
            if fit is not None:
                t = stats.t_quantile(FIT_LEVEL_P, fit.df)
                for position, kind in enumerate(included, start=1):
                    beta, error = fit.coefficients[position], fit.standard_errors[position]
                    adjusted[(kind, metric)] = (beta, beta - t * error, beta + t * error)
        for kind in kinds:
            after = [pain[day] for day in groups[kind]]
            in_group = set(groups[kind])
            other = [pain[day] for day in searched if day not in in_group]
            enough = len(after) >= MIN_GROUP_DAYS and len(other) >= MIN_GROUP_DAYS
            mean_after = stats.mean(after) if enough else None
            mean_other = stats.mean(other) if enough else None
            fitted = adjusted.get((kind, metric))
            rows.append(
                {
                    "exercise": kind,
                    "metric": metric,
                    "days_after_exercise": len(after),
                    "days_after_other": len(other),
                    "mean_after_exercise": mean_after,
                    "mean_after_other": mean_other,
                    "difference": (
                        None
                        if mean_after is None or mean_other is None
                        else mean_after - mean_other
                    ),
                    "adjusted_difference": None if fitted is None else fitted[0],
                    "ci": None if fitted is None else [fitted[1], fitted[2]],
                    "beyond_variation": (
                        None if fitted is None else fitted[1] > TOLERANCE or fitted[2] < -TOLERANCE
                    ),
                }
            )
    order = {kind: i for i, kind in enumerate(kinds)}
    rows.sort(key=lambda row: (order[row["exercise"]], PAIN_METRICS.index(row["metric"])))
    return rows


# ---------------------------------------------------------------- pain monitoring


def monitoring(diary: Diary, days: int, week: Sequence[WeekRow]) -> Monitoring:
    until = diary.until
    window_start = until - timedelta(days=days - 1)
    exercise_days = [day for day in _days(window_start, until) if day in diary.exercises]
    kinds = list(EXERCISE_KINDS)
    flags: list[Flag] = []
    not_assessable: list[str] = []
    for day in exercise_days:
        entries = sorted(
            diary.exercises[day],
            key=lambda e: (kinds.index(e["kind"]), e["created_at"], e["id"]),
        )
        reasons: list[PainDuringReason | NotSettledReason] = [
            {"rule": "pain_during", "kind": e["kind"], "value": e["pain_during"]}
            for e in entries
            if e.get("pain_during") is not None and e["pain_during"] > PAIN_DURING_LIMIT
        ]
        next_day = diary.checkins.get(day + timedelta(days=1))
        before = [
            diary.checkins[d]
            for d in _days(day - timedelta(days=SETTLED_BEFORE_DAYS), day - timedelta(days=1))
            if d in diary.checkins
        ]
        if day + timedelta(days=1) > until or next_day is None or len(before) < 2:
            not_assessable.append(day.isoformat())
        else:
            for metric in PAIN_METRICS:
                highest = max(int(c[metric]) for c in before)
                if next_day[metric] >= highest + NOT_SETTLED_RISE:
                    reasons.append(
                        {
                            "rule": "not_settled",
                            "metric": metric,
                            "before": highest,
                            "next_day": int(next_day[metric]),
                        }
                    )
        if reasons:
            logged = {e["kind"] for e in entries}
            flags.append(
                {
                    "date": day.isoformat(),
                    "exercises": [kind for kind in kinds if kind in logged],
                    "reasons": reasons,
                }
            )
    rising: list[PainRising] = [
        {"metric": row["metric"], "change": row["change"], "ci": row["ci"]}
        for row in week
        if row["change"] is not None
        and row["ci"] is not None
        and row["beyond_variation"]
        and _at_least(row["change"], RISING_WEEK)
    ]
    return {
        "days_with_exercise": len(exercise_days),
        "assessable_days": len(exercise_days) - len(not_assessable),
        "not_assessable_days": len(not_assessable),
        "not_assessable_dates": not_assessable,
        "flags": flags,
        "pain_rising": rising,
    }


# ---------------------------------------------------------------- what it reads


class EntrySource(Protocol):
    """Where entries are read from by days (``tracker.store.Store`` is one)."""

    def months(self) -> list[str]:
        """The ``YYYY-MM`` months that hold entries, oldest first (no file read)."""
        ...

    def entries_of_days(self, start: date, end: date) -> list[Entry]:
        """The entries dated ``start`` to ``end`` inclusive, sorted by date, created_at, id."""
        ...


def days_needed(until: date, days: int = DEFAULT_DAYS) -> tuple[date, date]:
    """The days whose entries ``insights(until=until, days=days)`` reads, besides the diary's
    first two weeks (``read_with_start`` adds those): r1's 120 days, the days searched with
    the day before the first (associations) and the 3 days before it (pain monitoring); the
    two weeks compared and the week rows lie inside these."""
    searched = max(days, 1)
    lead = max(R1_DAYS - 1, searched - 1 + SETTLED_BEFORE_DAYS, SPAN_DAYS - 1, 2 * WEEK_DAYS - 1)
    return until - timedelta(days=lead), until


def kind_months_of(source: EntrySource, kind: str) -> list[str] | None:
    """The months a source notes for a kind logged now and then (``Store.kind_months``), or
    None when it keeps no such note (a test's source): then every month is searched."""
    noted = getattr(source, "kind_months", None)
    months = None if noted is None else noted(kind)
    return None if months is None else list(months)


def month_days(months: Iterable[str], day_before: date) -> Iterator[tuple[date, date]]:
    """Each of ``months`` ("YYYY-MM", in the order given) that begins on or before
    ``day_before``, as its first day and its last day up to ``day_before``: the spans a reader
    walking the diary month by month asks ``entries_of_days`` for."""
    for month in months:
        first_day = date.fromisoformat(f"{month}-01")
        if first_day <= day_before:
            yield first_day, min(_last_of_month(first_day), day_before)


def _first_plan(source: EntrySource, months: list[str], day_before: date) -> Entry | None:
    """The first plan dated up to ``day_before``, from the months noted to hold plans."""
    for first_day, last_day in month_days(months, day_before):
        for entry in source.entries_of_days(first_day, last_day):
            if entry["kind"] == PLAN_KIND:
                return entry
    return None


def entries_of_kind_before(source: EntrySource, kind: str, day_before: date) -> list[Entry]:
    """Every entry of ``kind`` dated up to ``day_before``, oldest first: read from the months
    the store notes for the kind (a handful for plans), else from every month before it."""
    noted = kind_months_of(source, kind)
    months = source.months() if noted is None else noted
    found: list[Entry] = []
    for first_day, last_day in month_days(months, day_before):
        found.extend(e for e in source.entries_of_days(first_day, last_day) if e["kind"] == kind)
    return found


def _first_checkin_day(source: EntrySource, day_before: date) -> list[date]:
    """[the day of the diary's first check-in before ``day_before``], or [] when none: months
    read oldest first until one holds a check-in."""
    for first_day, last_day in month_days(source.months(), day_before):
        found = next(
            (e for e in source.entries_of_days(first_day, last_day) if e["kind"] == "checkin"),
            None,
        )
        if found is not None:
            return [date.fromisoformat(found["date"])]
    return []


def read_with_start(source: EntrySource, start: date, end: date) -> list[Entry]:
    """The entries dated ``start`` to ``end`` and, before them, the first plan entry and the
    diary's first two weeks (the first check-in, on or after the first plan when there is one,
    and the 13 days after it, up to the day before ``start``): all that a comparison with the
    start of the programme needs, in the order of ``entries()``.

    The months before ``start`` are read oldest first until one holds a plan: a plan dated
    after the first check-in moves the start, so without a plan every month before ``start``
    is read (a plan is a handful of entries, and no index knows kinds). The first two weeks
    are then read from the months already seen.
    """
    from tracker.store.files import DataFileError

    window = source.entries_of_days(start, end)
    day_before = start - timedelta(days=1)
    first_plan: Entry | None = None
    checkin_days: list[date] = []  # the first check-in of each month read, oldest first
    noted = kind_months_of(source, PLAN_KIND)
    if noted is not None:
        # The store notes which months hold plans: read those, and the months up to the
        # first check-in, instead of every month before the window.
        before = [m for m in noted if f"{m}-01" <= day_before.isoformat()]
        first_plan = _first_plan(source, before, day_before)
        if first_plan is None:
            checkin_days = _first_checkin_day(source, day_before)
    for first_day, last_day in month_days(source.months() if noted is None else (), day_before):
        try:
            entries = source.entries_of_days(first_day, last_day)
        except DataFileError:
            if not checkin_days:
                raise  # it may hold the first check-in: as before plans, say so
            # Read only to look for a plan: a damaged month, which `list` and `doctor` name,
            # does not stop insights that never needed it before plans existed.
            continue
        plan = next((e for e in entries if e["kind"] == PLAN_KIND), None)
        if plan is not None:
            first_plan = plan
            break
        found = next((e for e in entries if e["kind"] == "checkin"), None)
        if found is not None:
            checkin_days.append(date.fromisoformat(found["date"]))
    if first_plan is None:
        plans = [e for e in window if e["kind"] == PLAN_KIND]
        if plans:
            return window  # the programme starts inside the window: it holds the baseline
        if not checkin_days:
            return window
        first = checkin_days[0]
        baseline_end = min(first + timedelta(days=SPAN_DAYS - 1), day_before)
        return source.entries_of_days(first, baseline_end) + window
    # The first check-in on or after the first plan, in the months from the plan's on.
    plan_day = date.fromisoformat(first_plan["date"])
    extra = [first_plan]
    for first_day, last_day in month_days(source.months(), day_before):
        if _last_of_month(first_day) < plan_day:
            continue
        low = max(first_day, plan_day)
        checkins = (e for e in source.entries_of_days(low, last_day) if e["kind"] == "checkin")
        found = next(checkins, None)
        if found is not None:
            first = date.fromisoformat(found["date"])
            baseline_end = min(first + timedelta(days=SPAN_DAYS - 1), day_before)
            chosen = source.entries_of_days(first, baseline_end)
            return [e for e in extra if e not in chosen] + chosen + window
    return extra + window


def read_for_insights(source: EntrySource, *, until: date, days: int = DEFAULT_DAYS) -> list[Entry]:
    """The entries ``insights(until=until, days=days)`` needs, read month by month: its
    result from these is the same as from every entry of the diary."""
    return read_with_start(source, *days_needed(until, days))


def _last_of_month(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


# ---------------------------------------------------------------- all of it


def insights(entries: Iterable[Entry], *, until: date, days: int = DEFAULT_DAYS) -> Insights:
    """Everything ``tracker insights --json`` prints (cli.md, version 2)."""
    diary = Diary(entries, until)
    week = [week_row(diary, metric) for metric in PAIN_METRICS]
    return {
        "version": VERSION,
        "until": until.isoformat(),
        "progress": [progress_row(diary, metric) for metric in PAIN_METRICS],
        "week": week,
        "clicking": clicking_rows(diary),
        "associations": association_rows(diary, max(days, 1)),
        "monitoring": monitoring(diary, max(days, 1), week),
    }


# ---------------------------------------------------------------- in words


def interval(ci: Sequence[float]) -> str:
    return f"95 % CI {one_decimal(ci[0])} to {one_decimal(ci[1])}"


BAND_WORDS: dict[str, str] = {
    "substantial": "a substantial improvement",
    "meaningful": "a meaningful improvement",
    "small": "a small improvement",
    "below_important": "an improvement smaller than people usually notice",
}
START_CAVEAT = (
    "People often start a diary when pain peaks, so part of an improvement since the first "
    "weeks can be pain returning to its usual level."
)
ASSOCIATION_CAVEAT = (
    "An association, not proof of cause: on bad days people often skip or ease exercise, which "
    "alone makes exercise days look better."
)
SAFETY_NOTE = (
    "New numbness or weakness in a leg, loss of bladder or bowel control, fever with back pain, "
    "or night pain that does not ease with rest: stop the programme and contact a clinician "
    "at once."
)


def progress_sentence(row: ProgressRow) -> str:
    what = METRIC_INFO[row["metric"]].label
    baseline, recent = row["baseline"], row["recent"]
    if row["status"] == "too_early":
        return f"{what}: too early to compare with the start (four weeks of diary are needed)."
    if row["status"] == "too_few_checkins":
        return (
            f"{what}: too few check-ins to compare with the start "
            f"({baseline['days']} in the first two weeks, {recent['days']} in the last two; "
            f"{MIN_SPAN_CHECKINS} each are needed)."
        )
    assert baseline["mean"] is not None and recent["mean"] is not None
    assert row["change"] is not None and row["ci"] is not None
    text = (
        f"{what}: {one_decimal(recent['mean'])} in the last two weeks ({recent['days']} "
        f"check-ins) against {one_decimal(baseline['mean'])} in the first two "
        f"({baseline['days']}), {signed(row['change'])} points ({interval(row['ci'])})"
    )
    if not row["beyond_variation"]:
        return text + ": within day-to-day variation."
    if row["direction"] == "worse":
        return text + f": worse by {one_decimal(row['change'])} points."
    assert row["band"] is not None
    return text + f": {BAND_WORDS[row['band']]}."


def week_sentence(row: WeekRow) -> str:
    what = METRIC_INFO[row["metric"]].label
    previous, recent = row["previous"], row["recent"]
    if row["change"] is None or row["ci"] is None:
        return (
            f"{what} this week: too few check-ins to compare with last week "
            f"({recent['days']} this week, {previous['days']} last week; "
            f"{MIN_WEEK_CHECKINS} each are needed)."
        )
    assert previous["mean"] is not None and recent["mean"] is not None
    text = (
        f"{what} this week: {one_decimal(recent['mean'])} ({recent['days']} check-ins) against "
        f"{one_decimal(previous['mean'])} last week ({previous['days']}), "
        f"{signed(row['change'])} points ({interval(row['ci'])})"
    )
    if not row["beyond_variation"]:
        return text + ": within day-to-day variation."
    return (
        text + (": lower" if row["change"] < 0 else ": higher") + ", beyond day-to-day variation."
    )


def clicking_sentence(row: ClickingRow) -> str:
    def counts(days_by_answer: Sequence[int]) -> str:
        said = [
            f"{clicking_word(answer)} {count}"
            for answer, count in enumerate(days_by_answer)
            if count
        ]
        return ", ".join(said) if said else "no check-ins"

    text = (
        f"Clicking, {row['knee']} knee, days by answer: first two weeks "
        f"{counts(row['baseline_days_by_answer'])}; last two weeks "
        f"{counts(row['recent_days_by_answer'])}."
    )
    if row["recent_painful_days"]:
        days = row["recent_painful_days"]
        text += (
            f" Painful on {days} day{'s' if days != 1 else ''}: worth telling your physiotherapist."
        )
    return text


def association_sentence(row: AssociationRow) -> str:
    what = METRIC_INFO[row["metric"]].label.lower()
    kind = KIND_LABELS[row["exercise"]].lower()
    counts = (
        f"{row['days_after_exercise']} days after {kind}, {row['days_after_other']} after "
        "other days"
    )
    if row["mean_after_exercise"] is None or row["mean_after_other"] is None:
        return (
            f"Next-day {what} after {kind}: too few days to compare ({counts}; "
            f"{MIN_GROUP_DAYS} each are needed)."
        )
    text = (
        f"Next-day {what} after {kind}: {one_decimal(row['mean_after_exercise'])} against "
        f"{one_decimal(row['mean_after_other'])} after other days ({counts})"
    )
    if row["adjusted_difference"] is None or row["ci"] is None:
        return text + "; too few days for an adjusted comparison."
    low, high = row["ci"]
    text += (
        f"; adjusted for the day before and the trend {signed(row['adjusted_difference'])} "
        f"(99.2 % CI {one_decimal(low)} to {one_decimal(high)})"
    )
    if not row["beyond_variation"]:
        return text + ": within day-to-day variation."
    return text + (": lower after it." if row["adjusted_difference"] < 0 else ": higher after it.")


def pain_during_words(kind: str) -> str:
    """ "knee pain during" for tempo lunges, "pain during" for the others: the field's own
    label, so a flag names the pain as the form that recorded it does (domain.md, Volume)."""
    try:
        return field_spec(kind, "pain_during").label.lower()
    except KeyError:
        return "pain during"


def reason_words(reason: PainDuringReason | NotSettledReason) -> str:
    """Why a day is flagged, every number with its measure and its scale."""
    if reason["rule"] == "pain_during":
        kind = reason["kind"]
        return f"{pain_during_words(kind)} {KIND_LABELS[kind].lower()} {reason['value']}/10"
    return (
        f"{METRIC_INFO[reason['metric']].label.lower()} {reason['next_day']}/10 the next day "
        f"against at most {reason['before']}/10 in the 3 days before"
    )


def monitoring_sentences(result: Monitoring) -> list[str]:
    lines = [
        f"Pain monitoring: {result['days_with_exercise']} exercise days, "
        f"{result['assessable_days']} assessable, {result['not_assessable_days']} not "
        "assessable (no check-in the next day, or fewer than 2 in the 3 days before)."
    ]
    for flag in result["flags"]:
        kinds = ", ".join(KIND_LABELS[k].lower() for k in flag["exercises"])
        reasons = "; ".join(reason_words(r) for r in flag["reasons"])
        lines.append(f"  {short_date(flag['date'])} ({kinds}): {reasons}.")
    for rising in result["pain_rising"]:
        what = METRIC_INFO[rising["metric"]].label
        lines.append(
            f"  {what} rose this week by {one_decimal(rising['change'])} points "
            f"({interval(rising['ci'])})."
        )
    if result["flags"] or result["pain_rising"]:
        lines.append(
            "  Ease the load of the exercises named until pain settles, and discuss it with "
            "your physiotherapist."
        )
    else:
        lines.append("  No day was flagged.")
    return lines


def insight_sentences(result: Insights) -> list[str]:
    """The insights in words: every number with its count, the caveats every time."""
    lines = [progress_sentence(row) for row in result["progress"]]
    lines.append(START_CAVEAT)
    lines += [week_sentence(row) for row in result["week"]]
    lines += [clicking_sentence(row) for row in result["clicking"]]
    lines += [association_sentence(row) for row in result["associations"]]
    lines.append(ASSOCIATION_CAVEAT)
    lines += monitoring_sentences(result["monitoring"])
    return spell_out_once(lines, "% CI ", "% confidence interval, CI, ")


def spell_out_once(lines: Sequence[str], short: str, full: str) -> list[str]:
    """``lines`` with the first ``short`` written ``full``: an abbreviation is spelled out once
    where it first appears, and used alone after that."""
    out = list(lines)
    for i, line in enumerate(out):
        if short in line:
            out[i] = line.replace(short, full, 1)
            break
    return out
