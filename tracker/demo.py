"""Realistic, seeded demo data: a person three months (or years) into knee and back rehab.

About five entries a day: a check-in most evenings, tempo lunges, cycling and two or three
external-rotation exercises on most days, some days missed. Loads progress gently (slower
tempos from Wilk et al. 2018, more sets, longer rides, heavier bands); pain drifts down with
day-to-day noise and the odd flare; exercise days are followed by slightly calmer knees, so the
associations have something to find. Pure: no I/O, same seed and days give the same entries.
"""

from __future__ import annotations

import math
import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

from tracker.records import Entry, field_order

TEMPO_STEPS = ("3-1-3-0", "4-1-4-0", "5-0-3-0", "6-0-4-0")
BAND_STEPS = ("yellow", "red", "green", "blue")
NOTES = (
    "Stairs at work were easier today.",
    "Knee stiff in the morning, loosened after the ride.",
    "Long drive, back ached in the evening.",
    "Physio said to keep the tempo slow.",
    "Slept badly.",
    "Walked the dog for an hour.",
    "Felt a click going down the stairs, no pain.",
)


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _stored_number(value: float) -> int | float:
    """As records stores numbers: 4.0 is kept as 4, so an export/import round trip is exact."""
    return int(value) if value.is_integer() else value


def _entry(rng: random.Random, kind: str, day: date, at: int, **fields: object) -> Entry:
    """One stored entry of ``kind``, created ``at`` minutes after 18:00 UTC on ``day``."""
    moment = datetime.combine(day, time(18, 0), tzinfo=UTC) + timedelta(minutes=at)
    values: dict[str, object] = {
        "id": uuid.UUID(int=rng.getrandbits(128), version=4).hex,
        "kind": kind,
        "date": day.isoformat(),
        "notes": rng.choice(NOTES) if rng.random() < 0.06 else None,
        "created_at": moment.isoformat(),
        "updated_at": moment.isoformat(),
        **fields,
    }
    return {name: values.get(name) for name in field_order(kind)}


def demo_entries(days: int, seed: int, today: date) -> list[Entry]:
    """``days`` days of entries ending on ``today``."""
    rng = random.Random(seed)
    start = today - timedelta(days=days - 1)
    entries: list[Entry] = []
    flare = 0.0
    for offset in range(days):
        day = start + timedelta(days=offset)
        progress = offset / max(days - 1, 1)
        # The first three months carry most of the improvement; later it levels off.
        recovery = 1 - math.exp(-offset / 45)
        away = rng.random() < 0.06  # a day off everything (travel, busy)
        did_lunge = not away and rng.random() < 0.82
        did_cycling = not away and rng.random() < 0.72
        did_rotation = not away and rng.random() < 0.85
        step = min(int(progress * len(TEMPO_STEPS) * 1.2), len(TEMPO_STEPS) - 1)
        if did_lunge:
            entries.append(
                _entry(
                    rng,
                    "lunge",
                    day,
                    0,
                    sets=2 + (progress > 0.3) + (progress > 0.7),
                    reps=_clamp(8 + 4 * progress + rng.uniform(-1, 1), 6, 14),
                    side="both",
                    tempo=TEMPO_STEPS[step],
                    effort=_clamp(5 + rng.gauss(0, 1), 2, 9),
                    pain_during=_clamp(4 * (1 - recovery) + 1 + rng.gauss(0, 1), 0, 8),
                )
            )
        if did_cycling:
            minutes = _clamp(15 + 20 * progress + rng.gauss(0, 4), 10, 60)
            cadence = _clamp(72 + 8 * progress + rng.gauss(0, 4), 55, 100)
            entries.append(
                _entry(
                    rng,
                    "cycling",
                    day,
                    30,
                    minutes=minutes,
                    distance_km=_stored_number(round(minutes * (0.28 + 0.06 * progress), 1)),
                    cadence_rpm=cadence,
                    resistance=_clamp(3 + 5 * progress + rng.uniform(-1, 1), 1, 12),
                    avg_hr=_clamp(112 + 10 * progress + rng.gauss(0, 6), 90, 160),
                    effort=_clamp(4 + rng.gauss(0, 1), 2, 8),
                    pain_during=_clamp(2 * (1 - recovery) + rng.gauss(0, 0.8), 0, 6),
                )
            )
        if did_rotation:
            band = BAND_STEPS[min(int(progress * len(BAND_STEPS)), len(BAND_STEPS) - 1)]
            exercises = ["clamshell", "standing_shoulder_er"]
            if rng.random() < 0.85:
                exercises.append(rng.choice(["side_lying_hip_er", "banded_side_step"]))
            for index, exercise in enumerate(exercises):
                entries.append(
                    _entry(
                        rng,
                        "rotation",
                        day,
                        45 + index,
                        exercise=exercise,
                        sets=2 + (progress > 0.5),
                        reps=_clamp(10 + 5 * progress, 8, 15),
                        side="both",
                        hold_s=_clamp(2 + 3 * progress, 1, 5),
                        band=band,
                        effort=_clamp(4 + rng.gauss(0, 1), 1, 8),
                        pain_during=_clamp(1.5 * (1 - recovery) + rng.gauss(0, 0.6), 0, 5),
                    )
                )
        # Symptoms: a slow trend down, noise, the odd flare, and calmer days after exercise.
        if rng.random() < 0.04:
            flare = rng.uniform(1.5, 3)
        flare *= 0.7
        exercised = did_lunge or did_cycling or did_rotation
        knee = 6.2 - 3.6 * recovery + flare - (0.5 if did_lunge else 0) + rng.gauss(0, 0.8)
        back = 5.4 - 3.0 * recovery + 0.6 * flare - (0.4 if exercised else 0) + rng.gauss(0, 0.9)
        clicking = 2.8 - 1.5 * recovery + rng.gauss(0, 0.6)
        if rng.random() < 0.9:
            clicks = _clamp(12 * (1 - recovery) + 3 + rng.gauss(0, 3), 0, 40)
            entries.append(
                _entry(
                    rng,
                    "checkin",
                    day,
                    180,
                    knee_pain=_clamp(knee, 0, 10),
                    back_pain=_clamp(back, 0, 10),
                    clicking_left=_clamp(clicking - 0.6 + rng.gauss(0, 0.4), 0, 4),
                    clicking_right=_clamp(clicking + rng.gauss(0, 0.4), 0, 4),
                    click_count=clicks if rng.random() < 0.6 else None,
                    clicking_painful=(knee > 4.5) if rng.random() < 0.6 else None,
                )
            )
    return entries
