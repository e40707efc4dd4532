"""Realistic, seeded demo data: a person three months (or years) into knee and back rehab.

What every new user sees first, so it behaves like a person and not like a brochure:

- Adherence: exercise on about three days in four over the first three months, slowly fewer
  later, with lapses of several days (a holiday, a busy week) when the check-ins thin out too.
- Pain: knee around 5-6 and back around 4 at the start, about a quarter lower after twelve
  weeks; the improvement comes in steps with plateaus, fluctuates by about a point from day to
  day (neighbouring days alike), and levels off at a lower level in longer runs, never near 0.
  A flare of several days every six weeks or so (rarer after a year or two): the person skips
  or eases exercise, and pain during the sets is higher (sometimes above 5, which the
  pain-monitoring model flags).
- One built-in effect of exercise: knee pain is ``LUNGE_NEXT_DAY_EFFECT`` lower on the day
  after lunges. Nothing on the same day; cycling and rotation change no pain. Everything else an
  analysis finds is what real diaries have too: people skip exercise on bad days.
- Clicking per knee (KOOS S2, 0-4) mostly persists, different in the two knees.
- Loads progress with the sessions done: slower lunge tempos (Wilk et al. 2018), more sets and
  reps, longer rides, heavier bands for the hip external rotators.

Pure: no I/O; the same days, seed and today give the same entries. ``plan_days`` draws the
person's days (symptom drivers and what they did), ``daily_pain`` turns a plan into pain
ratings, and ``demo_entries`` writes both as entries; the tests flip an exercise in a plan to
check which ratings it moves.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from tracker.records import ALIGNMENTS, Entry, field_order, sort_key

# Knee pain is this much lower (on average) on the day after a day with lunges.
LUNGE_NEXT_DAY_EFFECT = -0.5

TEMPO_STEPS = ("3-1-3-0", "4-1-4-0", "5-0-3-0", "6-0-4-0")
BAND_STEPS = ("yellow", "red", "green", "blue")
# Hip external rotators only: the shoulder exercise of version 1 is not part of the programme.
HIP_EXERCISES = ("side_lying_hip_er", "seated_hip_er", "banded_side_step")
NOTES = (
    "Stairs at work were easier today.",
    "Long drive, back ached in the evening.",
    "Slept badly.",
    "Walked the dog for an hour.",
)
CLICK_NOTE = "Felt a click going down the stairs, no pain."
RIDE_NOTE = "Knee stiff in the morning, loosened after the ride."
TEMPO_NOTE = "Physio said to keep the tempo slow."
FLARE_NOTE = "Knee flared up today, taking it easy."
LAPSE_NOTES = {
    "holiday": "On holiday this week, only the hotel bike.",
    "busy": "Busy week, hardly any time for the exercises.",
}

# The underlying improvement: level = start x (1 - size x (1 - exp(-clock / IMPROVE_DAYS))).
# The clock runs at a random speed per stretch of days and stops on plateaus.
IMPROVE_DAYS = 65.0
PLATEAU_SHARE = 0.3
# Day-to-day noise: AR(1) with this correlation between neighbouring days and total sd NOISE_SD.
NOISE_CORRELATION = 0.4
NOISE_SD = 0.75
# Adherence on ordinary days declines from ADHERENCE_START towards ADHERENCE_FLOOR.
ADHERENCE_START = 0.97
ADHERENCE_FLOOR = 0.7
ADHERENCE_DAYS = 160.0


class Day(NamedTuple):
    """One day of the person's life as the generator draws it, before any entry is written."""

    day: date
    knee_level: float  # the underlying knee pain (improving, with plateaus)
    back_level: float
    knee_flare: float  # pain added by a flare, 0 outside one
    back_flare: float
    knee_noise: float  # autocorrelated day-to-day variation
    back_noise: float
    flare: bool  # a knee flare day: exercise skipped or eased
    lapse: str | None  # "holiday" or "busy" on the days of a lapse, else None
    lunge: bool
    cycling: bool
    rotation: bool
    checkin: bool


class _Flare(NamedTuple):
    start: int
    profile: tuple[float, ...]  # pain added on each day from ``start``


