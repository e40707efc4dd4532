"""What the report says, once: one model of its content that the Markdown and the HTML
renderers both write out (``markdown.py``, ``html.py``).

Most useful first, and nothing the rules of domain.md version 2 do not support: the period, a
short summary in plain words (progress since the start with its interval and band, how complete
the diary is), the charts, the diary week by week, progress since the first two weeks, the last
7 days against the 7 before, clicking as counts of answers, the pain-monitoring days (flagged,
assessable, not assessable), exercise and the next day with adjusted differences and the
caveat, weekly volume, the user's own notes of the period, and the safety note.

Weeks are calendar weeks that start on ``week_start`` (0 = Monday .. 6 = Sunday), as people
count them; the period is the ``weeks`` x 7 days ending on ``until``, so its first and last
weeks can be partial, and their rows say so.

Pure: entries in, a ``Report`` out. Text from the user (notes, custom exercise names) is kept
as typed here; each renderer escapes every piece of text it writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta

from tracker import analysis, charts, events, insights
from tracker.analysis import METRIC_INFO, PAIN_METRICS, PLAN_KIND
from tracker.charts.common import LEAD_DAYS
from tracker.insights import (
    AssociationRow,
    ClickingRow,
    Monitoring,
    ProgressRow,
    WeekRow,
)
from tracker.kinds import kind_of
from tracker.numbers import decimal, one_decimal, plain, signed_one_decimal
from tracker.records import (
    ALIGNMENTS,
    CLICK_MOVE_LABELS,
    CLICK_MOVES,
    CLICKING_WORDS,
    EXERCISE_KINDS,
    KIND_LABELS,
    Entry,
    short_date,
    sort_key,
    summary,
)
from tracker.report import programme
from tracker.report.model import (
    BarChart,
    BarSeries,
    Block,
    Note,
    Notes,
    PainChart,
    Paragraph,
    Report,
    Section,
    Table,
    Week,
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# ---------------------------------------------------------------- building it


def report_content(
    entries: Iterable[Entry], *, weeks: int = 4, until: date, week_start: int = 0
) -> Report:
    """The report for the ``weeks`` weeks ending on ``until`` (inclusive), weeks starting on
    ``week_start`` (0 = Monday .. 6 = Sunday)."""
    if not 0 <= week_start <= 6:
        raise ValueError(f"week_start must be 0 (Monday) to 6 (Sunday), got {week_start}")
    weeks = max(weeks, 1)
    days = weeks * 7
    start = until - timedelta(days=days - 1)
    everything = list(entries)  # progress compares with the first two weeks of the diary
    # The pain chart's entries: its first 7-day mean needs the LEAD_DAYS before the period.
    recent = analysis.select(everything, start - timedelta(days=LEAD_DAYS), until)
    shown = [e for e in recent if start.isoformat() <= e["date"] <= until.isoformat()]
    result = insights.insights(everything, until=until, days=days)
    calendar = calendar_weeks(start, until, week_start)
    # One pass each over the period, in the same calendar weeks (analysis clips the first and
    # last to the range and counts only their days).
    adherence = analysis.adherence(shown, start=start, end=until, week_start=week_start)
    volume = analysis.weekly_volume(shown, start=start, end=until, week_start=week_start)
    assert len(adherence) == len(volume) == len(calendar)
    period = (
        f"Period: {weeks} week{'s' if weeks != 1 else ''} ({days} days), "
        f"{start.isoformat()} to {until.isoformat()}. Weeks start on {WEEKDAYS[week_start]}. "
        "Pain is rated 0-10 once a day (24-hour recall); clicking uses the words of the "
        "KOOS knee questionnaire's question S2 (grinding or clicking), 0 = Never to 4 = Always. "
        "CI: confidence interval, the range the true change most likely lies in."
    )
    notes = _notes(shown)
    plan_done = programme.plan_share_in(everything, start=start, end=until, week_start=week_start)
    # The visit page (issue 11): what is prescribed and done, how it was progressed, the
    # questionnaires, progress, the pain-monitoring days, events, clicking; then the detail.
    sections = (
        _summary(
            result,
            adherence,
            days,
            len(notes.rows),
            plan_done=plan_done,
            questionnaires=_questionnaires_sentence(everything, until),
        ),
        programme.plan_section(
            everything, start=start, until=until, week_start=week_start, calendar=calendar
        ),
        programme.progression_section(everything, start=start, until=until, calendar=calendar),
        questionnaires_section(everything, until),
        _progress(result["progress"]),
        _week(result["week"]),
        Section(
            "charts",
            "Charts",
            (
                _pain_chart(recent, start, until, calendar),
                *_volume_charts(calendar, volume),
                _adherence_chart(calendar, adherence),
            ),
        ),
        _monitoring(result["monitoring"], days),
        _events(everything, start, until),
        _clicking(result["clicking"]),
        _click_moves(shown, start, until),
        _alignment(shown, start, until, week_start, calendar),
        _diary(calendar, adherence, days),
        _associations(result["associations"], days),
        _volume_section(calendar, volume),
        Section("notes", "Notes from the diary", (notes,) if notes.rows else (_NO_NOTES,)),
        Section("safety", "Safety", (Paragraph(insights.SAFETY_NOTE),)),
    )
    return Report(
        title=f"Progress report: {_day(start)} to {_day(until)}",
        period=period,
        start=start,
        until=until,
        weeks=weeks,
        week_start=week_start,
        sections=sections,
    )


_NO_NOTES = Paragraph("No notes in this period.")


def questionnaires_section(entries: Iterable[Entry], until: date) -> Section:
    """The questionnaires: per score the first and the latest, the change, and whether it
    reaches the published important-change figure; the latest overall change (PGIC)."""
    from tracker import questionnaires as q

    everything = list(entries)
    rows = q.score_rows(everything, until)
    pgic = q.latest_pgic(everything, until)
    blocks: list[Block] = []
    if rows:
        blocks.append(
            Table(
                ("Score", "First", "Latest", "Change", "Important change"),
                tuple(
                    (
                        row["label"],
                        f"{q.score_text(row, row['first']['score'])} ({row['first']['date']})",
                        f"{q.score_text(row, row['latest']['score'])} ({row['latest']['date']})",
                        q.change_words(row).split(":")[0] if row["count"] > 1 else "first time",
                        ("reached" if row["important"] else "not reached")
                        + f" ({row['threshold']})",
                    )
                    for row in rows
                ),
            )
        )
        blocks.append(
            Paragraph(
                "KOOS-12 scores 0-100, higher is better (important change: 10 points, Roos & "
                "Lohmander 2003); Roland-Morris 0-24 and Oswestry 0-100 %, lower is better "
                "(important change: 5 and 10 points, or 30 %, Ostelo et al. 2008). "
                "A change is not proof of what caused it."
            )
        )
    if pgic is not None:
        blocks.append(
            Paragraph(
                f"Overall change since the start (PGIC), {pgic['date']}: "
                f"{pgic['words'].lower()} ({pgic['answer']} of 1-7)."
            )
        )
    if not blocks:
        blocks.append(Paragraph("No questionnaires filled in yet."))
    return Section("questionnaires", "Questionnaires", tuple(blocks))


def _questionnaires_sentence(entries: Sequence[Entry], until: date) -> str | None:
    """ "Questionnaires (latest 2026-11-13): KOOS-12 pain and KOOS-12 function improved by at
    least the important-change figure since the first time; Roland-Morris did not." """
    from tracker import questionnaires as q

    rows = [row for row in q.score_rows(entries, until) if row["count"] > 1]
    if not rows:
        return None
    latest = max(row["latest"]["date"] for row in rows)
    reached = [row["label"] for row in rows if row["important"]]
    others = [row["label"] for row in rows if not row["important"]]
    parts = []
    if reached:
        parts.append(
            f"{_and(reached)} improved by at least the important-change figure since the first time"
        )
    if others:
        parts.append(
            f"{_and(others)} did not"
            if reached
            else f"no score ({_and(others)}) "
            "improved by its important-change figure since the first time"
        )
    return f"Questionnaires (latest {latest}): {'; '.join(parts)}."


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def days_needed(*, weeks: int = 4, until: date) -> tuple[date, date]:
    """The days whose entries the report of the ``weeks`` weeks ending on ``until`` reads,
    besides the diary's first two weeks (``insights.read_with_start`` adds those): the
    period with the LEAD_DAYS before it for the pain chart's first 7-day mean, and what the
    insights over the period read."""
    days = max(weeks, 1) * 7
    start = until - timedelta(days=days - 1)
    insights_start, _ = insights.days_needed(until, days)
    events_start = start - timedelta(days=events.LEAD_DAYS)  # the events' 4 weeks before, r1
    return min(start - timedelta(days=LEAD_DAYS), insights_start, events_start), until


