"""The questionnaires: KOOS-12 (knee), Roland-Morris and Oswestry (back), PGIC (overall change).

Their scores over time, the change since the first time, whether that change reaches the
published important-change figure (domain.md, "Questionnaires"), and when one is due again.
Pure: no I/O, no Textual. The kinds themselves are ``tracker/kinds/{koos,rmdq,odi,pgic}.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Literal, NamedTuple, TypedDict

from tracker.kinds.pgic import pgic_word
from tracker.numbers import plain
from tracker.records import KIND_LABELS, Entry, sort_key

# In the order of the kind registry (tracker/kinds/builtin.py).
QUESTIONNAIRE_KINDS: tuple[str, ...] = ("koos", "rmdq", "odi", "pgic")
# A questionnaire is due this many days after it was last filled in (every 3 weeks) ...
DUE_AFTER_DAYS = 21
# ... or, never filled in, from this day of the diary on (its first entry's date is day 1).
FIRST_DUE_ON_DAY = 14
TOLERANCE = 1e-9  # as domain.md's other thresholds

Family = Literal["knee", "back"]


class Scale(NamedTuple):
    """One score of a questionnaire and its important-change figure (domain.md)."""

    kind: str
    field: str
    label: str  # "KOOS-12 pain"
    family: Family
    top: float  # the scale's top (its bottom is 0)
    higher_is_better: bool
    points: float  # an improvement of at least this many points is important ...
    percent: float | None  # ... or of at least this percent of the first score
    source: str

    @property
    def threshold_words(self) -> str:
        """ "5 points or 30 %"; "10 points"."""
        words = f"{plain(self.points)} points"
        return f"{words} or {plain(self.percent)} %" if self.percent is not None else words


_KOOS_SOURCE = "Roos & Lohmander 2003"
_BACK_SOURCE = "Ostelo et al. 2008"
SCALES: tuple[Scale, ...] = (
    Scale("koos", "pain", "KOOS-12 pain", "knee", 100, True, 10, None, _KOOS_SOURCE),
    Scale("koos", "function", "KOOS-12 function", "knee", 100, True, 10, None, _KOOS_SOURCE),
    Scale("koos", "qol", "KOOS-12 quality of life", "knee", 100, True, 10, None, _KOOS_SOURCE),
    Scale("rmdq", "score", "Roland-Morris", "back", 24, False, 5, 30, _BACK_SOURCE),
    Scale("odi", "score", "Oswestry", "back", 100, False, 10, 30, _BACK_SOURCE),
)
# PGIC answers 1 and 2 (much improved or better) are the usual mark of an important
# improvement (Farrar et al., Pain 2001;94:149).
PGIC_IMPORTANT = 2


class Dated(TypedDict):
    date: str
    score: float


class ScoreRow(TypedDict):
    """One score's first and latest values and the change between them (``questionnaires``)."""

    kind: str
    field: str
    label: str
    count: int  # times filled in up to the day asked about
    first: Dated
    latest: Dated
    change: float  # latest - first, in the scale's points
    change_pct: float | None  # 100 x change / first, for a scale with a percent figure
    direction: Literal["better", "worse"] | None  # None: no change
    threshold: str  # "5 points or 30 %"
    important: bool  # an improvement that reaches the threshold


class PgicRow(TypedDict):
    date: str
    answer: int  # 1 very much improved .. 7 very much worse
    words: str
    count: int
    important: bool  # much improved or very much improved


def questionnaire_entries(entries: Iterable[Entry], until: date | None = None) -> list[Entry]:
    """The questionnaire entries up to ``until`` (all without it), oldest first."""
    last = None if until is None else until.isoformat()
    chosen = [
        e
        for e in entries
        if e["kind"] in QUESTIONNAIRE_KINDS and (last is None or e["date"] <= last)
    ]
    return sorted(chosen, key=sort_key)


def score_rows(entries: Iterable[Entry], until: date | None = None) -> list[ScoreRow]:
    """One row per score that was filled in at least once, in ``SCALES`` order."""
    chosen = questionnaire_entries(entries, until)
    rows: list[ScoreRow] = []
    for scale in SCALES:
        mine = [e for e in chosen if e["kind"] == scale.kind]
        if not mine:
            continue
        first, latest = mine[0], mine[-1]
        rows.append(score_row(scale, first, latest, len(mine)))
    return rows


def score_row(
    scale: Scale, first: Mapping[str, Any], latest: Mapping[str, Any], count: int
) -> ScoreRow:
    """The change from ``first`` to ``latest`` of ``scale``, judged by its threshold."""
    before, after = float(first[scale.field]), float(latest[scale.field])
    change = after - before
    gain = change if scale.higher_is_better else -change
    change_pct = None
    if scale.percent is not None and before > 0:
        change_pct = 100 * change / before
    direction: Literal["better", "worse"] | None = None
    if gain > TOLERANCE:
        direction = "better"
    elif gain < -TOLERANCE:
        direction = "worse"
    important = direction == "better" and (
        gain >= scale.points - TOLERANCE
        or (
            scale.percent is not None
            and before > 0
            and 100 * gain / before >= scale.percent - TOLERANCE
        )
    )
    return ScoreRow(
        kind=scale.kind,
        field=scale.field,
        label=scale.label,
        count=count,
        first=Dated(date=first["date"], score=before),
        latest=Dated(date=latest["date"], score=after),
        change=change,
        change_pct=change_pct,
        direction=direction,
        threshold=scale.threshold_words,
        important=important,
    )


