"""Chart speed on a 10-year diary (issue 4): first render and cached redraw, median of runs.

Run: ``.venv/bin/python bench/bench_charts.py``. Bars: a first render of any chart for any range
at 120x30 at most 30 ms; a redraw at the same size (from the figure cache) at most 5 ms.
The diary is generated in memory (about 5 entries a day), no store needed.
"""

from __future__ import annotations

import math
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import date, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.kinds import lunge
from tracker.records import Entry, new_entry

STAMP = "2026-01-01T00:00:00+00:00"


def make_diary(days: int, *, until: date, seed: int = 1) -> list[Entry]:
    """A realistic diary: daily check-ins (a few missed), lunges, cycling and rotation work.

    Knee and back pain drift down over months with day-to-day noise; harder weeks now and then.
    """
    rng = random.Random(seed)
    entries: list[Entry] = []
    start = until - timedelta(days=days - 1)
    knee, back = 6.0, 5.0
    for i in range(days):
        day = start + timedelta(days=i)
        # Pain settles from about 6 towards 3 over the first months, with slow swings and flares.
        months = i / 30
        knee_target = 3 + 3 * math.exp(-months / 4) + 0.8 * math.sin(i / 40)
        back_target = 2.5 + 2.5 * math.exp(-months / 6) + 0.7 * math.sin(i / 55 + 1)
        knee = knee_target + 0.85 * (knee - knee_target) + rng.gauss(0, 0.45)
        back = back_target + 0.85 * (back - back_target) + rng.gauss(0, 0.45)
        flare = 2 if rng.random() < 0.03 else 0
        tempo = rng.choice(["3-1-3-0", "4-1-4-0", "5-0-3-0"])
        if rng.random() < 0.8:
            lunge = {"sets": rng.randint(2, 4), "reps": rng.randint(6, 12), "tempo": tempo}
            lunge |= {"effort": rng.randint(3, 8), "pain_during": rng.choice([1, 2, 2, 3, 4, 6])}
            entries.append(_entry("lunge", day, lunge))
        for _ in range(2 if rng.random() < 0.2 else 1):
            if rng.random() < 0.8:
                minutes = rng.choice([15, 20, 25, 30, 40, 45])
                ride = {"minutes": minutes, "effort": rng.randint(2, 7), "resistance": 6}
                entries.append(_entry("cycling", day, ride))
        for exercise in ("clamshell", "side_lying_hip_er", "banded_side_step"):
            if rng.random() < 0.6:
                work = {"exercise": exercise, "sets": rng.randint(2, 4), "reps": 12, "band": "red"}
                entries.append(_entry("rotation", day, work))
        if rng.random() < 0.9:
            checkin = {
                "knee_pain": _clamp(knee + flare + rng.gauss(0, 0.6), 10),
                "back_pain": _clamp(back + rng.gauss(0, 0.6), 10),
                "clicking_left": _clamp(knee / 2.2 + rng.gauss(0, 0.5), 4),
                "clicking_right": _clamp(knee / 3.2 + rng.gauss(0, 0.5), 4),
            }
            entries.append(_entry("checkin", day, checkin))
    return entries


def _clamp(value: float, top: int) -> int:
    return min(top, max(0, round(value)))


def _entry(kind: str, day: date, values: Mapping[str, object]) -> Entry:
    return new_entry(kind, {**values, "date": day.isoformat()}, today=day, now=STAMP)


RANGES: tuple[tuple[str, int | None], ...] = (
    ("4 weeks", 28),
    ("12 weeks", 84),
    ("1 year", 365),
    ("all", None),
)


def _median_ms(run: Callable[[], object], repeat: int, before: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _cold() -> None:
    """Forget what earlier runs cached, so a first render pays for everything."""
    from tracker import analysis

    analysis._parse_day.cache_clear()
    lunge._tut_minutes.cache_clear()


def main(repeat: int = 15, width: int = 120, height: int = 30) -> int:
    from tracker import charts

    until = date(2026, 11, 21)
    entries = make_diary(3653, until=until)
    print(f"{len(entries)} entries over 10 years, {width}x{height}, median of {repeat} runs")
    charts.render("pain", entries, until=until, days=28, width=width, height=height)  # imports
    worst = {"first": 0.0, "resize": 0.0, "redraw": 0.0}
    print(f"{'chart':<10} {'range':<9} {'first render':>13} {'resize':>9} {'redraw':>9}")
    for name in charts.CHART_NAMES:
        for label, days in RANGES:
            first = _median_ms(
                partial(
                    charts.render, name, entries, until=until, days=days, width=width, height=height
                ),
                repeat,
                _cold,
            )
            cache = charts.ChartCache()
            look = partial(cache.text, name, entries, until=until, days=days, version=1)
            widths = iter(range(width, 0, -1))

            def resize_once(look: Callable[..., str] = look, widths: Iterator[int] = widths) -> str:
                # A resize: the prepared data is cached; layout and build at a new width.
                return look(width=next(widths), height=height)

            resize = _median_ms(resize_once, repeat, lambda: None)
            look(width=width, height=height)
            redraw = _median_ms(partial(look, width=width, height=height), repeat, lambda: None)
            for key, value in (("first", first), ("resize", resize), ("redraw", redraw)):
                worst[key] = max(worst[key], value)
            print(f"{name:<10} {label:<9} {first:>10.1f} ms {resize:>6.1f} ms {redraw:>6.3f} ms")
    ok = worst["first"] <= 30 and worst["redraw"] <= 5
    print(
        f"worst: first render {worst['first']:.1f} ms (bar 30), resize {worst['resize']:.1f} ms, "
        f"redraw {worst['redraw']:.3f} ms (bar 5): {'OK' if ok else 'OVER BUDGET'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