def read_for_report(source: insights.EntrySource, *, weeks: int = 4, until: date) -> list[Entry]:
    """The entries the report of the ``weeks`` weeks ending on ``until`` needs, read month by
    month: the report made from these is the same as from every entry of the diary."""
    start, end = days_needed(weeks=weeks, until=until)
    window = insights.read_with_start(source, start, end)
    # The plan section names the plan each change replaced: every plan before the period.
    known = {entry["id"] for entry in window}
    plans = insights.entries_of_kind_before(source, PLAN_KIND, start - timedelta(days=1))
    extra = [plan for plan in plans if plan["id"] not in known]
    if extra:
        window = sorted([*window, *extra], key=sort_key)
    return _with_questionnaires_before(source, window, start)


def _with_questionnaires_before(
    source: insights.EntrySource, entries: list[Entry], start: date
) -> list[Entry]:
    """``entries`` with, for each questionnaire, its first and its latest before ``start``:
    the questionnaires section compares the first time with the latest, which may both lie
    outside the days read (questionnaires begun after the diary's first two weeks, or none in
    a short period). Months are read oldest first, then newest first, each scan stopping when
    every questionnaire has been found (within a month or two for one filled in every three
    weeks)."""
    from tracker.questionnaires import QUESTIONNAIRE_KINDS

    noted: set[str] | None = None
    for kind in QUESTIONNAIRE_KINDS:  # the months the store notes for them, when it does
        months_of_kind = insights.kind_months_of(source, kind)
        if months_of_kind is not None:
            noted = (noted or set()) | set(months_of_kind)
    candidates = source.months() if noted is None else sorted(noted)
    months = list(insights.month_days(candidates, start - timedelta(days=1)))
    found: dict[str, Entry] = {}
    for order in (months, months[::-1]):
        wanted = set(QUESTIONNAIRE_KINDS)
        for first_day, last_day in order:
            held = source.entries_of_days(first_day, last_day)
            for entry in held if order is months else reversed(held):
                if entry["kind"] in wanted:
                    wanted.discard(entry["kind"])
                    found[entry["id"]] = entry
            if not wanted:
                break
    known = {entry["id"] for entry in entries}
    extra = [entry for entry_id, entry in found.items() if entry_id not in known]
    return sorted([*entries, *extra], key=sort_key) if extra else entries