def _flares(
    rng: random.Random,
    days: int,
    first: tuple[int, int],
    gap: float,
    size: tuple[float, float],
    length: tuple[int, int],
) -> list[_Flare]:
    """Flares at random gaps: a quick rise, a few days at the peak, two days of easing.

    After each flare come ten calm days and a random wait of ``gap`` days on average at first,
    three times as long a year or two on. Each flare ends at least 21 days before the last day.
    """
    flares: list[_Flare] = []
    at = rng.randint(*first)
    while True:
        peak = rng.uniform(*size)
        top = rng.randint(*length)
        profile = (0.8 * peak, *(peak for _ in range(top)), 0.55 * peak, 0.25 * peak)
        if at + len(profile) > days - 21:
            return flares
        flares.append(_Flare(at, profile))
        wait = gap * (3 - 2 * math.exp(-at / 150))
        at += len(profile) + 10 + int(rng.expovariate(1 / wait))


def _flare_series(flares: list[_Flare], days: int) -> list[float]:
    series = [0.0] * days
    for flare in flares:
        for offset, extra in enumerate(flare.profile):
            series[flare.start + offset] += extra
    return series


def plan_days(days: int, seed: int, today: date) -> list[Day]:
    """The ``days`` days ending on ``today``: symptom drivers and what the person did."""
    # Two streams: what the body does and what the person does, so that a change to one part
    # of the model leaves the other's draws as they were.
    body = random.Random(f"tracker demo body {seed}")
    habits = random.Random(f"tracker demo habits {seed}")
    start = today - timedelta(days=days - 1)
    # Levels before the next-day lunge effect, which takes about 0.35 off a typical week.
    knee_start = body.uniform(5.8, 6.5)
    back_start = body.uniform(3.6, 4.4)
    knee_size = body.uniform(0.32, 0.4)
    back_size = body.uniform(0.25, 0.35)

    # Knee flares every six weeks or so, the back's own (a long drive) less often; the back
    # also flares with the knee (a limp). None in the first two weeks (the baseline) nor in the
    # last three: the person the demo shows is between flares today.
    knee_flare = _flare_series(_flares(body, days, (15, 40), 30, (3.0, 4.0), (3, 5)), days)
    back_own = _flare_series(_flares(body, days, (20, 80), 55, (1.5, 2.5), (2, 3)), days)
    back_flare = [0.35 * k + b for k, b in zip(knee_flare, back_own, strict=True)]

    ar = NOISE_CORRELATION
    step_sd = NOISE_SD * math.sqrt(1 - ar * ar)
    gauss = body.gauss
    knee_noise = gauss(0, NOISE_SD)
    back_noise = gauss(0, NOISE_SD)
    # A slow wander over weeks (good months and bad months), around the improving level.
    wander_ar = math.exp(-1 / 120)
    wander_sd = 0.2 * math.sqrt(1 - wander_ar * wander_ar)
    wander = gauss(0, 0.2)

    clock = 0.0
    speed = 0.0
    stretch_left = 0
    lapse: str | None = None
    lapse_left = 0
    flare_days = 0  # how long the present flare has lasted
    next_lapse = habits.randint(8, 40)
    plan: list[Day] = []
    chance = habits.random
    for offset in range(days):
        if stretch_left == 0:
            # A plateau of one to three weeks, or a stretch of steady progress that makes up
            # for the last plateau: the clock stays near the calendar, the path has steps.
            stretch_left = body.randint(7, 21)
            behind = offset - clock
            plateau = body.random() < PLATEAU_SHARE
            speed = 0.0 if plateau else body.uniform(0.8, 1.2) + behind / stretch_left
        stretch_left -= 1
        clock += speed
        recovery = 1 - math.exp(-clock / IMPROVE_DAYS)
        wander = wander_ar * wander + gauss(0, wander_sd)
        knee_noise = ar * knee_noise + gauss(0, step_sd)
        back_noise = ar * back_noise + gauss(0, step_sd)
        knee_level = knee_start * (1 - knee_size * recovery) + wander
        back_level = back_start * (1 - back_size * recovery) + 0.5 * wander

        flare = knee_flare[offset] >= 1.0
        flare_days = flare_days + 1 if flare else 0
        back_bad = back_flare[offset] >= 1.0
        if offset == next_lapse and flare:
            next_lapse += 1  # nobody sets off on holiday in the middle of a flare
        elif offset == next_lapse:
            # A holiday (the hotel's bike at most) or a busy week; then three to six weeks on.
            lapse = "holiday" if chance() < 0.4 else "busy"
            lapse_left = habits.randint(6, 10) if lapse == "holiday" else habits.randint(3, 6)
            next_lapse = offset + lapse_left + habits.randint(18, 42)
        if lapse_left == 0:
            lapse = None
        if lapse is not None:
            lapse_left -= 1
            exercise = chance() < (0.08 if lapse == "holiday" else 0.2)
            # A flare is worth noting even on holiday.
            checkin = chance() < (0.95 if flare else 0.35 if lapse == "holiday" else 0.6)
        else:
            keen = ADHERENCE_FLOOR + (ADHERENCE_START - ADHERENCE_FLOOR) * math.exp(
                -offset / ADHERENCE_DAYS
            )
            # A flare: the first days mostly skipped, then easier sessions (demo_entries).
            if flare:
                keen *= 0.5 if flare_days <= 2 else 0.85
            elif back_bad:
                keen *= 0.8
            exercise = chance() < keen
            checkin = chance() < (0.97 if flare else 0.93)
        lunge = cycling = rotation = False
        if exercise:
            home = lapse != "holiday"
            lunge = chance() < (0.6 if flare else 0.8) and home
            cycling = chance() < 0.65
            rotation = chance() < 0.75 and home
            if not (lunge or cycling or rotation):
                cycling = True
        plan.append(
            Day(
                start + timedelta(days=offset),
                knee_level,
                back_level,
                knee_flare[offset],
                back_flare[offset],
                knee_noise,
                back_noise,
                flare,
                lapse,
                lunge,
                cycling,
                rotation,
                checkin or offset == days - 1,  # today's check-in is there: the user is looking
            )
        )
    return plan