def latest_pgic(entries: Iterable[Entry], until: date | None = None) -> PgicRow | None:
    """The latest overall-change answer, or None."""
    mine = [e for e in questionnaire_entries(entries, until) if e["kind"] == "pgic"]
    if not mine:
        return None
    last = mine[-1]
    return PgicRow(
        date=last["date"],
        answer=last["change"],
        words=pgic_word(last["change"]),
        count=len(mine),
        important=last["change"] <= PGIC_IMPORTANT,
    )


def due(entries: Iterable[Entry], today: date) -> list[str]:
    """The questionnaires due on ``today``, in ``QUESTIONNAIRE_KINDS`` order.

    One is due when it was last filled in at least ``DUE_AFTER_DAYS`` days before ``today``,
    or, never filled in, once the diary reaches its ``FIRST_DUE_ON_DAY``th day. Entries dated
    after ``today`` are not counted.
    """
    last_day = today.isoformat()
    first: str | None = None
    last: dict[str, str] = {}
    for entry in entries:
        day = entry["date"]
        if day > last_day:
            continue
        if first is None or day < first:
            first = day
        kind = entry["kind"]
        if kind in QUESTIONNAIRE_KINDS and day > last.get(kind, ""):
            last[kind] = day
    if first is None:
        return []
    diary_day = (today - date.fromisoformat(first)).days + 1
    out = []
    for kind in QUESTIONNAIRE_KINDS:
        if kind in last:
            if (today - date.fromisoformat(last[kind])).days >= DUE_AFTER_DAYS:
                out.append(kind)
        elif diary_day >= FIRST_DUE_ON_DAY:
            out.append(kind)
    return out


# ---------------------------------------------------------------- words


def score_text(scale_or_row: ScoreRow | Scale, value: float) -> str:
    """ "70/100", "9/24", "32 %"."""
    kind = scale_or_row.kind if isinstance(scale_or_row, Scale) else scale_or_row["kind"]
    if kind == "odi":
        return f"{plain(round(value, 1))} %"
    top = 24 if kind == "rmdq" else 100
    return f"{plain(round(value, 1))}/{top}"


def change_words(row: ScoreRow) -> str:
    """ "better by 6 points (40 %): reaches the important-change figure (5 points or 30 %)"."""
    points = abs(row["change"])
    if row["direction"] is None:
        return "no change"
    unit = "point" if abs(points - 1) < TOLERANCE else "points"
    size = f"{plain(round(points, 1))} {unit}"
    if row["change_pct"] is not None:
        size += f" ({plain(round(abs(row['change_pct'])))} %)"
    if row["direction"] == "worse":
        return f"worse by {size}"
    if row["important"]:
        return f"better by {size}: reaches the important-change figure ({row['threshold']})"
    return f"better by {size}: below the important-change figure ({row['threshold']})"


def summary_lines(entries: Iterable[Entry], today: date) -> list[str]:
    """What ``tracker questionnaires`` prints: per score, the latest, the change since the
    first time and whether it reaches the important-change figure; the latest overall change;
    which are due."""
    everything = list(entries)
    rows = score_rows(everything, today)
    pgic = latest_pgic(everything, today)
    lines: list[str] = []
    if not rows and pgic is None:
        lines.append(
            "No questionnaires yet. Log one from the paper form, e.g. "
            "`tracker log koos --pain 70 --function 65 --qol 50` (scores 0-100)."
        )
    for row in rows:
        shown = score_text(row, row["latest"]["score"])
        latest = f"{row['label']}: {shown} on {row['latest']['date']}"
        if row["count"] == 1:
            lines.append(f"{latest} (the first time: nothing to compare yet).")
            continue
        first = f"first {score_text(row, row['first']['score'])} on {row['first']['date']}"
        lines.append(f"{latest}; {first}: {change_words(row)}.")
    if pgic is not None:
        lines.append(
            f"Overall change since the start (PGIC): {pgic['words'].lower()} "
            f"({pgic['answer']}/7) on {pgic['date']}."
        )
    if rows:
        lines.append(
            "Higher is better for KOOS-12; lower is better for Roland-Morris and Oswestry. "
            "A change in the scores is not proof of what caused it."
        )
    waiting = due(everything, today)
    if waiting:
        names = "; ".join(KIND_LABELS[kind] for kind in waiting)
        lines.append(f"Due now: {names}.")
    return lines


def questionnaires_json(entries: Iterable[Entry], today: date) -> dict[str, Any]:
    """What ``tracker questionnaires --json`` prints (cli.md)."""
    everything = list(entries)
    return {
        "until": today.isoformat(),
        "scores": score_rows(everything, today),
        "pgic": latest_pgic(everything, today),
        "due": due(everything, today),
    }