def calendar_weeks(start: date, end: date, week_start: int = 0) -> list[Week]:
    """The calendar weeks (starting on ``week_start``, 0 = Monday) that cover ``start``..``end``,
    oldest first, each clipped to the range."""
    first = start - timedelta(days=(start.weekday() - week_start) % 7)
    out = []
    while first <= end:
        last = first + timedelta(days=6)
        out.append(Week(first, max(first, start), min(last, end)))
        first += timedelta(days=7)
    return out


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _cell(value: float | None, shown: Callable[[float], str] = decimal) -> str:
    """A figure of a table, "-" for none."""
    return "-" if value is None else shown(value)


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


# ---------------------------------------------------------------- sections


def _summary(
    result: insights.Insights,
    adherence: Sequence[analysis.WeekAdherence],
    days: int,
    notes: int,
    *,
    plan_done: tuple[int, int] | None,
    questionnaires: str | None,
) -> Section:
    checkin_days = sum(w.checkin_days for w in adherence)
    exercise_days = sum(w.exercise_days for w in adherence)
    monitoring = result["monitoring"]
    flagged = len(monitoring["flags"])
    if flagged:
        pain = (
            f"Pain monitoring: {flagged} of {monitoring['days_with_exercise']} exercise days "
            "flagged (pain during exercise above 5/10, or pain not settled the next day); "
            "they are listed below."
        )
    else:
        pain = (
            f"Pain monitoring: no exercise day flagged ({monitoring['assessable_days']} of "
            f"{monitoring['days_with_exercise']} could be assessed)."
        )
    said = f"{notes} note{'s' if notes != 1 else ''}" if notes else "no notes"
    return Section(
        "summary",
        "In short",
        (
            *((Paragraph(questionnaires),) if questionnaires else ()),
            *(Paragraph(insights.progress_sentence(row)) for row in result["progress"]),
            Paragraph(insights.START_CAVEAT),
            Paragraph(
                f"Diary: check-ins on {checkin_days} of {days} days "
                f"({round(100 * checkin_days / days)} %); exercise on {exercise_days} of "
                f"{days} days; {said} in the period."
            ),
            *(
                (Paragraph(f"Plan: planned sessions done {programme.share_words(*plan_done)}."),)
                if plan_done is not None
                else ()
            ),
            Paragraph(pain),
        ),
    )