def daily_pain(plan: list[Day]) -> list[tuple[float, float]]:
    """Knee and back pain of each day of ``plan``, before rounding to the 0-10 scale.

    The one effect of exercise: lunges on the day before lower knee pain. Nothing done on the
    day itself changes that day's pain.
    """
    pain: list[tuple[float, float]] = []
    lunged_yesterday = False
    for day in plan:
        knee = day.knee_level + day.knee_flare + day.knee_noise
        if lunged_yesterday:
            knee += LUNGE_NEXT_DAY_EFFECT
        back = day.back_level + day.back_flare + day.back_noise
        pain.append((_worst_rare(knee), _worst_rare(back)))
        lunged_yesterday = day.lunge
    return pain


def _worst_rare(pain: float) -> float:
    """Above 8 a rating climbs at half speed: "worst pain imaginable" is kept for the worst."""
    return pain if pain <= 8 else 8 + (pain - 8) / 2


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _stored_number(value: float) -> int | float:
    """As records stores numbers: 4.0 is kept as 4, so an export/import round trip is exact."""
    return int(value) if value.is_integer() else value


class _Writer:
    """Turns fields into stored entries: ids from the seed, times in the evening (UTC)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.entries: list[Entry] = []
        self.orders = {
            kind: field_order(kind)
            for kind in (
                "lunge",
                "cycling",
                "rotation",
                "checkin",
                "plan",
                "koos",
                "rmdq",
                "odi",
                "pgic",
            )
        }

    def add(self, kind: str, moment: datetime, notes: str | None, **fields: object) -> None:
        bits = self.rng.getrandbits(128)
        # A version 4 UUID, as records.new_id makes them.
        bits = (bits & ~(0xF000 << 64) | 0x4000 << 64) & ~(0xC000 << 48) | 0x8000 << 48
        stamp = moment.isoformat()
        values: dict[str, object] = {
            "id": f"{bits:032x}",
            "kind": kind,
            "date": moment.date().isoformat(),
            "notes": notes,
            "created_at": stamp,
            "updated_at": stamp,
            **fields,
        }
        self.entries.append({name: values.get(name) for name in self.orders[kind]})


def demo_entries(days: int, seed: int, today: date) -> list[Entry]:
    """``days`` days of entries ending on ``today``."""
    plan = plan_days(days, seed, today)
    pain = daily_pain(plan)
    rng = random.Random(f"tracker demo entries {seed}")
    gauss, random_ = rng.gauss, rng.random
    write = _Writer(rng)
    add = write.add
    # Clicking per knee: a level that persists, drifting slowly; the knees differ.
    left = rng.uniform(1.2, 2.4)
    right = min(3.2, max(0.5, left + rng.choice((-1, 1)) * rng.uniform(0.8, 1.2)))
    drift_ar = math.exp(-1 / 200)
    drift_sd = 0.3 * math.sqrt(1 - drift_ar * drift_ar)
    left_drift = right_drift = 0.0
    lunges = rides = rotations = 0
    tempo_step = 0
    lapse_before: str | None = None
    for index, today_plan in enumerate(plan):
        day = today_plan.day
        knee, back = pain[index]
        flare = today_plan.flare
        evening = datetime.combine(day, time(18, 0), tzinfo=UTC) + timedelta(
            minutes=rng.randrange(60)
        )
        ease = 1 if flare else 0
        if today_plan.lunge:
            lunges += 1
            # A slower tempo every 15 sessions, not on a flare day; the physio's advice noted.
            note = None
            if not flare and tempo_step < min(lunges // 15, len(TEMPO_STEPS) - 1):
                tempo_step += 1
                note = TEMPO_NOTE
            step = tempo_step
            grown = min(lunges / 60, 1.0)
            add(
                "lunge",
                evening,
                note,
                sets=2 + (lunges > 30) - ease,
                reps=_clamp(8 + 4 * grown + gauss(0, 0.7) - 2 * ease, 5, 14),
                side="both",
                tempo=TEMPO_STEPS[step],
                effort=_clamp(4.5 + 0.4 * step + ease + gauss(0, 1), 2, 9),
                pain_during=_clamp(0.5 * knee + 0.5 * today_plan.knee_flare + gauss(0, 0.8), 0, 9),
            )
        if today_plan.cycling:
            rides += 1
            grown = min(rides / 70, 1.0)
            minutes = _clamp((15 + 20 * grown + gauss(0, 4)) * (0.6 if flare else 1.0), 8, 60)
            add(
                "cycling",
                evening + timedelta(minutes=30),
                RIDE_NOTE if random_() < 0.02 else None,
                minutes=minutes,
                distance_km=_stored_number(round(minutes * (0.28 + 0.06 * grown), 1)),
                cadence_rpm=_clamp(72 + 8 * grown + gauss(0, 4), 55, 100),
                resistance=_clamp(3 + 5 * grown + gauss(0, 0.6) - 2 * ease, 1, 12),
                avg_hr=_clamp(112 + 10 * grown + gauss(0, 6), 90, 160),
                effort=_clamp(4 + ease + gauss(0, 1), 2, 8),
                pain_during=_clamp(0.3 * knee + 0.3 * today_plan.knee_flare + gauss(0, 0.8), 0, 8),
            )
        if today_plan.rotation:
            rotations += 1
            grown = min(rotations / 80, 1.0)
            band_step = min(rotations // 45, len(BAND_STEPS) - 1)
            # Clamshells and two more of the hip exercises; one or none on a flare day.
            odds = 0.5 if flare else 0.85
            others = (0 if flare else 1) + (random_() < odds)
            exercises = ["clamshell", *rng.sample(HIP_EXERCISES, others)]
            for number, exercise in enumerate(exercises):
                band = "none" if exercise == "side_lying_hip_er" else BAND_STEPS[band_step]
                add(
                    "rotation",
                    evening + timedelta(minutes=45 + 6 * number),
                    None,
                    exercise=exercise,
                    sets=2 + (rotations > 40) - ease,
                    reps=_clamp(10 + 5 * grown + gauss(0, 0.5), 8, 15),
                    side="both",
                    hold_s=_clamp(2 + 3 * grown, 1, 5),
                    band=band,
                    effort=_clamp(4 + gauss(0, 1), 1, 8),
                    pain_during=_clamp(0.1 * knee + 0.2 * back + gauss(0, 0.6), 0, 6),
                )
        left_drift = drift_ar * left_drift + gauss(0, drift_sd)
        right_drift = drift_ar * right_drift + gauss(0, drift_sd)
        if today_plan.checkin:
            extra = 0.4 if flare else 0.0
            usual_left = min(3.4, max(0.3, left + left_drift))
            usual_right = min(3.4, max(0.3, right + right_drift))
            clicking_left = _clamp(usual_left + extra + gauss(0, 0.45), 0, 4)
            clicking_right = _clamp(usual_right + extra + gauss(0, 0.45), 0, 4)
            counted = random_() < 0.25
            note = None
            if flare and index > 0 and not plan[index - 1].flare:
                note = FLARE_NOTE
            elif today_plan.lapse is not None and lapse_before is None:
                note = LAPSE_NOTES[today_plan.lapse]
            elif today_plan.back_flare >= 1.5 and today_plan.knee_flare == 0:
                note = NOTES[1] if random_() < 0.3 else None
            elif random_() < 0.03:
                note = CLICK_NOTE if clicking_left + clicking_right >= 3 else rng.choice(NOTES)
            add(
                "checkin",
                evening + timedelta(minutes=180),
                note,
                knee_pain=_clamp(knee, 0, 10),
                back_pain=_clamp(back, 0, 10),
                clicking_left=clicking_left,
                clicking_right=clicking_right,
                click_count=(
                    _clamp(2.5 * (clicking_left + clicking_right) + gauss(0, 3), 0, 60)
                    if counted
                    else None
                ),
                clicking_painful=(
                    random_() < 0.08 + 0.12 * max(0.0, knee - 3)
                    if counted or random_() < 0.05
                    else None
                ),
            )
        lapse_before = today_plan.lapse
    _add_plans(write, plan[0].day, days)
    _mirror_and_clicks(write.entries, seed)
    # Merged in the diary's order (date, then time logged), as the store lists them.
    return sorted(
        [*write.entries, *_questionnaires(plan, pain, seed), *demo_events(plan, seed, today)],
        key=sort_key,
    )


# The first questionnaires on the diary's 14th day, then every 3 weeks (domain.md).
QUESTIONNAIRE_FIRST = 13
QUESTIONNAIRE_EVERY = 21


def _questionnaires(plan: list[Day], pain: list[tuple[float, float]], seed: int) -> list[Entry]:
    """KOOS-12, Roland-Morris, Oswestry and PGIC every 3 weeks, following the pain of the two
    weeks before (so they improve slowly as the pain does). A generator of their own, so that
    the other entries are the same with or without them."""
    rng = random.Random(f"tracker demo questionnaires {seed}")
    gauss = rng.gauss
    write = _Writer(rng)
    first_knee: float | None = None
    for index in range(QUESTIONNAIRE_FIRST, len(plan), QUESTIONNAIRE_EVERY):
        recent = pain[max(0, index - 13) : index + 1]
        knee = sum(k for k, _ in recent) / len(recent)
        back = sum(b for _, b in recent) / len(recent)
        moment = datetime.combine(plan[index].day, time(20, 30), tzinfo=UTC)
        write.add(
            "koos",
            moment,
            None,
            pain=_clamp(100 - 9 * knee + gauss(0, 3), 0, 100),
            # Daily function usually scores above pain in knee osteoarthritis: apart, the
            # two lines of the chart can be told apart.
            function=_clamp(108 - 8 * knee + gauss(0, 3), 0, 100),
            qol=_clamp(88 - 10 * knee + gauss(0, 4), 0, 100),
        )
        write.add(
            "rmdq",
            moment + timedelta(minutes=5),
            None,
            score=_clamp(2.2 * back + gauss(0, 1), 0, 24),
        )
        write.add(
            "odi",
            moment + timedelta(minutes=10),
            None,
            score=_clamp(6 * back + gauss(0, 2), 0, 100),
        )
        if first_knee is None:
            first_knee = knee
        else:  # overall change since the start, from the knee's change, said modestly
            better = first_knee - knee
            answer = 4 - (better >= 0.7) - (better >= 1.6) - (better >= 2.8) + (better <= -0.7)
            write.add("pgic", moment + timedelta(minutes=15), None, change=answer)
    return write.entries


PHYSIO_EVERY = 21  # days between physio visits
PHYSIO_NOTES = (
    "Programme set up: lunges, bike, clamshells",
    "Checked the lunges in the mirror",
    "Keep the tempo slow, add a set",
    "Hips stronger, next band up",
    "Knee stays over the toes now, keep going",
)
FLARE_TEXT = "Knee swollen after a long walk"
INJECTION_TEXT = "Left knee, at the clinic"


def demo_events(plan: list[Day], seed: int, today: date) -> list[Entry]:
    """Events (issue 11): each knee flare from its first day, with its end once it is over;
    a physio visit every three weeks; one injection a little after the middle, on a calm day.

    A random generator of its own, so the other entries stay as they were for each seed."""
    rng = random.Random(f"tracker demo events {seed}")
    write = _Writer(rng)
    write.orders["event"] = field_order("event")

    def at(day: date) -> datetime:
        # The evening, as every demo entry: noted after the day's check-in.
        return datetime.combine(day, time(22, 0), tzinfo=UTC) + timedelta(minutes=rng.randrange(60))

    for index, day_plan in enumerate(plan):
        if day_plan.flare and (index == 0 or not plan[index - 1].flare):
            end = index
            while end + 1 < len(plan) and plan[end + 1].flare:
                end += 1
            over = end + 1 < len(plan) and plan[end].day < today
            write.add(
                "event",
                at(day_plan.day),
                None,
                type="flare",
                text=FLARE_TEXT,
                end_date=plan[end].day.isoformat() if over else None,
            )
        if index % PHYSIO_EVERY == 0:
            visit = index // PHYSIO_EVERY
            write.add(
                "event",
                at(day_plan.day),
                None,
                type="physio",
                text=PHYSIO_NOTES[visit % len(PHYSIO_NOTES)],
                end_date=None,
            )
    calm = [d for d in plan[len(plan) * 3 // 5 :] if not d.flare]
    if calm:
        write.add(
            "event", at(calm[0].day), None, type="injection", text=INJECTION_TEXT, end_date=None
        )
    return write.entries


def _mirror_and_clicks(entries: list[Entry], seed: int) -> None:
    """Issue 11's optional fields, drawn from a stream of their own (every other draw stays
    as it was): a lunge's alignment in the mirror, better with practice and worse with pain
    during; a check-in's movements that clicked, stairs most often, on most clicking days."""
    rng = random.Random(f"tracker demo mirror and clicks {seed}")
    lunges = 0
    lunge_days = {e["date"] for e in entries if e["kind"] == "lunge"}
    for entry in entries:
        if entry["kind"] == "lunge":
            lunges += 1
            if rng.random() < 0.15:
                continue  # not watched in the mirror that day
            practice = min(lunges / 50, 1.0)
            score = 0.8 + 1.8 * practice - 0.2 * (entry["pain_during"] or 0) + rng.gauss(0, 0.6)
            entry["alignment"] = ALIGNMENTS[3 - _clamp(score, 0, 3)]
        elif entry["kind"] == "checkin":
            clicking = entry["clicking_left"] + entry["clicking_right"]
            if clicking < 2 or rng.random() < 0.3:
                continue
            moves = {"stairs"} if rng.random() < 0.75 else set()
            if rng.random() < 0.3:
                moves.add("straightening")
            if rng.random() < 0.2:
                moves.add("squat")
            if entry["date"] in lunge_days and rng.random() < 0.35:
                moves.add("lunge")
            if rng.random() < 0.1:
                moves.add("other")
            entry["click_moves"] = sorted(moves) or None