def _diary(
    calendar: Sequence[Week], adherence: Sequence[analysis.WeekAdherence], days: int
) -> Section:
    checkin_days = sum(w.checkin_days for w in adherence)
    exercise_days = sum(w.exercise_days for w in adherence)
    return Section(
        "diary",
        "Diary",
        (
            Paragraph(
                f"Check-ins on {checkin_days} of {days} days "
                f"({round(100 * checkin_days / days)} %); exercise on {exercise_days} of "
                f"{days} days."
            ),
            Table(
                ("Week starting", "Days with a check-in", "Days with exercise"),
                tuple(
                    (week.label, f"{w.checkin_days} of {w.days}", f"{w.exercise_days}")
                    for week, w in zip(calendar, adherence, strict=True)
                ),
            ),
        ),
    )


_STATUS_WORDS = {
    "too_early": "too early: four weeks of diary are needed",
    "too_few_checkins": f"too few check-ins: {insights.MIN_SPAN_CHECKINS} in each span are needed",
}


def _progress(rows: list[ProgressRow]) -> Section:
    def verdict(row: ProgressRow) -> str:
        if row["status"] != "ok":
            return _STATUS_WORDS[row["status"]]
        return _verdict(row["change"], row["beyond_variation"], row["band"])

    first = rows[0]["baseline"]
    since = "" if first["start"] is None else f" ({first['start']} to {first['end']})"
    table = Table(
        (
            "Measure",
            "First two weeks",
            "Last two weeks",
            "Change",
            "Change %",
            "95 % CI",
            "Verdict",
        ),
        tuple(
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
    return Section(
        "progress",
        f"Progress since the start: the first two weeks{since} against the last two",
        (
            table,
            Paragraph(
                "A change is named only when its 95 % interval, built from this person's own "
                "day-to-day variation, leaves out zero. Bands for an improvement in pain: "
                "substantial = at least 50 % (IMMPACT, Dworkin 2008); meaningful = at least 2 "
                "points or 30 % (Farrar 2001, Ostelo 2008); small = at least 1 point or 15 % "
                "(Salaffi 2004); with a first-weeks mean below 3, points only. (n d) is the "
                "number of days with a check-in. IMMPACT: the Initiative on Methods, "
                "Measurement, and Pain Assessment in Clinical Trials."
            ),
            Paragraph(insights.START_CAVEAT),
        ),
    )


def _span_days(span: insights.Span) -> str:
    if span["start"] is None or span["end"] is None:
        return ""
    first, last = date.fromisoformat(span["start"]), date.fromisoformat(span["end"])
    return Week(first, first, last).days_words


def _week(rows: list[WeekRow]) -> Section:
    recent, previous = _span_days(rows[0]["recent"]), _span_days(rows[0]["previous"])
    return Section(
        "week",
        f"The last 7 days ({recent}) against the 7 before ({previous})",
        (
            Table(
                ("Measure", "7 days before", "Last 7 days", "Change", "95 % CI", "Verdict"),
                tuple(
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
            Paragraph(
                f"7 days need {insights.MIN_WEEK_CHECKINS} check-ins for a mean; no bands for "
                "one week (the published thresholds are about a course of treatment)."
            ),
        ),
    )


def _clicking(rows: list[ClickingRow]) -> Section:
    table: list[tuple[str, ...]] = []
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
    return Section(
        "clicking",
        "Clicking: days by answer",
        (
            Table(("Knee", "Span", *CLICKING_WORDS, "Painful days"), tuple(table)),
            Paragraph(
                "Answers are categories: counted, never averaged. Clicking without pain is "
                "common; painful clicking is worth telling a physiotherapist."
            ),
        ),
    )


def _click_moves(shown: Sequence[Entry], start: date, until: date) -> Section:
    """Which movements clicked (the check-in's "clicked with"), counted over the period."""
    counts = analysis.click_move_counts(shown, start=start, end=until)
    title = "Clicking: which movements clicked"
    if not counts.noted_days:
        days = counts.checkin_days
        return Section(
            "click_moves",
            title,
            (
                Paragraph(
                    "No check-in of this period named a movement that clicked "
                    f"({days} check-in{'s' if days != 1 else ''})."
                ),
            ),
        )
    days = counts.checkin_days
    rows = tuple(
        (CLICK_MOVE_LABELS[move].capitalize(), f"{counts.by_move[move]} of {days} days")
        for move in CLICK_MOVES
    )
    return Section(
        "click_moves",
        title,
        (
            Table(("Movement", "Days it clicked"), rows),
            Paragraph(
                f"Counted over the {days} days with a check-in; {counts.noted_days} of them "
                "named at least one movement. A day that names none may have had no clicking, "
                "or it was not noted: it is not counted as a day without clicking."
            ),
        ),
    )


def _alignment(
    shown: Sequence[Entry], start: date, until: date, week_start: int, calendar: Sequence[Week]
) -> Section:
    """Lunge alignment (knee over the second toe, watched in a mirror), week by week."""
    title = "Lunges: alignment of the knee over the second toe"
    period = analysis.alignment_counts(shown, start=start, end=until)[0]
    if not period.recorded:
        sessions = period.sessions
        return Section(
            "alignment",
            title,
            (
                Paragraph(
                    "No lunge session of this period recorded its alignment "
                    f"({sessions} lunge session{'s' if sessions != 1 else ''})."
                ),
            ),
        )
    weeks = analysis.alignment_counts(shown, start=start, end=until, week_start=week_start)
    assert len(weeks) == len(calendar)
    rows = tuple(
        (
            week.label,
            str(row.sessions),
            str(row.recorded),
            *(str(row.by_word[word]) for word in ALIGNMENTS),
        )
        for week, row in zip(calendar, weeks, strict=True)
    )
    header = (
        "Week",
        "Lunge sessions",
        "Said alignment",
        *(f"{w.capitalize()} reps" for w in ALIGNMENTS),
    )
    return Section(
        "alignment",
        title,
        (
            Paragraph(
                f"Alignment: all or most reps in {period.all_or_most} of the "
                f"{period.recorded} lunge sessions that recorded it "
                f"({period.sessions} lunge sessions in the period)."
            ),
            Table(header, rows),
            Paragraph(
                "Each session says in how many reps the knee stayed over the second toe, "
                "watched in a mirror: all, most, some or few. Counted, never averaged."
            ),
        ),
    )


def _monitoring(result: Monitoring, days: int) -> Section:
    blocks: list[Block] = [
        Paragraph(
            f"Days with exercise in the last {days} days: {result['days_with_exercise']}; "
            f"assessable: {result['assessable_days']}; not assessable: "
            f"{result['not_assessable_days']} (no check-in the next day, or fewer than 2 in "
            "the 3 days before)."
        )
    ]
    if result["flags"]:
        blocks.append(
            Table(
                ("Day", "Exercise", "Why"),
                tuple(
                    (
                        flag["date"],
                        ", ".join(KIND_LABELS[k] for k in flag["exercises"]),
                        "; ".join(insights.reason_words(r) for r in flag["reasons"]),
                    )
                    for flag in result["flags"]
                ),
            )
        )
    else:
        blocks.append(
            Paragraph(
                f"No day flagged: no pain during above {insights.PAIN_DURING_LIMIT}/10, and no "
                f"pain {insights.NOT_SETTLED_RISE} or more points above the days before on the "
                "days that could be assessed."
            )
        )
    for rising in result["pain_rising"]:
        blocks.append(
            Paragraph(
                f"{METRIC_INFO[rising['metric']].label} rose this week by "
                f"{one_decimal(rising['change'])} points (95 % CI "
                f"{_interval_cell(rising['ci'])})."
            )
        )
    if result["flags"] or result["pain_rising"]:
        blocks.append(
            Paragraph(
                "The model's advice: ease the load of the exercises named until pain settles, "
                "and discuss it with the physiotherapist."
            )
        )
    if result["not_assessable_dates"]:
        dates = ", ".join(short_date(d) for d in result["not_assessable_dates"])
        blocks.append(Paragraph(f"Not assessable: {dates}."))
    blocks.append(
        Paragraph(
            "Pain during exercise up to 5/10 is acceptable; pain should settle by the next day "
            "and not rise from week to week (Thomee 1997; Silbernagel 2007). The next day's "
            "check-in (a 24-hour rating in the evening) stands in for the model's next-morning "
            "rating."
        )
    )
    return Section(
        "monitoring",
        "Pain monitoring (the traffic light of the pain-monitoring model)",
        tuple(blocks),
    )


def _associations(rows: list[AssociationRow], days: int) -> Section:
    intro = Paragraph(
        f"Days of the last {days} days with a check-in on the day and the day before, split by "
        f'whether the day before had that exercise (other exercise or none counts as "other '
        f'days"). Means need at least {insights.MIN_GROUP_DAYS} days in each group; the '
        f"adjusted difference (for the pain of the day before and the trend, at least "
        f"{insights.MIN_FIT_DAYS} days) comes with a 99.2 % interval (95 % shared by six "
        "comparisons)."
    )
    table = Table(
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
        tuple(
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
    return Section(
        "associations",
        "Pain the next day after exercise (an association, not proof of cause)",
        (intro, table, Paragraph(insights.ASSOCIATION_CAVEAT)),
    )


def _volume_section(calendar: Sequence[Week], volume: Sequence[analysis.WeekVolume]) -> Section:
    kinds = [kind_of(name) for name in EXERCISE_KINDS]
    header = (
        "Week starting",
        *(f"{kind.short_label}: {kind.volume_unit}" for kind in kinds),
        "Cycling effort-minutes",
        "Sessions (" + " / ".join(kind.short_label.lower() for kind in kinds) + ")",
    )
    rows = tuple(
        (
            week.label,
            *(plain(round(w.volume(kind.name), 1)) for kind in kinds),
            decimal(w.cycling_load, 1),
            " / ".join(str(w.sessions.get(kind.name, 0)) for kind in kinds),
        )
        for week, w in zip(calendar, volume, strict=True)
    )
    explained: list[Block] = [
        Table(header, rows),
        Paragraph(
            "Lunge time under tension is sets x reps x (E+B+C+T) seconds, both legs "
            "together when both were worked (each knee carries half of it). Effort-minutes "
            "are effort (0-10) x minutes of cycling."
        ),
    ]
    untimed = sum(w.unknown.get("lunge", 0) for w in volume)
    if untimed:
        # Imported from a gym app without a tempo: their time is unknown, not 0 (domain.md).
        sessions = f"{untimed} lunge session{'s' if untimed != 1 else ''}"
        explained.append(
            Paragraph(
                f"{sessions} with no tempo recorded (imported from a gym app) "
                f"{'are' if untimed != 1 else 'is'} counted in the sessions but not in the "
                "time under tension: without a tempo that time is unknown."
            )
        )
    return Section("volume", "Weekly exercise volume", tuple(explained))


def _events(everything: Sequence[Entry], start: date, until: date) -> Section:
    """The period's events, each with knee and back pain 4 weeks before against 4 weeks after
    (domain.md, "Events"), and the caveat: after is not because of."""
    result = events.events_result(everything, start=start, end=until, until=until)
    if not result["events"]:
        return Section("events", "Events", (Paragraph("No events noted in this period."),))
    rows: list[tuple[str, ...]] = []
    for event in result["events"]:
        for row in event["before_after"]:
            status = row["status"]
            verdict = _verdict(row["change"], row["beyond_variation"])
            if status == "too_early":
                verdict = "too early: the 4 weeks after are not over"
            elif status == "too_few_checkins":
                verdict = f"too few check-ins ({events.MIN_CHECKINS} each are needed)"
            rows.append(
                (
                    event["date"],
                    events.headline(event),
                    METRIC_INFO[row["metric"]].label,
                    _span_cell(row["before"]),
                    _span_cell(row["after"]),
                    _cell(row["change"], signed_one_decimal),
                    _interval_cell(row["ci"]),
                    verdict,
                )
            )
    header = (
        "Date",
        "Event",
        "Pain",
        "4 weeks before",
        "4 weeks after",
        "Change",
        "95 % CI",
        "Reading",
    )
    explain = (
        "Each event: the mean pain of the check-ins in the 4 weeks before its day against the "
        "4 weeks after it (after a flare's end, when it has one), with the days counted. "
        + events.CAVEAT
    )
    return Section("events", "Events", (Table(header, tuple(rows)), Paragraph(explain)))


def _notes(shown: Sequence[Entry]) -> Notes:
    """Every note of the period, oldest first (the order of ``tracker list``)."""
    rows = []
    for entry in sorted(shown, key=sort_key):
        text = entry.get("notes")
        if not text or not text.strip():
            continue
        kind = entry["kind"]
        label = KIND_LABELS.get(kind, kind)
        figures = summary(entry) if kind in KIND_LABELS else ""
        what = f"{label}: {figures}" if figures else label
        rows.append(Note(date.fromisoformat(entry["date"]), what, text.strip("\n")))
    return Notes(tuple(rows))


# ---------------------------------------------------------------- charts


def _pain_chart(
    recent: list[Entry], start: date, until: date, calendar: Sequence[Week]
) -> PainChart:
    """From the pain chart's own prepared series (``charts.prepare``) and 7-day means."""
    data = charts.prepare("pain", recent, until=until, days=(until - start).days + 1)
    title = f"Knee and back pain, {_day(start)} to {_day(until)}"
    days = tuple(analysis.days_between(start, until))
    if data.message is not None:
        return PainChart(title, days, {}, {}, tuple(calendar), data.message, recent, until)
    lead = LEAD_DAYS
    daily: dict[str, tuple[float | None, ...]] = {}
    means: dict[str, tuple[float | None, ...]] = {}
    every_day = analysis.days_between(data.first, data.end)
    for metric in PAIN_METRICS:
        values = data.daily[metric]
        rolling = analysis.rolling_mean(list(zip(every_day, values, strict=True)))
        daily[metric] = tuple(values[lead:])
        means[metric] = tuple(v for _, v in rolling[lead:])
    events = tuple((mark.day, mark.label) for mark in data.marks if start <= mark.day <= until)
    return PainChart(title, days, daily, means, tuple(calendar), None, recent, until, events)


def _bar_number(value: float, biggest: float) -> str:
    """Whole numbers, one decimal when every bar is below 10 (as the terminal chart writes)."""
    if biggest >= 10:
        return f"{round(value):d}"
    text = one_decimal(value)
    return text[:-2] if text.endswith(".0") else text


def _volume_charts(
    calendar: Sequence[Week], volume: Sequence[analysis.WeekVolume]
) -> list[BarChart]:
    out = []
    for name in EXERCISE_KINDS:
        kind = kind_of(name)
        values = tuple(w.volume(name) for w in volume)
        biggest = max(values, default=0.0)
        out.append(
            BarChart(
                title=f"{kind.volume_title} per week",
                ylabel=kind.volume_unit,
                weeks=tuple(calendar),
                series=(
                    BarSeries(
                        kind.volume_unit, values, tuple(_bar_number(v, biggest) for v in values)
                    ),
                ),
            )
        )
    return out


def _adherence_chart(
    calendar: Sequence[Week], adherence: Sequence[analysis.WeekAdherence]
) -> BarChart:
    checkins = tuple(float(w.checkin_days) for w in adherence)
    exercise = tuple(float(w.exercise_days) for w in adherence)
    return BarChart.of_counts(
        "Days logged per week",
        "days",
        calendar,
        [("days with a check-in", checkins), ("days with exercise", exercise)],
        top=7.0,
    )