# The physiotherapist's plan: (day as a share of the demo, exercise, fields). From the first
# day, then two progressions: reps 8 -> 10 -> 12, tempo 4-1-4 -> 5-0-3, the band up once.
PLAN_STEPS: tuple[tuple[float, str, dict[str, object]], ...] = (
    (0.0, "lunge", {"sets": 2, "reps": 8, "tempo": "4-1-4-0", "days_per_week": 5}),
    (0.0, "cycling", {"minutes": 20, "resistance": 3, "days_per_week": 4}),
    (0.0, "rotation", {"sets": 2, "reps": 10, "hold_s": 2, "band": "yellow", "days_per_week": 4}),
    (1 / 3, "lunge", {"sets": 3, "reps": 10, "tempo": "5-0-3-0", "days_per_week": 5}),
    (1 / 3, "rotation", {"sets": 3, "reps": 12, "hold_s": 3, "band": "red", "days_per_week": 4}),
    (2 / 3, "lunge", {"sets": 3, "reps": 12, "tempo": "5-0-3-0", "days_per_week": 5}),
    (2 / 3, "cycling", {"minutes": 30, "resistance": 5, "days_per_week": 4}),
)
PLAN_NOTE = "From the physio visit."


def _add_plans(write: _Writer, first: date, days: int) -> None:
    """The plan and its two progressions, written last so that every other entry's draws stay
    as they were (listed first, as they were written before the day's sessions); a demo
    shorter than three weeks has the first plan only."""
    before = len(write.entries)
    for share, exercise, fields in PLAN_STEPS:
        if share and days < 21:
            continue
        day = first + timedelta(days=int(days * share))
        evening = datetime.combine(day, time(18, 0), tzinfo=UTC)  # after the visit
        prescribed = {name: None for name in ("sets", "reps", "tempo", "hold_s", "band")}
        prescribed |= {"minutes": None, "resistance": None}
        note = PLAN_NOTE if exercise == "lunge" else None
        write.add("plan", evening, note, exercise=exercise, **{**prescribed, **fields})
    write.entries[:] = write.entries[before:] + write.entries[:before]
